// fx::linalg: jax.numpy.linalg's decompositions and solvers, composed of the
// linalg primitives as jnp composes them. Where jnp uses a construct Fluxion
// does not have (custom_linear_solve in solve, custom_jvp on slogdet), the
// function is built from primitives whose own rules give the same derivative
// (see each function); det carries JAX's custom JVP.
#include "fluxion/linalg.hpp"

#include <string>

#include "fluxion/custom_derivatives.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/indexing.hpp"
#include "fluxion/lax.hpp"
#include "ops/internal.hpp"
#include "primitives/lax.hpp"
#include "primitives/linalg/common.hpp"
#include "primitives/linalg/family.hpp"

namespace fluxion::linalg {
namespace {

namespace pl = prim::linalg;

Array inexact(const Array& a) { return detail::promote_dtypes_inexact({a})[0]; }

void require_square(const char* op, const Array& a) {
  if (a.ndim() < 2 || a.shape()[a.ndim() - 1] != a.shape()[a.ndim() - 2])
    throw ShapeError(std::string(op) + ": expected square matrices of shape [..., n, n], got shape " +
                     shape_to_string(a.shape()));
}

Array broadcast_batch(const Array& x, const Shape& batch) {
  Shape shape = batch;
  shape.insert(shape.end(), x.shape().end() - 2, x.shape().end());
  return x.shape() == shape ? x : fluxion::broadcast_to(x, shape);
}

// a[..., i, j] as a [...] array.
Array entry(const Array& a, int64_t i, int64_t j) {
  const int64_t r = a.ndim() - 2, c = a.ndim() - 1;
  const Array e = pl::slice_axis(pl::slice_axis(a, r, i, i + 1), c, j, j + 1);
  return fluxion::lax::reshape(e, Shape(a.shape().begin(), a.shape().end() - 2));
}

}  // namespace

Array cholesky(const Array& a, bool upper, bool symmetrize_input) {
  const Array l = lax::linalg::cholesky(inexact(a), symmetrize_input);
  return upper ? pl::mT(l) : l;
}

// jnp.linalg.solve factors a by LU and solves P^T L U x = b with two
// triangular solves. JAX wraps the solves in custom_linear_solve (so reverse
// mode reuses the factorization); here the derivative in a comes through
// lu's and triangular_solve's rules, equal to it: dx = -a^{-1} da x.
Array solve(const Array& a_in, const Array& b_in) {
  const auto xs = detail::promote_dtypes_inexact({a_in, b_in});
  const Array &a = xs[0], &b = xs[1];
  if (a.ndim() < 2)
    throw ShapeError("solve: the left-hand array must be at least two-dimensional, got shape " +
                     shape_to_string(a.shape()));
  require_square("solve", a);
  const int64_t m = a.shape().back();
  const bool vector = b.ndim() == 1;
  if (b.ndim() == 0 || (vector ? b.shape()[0] : b.shape()[b.ndim() - 2]) != m)
    throw ShapeError("solve: expected b of shape [m] or [..., m, n] with m = " + std::to_string(m) + " (a is " +
                     shape_to_string(a.shape()) + "), got shape " + shape_to_string(b.shape()));
  Array rhs = vector ? fluxion::reshape(b, {m, 1}) : b;
  const Shape batch = broadcast_shapes(Shape(a.shape().begin(), a.shape().end() - 2),
                                       Shape(rhs.shape().begin(), rhs.shape().end() - 2));
  const Array lhs = broadcast_batch(a, batch);
  rhs = broadcast_batch(rhs, batch);
  auto [lu, pivots, permutation] = lax::linalg::lu(lhs);
  Array x = pl::permute_rows(rhs, permutation);
  x = pl::triangular_solve(lu, x, true, true, false, true);
  x = pl::triangular_solve(lu, x, true, false, false, false);
  return vector ? fluxion::squeeze(x, x.ndim() - 1) : x;
}

Array inv(const Array& a_in) {
  const Array a = inexact(a_in);
  require_square("inv", a);
  const int64_t n = a.shape().back();
  return solve(a, broadcast_batch(fluxion::eye(n, std::nullopt, 0, a.dtype()),
                                  Shape(a.shape().begin(), a.shape().end() - 2)));
}

// jnp's slogdet: analytic for 1x1 and 2x2, otherwise from LU: the sign from
// U's diagonal and the pivots' parity, log|det| the sum of log|U_ii|; a zero
// on the diagonal gives (0, -inf). JAX attaches a custom JVP (sign' = 0,
// logabsdet' = trace(a^{-1} da)); differentiating the formula through lu's
// rule gives the same values, and sign's derivative is zero by sign's rule.
std::pair<Array, Array> slogdet(const Array& a_in) {
  const Array a = inexact(a_in);
  require_square("slogdet", a);
  const int64_t n = a.shape().back();
  if (n == 1 || n == 2) {
    const Array d = n == 1 ? entry(a, 0, 0)
                           : fluxion::subtract(fluxion::multiply(entry(a, 0, 0), entry(a, 1, 1)),
                                               fluxion::multiply(entry(a, 0, 1), entry(a, 1, 0)));
    return {fluxion::sign(d), fluxion::log(fluxion::abs(d))};
  }
  auto [lu, pivots, permutation] = lax::linalg::lu(a);
  const Array diag = pl::diagonal(lu);
  const Array zero = fluxion::zeros({}, a.dtype());
  const Array is_zero = fluxion::any(fluxion::equal(diag, zero), -1);
  const Array iota = fluxion::arange(Array(static_cast<int>(n)));
  const Array swaps = fluxion::where(fluxion::not_equal(pivots, iota), fluxion::full({}, -1.0, a.dtype()),
                                     fluxion::ones({}, a.dtype()));
  const Array sign = fluxion::multiply(fluxion::prod(fluxion::sign(diag), -1), fluxion::prod(swaps, -1));
  const Array logdet = fluxion::sum(fluxion::log(fluxion::abs(diag)), -1);
  return {fluxion::where(is_zero, zero, sign), fluxion::where(is_zero, fluxion::full({}, -inf, a.dtype()), logdet)};
}

namespace {

// JAX's _cofactor_solve: det(a) and det(a) * solve(a, b) from one LU, well
// defined at rank n - 1 too. U's last diagonal entry is replaced by the
// reciprocal of the product of the others, so the back substitution
// multiplies by that product instead of dividing by the zero; the other rows
// are scaled by det(a) (zero at rank n - 1). Matrices of lower rank, where
// the substitution still overflows, give zeros.
std::pair<Array, Array> cofactor_solve(const Array& a, const Array& b) {
  const int64_t n = a.shape().back();
  if (n == 1) return {a(fluxion::ellipsis, 0, 0), b};
  auto [lu, pivots, permutation] = lax::linalg::lu(a);
  const Array iota = fluxion::arange(0, n, 1, pivots.dtype());
  const Array parity = fluxion::sum(fluxion::astype(fluxion::not_equal(pivots, iota), DType::int32), -1);
  const Array sign = fluxion::astype(1 - 2 * fluxion::remainder(parity, 2), a.dtype());
  const Array partial_det = fluxion::cumprod(pl::diagonal(lu), -1) * fluxion::expand_dims(sign, -1);
  lu = fluxion::at(lu, fluxion::ellipsis, -1, -1).set(1.0 / partial_det(fluxion::ellipsis, -2));
  Array d = lax::linalg::triangular_solve(lu, fluxion::ones(Shape(b.shape().begin(), b.shape().end() - 1), b.dtype()),
                                          true, false);
  d = fluxion::any(fluxion::logical_not(fluxion::isfinite(d)), -1);
  d = fluxion::broadcast_to(d(fluxion::ellipsis, fluxion::newaxis, fluxion::newaxis), b.shape());
  Array x = fluxion::where(d, fluxion::zeros_like(b), b);  // first filter
  x = pl::permute_rows(x, permutation);
  x = lax::linalg::triangular_solve(lu, x, true, true, false, false, true);
  const Array det = partial_det(fluxion::ellipsis, -1);
  x = fluxion::concatenate({x(fluxion::ellipsis, fluxion::s({}, -1), fluxion::all) *
                                det(fluxion::ellipsis, fluxion::newaxis, fluxion::newaxis),
                            x(fluxion::ellipsis, fluxion::s(-1), fluxion::all)},
                           -2);
  x = lax::linalg::triangular_solve(lu, x, true, false);
  return {det, fluxion::where(d, fluxion::zeros_like(x), x)};  // second filter
}

Array det_value(const Array& a) {
  const int64_t n = a.shape().back();
  const auto e = [&](int64_t i, int64_t j) { return entry(a, i, j); };
  if (n == 2) return e(0, 0) * e(1, 1) - e(0, 1) * e(1, 0);
  if (n == 3)
    return e(0, 0) * e(1, 1) * e(2, 2) + e(0, 1) * e(1, 2) * e(2, 0) + e(0, 2) * e(1, 0) * e(2, 1) -
           e(0, 2) * e(1, 1) * e(2, 0) - e(0, 0) * e(1, 2) * e(2, 1) - e(0, 1) * e(1, 0) * e(2, 2);
  auto [sign, logdet] = slogdet(a);
  return sign * fluxion::exp(logdet);
}

// jnp's det (a custom_jvp function): the closed forms for 2x2 and 3x3,
// otherwise sign * exp(logabsdet); its derivative is JAX's,
// trace(cofactor_solve(a, da)), finite at matrices of rank n - 1.
const auto det_fn = custom_jvp([](const Array& a) { return det_value(a); }, "det")
                        .defjvp([](auto primals, auto tangents) {
                          auto [a] = primals;
                          auto [t] = tangents;
                          auto [y, z] = cofactor_solve(a, t);
                          return std::pair{y, fluxion::trace(z, 0, -2, -1)};
                        });

}  // namespace

Array det(const Array& a_in) {
  const Array a = inexact(a_in);
  require_square("det", a);
  return det_fn(a);
}

std::pair<Array, Array> eigh(const Array& a, const std::string& UPLO, bool symmetrize_input) {
  if (UPLO != "L" && UPLO != "U") throw ValueError("eigh: UPLO must be \"L\" or \"U\", got \"" + UPLO + "\"");
  auto [v, w] = lax::linalg::eigh(inexact(a), UPLO == "L", symmetrize_input);
  return {w, v};
}

Array eigvalsh(const Array& a, const std::string& UPLO) { return eigh(a, UPLO).first; }

std::pair<Array, Array> qr(const Array& a, const std::string& mode) {
  if (mode != "reduced" && mode != "complete")
    throw ValueError("qr: unsupported mode \"" + mode + "\"; expected \"reduced\" or \"complete\"");
  return lax::linalg::qr(inexact(a), mode == "complete");
}

std::tuple<Array, Array, Array> svd(const Array& a, bool full_matrices) {
  return lax::linalg::svd(inexact(a), full_matrices);
}

Array svdvals(const Array& a) { return lax::linalg::singular_values(inexact(a)); }

std::tuple<Array, Array, Array> lu(const Array& a) { return lax::linalg::lu(inexact(a)); }

Array matrix_power(const Array& a_in, int64_t n) {
  if (a_in.ndim() < 2)
    throw TypeError("matrix_power: " + std::to_string(a_in.ndim()) +
                    "-dimensional array given; the array must be at least two-dimensional");
  if (a_in.shape()[a_in.ndim() - 1] != a_in.shape()[a_in.ndim() - 2])
    throw TypeError("matrix_power: the last 2 dimensions of the array must be square, got shape " +
                    shape_to_string(a_in.shape()));
  Array a = a_in;
  if (n == 0)
    return fluxion::broadcast_to(fluxion::eye(a.shape().back(), std::nullopt, 0, a.dtype()), a.shape());
  if (n < 0) {
    a = inv(a);
    n = -n;
  }
  if (n == 1) return a;
  if (n == 2) return fluxion::matmul(a, a);
  if (n == 3) return fluxion::matmul(fluxion::matmul(a, a), a);
  std::optional<Array> z, result;
  while (n > 0) {
    z = z ? fluxion::matmul(*z, *z) : a;
    if (n % 2) result = result ? fluxion::matmul(*result, *z) : *z;
    n /= 2;
  }
  return *result;
}

Array solve_triangular(const Array& a_in, const Array& b_in, int trans, bool lower, bool unit_diagonal) {
  if (trans < 0 || trans > 2) throw ValueError("solve_triangular: trans must be 0, 1 or 2, got " + std::to_string(trans));
  const auto xs = detail::promote_dtypes_inexact({a_in, b_in});
  return lax::linalg::triangular_solve(xs[0], xs[1], true, lower, trans != 0, trans == 2, unit_diagonal);
}

Array cho_solve(const Array& c, bool lower, const Array& b) {
  const Array y = solve_triangular(c, b, lower ? 0 : 1, lower);
  return solve_triangular(c, y, lower ? 1 : 0, lower);
}

}  // namespace fluxion::linalg
