// Two objectives of the science chapter (examples/science.cpp), shared with
// their tests (tests/custom/science_test.cpp), each written from its
// definition the way a scientist writes it in JAX:
//   - ADBench's Gaussian-mixture objective (Srajer, Kukelova and Fitzgibbon,
//     "A benchmark of selected algorithmic differentiation tools", 2018):
//     the parameters sliced out of one flat vector, each component's inverse
//     covariance factor Q_k filled from it, log-sum-exp over the components
//     and a Wishart prior on the precisions;
//   - a Gaussian process's log marginal likelihood through a Cholesky factor
//     and a triangular solve, as a function of the kernel's log
//     hyperparameters, and gradient ascent on it in one fori_loop.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace science {

namespace fx = fluxion;

// ------------------------------------------------------------------- GMM

// The Wishart prior's scale γ and extra degrees of freedom m.
struct Wishart {
  double gamma = 1.0;
  int64_t m = 0;
};

// The sizes of a mixture of K components in D dimensions, and where each
// block of parameters starts in the flat vector θ = [α (K), μ (K×D), icf (K×T)],
// T = D(D+1)/2: each row of icf holds log diag(Q_k), then Q_k's strictly
// lower entries column by column (ADBench's order).
struct GmmLayout {
  int64_t K, D;
  int64_t triangle() const { return D * (D + 1) / 2; }
  int64_t size() const { return K * (1 + D + triangle()); }
  int64_t means_at() const { return K; }
  int64_t icf_at() const { return K + K * D; }
};

// The (row, column) positions of a D×D matrix's strictly lower entries in
// ADBench's column-by-column order: (1,0), (2,0), ..., (D-1,0), (2,1), ...
inline std::pair<fx::Array, fx::Array> lower_positions(int64_t D) {
  std::vector<int64_t> rows, cols;
  for (int64_t c = 0; c < D; ++c)
    for (int64_t r = c + 1; r < D; ++r) {
      rows.push_back(r);
      cols.push_back(c);
    }
  const fx::Shape shape{static_cast<int64_t>(rows.size())};
  return {fx::array_of(rows, shape), fx::array_of(cols, shape)};
}

// Q_k for every component, (K, D, D): exp of the log-diagonal on the
// diagonal, the rest of each icf row scattered below it. The diagonal's
// logarithms are parameters so that Q_k is invertible for every θ, and
// log det Q_k is their sum: no determinant (slogdet) is ever computed.
inline fx::Array inverse_covariance_factors(const fx::Array& icf, int64_t D) {
  const int64_t K = icf.shape()[0];
  const auto [rows, cols] = lower_positions(D);
  const fx::Array diagonal_at = fx::arange(D).astype(fx::int64);
  const fx::Array Q = fx::at(fx::zeros({K, D, D}), fx::all, rows, cols).set(icf(fx::all, fx::s(D)));
  return fx::at(Q, fx::all, diagonal_at, diagonal_at).set(fx::exp(icf(fx::all, fx::s(0, D))));
}

// log Γ_p(a), the multivariate gamma function's logarithm (scipy's multigammaln).
inline fx::Array log_multigamma(double a, int64_t p) {
  const fx::Array j = fx::arange(static_cast<double>(p));
  return static_cast<double>(p * (p - 1)) / 4.0 * std::log(fx::pi) +
         fx::sum(fx::scipy::special::gammaln(a - j / 2.0));
}

