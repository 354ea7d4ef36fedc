// The science chapter's objectives (examples/science.hpp) against plain C++
// computations of the same formulas written with loops over doubles (a
// hand-written Cholesky factorisation for the Gaussian process), their
// gradients against central differences and fx::check_grads, jit against
// eager, and gradient ascent on the likelihood.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "science.hpp"

namespace {

namespace fx = fluxion;
using Matrix = std::vector<std::vector<double>>;

double value(const fx::Array& x) { return x.item<double>(); }

double log_sum_exp(const std::vector<double>& v) {
  const double top = *std::max_element(v.begin(), v.end());
  double s = 0;
  for (double e : v) s += std::exp(e - top);
  return top + std::log(s);
}

// ADBench's objective from its definition, one point and one component at a
// time, θ read by hand from the flat vector.
double plain_gmm_objective(const std::vector<double>& theta, const std::vector<double>& x, int64_t N, int64_t D,
                           int64_t K, double gamma, int64_t m) {
  const int64_t T = D * (D + 1) / 2;
  const double* alpha = theta.data();
  const double* mu = alpha + K;
  const double* icf = mu + K * D;
  std::vector<Matrix> Q(K, Matrix(D, std::vector<double>(D, 0.0)));
  std::vector<double> log_det(K, 0.0);
  for (int64_t k = 0; k < K; ++k) {
    const double* q = icf + k * T;
    int64_t next = D;
    for (int64_t c = 0; c < D; ++c) {
      Q[k][c][c] = std::exp(q[c]);
      log_det[k] += q[c];
      for (int64_t r = c + 1; r < D; ++r) Q[k][r][c] = q[next++];
    }
  }
  double total = -0.5 * static_cast<double>(N * D) * std::log(2 * std::numbers::pi);
  for (int64_t i = 0; i < N; ++i) {
    std::vector<double> terms(K);
    for (int64_t k = 0; k < K; ++k) {
      double norm2 = 0;
      for (int64_t r = 0; r < D; ++r) {
        double row = 0;
        for (int64_t c = 0; c <= r; ++c) row += Q[k][r][c] * (x[i * D + c] - mu[k * D + c]);
        norm2 += row * row;
      }
      terms[k] = alpha[k] + log_det[k] - 0.5 * norm2;
    }
    total += log_sum_exp(terms);
  }
  total -= static_cast<double>(N) * log_sum_exp(std::vector<double>(alpha, alpha + K));
  const double n = static_cast<double>(D + m + 1);
  double log_multigamma = static_cast<double>(D * (D - 1)) / 4 * std::log(std::numbers::pi);
  for (int64_t j = 1; j <= D; ++j) log_multigamma += std::lgamma(0.5 * n + (1.0 - static_cast<double>(j)) / 2);
  for (int64_t k = 0; k < K; ++k) {
    double frobenius = 0;
    for (const auto& row : Q[k])
      for (double e : row) frobenius += e * e;
    total -= 0.5 * gamma * gamma * frobenius - static_cast<double>(m) * log_det[k];
    total += n * static_cast<double>(D) * std::log(gamma / std::sqrt(2.0)) - log_multigamma;
  }
  return total;
}

struct Sizes {
  int64_t N, D, K;
};

TEST(ScienceGmm, ObjectiveMatchesAPlainLoop) {
  for (const Sizes s : {Sizes{10, 3, 4}, Sizes{7, 2, 3}, Sizes{5, 4, 2}, Sizes{3, 1, 2}})
    for (const science::Wishart w : {science::Wishart{1.0, 0}, science::Wishart{0.7, 3}}) {
      SCOPED_TRACE("N " + std::to_string(s.N) + " D " + std::to_string(s.D) + " K " + std::to_string(s.K) +
                   " m " + std::to_string(w.m));
      const auto [theta, x] = science::gmm_example(s.N, s.D, s.K, 5);
      const double expected =
          plain_gmm_objective(theta.to_vector<double>(), x.to_vector<double>(), s.N, s.D, s.K, w.gamma, w.m);
      EXPECT_NEAR(value(science::gmm_objective(theta, x, w)), expected, 1e-12 * std::abs(expected));
    }
}

TEST(ScienceGmm, FactorsAreLowerTriangularInADBenchsOrder) {
  // The row (log 2, log 3, log 5, log 7, a, b, c, d, e, f) is filled column by
  // column: Q = [[2, 0, 0, 0], [a, 3, 0, 0], [b, d, 5, 0], [c, e, f, 7]]
  // (row by row would put d before c: the orders differ from D = 4 on).
  const fx::Array icf = fx::array(
      {{std::log(2.0), std::log(3.0), std::log(5.0), std::log(7.0), 11.0, 13.0, 17.0, 19.0, 23.0, 29.0}});
  const fx::Array Q = science::inverse_covariance_factors(icf, 4);
  const std::vector<double> expected{2, 0, 0, 0, 11, 3, 0, 0, 13, 19, 5, 0, 17, 23, 29, 7};
  const std::vector<double> got = Q.to_vector<double>();
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-14) << i;
  EXPECT_EQ(Q.shape(), (fx::Shape{1, 4, 4}));
}

