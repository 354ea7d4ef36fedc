// Every benchmark contender must compute the same thing as the hand-written
// code: its values are compared once, before timing (max error relative to
// the largest |value|, recorded as the rel_err counter), and a contender that
// differs is skipped with an error instead of being timed.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace bench_util {

inline bool check(benchmark::State& state, const std::vector<double>& got, const std::vector<double>& want) {
  double err = got.size() == want.size() ? 0.0 : INFINITY, scale = 0.0;
  for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
    err = std::max(err, std::abs(got[i] - want[i]));
    scale = std::max(scale, std::abs(want[i]));
  }
  const double rel = err / std::max(scale, 1e-300);
  state.counters["rel_err"] = rel;
  if (!(rel < 1e-9)) {
    state.SkipWithError(("result differs from the hand-written one, rel_err " + std::to_string(rel)).c_str());
    return false;
  }
  return true;
}

}  // namespace bench_util
