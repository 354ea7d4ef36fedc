// diff and taylor: derivatives of every order from one Taylor-mode pass
// (fx::jet), at a point, on a grid or along a direction, and the Taylor
// polynomial they make.
#include <algorithm>
#include <cmath>
#include <ostream>

#include <fluxion/taylor.hpp>

#include "commands.hpp"

namespace fluxion_calc {

std::vector<fx::Array> derivatives_at(const Formula& f, const std::string& variable, const fx::Array& x, int order) {
  return fx::taylor::derivatives([&](fx::Array v) { return f.evaluate({variable}, {v}); }, x, order);
}

namespace {

// A weakly typed C++ scalar would keep the whole computation weakly typed;
// a point is a float64 value.
fx::Array scalar(double v) { return fx::Array(v).astype(fx::float64); }

struct Grid {
  double start, stop;
  int count;
};

Grid parse_grid(const Args& args, const std::string& option) {
  const std::string text = args.get(option);
  const size_t first = text.find(':'), second = text.find(':', first + 1);
  if (first == std::string::npos || second == std::string::npos)
    throw UsageError("error: --" + option + " takes start:stop:count, as in -1:1:5, not '" + text + "'");
  Grid g;
  auto number = [&](const std::string& part) {
    try {
      return evaluate_constant(part);
    } catch (const ParseError& e) {
      throw UsageError(describe(ParseError("--" + option + ": " + e.message(), e.column()), part));
    }
  };
  g.start = number(text.substr(0, first));
  g.stop = number(text.substr(first + 1, second - first - 1));
  const std::string count = text.substr(second + 1);
  char* end = nullptr;
  const long n = std::strtol(count.c_str(), &end, 10);
  if (count.empty() || *end != '\0' || n < 1 || n > 100000)
    throw UsageError("error: --" + option + ": the count must be a whole number from 1 to 100000, not '" + count + "'");
  g.count = static_cast<int>(n);
  return g;
}

// Several variables: ∂ᵏf/∂xᵏ with the others held at the point (--wrt x), or
// dᵏ/dtᵏ f(p + t·u) along a direction (--direction u); either way one jet
// pass along a direction.
int diff_several(const Args& args, const Problem& p, const Style& style, int order, std::ostream& out) {
  const std::vector<std::string>& vars = p.variables;
  if (args.has("wrt") == args.has("direction") || args.has("grid") || !args.has("at")) {
    std::string names;
    for (const auto& v : vars) names += (names.empty() ? "" : ", ") + v;
    throw UsageError("error: \"" + p.text + "\" has the variables " + names + ": diff needs --at " + vars[0] +
                     "=1," + vars[1] + "=2 and either --wrt " + vars[0] +
                     " (a partial derivative) or --direction 1,1 (a directional one); grad and hessian give all "
                     "first and second derivatives");
  }
  std::vector<std::string> labels;
  const std::vector<double> x0 = parse_point(args.get("at"), vars, "at", &labels);
  const int64_t n = static_cast<int64_t>(vars.size());
  std::vector<double> u(vars.size(), 0.0);
  std::string wrt;
  if (args.has("wrt")) {
    wrt = args.get("wrt");
    const auto it = std::find(vars.begin(), vars.end(), wrt);
    if (it == vars.end()) throw UsageError("error: --wrt " + wrt + " is not one of the variables");
    u[static_cast<size_t>(it - vars.begin())] = 1;
  } else {
    u = parse_point(args.get("direction"), vars, "direction");
    out << "along u = " << style.vector(u) << ", " << (style.ascii ? "D_u^k f" : "Dᵤᵏf")
        << " = d^k/dt^k f(p + t*u) at t = 0:\n";
  }
  const fx::taylor::Function fn = [&](fx::Array v) {
    std::vector<fx::Array> xs;
    for (int64_t i = 0; i < n; ++i) xs.push_back(v[i]);
    return p.formulas[0].evaluate(vars, xs);
  };
  const std::vector<fx::Array> d =
      fx::taylor::directional_derivatives(fn, fx::array(x0, {n}), fx::array(u, {n}), order);
  const std::string at = point_text(vars, labels);
  const std::string d_sign = style.ascii ? "d" : "∂";
  for (int k = 0; k <= order; ++k) {
    std::string name = "f";
    if (k > 0 && !wrt.empty())
      name = d_sign + (k > 1 ? style.superscript(k) : "") + "f/" + d_sign + wrt + (k > 1 ? style.superscript(k) : "");
    else if (k > 0)
      name = (style.ascii ? "D_u" : "Dᵤ") + (k > 1 ? style.superscript(k) : "") + (style.ascii ? " f" : "f");
    out << name << "(" << at << ") = " << style.number(d[static_cast<size_t>(k)].item<double>()) << "\n";
  }
  return 0;
}

int run_diff(const Args& args, std::ostream& out) {
  const Problem p = load_problem(args);
  const Style style(args);
  const int order = args.get_int("order", 1, 0, 40);
  if (p.variables.size() > 1) return diff_several(args, p, style, order, out);
  if (args.has("wrt") || args.has("direction"))
    throw UsageError("error: --wrt and --direction are for a formula in several variables");
  const std::string& x = p.variables[0];
  if (args.has("at") == args.has("grid")) throw UsageError("error: diff needs either --at X or --grid a:b:n");
  const Formula& f = p.formulas[0];
  if (args.has("at")) {
    std::vector<std::string> labels;
    const double x0 = parse_point(args.get("at"), p.variables, "at", &labels)[0];
    const std::vector<fx::Array> d = derivatives_at(f, x, scalar(x0), order);
    for (int k = 0; k <= order; ++k)
      out << style.derivative(k) << "(" << labels[0] << ") = " << style.number(d[k].item<double>()) << "\n";
    return 0;
  }
  // All points at once: vmap of the jet, one batched pass for the whole grid.
  const Grid g = parse_grid(args, "grid");
  const fx::Array xs = fx::linspace(g.start, g.stop, g.count);
  const fx::Array table = fx::vmap([&](const fx::Array& v) { return fx::stack(derivatives_at(f, x, v, order)); })(xs);
  const std::vector<double> values = table.to_vector<double>(), points = xs.to_vector<double>();
  std::vector<std::string> header{x};
  for (int k = 0; k <= order; ++k) header.push_back(style.derivative(k) + "(" + x + ")");
  Table t(header);
  for (int i = 0; i < g.count; ++i) {
    std::vector<std::string> row{style.number(points[i])};
    for (int k = 0; k <= order; ++k) row.push_back(style.number(values[static_cast<size_t>(i * (order + 1) + k)]));
    t.row(row);
  }
  t.print(out, "");
  return 0;
}

std::string subscript(int n, bool ascii) {
  if (ascii) return std::to_string(n);
  static const char* digits[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  std::string s;
  for (char c : std::to_string(n)) s += digits[c - '0'];
  return s;
}

int run_taylor(const Args& args, std::ostream& out) {
  const Problem p = load_problem(args);
  if (p.variables.size() > 1) return run_taylor_several(args, p, out);
  if (args.has("direction")) throw UsageError("error: --direction is for a formula in several variables");
  const std::string& x = p.variables[0];
  const Style style(args);
  const int order = args.get_int("order", 5, 0, 40);
  std::vector<std::string> labels{"0"};
  const double x0 = args.has("at") ? parse_point(args.get("at"), p.variables, "at", &labels)[0] : 0.0;
  const Formula& f = p.formulas[0];
  const fx::taylor::Function fn = [&](fx::Array v) { return f.evaluate({x}, {v}); };
  // One jet pass gives every f⁽ᵏ⁾(x0); the coefficients are those over k!,
  // as fx::taylor::coefficients computes them.
  const std::vector<fx::Array> d = fx::taylor::derivatives(fn, scalar(x0), order);
  std::vector<fx::Array> coefficients;
  double factorial = 1;
  const std::string kth = style.ascii ? "f^(k)" : "f⁽ᵏ⁾";
  out << "Taylor coefficients of " << p.text << " at " << x << " = " << labels[0] << ":\n";
  Table t({"k", kth + "(" + labels[0] + ")", kth + "(" + labels[0] + ")/k!"});
  for (int k = 0; k <= order; ++k) {
    if (k > 0) factorial *= k;
    coefficients.push_back(d[static_cast<size_t>(k)] / factorial);
    t.row({std::to_string(k), style.number(d[static_cast<size_t>(k)].item<double>()),
           style.number(coefficients.back().item<double>())});
  }
  t.print(out);
  const fx::taylor::Polynomial polynomial(scalar(x0), coefficients);
  out << "T" << subscript(order, style.ascii) << "(" << x << ") = " << polynomial.str(x) << "\n";
  if (!args.has("errors")) return 0;

  // Seed 000's table: the error T(x0 + h) - f(x0 + h) for h = 10^-1 … 10^-D,
  // all steps in one vmap call, and how much each decade shrinks it.
  const int decades = args.get_int("decades", 5, 1, 15);
  const fx::taylor::ErrorScaling scaling =
      fx::taylor::error_scaling(fn, polynomial, scalar(x0), scalar(1.0), fx::logspace(-1, -decades, decades), order);
  out << "\nerror of T" << subscript(order, style.ascii) << " at " << x << " = " << labels[0] << " + h:\n"
      << scaling.table();
  return 0;
}

}  // namespace

const Command& diff_command() {
  static const Command c{
      "diff",
      "derivatives f, f′, …, f⁽ⁿ⁾ at a point or on a grid (Taylor mode: one pass)",
      "FORMULA (--at X | --grid a:b:n) [--order N]",
      "Prints f(X) and its derivatives up to order N, all from one Taylor-mode pass (fx::jet with the\n"
      "input series 1, 0, …, 0), or with --grid a table of them at n evenly spaced points from a to b\n"
      "(fx::vmap of the same jet: one batched pass for the whole grid). A formula in several\n"
      "variables is differentiated in one of them (--wrt) or along a direction (--direction),\n"
      "by one jet pass along that direction.",
      {{"at", "X", "the point (a number or a formula without variables: pi/4; x=1,y=2 for several)"},
       {"grid", "a:b:n", "a table at n points from a to b instead (both included): -1:1:5"},
       {"order", "N", "the highest derivative (default 1)"},
       {"wrt", "x", "several variables: differentiate in x, the others held at --at"},
       {"direction", "u", "several variables: the derivatives along u (1,1), d^k/dt^k f(X + t*u)"}},
      {"diff \"sin(x) + cos(x)\" --at 0 --order 2", "diff \"tanh(x)\" --grid -1:1:5 --order 3",
       "diff \"x^2*y + y^3\" --at x=1,y=2 --wrt y --order 3"},
      run_diff};
  return c;
}

const Command& taylor_command() {
  static const Command c{
      "taylor",
      "Taylor coefficients f⁽ᵏ⁾(X)/k!, the polynomial, and its error against the step",
      "FORMULA [--at X] [--order N] [--errors [--decades D] [--direction u]]",
      "Prints the coefficients f⁽ᵏ⁾(X)/k! for k = 0…N (one Taylor-mode pass) and the Taylor\n"
      "polynomial T_N, written as a formula fluxion-calc reads back. With --errors, the error\n"
      "T_N(X + h) - f(X + h) for h = 10⁻¹ … 10⁻ᴰ and the ratio from one decade to the next, which\n"
      "Taylor's theorem puts near 10^(N+1) until rounding takes over (seed 000's table).\n"
      "For a formula in several variables (--at x=1,y=2) it prints the approximation of order\n"
      "0 to 3 (default 2) from the gradient, the Hessian and the third-derivative tensor, and with\n"
      "--errors its error at X + h·u along the direction u.",
      {{"at", "X", "the expansion point (default 0; x=1,y=2 for several variables)"},
       {"order", "N", "the degree of the polynomial (default 5; for several variables 0 to 3, default 2)"},
       {"errors", "", "add the error table"},
       {"decades", "D", "the error table's steps h = 10⁻¹ … 10⁻ᴰ (default 5)"},
       {"direction", "u", "for several variables: the direction of the steps (default all ones: 1,1)"}},
      {"taylor \"sin(x) + cos(x)\" --order 5", "taylor \"exp(x)\" --at 1 --order 2 --errors",
       "taylor \"x^2 + 2*x*y + y^3\" --at x=1,y=2 --order 2"},
      run_taylor};
  return c;
}

}  // namespace fluxion_calc
