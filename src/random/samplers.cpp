// The samplers of jax/_src/random/core.py, step for step (same primitives,
// same constants, same order), so the values are JAX's.
#include <cmath>
#include <limits>
#include <string>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "primitives/lax.hpp"
#include "random/internal.hpp"

namespace fluxion::random {
namespace {

using detail::constant;

void check_float_dtype(std::string_view fn, DType dtype) {
  if (!is_floating(dtype))
    throw TypeError(std::string(fn) + ": dtype must be a floating dtype (float32 or float64), got " +
                    std::string(dtype_name(dtype)));
}

// lax.broadcast_to_rank: leading 1s up to `rank` (elementwise primitives
// broadcast size-1 extents themselves).
Array broadcast_to_rank(const Array& x, size_t rank) {
  if (static_cast<size_t>(x.ndim()) >= rank) return x;
  Shape shape(rank - static_cast<size_t>(x.ndim()), 1);
  shape.insert(shape.end(), x.shape().begin(), x.shape().end());
  return lax::reshape(x, shape);
}

Array bits_of_one(DType dtype) {
  if (dtype == DType::float64) return constant<uint64_t>(0x3FF0000000000000ull);  // 1.0's bits
  return constant<uint32_t>(0x3F800000u);
}

Array float_constant(double value, DType dtype) {
  if (dtype == DType::float64) return constant<double>(value);
  return constant<float>(static_cast<float>(value));
}

// jnp.clip(x, lo, hi): maximum then minimum (lo, hi 0-d of x's dtype).
Array clip_to(const Array& x, const Array& lo, const Array& hi) {
  return bind1(prim::min_p, {bind1(prim::max_p, {x, lo}), hi});
}

// A 0-d integer constant of `dtype` holding `value` (exact for every int dtype).
template <class V> Array int_constant(V value, DType dtype) {
  return visit_dtype(dtype, [&]<class T>() -> Array {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) return constant<T>(static_cast<T>(value));
    else throw Error("int_constant: not an integer dtype");
  });
}

// jax's _convert_and_clip_integer: val in `dtype`, clipped to the values
// both types can hold rather than wrapped.
Array convert_and_clip_integer(const Array& val, DType dtype) {
  const auto bounds = [](DType t) {
    return visit_dtype(t, [&]<class T>() -> std::pair<__int128, __int128> {
      return {static_cast<__int128>(std::numeric_limits<T>::min()), static_cast<__int128>(std::numeric_limits<T>::max())};
    });
  };
  const auto [to_min, to_max] = bounds(dtype);
  const auto [from_min, from_max] = bounds(val.dtype());
  const Array lo = int_constant(std::max(to_min, from_min), val.dtype());
  const Array hi = int_constant(std::min(to_max, from_max), val.dtype());
  return lax::convert(clip_to(lax::convert(val, val.dtype()), lo, hi), dtype);
}

// Fisher-Yates would be sequential; JAX sorts by fresh random 32-bit keys,
// repeating until collisions are unlikely (tjablin's static round count).
Array shuffle(Array key, Array x, int64_t axis) {
  const double size = static_cast<double>(std::max<int64_t>(1, x.size()));
  const int rounds = static_cast<int>(std::ceil(3.0 * std::log(size) / std::log(4294967295.0)));
  for (int r = 0; r < rounds; ++r) {
    const Array keys = detail::split_keys(key, {2});
    key = keys[0];
    const Array sort_keys = detail::random_bits(keys[1], 32, x.shape());
    x = lax::sort({sort_keys, x}, axis)[1];
  }
  return x;
}

}  // namespace

