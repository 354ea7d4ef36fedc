// fx::taylor::approximation: linear, quadratic and cubic Taylor
// approximations of f: Rⁿ → R from its exact gradient, Hessian and
// third-derivative tensor (seed 000's Q, seed 003's example 5.15).
#include <string>
#include <utility>

#include "fluxion/errors.hpp"
#include "fluxion/ops.hpp"
#include "fluxion/taylor.hpp"

namespace fluxion::taylor {

Multivariate::Multivariate(Array center, int order, Array value, Array gradient, Array hessian, Array third)
    : center_(std::move(center)),
      order_(order),
      value_(std::move(value)),
      gradient_(std::move(gradient)),
      hessian_(std::move(hessian)),
      third_(std::move(third)) {
  if (order_ < 0 || order_ > 3)
    throw ValueError("taylor::Multivariate: the order must be 0, 1, 2 or 3, got " + std::to_string(order_));
  if (!center_.valid() || center_.ndim() != 1)
    throw ShapeError("taylor::Multivariate: the center must be a vector");
  if ((order_ >= 2 && !hessian_.valid()) || (order_ >= 3 && !third_.valid()))
    throw ValueError("taylor::Multivariate: an order-" + std::to_string(order_) +
                     " approximation needs the derivatives up to that order");
}

const Array& Multivariate::hessian() const {
  if (order_ < 2)
    throw ValueError("taylor::Multivariate::hessian: an order-" + std::to_string(order_) +
                     " approximation has no Hessian; build it with order 2 or 3");
  return hessian_;
}

const Array& Multivariate::third() const {
  if (order_ < 3)
    throw ValueError("taylor::Multivariate::third: an order-" + std::to_string(order_) +
                     " approximation has no third-derivative tensor; build it with order 3");
  return third_;
}

Array Multivariate::operator()(const Array& x) const {
  const int64_t n = center_.shape()[0];
  if (x.ndim() < 1 || x.shape().back() != n)
    throw ShapeError("taylor::Multivariate: x must be a point of shape (" + std::to_string(n) +
                     ",) or rows of points (..., " + std::to_string(n) + "), got shape " + shape_to_string(x.shape()));
  if (x.ndim() > 1) {
    // Rows of points: the one-point formula mapped over them, so every row
    // computes exactly what a single call computes.
    const Shape rows(x.shape().begin(), x.shape().end() - 1);
    const Multivariate self = *this;
    const Array flat = reshape(x, {x.size() / n, n});
    return reshape(vmap([self](const Array& point) { return self(point); })(flat), rows);
  }
  // The seed's Q, term by term: f(xo) + df(xo)·δ + ½ (hf(xo) δ)·δ, then the
  // cubic term ⅙ ((D³f δ) δ)·δ.
  const Array delta = x - center_;
  if (order_ == 0) return value_ + zeros_like(sum(delta));
  Array t = value_ + dot(gradient_, delta);
  if (order_ >= 2) t = t + 0.5 * dot(dot(hessian_, delta), delta);
  if (order_ >= 3) t = t + dot(dot(dot(third_, delta), delta), delta) / 6.0;
  return t;
}

Multivariate Multivariate::truncated(int order) const {
  if (order < 0 || order > order_)
    throw ValueError("taylor::Multivariate::truncated: the order must be between 0 and " + std::to_string(order_) +
                     ", got " + std::to_string(order));
  return Multivariate(center_, order, value_, gradient_, order >= 2 ? hessian_ : Array(),
                      order >= 3 ? third_ : Array());
}

namespace detail {

void throw_multivariate_arity(int64_t n) {
  throw ValueError("taylor::approximation: f must return one number (f: Rⁿ → R), it returned " + std::to_string(n) +
                   " arrays");
}

Multivariate approximation(const Function& f, const Array& x0, int order) {
  if (order < 0 || order > 3)
    throw ValueError("taylor::approximation: the order must be 0, 1, 2 or 3 (value, gradient, Hessian, third "
                     "derivatives), got " +
                     std::to_string(order) + "; for higher orders along a line use taylor::directional_derivatives");
  if (!x0.valid()) throw Error("taylor::approximation: the center x0 is an empty Array handle (default-constructed)");
  if (x0.ndim() != 1)
    throw ShapeError("taylor::approximation: the center must be a vector of the n variables, got shape " +
                     shape_to_string(x0.shape()) + "; for one variable use taylor::polynomial");
  const Array center = is_floating(x0.dtype()) ? x0 : x0.astype(float64);
  const Array value = f(center);
  if (value.ndim() != 0)
    throw ValueError("taylor::approximation: f must return one number (f: Rⁿ → R, a 0-d array), it returned shape " +
                     shape_to_string(value.shape()));
  const Array gradient = order >= 1 ? grad(f)(center) : zeros_like(center);
  const Array H = order >= 2 ? fluxion::hessian(f)(center) : Array();
  const Array third = order >= 3 ? jacfwd(fluxion::hessian(f))(center) : Array();
  return Multivariate(center, order, value, gradient, H, third);
}

}  // namespace detail

}  // namespace fluxion::taylor
