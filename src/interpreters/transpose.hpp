// Transposition: runs a linear jaxpr backwards, from output cotangents to
// input cotangents, with each primitive's transpose rule. Together with the
// JVP interpreter recording a linear jaxpr this is reverse mode
// (linearize + transpose, as in JAX).
#pragma once

#include <span>
#include <vector>

#include "fluxion/jaxpr.hpp"

namespace fluxion::detail {

// Cotangents of `jaxpr`'s invars (empty handle = zero). The jaxpr must be
// linear in its invars; constvars take `consts`. Each backward equation is
// bound, so transposition itself can be differentiated or staged.
std::vector<Array> backward_pass(const Jaxpr& jaxpr, std::span<const Array> consts,
                                 std::span<const Array> cts_out);

// Sum of two cotangents, either of which may be the empty (zero) handle.
Array add_cotangents(const Array& a, const Array& b);

}  // namespace fluxion::detail
