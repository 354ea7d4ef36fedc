// Shared by autodiff_bench and its peers (bench/peers/*.cpp): the Ackley
// function, its hand-written derivatives (the yardstick every contender is
// divided by), the input point, and the naming and checking of benchmarks so
// that scripts/bench.sh can pair each result with its baseline.
//
// f(x) = -a exp(-b sqrt(sum(x^2)/d)) - exp(sum(cos(c x))/d) + a + e
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "check.hpp"

namespace ackley {

inline constexpr double kA = 20.0, kB = 0.2, kC = 2.0 * 3.141592653589793, kE = 2.718281828459045;

// Sizes of the issue: the gradient's small, medium and large d; the Hessian
// at d = 100, and at d = 3 as well since it is a dense d x d result.
inline constexpr size_t kGradDims[] = {3, 1000, 100000};
inline constexpr size_t kHessDims[] = {3, 100};
// Forward mode costs O(d) function evaluations for a gradient: at d = 10^5
// that is hours, so forward-mode peers stop here.
inline constexpr size_t kForwardModeMaxDim = 1000;

// Deterministic, away from the kink of sqrt at the origin.
inline std::vector<double> point(size_t d) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  std::vector<double> x(d);
  for (double& v : x) v = u(rng);
  return x;
}

// Generic over the scalar type, for the operator-overloading peers (ADOL-C's
// adouble, Eigen's AutoDiffScalar, Ceres' Jet, Sacado's Fad and Rad). x*x,
// not pow(x, 2): what a C++ user of those libraries writes. Constants are of
// type R: a Jet of Jets only mixes with the inner Jet, not with double.
template <class T, class R = double, class Vec>
T f_generic(const Vec& x, size_t d) {
  using std::cos;
  using std::exp;
  using std::sqrt;
  const R a(kA), b(kB), c(kC), n(static_cast<double>(d)), shift(kA + kE);
  T sq(R(0.0)), cs(R(0.0));
  for (size_t i = 0; i < d; ++i) {
    sq += x[i] * x[i];
    cs += cos(c * x[i]);
  }
  T t1 = -a * exp(-b * sqrt(sq / n));
  T t2 = exp(cs / n);
  return t1 - t2 + shift;
}

// ---- the hand-written baseline: plain loops, -O3, libm.

inline double f(const double* x, size_t d) {
  double sq = 0, cs = 0;
  for (size_t i = 0; i < d; ++i) {
    sq += x[i] * x[i];
    cs += std::cos(kC * x[i]);
  }
  const double n = static_cast<double>(d);
  return -kA * std::exp(-kB * std::sqrt(sq / n)) - std::exp(cs / n) + kA + kE;
}

// df/dx_i = p x_i + q sin(c x_i), with r = sqrt(sum(x^2)/d),
// p = a b exp(-b r) / (d r), q = c exp(sum(cos(c x))/d) / d.
inline void grad(const double* x, size_t d, double* g) {
  double sq = 0, cs = 0;
  for (size_t i = 0; i < d; ++i) {
    sq += x[i] * x[i];
    cs += std::cos(kC * x[i]);
  }
  const double n = static_cast<double>(d), r = std::sqrt(sq / n);
  const double p = kA * kB * std::exp(-kB * r) / (n * r), q = kC * std::exp(cs / n) / n;
  for (size_t i = 0; i < d; ++i) g[i] = p * x[i] + q * std::sin(kC * x[i]);
}

// H_ij = p d_ij - p (b + 1/r) x_i x_j / (d r) + (c^2 E / d)(cos(c x_i) d_ij - s_i s_j / d),
// E = exp(sum(cos(c x))/d), s_i = sin(c x_i); dense, row-major.
inline void hessian(const double* x, size_t d, double* h, double* s_scratch) {
  double sq = 0, cs = 0;
  for (size_t i = 0; i < d; ++i) {
    sq += x[i] * x[i];
    cs += std::cos(kC * x[i]);
  }
  const double n = static_cast<double>(d), r = std::sqrt(sq / n);
  const double p = kA * kB * std::exp(-kB * r) / (n * r);
  const double u = p * (kB + 1.0 / r) / (n * r), w = kC * kC * std::exp(cs / n) / n;
  for (size_t i = 0; i < d; ++i) s_scratch[i] = std::sin(kC * x[i]);
  for (size_t i = 0; i < d; ++i) {
    double* row = h + i * d;
    const double ux = u * x[i], ws = w * s_scratch[i] / n;
    for (size_t j = 0; j < d; ++j) row[j] = -ux * x[j] - ws * s_scratch[j];
    row[i] += p + w * std::cos(kC * x[i]);
  }
}

// ---- naming and checking.

// "<task>/d:<d>/<contender>"; scripts/bench.sh divides every time by that of
// "<task>/d:<d>/hand" (and grad by f for the eager contenders).
inline std::string name(const char* task, size_t d, const std::string& who) {
  return std::string(task) + "/d:" + std::to_string(d) + "/" + who;
}

inline void add(const char* task, size_t d, const std::string& who, std::function<void(benchmark::State&)> body) {
  benchmark::RegisterBenchmark(name(task, d, who).c_str(), [body = std::move(body)](benchmark::State& s) { body(s); })
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime();
}

// Results are compared with the hand-written ones before timing (check.hpp).
using bench_util::check;

inline std::vector<double> reference_grad(size_t d) {
  const std::vector<double> x = point(d);
  std::vector<double> g(d);
  grad(x.data(), d, g.data());
  return g;
}

inline std::vector<double> reference_hessian(size_t d) {
  const std::vector<double> x = point(d);
  std::vector<double> h(d * d), s(d);
  hessian(x.data(), d, h.data(), s.data());
  return h;
}

inline std::vector<double> reference_f(size_t d) {
  const std::vector<double> x = point(d);
  return {f(x.data(), d)};
}

// The plain C++ contenders' timed loops, for every benchmark that compares
// with them: f (its value checked first), the hand-written gradient and Hessian.
inline void time_f(benchmark::State& s, size_t d) {
  const std::vector<double> x = point(d);
  if (!check(s, {f(x.data(), d)}, reference_f(d))) return;
  for (auto _ : s) {
    benchmark::DoNotOptimize(x.data());
    benchmark::DoNotOptimize(f(x.data(), d));
  }
}

inline void time_grad(benchmark::State& s, size_t d) {
  const std::vector<double> x = point(d);
  std::vector<double> g(d);
  for (auto _ : s) {
    benchmark::DoNotOptimize(x.data());
    grad(x.data(), d, g.data());
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}

inline void time_hessian(benchmark::State& s, size_t d) {
  const std::vector<double> x = point(d);
  std::vector<double> h(d * d), scratch(d);
  for (auto _ : s) {
    benchmark::DoNotOptimize(x.data());
    hessian(x.data(), d, h.data(), scratch.data());
    benchmark::DoNotOptimize(h.data());
    benchmark::ClobberMemory();
  }
}

// The peers: each file registers its benchmarks (bench/peers/*.cpp).
void register_adolc();
void register_eigen();
void register_ceres();
void register_sacado();
void register_torch();

}  // namespace ackley
