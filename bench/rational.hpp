// Shared by vmap_bench and its peers (bench/peers/vmap_*.cpp): seed 001's
// rational function f(x) = P(x) / (1 + Q(x)^2) (P, Q of degree 5, the seed
// program's coefficients, examples/seed_common.hpp), its hand-written f' and
// f'' (the yardstick every contender is divided by), the 10^6 points, and the
// naming and checking of benchmarks for scripts/bench.sh.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "check.hpp"

namespace rational {

// ---- the hand-written baseline, compiled with the library's flags (CMake
// Release: -O3, no -march=native, no -ffast-math: SSE2 vectors, no FMA) here,
// and with -O3 -march=native in rational_native.cpp (native::f, d1, d2).
#include "rational_hand.inc"

namespace native {
void f(const double* x, size_t n, double* out);
void d1(const double* x, size_t n, double* out);
void d2(const double* x, size_t n, double* out);
}  // namespace native

// The size: f' and f'' over 10^6 points.
inline constexpr size_t kPoints = 1000000;

// linspace(-9.95, 9.95, 10^6) inside the seed's I_10. With an even count no
// point is 0, where the seed's float_power(x, 0.) has the derivative 0 * 0^-1.
inline std::vector<double> points(size_t n = kPoints) {
  std::vector<double> x(n);
  const double lo = -9.95, step = 19.9 / static_cast<double>(n - 1);
  for (size_t i = 0; i < n; ++i) x[i] = lo + step * static_cast<double>(i);
  return x;
}

// Generic over the scalar type for the operator-overloading peers, in Horner
// form (what a C++ user of those libraries writes). Constants are of type R:
// a Jet of Jets only mixes with the inner Jet, not with double.
template <class T, class R = double> T f_generic(const T& x) {
  const R a5(kAlpha[5]), b5(kBeta[5]);
  T p(a5), q(b5);
  for (int i = 4; i >= 0; --i) {
    p = p * x + R(kAlpha[i]);
    q = q * x + R(kBeta[i]);
  }
  return p / (q * q + R(1.0));
}

// ---- naming and checking.

// "<task>/<contender>" with task f, d1 (f') or d2 (f''); scripts/bench.sh
// divides every time by that of "<task>/hand".
inline void add(const char* task, const std::string& who, std::function<void(benchmark::State&)> body) {
  benchmark::RegisterBenchmark((std::string(task) + "/" + who).c_str(),
                               [body = std::move(body)](benchmark::State& s) { body(s); })
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

// Items are points, so the JSON has points per second (ns per point = 1e9 / that).
inline void count_points(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kPoints));
}

// The hand-written values of a task at points().
inline const std::vector<double>& reference(const std::string& task) {
  static const auto make = [](void (*fn)(const double*, size_t, double*)) {
    const std::vector<double> x = points();
    std::vector<double> y(x.size());
    fn(x.data(), x.size(), y.data());
    return y;
  };
  static const std::vector<double> rf = make(f), r1 = make(d1), r2 = make(d2);
  return task == "f" ? rf : task == "d1" ? r1 : r2;
}

// A task's values against the hand-written ones, before timing (check.hpp).
inline bool check(benchmark::State& state, const std::string& task, const std::vector<double>& got) {
  return bench_util::check(state, got, reference(task));
}

// A peer's f' and f'' as loops over the points (out[i] at x[i]): registered
// as "d1/<who>" and "d2/<who>", checked before timing. `setup` runs first in
// each benchmark (ADOL-C records its tape there).
// A hand-written loop over all points (rational::d1, native::d2...) as a
// benchmark body: checked against the reference, then timed.
using Loop = void (*)(const double* x, size_t n, double* out);
inline void time_loop(benchmark::State& s, const std::string& task, Loop fn) {
  const std::vector<double> x = points();
  std::vector<double> y(x.size());
  fn(x.data(), x.size(), y.data());
  if (!check(s, task, y)) return;
  for (auto _ : s) {
    benchmark::DoNotOptimize(x.data());
    fn(x.data(), x.size(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  count_points(s);
}

using PointLoop = void (*)(const std::vector<double>& x, std::vector<double>& out);
inline void add_point_loops(const std::string& who, PointLoop d1_loop, PointLoop d2_loop,
                            void (*setup)() = nullptr) {
  for (auto [task, fn] : {std::pair<const char*, PointLoop>{"d1", d1_loop}, std::pair<const char*, PointLoop>{"d2", d2_loop}})
    add(task, who, [task = std::string(task), fn = fn, setup](benchmark::State& s) {
      if (setup) setup();
      const std::vector<double> x = points();
      std::vector<double> y(x.size());
      fn(x, y);
      if (!check(s, task, y)) return;
      for (auto _ : s) {
        fn(x, y);
        benchmark::DoNotOptimize(y.data());
      }
      count_points(s);
    });
}

// The peers: each file registers its benchmarks (bench/peers/vmap_*.cpp).
void register_adolc();
void register_eigen();
void register_ceres();
void register_sacado();
void register_torch();

}  // namespace rational
