// The calculus figures of fx::plot: derivatives on a grid, Taylor polynomials
// over the function, a surface with its Taylor approximations, and an error
// against the step on log-log axes. The derivatives come from fx::jet, all
// orders in one pass per point (nested grad would cost 2^order).
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>

#include "fluxion/errors.hpp"
#include "fluxion/jet.hpp"
#include "fluxion/ops.hpp"
#include "fluxion/plot.hpp"
#include "fluxion/taylor.hpp"
#include "fluxion/transforms.hpp"

namespace fluxion::plot {

namespace {
Array as_grid(const Values& x) { return array(x.data(), {static_cast<int64_t>(x.size())}); }

// The grid x × y as two flat arrays of coordinates, row by row (meshgrid's
// "xy" indexing: point j * nx + i is (x[i], y[j]), a Series surface's layout).
std::vector<Array> grid_points(const Values& x, const Values& y) {
  const int64_t n = static_cast<int64_t>(x.size() * y.size());
  std::vector<Array> mesh = meshgrid({as_grid(x), as_grid(y)});
  return {mesh[0].reshape({n}), mesh[1].reshape({n})};
}

// The series (1, 0, ..., 0) of the path x0 + t: jet then returns f's own derivatives.
std::vector<Array> unit_path(int order) {
  std::vector<Array> h(static_cast<size_t>(order), Array(0.0));
  if (order > 0) h[0] = Array(1.0);
  return h;
}

// "f", "f′", "f″", "f‴", "f⁽⁴⁾", ...: the order as a student writes it.
std::string derivative_name(const std::string& f, int k) {
  static const char* const superscript[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  if (k == 0) return f;
  if (k == 1) return f + "′";
  if (k == 2) return f + "″";
  if (k == 3) return f + "‴";
  std::string digits;
  for (char c : std::to_string(k)) digits += superscript[c - '0'];
  return f + "⁽" + digits + "⁾";
}

std::string subscript(int n) {
  static const char* const sub[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  std::string out;
  for (char c : std::to_string(n)) out += sub[c - '0'];
  return out;
}

// A number for a title: up to 6 significant digits, no trailing zeros.
std::string short_number(double v) {
  std::ostringstream s;
  s << std::setprecision(6) << v;
  return s.str();
}

void check_order(const char* where, int order) {
  if (order < 0) throw ValueError(std::string(where) + ": the order must be >= 0, got " + std::to_string(order));
}

// The finite values' range, widened by `margin` of its width on each side;
// empty when there is no finite value or no width.
std::vector<double> padded_range(const std::vector<double>& v, double margin) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double a : v)
    if (std::isfinite(a)) lo = std::min(lo, a), hi = std::max(hi, a);
  if (!(lo < hi)) return {};
  const double pad = margin * (hi - lo);
  return {lo - pad, hi + pad};
}

std::string shape_text(const Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

// The value of a 0-d float result (f must return one number per point).
double scalar(const Array& a, const char* where) {
  if (a.size() != 1)
    throw ShapeError(std::string(where) + ": the function must return one number per point, got shape " +
                     shape_text(a.shape()));
  return a.astype(float64).reshape({}).item<double>();
}
}  // namespace

Array derivatives_on_grid(const Function1& f, const Values& x, int max_order) {
  check_order("plot::derivatives_on_grid", max_order);
  if (x.size() == 0) throw ValueError("plot::derivatives_on_grid: the grid x is empty");
  // vmap rather than one jet over the whole grid: f need not be elementwise
  // (it may sum or index), each point is its own function value.
  auto all_orders = [f, max_order](Array x0) {
    if (max_order == 0) return stack({f(x0)});
    auto [y0, ys] = jet(f, {x0}, {unit_path(max_order)});
    ys.insert(ys.begin(), y0);
    return stack(ys);
  };
  const Array per_point = vmap(all_orders)(as_grid(x));
  if (per_point.ndim() != 2)
    throw ShapeError("plot::derivatives_on_grid: the function must return one number per point, got shape " +
                     shape_text(per_point.shape()) + " for the grid");
  return per_point.T().astype(float64);
}

Figure derivatives(const Function1& f, const Values& x, int max_order, const DerivativeOptions& options) {
  if (options.min_order < 0 || options.min_order > max_order)
    throw ValueError("plot::derivatives: min_order must lie in 0.." + std::to_string(max_order) + ", got " +
                     std::to_string(options.min_order));
  const Array rows = derivatives_on_grid(f, x, max_order);
  Figure fig;
  const std::string range = options.min_order == max_order
                                ? derivative_name(options.name, max_order)
                                : derivative_name(options.name, options.min_order) + " … " +
                                      derivative_name(options.name, max_order);
  fig.title(range + (options.normalize ? ", each divided by its largest |value|" : "")).xlabel("x");
  for (int k = options.min_order; k <= max_order; ++k) {
    std::vector<double> y = rows[k].to_vector<double>();
    std::string label = derivative_name(options.name, k);
    if (options.normalize) {
      double peak = 0;
      for (double v : y)
        if (std::isfinite(v)) peak = std::max(peak, std::abs(v));
      if (peak > 0)
        for (double& v : y) v /= peak;
      label += " / max|" + label + "|";
    }
    // The function itself in black, the derivatives in the color cycle, as
    // seed 003 draws tanh beside its derivatives.
    fig.line(x, y, label, k == 0 ? Style{"black", 2.5, false} : Style{});
  }
  fig.legend_at("outside right");
  return fig;
}

Figure taylor_polynomials(const Function1& f, double x0, const Values& x, const std::vector<int>& degrees,
                          const TaylorOptions& options) {
  if (degrees.empty()) throw ValueError("plot::taylor_polynomials: no degrees given");
  for (int n : degrees) check_order("plot::taylor_polynomials", n);
  const int top = *std::max_element(degrees.begin(), degrees.end());
  // One jet call gives every coefficient f^(k)(x0) / k! up to the top
  // degree; the lower polynomials are its truncations.
  const taylor::Polynomial highest = taylor::polynomial(f, Array(x0), top);
  const std::vector<double> fx = vmap(f)(as_grid(x)).astype(float64).to_vector<double>();
  Figure fig("Taylor polynomials of " + options.name + " around x₀ = " + short_number(x0));
  fig.xlabel("x").ylabel("y").line(x, fx, options.name, Style{"black", 3.0, false});
  for (int n : degrees) {
    const std::vector<double> t = highest.truncated(n)(as_grid(x)).astype(float64).to_vector<double>();
    fig.line(x, t, "T" + subscript(n), Style{"", 2.0, true});
  }
  if (options.clip_to_function)
    if (auto r = padded_range(fx, 0.6); !r.empty()) fig.ylim(r[0], r[1]);
  fig.legend_at("top left");
  return fig;
}

std::vector<double> taylor_surface_values(const Function2& g, double x0, double y0, const Values& x, const Values& y,
                                          int order) {
  check_order("plot::taylor_surface_values", order);
  const std::vector<Array> mesh = grid_points(x, y);
  const Array dx = mesh[0] - x0, dy = mesh[1] - y0;
  const Array p0 = Array(x0), q0 = Array(y0);
  // T_n(x0 + δ) = Σ_k (1/k!) d^k/dt^k g(x0 + tδ) at 0: the directional
  // derivatives along δ, all from one jet call per point.
  auto taylor_value = [g, p0, q0, order](Array ex, Array ey) {
    Array value = g(p0, q0);
    if (order == 0) return value + 0.0 * ex;  // the constant, mapped like the rest
    std::vector<Array> hx(static_cast<size_t>(order), Array(0.0)), hy = hx;
    hx[0] = ex;
    hy[0] = ey;
    auto [g0, terms] = jet(g, {p0, q0}, {hx, hy});
    double factorial = 1;
    for (int k = 1; k <= order; ++k) {
      factorial *= k;
      value = value + terms[static_cast<size_t>(k - 1)] / factorial;
    }
    return value;
  };
  return vmap(taylor_value)(dx, dy).astype(float64).to_vector<double>();
}

Figure taylor_surface(const Function2& g, double x0, double y0, const Values& x, const Values& y,
                      const SurfaceOptions& options) {
  const std::vector<Array> mesh = grid_points(x, y);
  const std::vector<double> z = vmap(g)(mesh[0], mesh[1]).astype(float64).to_vector<double>();
  const std::string at = "(" + short_number(x0) + ", " + short_number(y0) + ")";
  Figure fig(options.name + "(x, y) and its Taylor approximations around " + at);
  fig.xlabel("x").ylabel("y").zlabel(options.name).size(900, 650).view(72, 40);
  fig.surface(x, y, z, options.name + "(x, y)");
  static const char* const colors[] = {"#d62728", "#2ca02c", "#1f77b4", "#ff7f0e"};
  size_t c = 0;
  for (int n : options.orders) {
    const std::string what = n == 1 ? " (tangent plane)" : n == 2 ? " (quadratic)" : "";
    fig.surface(x, y, taylor_surface_values(g, x0, y0, x, y, n), "T" + subscript(n) + what,
                Style{colors[c++ % 4], 2.0, false});
  }
  const double g0 = scalar(g(Array(x0), Array(y0)), "plot::taylor_surface");
  fig.points3d({x0}, {y0}, {g0}, at, Style{"black", 5.0, false});
  if (options.clip_to_function)
    if (auto r = padded_range(z, 0.1); !r.empty()) fig.zlim(r[0], r[1]);
  return fig;
}

Figure error_scaling(const Values& scales, const Values& errors, const ErrorScalingOptions& options) {
  if (scales.size() != errors.size())
    throw ShapeError("plot::error_scaling: " + std::to_string(scales.size()) + " scales but " +
                     std::to_string(errors.size()) + " errors");
  if (scales.size() == 0) throw ValueError("plot::error_scaling: no errors to plot");
  std::vector<double> magnitude(errors.size());
  for (size_t i = 0; i < errors.size(); ++i) magnitude[i] = std::abs(errors[i]);
  Figure fig("Error against scale");
  fig.xlabel("scale s").ylabel(options.label).logx().logy().legend_at("top left");
  if (options.reference_order > 0) {
    // C·s^p through the first error: the slope Taylor's theorem predicts.
    const double p = options.reference_order;
    const double c = magnitude[0] / std::pow(scales[0], p);
    std::vector<double> ref(scales.size());
    for (size_t i = 0; i < scales.size(); ++i) ref[i] = c * std::pow(scales[i], p);
    static const char* const sup[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    std::string power;
    for (char ch : std::to_string(options.reference_order)) power += sup[ch - '0'];
    fig.line(scales, ref, "C·s" + power + " (slope " + std::to_string(options.reference_order) + ")",
             Style{"#7f7f7f", 4.0, true});
  }
  // The errors drawn last, over the wider reference line they follow.
  fig.line(scales, magnitude, options.label, Style{"#1f77b4", 2.0, false});
  fig.points(scales, magnitude, "", Style{"#1f77b4", 3.0, false});
  return fig;
}

}  // namespace fluxion::plot
