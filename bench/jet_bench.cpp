// Taylor mode (issue 12): all derivatives of orders 1..10 of seed 003's tanh,
// (1 - exp(-x)) / (1 + exp(-x)), at 1000 points. Contenders, each checked
// against the hand-written recurrence before it is timed (bench/check.hpp):
//   fluxion_vmap_jet     - fx::vmap of fx::jet with the series (1, 0, ..., 0): eager;
//   fluxion_jit_vmap_jet - the same under fx::jit (one compiled loop);
//   fluxion_nested_grad  - fx::vmap of ten nested fx::grad (seed 003's way), 100 points;
//   hand                 - the Taylor recurrences of exp and of the quotient, by hand;
//   taylor_number        - a generic Taylor-number type of order 10 (bench/taylor_number.hpp,
//                          what autodiff's Real<10> and Sacado's Tay::Taylor do);
//   sacado_taylor        - Sacado::Tay::Taylor<double> (with FLUXION_BENCH_PEERS).
// Times are per point (counter ns_per_point); scripts/bench.sh runs it and
// docs/BENCHMARKS.md reports the ratios.
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <functional>
#include <vector>

#include "check.hpp"
#include "fluxion/fluxion.hpp"
#include "seed_common.hpp"
#include "taylor_number.hpp"

#ifdef FLUXION_BENCH_WITH_SACADO
// Sacado_No_Kokkos.hpp first: Tay::Taylor's header relies on its declarations.
#include <Sacado_No_Kokkos.hpp>
#include <Sacado_Tay_Taylor.hpp>
#endif

namespace fx = fluxion;

