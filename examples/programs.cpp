// The tour's programs chapter: the program (jaxpr) that every transformation
// works on, printed by the library for f(x) = x² + eˣ, its gradient, a
// batched gradient, and the C++ that fx::jit generates from it. After the
// computation-graph section of "Taylor Approximation and JAX".
#include <algorithm>
#include <cmath>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include "seed_common.hpp"
#include "show.hpp"

namespace fx = fluxion;

namespace {

// Text printed by the library or by the write-up's helper, indented as a result.
void block(const std::string& text) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find_first_not_of(' ') == std::string::npos) line.clear();
    std::cout << (line.empty() ? "" : std::string(demo::kCodeIndent) + "  ") << line << "\n";
  }
}

}  // namespace

int main() {
  demo::banner("PROGRAMS: WHAT THE TRANSFORMATIONS SEE",
               "grad, vmap and jit first trace f: they run it once on abstract values and record each primitive "
               "operation in a program, a jaxpr, which fx::make_jaxpr prints. After the section on computation "
               "graphs of “Taylor Approximation and JAX”.");

  demo::section("The program of f(x) = x² + eˣ");
  auto [f, f_source] = SEED_WITH_SOURCE([](const fx::Array& x) { return fx::pow(x, 2) + fx::exp(x); });
  demo::code("auto f = " + std::string(f_source) + ";");
  SHOW(fx::make_jaxpr(f)(3.0).str());
  demo::say("The write-up reads such a program out in words with a helper of its own, describe_jaxpr "
            "(seeds::describe_jaxpr here):");
  std::ostringstream described;
  seeds::describe_jaxpr(f, f_source, described);
  block(described.str());
  demo::notice("a is the input x, b = a² and c = eᵃ are intermediate values, d = b + c is the result: one "
               "variable per value, one equation per primitive operation, and no C++ left.");

  demo::section("The program of its gradient, f′(x) = 2x + eˣ");
  CODE(const auto df = fx::grad(f));
  CODE(const fx::ClosedJaxpr program = fx::make_jaxpr(df)(3.0));
  SHOW(program.str());
  CODE(const fx::Array three = 3.0);
  SHOW(fx::eval_jaxpr(program.jaxpr, program.consts, {&three, 1})[0]);
  SHOW(2 * 3 + std::exp(3.0));
  // Whether the program still computes f(x) itself: an equation whose results
  // nothing reads (printed `_`), as JAX's jaxprs keep it.
  std::set<int> read;
  for (const fx::JaxprEqn& e : program.jaxpr.eqns)
    for (const fx::Atom& a : e.inputs) read.insert(a.var);
  for (const fx::Atom& a : program.jaxpr.outvars) read.insert(a.var);
  bool keeps_primal = false;
  for (const fx::JaxprEqn& e : program.jaxpr.eqns)
    keeps_primal = keeps_primal || std::none_of(e.outputs.begin(), e.outputs.end(), [&](int v) { return read.count(v) > 0; });
  demo::notice(std::string("reverse mode wrote the derivative of each operation (2·x for x², eˣ for eˣ) times "
                           "the incoming cotangent 1.0, and add_any sums the two paths from x to the result. ") +
               (keeps_primal ? "The equation whose result is _ computes x² + eˣ itself, which nothing reads, "
                               "as in the program the write-up printed."
                             : "The value x² + eˣ itself is not computed: the gradient does not need it."));

  demo::section("The batched program: fx::vmap(f′) over three points");
  CODE(const fx::Array xs = fx::array({0.0, 1.0, 2.0}));
  SHOW(fx::make_jaxpr(fx::vmap(df))(xs).str());
  SHOW(fx::vmap(df)(xs));
  demo::notice("vmap adds no loop: the same operations take f64[3] arrays, one call each for the whole batch.");

  demo::section("Compiled: fx::jit(f′) and the C++ it generates");
  CODE(const auto jit_df = fx::jit(df, {.name = "grad_f"}));
  CODE(const std::string source = jit_df.lower(3.0).source());
  demo::say("jit compiles the gradient's program: its elementwise operations fuse into one loop, the system "
            "C++ compiler builds it on the first call (and keeps it in a disk cache), and later calls run "
            "the machine code. The generated function, after a preamble of helpers:");
  // From the generated function's name to the brace that closes it, when the source has that shape.
  size_t start = source.find("// grad_f");
  start = start == std::string::npos ? 0 : start;
  const size_t end = source.find("\n}\n", start);
  block(source.substr(start, end == std::string::npos ? std::string::npos : end + 2 - start));
  SHOW(jit_df(3.0));
  SHOW(df(3.0));
  demo::notice("the compiled function returns the same bits as the traced one: both call the same SIMD exp.");
  return 0;
}
