// Jaxpr-level optimisation passes that jit runs before code generation.
//
// Each pass rewrites the program in place and returns whether it changed it.
// All of them keep the program valid (every variable defined before it is
// used, constvars parallel to consts) and keep invars and outvars unchanged
// in number and types; an outvar may become another variable or a literal.
// Every rewrite is exact: the program computes the same bits for every input
// (-0.0, inf and NaN payloads included) as before, so jit gives what the
// eager interpreters give. (One caveat, as in every compiler that drops
// `x * 1.0`: a signalling NaN, which the multiplication would have quieted,
// stays signalling; arithmetic never makes one, only data from outside or a
// bit cast can.)
#pragma once

#include <cstdint>

#include "fluxion/jaxpr.hpp"

namespace fluxion::compiler {

// Results of at most this many elements (all outputs of an equation together)
// are computed at compile time; larger ones would cost more in memory traffic
// as constant buffers than recomputing them in the fused loop.
inline constexpr int64_t kMaxFoldedElements = 4096;

// Replaces every `pjit` equation by the equations of its program, recursively
// (fresh variables; the called programs' consts become constvars, one per
// distinct constant value). An argument whose weak_type differs from the
// parameter's (pjit accepts that) goes through a `convert_element_type` so
// every variable keeps the type it was traced with.
bool inline_calls(ClosedJaxpr& program);

// Common-subexpression elimination: of two equations with the same
// primitive, equal params (sub-programs by identity) and the same inputs
// (variables by id, literals by dtype, weak_type and bits), the second is
// dropped and its outputs renamed to the first's. Every primitive is pure
// (PRNG keys are explicit), so this holds for all of them.
bool eliminate_common_subexpressions(Jaxpr& jaxpr);

// Evaluates, now, each equation whose inputs are literals or concrete
// constvars and whose outputs hold at most kMaxFoldedElements elements: a 0-d
// result becomes a literal, a larger one a new constvar. Not folded: `pjit`
// (inline first), primitives without inputs (iota: a loop is cheaper than a
// buffer) and broadcast_in_dim (a broadcast scalar is free in a fused loop).
bool fold_constants(ClosedJaxpr& program);

// Arithmetic identities that hold bit for bit: `mul x 1`, `mul 1 x`,
// `div x 1`, `sub x 0` (+0.0 for floats), `add x 0` / `add 0 x` and the same
// for add_any (integer 0, or -0.0 for floats: x + 0.0 is +0.0 for x = -0.0,
// so `add x 0.0` stays), `integer_pow[y=1] x`, `neg (neg x)`. The constant
// may be a literal or a broadcast_in_dim of one (reshaped, squeezed or
// transposed since: still uniform). The output is renamed to x only when
// their types are identical (shape, dtype and weak_type). Copies (reshape to
// the same shape...) are forward_substitute's.
bool simplify_algebra(Jaxpr& jaxpr);

// Copy propagation: an equation that only copies its operand (a
// convert_element_type to the operand's own dtype and weak_type, a reshape,
// broadcast_in_dim or squeeze to its own shape, a transpose by the identity
// permutation) is dropped and its output renamed to the operand everywhere,
// outvars included.
bool forward_substitute(Jaxpr& jaxpr);

// Drops constvars that nothing reads, keeping consts parallel.
bool drop_unused_constvars(ClosedJaxpr& program);

// The pipeline: inline_calls, then {fold_constants, simplify_algebra,
// forward_substitute, eliminate_common_subexpressions, dead_code_elimination}
// until nothing changes (at most 8 rounds), then drop_unused_constvars.
void optimize(ClosedJaxpr& program);

}  // namespace fluxion::compiler
