#include "primitives/lax.hpp"

#include "core/shape_util.hpp"
#include "interpreters/interpreter.hpp"

namespace fluxion::lax {

Array add(const Array& a, const Array& b) { return bind1(prim::add_p, {a, b}); }
Array sub(const Array& a, const Array& b) { return bind1(prim::sub_p, {a, b}); }
Array mul(const Array& a, const Array& b) { return bind1(prim::mul_p, {a, b}); }
Array div(const Array& a, const Array& b) { return bind1(prim::div_p, {a, b}); }
Array neg(const Array& x) { return bind1(prim::neg_p, {x}); }
Array select(const Array& pred, const Array& on_true, const Array& on_false) {
  return bind1(prim::select_n_p, {pred, on_false, on_true});
}
Array convert(const Array& x, DType dtype) {
  if (x.dtype() == dtype && !x.weak_type()) return x;
  return bind1(prim::convert_element_type_p, {x}, {{"new_dtype", dtype}, {"weak_type", false}});
}
Array reduce_sum(const Array& x, const std::vector<int64_t>& axes) {
  if (axes.empty()) return x;
  return bind1(prim::reduce_sum_p, {x}, {{"axes", axes}});
}
Array broadcast_in_dim(const Array& x, const Shape& shape, const std::vector<int64_t>& dims) {
  if (x.shape() == shape) return x;
  return bind1(prim::broadcast_in_dim_p, {x}, {{"shape", shape}, {"broadcast_dimensions", dims}});
}
Array reshape(const Array& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  return bind1(prim::reshape_p, {x}, {{"new_sizes", shape}, {"dimensions", NoneParam{}}});
}
Array transpose(const Array& x, const std::vector<int64_t>& permutation) {
  bool identity = true;
  for (size_t i = 0; i < permutation.size(); ++i) identity = identity && permutation[i] == static_cast<int64_t>(i);
  if (identity) return x;
  return bind1(prim::transpose_p, {x}, {{"permutation", permutation}});
}

Array shift_left(const Array& x, const Array& amount) { return bind1(prim::shift_left_p, {x, amount}); }
Array shift_right_logical(const Array& x, const Array& amount) {
  return bind1(prim::shift_right_logical_p, {x, amount});
}
Array shift_right_arithmetic(const Array& x, const Array& amount) {
  return bind1(prim::shift_right_arithmetic_p, {x, amount});
}
Array bitcast_convert_type(const Array& x, DType new_dtype) {
  return bind1(prim::bitcast_convert_type_p, {x}, {{"new_dtype", new_dtype}});
}
Array erf_inv(const Array& x) { return bind1(prim::erf_inv_p, {x}); }
std::vector<Array> threefry2x32(const Array& k0, const Array& k1, const Array& x0, const Array& x1) {
  const Array in[] = {k0, k1, x0, x1};
  return fluxion::bind(prim::threefry2x32_p, in);
}
std::vector<Array> iota_2x32_shape(const Shape& shape) {
  return fluxion::bind(prim::iota_2x32_shape_p, {}, {{"shape", shape}});
}
std::vector<Array> sort(const std::vector<Array>& operands, int64_t dimension, int64_t num_keys) {
  return fluxion::bind(prim::sort_p, operands, {{"dimension", dimension}, {"is_stable", true}, {"num_keys", num_keys}});
}

namespace {
// A concrete 0-d constant, converted on the spot so that no transformation
// records the conversion (it is a literal, as a Python scalar is in JAX).
Array scalar(double value, DType dtype) {
  if (is_floating(dtype)) return detail::convert_scalar(Array(value), dtype, false);
  const Array in[] = {Array(value)};
  return detail::eval_primitive(prim::convert_element_type_p, in, {{"new_dtype", dtype}, {"weak_type", false}})[0];
}
}  // namespace

Array constant_like(const Array& x, double value) { return scalar(value, x.dtype()); }

Array zeros(const AbstractValue& aval) { return broadcast_in_dim(scalar(0.0, aval.dtype), aval.shape, {}); }

Array broadcast_to(const Array& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  if (x.ndim() == 0) return broadcast_in_dim(x, shape, {});
  std::vector<int64_t> dims;
  for (int64_t i = 0; i < x.ndim(); ++i) dims.push_back(i);
  return broadcast_in_dim(x, shape, dims);
}

Array unbroadcast(const Array& ct, const AbstractValue& aval) {
  if (ct.shape() == aval.shape) return ct;
  if (aval.shape.empty()) {
    std::vector<int64_t> all;
    for (int64_t i = 0; i < ct.ndim(); ++i) all.push_back(i);
    return reduce_sum(ct, all);
  }
  std::vector<int64_t> axes;
  for (size_t i = 0; i < aval.shape.size(); ++i)
    if (aval.shape[i] == 1 && ct.shape()[i] != 1) axes.push_back(static_cast<int64_t>(i));
  return lax::reshape(lax::reduce_sum(ct, axes), aval.shape);
}

Array add_tangents(const Array& a, const Array& b) {
  if (!a.valid()) return b;
  if (!b.valid()) return a;
  return bind1(prim::add_any_p, {a, b});
}

Array instantiate(const Array& t, const AbstractValue& aval) {
  return t.valid() ? t : zeros(AbstractValue{aval.shape, aval.dtype, false});
}

}  // namespace fluxion::lax
