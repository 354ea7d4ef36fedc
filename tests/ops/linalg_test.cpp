// Tests of fx::linalg: values against identities (A = L L^T, Q R, U S V^T, ...), NaNs and errors on singular or indefinite input, derivatives by JAX's rules against finite differences, batch dimensions.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "../autodiff/autodiff_util.hpp"
#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;
namespace la = fx::lax::linalg;

// Entries in [-1, 1) unless told otherwise.
fx::Array uniform(uint64_t seed, const fx::Shape& shape, double lo = -1.0, double hi = 1.0,
                  fx::DType dtype = fx::float64) {
  return autodiff_test::uniform(seed, shape, lo, hi, dtype);
}

fx::Array mT(const fx::Array& x) {
  std::vector<int64_t> perm;
  for (int64_t i = 0; i < x.ndim(); ++i) perm.push_back(i);
  std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
  return fx::transpose(x, perm);
}

fx::Array spd(uint64_t seed, const fx::Shape& batch, int64_t n) {
  fx::Shape s = batch;
  s.push_back(n);
  s.push_back(n);
  const fx::Array a = uniform(seed, s);
  return fx::matmul(a, mT(a)) + fx::eye(n) * static_cast<double>(n);
}

double max_abs_diff(const fx::Array& a, const fx::Array& b) {
  return fx::max(fx::abs(a.astype(fx::float64) - b.astype(fx::float64))).item<double>();
}

bool all_nan(const fx::Array& x) {
  for (double v : x.astype(fx::float64).to_vector<double>())
    if (!std::isnan(v)) return false;
  return true;
}

template <class F> ::testing::AssertionResult grads_ok(const F& f, const std::vector<fx::Array>& args) {
  try {
    fx::check_grads(f, args, 2, fx::fwd | fx::rev);
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << e.what();
  }
}

TEST(Linalg, CholeskyReconstructsAndIsLowerTriangular) {
  const fx::Array a = spd(1, {2, 3}, 4);
  const fx::Array l = fx::linalg::cholesky(a);
  EXPECT_EQ(l.shape(), (fx::Shape{2, 3, 4, 4}));
  EXPECT_LT(max_abs_diff(fx::matmul(l, mT(l)), a), 1e-12);
  EXPECT_EQ(max_abs_diff(l * fx::array({{0.0, 1.0, 1.0, 1.0}, {0.0, 0.0, 1.0, 1.0}, {0.0, 0.0, 0.0, 1.0},
                                        {0.0, 0.0, 0.0, 0.0}}), fx::zeros({2, 3, 4, 4})),
            0.0);
  const fx::Array u = fx::linalg::cholesky(a, true);
  EXPECT_LT(max_abs_diff(fx::matmul(mT(u), u), a), 1e-12);
  // float32 in, float32 out; integers are promoted to float64 as jnp does.
  EXPECT_EQ(fx::linalg::cholesky(a.astype(fx::float32)).dtype(), fx::float32);
  EXPECT_EQ(fx::linalg::cholesky(fx::array_of<int32_t>({4, 2, 2, 3}, {2, 2})).dtype(), fx::float64);
}

TEST(Linalg, CholeskyOfAnIndefiniteMatrixIsNaNPerMatrix) {
  // JAX fills a failed factorization with NaNs; the other matrices of the batch are unaffected.
  const fx::Array a = fx::stack({fx::array({{1.0, 2.0}, {2.0, 1.0}}), fx::array({{2.0, 0.5}, {0.5, 1.0}})});
  const fx::Array l = fx::linalg::cholesky(a);
  EXPECT_TRUE(all_nan(l[0]));
  EXPECT_LT(max_abs_diff(fx::matmul(l[1], mT(l[1])), a[1]), 1e-15);
}

