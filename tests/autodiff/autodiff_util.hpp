// Shared helpers of the autodiff tests: reproducible random points and a
// gtest-friendly wrapper around fx::check_grads.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace autodiff_test {

namespace fx = fluxion;

// Uniform entries in [lo, hi), from a fixed seed.
inline fx::Array uniform(uint64_t seed, const fx::Shape& shape, double lo = -2.0, double hi = 2.0,
                         fx::DType dtype = fx::float64) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<double> v(static_cast<size_t>(n));
  for (double& e : v) e = dist(rng);
  return fx::array(v, shape, dtype);
}

// Entries with |x| in [lo, hi) and random sign: away from the kink or pole at 0.
inline fx::Array signed_uniform(uint64_t seed, const fx::Shape& shape, double lo = 0.3, double hi = 2.0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  std::bernoulli_distribution coin;
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<double> v(static_cast<size_t>(n));
  for (double& e : v) e = coin(rng) ? dist(rng) : -dist(rng);
  return fx::array(v, shape);
}

// Success, or check_grads' message as the failure (so gtest prints which
// mode, order and element disagreed).
template <class F>
::testing::AssertionResult grads_ok(const F& f, const std::vector<fx::Array>& args, int order = 2,
                                    fx::GradMode modes = fx::fwd | fx::rev,
                                    std::optional<double> tol = std::nullopt) {
  try {
    fx::check_grads(f, args, order, modes, tol, tol);
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << e.what();
  }
}

inline std::vector<double> values(const fx::Array& x) { return x.to_vector<double>(); }

}  // namespace autodiff_test
