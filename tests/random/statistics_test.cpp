// Statistics of 10^6 draws: moments and the Kolmogorov-Smirnov distance to
// the exact CDF. With n = 10^6 the KS statistic of a correct sampler exceeds
// 1.95 / sqrt(n) with probability 0.1% (Kolmogorov's distribution), so the
// fixed keys here would fail only for a real defect (a biased mantissa, a
// wrong erf_inv branch, repeated counters...).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <unordered_set>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;
namespace rnd = fx::random;

constexpr int64_t kN = 1000000;

struct Moments {
  double mean, variance;
};
Moments moments(const std::vector<double>& v) {
  const double n = static_cast<double>(v.size());
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return {mean, ss / (n - 1)};
}

template <class Cdf> double ks_statistic(std::vector<double> v, Cdf cdf) {
  std::sort(v.begin(), v.end());
  const double n = static_cast<double>(v.size());
  double d = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const double f = cdf(v[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d;
}

const double kKsCritical = 1.95 / std::sqrt(static_cast<double>(kN));
// Moments: 5 standard errors.
const double kMeanTol = 5.0 / std::sqrt(static_cast<double>(kN));

class Sampled : public ::testing::TestWithParam<fx::DType> {};

TEST_P(Sampled, UniformMomentsAndKs) {
  const fx::Array u = rnd::uniform(rnd::key(2024), {kN}, GetParam());
  const auto v = u.to_vector<double>();
  EXPECT_EQ(u.dtype(), GetParam());
  EXPECT_GE(*std::min_element(v.begin(), v.end()), 0.0);
  EXPECT_LT(*std::max_element(v.begin(), v.end()), 1.0);
  const Moments m = moments(v);
  EXPECT_NEAR(m.mean, 0.5, kMeanTol * std::sqrt(1.0 / 12));
  EXPECT_NEAR(m.variance, 1.0 / 12, 5.0 * std::sqrt(1.0 / 180 / kN));  // Var of s^2: 1/180n for U(0,1)
  EXPECT_LT(ks_statistic(v, [](double x) { return x; }), kKsCritical);
}

TEST_P(Sampled, NormalMomentsAndKs) {
  const fx::Array z = rnd::normal(rnd::key(7), {kN}, GetParam());
  const auto v = z.to_vector<double>();
  const Moments m = moments(v);
  EXPECT_NEAR(m.mean, 0.0, kMeanTol);
  EXPECT_NEAR(m.variance, 1.0, 5.0 * std::sqrt(2.0 / kN));
  EXPECT_LT(ks_statistic(v, [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }), kKsCritical);
  // Tails: P(|z| > 4) = 6.3e-5, so about 63 of 10^6.
  const auto tail = std::count_if(v.begin(), v.end(), [](double x) { return std::fabs(x) > 4.0; });
  EXPECT_GT(tail, 30);
  EXPECT_LT(tail, 110);
}

TEST_P(Sampled, ExponentialMomentsAndKs) {
  const auto v = rnd::exponential(rnd::key(11), {kN}, GetParam()).to_vector<double>();
  const Moments m = moments(v);
  EXPECT_NEAR(m.mean, 1.0, kMeanTol);
  EXPECT_NEAR(m.variance, 1.0, 5.0 * std::sqrt(8.0 / kN));
  EXPECT_LT(ks_statistic(v, [](double x) { return -std::expm1(-x); }), kKsCritical);
}

INSTANTIATE_TEST_SUITE_P(BothFloatTypes, Sampled, ::testing::Values(fx::float32, fx::float64),
                         [](const auto& info) { return std::string(fx::dtype_name(info.param)); });

TEST(RandomStatistics, UniformWithBoundsStaysInRange) {
  const auto v = rnd::uniform(rnd::key(3), {100000}, fx::float64, -2.0, 5.0).to_vector<double>();
  EXPECT_GE(*std::min_element(v.begin(), v.end()), -2.0);
  EXPECT_LT(*std::max_element(v.begin(), v.end()), 5.0);
  EXPECT_NEAR(moments(v).mean, 1.5, 7.0 * 5.0 / std::sqrt(12.0 * 100000));
}

TEST(RandomStatistics, RandintAndBernoulliFrequencies) {
  const auto r = rnd::randint(rnd::key(5), {kN}, -3, 7).to_vector<int32_t>();
  std::vector<int64_t> counts(10);
  for (int32_t x : r) {
    ASSERT_GE(x, -3);
    ASSERT_LT(x, 7);
    ++counts[x + 3];
  }
  double chi2 = 0;
  for (int64_t c : counts) chi2 += std::pow(static_cast<double>(c) - kN / 10.0, 2) / (kN / 10.0);
  EXPECT_LT(chi2, 27.9);  // chi^2 with 9 degrees of freedom, p = 0.001
  const auto b = rnd::bernoulli(rnd::key(6), 0.3, fx::Shape{kN}).to_vector<bool>();
  const double p = static_cast<double>(std::count(b.begin(), b.end(), true)) / kN;
  EXPECT_NEAR(p, 0.3, 5.0 * std::sqrt(0.21 / kN));
  const auto bh = rnd::bernoulli(rnd::key(6), 1e-3, fx::Shape{kN}, true).to_vector<bool>();
  EXPECT_NEAR(static_cast<double>(std::count(bh.begin(), bh.end(), true)), 1000.0, 5.0 * std::sqrt(1000.0));
}

TEST(RandomStatistics, NoKeyCollisionsOverAMillionSplits) {
  for (bool partitionable : {true, false}) {
    rnd::ThreefryPartitionableScope scope(partitionable);
    const auto k = rnd::split(rnd::key(0), kN).to_vector<uint32_t>();
    std::unordered_set<uint64_t> seen;
    seen.reserve(static_cast<size_t>(kN) + 1);
    seen.insert(0);  // the parent key(0) itself
    for (int64_t i = 0; i < kN; ++i) seen.insert(uint64_t{k[2 * i]} << 32 | k[2 * i + 1]);
    EXPECT_EQ(seen.size(), static_cast<size_t>(kN) + 1) << "partitionable=" << partitionable;
  }
}

TEST(RandomStatistics, PermutationIsAPermutation) {
  const auto p = rnd::permutation(rnd::key(9), 1000).to_vector<int32_t>();
  std::vector<int32_t> sorted = p, expected(1000);
  std::sort(sorted.begin(), sorted.end());
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(sorted, expected);
  EXPECT_NE(p, expected);
}

}  // namespace
