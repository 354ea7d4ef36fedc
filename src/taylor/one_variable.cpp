// fx::taylor for one variable: derivatives and coefficients from one jet
// call, and the Taylor polynomial as a callable.
#include <string>
#include <utility>
#include <vector>

#include "fluxion/errors.hpp"
#include "fluxion/jet.hpp"
#include "fluxion/ops.hpp"
#include "fluxion/taylor.hpp"

namespace fluxion::taylor {

namespace {

void check_order(const char* where, int order) {
  if (order < 0)
    throw ValueError(std::string("taylor::") + where + ": the order must be 0 or more, got " + std::to_string(order));
}

// Derivatives are taken of floating-point inputs (grad rejects integers);
// an integer center such as the literal 0 means the real number.
Array as_real(const Array& x) {
  if (!x.valid()) throw Error("taylor: the center x0 is an empty Array handle (default-constructed)");
  return is_floating(x.dtype()) ? x : x.astype(float64);
}

}  // namespace

std::vector<Array> directional_derivatives(const Function& f, const Array& x0, const Array& direction, int order) {
  check_order("directional_derivatives", order);
  const Array center = as_real(x0);
  if (!direction.valid() || direction.shape() != center.shape())
    throw ShapeError("taylor::directional_derivatives: the direction must have the center's shape " +
                     fluxion::shape_to_string(center.shape()) + ", got " +
                     (direction.valid() ? fluxion::shape_to_string(direction.shape()) : std::string("an empty handle")));
  // JAX's convention: x(t) = x0 + Σ h_k t^k / k!, so the straight line
  // x0 + t·u is h_1 = u and every later term 0, and the outputs are
  // d^k/dt^k f(x(t)) themselves.
  std::vector<Array> series;
  if (order > 0) {
    series.push_back(direction.astype(center.dtype()));
    for (int k = 1; k < order; ++k) series.push_back(zeros_like(center));
  }
  auto [y0, ys] = jet(f, {center}, {series});
  std::vector<Array> out{std::move(y0)};
  for (Array& y : ys) out.push_back(std::move(y));
  return out;
}

std::vector<Array> derivatives(const Function& f, const Array& x0, int order) {
  check_order("derivatives", order);
  const Array center = as_real(x0);
  return directional_derivatives(f, center, ones_like(center), order);
}

std::vector<Array> coefficients(const Function& f, const Array& x0, int order) {
  check_order("coefficients", order);
  std::vector<Array> c = derivatives(f, x0, order);
  // k! accumulated in double as nested grad's users divide (exact to 22!),
  // so both ways give the same bits when the derivatives agree.
  double factorial = 1.0;
  for (size_t k = 1; k < c.size(); ++k) {
    factorial *= static_cast<double>(k);
    c[k] = c[k] / factorial;
  }
  return c;
}

Polynomial::Polynomial(Array center, std::vector<Array> coefficients)
    : center_(std::move(center)), coefficients_(std::move(coefficients)) {
  if (coefficients_.empty()) throw ValueError("taylor::Polynomial: needs at least one coefficient (degree 0)");
  if (!center_.valid()) throw Error("taylor::Polynomial: the center is an empty Array handle (default-constructed)");
}

Array Polynomial::operator()(const Array& x) const {
  // Horner: c_0 + δ(c_1 + δ(c_2 + ...)), one multiply and add per degree,
  // and no powers whose rounding grows with k.
  const Array delta = x - center_;
  Array acc = coefficients_.back() + zeros_like(delta);
  for (size_t k = coefficients_.size() - 1; k-- > 0;) acc = acc * delta + coefficients_[k];
  return acc;
}

Polynomial Polynomial::truncated(int degree) const {
  if (degree < 0 || degree > this->degree())
    throw ValueError("taylor::Polynomial::truncated: the degree must be between 0 and " +
                     std::to_string(this->degree()) + ", got " + std::to_string(degree));
  return Polynomial(center_, {coefficients_.begin(), coefficients_.begin() + degree + 1});
}

std::string Polynomial::str(std::string_view variable) const {
  if (center_.ndim() != 0)
    throw ShapeError("taylor::Polynomial::str: needs a scalar center, got shape " +
                     fluxion::shape_to_string(center_.shape()));
  const double c0 = center_.astype(float64).item<double>();
  std::string base(variable);
  if (c0 != 0.0) {
    const std::string shift = to_string(Array(c0 < 0 ? -c0 : c0));
    base = "(" + base + (c0 < 0 ? " + " : " - ") + shift + ")";
  }
  std::string out;
  for (size_t k = 0; k < coefficients_.size(); ++k) {
    if (coefficients_[k].ndim() != 0)
      throw ShapeError("taylor::Polynomial::str: needs scalar coefficients, coefficient " + std::to_string(k) +
                       " has shape " + fluxion::shape_to_string(coefficients_[k].shape()));
    const double c = coefficients_[k].astype(float64).item<double>();
    if (c == 0.0) continue;
    const double magnitude = c < 0 ? -c : c;
    std::string term;
    if (k == 0 || magnitude != 1.0) term = to_string(Array(magnitude));
    if (k > 0) term += (term.empty() ? "" : "*") + base + (k > 1 ? "^" + std::to_string(k) : "");
    if (out.empty()) out = (c < 0 ? "-" : "") + term;
    else out += (c < 0 ? " - " : " + ") + term;
  }
  return out.empty() ? "0" : out;
}

Polynomial polynomial(const Function& f, const Array& x0, int degree) {
  check_order("polynomial", degree);
  const Array center = as_real(x0);
  return Polynomial(center, coefficients(f, center, degree));
}

}  // namespace fluxion::taylor
