// Shared by the key functions and the samplers: argument checks, typed
// constants and the bit generator (jax/_src/random/threefry2x32.py's role).
#pragma once

#include <string_view>
#include <utility>

#include "fluxion/ops.hpp"
#include "fluxion/random.hpp"

namespace fluxion::random::detail {

// fx::TypeError naming `fn` unless `key` is a uint32 array of shape (2,).
void check_key(std::string_view fn, const Array& key);
// fx::ShapeError naming `fn` for negative extents, too high a rank, or more
// elements than an int64 can count.
void check_shape(std::string_view fn, const Shape& shape);
// fx::ShapeError unless `param` broadcasts to `shape` without changing it
// (jax.random's _check_shape).
void check_broadcasts_to(std::string_view fn, std::string_view what, const Shape& param, const Shape& shape);

// A 0-d constant of the given dtype, from the exact bits of `value`.
template <class T> Array constant(T value) { return array_of<T>({value}, {}); }

// The key's two words, as `k1, k2 = key` traces in JAX (slice + squeeze).
std::pair<Array, Array> unpack(const Array& key);

// JAX's threefry_2x32(key, count): the original scheme's hash of a uint32
// counter array (split in two halves, padded to even length).
Array threefry_2x32(const Array& key, const Array& count);
// Keys of shape (*shape, 2) under the current scheme (no argument checks).
Array split_keys(const Array& key, const Shape& shape);
// Uniform bits of 32 or 64 bits per element under the current scheme.
Array random_bits(const Array& key, int bit_width, const Shape& shape);

}  // namespace fluxion::random::detail
