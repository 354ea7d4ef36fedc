// What the jit tests compare with: deterministic inputs, and jitted results
// against eager ones bit for bit (docs/NUMERICS.md "jit against eager").
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace jit_test {

namespace fx = fluxion;

// Entries in [lo, hi) from a fixed seed (a small LCG: no <random> distribution
// differences between standard libraries).
inline fx::Array uniform(uint64_t seed, const fx::Shape& shape, double lo = -2.0, double hi = 2.0,
                         fx::DType dtype = fx::float64) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<double> v(static_cast<size_t>(n));
  uint64_t s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  for (double& e : v) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    e = lo + (hi - lo) * static_cast<double>(s >> 11) * 0x1p-53;
  }
  return fx::array(v, shape, dtype);
}

inline std::vector<uint64_t> bits(const fx::Array& x) {
  std::vector<uint64_t> out;
  for (double v : x.to_vector<double>()) out.push_back(std::bit_cast<uint64_t>(v));
  return out;
}

// Bitwise agreement, weak type included (float32 and int32 convert to double exactly).
inline void expect_same(const fx::Array& got, const fx::Array& want) {
  ASSERT_TRUE(got.valid());
  ASSERT_EQ(got.shape(), want.shape());
  ASSERT_EQ(got.dtype(), want.dtype());
  EXPECT_EQ(got.weak_type(), want.weak_type());
  const auto g = got.to_vector<double>(), w = want.to_vector<double>();
  const auto gb = bits(got), wb = bits(want);
  for (size_t i = 0; i < g.size(); ++i)
    EXPECT_EQ(gb[i], wb[i]) << "element " << i << ": got " << std::hexfloat << g[i] << ", want " << w[i];
}

inline void expect_same(const std::vector<fx::Array>& got, const std::vector<fx::Array>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE("output " + std::to_string(i));
    expect_same(got[i], want[i]);
  }
}

}  // namespace jit_test