TEST(Linalg, EmptyAndOneByOneMatrices) {
  EXPECT_EQ(fx::linalg::cholesky(fx::zeros({0, 0})).shape(), (fx::Shape{0, 0}));
  EXPECT_EQ(fx::linalg::cholesky(fx::full({1, 1}, 9.0)).item<double>(), 3.0);
  EXPECT_EQ(fx::linalg::det(fx::zeros({0, 0})).item<double>(), 1.0);
  EXPECT_EQ(fx::linalg::det(fx::full({1, 1}, -2.5)).item<double>(), -2.5);
  EXPECT_EQ(fx::linalg::inv(fx::full({1, 1}, 4.0)).item<double>(), 0.25);
  EXPECT_EQ(fx::linalg::solve(fx::zeros({3, 0, 0}), fx::zeros({3, 0, 2})).shape(), (fx::Shape{3, 0, 2}));
  auto [w, v] = fx::linalg::eigh(fx::zeros({2, 0, 0}));
  EXPECT_EQ(w.shape(), (fx::Shape{2, 0}));
  auto [u, s, vt] = fx::linalg::svd(fx::zeros({0, 3}));
  EXPECT_EQ(s.shape(), (fx::Shape{0}));
  EXPECT_LT(max_abs_diff(vt, fx::eye(3)), 1e-300);  // JAX's empty SVD: full factors are identities
  auto [q, r] = fx::linalg::qr(fx::zeros({3, 0}), "complete");
  EXPECT_LT(max_abs_diff(q, fx::eye(3)), 1e-300);
  EXPECT_EQ(r.shape(), (fx::Shape{3, 0}));
}

TEST(Linalg, TriangularSolveEveryFlag) {
  const fx::Array a = uniform(2, {2, 3, 3}) + fx::eye(3) * 3.0;
  const fx::Array low = a * fx::array({{1.0, 0.0, 0.0}, {1.0, 1.0, 0.0}, {1.0, 1.0, 1.0}});
  const fx::Array up = a * fx::array({{1.0, 1.0, 1.0}, {0.0, 1.0, 1.0}, {0.0, 0.0, 1.0}});
  const fx::Array unit_low = low * (1.0 - fx::eye(3)) + fx::eye(3), unit_up = up * (1.0 - fx::eye(3)) + fx::eye(3);
  for (int flags = 0; flags < 16; ++flags) {
    const bool left = flags & 1, lower = flags & 2, trans = flags & 4, unit = flags & 8;
    SCOPED_TRACE(flags);
    const fx::Array b = uniform(3 + flags, left ? fx::Shape{2, 3, 2} : fx::Shape{2, 2, 3});
    const fx::Array x = la::triangular_solve(a, b, left, lower, trans, false, unit);
    fx::Array t = lower ? (unit ? unit_low : low) : (unit ? unit_up : up);
    if (trans) t = mT(t);
    EXPECT_LT(max_abs_diff(left ? fx::matmul(t, x) : fx::matmul(x, t), b), 1e-12);
  }
  // b of rank one less is a vector (JAX's singleton case).
  const fx::Array v = uniform(30, {2, 3});
  EXPECT_LT(max_abs_diff(fx::matmul(low, fx::expand_dims(la::triangular_solve(a, v, true, true), 2)),
                         fx::expand_dims(v, 2)),
            1e-12);
  // A zero on the diagonal gives infinities, as trsm (and JAX) do.
  const fx::Array x = la::triangular_solve(fx::array({{1.0, 0.0}, {1.0, 0.0}}), fx::ones({2, 1}), true, true);
  EXPECT_TRUE(std::isinf(x.to_vector<double>()[1]) || std::isnan(x.to_vector<double>()[1]));
}

TEST(Linalg, LuFactorsWithPivots) {
  for (const fx::Shape& s : {fx::Shape{4, 4}, fx::Shape{2, 5, 3}, fx::Shape{3, 5}}) {
    const fx::Array a = uniform(4, s);
    auto [lu, pivots, perm] = la::lu(a);
    const int64_t m = s[s.size() - 2], n = s.back(), k = std::min(m, n);
    EXPECT_EQ(pivots.dtype(), fx::int32);
    EXPECT_EQ(perm.shape().back(), m);
    // P A = L U, with P from `permutation` as a one-hot matrix.
    const fx::Array p = fx::equal(fx::expand_dims(perm, -1), fx::arange(fx::Array(static_cast<int>(m)))).astype(fx::float64);
    std::vector<int64_t> lo(s.size(), 0), hi_l(s.begin(), s.end()), hi_u(s.begin(), s.end());
    hi_l.back() = k;
    hi_u[s.size() - 2] = k;
    const fx::Array lk = fx::lax::slice(lu, lo, hi_l), uk = fx::lax::slice(lu, lo, hi_u);
    const fx::Array lmask = fx::greater(fx::expand_dims(fx::arange(fx::Array(static_cast<int>(m))), 1),
                                        fx::arange(fx::Array(static_cast<int>(k))));
    const fx::Array umask = fx::less_equal(fx::expand_dims(fx::arange(fx::Array(static_cast<int>(k))), 1),
                                           fx::arange(fx::Array(static_cast<int>(n))));
    const fx::Array L = fx::where(lmask, lk, 0.0) + fx::eye(m, k);
    const fx::Array U = fx::where(umask, uk, 0.0);
    EXPECT_LT(max_abs_diff(fx::matmul(p, a), fx::matmul(L, U)), 1e-12) << fx::shape_to_string(s);
  }
}

