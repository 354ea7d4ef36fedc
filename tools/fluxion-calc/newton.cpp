// newton: Newton's method for a root, or for a stationary point (Newton on
// f′ with f″). One variable takes f, f′ (and f″) from one Taylor-mode pass;
// several variables solve with the Jacobian of a system "F1; F2" (a root) or
// with the gradient and Hessian of f (a stationary point).
#include <cmath>
#include <ostream>

#include "commands.hpp"

namespace fluxion_calc {

namespace {

struct Settings {
  bool extremum;
  int max_iterations;
  double tolerance;
};

int one_variable(const Problem& p, const Settings& s, double x, const Style& style, std::ostream& out) {
  const std::string& v = p.variables[0];
  const Formula& f = p.formulas[0];
  const int order = s.extremum ? 2 : 1;
  // The equation solved is g = 0 with g = f (a root) or g = f′ (an extremum).
  std::vector<std::string> header{"k", v};
  for (int k = 0; k <= order; ++k) header.push_back(style.derivative(k) + "(" + v + ")");
  Table t(header);
  const std::string g_name = style.derivative(order - 1) + "(" + v + ")", slope_name = style.derivative(order) + "(" + v + ")";
  auto fail = [&](const std::string& why) {
    t.print(out);
    out << why << "\n";
    return 1;
  };
  for (int k = 0;; ++k) {
    std::vector<double> d;
    for (const fx::Array& a : derivatives_at(f, v, fx::Array(x).astype(fx::float64), order)) d.push_back(a.item<double>());
    std::vector<std::string> row{std::to_string(k), style.number(x)};
    for (double value : d) row.push_back(style.number(value));
    t.row(row);
    const double g = d[static_cast<size_t>(order - 1)], slope = d[static_cast<size_t>(order)];
    if (!std::isfinite(x) || !std::isfinite(g) || !std::isfinite(slope))
      return fail("no convergence: at " + v + " = " + style.number(x) + " " + g_name + " = " + style.number(g) + " and " +
                  slope_name + " = " + style.number(slope) + ", outside the function's domain; try another --from");
    const double step = g == 0 ? 0 : g / slope;
    if (g != 0 && slope == 0)
      return fail("no convergence: " + slope_name + " = 0 at " + v + " = " + style.number(x) +
                  ", so Newton's step is undefined; try another --from");
    if (std::abs(step) <= s.tolerance * std::max(1.0, std::abs(x))) {
      t.print(out);
      const double fx_value = d[0];
      if (!s.extremum) {
        out << "root after " << k << " iteration" << (k == 1 ? "" : "s") << ": " << v << " = " << style.number(x)
            << ", f(" << v << ") = " << style.number(fx_value) << "\n";
      } else {
        const double curvature = d[2];
        const std::string kind = curvature > 0 ? "minimum" : curvature < 0 ? "maximum" : "stationary point";
        out << kind << " after " << k << " iteration" << (k == 1 ? "" : "s") << ": " << v << " = " << style.number(x)
            << ", f(" << v << ") = " << style.number(fx_value) << ", " << style.derivative(2) << "(" << v << ") = "
            << style.number(curvature)
            << (curvature == 0 ? " (the second derivative does not decide)" : "") << "\n";
      }
      return 0;
    }
    if (k == s.max_iterations)
      return fail("no convergence in " + std::to_string(s.max_iterations) + " iterations (last " + v + " = " +
                  style.number(x) + ", step " + style.number(step) + "); try another --from or a larger --max-iter");
    x -= step;
  }
}

// Newton for G(v) = 0 with Jacobian J: a system of n formulas in n variables
// (G the formulas, J their Jacobian) or a stationary point (G = ∇f, J = Hf).
int several_variables(const Problem& p, const Settings& s, std::vector<double> start, const Style& style,
                      std::ostream& out) {
  const size_t n = p.variables.size();
  auto system = [&p, n](const fx::Array& v) {
    std::vector<fx::Array> xs;
    for (size_t i = 0; i < n; ++i) xs.push_back(v[static_cast<int64_t>(i)]);
    std::vector<fx::Array> ys;
    for (const Formula& f : p.formulas) ys.push_back(f.evaluate(p.variables, xs));
    return ys.size() == 1 ? ys[0] : fx::stack(ys);
  };
  std::vector<std::string> header{"k"};
  header.insert(header.end(), p.variables.begin(), p.variables.end());
  header.push_back(s.extremum ? "f" : "F");
  header.push_back(s.extremum ? (style.ascii ? "|grad f|" : "|∇f|") : "|F|");
  Table t(header);
  fx::Array x = fx::array(start, {static_cast<int64_t>(n)});
  for (int k = 0;; ++k) {
    fx::Array g, j;
    if (s.extremum) {
      g = fx::grad(system)(x);
      j = fx::hessian(system)(x);
    } else {
      g = system(x);
      j = fx::jacfwd(system)(x);
    }
    const std::vector<double> point = x.to_vector<double>();
    const double norm = fx::linalg::norm(g).item<double>();
    std::vector<std::string> row{std::to_string(k)};
    for (double c : point) row.push_back(style.number(c));
    row.push_back(s.extremum ? style.number(system(x).item<double>()) : style.vector(g.to_vector<double>()));
    row.push_back(style.number(norm));
    t.row(row);
    const fx::Array step = norm == 0 ? fx::zeros_like(x) : fx::linalg::solve(j, g);
    const std::vector<double> steps = step.to_vector<double>();
    bool finite = std::isfinite(norm);
    double step_norm = 0, x_norm = 0;
    for (size_t i = 0; i < n; ++i) {
      finite &= std::isfinite(steps[i]);
      step_norm = std::max(step_norm, std::abs(steps[i]));
      x_norm = std::max(x_norm, std::abs(point[i]));
    }
    if (!finite) {
      t.print(out);
      out << "no convergence: the " << (s.extremum ? "Hessian" : "Jacobian") << " is singular at "
          << style.vector(point) << " or the point left the function's domain; try another --from\n";
      return 1;
    }
    if (step_norm <= s.tolerance * std::max(1.0, x_norm)) {
      t.print(out);
      std::vector<std::string> labels;
      for (double c : point) labels.push_back(style.number(c));
      if (!s.extremum) {
        out << "root after " << k << " iteration" << (k == 1 ? "" : "s") << ": " << point_text(p.variables, labels) << "\n";
      } else {
        const std::vector<double> eigenvalues = fx::linalg::eigvalsh(j).to_vector<double>();
        out << "stationary point after " << k << " iteration" << (k == 1 ? "" : "s") << ": "
            << point_text(p.variables, labels) << ", f = " << style.number(system(x).item<double>()) << "\n"
            << "Hessian eigenvalues " << style.vector(eigenvalues) << ": " << definiteness(eigenvalues) << "\n";
      }
      return 0;
    }
    if (k == s.max_iterations) {
      t.print(out);
      out << "no convergence in " << s.max_iterations << " iterations (last point " << style.vector(point)
          << "); try another --from or a larger --max-iter\n";
      return 1;
    }
    x = x - step;
  }
}

int run_newton(const Args& args, std::ostream& out) {
  const Problem p = load_problem(args, /*list=*/true);
  const Style style(args);
  const Settings s{args.has("extremum"), args.get_int("max-iter", 50, 1, 100000), args.get_number("tol", 1e-12)};
  if (!args.has("from")) throw UsageError("error: newton needs a starting point: --from X" + std::string(p.variables.size() > 1 ? " (x=1,y=2)" : ""));
  const std::vector<double> start = parse_point(args.get("from"), p.variables, "from");
  const size_t m = p.formulas.size(), n = p.variables.size();
  if (s.extremum && m != 1)
    throw UsageError("error: newton --extremum looks for a stationary point of one formula, not of " + std::to_string(m));
  if (n == 1 && m == 1) return one_variable(p, s, start[0], style, out);
  if (!s.extremum && m != n)
    throw UsageError("error: newton finds a root of as many equations as variables: " + std::to_string(m) +
                     " formula" + (m == 1 ? "" : "s") + " in " + std::to_string(n) +
                     " variables (separate the equations with ';', or use --extremum)");
  return several_variables(p, s, start, style, out);
}

}  // namespace

const Command& newton_command() {
  static const Command c{
      "newton",
      "Newton's method: a root of f, of a system \"F1; F2\", or with --extremum a stationary point",
      "FORMULA --from X [--extremum] [--max-iter N] [--tol T]",
      "Iterates x ← x - f(x)/f′(x) from X and prints every iterate, or with --extremum\n"
      "x ← x - f′(x)/f″(x) (a minimum, maximum or other stationary point; f, f′ and f″ come from one\n"
      "Taylor-mode pass). With several variables it solves a system of as many formulas, separated by\n"
      "';', with their Jacobian, or with --extremum uses the gradient and the Hessian. It stops when\n"
      "the step is below T·max(1, |x|), and exits with status 1 and a message when it does not converge.",
      {{"from", "X", "the starting point (x=1,y=2 for several variables)"},
       {"extremum", "", "look for a stationary point (f′ = 0) instead of a root"},
       {"max-iter", "N", "give up after N iterations (default 50)"},
       {"tol", "T", "the relative step size that counts as converged (default 1e-12)"}},
      {"newton \"cos(x) - x\" --from 1", "newton \"x^4 - 3*x^2 + x\" --from 1 --extremum",
       "newton \"x^2 + y^2 - 4; x - y\" --from x=1,y=2"},
      run_newton};
  return c;
}

}  // namespace fluxion_calc