namespace {

constexpr size_t kOrder = 10;
constexpr size_t kPoints = 1000;

std::vector<double> points(size_t n) {
  std::vector<double> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = -3.0 + 6.0 * static_cast<double>(i) / static_cast<double>(n - 1);
  return x;
}

constexpr double factorial(size_t k) { return k <= 1 ? 1.0 : static_cast<double>(k) * factorial(k - 1); }
constexpr auto kFactorials = [] {
  std::array<double, kOrder + 1> f{};
  for (size_t k = 0; k <= kOrder; ++k) f[k] = factorial(k);
  return f;
}();

// Derivatives 1..K of seed_tanh at each x, point-major (out[i * K + k - 1]).
void hand(const std::vector<double>& xs, std::vector<double>& out) {
  for (size_t i = 0; i < xs.size(); ++i) {
    // e = exp(-x - t): e_k = -e_(k-1) / k (normalised coefficients).
    double e[kOrder + 1], q[kOrder + 1];
    e[0] = std::exp(-xs[i]);
    for (size_t k = 1; k <= kOrder; ++k) e[k] = -e[k - 1] / static_cast<double>(k);
    // q = (1 - e) / (1 + e): (1 + e) q = 1 - e, one reciprocal per point.
    const double inv_b0 = 1.0 / (1.0 + e[0]);
    q[0] = (1.0 - e[0]) * inv_b0;
    for (size_t k = 1; k <= kOrder; ++k) {
      double s = -e[k];
      for (size_t j = 1; j <= k; ++j) s -= e[j] * q[k - j];
      q[k] = s * inv_b0;
    }
    for (size_t k = 1; k <= kOrder; ++k) out[i * kOrder + k - 1] = q[k] * kFactorials[k];
  }
}

void taylor_number(const std::vector<double>& xs, std::vector<double>& out) {
  using T = bench_taylor::TaylorNumber<kOrder>;
  for (size_t i = 0; i < xs.size(); ++i) {
    const T x = T::variable(xs[i]);
    const T y = (1.0 - exp(-x)) / (1.0 + exp(-x));
    for (size_t k = 1; k <= kOrder; ++k) out[i * kOrder + k - 1] = y.c[k] * factorial(k);
  }
}

#ifdef FLUXION_BENCH_WITH_SACADO
void sacado_taylor(const std::vector<double>& xs, std::vector<double>& out) {
  using T = Sacado::Tay::Taylor<double>;
  for (size_t i = 0; i < xs.size(); ++i) {
    T x(static_cast<int>(kOrder), xs[i]);
    x.fastAccessCoeff(1) = 1.0;
    const T y = (1.0 - exp(-x)) / (1.0 + exp(-x));
    for (size_t k = 1; k <= kOrder; ++k) out[i * kOrder + k - 1] = y.coeff(static_cast<int>(k)) * factorial(k);
  }
}
#endif

void per_point(benchmark::State& s, size_t n) {
  s.counters["ns_per_point"] = benchmark::Counter(static_cast<double>(s.iterations() * n),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void time_loop(benchmark::State& s, void (*fn)(const std::vector<double>&, std::vector<double>&)) {
  const std::vector<double> x = points(kPoints);
  std::vector<double> want(kPoints * kOrder), got(kPoints * kOrder);
  hand(x, want);
  fn(x, got);
  if (!bench_util::check(s, got, want)) return;
  for (auto _ : s) {
    fn(x, got);
    benchmark::DoNotOptimize(got.data());
  }
  per_point(s, kPoints);
}

// The K terms of seed_tanh along x + t, as one [K, n] array.
fx::Array derivatives(const fx::Array& x) {
  std::vector<fx::Array> series(kOrder, fx::zeros_like(x));
  series[0] = fx::ones_like(x);
  auto [y, ys] = fx::jet(seeds::seed_tanh, {x}, {series});
  return fx::stack(ys, -1);
}

void fluxion_contender(benchmark::State& s, const std::function<fx::Array(const fx::Array&)>& f, size_t n) {
  const std::vector<double> x = points(n);
  std::vector<double> want(n * kOrder);
  hand(x, want);
  const fx::Array xa = fx::array(x, {static_cast<int64_t>(n)});
  if (!bench_util::check(s, f(xa).to_vector<double>(), want)) return;
  for (auto _ : s) benchmark::DoNotOptimize(f(xa));
  per_point(s, n);
}

void BM_Hand(benchmark::State& s) { time_loop(s, hand); }
void BM_TaylorNumber(benchmark::State& s) { time_loop(s, taylor_number); }
#ifdef FLUXION_BENCH_WITH_SACADO
void BM_SacadoTaylor(benchmark::State& s) { time_loop(s, sacado_taylor); }
BENCHMARK(BM_SacadoTaylor)->Name("tanh10/sacado_taylor");
#endif

void BM_VmapJet(benchmark::State& s) {
  const auto f = fx::vmap([](fx::Array x) { return derivatives(x); });
  fluxion_contender(s, f, kPoints);
}

void BM_JitVmapJet(benchmark::State& s) {
  const auto f = fx::jit(fx::vmap([](fx::Array x) { return derivatives(x); }));
  fluxion_contender(s, f, kPoints);
}

// Seed 003's way: grad nested ten times (2^10 work per point), vmapped.
void BM_NestedGrad(benchmark::State& s) {
  std::vector<std::function<fx::Array(fx::Array)>> d{[](fx::Array x) { return seeds::seed_tanh(x); }};
  for (size_t k = 1; k <= kOrder; ++k) d.push_back(fx::grad(d.back()));
  const auto all = fx::vmap([d](fx::Array x) {
    std::vector<fx::Array> ys;
    for (size_t k = 1; k <= kOrder; ++k) ys.push_back(d[k](x));
    return fx::stack(ys, -1);
  });
  fluxion_contender(s, all, 100);
}

BENCHMARK(BM_Hand)->Name("tanh10/hand");
BENCHMARK(BM_TaylorNumber)->Name("tanh10/taylor_number");
BENCHMARK(BM_VmapJet)->Name("tanh10/fluxion_vmap_jet");
BENCHMARK(BM_JitVmapJet)->Name("tanh10/fluxion_jit_vmap_jet");
BENCHMARK(BM_NestedGrad)->Name("tanh10/fluxion_nested_grad")->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
