// Normal draws per second: fx::random::normal (threefry2x32 + erf_inv, bit
// for bit JAX's values) against the C++ standard library's
// std::normal_distribution over std::mt19937_64, both filling 10^7 float64
// values, in the same run. docs/BENCHMARKS.md records the figures.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;

void BM_FluxionNormalF64(benchmark::State& state) {
  const int64_t n = state.range(0);
  const fx::Array key = fx::random::key(0);
  benchmark::DoNotOptimize(fx::random::normal(key, {n}).data());  // warm-up
  for (auto _ : state) {
    fx::Array z = fx::random::normal(key, {n});
    benchmark::DoNotOptimize(z.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_StdNormalF64(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::mt19937_64 engine(0);
  std::vector<double> out(static_cast<size_t>(n));
  for (auto _ : state) {
    std::normal_distribution<double> dist;
    for (double& x : out) x = dist(engine);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n);
}

// Fluxion's outputs come from a cache of already-touched blocks
// (core/alloc.hpp) once the first draw has run; the warm-up call
// outside the timed loop measures that steady state, as the std loop reuses
// its (already touched) vector.
// The bits and the uniforms alone, to see where the time goes.
void BM_FluxionUniformF64(benchmark::State& state) {
  const int64_t n = state.range(0);
  const fx::Array key = fx::random::key(0);
  benchmark::DoNotOptimize(fx::random::uniform(key, {n}).data());  // warm-up
  for (auto _ : state) {
    fx::Array u = fx::random::uniform(key, {n});
    benchmark::DoNotOptimize(u.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_FluxionBits64(benchmark::State& state) {
  const int64_t n = state.range(0);
  const fx::Array key = fx::random::key(0);
  benchmark::DoNotOptimize(fx::random::bits(key, {n}, fx::uint64).data());  // warm-up
  for (auto _ : state) {
    fx::Array b = fx::random::bits(key, {n}, fx::uint64);
    benchmark::DoNotOptimize(b.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}

constexpr int64_t kN = 10'000'000;
BENCHMARK(BM_FluxionNormalF64)->Arg(kN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StdNormalF64)->Arg(kN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FluxionUniformF64)->Arg(kN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FluxionBits64)->Arg(kN)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
