// Eager dispatch cost: a 0-d operation goes through promotion, fx::bind, the
// shape rule and the kernel. Compared with the bare arithmetic it performs.
#include <benchmark/benchmark.h>

#include <cmath>

#include "fluxion/fluxion.hpp"

namespace fx = fluxion;

static void BM_Add0d(benchmark::State& state) {
  const fx::Array a = fx::array({1.5}).reshape({}), b = fx::array({2.5}).reshape({});
  for (auto _ : state) benchmark::DoNotOptimize(fx::add(a, b));
}
BENCHMARK(BM_Add0d);

static void BM_Sin0d(benchmark::State& state) {
  const fx::Array a = fx::array({0.5}).reshape({});
  for (auto _ : state) benchmark::DoNotOptimize(fx::sin(a));
}
BENCHMARK(BM_Sin0d);

// A weak C++ scalar meeting an array: the common `x * 2.0` form.
static void BM_MulWeakScalar0d(benchmark::State& state) {
  const fx::Array a = fx::array({1.5}).reshape({});
  for (auto _ : state) benchmark::DoNotOptimize(a * 2.0);
}
BENCHMARK(BM_MulWeakScalar0d);

static void BM_BaselineScalarSin(benchmark::State& state) {
  double x = 0.5;
  for (auto _ : state) {
    benchmark::DoNotOptimize(x);
    benchmark::DoNotOptimize(std::sin(x));
  }
}
BENCHMARK(BM_BaselineScalarSin);

BENCHMARK_MAIN();