TEST(Linalg, SolveInvDetSlogdet) {
  const fx::Array a = uniform(5, {2, 4, 4}) + fx::eye(4) * 2.0;
  const fx::Array b = uniform(6, {2, 4, 3});
  EXPECT_LT(max_abs_diff(fx::matmul(a, fx::linalg::solve(a, b)), b), 1e-12);
  // A vector right-hand side broadcast against a batch of matrices.
  const fx::Array v = uniform(7, {4});
  EXPECT_EQ(fx::linalg::solve(a, v).shape(), (fx::Shape{2, 4}));
  EXPECT_LT(max_abs_diff(fx::matmul(a, fx::expand_dims(fx::linalg::solve(a, v), -1)), fx::broadcast_to(fx::expand_dims(v, -1), {2, 4, 1})), 1e-12);
  EXPECT_LT(max_abs_diff(fx::matmul(a, fx::linalg::inv(a)), fx::broadcast_to(fx::eye(4), {2, 4, 4})), 1e-12);
  auto [sign, logdet] = fx::linalg::slogdet(a);
  EXPECT_LT(max_abs_diff(sign * fx::exp(logdet), fx::linalg::det(a)), 1e-12);
  // det(A B) = det A det B; the 2x2 and 3x3 closed forms agree with LU.
  for (int64_t n : {2, 3, 5}) {
    const fx::Array x = uniform(10 + n, {n, n}), y = uniform(20 + n, {n, n});
    EXPECT_NEAR(fx::linalg::det(fx::matmul(x, y)).item<double>(),
                fx::linalg::det(x).item<double>() * fx::linalg::det(y).item<double>(), 1e-12);
  }
}

TEST(Linalg, SingularMatrices) {
  const fx::Array s3 = fx::array({{1.0, 2.0, 3.0}, {2.0, 4.0, 6.0}, {1.0, 0.0, 1.0}});
  EXPECT_EQ(fx::linalg::det(fx::array({{1.0, 2.0, 0.5, 1.0}, {2.0, 4.0, 1.0, 2.0}, {0.0, 1.0, 1.0, 0.0}, {1.0, 0.0, 0.0, 3.0}})).item<double>(), 0.0);
  auto [sign, logdet] = fx::linalg::slogdet(s3);
  EXPECT_EQ(sign.item<double>(), 0.0);
  EXPECT_EQ(logdet.item<double>(), -std::numeric_limits<double>::infinity());
  // solve gives infinities or NaNs where LU meets the zero pivot, as in JAX.
  bool non_finite = false;
  for (double x : fx::linalg::solve(s3, fx::array({1.0, 1.0, 1.0})).to_vector<double>()) non_finite |= !std::isfinite(x);
  EXPECT_TRUE(non_finite);
}

