/// \file
/// jax.lax's functions, with jax.lax's names and signatures: the primitives
/// themselves, for code that wants exactly one primitive per call (no dtype
/// promotion, no broadcasting of operands). The special functions and
/// cumulative reductions are in lax/special.hpp, linear algebra
/// (jax.lax.linalg) in lax/linalg.hpp; both are included here.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "fluxion/array.hpp"
#include "fluxion/lax/linalg.hpp"
#include "fluxion/lax/special.hpp"

namespace fluxion::lax {

/// lax.slice: elements start_indices[d], + strides[d], ... below
/// limit_indices[d] along each dimension d (strides omitted: 1). Indices are
/// not clamped: out of range is an fx::ShapeError, as in JAX.
Array slice(const Array& x, const std::vector<int64_t>& start_indices, const std::vector<int64_t>& limit_indices,
            const std::optional<std::vector<int64_t>>& strides = std::nullopt);

}  // namespace fluxion::lax
