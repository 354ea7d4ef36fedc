// jax.lax-style helpers for writing rules: thin binds without NumPy
// promotion (operands already agree), plus the broadcasting bookkeeping that
// derivative rules need. Every helper binds primitives, so rules written with
// them are themselves differentiable and traceable.
#pragma once

#include <vector>

#include "fluxion/primitive.hpp"
#include "primitives/primitives.hpp"

namespace fluxion::lax {

Array add(const Array& a, const Array& b);
Array sub(const Array& a, const Array& b);
Array mul(const Array& a, const Array& b);
Array div(const Array& a, const Array& b);
Array neg(const Array& x);
Array select(const Array& pred, const Array& on_true, const Array& on_false);
Array convert(const Array& x, DType dtype);
Array reduce_sum(const Array& x, const std::vector<int64_t>& axes);
Array broadcast_in_dim(const Array& x, const Shape& shape, const std::vector<int64_t>& dims);
Array reshape(const Array& x, const Shape& shape);
Array transpose(const Array& x, const std::vector<int64_t>& permutation);

// Bit-level and PRNG primitives (jax.lax names).
Array shift_left(const Array& x, const Array& amount);
Array shift_right_logical(const Array& x, const Array& amount);
Array shift_right_arithmetic(const Array& x, const Array& amount);
Array bitcast_convert_type(const Array& x, DType new_dtype);
Array erf_inv(const Array& x);
// Threefry-2x32 of the counters (x0, x1) under the key (k0, k1): {y0, y1}.
std::vector<Array> threefry2x32(const Array& k0, const Array& k1, const Array& x0, const Array& x1);
// {hi, lo} words of the row-major flat index of each element of `shape`.
std::vector<Array> iota_2x32_shape(const Shape& shape);
// Sorts all operands along `dimension` by the first `num_keys` (stable).
std::vector<Array> sort(const std::vector<Array>& operands, int64_t dimension, int64_t num_keys = 1);

// A 0-d constant of x's dtype (strongly typed), as JAX's _const(x, v).
Array constant_like(const Array& x, double value);
Array zeros(const AbstractValue& aval);

// x broadcast to `shape` when it is 0-d or has size-1 extents there.
Array broadcast_to(const Array& x, const Shape& shape);
// Sums ct down to `aval`'s shape: the transpose of implicit broadcasting.
Array unbroadcast(const Array& ct, const AbstractValue& aval);

// Sum of two tangents or cotangents, either possibly the empty (zero) handle.
Array add_tangents(const Array& a, const Array& b);
// A materialised zero for an empty (zero) tangent of a value of type `aval`.
Array instantiate(const Array& t, const AbstractValue& aval);

}  // namespace fluxion::lax