TEST(Linalg, EighQrSvdIdentities) {
  const fx::Array a = uniform(8, {2, 4, 4});
  auto [w, v] = fx::linalg::eigh(a);
  const fx::Array sym = (a + mT(a)) / 2.0;
  EXPECT_LT(max_abs_diff(fx::matmul(sym, v), v * fx::expand_dims(w, 1)), 1e-12);
  const std::vector<double> wv = w.to_vector<double>();
  for (size_t i = 0; i + 1 < wv.size(); ++i)
    if ((i + 1) % 4) {
      EXPECT_LE(wv[i], wv[i + 1]);  // ascending
    }
  for (const fx::Shape& s : {fx::Shape{5, 3}, fx::Shape{2, 3, 5}}) {
    const fx::Array x = uniform(9, s);
    for (const std::string mode : {"reduced", "complete"}) {
      auto [q, r] = fx::linalg::qr(x, mode);
      EXPECT_LT(max_abs_diff(fx::matmul(q, r), x), 1e-12);
      EXPECT_LT(max_abs_diff(fx::matmul(mT(q), q), fx::eye(q.shape().back())), 1e-12);
    }
    auto [u, sv, vt] = fx::linalg::svd(x, false);
    EXPECT_LT(max_abs_diff(fx::matmul(u * fx::expand_dims(sv, -2), vt), x), 1e-12);
    const std::vector<double> svv = sv.to_vector<double>();
    for (size_t i = 0; i + 1 < svv.size(); ++i)
      if ((i + 1) % 3) {
        EXPECT_GE(svv[i], svv[i + 1]);  // descending
      }
    auto [uf, sf, vf] = fx::linalg::svd(x, true);
    EXPECT_EQ(uf.shape().back(), s[s.size() - 2]);
    EXPECT_EQ(vf.shape().back(), s.back());
    EXPECT_LT(max_abs_diff(sf, sv), 1e-12);
  }
}

TEST(Linalg, NormsAndMatrixPower) {
  const fx::Array x = fx::array({{1.0, -2.0}, {3.0, 4.0}});
  EXPECT_DOUBLE_EQ(fx::linalg::matrix_norm(x, 1).item<double>(), 6.0);
  EXPECT_DOUBLE_EQ(fx::linalg::matrix_norm(x, fx::inf).item<double>(), 7.0);
  EXPECT_NEAR(fx::linalg::matrix_norm(x, "fro").item<double>(), std::sqrt(30.0), 1e-15);
  EXPECT_NEAR(fx::linalg::norm(x, "nuc").item<double>(), fx::sum(fx::linalg::svdvals(x)).item<double>(), 1e-15);
  EXPECT_DOUBLE_EQ(fx::linalg::vector_norm(x, 0).item<double>(), 4.0);
  EXPECT_EQ(fx::linalg::vector_norm(x, 1, 1, true).shape(), (fx::Shape{2, 1}));
  EXPECT_EQ(fx::linalg::norm(uniform(1, {2, 3, 4}), "fro", {0, 2}, true).shape(), (fx::Shape{1, 3, 1}));
  EXPECT_LT(max_abs_diff(fx::linalg::matrix_power(x, 5), fx::matmul(fx::matmul(fx::matmul(x, x), fx::matmul(x, x)), x)), 1e-12);
  EXPECT_LT(max_abs_diff(fx::linalg::matrix_power(x, -2), fx::linalg::inv(fx::matmul(x, x))), 1e-12);
  EXPECT_LT(max_abs_diff(fx::linalg::matrix_power(x, 0), fx::eye(2)), 1e-300);
}

