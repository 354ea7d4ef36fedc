// jaxpr: the program Fluxion records for a formula, and for its derivatives,
// printed as jax.make_jaxpr prints them.
#include <algorithm>
#include <functional>
#include <ostream>
#include <utility>

#include "commands.hpp"

namespace fluxion_calc {

namespace {

template <size_t I> using ArrayArgument = const fx::Array&;

// The formula as a C++ function of one Array per variable, as a Python user
// writes `lambda x, y: ...`: make_jaxpr then shows one input per variable.
// Type-erased so that grad can be applied a number of times known only at
// run time.
template <size_t... I> int print_programs(const Problem& p, const Args& args, const Style& style,
                                          std::ostream& out, std::index_sequence<I...>) {
  using Function = std::function<fx::Array(ArrayArgument<I>...)>;
  const Formula& f = p.formulas[0];
  const std::vector<std::string>& vars = p.variables;
  const Function base = [&f, &vars](ArrayArgument<I>... xs) { return f.evaluate(vars, {xs...}); };

  const std::vector<double> at =
      args.has("at") ? parse_point(args.get("at"), vars, "at") : std::vector<double>(vars.size(), 1.0);
  std::vector<fx::Array> values;
  for (double v : at) values.push_back(fx::Array(v).astype(fx::float64));

  const int order = args.get_int("derivative", 0, 0, 6);
  const std::string wrt = args.get("wrt", vars[0]);
  const auto position = std::find(vars.begin(), vars.end(), wrt);
  if (position == vars.end()) throw UsageError("error: --wrt " + wrt + " is not one of the variables");
  const int argnum = static_cast<int>(position - vars.begin());

  std::string signature;
  for (const auto& v : vars) signature += (signature.empty() ? "" : ", ") + v;
  out << "f(" << signature << ") = " << p.text << "\n";
  out << fx::make_jaxpr(base)(values[I]...) << "\n";
  if (order == 0) return 0;

  Function derivative = base;
  std::string call = "f";
  for (int k = 0; k < order; ++k) {
    derivative = fx::grad(derivative, argnum);
    call = "grad(" + call + (argnum == 0 ? "" : ", argnums=" + std::to_string(argnum)) + ")";
  }
  const std::string power = order == 1 ? "" : style.ascii ? "^" + std::to_string(order) : std::string(order == 2 ? "²" : order == 3 ? "³" : order == 4 ? "⁴" : order == 5 ? "⁵" : "⁶");
  out << "\n" << (style.ascii ? "d" : "∂") << power << "f/" << (style.ascii ? "d" : "∂") << wrt << power
      << ", as make_jaxpr(" << call << "):\n";
  out << fx::make_jaxpr(derivative)(values[I]...) << "\n";
  return 0;
}

int run_jaxpr(const Args& args, std::ostream& out) {
  const Problem p = load_problem(args);
  const Style style(args);
  switch (p.variables.size()) {
    case 1: return print_programs(p, args, style, out, std::make_index_sequence<1>{});
    case 2: return print_programs(p, args, style, out, std::make_index_sequence<2>{});
    case 3: return print_programs(p, args, style, out, std::make_index_sequence<3>{});
    case 4: return print_programs(p, args, style, out, std::make_index_sequence<4>{});
    default: throw UsageError("error: jaxpr prints programs of at most 4 variables");
  }
}

}  // namespace

const Command& jaxpr_command() {
  static const Command c{
      "jaxpr",
      "the program Fluxion records for f (and its derivative), as jax.make_jaxpr prints it",
      "FORMULA [--derivative N [--wrt x]] [--at x=1]",
      "Prints fx::make_jaxpr of f, a function of one scalar per variable, and with --derivative N\n"
      "the program of its N-th derivative: fx::grad applied N times (with respect to --wrt, by\n"
      "default the first variable). The values (--at, default 1.0) only fix the inputs' types.",
      {{"derivative", "N", "also print the program of grad applied N times (1 to 6)"},
       {"wrt", "x", "the variable of the derivative (default the first)"},
       {"at", "x=1", "example inputs (default 1.0 for every variable)"}},
      {"jaxpr \"sin(x) * x\" --derivative 1", "jaxpr \"x^2 * y\" --derivative 2 --wrt y"},
      run_jaxpr};
  return c;
}

}  // namespace fluxion_calc
