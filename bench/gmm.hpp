// ADBench's Gaussian mixture model objective (Srajer, Kukelova and Fitzgibbon,
// "A benchmark of selected algorithmic differentiation tools on some problems
// in computer vision and machine learning", 2018; ADBench's gmm_objective):
// the plain C++ function, step for step as ADBench's C++ reference writes it,
// and the same function written with Fluxion's existing ops for jit_bench.
//
// Parameters: alphas (K), means (K x d), icf (K x (d + d(d-1)/2)): per
// component, the log of Q's diagonal, then Q's strictly lower triangle column
// by column; Q = diag(exp(q)) + L is the inverse covariance's Cholesky factor.
//   err = -n d/2 log(2 pi) + sum_i logsumexp_k(alpha_k + sum(q_k) - |Q_k (x_i - mu_k)|^2 / 2)
//         - n logsumexp(alpha) + log Wishart prior(gamma, m)
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace gmm {

struct Problem {
  int d = 0, k = 0, n = 0;
  std::vector<double> alphas, means, icf, x;  // row-major
  double gamma = 1.0;                         // ADBench's Wishart prior: gamma = 1, m = 0
  int m = 0;
  int icf_size() const { return d * (d + 1) / 2; }
  size_t parameters() const { return alphas.size() + means.size() + icf.size(); }
};

// Deterministic data of ADBench's shapes: alphas ~ N(0, 1), means ~ U(0, 1),
// icf ~ N(0, 1) / 2, x ~ N(0, 1).
inline Problem problem(int d, int k, int n) {
  Problem p;
  p.d = d;
  p.k = k;
  p.n = n;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int i = 0; i < k; ++i) p.alphas.push_back(normal(rng));
  for (int i = 0; i < k * d; ++i) p.means.push_back(uniform(rng));
  for (int i = 0; i < k * p.icf_size(); ++i) p.icf.push_back(0.5 * normal(rng));
  for (int i = 0; i < n * d; ++i) p.x.push_back(normal(rng));
  return p;
}

// ---- the plain C++ objective (ADBench's gmm_objective, on doubles).

inline double logsumexp(const double* v, int n) {
  const double mx = *std::max_element(v, v + n);
  double s = 0;
  for (int i = 0; i < n; ++i) s += std::exp(v[i] - mx);
  return std::log(s) + mx;
}

inline double log_gamma_distrib(double a, int p) {
  double out = 0.25 * p * (p - 1) * std::log(M_PI);
  for (int j = 1; j <= p; ++j) out += std::lgamma(a + 0.5 * (1 - j));
  return out;
}

// The constant part of the Wishart prior: K * C.
inline double wishart_constant(const Problem& p) {
  const int n = p.d + p.m + 1;
  const double c = n * p.d * (std::log(p.gamma) - 0.5 * std::log(2.0)) - log_gamma_distrib(0.5 * n, p.d);
  return p.k * c;
}

inline double objective(const Problem& p, const double* alphas, const double* means, const double* icf) {
  const int d = p.d, k = p.k, n = p.n, sz = p.icf_size();
  const double constant = -n * d * 0.5 * std::log(2 * M_PI);
  std::vector<double> qdiag(static_cast<size_t>(d * k)), sum_qs(static_cast<size_t>(k)), xc(static_cast<size_t>(d)),
      qxc(static_cast<size_t>(d)), main_term(static_cast<size_t>(k));
  for (int ik = 0; ik < k; ++ik) {
    sum_qs[ik] = 0;
    for (int id = 0; id < d; ++id) {
      sum_qs[ik] += icf[ik * sz + id];
      qdiag[ik * d + id] = std::exp(icf[ik * sz + id]);
    }
  }
  double slse = 0;
  for (int ix = 0; ix < n; ++ix) {
    for (int ik = 0; ik < k; ++ik) {
      for (int id = 0; id < d; ++id) xc[id] = p.x[ix * d + id] - means[ik * d + id];
      // Q x: diagonal, then the strictly lower triangle column by column.
      for (int id = 0; id < d; ++id) qxc[id] = qdiag[ik * d + id] * xc[id];
      const double* ltri = icf + ik * sz + d;
      int li = 0;
      for (int i = 0; i < d; ++i)
        for (int j = i + 1; j < d; ++j) qxc[j] += ltri[li++] * xc[i];
      double sq = 0;
      for (int id = 0; id < d; ++id) sq += qxc[id] * qxc[id];
      main_term[ik] = alphas[ik] + sum_qs[ik] - 0.5 * sq;
    }
    slse += logsumexp(main_term.data(), k);
  }
  const double lse_alphas = logsumexp(alphas, k);
  double prior = 0;
  for (int ik = 0; ik < k; ++ik) {
    double frobenius = 0;
    for (int id = 0; id < d; ++id) frobenius += qdiag[ik * d + id] * qdiag[ik * d + id];
    for (int i = d; i < sz; ++i) frobenius += icf[ik * sz + i] * icf[ik * sz + i];
    prior += 0.5 * p.gamma * p.gamma * frobenius - p.m * sum_qs[ik];
  }
  return constant + slse - n * lse_alphas + prior - wishart_constant(p);
}