// ADBench's GMM objective at θ for data x (N×D):
//   −(N·D/2)·log 2π + Σᵢ logsumexpₖ(αₖ + Σ log diag Qₖ − ½‖Qₖ(xᵢ − μₖ)‖²) − N·logsumexp(α)
//   − Σₖ (½γ²‖Qₖ‖²_F − m·Σ log diag Qₖ) + K·(n·D·log(γ/√2) − log Γ_D(n/2)),  n = D + m + 1,
// the log posterior of the mixture with weights softmax(α), means μₖ and
// precisions QₖᵀQₖ under a Wishart prior. The prior's sign is the one of
// ADBench's pull request 211: its first code added the prior with the
// opposite sign (the negative log prior to the log likelihood).
inline fx::Array gmm_objective(const fx::Array& theta, const fx::Array& x, const Wishart& wishart) {
  if (x.ndim() != 2 || theta.ndim() != 1)
    throw fx::ShapeError("gmm_objective: expected a vector θ and points x of shape (N, D), got shapes " +
                         fx::shape_to_string(theta.shape()) + " and " + fx::shape_to_string(x.shape()));
  const int64_t N = x.shape()[0], D = x.shape()[1];
  const int64_t K = theta.shape()[0] / (1 + D + D * (D + 1) / 2);
  const GmmLayout at{K, D};
  if (K == 0 || at.size() != theta.shape()[0])
    throw fx::ValueError("gmm_objective: θ must hold K·(1 + D + D(D+1)/2) numbers for D = " + std::to_string(D) +
                         ", got " + std::to_string(theta.shape()[0]));
  const fx::Array alphas = theta(fx::s(0, at.means_at()));
  const fx::Array means = theta(fx::s(at.means_at(), at.icf_at())).reshape({K, D});
  const fx::Array icf = theta(fx::s(at.icf_at())).reshape({K, at.triangle()});

  const fx::Array Q = inverse_covariance_factors(icf, D);
  const fx::Array log_det_Q = fx::sum(icf(fx::all, fx::s(0, D)), {1});                  // (K)
  const fx::Array centered = x(fx::all, fx::newaxis, fx::all) - means(fx::newaxis);      // (N, K, D)
  const fx::Array Qx = fx::einsum("kij,nkj->nki", Q, centered);                          // Qₖ(xᵢ − μₖ)
  const fx::Array inner = alphas + log_det_Q - 0.5 * fx::sum(Qx * Qx, {2});              // (N, K)
  const double two_pi = 2.0 * fx::pi;
  const fx::Array log_likelihood = -0.5 * static_cast<double>(N * D) * std::log(two_pi) +
                                   fx::sum(fx::nn::logsumexp(inner, {1})) -
                                   static_cast<double>(N) * fx::nn::logsumexp(alphas);

  const double n = static_cast<double>(D + wishart.m + 1), g = wishart.gamma;
  const fx::Array frobenius = fx::sum(Q * Q, {1, 2});                                    // ‖Qₖ‖²_F
  const fx::Array log_prior =
      -fx::sum(0.5 * g * g * frobenius - static_cast<double>(wishart.m) * log_det_Q) +
      static_cast<double>(K) * (n * static_cast<double>(D) * std::log(g / std::sqrt(2.0)) - log_multigamma(0.5 * n, D));
  return log_likelihood + log_prior;
}

// Deterministic parameters and data for a mixture of K components in D
// dimensions and N points: (θ, x), standard normals from `seed`, the
// log-diagonals scaled by 0.3 and the lower entries by 0.5 so that the
// precisions are moderate.
inline std::pair<fx::Array, fx::Array> gmm_example(int64_t N, int64_t D, int64_t K, int64_t seed) {
  const GmmLayout at{K, D};
  const fx::Array keys = fx::random::split(fx::random::key(seed), 2);
  const fx::Array theta = fx::random::normal(keys[0], {at.size()});
  const fx::Array icf_scale = fx::concatenate({fx::full({D}, 0.3), fx::full({at.triangle() - D}, 0.5)});
  const fx::Array scale = fx::concatenate({fx::ones({at.icf_at()}), fx::tile(icf_scale, K)});
  return {theta * scale, fx::random::normal(keys[1], {N, D})};
}

// (f(θ + h·eᵢ) − f(θ − h·eᵢ)) / 2h for every component i of θ.
template <class F> fx::Array central_differences(const F& f, const fx::Array& theta, double h) {
  std::vector<double> p = theta.to_vector<double>(), out;
  for (size_t i = 0; i < p.size(); ++i) {
    const double keep = p[i];
    p[i] = keep + h;
    const double up = f(fx::array(p, theta.shape())).template item<double>();
    p[i] = keep - h;
    const double down = f(fx::array(p, theta.shape())).template item<double>();
    p[i] = keep;
    out.push_back((up - down) / (2 * h));
  }
  return fx::array(out, theta.shape());
}