TEST(Linalg, ErrorsNameTheOperation) {
  const auto message = [](auto f) -> std::string {
    try {
      f();
    } catch (const fx::Error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_THROW(fx::linalg::cholesky(fx::zeros({2, 3})), fx::ShapeError);
  EXPECT_NE(message([] { fx::linalg::cholesky(fx::zeros({2, 3})); }).find("(2, 3)"), std::string::npos);
  EXPECT_THROW(la::cholesky(fx::zeros({3})), fx::ShapeError);
  EXPECT_THROW(la::cholesky(fx::zeros({2, 2}, fx::int32)), fx::TypeError);
  EXPECT_NE(message([] { la::lu(fx::zeros({2, 2}, fx::int32)); }).find("lu"), std::string::npos);
  EXPECT_THROW(la::triangular_solve(fx::zeros({3, 3}), fx::zeros({2, 2}), true), fx::ShapeError);
  EXPECT_THROW(la::triangular_solve(fx::zeros({2, 3, 3}), fx::zeros({4, 3, 2}), true), fx::ShapeError);
  EXPECT_THROW(la::triangular_solve(fx::zeros({3, 3}), fx::zeros({3, 2}, fx::float32), true), fx::TypeError);
  EXPECT_NE(message([] { fx::linalg::solve(fx::zeros({3, 3}), fx::zeros({2})); }).find("solve"), std::string::npos);
  EXPECT_THROW(fx::linalg::solve(fx::zeros({3}), fx::zeros({3})), fx::ShapeError);
  EXPECT_THROW(fx::linalg::det(fx::zeros({2, 3})), fx::ShapeError);
  EXPECT_THROW(fx::linalg::matrix_power(fx::zeros({3}), 2), fx::TypeError);
  EXPECT_THROW(fx::linalg::qr(fx::zeros({3, 3}), "raw"), fx::ValueError);
  EXPECT_THROW(fx::linalg::eigh(fx::zeros({3, 3}), "X"), fx::ValueError);
  EXPECT_THROW(fx::linalg::matrix_norm(fx::zeros({3, 3}), 3.0), fx::ValueError);
  EXPECT_THROW(fx::linalg::norm(fx::zeros({3, 3}), "inf"), fx::ValueError);
  EXPECT_THROW(fx::linalg::norm(fx::zeros({3}), "fro"), fx::ValueError);
  EXPECT_THROW(fx::linalg::solve_triangular(fx::eye(2), fx::ones({2}), 3), fx::ValueError);
  // JAX has no derivative of full-matrix SVD factors of non-square matrices either.
  EXPECT_THROW(fx::jvp([](fx::Array a) { return std::get<0>(la::svd(a, true)); }, {fx::ones({3, 2})}, {fx::ones({3, 2})}),
               fx::Error);
}

// The Gaussian-process example: log marginal likelihood through
// cholesky and triangular solves, differentiated to second order.
fx::Array gp_log_likelihood(const fx::Array& log_scale, const fx::Array& xs, const fx::Array& ys) {
  const fx::Array d = fx::expand_dims(xs, 1) - fx::expand_dims(xs, 0);
  const fx::Array k = fx::exp(-(d * d) / (2.0 * fx::exp(2.0 * log_scale))) + fx::eye(xs.shape()[0]) * 0.1;
  const fx::Array l = fx::linalg::cholesky(k);
  const fx::Array alpha = fx::linalg::cho_solve(l, true, ys);
  return -0.5 * fx::sum(ys * alpha) - fx::sum(fx::log(fx::abs(fx::sum(l * fx::eye(xs.shape()[0]), 1))));
}

TEST(Linalg, DerivativesOfComposedFunctions) {
  const fx::Array xs = fx::linspace(-2, 2, 6), ys = fx::sin(xs);
  EXPECT_TRUE(grads_ok([&](fx::Array s) { return gp_log_likelihood(s, xs, ys); }, {fx::Array(0.3)}));
  // The GP's data-fit term equals the one from solve and slogdet.
  const fx::Array s = fx::Array(0.2);
  const fx::Array d = fx::expand_dims(xs, 1) - fx::expand_dims(xs, 0);
  const fx::Array k = fx::exp(-(d * d) / (2.0 * fx::exp(2.0 * s))) + fx::eye(6) * 0.1;
  EXPECT_NEAR(gp_log_likelihood(s, xs, ys).item<double>(),
              (-0.5 * fx::sum(ys * fx::linalg::solve(k, ys)) - 0.5 * fx::linalg::slogdet(k).second).item<double>(), 1e-12);
  const fx::Array a = uniform(11, {3, 3}) + fx::eye(3) * 2.0, b = uniform(12, {3, 2});
  EXPECT_TRUE(grads_ok([](fx::Array m, fx::Array r) { return fx::linalg::solve(m, r); }, {a, b}));
  EXPECT_TRUE(grads_ok([](fx::Array m) { return fx::linalg::inv(m); }, {a}));
  EXPECT_TRUE(grads_ok([](fx::Array m) { return fx::linalg::det(m); }, {uniform(13, {4, 4})}));
  EXPECT_TRUE(grads_ok([](fx::Array m) { return fx::linalg::det(m); }, {uniform(14, {3, 3})}));
  EXPECT_TRUE(grads_ok([](fx::Array m) { return fx::linalg::slogdet(m).second; }, {a}));
  EXPECT_TRUE(grads_ok([](fx::Array m) { return fx::linalg::slogdet(m).second; }, {uniform(15, {2, 2})}));
  EXPECT_TRUE(grads_ok([](fx::Array m) { return fx::linalg::matrix_norm(m, 2.0); }, {uniform(16, {3, 2})}));
  EXPECT_TRUE(grads_ok([](fx::Array m) { return fx::linalg::norm(m, "nuc"); }, {uniform(17, {2, 3})}));
  EXPECT_TRUE(grads_ok([](fx::Array m) { return fx::linalg::vector_norm(m, 3.0); }, {uniform(18, {4}, 0.5, 2.0)}));
  EXPECT_TRUE(grads_ok([](fx::Array m) { return fx::linalg::matrix_power(m, -3); }, {a}));
  // The complete Q of a tall matrix (JAX's arXiv:2409.13374 rule) and of a batch of them.
  const auto qr_complete = [](fx::Array m) {
    auto [q, r] = fx::linalg::qr(m, "complete");
    return fx::concatenate({q.reshape({-1}), r.reshape({-1})});
  };
  EXPECT_TRUE(grads_ok(qr_complete, {uniform(19, {5, 3})}));
  EXPECT_TRUE(grads_ok(qr_complete, {uniform(20, {2, 4, 2})}));
  // d/dA log det A = A^{-T}.
  EXPECT_LT(max_abs_diff(fx::grad([](fx::Array m) { return fx::linalg::slogdet(m).second; })(a),
                         mT(fx::linalg::inv(a))),
            1e-12);
}

// det's derivative is JAX's cofactor rule: det(A) A^{-T} where A is regular,
// and the (rank-one) adjugate, not NaN, where A has rank n - 1.
TEST(Linalg, DetDerivativeIsFiniteAtRankNMinusOne) {
  const fx::Array a = uniform(21, {4, 4}) + fx::eye(4) * 2.0;
  const auto det = [](fx::Array m) { return fx::linalg::det(m); };
  EXPECT_LT(max_abs_diff(fx::grad(det)(a), fx::linalg::det(a) * mT(fx::linalg::inv(a))), 1e-12);
  // Rank 3: the last row repeats the first. det is a polynomial, so central
  // differences of step 1e-3 give its gradient to rounding.
  fx::Array s = fx::at(a, 3).set(a(0));
  const fx::Array g = fx::grad(det)(s);
  std::vector<double> fd(16);
  for (int64_t k = 0; k < 16; ++k) {
    const fx::Array e = fx::at(fx::zeros({16}), k).set(1e-3).reshape({4, 4});
    fd[k] = (fx::linalg::det(s + e) - fx::linalg::det(s - e)).item<double>() / 2e-3;
  }
  EXPECT_LT(max_abs_diff(g, fx::array(fd, {4, 4})), 1e-9);
  EXPECT_GT(fx::max(fx::abs(g)).item<double>(), 0.1);  // the adjugate is not zero
  EXPECT_TRUE(grads_ok(det, {a}));
  EXPECT_TRUE(grads_ok(det, {uniform(22, {2, 5, 5})}));
}

TEST(Linalg, VmapAndJitOfSolvers) {
  const fx::Array a = uniform(19, {3, 4, 4}) + fx::eye(4) * 2.0, b = uniform(20, {3, 4});
  const auto f = [](fx::Array m, fx::Array r) { return fx::linalg::solve(m, r); };
  const fx::Array batched = fx::vmap(f)(a, b);
  for (int64_t i = 0; i < 3; ++i) EXPECT_LT(max_abs_diff(batched[i], f(a[i], b[i])), 1e-13);
  const auto g = [](fx::Array m) { return fx::linalg::slogdet(m).second + fx::sum(fx::linalg::cholesky(fx::matmul(m, mT(m)))); };
  const fx::Array eager = g(a[0]);
  EXPECT_EQ(fx::jit(g)(a[0]).item<double>(), eager.item<double>());
  EXPECT_LT(max_abs_diff(fx::jit(fx::grad(g))(a[0]), fx::grad(g)(a[0])), 1e-12);
}

}  // namespace
