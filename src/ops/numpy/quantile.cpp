// jnp.quantile, percentile and median: sort along the axis, then take the
// elements at the positions q * (n - 1) rounds to. jnp gathers them at traced
// positions; here q must be concrete, so the positions are known when the
// function is called and the elements are taken with static slices, which
// every transformation (and jit) already handles. The position arithmetic is
// done in q's float dtype, as jnp does it, so the same elements and weights
// come out.
#include <cmath>
#include <limits>

#include "ops/numpy/common.hpp"
#include "primitives/lax.hpp"

namespace fluxion {
namespace {

using numpy_detail::isnan;
using numpy_detail::slice_in_dim;

struct Position {
  int64_t low = 0, high = 0;
  double low_weight = 1, high_weight = 0;  // exact values of q's dtype
};

// jnp's _quantile arithmetic for one q in T (float or double).
template <class T>
Position position(T q, int64_t n) {
  const T last = static_cast<T>(n) - T(1);
  const T at = q * last;
  const T low = std::floor(at), high = std::ceil(at);
  const T high_weight = at - low;
  const T low_weight = T(1) - high_weight;
  auto clamp = [&](T v) { return std::min(std::max(v, T(0)), last); };
  return {static_cast<int64_t>(clamp(low)), static_cast<int64_t>(clamp(high)), static_cast<double>(low_weight),
          static_cast<double>(high_weight)};
}

// q's values as the float dtype they are computed in, checked.
std::vector<double> quantile_values(std::string_view op, const Array& q, DType& q_dtype) {
  if (q.ndim() > 1) throw ShapeError(std::string(op) + ": q must be 0-d or 1-D, got shape " + shape_to_string(q.shape()));
  if (!q.is_concrete())
    throw ConcretizationError(std::string(op) +
                              ": q must be concrete (the positions it selects are fixed when the function is traced); "
                              "got an abstract value of shape " + shape_to_string(q.shape()));
  q_dtype = is_floating(q.dtype()) ? q.dtype() : default_float;
  std::vector<double> values = q.to_vector<double>();
  for (double v : values)
    if (std::isnan(v)) throw ValueError(std::string(op) + ": q must not be NaN");
  return values;
}

Array quantile_impl(std::string_view op, const Array& x, const std::vector<double>& qs, DType q_dtype, bool q_vector,
                    const Axes& axes, std::string_view method, bool keepdims) {
  if (method != "linear" && method != "lower" && method != "higher" && method != "midpoint" && method != "nearest")
    throw ValueError(std::string(op) + ": method must be one of \"linear\", \"lower\", \"higher\", \"midpoint\", "
                     "\"nearest\", got \"" + std::string(method) + "\"");
  Array a = detail::promote_dtypes_inexact({x})[0];
  // Reduced axes become one trailing axis (all of them: the flattened array).
  Shape keep_shape;
  bool reshape_kept = false;
  int64_t axis = 0;
  if (axes.all()) {
    keep_shape.assign(a.ndim(), 1);
    reshape_kept = keepdims;
    a = numpy_detail::ravel(a);
  } else if (axes.list().size() == 1) {
    axis = detail::normalize_axis(axes.list()[0], a.ndim(), op);
  } else {
    const auto reduced = detail::normalize_axes(axes, a.ndim(), op);
    std::vector<int64_t> perm;
    Shape flat;
    int64_t along = 1;
    keep_shape = a.shape();
    for (int64_t d = 0; d < a.ndim(); ++d)
      if (!std::binary_search(reduced.begin(), reduced.end(), d)) {
        perm.push_back(d);
        flat.push_back(a.shape()[d]);
      }
    for (int64_t d : reduced) {
      perm.push_back(d);
      along *= a.shape()[d];
      keep_shape[d] = 1;
    }
    flat.push_back(along);
    reshape_kept = keepdims;
    a = reshape(transpose(a, perm), flat);
    axis = a.ndim() - 1;
  }
  const int64_t n = a.shape()[axis];
  if (n == 0)
    throw ShapeError(std::string(op) + ": cannot take a quantile over an empty axis (array of shape " +
                     shape_to_string(x.shape()) + ")");
  // One NaN makes the whole slice NaN, as jnp does before sorting.
  const Array nan_slice = any(isnan(a), axis, /*keepdims=*/true);
  a = where(nan_slice, std::numeric_limits<double>::quiet_NaN(), a);
  const Array sorted = lax::sort({a}, axis)[0];
  const bool keep_axis = keepdims && !reshape_kept && !axes.all() && axes.list().size() == 1;
  auto element = [&](int64_t i) {
    const Array s = slice_in_dim(sorted, i, i + 1, axis);
    return keep_axis || reshape_kept ? s : squeeze(s, axis);
  };

  std::vector<Array> results;
  for (double q : qs) {
    const Position p =
        q_dtype == float32 ? position(static_cast<float>(q), n) : position(q, n);
    Array r;
    if (method == "linear") {
      // Both weighted ends in q's dtype, then back to the array's (as jnp).
      const Array lo = detail::convert(element(p.low), q_dtype), hi = detail::convert(element(p.high), q_dtype);
      r = lo * detail::convert(Array(p.low_weight), q_dtype) + hi * detail::convert(Array(p.high_weight), q_dtype);
      r = detail::convert(r, a.dtype());
    } else if (method == "lower") {
      r = element(p.low);
    } else if (method == "higher") {
      r = element(p.high);
    } else if (method == "nearest") {
      r = element(p.high_weight <= 0.5 ? p.low : p.high);
    } else {  // midpoint, in the array's dtype
      r = (element(p.low) + element(p.high)) * detail::convert(Array(0.5), a.dtype());
    }
    results.push_back(r);
  }
  Array out;
  if (!q_vector) {
    out = results[0];
  } else if (results.empty()) {  // q of shape (0,)
    Shape shape = element(0).shape();
    shape.insert(shape.begin(), 0);
    out = zeros(shape, a.dtype());
  } else {
    out = stack(results, 0);
  }
  if (reshape_kept) {
    Shape shape = keep_shape;
    if (q_vector) shape.insert(shape.begin(), static_cast<int64_t>(qs.size()));
    out = reshape(out, shape);
  }
  return out;
}

}  // namespace

Array quantile(const Array& x, const Array& q, const Axes& axes, std::string_view method, bool keepdims) {
  DType q_dtype = float64;
  const std::vector<double> qs = quantile_values("quantile", q, q_dtype);
  return quantile_impl("quantile", x, qs, q_dtype, q.ndim() == 1, axes, method, keepdims);
}

Array percentile(const Array& x, const Array& q, const Axes& axes, std::string_view method, bool keepdims) {
  DType q_dtype = float64;
  std::vector<double> qs = quantile_values("percentile", q, q_dtype);
  // q / 100 in q's float dtype, rounded once as jnp's division is.
  for (double& v : qs)
    v = q_dtype == float32 ? static_cast<double>(static_cast<float>(v) / 100.0f) : v / 100.0;
  return quantile_impl("percentile", x, qs, q_dtype, q.ndim() == 1, axes, method, keepdims);
}

Array median(const Array& x, const Axes& axes, bool keepdims) {
  return quantile_impl("median", x, {0.5}, float64, false, axes, "midpoint", keepdims);
}

}  // namespace fluxion
