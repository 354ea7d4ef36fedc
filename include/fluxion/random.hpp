/// @file
/// `fx::random`: JAX's counter-based random numbers (jax.random), bit for bit.
///
/// A key is a uint32 array of shape (2,) (JAX's raw PRNGKey). Functions never
/// modify a key; split or fold_in to get new ones. Every sampler is built from
/// primitives (threefry2x32, shifts, bit casts, erf_inv, ...), so samplers
/// compose with grad, make_jaxpr and the transformations to come, and keys and
/// bounds may be traced values.
///
/// With the same key, shape and dtype, results equal JAX >= 0.5's defaults
/// (jax_threefry_partitionable=True, jax_enable_x64 for 64-bit types). The
/// pre-0.5 counter scheme is one setting away (set_threefry_partitionable).
/// [docs/NUMERICS.md](docs/NUMERICS.md) lists the few cases where a last-ulp
/// difference remains.
#pragma once

#include <cstdint>
#include <optional>

#include "fluxion/array.hpp"

namespace fluxion::random {

/// @name The counter scheme
/// JAX's jax_threefry_partitionable flag.
/// @{

/// true (the default, JAX >= 0.5): element i of a draw hashes the 64-bit
/// counter i; split(k, n)[i] == fold_in(k, i). false: JAX's original scheme
/// (counters 0..n-1 split in two halves), needed to reproduce older results.
bool threefry_partitionable();
/// Sets the process-wide default (jax.config.update("jax_threefry_partitionable", ...)).
void set_threefry_partitionable(bool enabled);
/// Overrides the setting for the current thread while in scope, like
/// `with jax.threefry_partitionable(False):`.
class ThreefryPartitionableScope {
 public:
  explicit ThreefryPartitionableScope(bool enabled);
  ~ThreefryPartitionableScope();
  ThreefryPartitionableScope(const ThreefryPartitionableScope&) = delete;
  ThreefryPartitionableScope& operator=(const ThreefryPartitionableScope&) = delete;

 private:
  int previous_;
};
/// @}

/// @name Keys
/// @{

/// [seed >> 32, seed & 0xFFFFFFFF] of the seed as a 64-bit integer; an int32 or
/// uint32 Array seed gives [0, seed's 32 bits], as in JAX.
Array key(int64_t seed);
Array key(const Array& seed);
inline Array PRNGKey(int64_t seed) { return key(seed); }
inline Array PRNGKey(const Array& seed) { return key(seed); }

/// `num` new keys as a uint32 array (num, 2); row i is a key. With a shape,
/// keys of shape (*shape, 2).
Array split(const Array& key, int64_t num = 2);
Array split(const Array& key, const Shape& shape);
/// A new key from `data` (an integer scalar, taken modulo 2^32).
Array fold_in(const Array& key, const Array& data);
/// @}

/// @name Samplers
/// Shape () gives a 0-d array.
/// @{

/// Uniform random bits: uint32 or uint64 (JAX's uint8/uint16 have no Fluxion dtype).
Array bits(const Array& key, const Shape& shape = {}, DType dtype = uint32);
/// Uniform in [minval, maxval); bounds broadcast against `shape`.
Array uniform(const Array& key, const Shape& shape = {}, DType dtype = float64, const Array& minval = 0.0,
              const Array& maxval = 1.0);
/// Standard normal (sqrt(2) * erf_inv of a uniform in (-1, 1)).
Array normal(const Array& key, const Shape& shape = {}, DType dtype = float64);
/// Uniform integers in [minval, maxval). An empty range (maxval <= minval) is an
/// fx::Error when the bounds are known; traced bounds give minval there, as JAX.
Array randint(const Array& key, const Shape& shape, const Array& minval, const Array& maxval, DType dtype = int32);
/// True with probability p (a floating scalar or array); the shape defaults to p's.
/// `high_precision` is JAX's mode="high": two uniforms, correct for tiny p.
Array bernoulli(const Array& key, const Array& p = 0.5, std::optional<Shape> shape = std::nullopt,
                bool high_precision = false);
/// Exponential with rate 1: -log1p(-u).
Array exponential(const Array& key, const Shape& shape = {}, DType dtype = float64);
/// A random permutation of arange(n) (int32), or of x along `axis`; with
/// `independent`, every slice along `axis` is shuffled separately.
Array permutation(const Array& key, int64_t n);
Array permutation(const Array& key, const Array& x, int64_t axis = 0, bool independent = false);
/// @}

}  // namespace fluxion::random