TEST(ScienceGmm, RejectsAVectorOfTheWrongLength) {
  const auto [theta, x] = science::gmm_example(4, 3, 2, 0);
  EXPECT_THROW(science::gmm_objective(theta(fx::s(1)), x, {}), fx::ValueError);
  EXPECT_THROW(science::gmm_objective(theta(fx::s(0, 0)), x, {}), fx::ValueError);
  EXPECT_THROW(science::gmm_objective(theta.reshape({2, 10}), x, {}), fx::ShapeError);
  EXPECT_THROW(science::gmm_objective(theta, x(0), {}), fx::ShapeError);
}

TEST(ScienceGmm, GradientMatchesDifferencesJitAndTheModelsSymmetry) {
  const auto [theta, x] = science::gmm_example(10, 3, 4, 0);
  const auto objective = [x](const fx::Array& t) { return science::gmm_objective(t, x, science::Wishart{0.9, 2}); };
  const fx::Array g = fx::grad(objective)(theta);
  ASSERT_EQ(g.shape(), theta.shape());
  EXPECT_LT(science::max_relative_error(g, science::central_differences(objective, theta, 1e-5)), 1e-7);
  // eps 1e-5 rather than JAX's 1e-4: the third derivatives through exp(icf)
  // make the differences of order eps² too coarse for tolerances of 1e-6.
  EXPECT_NO_THROW(fx::check_grads(objective, {theta}, 2, fx::fwd | fx::rev, 1e-6, 1e-6, 1e-5));
  EXPECT_LT(science::max_relative_error(fx::jit(fx::grad(objective))(theta), g), 1e-12);
  // Shifting every log-weight by one constant leaves softmax(α) unchanged.
  EXPECT_NEAR(value(fx::sum(g(fx::s(0, 4)))), 0.0, 1e-12);
  // The shift itself: the objective is unchanged.
  const fx::Array shifted = fx::at(theta, fx::s(0, 4)).add(3.0);
  EXPECT_NEAR(value(objective(shifted)), value(objective(theta)), 1e-11 * std::abs(value(objective(theta))));
}

// ------------------------------------------------------------------- GP

Matrix plain_kernel(const std::vector<double>& p, const std::vector<double>& a, const std::vector<double>& b,
                    double noise2) {
  const double s2 = std::exp(2 * p[0]), l2 = std::exp(2 * p[1]);
  Matrix k(a.size(), std::vector<double>(b.size()));
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = 0; j < b.size(); ++j)
      k[i][j] = s2 * std::exp(-(a[i] - b[j]) * (a[i] - b[j]) / (2 * l2)) + (i == j ? noise2 : 0.0);
  return k;
}

// The Cholesky–Banachiewicz factorisation K = LLᵀ.
Matrix plain_cholesky(const Matrix& K) {
  const size_t n = K.size();
  Matrix L(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j <= i; ++j) {
      double s = K[i][j];
      for (size_t k = 0; k < j; ++k) s -= L[i][k] * L[j][k];
      L[i][j] = i == j ? std::sqrt(s) : s / L[j][j];
    }
  return L;
}

std::vector<double> forward_substitute(const Matrix& L, const std::vector<double>& b) {
  std::vector<double> z(b.size());
  for (size_t i = 0; i < b.size(); ++i) {
    double s = b[i];
    for (size_t k = 0; k < i; ++k) s -= L[i][k] * z[k];
    z[i] = s / L[i][i];
  }
  return z;
}

std::vector<double> back_substitute_transposed(const Matrix& L, const std::vector<double>& z) {
  const size_t n = z.size();
  std::vector<double> w(n);
  for (size_t i = n; i-- > 0;) {
    double s = z[i];
    for (size_t k = i + 1; k < n; ++k) s -= L[k][i] * w[k];
    w[i] = s / L[i][i];
  }
  return w;
}

double plain_log_likelihood(const std::vector<double>& p, const std::vector<double>& X, const std::vector<double>& y) {
  const Matrix L = plain_cholesky(plain_kernel(p, X, X, std::exp(2 * p[2])));
  const std::vector<double> z = forward_substitute(L, y);
  double quad = 0, log_diag = 0;
  for (size_t i = 0; i < z.size(); ++i) {
    quad += z[i] * z[i];
    log_diag += std::log(L[i][i]);
  }
  return -0.5 * quad - log_diag - 0.5 * static_cast<double>(X.size()) * std::log(2 * std::numbers::pi);
}

