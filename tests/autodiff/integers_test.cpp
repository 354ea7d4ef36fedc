// Integer and boolean values in differentiated programs: inputs are held
// fixed (no gradient), and integer or boolean intermediates (comparisons,
// counts, casts, iota) neither carry a derivative nor break differentiation.
// Also dtype and weak-type propagation of tangents and cotangents.
#include "autodiff_util.hpp"

namespace {

namespace fx = fluxion;
using autodiff_test::grads_ok;
using autodiff_test::signed_uniform;
using autodiff_test::uniform;
using autodiff_test::values;

const fx::Array kInts = fx::array_of<int32_t>({3, -1, 2, 0}, {4});
const fx::Array kBools = fx::array_of<bool>({true, false, false, true}, {4});

TEST(Integers, IntegerAndBoolArgumentsAreHeldFixed) {
  const fx::Array x = signed_uniform(700, {4});
  const auto f = [](fx::Array v, fx::Array n, fx::Array b) {
    return fx::where(b, fx::sin(v) * n, v * v + n.astype(fx::float64)) / (1.0 + fx::abs(n));
  };
  EXPECT_TRUE(grads_ok(f, {x, kInts, kBools}));
  EXPECT_TRUE(grads_ok([](fx::Array v, fx::Array n) { return fx::pow(v, fx::Array(3)) * n + n; }, {x, kInts}));
  // An int64 argument and integer arithmetic on it inside.
  const fx::Array n64 = fx::array_of<int64_t>({2, 5, 7, 1}, {4});
  EXPECT_TRUE(grads_ok([](fx::Array v, fx::Array n) { return v * ((n * n + 1) / 2); }, {x, n64}));
  // vjp and jvp with an integer argument: its cotangent is zero, its tangent ignored.
  const auto [out, pull] = fx::vjp([](fx::Array v, fx::Array n) { return v * n; }, x, kInts);
  const auto cts = pull(fx::ones({4}));
  EXPECT_EQ(values(cts[0]), values(kInts));
  EXPECT_EQ(values(cts[1]), std::vector<double>(4, 0.0));
  const auto [y, ty] = fx::jvp([](fx::Array v, fx::Array n) { return v * n; }, {x, kInts}, {fx::ones({4}), kInts});
  EXPECT_EQ(values(ty), values(kInts));
}

TEST(Integers, IntegerIntermediatesCarryNoDerivative) {
  const fx::Array x = signed_uniform(701, {2, 3});
  // A count of positive entries (int32) scales the result.
  EXPECT_TRUE(grads_ok([](fx::Array v) { return v * fx::sum(v > 0.0); }, {x}));
  // A bool mask multiplied in (promoted to float), and a mask from the sign.
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::sum(v * (v > 0.0)) + fx::sum(v * v * (v < 0.0)); }, {x}));
  // iota (arange) and integer index arithmetic.
  EXPECT_TRUE(grads_ok([](fx::Array v) { return v * (fx::arange(3) * 2 + 1); }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::einsum("ij,j->i", v, fx::arange(3).astype(fx::float64)); }, {x}));
  // A float rounded through int32 and back: piecewise constant, zero slope.
  EXPECT_TRUE(grads_ok([](fx::Array v) { return v * (v * 0.1 + 0.5).astype(fx::int32); }, {uniform(702, {5}, 0.1, 4)}));
  // Boolean logic on comparisons selects the branch.
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::where(fx::logical_and(v > -1.0, v < 1.0), fx::sin(v), v); }, {x}));
  // max/min and select over integers inside a differentiated function.
  EXPECT_TRUE(grads_ok([](fx::Array v) { return v * fx::maximum(kInts, fx::Array(1))[fx::Array(2).item<int>()]; },
                       {uniform(703, {3})}));
  // An integer output next to a float one.
  EXPECT_TRUE(grads_ok(
      [](const std::vector<fx::Array>& v) { return std::vector<fx::Array>{fx::sum(v[0] > 0.0), fx::exp(v[0])}; },
      {x}));
  EXPECT_EQ(values(fx::grad([](fx::Array v) { return fx::sum(v * fx::sum(v > 0.0)); })(fx::array({1.0, -2.0, 3.0}))),
            (std::vector<double>{2, 2, 2}));
}

TEST(Integers, TangentAndCotangentDtypesFollowValues) {
  const fx::Array x32 = uniform(704, {3}, -1, 1, fx::float32);
  // Weak C++ scalars keep float32: the gradient is float32.
  const fx::Array g = fx::grad([](fx::Array v) { return fx::sum(v * 2.0 + 1.0); })(x32);
  EXPECT_EQ(g.dtype(), fx::float32);
  EXPECT_EQ(values(g), std::vector<double>(3, 2.0));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::sin(v) * 3.0 + fx::exp(v) / 2.0; }, {x32}));
  // Mixed float32/float64 promotes to float64; each cotangent has its input's dtype.
  const auto gs = fx::grad([](fx::Array a, fx::Array b) { return fx::sum(a * b); }, {0, 1})(x32, uniform(705, {3}));
  EXPECT_EQ(gs[0].dtype(), fx::float32);
  EXPECT_EQ(gs[1].dtype(), fx::float64);
  // A weak 0-d input (a C++ double) differentiates like float64.
  EXPECT_EQ(fx::grad([](fx::Array v) { return v * v; })(1.5).dtype(), fx::float64);
  EXPECT_EQ(fx::jacfwd([](fx::Array v) { return v * 2.0; })(x32).dtype(), fx::float32);
  EXPECT_EQ(fx::jacrev([](fx::Array v) { return v * 2.0; })(x32).dtype(), fx::float32);
}

}  // namespace
