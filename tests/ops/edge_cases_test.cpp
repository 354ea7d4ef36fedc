// Hand-written edge cases whose answers JAX (XLA) defines differently from
// NumPy or that random oracle inputs rarely hit: NaN, infinities, signed
// zeros, integer wraparound and division by zero, bool arithmetic, size-0
// and 0-d arrays.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace fx = fluxion;

namespace {

template <class T>
fx::Array vec(std::vector<T> v) {
  const auto n = static_cast<int64_t>(v.size());
  return fx::array_of<T>(v, {n});
}

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr uint32_t kU32Max = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

// Element-by-element with NaN equal to NaN and the sign of zero significant.
::testing::AssertionResult same_doubles(const fx::Array& got, const std::vector<double>& want) {
  const auto g = got.to_vector<double>();
  if (g.size() != want.size()) return ::testing::AssertionFailure() << g.size() << " values";
  for (size_t i = 0; i < g.size(); ++i) {
    const bool ok = std::isnan(want[i]) ? std::isnan(g[i])
                                        : g[i] == want[i] && std::signbit(g[i]) == std::signbit(want[i]);
    if (!ok) return ::testing::AssertionFailure() << "[" << i << "] got " << g[i] << ", want " << want[i];
  }
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(EdgeNaN, MaximumMinimumPropagateNaNFromEitherSide) {
  const auto a = vec<double>({kNaN, 1.0, kNaN, -kInf});
  const auto b = vec<double>({1.0, kNaN, kNaN, kNaN});
  EXPECT_TRUE(same_doubles(fx::maximum(a, b), {kNaN, kNaN, kNaN, kNaN}));
  EXPECT_TRUE(same_doubles(fx::minimum(a, b), {kNaN, kNaN, kNaN, kNaN}));
  EXPECT_TRUE(same_doubles(fx::clip(vec<double>({kNaN, 5.0}), 0.0, 1.0), {kNaN, 1.0}));
  const auto f32 = fx::maximum(vec<float>({std::nanf(""), 2.0f}), 1.0);
  EXPECT_EQ(f32.dtype(), fx::float32);
  EXPECT_TRUE(std::isnan(f32.to_vector<float>()[0]));
}

TEST(EdgeNaN, ReductionsPropagateNaN) {
  const auto x = vec<double>({1.0, kNaN, -3.0});
  EXPECT_TRUE(std::isnan(fx::max(x).item<double>()));
  EXPECT_TRUE(std::isnan(fx::min(x).item<double>()));
  EXPECT_TRUE(std::isnan(fx::sum(x).item<double>()));
  EXPECT_TRUE(std::isnan(fx::mean(x).item<double>()));
  EXPECT_TRUE(std::isnan(fx::prod(x).item<double>()));
  // NaN is nonzero, so it counts as true.
  EXPECT_TRUE(fx::all(vec<double>({kNaN, 1.0})).item<bool>());
}

TEST(EdgeNaN, ComparisonsWithNaNAreFalseExceptNotEqual) {
  const auto n = vec<double>({kNaN, kNaN});
  const auto y = vec<double>({kNaN, 1.0});
  EXPECT_EQ((n == y).to_vector<bool>(), (std::vector<bool>{false, false}));
  EXPECT_EQ((n != y).to_vector<bool>(), (std::vector<bool>{true, true}));
  EXPECT_EQ((n < y).to_vector<bool>(), (std::vector<bool>{false, false}));
  EXPECT_EQ((n >= y).to_vector<bool>(), (std::vector<bool>{false, false}));
  EXPECT_EQ(fx::isfinite(vec<double>({kNaN, kInf, -kInf, 0.0})).to_vector<bool>(),
            (std::vector<bool>{false, false, false, true}));
  EXPECT_TRUE(same_doubles(fx::where(vec<double>({kNaN, 0.0}), 1.0, 2.0), {1.0, 2.0}));
}

TEST(EdgeInfinity, IeeeSpecialValues) {
  EXPECT_TRUE(same_doubles(fx::exp(vec<double>({kInf, -kInf})), {kInf, 0.0}));
  EXPECT_TRUE(same_doubles(fx::log(vec<double>({0.0, -0.0, -1.0, kInf})), {-kInf, -kInf, kNaN, kInf}));
  EXPECT_TRUE(same_doubles(fx::log1p(vec<double>({-1.0, -2.0})), {-kInf, kNaN}));
  EXPECT_TRUE(same_doubles(fx::expm1(vec<double>({-kInf, kInf})), {-1.0, kInf}));
  EXPECT_TRUE(same_doubles(fx::tanh(vec<double>({kInf, -kInf})), {1.0, -1.0}));
  EXPECT_TRUE(same_doubles(fx::sqrt(vec<double>({kInf, -1.0})), {kInf, kNaN}));
  EXPECT_TRUE(same_doubles(vec<double>({1.0, -1.0, 0.0}) / vec<double>({0.0, 0.0, 0.0}), {kInf, -kInf, kNaN}));
  EXPECT_TRUE(same_doubles(vec<double>({kInf, kInf}) - vec<double>({kInf, -kInf}), {kNaN, kInf}));
  EXPECT_TRUE(same_doubles(vec<double>({kInf}) * 0.0, {kNaN}));
  EXPECT_DOUBLE_EQ(fx::arctan(vec<double>({kInf})).item<double>(), fx::pi / 2);
  EXPECT_TRUE(same_doubles(fx::sin(vec<double>({kInf})), {kNaN}));
}

TEST(EdgeSignedZero, SignsFollowIeeeAndXla) {
  EXPECT_TRUE(same_doubles(fx::negative(vec<double>({0.0, -0.0})), {-0.0, 0.0}));
  EXPECT_TRUE(same_doubles(-vec<double>({0.0}), {-0.0}));
  EXPECT_TRUE(same_doubles(fx::abs(vec<double>({-0.0})), {0.0}));
  // XLA's sign is copysign(x != 0, x): it keeps the zero's sign.
  EXPECT_TRUE(same_doubles(fx::sign(vec<double>({-0.0, 0.0, kNaN, -kInf})), {-0.0, 0.0, kNaN, -1.0}));
  EXPECT_TRUE(same_doubles(fx::sqrt(vec<double>({-0.0})), {-0.0}));
  EXPECT_TRUE(same_doubles(vec<double>({-0.0, -0.0}) + vec<double>({-0.0, 0.0}), {-0.0, 0.0}));
  EXPECT_TRUE(same_doubles(vec<double>({-0.0}) * 1.0, {-0.0}));
  EXPECT_TRUE(same_doubles(fx::floor(vec<double>({-0.5, -0.0})), {-1.0, -0.0}));
  EXPECT_TRUE(same_doubles(fx::ceil(vec<double>({-0.5, 0.5})), {-0.0, 1.0}));
  EXPECT_TRUE(same_doubles(fx::arctan2(vec<double>({0.0, -0.0, 0.0, -0.0}), vec<double>({-0.0, -0.0, 0.0, 0.0})),
                           {fx::pi, -fx::pi, 0.0, -0.0}));
  EXPECT_TRUE((vec<double>({-0.0}) == vec<double>({0.0})).item<bool>());
  EXPECT_TRUE(same_doubles(1.0 / vec<double>({-0.0}), {-kInf}));
}

// jnp.remainder is rem(x, y) (sign of x) corrected by +y when the signs
// differ and it is nonzero: an exact zero keeps the dividend's sign (NumPy
// gives +0. here). jnp.floor_divide rounds (x - fmod(x, y)) / y, and a zero
// divisor gives x / 0 (a signed infinity, or NaN for 0 / 0).
TEST(EdgeSignedZero, FloatFloorDivideAndRemainderFollowJax) {
  EXPECT_TRUE(same_doubles(fx::remainder(vec<double>({-4.0, 4.0, -1.0, 1.0}), vec<double>({2.0, -2.0, 3.0, -3.0})),
                           {-0.0, 0.0, 2.0, -2.0}));
  EXPECT_TRUE(same_doubles(fx::remainder(vec<double>({1.0, kInf, -1.0}), vec<double>({0.0, 2.0, kInf})),
                           {kNaN, kNaN, kInf}));
  EXPECT_TRUE(same_doubles(fx::floor_divide(vec<double>({1.0, -1.0, 0.0, -0.5, 7.0, -7.0}),
                                            vec<double>({0.0, 0.0, 0.0, -2.0, 2.0, 2.0})),
                           {kInf, -kInf, kNaN, -0.0, 3.0, -4.0}));
}

TEST(EdgeIntegers, ArithmeticWrapsAround) {
  EXPECT_EQ((vec<int32_t>({kI32Max, kI32Min}) + 1).to_vector<int32_t>(),
            (std::vector<int32_t>{kI32Min, kI32Min + 1}));
  EXPECT_EQ((vec<int32_t>({kI32Min}) - 1).to_vector<int32_t>(), (std::vector<int32_t>{kI32Max}));
  EXPECT_EQ((vec<int32_t>({65536, 46341}) * vec<int32_t>({65536, 46341})).to_vector<int32_t>(),
            (std::vector<int32_t>{0, static_cast<int32_t>(46341u * 46341u)}));
  EXPECT_EQ((vec<int64_t>({kI64Max}) + vec<int64_t>({1})).to_vector<int64_t>(), (std::vector<int64_t>{kI64Min}));
  EXPECT_EQ((vec<uint32_t>({0u}) - vec<uint32_t>({1u})).to_vector<uint32_t>(), (std::vector<uint32_t>{kU32Max}));
  EXPECT_EQ((vec<uint64_t>({kU64Max}) + vec<uint64_t>({2u})).to_vector<uint64_t>(), (std::vector<uint64_t>{1u}));
  EXPECT_EQ(fx::negative(vec<int32_t>({kI32Min})).to_vector<int32_t>(), (std::vector<int32_t>{kI32Min}));
  EXPECT_EQ(fx::abs(vec<int64_t>({kI64Min})).to_vector<int64_t>(), (std::vector<int64_t>{kI64Min}));
  EXPECT_EQ(fx::negative(vec<uint32_t>({1u})).to_vector<uint32_t>(), (std::vector<uint32_t>{kU32Max}));
  EXPECT_EQ(fx::square(vec<int32_t>({65536})).to_vector<int32_t>(), (std::vector<int32_t>{0}));
  EXPECT_EQ(fx::pow(vec<int32_t>({3}), 21).to_vector<int32_t>(),
            (std::vector<int32_t>{static_cast<int32_t>(10460353203ull & 0xffffffffu)}));
  EXPECT_EQ(fx::sum(vec<int32_t>({kI32Max, 1, 1})).to_vector<int32_t>(), (std::vector<int32_t>{kI32Min + 1}));
  EXPECT_EQ(fx::prod(vec<uint32_t>({65536u, 65537u})).to_vector<uint32_t>(), (std::vector<uint32_t>{65536u}));
  // Comparisons promote first: int32 vs uint32 compares as int64.
  EXPECT_TRUE((vec<int32_t>({-1}) < vec<uint32_t>({kU32Max})).item<bool>());
}

// XLA: x / 0 is -1 (all ones) and x % 0 is x; INT_MIN / -1 is INT_MIN and
// INT_MIN % -1 is 0 (xla/service/elemental_ir_emitter.cc). jnp.floor_divide
// corrects the quotient by -1 when sign(x) != sign(y) and rem(x, y) != 0,
// which turns x // 0 into -2 for nonzero signed x; jnp.remainder replaces a
// zero divisor by 1, so x % 0 is 0 (jax/_src/numpy/ufuncs.py).
TEST(EdgeIntegers, FloorDivideAndRemainderByZeroAsJax) {
  const auto x32 = vec<int32_t>({7, -7, 0, kI32Min, kI32Max});
  const auto z32 = vec<int32_t>({0, 0, 0, 0, 0});
  EXPECT_EQ(fx::floor_divide(x32, z32).to_vector<int32_t>(), (std::vector<int32_t>{-2, -2, -1, -2, -2}));
  EXPECT_EQ(fx::remainder(x32, z32).to_vector<int32_t>(), (std::vector<int32_t>{0, 0, 0, 0, 0}));
  const auto x64 = vec<int64_t>({5, -5, 0});
  EXPECT_EQ(fx::floor_divide(x64, vec<int64_t>({0, 0, 0})).to_vector<int64_t>(), (std::vector<int64_t>{-2, -2, -1}));
  EXPECT_EQ(fx::remainder(x64, vec<int64_t>({0, 0, 0})).to_vector<int64_t>(), (std::vector<int64_t>{0, 0, 0}));
  EXPECT_EQ(fx::floor_divide(vec<uint32_t>({7u, 0u}), vec<uint32_t>({0u, 0u})).to_vector<uint32_t>(),
            (std::vector<uint32_t>{kU32Max, kU32Max}));
  EXPECT_EQ(fx::floor_divide(vec<uint64_t>({7u}), vec<uint64_t>({0u})).to_vector<uint64_t>(),
            (std::vector<uint64_t>{kU64Max}));
  EXPECT_EQ(fx::remainder(vec<uint32_t>({7u}), vec<uint32_t>({0u})).to_vector<uint32_t>(),
            (std::vector<uint32_t>{0u}));
}

TEST(EdgeIntegers, MinDividedByMinusOneDoesNotTrap) {
  EXPECT_EQ(fx::floor_divide(vec<int32_t>({kI32Min}), vec<int32_t>({-1})).to_vector<int32_t>(),
            (std::vector<int32_t>{kI32Min}));
  EXPECT_EQ(fx::remainder(vec<int32_t>({kI32Min}), vec<int32_t>({-1})).to_vector<int32_t>(),
            (std::vector<int32_t>{0}));
  EXPECT_EQ(fx::floor_divide(vec<int64_t>({kI64Min}), vec<int64_t>({-1})).to_vector<int64_t>(),
            (std::vector<int64_t>{kI64Min}));
  EXPECT_EQ(fx::remainder(vec<int64_t>({kI64Min}), vec<int64_t>({-1})).to_vector<int64_t>(),
            (std::vector<int64_t>{0}));
  EXPECT_EQ(fx::floor_divide(vec<int32_t>({-7, 7, -7}), vec<int32_t>({2, -2, -2})).to_vector<int32_t>(),
            (std::vector<int32_t>{-4, -4, 3}));
  EXPECT_EQ(fx::remainder(vec<int32_t>({-7, 7, -7}), vec<int32_t>({2, -2, -2})).to_vector<int32_t>(),
            (std::vector<int32_t>{1, -1, -1}));
}

TEST(EdgeBool, ArithmeticIsLogical) {
  const auto a = vec<bool>({false, false, true, true});
  const auto b = vec<bool>({false, true, false, true});
  const auto sum = a + b;  // jnp.add on bools is logical or
  EXPECT_EQ(sum.dtype(), fx::bool_);
  EXPECT_EQ(sum.to_vector<bool>(), (std::vector<bool>{false, true, true, true}));
  const auto prod = a * b;
  EXPECT_EQ(prod.dtype(), fx::bool_);
  EXPECT_EQ(prod.to_vector<bool>(), (std::vector<bool>{false, false, false, true}));
  EXPECT_EQ(fx::maximum(a, b).to_vector<bool>(), (std::vector<bool>{false, true, true, true}));
  EXPECT_EQ(fx::minimum(a, b).to_vector<bool>(), (std::vector<bool>{false, false, false, true}));
  EXPECT_EQ((a < b).to_vector<bool>(), (std::vector<bool>{false, true, false, false}));
  const auto plus_int = a + 2;  // bool with a weak int: weak int32
  EXPECT_EQ(plus_int.dtype(), fx::int32);
  EXPECT_TRUE(plus_int.weak_type());
  EXPECT_EQ(plus_int.to_vector<int32_t>(), (std::vector<int32_t>{2, 2, 3, 3}));
  const auto half = a * 0.5;
  EXPECT_EQ(half.dtype(), fx::float64);
  EXPECT_TRUE(half.weak_type());
  const auto count = fx::sum(a);
  EXPECT_EQ(count.dtype(), fx::int32);
  EXPECT_EQ(count.item<int32_t>(), 2);
  const auto mean = fx::mean(b);
  EXPECT_EQ(mean.dtype(), fx::float64);
  EXPECT_EQ(mean.item<double>(), 0.5);
  EXPECT_EQ(fx::divide(a, b).dtype(), fx::float64);
  EXPECT_EQ(fx::abs(a).dtype(), fx::bool_);
  // jnp.square, floor_divide, remainder and power promote bools to int32.
  EXPECT_EQ(fx::square(a).to_vector<int32_t>(), (std::vector<int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(fx::floor_divide(a, vec<bool>({true, true, true, true})).dtype(), fx::int32);
  EXPECT_EQ(fx::remainder(a, vec<bool>({true, true, true, true})).dtype(), fx::int32);
  EXPECT_EQ(fx::pow(a, b).to_vector<int32_t>(), (std::vector<int32_t>{1, 0, 1, 1}));
}

TEST(EdgeSizeZero, ReductionsGiveTheirIdentity) {
  const auto e = fx::zeros({0});
  EXPECT_EQ(fx::sum(e).item<double>(), 0.0);
  EXPECT_EQ(fx::prod(e).item<double>(), 1.0);
  EXPECT_TRUE(std::isnan(fx::mean(e).item<double>()));
  EXPECT_FALSE(fx::any(e).item<bool>());
  EXPECT_TRUE(fx::all(e).item<bool>());
  const auto ei = fx::zeros({2, 0}, fx::int32);
  const auto s = fx::sum(ei, {1});
  EXPECT_EQ(s.shape(), (fx::Shape{2}));
  EXPECT_EQ(s.to_vector<int32_t>(), (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(fx::max(ei, {0}).shape(), (fx::Shape{0}));  // nothing to reduce per output
}

TEST(EdgeSizeZero, ElementwiseAndStructuralOpsKeepEmptyShapes) {
  const auto e = fx::zeros({2, 0, 3});
  EXPECT_EQ((e + fx::ones({3})).shape(), (fx::Shape{2, 0, 3}));
  EXPECT_EQ((fx::zeros({0}) * fx::ones({1})).shape(), (fx::Shape{0}));
  EXPECT_EQ(fx::exp(e).shape(), (fx::Shape{2, 0, 3}));
  EXPECT_EQ(fx::transpose(e).shape(), (fx::Shape{3, 0, 2}));
  EXPECT_EQ(fx::reshape(e, {0, 6}).shape(), (fx::Shape{0, 6}));
  EXPECT_EQ(fx::concatenate({fx::zeros({0, 2}), fx::ones({3, 2})}).shape(), (fx::Shape{3, 2}));
  const auto mm = fx::matmul(fx::ones({2, 0}), fx::ones({0, 3}));
  EXPECT_EQ(mm.shape(), (fx::Shape{2, 3}));
  EXPECT_EQ(mm.to_vector<double>(), std::vector<double>(6, 0.0));
  EXPECT_EQ(fx::zeros({0}).to_vector<double>().size(), 0u);
  EXPECT_EQ(fx::arange(0).shape(), (fx::Shape{0}));
}

TEST(EdgeZeroD, ScalarsBehaveAsZeroDimensionalArrays) {
  const fx::Array s = fx::array_of<double>({3.0}, {});
  EXPECT_EQ(s.ndim(), 0);
  EXPECT_EQ(s.size(), 1);
  EXPECT_EQ((s + s).shape(), fx::Shape{});
  EXPECT_EQ(fx::sum(s).item<double>(), 3.0);
  EXPECT_EQ(fx::sum(s, {}, true).shape(), fx::Shape{});
  EXPECT_EQ(fx::transpose(s).shape(), fx::Shape{});
  EXPECT_EQ(fx::reshape(s, {1, 1}).shape(), (fx::Shape{1, 1}));
  EXPECT_EQ(fx::expand_dims(s, 0).shape(), (fx::Shape{1}));
  EXPECT_EQ(fx::reshape(fx::ones({1, 1}), {}).shape(), fx::Shape{});
  EXPECT_EQ(fx::dot(s, fx::array({1.0, 2.0})).to_vector<double>(), (std::vector<double>{3.0, 6.0}));
  EXPECT_TRUE(static_cast<bool>(s > 2.0));
  EXPECT_EQ((s + fx::ones({2, 2}, fx::float32)).dtype(), fx::float64);  // a 0-d array is not weak
  EXPECT_EQ(fx::stack({s, s}).shape(), (fx::Shape{2}));
}

TEST(EdgeWeakTypes, CxxScalarsTakeTheArraysType) {
  const auto f32 = fx::ones({2}, fx::float32);
  EXPECT_EQ((f32 * 2.0).dtype(), fx::float32);
  EXPECT_FALSE((f32 * 2.0).weak_type());
  const auto i32 = fx::ones({2}, fx::int32);
  const auto r = i32 + 1.5;
  EXPECT_EQ(r.dtype(), fx::float64);
  EXPECT_TRUE(r.weak_type());
  EXPECT_EQ((fx::ones({2}, fx::uint64) + fx::ones({2}, fx::int64)).dtype(), fx::float64);
  EXPECT_EQ((i32 + fx::ones({2}, fx::uint32)).dtype(), fx::int64);
  EXPECT_EQ((fx::ones({2}, fx::uint32) + 3).dtype(), fx::uint32);
  const fx::Array both = fx::Array(2) * fx::Array(1.5);
  EXPECT_EQ(both.dtype(), fx::float64);
  EXPECT_TRUE(both.weak_type());
  // A weak value survives unary math: sin(2) is a weak float64 (to_inexact).
  EXPECT_TRUE(fx::sin(fx::Array(2)).weak_type());
  EXPECT_EQ(fx::astype(fx::Array(2.0), fx::float32).weak_type(), false);
}