TEST(ScienceGp, LikelihoodMatchesAPlainCholesky) {
  const auto [X, y] = science::gp_example(20, 1);
  for (const auto& p : {std::vector<double>{0.0, 0.0, -1.0}, std::vector<double>{0.4, -0.5, -2.0},
                        std::vector<double>{-0.3, 0.8, -0.2}}) {
    const fx::Array theta = fx::array(p, {3});
    const double expected = plain_log_likelihood(p, X.to_vector<double>(), y.to_vector<double>());
    EXPECT_NEAR(value(science::gp_log_marginal_likelihood(theta, X, y)), expected, 1e-10 * std::abs(expected));
    // The same through jnp.linalg's solve and slogdet on K itself.
    const fx::Array K = science::rbf_kernel(theta, X);
    const double other = value(-0.5 * fx::dot(y, fx::linalg::solve(K, y)) - 0.5 * fx::linalg::slogdet(K).second) -
                         10.0 * std::log(2 * std::numbers::pi);
    EXPECT_NEAR(other, expected, 1e-9 * std::abs(expected));
  }
}

TEST(ScienceGp, GradientMatchesDifferencesAndJit) {
  const auto [X, y] = science::gp_example(20, 1);
  const auto lml = [X, y](const fx::Array& t) { return science::gp_log_marginal_likelihood(t, X, y); };
  for (const fx::Array& theta : {fx::array({0.0, 0.0, -1.0}), fx::array({0.4, -0.5, -2.0})}) {
    const fx::Array g = fx::grad(lml)(theta);
    const std::vector<double> p = theta.to_vector<double>();
    // Differences of the plain computation: independent of every Fluxion derivative rule.
    for (size_t i = 0; i < 3; ++i) {
      std::vector<double> up = p, down = p;
      up[i] += 1e-6;
      down[i] -= 1e-6;
      const double fd = (plain_log_likelihood(up, X.to_vector<double>(), y.to_vector<double>()) -
                         plain_log_likelihood(down, X.to_vector<double>(), y.to_vector<double>())) /
                        2e-6;
      EXPECT_NEAR(g.to_vector<double>()[i], fd, 1e-6 * std::max(1.0, std::abs(fd))) << i;
    }
    EXPECT_NO_THROW(fx::check_grads(lml, {theta}, 2, fx::fwd | fx::rev, 1e-6, 1e-6));
    EXPECT_LT(science::max_relative_error(fx::jit(fx::grad(lml))(theta), g), 1e-12);
  }
}

TEST(ScienceGp, AscentRaisesTheLikelihoodAndJitAgrees) {
  const auto [X, y] = science::gp_example(20, 1);
  const auto lml = [X, y](const fx::Array& t) { return value(science::gp_log_marginal_likelihood(t, X, y)); };
  fx::Array theta = fx::array({0.0, 0.0, -1.0});
  double previous = lml(theta);
  const double start = previous;
  for (int round = 0; round < 5; ++round) {
    theta = science::gp_fit(theta, X, y, 10, 0.01);
    const double now = lml(theta);
    EXPECT_GT(now, previous) << "round " << round;
    previous = now;
  }
  EXPECT_GT(previous, start + 10.0);
  // The fitted noise level is near the 0.1 the data were made with.
  const double noise = std::exp(theta.to_vector<double>()[2]);
  EXPECT_GT(noise, 0.05);
  EXPECT_LT(noise, 0.2);
  const auto fit = [X, y](const fx::Array& t) { return science::gp_fit(t, X, y, 50, 0.01); };
  const fx::Array start_theta = fx::array({0.0, 0.0, -1.0});
  EXPECT_LT(science::max_relative_error(fx::jit(fit)(start_theta), fit(start_theta)), 1e-10);
}

TEST(ScienceGp, PosteriorMeanMatchesPlainSolves) {
  const auto [X, y] = science::gp_example(20, 1);
  const std::vector<double> p{0.1, 0.3, -2.3}, x_new{0.5, 2.0, 4.5};
  const std::vector<double> Xs = X.to_vector<double>();
  const Matrix L = plain_cholesky(plain_kernel(p, Xs, Xs, std::exp(2 * p[2])));
  const std::vector<double> w = back_substitute_transposed(L, forward_substitute(L, y.to_vector<double>()));
  const Matrix cross = plain_kernel(p, x_new, Xs, 0.0);
  const std::vector<double> got =
      science::gp_posterior_mean(fx::array(p, {3}), X, y, fx::array(x_new, {3})).to_vector<double>();
  for (size_t i = 0; i < x_new.size(); ++i) {
    double expected = 0;
    for (size_t j = 0; j < Xs.size(); ++j) expected += cross[i][j] * w[j];
    EXPECT_NEAR(got[i], expected, 1e-10) << i;
  }
}

}  // namespace