// max |a − b| / max(|b|, 1): a relative error that does not blow up at components near zero.
inline double max_relative_error(const fx::Array& a, const fx::Array& b) {
  const std::vector<double> va = a.to_vector<double>(), vb = b.to_vector<double>();
  double worst = 0;
  for (size_t i = 0; i < va.size(); ++i)
    worst = std::max(worst, std::abs(va[i] - vb[i]) / std::max(std::abs(vb[i]), 1.0));
  return worst;
}

// -------------------------------------------------------------------- GP

// The squared-exponential covariance σ²·exp(−(aᵢ − bⱼ)²/2ℓ²) between the
// points of a and of b, for log-hyperparameters θ = (log σ, log ℓ, log noise):
// logarithms keep all three positive whatever gradient ascent does to them.
inline fx::Array squared_exponential(const fx::Array& log_params, const fx::Array& a, const fx::Array& b) {
  const fx::Array sigma2 = fx::exp(2.0 * log_params[0]), ell2 = fx::exp(2.0 * log_params[1]);
  const fx::Array d = a(fx::all, fx::newaxis) - b(fx::newaxis, fx::all);
  return sigma2 * fx::exp(-(d * d) / (2.0 * ell2));
}

// K = k(X, X) + noise²·I: the covariance of the noisy observations.
inline fx::Array rbf_kernel(const fx::Array& log_params, const fx::Array& X) {
  return squared_exponential(log_params, X, X) + fx::exp(2.0 * log_params[2]) * fx::eye(X.shape()[0]);
}

// log p(y | X, θ) = −½ yᵀK⁻¹y − ½ log det K − (n/2) log 2π, with K = LLᵀ:
// z = L⁻¹y by one triangular solve gives yᵀK⁻¹y = ‖z‖², and
// ½ log det K = Σ log Lᵢᵢ.
inline fx::Array gp_log_marginal_likelihood(const fx::Array& log_params, const fx::Array& X, const fx::Array& y) {
  const fx::Array L = fx::linalg::cholesky(rbf_kernel(log_params, X));
  const fx::Array z = fx::lax::linalg::triangular_solve(L, y, /*left_side=*/true, /*lower=*/true);
  const double n = static_cast<double>(X.shape()[0]);
  return -0.5 * fx::sum(z * z) - fx::sum(fx::log(fx::diagonal(L))) - 0.5 * n * std::log(2.0 * fx::pi);
}

// n points of sin(x) on [0, 6] with Gaussian noise of standard deviation 0.1: (X, y).
inline std::pair<fx::Array, fx::Array> gp_example(int64_t n, int64_t seed) {
  const fx::Array X = fx::linspace(0.0, 6.0, n);
  return {X, fx::sin(X) + 0.1 * fx::random::normal(fx::random::key(seed), {n})};
}

// The posterior mean at new points X*: k(X*, X)·K⁻¹y, with K⁻¹y from the
// Cholesky factor by two triangular solves (jax.scipy.linalg.cho_solve).
inline fx::Array gp_posterior_mean(const fx::Array& log_params, const fx::Array& X, const fx::Array& y,
                                   const fx::Array& X_new) {
  const fx::Array L = fx::linalg::cholesky(rbf_kernel(log_params, X));
  return fx::matmul(squared_exponential(log_params, X_new, X), fx::linalg::cho_solve(L, /*lower=*/true, y));
}

// `steps` of gradient ascent θ ← θ + rate·∇θ log p(y | X, θ), in one fori_loop.
inline fx::Array gp_fit(const fx::Array& log_params, const fx::Array& X, const fx::Array& y, int steps, double rate) {
  const auto ascend = [X, y, rate](fx::Array, fx::Array theta) {
    return theta + rate * fx::grad(gp_log_marginal_likelihood)(theta, X, y);
  };
  return fx::fori_loop(0, steps, ascend, log_params);
}

}  // namespace science
