// Throughput of fluxion::kernels::unary_math (run-time dispatched) against a
// plain loop over SLEEF's best vector function for this machine, compiled
// with -march=native (sleef_baseline.cpp). Both run on the same 10^6 inputs;
// compare items_per_second of BM_Fluxion/... with BM_SleefNative/...
// float64 exp is XLA's algorithm in Fluxion and SLEEF's in the baseline.
#include "kernels/unary_math.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <random>
#include <vector>

namespace sleef_baseline {
enum class Fn { exp, sin, tanh };
const char* isa();
void run(Fn f, const double* in, double* out, size_t n);
void run(Fn f, const float* in, float* out, size_t n);
}  // namespace sleef_baseline

namespace {

using fluxion::kernels::UnaryMath;
using sleef_baseline::Fn;

constexpr size_t kN = 1'000'000;

// Arguments in each function's everyday range, identical for both contenders.
template <class T>
const std::vector<T>& Inputs(Fn f) {
  static const auto make = [](double lo, double hi) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<T> v(kN);
    for (T& x : v) x = static_cast<T>(u(rng));
    return v;
  };
  static const std::vector<T> exp_in = make(-50, 50), sin_in = make(-10, 10), tanh_in = make(-5, 5);
  return f == Fn::exp ? exp_in : f == Fn::sin ? sin_in : tanh_in;
}

UnaryMath ToOp(Fn f) {
  return f == Fn::exp ? UnaryMath::exp : f == Fn::sin ? UnaryMath::sin : UnaryMath::tanh;
}

template <class T>
void BM_Fluxion(benchmark::State& state, Fn f) {
  const std::vector<T>& in = Inputs<T>(f);
  std::vector<T> out(kN);
  for (auto _ : state) {
    fluxion::kernels::unary_math(ToOp(f), in.data(), out.data(), static_cast<int64_t>(kN));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kN));
}

template <class T>
void BM_SleefNative(benchmark::State& state, Fn f) {
  const std::vector<T>& in = Inputs<T>(f);
  std::vector<T> out(kN);
  for (auto _ : state) {
    sleef_baseline::run(f, in.data(), out.data(), kN);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kN));
  state.SetLabel(sleef_baseline::isa());
}

// BENCHMARK_CAPTURE pastes the function name into an identifier, so it
// needs plain (non-template) names.
void BM_Fluxion_f64(benchmark::State& s, Fn f) { BM_Fluxion<double>(s, f); }
void BM_Fluxion_f32(benchmark::State& s, Fn f) { BM_Fluxion<float>(s, f); }
void BM_SleefNative_f64(benchmark::State& s, Fn f) { BM_SleefNative<double>(s, f); }
void BM_SleefNative_f32(benchmark::State& s, Fn f) { BM_SleefNative<float>(s, f); }

#define FLUXION_BENCH(fn)                             \
  BENCHMARK_CAPTURE(BM_Fluxion_f64, fn, Fn::fn);      \
  BENCHMARK_CAPTURE(BM_SleefNative_f64, fn, Fn::fn);  \
  BENCHMARK_CAPTURE(BM_Fluxion_f32, fn, Fn::fn);      \
  BENCHMARK_CAPTURE(BM_SleefNative_f32, fn, Fn::fn);

FLUXION_BENCH(exp)
FLUXION_BENCH(sin)
FLUXION_BENCH(tanh)

}  // namespace

BENCHMARK_MAIN();
