/// \file
/// jax.lax.linalg: the linear-algebra primitives (cholesky, triangular_solve,
/// lu, qr, eigh, svd), one primitive per call, through LAPACK (OpenBLAS).
/// Operands are floating arrays of shape [..., m, n]: the leading axes are
/// batch axes. Every function is differentiable (JAX's rules, forward and
/// reverse, to any order), batchable and compiled by fx::jit.
#pragma once

#include <tuple>
#include <utility>

#include "fluxion/array.hpp"

namespace fluxion::lax::linalg {

/// lax.linalg.cholesky: the lower Cholesky factor L of each symmetric
/// positive-definite matrix (A = L L^T). With `symmetrize_input` the operand
/// is first replaced by (x + x^T) / 2; otherwise only its lower triangle is
/// read. A matrix that is not positive definite gives a matrix of NaNs, as in
/// JAX. fx::TypeError for integer operands, fx::ShapeError for non-square ones.
Array cholesky(const Array& x, bool symmetrize_input = true);

/// lax.linalg.triangular_solve: X with op(a) X = b (`left_side`) or
/// X op(a) = b, where op(a) is a or a^T (`transpose_a`) and only a's lower
/// (`lower`) or upper triangle is read (its diagonal taken as ones when
/// `unit_diagonal`). a is [..., m, m] and b [..., m, n] (left side) or
/// [..., n, m], with the same batch axes; b of rank one less than a is a
/// vector (JAX's "singleton" case). `conjugate_a` has no effect on real
/// arrays. A zero on a's diagonal gives infinities or NaNs.
Array triangular_solve(const Array& a, const Array& b, bool left_side = false, bool lower = false,
                       bool transpose_a = false, bool conjugate_a = false, bool unit_diagonal = false);

/// lax.linalg.lu: LU decomposition with partial pivoting, P A = L U, of each
/// [..., m, n] matrix. Returns (lu, pivots, permutation): `lu` holds L's
/// strict lower triangle (its unit diagonal implied) and U; `pivots`
/// (int32 [..., min(m, n)]) the row swaps, 0-based; `permutation`
/// (int32 [..., m]) P as the row order of A. Singular matrices are factored
/// all the same (a zero on U's diagonal).
std::tuple<Array, Array, Array> lu(const Array& x);

/// lax.linalg.qr: (q, r) with x = q r, q orthogonal and r upper triangular;
/// q is [..., m, m] and r [..., m, n] with `full_matrices`, otherwise
/// [..., m, k] and [..., k, n], k = min(m, n). The derivative of
/// full_matrices with m > n is not implemented (fx::Error).
std::pair<Array, Array> qr(const Array& x, bool full_matrices = true);

/// lax.linalg.eigh: (v, w), the eigenvectors (columns of v) and eigenvalues
/// (ascending) of each symmetric matrix. With `symmetrize_input` the operand
/// is first replaced by (x + x^T) / 2; otherwise only its `lower` (or upper)
/// triangle is read. The derivative assumes distinct eigenvalues, as JAX's.
std::pair<Array, Array> eigh(const Array& x, bool lower = true, bool symmetrize_input = true);

/// lax.linalg.svd with compute_uv: (u, s, vt) with x = u diag(s) vt, s
/// descending; u is [..., m, m] and vt [..., n, n] with `full_matrices`,
/// otherwise [..., m, k] and [..., k, n], k = min(m, n). As in JAX, the
/// derivative needs full_matrices=false unless the matrices are square.
std::tuple<Array, Array, Array> svd(const Array& x, bool full_matrices = true);

/// lax.linalg.svd with compute_uv=False: the singular values alone, descending.
Array singular_values(const Array& x);

}  // namespace fluxion::lax::linalg
