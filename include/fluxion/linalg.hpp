/// \file
/// fx::linalg: jax.numpy.linalg (cholesky, solve, inv, det, slogdet, eigh,
/// eigvalsh, qr, svd, svdvals, norm, vector_norm, matrix_norm, matrix_power) and jax.scipy.linalg's
/// solve_triangular and cho_solve, differentiable (forward and reverse, to
/// any order) and batchable: the leading axes of a [..., m, n] operand are
/// batch axes, and integer operands are promoted to the default float as
/// jnp.linalg promotes them. Built on the primitives of fluxion/lax/linalg.hpp.
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "fluxion/array.hpp"
#include "fluxion/nn.hpp"  // fx::linalg::norm(x, axes)
#include "fluxion/ops.hpp"

namespace fluxion::linalg {

/// jnp.linalg.cholesky: the lower factor L of a = L L^T (the upper factor
/// L^T when `upper`), from (a + a^T) / 2 unless `symmetrize_input` is false.
/// Not positive definite: a matrix of NaNs, as in JAX.
Array cholesky(const Array& a, bool upper = false, bool symmetrize_input = true);

/// jnp.linalg.solve: x with a x = b, a [..., m, m]; b is [m] (one vector) or
/// [..., m, n], batch axes broadcast. Through LU with partial pivoting; a
/// singular a gives infinities or NaNs, as in JAX.
Array solve(const Array& a, const Array& b);

/// jnp.linalg.inv: the inverse of each [..., n, n] matrix (solve(a, I)).
Array inv(const Array& a);

/// jnp.linalg.det: the determinant of each [..., n, n] matrix (closed forms
/// for 2x2 and 3x3, as JAX's, otherwise from LU). Singular: 0.
Array det(const Array& a);

/// jnp.linalg.slogdet: (sign, logabsdet) of each [..., n, n] matrix, with
/// det = sign * exp(logabsdet). Singular: (0, -inf).
std::pair<Array, Array> slogdet(const Array& a);

/// jnp.linalg.eigh: (eigenvalues ascending, eigenvectors as columns) of each
/// symmetric matrix; UPLO "L" or "U" names the triangle read when
/// `symmetrize_input` is false.
std::pair<Array, Array> eigh(const Array& a, const std::string& UPLO = "L", bool symmetrize_input = true);

/// jnp.linalg.eigvalsh: the eigenvalues of eigh, ascending.
Array eigvalsh(const Array& a, const std::string& UPLO = "L");

/// jnp.linalg.qr: (q, r); mode "reduced" (q [..., m, k], r [..., k, n],
/// k = min(m, n)) or "complete" (q [..., m, m], r [..., m, n]). Other modes:
/// fx::ValueError.
std::pair<Array, Array> qr(const Array& a, const std::string& mode = "reduced");

/// jnp.linalg.svd: (u, s, vh) with a = u diag(s) vh, s descending; full
/// u and vh with `full_matrices` (JAX's default), otherwise reduced ones.
std::tuple<Array, Array, Array> svd(const Array& a, bool full_matrices = true);

/// jnp.linalg.svdvals: the singular values alone, descending.
Array svdvals(const Array& a);

/// lax.linalg.lu's triple (lu, pivots, permutation) for a floating or
/// promoted operand (see fx::lax::linalg::lu).
std::tuple<Array, Array, Array> lu(const Array& a);

/// jnp.linalg.norm with a string `ord`: the Frobenius ("fro" or "f") or
/// nuclear ("nuc", the sum of singular values) norm over two axes (`axis`
/// omitted: a 2-D operand's). fx::linalg::norm(x, axes) (nn.hpp) is the
/// default order, the 2-norm or Frobenius norm, with gradient 0 at 0; the
/// numeric orders are fx::linalg::vector_norm and fx::linalg::matrix_norm.
Array norm(const Array& x, const std::string& ord, const Axes& axis = {}, bool keepdims = false);

/// jnp.linalg.vector_norm: (sum |x|^ord)^(1/ord) over `axis` (omitted: all
/// elements, as one vector); ord inf and -inf give max and min |x|, 0 the
/// count of nonzeros, 2 (the default) sqrt(sum x^2) as JAX computes it (its
/// gradient at 0 is NaN, as JAX's).
Array vector_norm(const Array& x, double ord = 2, const Axes& axis = {}, bool keepdims = false);

/// jnp.linalg.matrix_norm over the last two axes with a numeric `ord`: 1 and
/// -1 (max and min column sum of |x|), inf and -inf (row sums), 2 and -2
/// (largest and smallest singular value). Other orders: fx::ValueError.
Array matrix_norm(const Array& x, double ord, bool keepdims = false);

/// jnp.linalg.matrix_norm over the last two axes with a string `ord`: "fro"
/// (the default) or "nuc".
Array matrix_norm(const Array& x, const std::string& ord = "fro", bool keepdims = false);

/// jnp.linalg.matrix_power: a multiplied by itself n times (by repeated
/// squaring, as JAX), the identity for n = 0, powers of inv(a) for n < 0.
Array matrix_power(const Array& a, int64_t n);

/// jax.scipy.linalg.solve_triangular: x with op(a) x = b, a [..., m, m]
/// triangular (`lower` or upper, unit diagonal when `unit_diagonal`), op by
/// `trans`: 0 (a), 1 or 2 (a^T). b is [..., m] or [..., m, n].
Array solve_triangular(const Array& a, const Array& b, int trans = 0, bool lower = false, bool unit_diagonal = false);

/// jax.scipy.linalg.cho_solve: x with a x = b given a's Cholesky factor `c`
/// (lower when `lower`, as fx::linalg::cholesky returns it, else upper).
Array cho_solve(const Array& c, bool lower, const Array& b);

}  // namespace fluxion::linalg
