// Keys, splitting and raw bits: jax/_src/random/threefry2x32.py's
// threefry_seed, threefry_split, threefry_fold_in and threefry_random_bits,
// written with primitives so that they trace and (later) batch like JAX's.
#include <atomic>
#include <limits>
#include <string>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "primitives/lax.hpp"
#include "random/internal.hpp"

namespace fluxion::random {
namespace {

std::atomic<bool> g_partitionable{true};
thread_local int t_override = -1;  // -1: none; else 0/1 from a scope

}  // namespace

bool threefry_partitionable() { return t_override >= 0 ? t_override == 1 : g_partitionable.load(); }
void set_threefry_partitionable(bool enabled) { g_partitionable.store(enabled); }

ThreefryPartitionableScope::ThreefryPartitionableScope(bool enabled) : previous_(t_override) {
  t_override = enabled ? 1 : 0;
}
ThreefryPartitionableScope::~ThreefryPartitionableScope() { t_override = previous_; }

namespace detail {

void check_key(std::string_view fn, const Array& key) {
  if (!key.valid()) throw Error(std::string(fn) + ": the key is an empty Array handle");
  if (key.dtype() != DType::uint32 || key.shape() != Shape{2})
    throw TypeError(std::string(fn) + ": expected a PRNG key, a uint32 array of shape (2,) from fx::random::key, "
                    "split or fold_in; got " + to_string(key.aval()) +
                    (key.ndim() > 1 && key.shape().back() == 2 && key.dtype() == DType::uint32
                         ? " (an array of keys: pass one row, or map over them)"
                         : ""));
}

void check_shape(std::string_view fn, const Shape& shape) {
  fluxion::detail::check_shape(shape, fn);
  int64_t size = 1;
  for (int64_t d : shape) {
    if (d != 0 && size > std::numeric_limits<int64_t>::max() / d)
      throw ShapeError(std::string(fn) + ": shape " + shape_to_string(shape) +
                       " has more elements than fit in an int64 (at most 2^63 - 1)");
    size *= d;
  }
}

void check_broadcasts_to(std::string_view fn, std::string_view what, const Shape& param, const Shape& shape) {
  bool ok = param.size() <= shape.size();
  for (size_t i = 0; ok && i < param.size(); ++i) {
    const int64_t p = param[param.size() - 1 - i], s = shape[shape.size() - 1 - i];
    ok = p == s || p == 1;
  }
  if (!ok)
    throw ShapeError(std::string(fn) + ": " + std::string(what) + " of shape " + shape_to_string(param) +
                     " must broadcast to the shape argument " + shape_to_string(shape) +
                     " without changing it");
}

std::pair<Array, Array> unpack(const Array& key) { return {key[0], key[1]}; }

namespace {

Array slice1d(const Array& x, int64_t start, int64_t limit) {
  return bind1(prim::slice_p, {x},
               {{"start_indices", std::vector<int64_t>{start}}, {"limit_indices", std::vector<int64_t>{limit}},
                {"strides", NoneParam{}}});
}

Array iota_u32(int64_t n) {
  return bind1(prim::iota_p, {}, {{"dtype", DType::uint32}, {"shape", Shape{n}}, {"dimension", int64_t{0}}});
}

// iota_2x32_shape, with JAX's special case for shape () (two 0-d zeros).
std::vector<Array> counters(const Shape& shape) {
  if (shape.empty()) return {constant<uint32_t>(0), constant<uint32_t>(0)};
  return lax::iota_2x32_shape(shape);
}

}  // namespace

Array threefry_2x32(const Array& key, const Array& count) {
  const auto [k1, k2] = unpack(key);
  const int64_t n = count.size();
  Array flat = lax::reshape(count, {n});
  const bool odd = n % 2 == 1;
  if (odd) flat = concatenate({flat, array_of<uint32_t>({0}, {1})});
  const int64_t half = (n + 1) / 2;
  const std::vector<Array> y = lax::threefry2x32(k1, k2, slice1d(flat, 0, half), slice1d(flat, half, 2 * half));
  Array out = concatenate({y[0], y[1]});
  if (odd) out = slice1d(out, 0, n);
  return lax::reshape(out, count.shape());
}

Array split_keys(const Array& key, const Shape& shape) {
  if (!threefry_partitionable()) {
    const int64_t num = fluxion::detail::shape_size(shape);
    Shape out_shape = shape;
    out_shape.push_back(2);
    return lax::reshape(threefry_2x32(key, iota_u32(2 * num)), out_shape);
  }
  const auto [k1, k2] = unpack(key);
  const std::vector<Array> c = counters(shape);
  const std::vector<Array> b = lax::threefry2x32(k1, k2, c[0], c[1]);
  return stack({b[0], b[1]}, static_cast<int64_t>(shape.size()));
}

Array random_bits(const Array& key, int bit_width, const Shape& shape) {
  const DType dtype = bit_width == 64 ? DType::uint64 : DType::uint32;
  if (threefry_partitionable()) {
    const auto [k1, k2] = unpack(key);
    const std::vector<Array> c = counters(shape);
    const std::vector<Array> b = lax::threefry2x32(k1, k2, c[0], c[1]);
    if (bit_width == 32) return bind1(prim::xor_p, {b[0], b[1]});
    const Array hi = lax::shift_left(lax::convert(b[0], dtype), constant<uint64_t>(32));
    return bind1(prim::or_p, {hi, lax::convert(b[1], dtype)});
  }
  // The original scheme hashes the counters 0 .. max_count-1, where
  // max_count is the number of 32-bit words; past 2^32 - 1 words it moves
  // on to subkeys, one per block of 2^32 - 1.
  const int64_t size = fluxion::detail::shape_size(shape);
  const int64_t max_count = bit_width == 64 ? 2 * size : size;
  constexpr int64_t kBlock = std::numeric_limits<uint32_t>::max();
  const int64_t nblocks = max_count / kBlock, rem = max_count % kBlock;
  Array bits;
  if (nblocks == 0) {
    bits = threefry_2x32(key, iota_u32(rem));
  } else {
    const Array keys = split_keys(key, {nblocks + 1});
    std::vector<Array> parts;
    for (int64_t i = 0; i < nblocks; ++i) parts.push_back(threefry_2x32(keys[i], iota_u32(kBlock)));
    parts.push_back(threefry_2x32(keys[nblocks], iota_u32(rem)));
    bits = concatenate(parts);
  }
  if (bit_width == 64) {
    const Array hi = lax::convert(slice1d(bits, 0, size), dtype);
    const Array lo = lax::convert(slice1d(bits, size, 2 * size), dtype);
    bits = bind1(prim::or_p, {lax::shift_left(hi, constant<uint64_t>(32)), lo});
  }
  return lax::reshape(bits, shape);
}

}  // namespace detail

Array key(const Array& seed) {
  if (!seed.valid()) throw Error("key: the seed is an empty Array handle");
  if (seed.ndim() != 0 || !is_integer(seed.dtype()))
    throw TypeError("key: the seed must be an integer scalar, got " + to_string(seed.aval()) +
                    " (map over seeds to make several keys)");
  // jax's _threefry_seed: the high word is a logical shift (0 for 32-bit
  // seeds, by XLA's shift semantics), the low word the seed's low 32 bits.
  const Array k1 = lax::convert(lax::shift_right_logical(seed, lax::constant_like(seed, 32)), DType::uint32);
  const Array k2 = lax::convert(seed & detail::constant<uint32_t>(0xFFFFFFFFu), DType::uint32);
  return concatenate({expand_dims(k1, 0), expand_dims(k2, 0)});
}

Array key(int64_t seed) { return key(detail::constant<int64_t>(seed)); }

Array split(const Array& key, const Shape& shape) {
  detail::check_key("split", key);
  detail::check_shape("split", shape);
  return detail::split_keys(key, shape);
}

Array split(const Array& key, int64_t num) {
  if (num < 0) throw ShapeError("split: the number of keys must be >= 0, got " + std::to_string(num));
  return random::split(key, Shape{num});
}

Array fold_in(const Array& key, const Array& data) {
  detail::check_key("fold_in", key);
  if (!data.valid() || data.ndim() != 0 || !is_integer(data.dtype()))
    throw TypeError("fold_in: data must be an integer scalar, got " +
                    (data.valid() ? to_string(data.aval()) : std::string("an empty Array handle")) +
                    " (map over the data to fold in several values)");
  // threefry_fold_in: hash the counter pair threefry_seed(data) = (0, data).
  return detail::threefry_2x32(key, fluxion::random::key(lax::convert(data, DType::uint32)));
}

Array bits(const Array& key, const Shape& shape, DType dtype) {
  detail::check_key("bits", key);
  detail::check_shape("bits", shape);
  if (dtype != DType::uint32 && dtype != DType::uint64)
    throw TypeError("bits: dtype must be an unsigned integer dtype (uint32 or uint64), got " +
                    std::string(dtype_name(dtype)));
  return detail::random_bits(key, dtype == DType::uint64 ? 64 : 32, shape);
}

}  // namespace fluxion::random
