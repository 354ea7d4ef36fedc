// Shared machinery of the NumPy-style layer: dtype promotion and rank
// promotion before binding primitives (jax/_src/numpy/util.py's role).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fluxion/ops.hpp"
#include "fluxion/primitive.hpp"
#include "primitives/primitives.hpp"

namespace fluxion::detail {

TypedDType typed(const Array& x);
// convert_element_type, skipped when x already has that dtype and weak flag.
Array convert(const Array& x, DType dtype, bool weak = false);
// Promotes to the common JAX dtype (and weak flag).
std::vector<Array> promote_dtypes(std::vector<Array> xs);
// Same, then floats only: integers and bools become the default float.
std::vector<Array> promote_dtypes_inexact(std::vector<Array> xs);
// Checks NumPy broadcast compatibility (ShapeError naming `op`) and brings
// operands of unequal non-zero rank to one rank with leading 1s, as jnp does;
// primitives broadcast the size-1 and 0-d operands themselves.
std::vector<Array> promote_shapes(std::string_view op, std::vector<Array> xs);

Array binary(std::string_view op, const Primitive& p, const Array& a, const Array& b);
Array broadcast_in_dim(const Array& x, const Shape& shape, const std::vector<int64_t>& dims);
Array select_n(const Array& which, const std::vector<Array>& cases);
// jax.lax.GatherScatterMode.from_any: "clip", "fill"/"drop",
// "promise_in_bounds"; empty gives `fallback`; anything else is an
// fx::ValueError naming `op`.
GatherScatterMode gather_scatter_mode(std::string_view op, const std::optional<std::string>& mode,
                                      GatherScatterMode fallback);
// A 0-d constant of x's dtype (for building formulas from primitives).
Array scalar_like(const Array& x, double value);

}  // namespace fluxion::detail