Array uniform(const Array& key, const Shape& shape, DType dtype, const Array& minval, const Array& maxval) {
  detail::check_key("uniform", key);
  detail::check_shape("uniform", shape);
  check_float_dtype("uniform", dtype);
  detail::check_broadcasts_to("uniform", "minval", minval.shape(), shape);
  detail::check_broadcasts_to("uniform", "maxval", maxval.shape(), shape);
  const Array lo = broadcast_to_rank(lax::convert(minval, dtype), shape.size());
  const Array hi = broadcast_to_rank(lax::convert(maxval, dtype), shape.size());
  const int nbits = dtype == DType::float64 ? 64 : 32, nmant = dtype == DType::float64 ? 52 : 23;
  const Array bits = detail::random_bits(key, nbits, shape);
  // The top nmant bits become the mantissa of a float in [1, 2); minus 1 is
  // exact, giving multiples of 2^-nmant in [0, 1).
  const Array shift = nbits == 64 ? constant<uint64_t>(nbits - nmant) : constant<uint32_t>(nbits - nmant);
  const Array float_bits = bind1(prim::or_p, {lax::shift_right_logical(bits, shift), bits_of_one(dtype)});
  const Array floats = lax::sub(lax::bitcast_convert_type(float_bits, dtype), float_constant(1.0, dtype));
  const Array scaled = lax::add(lax::mul(floats, lax::sub(hi, lo)), lo);
  return bind1(prim::max_p, {lo, lax::reshape(scaled, shape)});
}

Array normal(const Array& key, const Shape& shape, DType dtype) {
  detail::check_key("normal", key);
  detail::check_shape("normal", shape);
  check_float_dtype("normal", dtype);
  // u in (-1, 1): erf_inv(-1) would be -inf.
  const double lo = dtype == DType::float64 ? std::nextafter(-1.0, 0.0) : std::nextafter(-1.0f, 0.0f);
  const Array u = uniform(key, shape, dtype, float_constant(lo, dtype), float_constant(1.0, dtype));
  return lax::mul(float_constant(std::sqrt(2.0), dtype), lax::erf_inv(u));
}

Array exponential(const Array& key, const Shape& shape, DType dtype) {
  detail::check_key("exponential", key);
  detail::check_shape("exponential", shape);
  check_float_dtype("exponential", dtype);
  const Array u = uniform(key, shape, dtype);
  // 1 - u moves log's domain to (0, 1].
  return lax::neg(bind1(prim::log1p_p, {lax::neg(u)}));
}

Array bernoulli(const Array& key, const Array& p, std::optional<Shape> shape, bool high_precision) {
  detail::check_key("bernoulli", key);
  if (!is_floating(p.dtype()))
    throw TypeError("bernoulli: the probability p must have a floating dtype, got " + to_string(p.aval()));
  if (shape) {
    detail::check_shape("bernoulli", *shape);
    detail::check_broadcasts_to("bernoulli", "p", p.shape(), *shape);
  }
  const Shape out_shape = shape ? *shape : p.shape();
  const DType dtype = p.dtype();
  const Array prob = lax::convert(p, dtype);
  if (!high_precision) return less(uniform(key, out_shape, dtype), prob);
  Shape two = out_shape;
  two.insert(two.begin(), 2);
  const Array u = uniform(key, two, dtype);
  const int nmant = dtype == DType::float64 ? 52 : 23;
  // u2's resolution is 2^-nmant, so u1 + u2 * 2^-nmant resolves p far below it.
  const Array u2 = lax::mul(u[1], float_constant(std::ldexp(1.0, -nmant), dtype));
  return less(u2, subtract(prob, u[0]));
}

