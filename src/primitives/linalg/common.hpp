// Pieces the linalg primitives share: the checks of their shape rules, the
// batch loop of their kernels, and the matrix helpers their derivative rules
// are written with (jax/_src/lax/linalg.py's _T, _tril, _triu, eye,
// batch_matmul, _extract_diagonal, _construct_diagonal). The helpers bind
// primitives, so the rules built from them are differentiable and traceable
// again; operands are [..., m, n] with the leading axes as batch axes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "fluxion/primitive.hpp"

namespace fluxion::prim::linalg {

// Shape rule checks: floating dtype; rank >= 2 (and square when asked). The
// messages name the primitive, what it was given and what it expects.
void check_operand(const Primitive& p, const AbstractValue& a, bool square);
// The number of matrices in a [..., m, n] operand (the product of the batch extents).
int64_t batch_count(const Shape& shape);
// A copy of `shape` with its last two extents replaced.
Shape with_matrix(const Shape& shape, int64_t rows, int64_t cols);

// x with its last two axes swapped (_T).
Array mT(const Array& x);
// The lower (upper) triangle of each matrix on and below (above) diagonal k, zeros elsewhere.
Array tril(const Array& x, int64_t k = 0);
Array triu(const Array& x, int64_t k = 0);
// The rows x cols identity (ones on diagonal k) of x's dtype, broadcast to x's batch axes.
Array eye_like(const Array& x, int64_t rows, int64_t cols, int64_t k = 0);
// a @ b over equal batch axes (dot_general, as lax.batch_matmul).
Array matmul(const Array& a, const Array& b);
// [..., n, n] -> [..., n]: the diagonal; and back: v on the diagonal, zeros elsewhere.
Array diagonal(const Array& x);
Array diag_embed(const Array& v);
// Elements [start, stop) of `axis`.
Array slice_axis(const Array& x, int64_t axis, int64_t start, int64_t stop);
// lax.linalg.triangular_solve (conjugate_a is false: the dtypes are real).
Array triangular_solve(const Array& a, const Array& b, bool left_side, bool lower, bool transpose_a,
                       bool unit_diagonal);
// x[..., perm[i], :] for each row i, perm an int32 [..., m] permutation: a
// stable sort of the rows by the inverse permutation, so it is exact, linear in
// x (sort's rules transpose it) and needs no gather.
Array permute_rows(const Array& x, const Array& perm);

// Batching of a linalg primitive: every operand's batch axis goes to the
// front (unmapped ones are broadcast), where it is one more batch axis; every
// output's batch axis is 0.
BatchResult front_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                        const Params& params);

}  // namespace fluxion::prim::linalg
