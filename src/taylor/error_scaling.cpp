// fx::taylor::error_scaling: seed 000's table of an approximation's error
// against the distance from its center, and the ratio per step.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "fluxion/errors.hpp"
#include "fluxion/ops.hpp"
#include "fluxion/taylor.hpp"

namespace fluxion::taylor {

namespace {

std::string format(const char* spec, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

}  // namespace

std::vector<double> ErrorScaling::ratios() const {
  const std::vector<double> e = errors.astype(float64).to_vector<double>();
  std::vector<double> out;
  for (size_t k = 1; k < e.size(); ++k) out.push_back(e[k - 1] / e[k]);
  return out;
}

std::vector<double> ErrorScaling::expected_ratios() const {
  if (order < 0) return {};
  const std::vector<double> h = scales.astype(float64).to_vector<double>();
  std::vector<double> out;
  for (size_t k = 1; k < h.size(); ++k) out.push_back(std::pow(h[k - 1] / h[k], order + 1));
  return out;
}

std::vector<double> ErrorScaling::observed_orders() const {
  const std::vector<double> h = scales.astype(float64).to_vector<double>();
  const std::vector<double> r = ratios();
  std::vector<double> out;
  // An error that changes sign or vanishes between two steps is rounding,
  // not a Taylor term: it shows no order.
  for (size_t k = 1; k < h.size(); ++k)
    out.push_back(r[k - 1] > 0 && std::isfinite(r[k - 1]) ? std::log(r[k - 1]) / std::log(h[k - 1] / h[k]) - 1
                                                          : std::nan(""));
  return out;
}

std::string ErrorScaling::table() const {
  const std::vector<double> h = scales.astype(float64).to_vector<double>();
  const std::vector<double> e = errors.astype(float64).to_vector<double>();
  const std::vector<double> r = ratios(), n = observed_orders();
  std::vector<std::vector<std::string>> rows = {{"step h", "error p(x) - f(x)", "previous / this", "observed order"}};
  for (size_t k = 0; k < h.size(); ++k)
    rows.push_back({format("%.0e", h[k]), format("%.8e", e[k]), k == 0 ? "" : format("%.1f", r[k - 1]),
                    k == 0 ? "" : std::isnan(n[k - 1]) ? "-" : format("%.2f", n[k - 1])});
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c)
      line += (c ? "   " : "") + std::string(width[c] - row[c].size(), ' ') + row[c];
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  if (order >= 0)
    out += "Taylor's theorem: an order-" + std::to_string(order) + " approximation has error O(h^" +
           std::to_string(order + 1) + "), a ratio of 10^" + std::to_string(order + 1) +
           " per decade, until f's rounding (~1e-16 relative) is reached.\n";
  return out;
}

namespace detail {

ErrorScaling error_scaling(const Function& f, const Function& approx, const Array& x0, const Array& direction,
                           const Array& scales, int order) {
  if (!x0.valid() || !direction.valid() || !scales.valid())
    throw Error("taylor::error_scaling: an argument is an empty Array handle (default-constructed)");
  if (scales.ndim() != 1 || scales.size() < 1)
    throw ShapeError("taylor::error_scaling: scales must be a non-empty vector, got shape " +
                     shape_to_string(scales.shape()));
  if (direction.shape() != x0.shape())
    throw ShapeError("taylor::error_scaling: the direction must have the center's shape " +
                     shape_to_string(x0.shape()) + ", got " + shape_to_string(direction.shape()));
  // xs = xo + u * scales[:, None], one row per scale, as the seed writes it.
  Shape column{scales.size()};
  column.insert(column.end(), x0.shape().size(), 1);
  const Array xs = x0 + direction * reshape(scales, column);
  auto diff = [&](const Array& x) { return approx(x) - f(x); };
  const Array errors = vmap(diff)(xs);
  if (errors.ndim() != 1)
    throw ValueError("taylor::error_scaling: f and the approximation must return one number per point; their "
                     "difference has shape " +
                     shape_to_string(Shape(errors.shape().begin() + 1, errors.shape().end())));
  return ErrorScaling{scales, errors, order};
}

}  // namespace detail

ErrorScaling error_scaling(const Function& f, const Array& x0, int order, const Array& scales) {
  if (x0.valid() && x0.ndim() != 0)
    throw ShapeError("taylor::error_scaling: this form takes a scalar center, got shape " +
                     shape_to_string(x0.shape()) +
                     "; for several variables pass the approximation and a direction, "
                     "error_scaling(f, approximation(f, x0, order), x0, direction, scales, order)");
  const Polynomial p = polynomial(f, x0, order);
  return detail::error_scaling(f, p, p.center(), ones_like(p.center()), scales.astype(p.center().dtype()), order);
}

}  // namespace fluxion::taylor
