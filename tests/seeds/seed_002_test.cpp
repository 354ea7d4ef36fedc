// Seed 002 (differentiation basics): every print(float(...)) of the seed,
// exactly where the seed's number is exact, plus the float32 path the seed ran.
#include <gtest/gtest.h>

#include <cmath>

#include "seed_common.hpp"

namespace fx = fluxion;

namespace {

auto f1 = [](const fx::Array& x) { return 2 * x; };
auto f2 = [](const fx::Array& x) { return fx::pow(x, 2) + 5 * x + 10; };
auto sigmoid = [](const fx::Array& x) { return 1 / (1 + fx::exp(-x)); };
auto ReLU = [](const fx::Array& x) -> fx::Array {
  if (x >= 0) return x;
  return 0.0;
};
auto f5 = [](const fx::Array& x, const fx::Array& y) { return fx::pow(x, 2) + fx::pow(y, 2) + 5 * x * y; };

double value(const fx::Array& a) {
  EXPECT_EQ(a.ndim(), 0);
  return a.item<double>();
}

}  // namespace

TEST(Seed002, LinearFunctionHasSlopeTwoEverywhere) {
  const auto df1 = fx::grad(f1);
  for (double x : {1.0, 2.0, 3.0}) {
    EXPECT_EQ(value(df1(x)), 2.0);
    EXPECT_EQ(seeds::py_float(df1(x)), "2.0");
  }
  EXPECT_EQ(df1(1.0).dtype(), fx::float64);
}

TEST(Seed002, IntegerInputIsATypeError) {
  // "JAX requires floating-point inputs rather than integers to avoid TypeError exceptions."
  EXPECT_THROW(fx::grad(f1)(1), fx::TypeError);
}

TEST(Seed002, QuadraticFirstAndSecondDerivatives) {
  const auto df2 = fx::grad(f2);
  EXPECT_EQ(value(df2(2.0)), 9.0);
  EXPECT_EQ(value(df2(3.0)), 11.0);
  EXPECT_EQ(seeds::py_float(df2(2.0)), "9.0");
  EXPECT_EQ(seeds::py_float(df2(3.0)), "11.0");
  const auto d2_f2 = fx::grad(df2);
  EXPECT_EQ(value(d2_f2(2.0)), 2.0);
  EXPECT_EQ(seeds::py_float(d2_f2(2.0)), "2.0");
  EXPECT_EQ(value(fx::grad(d2_f2)(2.0)), 0.0);  // grad(grad(grad(f))): the seed's "higher orders"
}

TEST(Seed002, SigmoidDerivative) {
  const double s = 1 / (1 + std::exp(-2.0));
  const double d = value(fx::grad(sigmoid)(2.0));
  EXPECT_NEAR(d, 0.105, 5e-4);                          // the seed's "approximately 0.105"
  EXPECT_NEAR(d, s * (1 - s), 2e-16);                   // closed form sigma (1 - sigma)
  EXPECT_NEAR(d, std::exp(-2.0) / std::pow(1 + std::exp(-2.0), 2), 2e-16);
  // JAX's rules (div's y-tangent -g x y^-2, exp's g * ans) give exp(-2) * (1 + exp(-2))^-2,
  // whose float64 repr is this; the closed form sigma (1 - sigma) rounds to ...0662.
  EXPECT_EQ(seeds::py_float(d), "0.1049935854035065");
}

TEST(Seed002, ReluThroughNativeIf) {
  const auto d_ReLU = fx::grad(ReLU);
  EXPECT_EQ(value(d_ReLU(1.0)), 1.0);
  EXPECT_EQ(value(d_ReLU(2.0)), 1.0);
  EXPECT_EQ(value(d_ReLU(-1.0)), 0.0);  // the constant 0.0 branch: a zero gradient, not an error
  EXPECT_EQ(seeds::py_float(d_ReLU(-1.0)), "0.0");
  EXPECT_EQ(d_ReLU(-1.0).dtype(), fx::float64);
}

TEST(Seed002, PartialDerivativesThroughArgnums) {
  EXPECT_EQ(value(fx::grad(f5, 0)(2.0, 1.0)), 9.0);   // 2x + 5y
  EXPECT_EQ(value(fx::grad(f5, 1)(2.0, 1.0)), 12.0);  // 2y + 5x
  const auto both = fx::grad(f5, {0, 1})(2.0, 1.0);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(value(both[0]), 9.0);
  EXPECT_EQ(value(both[1]), 12.0);
}

TEST(Seed002, Float32PathGivesTheSameNumbers) {
  // The seed ran JAX in float32; a float32 input keeps every number float32.
  auto f32 = [](double v) { return fx::Array(static_cast<float>(v)); };
  const fx::Array d1 = fx::grad(f1)(f32(3.0));
  EXPECT_EQ(d1.dtype(), fx::float32);
  EXPECT_EQ(d1.item<float>(), 2.0f);
  EXPECT_EQ(fx::grad(f2)(f32(2.0)).item<float>(), 9.0f);
  EXPECT_EQ(fx::grad(f2)(f32(3.0)).item<float>(), 11.0f);
  EXPECT_EQ(fx::grad(fx::grad(f2))(f32(2.0)).item<float>(), 2.0f);
  const fx::Array ds = fx::grad(sigmoid)(f32(2.0));
  EXPECT_EQ(ds.dtype(), fx::float32);
  const double s = 1 / (1 + std::exp(-2.0));
  EXPECT_NEAR(ds.item<float>(), s * (1 - s), 1.5e-8);  // 2 float32 ulps at 0.1
  EXPECT_EQ(fx::grad(ReLU)(f32(1.0)).item<float>(), 1.0f);
  EXPECT_EQ(fx::grad(ReLU)(f32(-1.0)).item<float>(), 0.0f);
  EXPECT_EQ(fx::grad(f5, 0)(f32(2.0), f32(1.0)).item<float>(), 9.0f);
  EXPECT_EQ(fx::grad(f5, 1)(f32(2.0), f32(1.0)).item<float>(), 12.0f);
}
