// jnp.var, std, average, cov and corrcoef, written as jax/_src/numpy does, from
// reductions and elementwise primitives, so every transformation sees them.
#include <algorithm>
#include <limits>

#include "ops/numpy/common.hpp"

namespace fluxion {
namespace {

// A 0-d constant of `dtype` holding `value` rounded once to that dtype.
Array constant(double value, DType dtype) { return detail::convert(Array(value), dtype); }

int64_t count_over(const Array& x, const Axes& axes, std::string_view op) {
  int64_t count = 1;
  for (int64_t a : detail::normalize_axes(axes, x.ndim(), op)) count *= x.shape()[a];
  return count;
}

}  // namespace

Array var(const Array& x, const Axes& axes, double ddof, bool keepdims) {
  // JAX computes in the input's float dtype (integers and bools in the
  // default float) and gives NaN, not an error, when N - ddof <= 0.
  const DType dt = is_floating(x.dtype()) ? x.dtype() : default_float;
  const Array a = detail::convert(x, dt);
  const Array centered = square(a - mean(a, axes, /*keepdims=*/true));
  const Array total = sum(centered, axes, keepdims);
  // N - ddof as JAX forms it: both converted to the dtype, then subtracted.
  const double n = static_cast<double>(count_over(x, axes, "var"));
  const double normalizer = dt == float32 ? static_cast<double>(static_cast<float>(n) - static_cast<float>(ddof))
                                          : n - ddof;
  const Array result = bind1(prim::div_p, {total, constant(normalizer, dt)});
  if (normalizer > 0) return result;
  return full_like(result, std::numeric_limits<double>::quiet_NaN());
}

Array std(const Array& x, const Axes& axes, double ddof, bool keepdims) {
  return sqrt(var(x, axes, ddof, keepdims));
}

Array average(const Array& x, const Axes& axes, const std::optional<Array>& weights, bool keepdims) {
  if (!weights) return mean(detail::promote_dtypes_inexact({x})[0], axes, keepdims);
  const auto xs = detail::promote_dtypes_inexact({x, *weights});
  const Array& a = xs[0];
  Array w = xs[1];
  if (a.shape() != w.shape()) {
    if (axes.all())
      throw ShapeError("average: weights of shape " + shape_to_string(w.shape()) + " differ from the array's shape " +
                       shape_to_string(a.shape()) + ", so the axes must be given");
    std::vector<int64_t> given;
    Shape along;
    for (int64_t ax : axes.list()) {
      given.push_back(detail::normalize_axis(ax, a.ndim(), "average"));
      along.push_back(a.shape()[given.back()]);
    }
    if (w.shape() != along)
      throw ShapeError("average: weights of shape " + shape_to_string(w.shape()) + " must match the array's shape " +
                       shape_to_string(a.shape()) + " along axes (" + detail::join(given) + "), that is " +
                       shape_to_string(along));
    // Weights laid along the reduced axes (in increasing order), 1 elsewhere.
    std::vector<int64_t> order(given.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int64_t>(i);
    std::sort(order.begin(), order.end(), [&](int64_t p, int64_t q) { return given[p] < given[q]; });
    Shape laid(a.ndim(), 1);
    for (int64_t ax : given) laid[ax] = a.shape()[ax];
    w = reshape(transpose(w, order), laid);
  }
  const Array weights_sum = sum(w, axes, keepdims);
  return sum(a * w, axes, keepdims) / weights_sum;
}

Array cov(const Array& m, bool rowvar, bool bias, std::optional<int64_t> ddof) {
  if (m.ndim() > 2) throw ShapeError("cov: m must have at most 2 dimensions, got shape " + shape_to_string(m.shape()));
  Array X = detail::promote_dtypes_inexact({m})[0];
  if (X.ndim() < 2) X = reshape(X, {1, X.size()});  // atleast_2d
  if (!rowvar && m.ndim() != 1) X = transpose(X);
  const int64_t vars = X.shape()[0], obs = X.shape()[1];
  if (vars == 0) return zeros({0, 0}, default_float);  // jnp: array([]).reshape(0, 0), whatever m's dtype
  if (obs == 0)  // as jnp: NaN, with the shape the variables give
    return full(vars == 1 ? Shape{} : Shape{vars, vars}, std::numeric_limits<double>::quiet_NaN(), X.dtype());
  const int64_t d = ddof.value_or(bias ? 0 : 1);
  const Array avg = mean(X, 1);
  const Array centered = X - expand_dims(avg, 1);
  // A weak C++ integer divides as jnp's Python int f = N - ddof does.
  const Array c = dot(centered, transpose(centered)) / Array(static_cast<long long>(obs - d));
  return squeeze(c);
}

Array corrcoef(const Array& x, bool rowvar) {
  const Array c = cov(x, rowvar);
  if (c.ndim() == 0) return c / c;  // NaN for 0/0 and inf/inf, 1 otherwise (as jnp)
  const Array stddev = sqrt(diag(c));
  const Array r = c / expand_dims(stddev, 1) / expand_dims(stddev, 0);
  return clip(r, -1, 1);
}

}  // namespace fluxion