Array randint(const Array& key, const Shape& shape, const Array& minval, const Array& maxval, DType dtype) {
  detail::check_key("randint", key);
  detail::check_shape("randint", shape);
  if (!is_integer(dtype))
    throw TypeError("randint: dtype must be an integer dtype, got " + std::string(dtype_name(dtype)));
  detail::check_broadcasts_to("randint", "minval", minval.shape(), shape);
  detail::check_broadcasts_to("randint", "maxval", maxval.shape(), shape);
  // Non-integer bounds become integers first (jnp's astype(int); int64 here,
  // which holds every bound any dtype accepts).
  Array lo_in = is_integer(minval.dtype()) ? minval : astype(minval, DType::int64);
  Array hi_in = is_integer(maxval.dtype()) ? maxval : astype(maxval, DType::int64);
  if (lo_in.is_concrete() && hi_in.is_concrete()) {
    // An empty range is almost always a bug; JAX silently returns minval.
    if (any(less_equal(hi_in, lo_in)).item<bool>())
      throw Error("randint: empty range: maxval must be greater than minval everywhere, got minval " +
                  to_string(lo_in) + " and maxval " + to_string(hi_in));
  }
  // Flags maxval above dtype's maximum (randint(k, s, 0, 256, uint8) in JAX),
  // where the span must be one larger.
  const Array dtype_max = int_constant(
      visit_dtype(dtype, [&]<class T>() { return static_cast<__int128>(std::numeric_limits<T>::max()); }), dtype);
  const Array maxval_out_of_range = bind1(prim::gt_p, {hi_in, convert_and_clip_integer(dtype_max, hi_in.dtype())});
  const Array lo = broadcast_to_rank(convert_and_clip_integer(lo_in, dtype), shape.size());
  const Array hi = broadcast_to_rank(convert_and_clip_integer(hi_in, dtype), shape.size());
  const int nbits = static_cast<int>(itemsize(dtype) * 8);

  // Twice the bits a value needs, to reduce the modulo bias.
  const Array keys = detail::split_keys(key, {2});
  const Array higher_bits = detail::random_bits(keys[0], nbits, shape);
  const Array lower_bits = detail::random_bits(keys[1], nbits, shape);

  const DType unsigned_dtype = nbits == 64 ? DType::uint64 : DType::uint32;
  Array span = lax::convert(lax::sub(hi, lo), unsigned_dtype);
  // span = 1 where maxval <= minval, so minval comes out (jax issue #222).
  const Array one = int_constant(1, unsigned_dtype);
  const Array empty = bind1(prim::le_p, {hi, lo});
  span = lax::select(empty, lax::broadcast_to(one, span.shape()), span);
  const Array widen = logical_and(maxval_out_of_range, bind1(prim::gt_p, {hi, lo}));
  span = where(widen, lax::add(span, one), span);

  // (a * b) % N = ((a % N) * (b % N)) % N, with a * 2^nbits for the high word.
  Array multiplier = bind1(prim::rem_p, {int_constant(uint64_t{1} << (nbits / 2), unsigned_dtype), span});
  multiplier = bind1(prim::rem_p, {lax::mul(multiplier, multiplier), span});
  Array offset = lax::add(lax::mul(bind1(prim::rem_p, {higher_bits, span}), multiplier),
                          bind1(prim::rem_p, {lower_bits, span}));
  offset = bind1(prim::rem_p, {offset, span});
  return lax::add(lo, lax::convert(offset, dtype));
}

Array permutation(const Array& key, int64_t n) {
  detail::check_key("permutation", key);
  if (n < 0) throw ShapeError("permutation: n must be >= 0, got " + std::to_string(n));
  return shuffle(key, arange(n), 0);
}

Array permutation(const Array& key, const Array& x, int64_t axis, bool independent) {
  detail::check_key("permutation", key);
  if (x.ndim() == 0) {
    if (!is_integer(x.dtype()))
      throw TypeError("permutation: x must be an integer or an array of at least one dimension, got " +
                      to_string(x.aval()));
    return permutation(key, x.item<int64_t>());
  }
  axis = fluxion::detail::normalize_axis(axis, x.ndim(), "permutation");
  if (independent || x.ndim() == 1) return shuffle(key, x, axis);
  // JAX gathers x[ind] along the axis with ind a shuffled arange. Sorting x
  // by the inverse permutation (inv[ind[i]] = i) moves the same slices to
  // the same places with the sort primitive alone.
  const int64_t n = x.shape()[axis];
  const Array ind = shuffle(key, arange(n), 0);
  const Array inverse = lax::sort({ind, arange(n)}, 0)[1];
  Shape along(static_cast<size_t>(x.ndim()), 1);
  along[axis] = n;
  const Array sort_keys = broadcast_to(reshape(inverse, along), x.shape());
  return lax::sort({sort_keys, x}, axis)[1];
}

}  // namespace fluxion::random