inline double objective(const Problem& p) { return objective(p, p.alphas.data(), p.means.data(), p.icf.data()); }

// Central differences of the plain objective at `count` parameters spread
// over alphas, means and icf (flattened in that order), h = 1e-5 * max(1, |v|):
// the indices and the values.
inline std::pair<std::vector<size_t>, std::vector<double>> finite_differences(const Problem& p, size_t count) {
  Problem q = p;
  const size_t total = p.parameters();
  std::vector<size_t> idx;
  for (size_t i = 0; i < count; ++i) idx.push_back(i * (total - 1) / (count - 1));
  std::vector<double> g;
  for (size_t i : idx) {
    double* v = i < p.alphas.size()                   ? &q.alphas[i]
                : i < p.alphas.size() + p.means.size() ? &q.means[i - p.alphas.size()]
                                                       : &q.icf[i - p.alphas.size() - p.means.size()];
    const double v0 = *v, h = 1e-5 * std::max(1.0, std::abs(v0));
    *v = v0 + h;
    const double up = objective(q);
    *v = v0 - h;
    const double down = objective(q);
    *v = v0;
    g.push_back((up - down) / (2 * h));
  }
  return {idx, g};
}

// ---- the same objective with Fluxion's ops. No slicing exists yet, so q and
// L are taken out of icf by contractions with 0/1 selection tensors (exact:
// every other term is a product with 0), and x_i - mu_k by broadcasting.

struct FxProblem {
  fluxion::Array alphas, means, icf;
};

inline FxProblem fx_problem(const Problem& p) {
  namespace fx = fluxion;
  return {fx::array(p.alphas, {p.k}), fx::array(p.means, {p.k, p.d}), fx::array(p.icf, {p.k, p.icf_size()})};
}

// f(alphas, means, icf), closing over x and the constants.
inline auto objective_fx(const Problem& p) {
  namespace fx = fluxion;
  const int d = p.d, k = p.k, n = p.n, sz = p.icf_size();
  std::vector<double> sel_q(static_cast<size_t>(sz * d), 0.0), sel_l(static_cast<size_t>(sz * d * d), 0.0);
  for (int id = 0; id < d; ++id) sel_q[static_cast<size_t>(id * d + id)] = 1.0;
  int li = d;
  for (int i = 0; i < d; ++i)
    for (int j = i + 1; j < d; ++j) sel_l[static_cast<size_t>((li++ * d + j) * d + i)] = 1.0;  // L[j][i]
  const fx::Array x = fx::array(p.x, {n, 1, d});
  const fx::Array select_q = fx::array(sel_q, {sz, d}), select_l = fx::array(sel_l, {sz, d, d});
  const double constant = -n * d * 0.5 * std::log(2 * M_PI) - wishart_constant(p);
  const double half_gamma2 = 0.5 * p.gamma * p.gamma, m = p.m;
  const auto logsumexp_last = [](const fx::Array& v) {  // over the last axis, as jax.nn.logsumexp
    const fx::Array mx = fx::stop_gradient(fx::max(v, {-1}, true));
    return fx::log(fx::sum(fx::exp(v - mx), {-1})) + fx::squeeze(mx, {-1});
  };
  return [=](fx::Array alphas, fx::Array means, fx::Array icf) {
    const fx::Array q = fx::einsum("kp,pa->ka", icf, select_q);       // (K, d)
    const fx::Array l = fx::einsum("kp,pab->kab", icf, select_l);     // (K, d, d), strictly lower
    const fx::Array qdiag = fx::exp(q);
    const fx::Array sum_qs = fx::sum(q, {1});                         // (K)
    const fx::Array xc = x - fx::reshape(means, {1, k, d});           // (n, K, d)
    const fx::Array qxc = fx::reshape(qdiag, {1, k, d}) * xc + fx::einsum("kab,ikb->ika", l, xc);
    const fx::Array main_term = alphas + sum_qs - 0.5 * fx::sum(qxc * qxc, {2});  // (n, K)
    const fx::Array slse = fx::sum(logsumexp_last(main_term));
    const fx::Array lse_alphas = logsumexp_last(alphas);
    const fx::Array frobenius = fx::sum(qdiag * qdiag, {1}) + fx::sum(l * l, {1, 2});
    const fx::Array prior = fx::sum(half_gamma2 * frobenius - m * sum_qs);
    return constant + slse - static_cast<double>(n) * lse_alphas + prior;
  };
}

}  // namespace gmm
