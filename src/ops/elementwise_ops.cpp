// Elementwise NumPy-style operations: promote dtypes and ranks, then bind.
#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "interpreters/interpreter.hpp"
#include "ops/internal.hpp"

namespace fluxion {
namespace detail {

TypedDType typed(const Array& x) { return {x.dtype(), x.weak_type()}; }

Array convert(const Array& x, DType dtype, bool weak) {
  if (x.dtype() == dtype && x.weak_type() == weak) return x;
  // A weak 0-d concrete value is a C++ scalar literal: convert it on the spot,
  // as JAX converts Python scalars with NumPy, so no transformation records it.
  if (x.weak_type() && x.ndim() == 0 && x.is_concrete()) {
    if (Array y = convert_scalar(x, dtype, weak); y.valid()) return y;
    const Params params{{"new_dtype", dtype}, {"weak_type", weak}};
    const Array in[] = {x};
    return eval_primitive(prim::convert_element_type_p, in, params)[0];
  }
  return bind1(prim::convert_element_type_p, {x}, {{"new_dtype", dtype}, {"weak_type", weak}});
}

Array scalar_like(const Array& x, double value) { return convert(Array(value), x.dtype(), x.weak_type()); }

std::vector<Array> promote_dtypes(std::vector<Array> xs) {
  std::vector<TypedDType> types;
  for (const Array& x : xs) types.push_back(typed(x));
  const TypedDType to = promote_types(types);
  for (Array& x : xs) x = convert(x, to.dtype, to.weak);
  return xs;
}

std::vector<Array> promote_dtypes_inexact(std::vector<Array> xs) {
  std::vector<TypedDType> types;
  for (const Array& x : xs) types.push_back(typed(x));
  const TypedDType to = to_inexact(promote_types(types));
  for (Array& x : xs) x = convert(x, to.dtype, to.weak);
  return xs;
}

std::vector<Array> promote_shapes(std::string_view op, std::vector<Array> xs) {
  Shape result;
  int64_t rank = -1;
  bool same_rank = true;
  for (const Array& x : xs) {
    result = broadcast_shapes(result, x.shape(), op);
    if (x.ndim() == 0) continue;
    if (rank >= 0 && x.ndim() != rank) same_rank = false;
    rank = x.ndim();
  }
  if (same_rank) return xs;  // equal ranks (or 0-d): the primitive broadcasts
  for (Array& x : xs) {
    const int64_t pad = static_cast<int64_t>(result.size()) - x.ndim();
    if (pad == 0) continue;
    Shape shape(static_cast<size_t>(pad), 1);
    shape.insert(shape.end(), x.shape().begin(), x.shape().end());
    std::vector<int64_t> dims;
    for (int64_t i = 0; i < x.ndim(); ++i) dims.push_back(pad + i);
    x = broadcast_in_dim(x, shape, dims);
  }
  return xs;
}

Array binary(std::string_view op, const Primitive& p, const Array& a, const Array& b) {
  // Fast path for the common cases (equal shapes, or a 0-d operand such as a
  // C++ scalar): promote the pair without building vectors.
  if (a.ndim() == 0 || b.ndim() == 0 || a.shape() == b.shape()) {
    const TypedDType to = promote_types(typed(a), typed(b));
    return bind1(p, {convert(a, to.dtype, to.weak), convert(b, to.dtype, to.weak)});
  }
  auto xs = promote_shapes(op, promote_dtypes({a, b}));
  return bind1(p, {xs[0], xs[1]});
}

Array broadcast_in_dim(const Array& x, const Shape& shape, const std::vector<int64_t>& dims) {
  if (x.shape() == shape) return x;
  return bind1(prim::broadcast_in_dim_p, {x}, {{"shape", shape}, {"broadcast_dimensions", dims}});
}

Array select_n(const Array& which, const std::vector<Array>& cases) {
  std::vector<Array> in{which};
  in.insert(in.end(), cases.begin(), cases.end());
  return bind1(prim::select_n_p, in);
}

}  // namespace detail

using detail::binary;
using detail::convert;
using detail::promote_dtypes_inexact;
using detail::scalar_like;

namespace {
// Float-only functions promote integers and bools to the default float first.
Array float_unary(const Primitive& p, const Array& x) {
  if (is_floating(x.dtype())) return bind1(p, {x});
  return bind1(p, {promote_dtypes_inexact({x})[0]});
}
Array float_binary(std::string_view op, const Primitive& p, const Array& a, const Array& b) {
  // As in binary(): the usual pairs (equal shapes, or a 0-d operand such as
  // the d of `x / d`) need no rank promotion, so promote without vectors.
  if (a.ndim() == 0 || b.ndim() == 0 || a.shape() == b.shape()) {
    const TypedDType to = to_inexact(promote_types(detail::typed(a), detail::typed(b)));
    return bind1(p, {convert(a, to.dtype, to.weak), convert(b, to.dtype, to.weak)});
  }
  auto xs = detail::promote_shapes(op, promote_dtypes_inexact({a, b}));
  return bind1(p, {xs[0], xs[1]});
}
// jnp's promote_args_numeric: booleans take part as the default int.
std::vector<Array> promote_numeric(std::string_view op, const Array& a, const Array& b) {
  auto xs = detail::promote_shapes(op, detail::promote_dtypes({a, b}));
  if (xs[0].dtype() == DType::bool_)
    for (Array& x : xs) x = convert(x, default_int, false);
  return xs;
}
void require_not_bool(std::string_view op, const Array& x, std::string_view hint) {
  if (x.dtype() == DType::bool_)
    throw TypeError(std::string(op) + ": boolean operands are not supported; " + std::string(hint));
}
}  // namespace

Array sin(const Array& x) { return float_unary(prim::sin_p, x); }
Array cos(const Array& x) { return float_unary(prim::cos_p, x); }
Array tan(const Array& x) { return float_unary(prim::tan_p, x); }
Array tanh(const Array& x) { return float_unary(prim::tanh_p, x); }
Array sinh(const Array& x) { return float_unary(prim::sinh_p, x); }
Array cosh(const Array& x) { return float_unary(prim::cosh_p, x); }
Array arcsin(const Array& x) { return float_unary(prim::asin_p, x); }
Array arccos(const Array& x) { return float_unary(prim::acos_p, x); }
Array arctan(const Array& x) { return float_unary(prim::atan_p, x); }
Array exp(const Array& x) { return float_unary(prim::exp_p, x); }
Array log(const Array& x) { return float_unary(prim::log_p, x); }
Array log1p(const Array& x) { return float_unary(prim::log1p_p, x); }
Array expm1(const Array& x) { return float_unary(prim::expm1_p, x); }
Array sqrt(const Array& x) { return float_unary(prim::sqrt_p, x); }
Array arctan2(const Array& y, const Array& x) { return float_binary("arctan2", prim::atan2_p, y, x); }

// floor/ceil of integers and bools is the identity, as in NumPy.
Array floor(const Array& x) { return is_floating(x.dtype()) ? bind1(prim::floor_p, {x}) : x; }
Array ceil(const Array& x) { return is_floating(x.dtype()) ? bind1(prim::ceil_p, {x}) : x; }

Array abs(const Array& x) {
  if (x.dtype() == DType::bool_ || is_unsigned_integer(x.dtype())) return x;
  return bind1(prim::abs_p, {x});
}
Array sign(const Array& x) {
  require_not_bool("sign", x, "convert with astype first");
  return bind1(prim::sign_p, {x});
}
Array square(const Array& x) {
  return bind1(prim::square_p, {x.dtype() == DType::bool_ ? convert(x, default_int, false) : x});
}
Array negative(const Array& x) {
  require_not_bool("negative", x, "use fx::logical_not for booleans");
  return bind1(prim::neg_p, {x});
}
Array isfinite(const Array& x) {
  if (!is_floating(x.dtype())) return full_like(x, true, DType::bool_);
  return bind1(prim::is_finite_p, {x});
}

Array integer_pow(const Array& x, int64_t n) {
  require_not_bool("integer_pow", x, "convert with astype first");
  return bind1(prim::integer_pow_p, {x}, {{"y", n}});
}
Array pow(const Array& x, double y) { return pow(x, Array(y)); }
Array pow(const Array& x, const Array& y) {
  auto xs = promote_numeric("pow", x, y);
  return bind1(prim::pow_p, {xs[0], xs[1]});
}
// jnp.float_power: pow after promotion to a floating dtype (NumPy's always
// computes in float64; JAX keeps float32 as float32, and so does Fluxion).
Array float_power(const Array& x, const Array& y) {
  auto xs = detail::promote_shapes("float_power", promote_dtypes_inexact({x, y}));
  return bind1(prim::pow_p, {xs[0], xs[1]});
}

// Boolean + and * are logical or / and, as in NumPy and jnp.
Array add(const Array& a, const Array& b) {
  if (a.dtype() == DType::bool_ && b.dtype() == DType::bool_) return binary("add", prim::or_p, a, b);
  return binary("add", prim::add_p, a, b);
}
Array subtract(const Array& a, const Array& b) {
  if (a.dtype() == DType::bool_ && b.dtype() == DType::bool_)
    throw TypeError("subtract: boolean subtract is not supported (as in NumPy); use operator^ "
                    "(exclusive or) or convert with astype first");
  return binary("subtract", prim::sub_p, a, b);
}
Array multiply(const Array& a, const Array& b) {
  if (a.dtype() == DType::bool_ && b.dtype() == DType::bool_) return binary("multiply", prim::and_p, a, b);
  return binary("multiply", prim::mul_p, a, b);
}
Array divide(const Array& a, const Array& b) { return float_binary("divide", prim::div_p, a, b); }

// floor_divide and remainder are built from truncating div/rem exactly as
// jnp.floor_divide / jnp.remainder build them (jax/_src/numpy/ufuncs.py).
Array floor_divide(const Array& a, const Array& b) {
  auto xs = promote_numeric("floor_divide", a, b);
  const Array& x = xs[0];
  const Array& y = xs[1];
  if (is_unsigned_integer(x.dtype())) return bind1(prim::div_p, {x, y});
  const Array zero = scalar_like(x, 0), one = scalar_like(x, 1);
  if (is_floating(x.dtype())) {
    const Array mod = bind1(prim::rem_p, {x, y});
    // x / 0 keeps its infinity: divide x itself, not x - mod (NaN), there.
    const Array numerator = where(equal(y, zero), x, bind1(prim::sub_p, {x, mod}));
    Array div = bind1(prim::div_p, {numerator, y});
    const Array fix = logical_and(not_equal(mod, zero), not_equal(sign(y), sign(mod)));
    div = where(fix, bind1(prim::sub_p, {div, one}), div);
    return bind1(prim::round_p, {div}, {{"rounding_method", int64_t{0}}});  // lax.round's default
  }
  const Array q = bind1(prim::div_p, {x, y});
  const Array fix = logical_and(not_equal(sign(x), sign(y)), not_equal(bind1(prim::rem_p, {x, y}), zero));
  return where(fix, bind1(prim::sub_p, {q, one}), q);
}

Array remainder(const Array& a, const Array& b) {
  auto xs = promote_numeric("remainder", a, b);
  const Array& x = xs[0];
  Array y = xs[1];
  const Array zero = scalar_like(x, 0);
  // An integer remainder by zero is 0, as in NumPy and jnp (which divide by 1 there).
  if (!is_floating(x.dtype())) y = where(equal(y, zero), scalar_like(y, 1), y);
  const Array r = bind1(prim::rem_p, {x, y});
  if (is_unsigned_integer(x.dtype())) return r;
  const Array fix = logical_and(not_equal(less(r, zero), less(y, zero)), not_equal(r, zero));
  return where(fix, bind1(prim::add_p, {r, y}), r);
}

Array maximum(const Array& a, const Array& b) { return binary("maximum", prim::max_p, a, b); }
Array minimum(const Array& a, const Array& b) { return binary("minimum", prim::min_p, a, b); }
Array equal(const Array& a, const Array& b) { return binary("equal", prim::eq_p, a, b); }
Array not_equal(const Array& a, const Array& b) { return binary("not_equal", prim::ne_p, a, b); }
Array less(const Array& a, const Array& b) { return binary("less", prim::lt_p, a, b); }
Array less_equal(const Array& a, const Array& b) { return binary("less_equal", prim::le_p, a, b); }
Array greater(const Array& a, const Array& b) { return binary("greater", prim::gt_p, a, b); }
Array greater_equal(const Array& a, const Array& b) { return binary("greater_equal", prim::ge_p, a, b); }

Array logical_and(const Array& a, const Array& b) {
  return binary("logical_and", prim::and_p, convert(a, DType::bool_), convert(b, DType::bool_));
}
Array logical_or(const Array& a, const Array& b) {
  return binary("logical_or", prim::or_p, convert(a, DType::bool_), convert(b, DType::bool_));
}
Array logical_not(const Array& x) { return bind1(prim::not_p, {convert(x, DType::bool_)}); }

Array where(const Array& cond, const Array& x, const Array& y) {
  auto vals = detail::promote_dtypes({x, y});
  auto xs = detail::promote_shapes("where", {convert(cond, DType::bool_), vals[0], vals[1]});
  // select_n takes cases of one shape and a 0-d or full-shape selector.
  const Shape shape = broadcast_shapes(broadcast_shapes(xs[0].shape(), xs[1].shape(), "where"),
                                       xs[2].shape(), "where");
  auto full = [&](const Array& v) {
    std::vector<int64_t> dims;
    for (int64_t i = 0; i < v.ndim(); ++i) dims.push_back(static_cast<int64_t>(shape.size()) - v.ndim() + i);
    return detail::broadcast_in_dim(v, shape, dims);
  };
  const Array c = xs[0].ndim() == 0 ? xs[0] : full(xs[0]);
  return detail::select_n(c, {full(xs[2]), full(xs[1])});
}

Array clip(const Array& x, const Array& lo, const Array& hi) { return minimum(maximum(x, lo), hi); }

Array stop_gradient(const Array& x) { return bind1(prim::stop_gradient_p, {x}); }

Array astype(const Array& x, DType dtype) { return convert(x, dtype, false); }

// --- operators ---
Array operator+(const Array& a, const Array& b) { return add(a, b); }
Array operator-(const Array& a, const Array& b) { return subtract(a, b); }
Array operator*(const Array& a, const Array& b) { return multiply(a, b); }
Array operator/(const Array& a, const Array& b) { return divide(a, b); }
Array operator-(const Array& a) { return negative(a); }
Array operator==(const Array& a, const Array& b) { return equal(a, b); }
Array operator!=(const Array& a, const Array& b) { return not_equal(a, b); }
Array operator<(const Array& a, const Array& b) { return less(a, b); }
Array operator<=(const Array& a, const Array& b) { return less_equal(a, b); }
Array operator>(const Array& a, const Array& b) { return greater(a, b); }
Array operator>=(const Array& a, const Array& b) { return greater_equal(a, b); }
Array operator!(const Array& a) {
  if (is_floating(a.dtype()))
    throw TypeError("operator!: not defined for floating dtype " + std::string(dtype_name(a.dtype())) +
                    "; compare explicitly, e.g. x == 0.0");
  return bind1(prim::not_p, {a});
}
Array operator&(const Array& a, const Array& b) { return binary("bitwise_and", prim::and_p, a, b); }
Array operator|(const Array& a, const Array& b) { return binary("bitwise_or", prim::or_p, a, b); }
Array operator^(const Array& a, const Array& b) { return binary("bitwise_xor", prim::xor_p, a, b); }
Array& operator+=(Array& a, const Array& b) { return a = a + b; }
Array& operator-=(Array& a, const Array& b) { return a = a - b; }
Array& operator*=(Array& a, const Array& b) { return a = a * b; }
Array& operator/=(Array& a, const Array& b) { return a = a / b; }

}  // namespace fluxion
