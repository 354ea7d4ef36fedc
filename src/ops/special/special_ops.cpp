// fx::lax's special functions and cumulative reductions (one primitive
// each, no promotion) and the jnp functions over them: fx::cumsum,
// fx::cumprod, fx::argmax, fx::argmin, fx::nextafter
// (jax/_src/numpy/reductions.py's _cumulative_reduction, lax_numpy.py's
// argmax).
#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/lax/special.hpp"
#include "ops/internal.hpp"
#include "primitives/special/family.hpp"

namespace fluxion {
namespace {

// A weakly typed operand (a C++ scalar) takes the other's dtype, as jax.lax
// lets a Python scalar meet an array; otherwise the primitive checks dtypes.
std::vector<Array> weak_to_other(const Array& a, const Array& b) {
  if (a.weak_type() && !b.weak_type()) return {detail::convert(a, b.dtype()), b};
  if (b.weak_type() && !a.weak_type()) return {a, detail::convert(b, a.dtype())};
  return {a, b};
}

Array cumulative(const Primitive& p, const Array& x, int64_t axis, bool reverse) {
  const int64_t a = detail::normalize_axis(axis, x.ndim(), p.name);
  return bind1(p, {x}, {{"axis", a}, {"reverse", reverse}});
}

Array arg_extremum(const Primitive& p, const Array& x, int64_t axis, DType index_dtype) {
  const int64_t a = detail::normalize_axis(axis, x.ndim(), p.name);
  return bind1(p, {x}, {{"axes", std::vector<int64_t>{a}}, {"index_dtype", index_dtype}});
}

// jnp's _cumulative_reduction: flattened without an axis; bools accumulate in
// the default int; an explicit bool dtype accumulates x != 0 and converts back.
Array jnp_cumulative(const char* name, const Primitive& p, const Array& x_in, std::optional<int64_t> axis,
                     std::optional<DType> dtype) {
  Array x = x_in;
  if (!axis || x.ndim() == 0) x = reshape(x, {x.size()});
  const int64_t a = detail::normalize_axis(axis.value_or(0), x.ndim(), name);
  DType result = x.dtype() == DType::bool_ ? default_int : x.dtype();
  DType computation = result;
  if (dtype == DType::bool_) {
    result = DType::bool_;
    computation = default_int;
    if (x.dtype() != DType::bool_) x = x != 0;
  } else if (dtype) {
    result = computation = *dtype;
  }
  const Array out = bind1(p, {detail::convert(x, computation)}, {{"axis", a}, {"reverse", false}});
  return detail::convert(out, result);
}

// jnp.argmax / argmin: flattened without an axis; the default int's indices.
Array jnp_arg_extremum(const char* name, const Primitive& p, const Array& x_in, std::optional<int64_t> axis,
                       bool keepdims) {
  Array x = axis ? x_in : reshape(x_in, {x_in.size()});
  const int64_t a = detail::normalize_axis(axis.value_or(0), x.ndim(), name);
  if (x.shape()[a] == 0)
    throw ValueError(std::string(name) + ": attempt to get " + name + " of an empty sequence (axis " +
                     std::to_string(a) + " of shape " + shape_to_string(x.shape()) + ")");
  Array out = bind1(p, {x}, {{"axes", std::vector<int64_t>{a}}, {"index_dtype", default_int}});
  if (!keepdims) return out;
  if (axis) return expand_dims(out, a);
  return reshape(out, Shape(static_cast<size_t>(x_in.ndim()), 1));
}

}  // namespace

namespace lax {

Array erf(const Array& x) { return bind1(prim::erf_p, {x}); }
Array erfc(const Array& x) { return bind1(prim::erfc_p, {x}); }
Array lgamma(const Array& x) { return bind1(prim::lgamma_p, {x}); }
Array digamma(const Array& x) { return bind1(prim::digamma_p, {x}); }
Array polygamma(const Array& m, const Array& x) { return bind1(prim::polygamma_p, weak_to_other(m, x)); }
Array nextafter(const Array& x1, const Array& x2) { return bind1(prim::nextafter_p, weak_to_other(x1, x2)); }

Array cumsum(const Array& operand, int64_t axis, bool reverse) {
  return cumulative(prim::cumsum_p, operand, axis, reverse);
}
Array cumprod(const Array& operand, int64_t axis, bool reverse) {
  return cumulative(prim::cumprod_p, operand, axis, reverse);
}
Array cummax(const Array& operand, int64_t axis, bool reverse) {
  return cumulative(prim::cummax_p, operand, axis, reverse);
}
Array cummin(const Array& operand, int64_t axis, bool reverse) {
  return cumulative(prim::cummin_p, operand, axis, reverse);
}

Array argmax(const Array& operand, int64_t axis, DType index_dtype) {
  return arg_extremum(prim::argmax_p, operand, axis, index_dtype);
}
Array argmin(const Array& operand, int64_t axis, DType index_dtype) {
  return arg_extremum(prim::argmin_p, operand, axis, index_dtype);
}

}  // namespace lax

Array cumsum(const Array& x, std::optional<int64_t> axis, std::optional<DType> dtype) {
  return jnp_cumulative("cumsum", prim::cumsum_p, x, axis, dtype);
}
Array cumprod(const Array& x, std::optional<int64_t> axis, std::optional<DType> dtype) {
  return jnp_cumulative("cumprod", prim::cumprod_p, x, axis, dtype);
}
Array argmax(const Array& x, std::optional<int64_t> axis, bool keepdims) {
  return jnp_arg_extremum("argmax", prim::argmax_p, x, axis, keepdims);
}
Array argmin(const Array& x, std::optional<int64_t> axis, bool keepdims) {
  return jnp_arg_extremum("argmin", prim::argmin_p, x, axis, keepdims);
}
Array nextafter(const Array& x1, const Array& x2) {
  const std::vector<Array> xs = detail::promote_shapes("nextafter", detail::promote_dtypes_inexact({x1, x2}));
  return bind1(prim::nextafter_p, {xs[0], xs[1]});
}

}  // namespace fluxion
