// fx::random against values JAX states: its documentation (JAX >= 0.5,
// jax_threefry_partitionable=True), the notes' float64 normal draws, and
// tests/random_test.py in JAX's repository for the original scheme
// (testRngRandomBits, testPRNGValues, testRandomDistributionValues, whose
// seeds are zlib.adler32(name + "threefry2x32")).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;
namespace rnd = fx::random;

std::vector<uint32_t> u32(const fx::Array& a) { return a.to_vector<uint32_t>(); }

// Sets the original (pre-0.5) scheme for one test.
struct OriginalScheme : ::testing::Test {
  rnd::ThreefryPartitionableScope scope{false};
};

TEST(RandomKeys, KeyFromSeedAsJax) {
  // jax's test_prng_seeds_and_keys (x64): 64-bit seeds split in two words,
  // 32-bit seeds give a zero high word.
  EXPECT_EQ(u32(rnd::key(0)), (std::vector<uint32_t>{0, 0}));
  EXPECT_EQ(u32(rnd::key(3)), (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(u32(rnd::key(-1)), (std::vector<uint32_t>{4294967295u, 4294967295u}));
  EXPECT_EQ(u32(rnd::key(-3)), (std::vector<uint32_t>{4294967295u, 4294967293u}));
  EXPECT_EQ(u32(rnd::key(2147483647LL + 100)), (std::vector<uint32_t>{0, 2147483747u}));
  EXPECT_EQ(u32(rnd::key(-2147483648LL - 100)), (std::vector<uint32_t>{4294967295u, 2147483548u}));
  EXPECT_EQ(u32(rnd::key(fx::array_of<int32_t>({-2}, {}))), (std::vector<uint32_t>{0, 4294967294u}));
  EXPECT_EQ(u32(rnd::key(fx::array_of<uint32_t>({2147483748u}, {}))), (std::vector<uint32_t>{0, 2147483748u}));
  EXPECT_EQ(u32(rnd::PRNGKey(1)), (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(rnd::key(7).dtype(), fx::uint32);
  EXPECT_EQ(rnd::key(7).shape(), fx::Shape{2});
}

TEST(RandomKeys, SplitMatchesJaxDocs) {
  const fx::Array k = rnd::split(rnd::key(0));
  EXPECT_EQ(k.shape(), (fx::Shape{2, 2}));
  EXPECT_EQ(u32(k), (std::vector<uint32_t>{1797259609u, 2579123966u, 928981903u, 3453687069u}));
}

TEST(RandomKeys, SplitEqualsFoldInUnderPartitionable) {
  // jax's test_threefry_split_fold_in_symmetry.
  const fx::Array k = rnd::key(72);
  const fx::Array s = rnd::split(k, 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(u32(s[i]), u32(rnd::fold_in(k, i))) << i;
  EXPECT_EQ(rnd::split(k, fx::Shape{2, 3}).shape(), (fx::Shape{2, 3, 2}));
  // Flat index 5 of a (2, 3) split is counter 5.
  EXPECT_EQ(u32(rnd::split(k, fx::Shape{2, 3})[1][2]), u32(rnd::fold_in(k, 5)));
}

TEST(RandomKeys, FoldInIsSchemeIndependent) {
  // testPRNGValues: fold_in(key(0), 4).
  const std::vector<uint32_t> expected{2285895361u, 433833334u};
  EXPECT_EQ(u32(rnd::fold_in(rnd::key(0), 4)), expected);
  rnd::ThreefryPartitionableScope original(false);
  EXPECT_EQ(u32(rnd::fold_in(rnd::key(0), 4)), expected);
}

TEST(RandomUniform, MatchesJaxDocs) {
  const fx::Array u = rnd::uniform(rnd::key(0), {3}, fx::float32);
  EXPECT_EQ(u.to_vector<float>(), (std::vector<float>{0.947667f, 0.9785799f, 0.33229148f}));
  EXPECT_EQ(rnd::uniform(rnd::key(0), {}, fx::float32).item<float>(), 0.947667f);
  // jax/random.py's module docstring: key, subkey = split(key); uniform(subkey),
  // printed as JAX prints it (8 decimals).
  EXPECT_EQ(fx::repr(rnd::uniform(rnd::split(rnd::key(0))[1], {}, fx::float32)), "Array(0.00729382, dtype=float32)");
  EXPECT_EQ(fx::repr(rnd::uniform(rnd::key(0), {3}, fx::float32)),
            "Array([0.947667  , 0.9785799 , 0.33229148], dtype=float32)");
}

TEST(RandomUniform, BoundsMatchJaxDocstrings) {
  // jnp.floor / jnp.ceil docstrings print these with precision=2.
  const std::vector<double> k42{-0.11, 1.8, 1.16, 0.61, -0.49, 0.86, -4.25, 2.75, 1.99};
  const std::vector<double> k1{-0.61, 0.34, -0.54, -0.62, 3.97, 0.59, 4.84, 3.42, -1.14};
  const auto a = rnd::uniform(rnd::key(42), {3, 3}, fx::float32, -5, 5).to_vector<double>();
  const auto b = rnd::uniform(rnd::key(1), {3, 3}, fx::float32, -5, 5).to_vector<double>();
  for (size_t i = 0; i < 9; ++i) {
    EXPECT_NEAR(a[i], k42[i], 0.005) << i;
    EXPECT_NEAR(b[i], k1[i], 0.005) << i;
  }
}

TEST(RandomNormal, Float64BitsMatchJax) {
  const fx::Array z = rnd::normal(rnd::key(0), {2, 3});
  EXPECT_EQ(z.dtype(), fx::float64);
  const std::vector<double> expected{-0.2058421394796434, -0.7847657764467411, 1.8160866726679836,
                                     0.1878440128937887,  0.08086788103743275, -0.3721107933346203};
  EXPECT_EQ(z.to_vector<double>(), expected);
}

TEST(RandomNormal, CovarianceMatchesJaxDocstring) {
  // jnp.cov's docstring: cov(normal(key(0), (3, 100))) with precision=2 (float32).
  const fx::Array x = rnd::normal(rnd::key(0), {3, 100}, fx::float32).astype(fx::float64);
  const fx::Array c = x - fx::mean(x, 1, true);
  const auto cov = (fx::matmul(c, c.T()) / 99.0).to_vector<double>();
  const std::vector<double> expected{0.9, 0.03, 0.1, 0.03, 1.0, 0.01, 0.1, 0.01, 0.85};
  for (size_t i = 0; i < 9; ++i) EXPECT_NEAR(cov[i], expected[i], 0.005) << i;
}

TEST_F(OriginalScheme, RandomBitsMatchJaxTests) {
  // testRngRandomBits, seed 1701 (uint8/uint16 have no Fluxion dtype).
  EXPECT_EQ(u32(rnd::bits(rnd::key(1701), {3})), (std::vector<uint32_t>{56197195u, 4200222568u, 961309823u}));
  EXPECT_EQ(rnd::bits(rnd::key(1701), {3}, fx::uint64).to_vector<uint64_t>(),
            (std::vector<uint64_t>{3982329540505020460ull, 16822122385914693683ull, 7882654074788531506ull}));
}

TEST_F(OriginalScheme, SplitAndRandintMatchJaxTests) {
  // testPRNGValues.
  EXPECT_EQ(u32(rnd::split(rnd::key(0), 4)),
            (std::vector<uint32_t>{2285895361u, 1501764800u, 1518642379u, 4090693311u, 433833334u, 4221794875u,
                                   839183663u, 3740430601u}));
  EXPECT_EQ(rnd::randint(rnd::key(0), {3, 3}, 0, 8, fx::int32).to_vector<int32_t>(),
            (std::vector<int32_t>{2, 1, 3, 6, 1, 5, 6, 3, 4}));
  EXPECT_EQ(rnd::randint(rnd::key(0), {3, 3}, 0, 8, fx::int64).to_vector<int64_t>(),
            (std::vector<int64_t>{7, 2, 6, 2, 1, 0, 6, 7, 7}));
}

TEST_F(OriginalScheme, DistributionValuesMatchJaxTests) {
  // testRandomDistributionValues (float32, 6 printed digits).
  const auto near = [](const fx::Array& a, std::vector<double> want) {
    const auto got = a.to_vector<double>();
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 2e-6 * (1 + std::abs(want[i]))) << i;
  };
  near(rnd::uniform(rnd::key(1338574713), {5}, fx::float32), {0.298671, 0.073213, 0.873356, 0.260549, 0.412797});
  near(rnd::normal(rnd::key(1193674498), {5}, fx::float32), {-1.173234, -1.511662, 0.070593, -0.099764, 1.052845});
  near(rnd::exponential(rnd::key(1942292768), {5}, fx::float32), {0.526067, 0.043046, 0.039932, 0.46427, 0.123886});
  EXPECT_EQ(rnd::randint(rnd::key(1319372649), {5}, 0, 10, fx::int32).to_vector<int32_t>(),
            (std::vector<int32_t>{0, 5, 7, 7, 5}));
  EXPECT_EQ(u32(rnd::bits(rnd::key(942802475), {5})),
            (std::vector<uint32_t>{1978747883u, 4134381225u, 3628107870u, 689687174u, 2788938207u}));
  EXPECT_EQ(rnd::bits(rnd::key(942802475), {5}, fx::uint64).to_vector<uint64_t>(),
            (std::vector<uint64_t>{17649965731882839947ull, 1415307058040849897ull, 8282622628079774249ull,
                                   14024425113645909402ull, 2012979996110532418ull}));
  // p = 0.5 is float32 there (jax_enable_x64 off).
  EXPECT_EQ(rnd::bernoulli(rnd::key(1612777541), fx::array({0.5}, fx::float32)[0], fx::Shape{5}).to_vector<bool>(),
            (std::vector<bool>{false, true, true, true, false}));
}

TEST(RandomScheme, ScopeRestoresAndGlobalSetterApplies) {
  EXPECT_TRUE(rnd::threefry_partitionable());
  {
    rnd::ThreefryPartitionableScope s(false);
    EXPECT_FALSE(rnd::threefry_partitionable());
    {
      rnd::ThreefryPartitionableScope t(true);
      EXPECT_TRUE(rnd::threefry_partitionable());
    }
    EXPECT_FALSE(rnd::threefry_partitionable());
  }
  EXPECT_TRUE(rnd::threefry_partitionable());
  rnd::set_threefry_partitionable(false);
  const auto original = u32(rnd::split(rnd::key(0), 4));
  rnd::set_threefry_partitionable(true);
  EXPECT_EQ(original[0], 2285895361u);
  EXPECT_NE(u32(rnd::split(rnd::key(0), 4))[0], 2285895361u);
}

}  // namespace
