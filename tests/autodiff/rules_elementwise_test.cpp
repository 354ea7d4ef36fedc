// Derivative rules of the elementwise primitives, checked by fx::check_grads
// (forward and reverse, orders 1 and 2) at random float64 points kept away
// from poles, branch cuts and kinks.
#include <cmath>
#include <functional>
#include <string>

#include "autodiff_util.hpp"
#include "primitives/primitives.hpp"

namespace {

namespace fx = fluxion;
using autodiff_test::grads_ok;
using autodiff_test::signed_uniform;
using autodiff_test::uniform;
using autodiff_test::values;

struct UnaryCase {
  const char* name;
  fx::Array (*f)(const fx::Array&);
  double lo, hi;  // the sampled domain
};

TEST(Rules, UnaryMath) {
  const UnaryCase cases[] = {
      {"sin", fx::sin, -3, 3},          {"cos", fx::cos, -3, 3},        {"tan", fx::tan, -1.2, 1.2},
      {"tanh", fx::tanh, -2, 2},        {"sinh", fx::sinh, -2, 2},      {"cosh", fx::cosh, -2, 2},
      {"arcsin", fx::arcsin, -0.9, 0.9}, {"arccos", fx::arccos, -0.9, 0.9}, {"arctan", fx::arctan, -3, 3},
      {"exp", fx::exp, -2, 2},          {"log", fx::log, 0.3, 3},       {"log1p", fx::log1p, -0.6, 3},
      {"expm1", fx::expm1, -2, 2},      {"sqrt", fx::sqrt, 0.3, 3},     {"square", fx::square, -2, 2},
      {"negative", fx::negative, -2, 2},
  };
  uint64_t seed = 100;
  for (const UnaryCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(grads_ok([&](fx::Array x) { return c.f(x); }, {uniform(++seed, {2, 3}, c.lo, c.hi)}));
    EXPECT_TRUE(grads_ok([&](fx::Array x) { return c.f(x); }, {uniform(++seed, {}, c.lo, c.hi)}));
  }
}

TEST(Rules, AbsSignAndPiecewiseConstant) {
  const fx::Array x = signed_uniform(1, {7});
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::abs(v); }, {x}));
  // sign, floor, ceil are flat away from their jumps.
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::sign(v) * v + fx::floor(v * 0.1 + 0.5) + fx::ceil(v * 0.1); },
                       {uniform(2, {5}, 0.1, 0.9)}));
  // JAX's convention at the kink: d|x|/dx at 0 is 1 (select(x >= 0, g, -g)).
  EXPECT_EQ(fx::grad([](fx::Array v) { return fx::abs(v); })(0.0).item<double>(), 1.0);
}

TEST(Rules, IntegerPow) {
  const fx::Array x = signed_uniform(3, {2, 3}, 0.5, 1.5);
  for (int n : {0, 1, 2, 3, 4, 7, -1, -2, -3}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    EXPECT_TRUE(grads_ok([n](fx::Array v) { return fx::pow(v, n); }, {x}));
  }
  // x**0 is 1 everywhere, derivative 0 even at 0 (as JAX).
  EXPECT_EQ(fx::grad([](fx::Array v) { return fx::pow(v, 0); })(0.0).item<double>(), 0.0);
  EXPECT_EQ(fx::grad([](fx::Array v) { return fx::pow(v, 2); })(-3.0).item<double>(), -6.0);
  // The third derivative of x^3 is 6, through integer_pow[y=0] at the end.
  const auto d3 = fx::grad(fx::grad(fx::grad([](fx::Array v) { return fx::pow(v, 3); })));
  EXPECT_EQ(d3(0.7).item<double>(), 6.0);
}

TEST(Rules, PowWithArrayExponent) {
  const fx::Array x = uniform(4, {2, 3}, 0.4, 2.5), y = uniform(5, {2, 3}, -2, 2);
  EXPECT_TRUE(grads_ok([](fx::Array a, fx::Array b) { return fx::pow(a, b); }, {x, y}));
  EXPECT_TRUE(grads_ok([](fx::Array a, fx::Array b) { return fx::pow(a, b); }, {x, uniform(6, {3}, -2, 2)}));
  EXPECT_TRUE(grads_ok([](fx::Array a) { return fx::pow(a, 2.5); }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array b) { return fx::pow(2.0, b); }, {y}));
  // At the edges JAX defines: d/dx 0^0 = 0, and d/dy 0^y = 0 for y > 0 (log 0 masked).
  EXPECT_EQ(fx::grad([](fx::Array a) { return fx::pow(a, fx::Array(0.0)); })(0.0).item<double>(), 0.0);
  EXPECT_EQ(fx::grad([](fx::Array b) { return fx::pow(fx::Array(0.0), b); })(2.0).item<double>(), 0.0);
  EXPECT_EQ(fx::grad([](fx::Array a) { return fx::pow(a, fx::Array(1.0)); })(0.0).item<double>(), 1.0);
}

TEST(Rules, FloatPower) {
  const fx::Array x = uniform(7, {4}, 0.4, 2.5), y = uniform(8, {4}, -2, 2);
  EXPECT_TRUE(grads_ok([](fx::Array a, fx::Array b) { return fx::float_power(a, b); }, {x, y}));
  // As jnp.float_power, float32 operands stay float32, and so do their cotangents.
  const fx::Array x32 = x.astype(fx::float32);
  const auto [out, pull] = fx::vjp([](fx::Array a) { return fx::float_power(a, 2.0); }, x32);
  EXPECT_EQ(out.dtype(), fx::float32);
  EXPECT_EQ(pull(fx::ones({4}, fx::float32))[0].dtype(), fx::float32);
}

TEST(Rules, ArithmeticWithBroadcasting) {
  using Binary = std::function<fx::Array(fx::Array, fx::Array)>;
  const std::pair<const char*, Binary> ops[] = {
      {"add", [](fx::Array a, fx::Array b) { return a + b; }},
      {"subtract", [](fx::Array a, fx::Array b) { return a - b; }},
      {"multiply", [](fx::Array a, fx::Array b) { return a * b; }},
      {"divide", [](fx::Array a, fx::Array b) { return a / b; }},
      {"maximum", [](fx::Array a, fx::Array b) { return fx::maximum(a, b); }},
      {"minimum", [](fx::Array a, fx::Array b) { return fx::minimum(a, b); }},
      {"arctan2", [](fx::Array a, fx::Array b) { return fx::arctan2(a, b); }},
  };
  const std::pair<fx::Shape, fx::Shape> shapes[] = {
      {{3, 1}, {1, 4}}, {{5}, {}}, {{}, {5}}, {{2, 3}, {3}}, {{4, 1, 3}, {2, 1}}, {{2, 3}, {2, 3}}, {{}, {}}};
  uint64_t seed = 200;
  for (const auto& [name, op] : ops)
    for (const auto& [sa, sb] : shapes) {
      SCOPED_TRACE(std::string(name) + " " + fx::shape_to_string(sa) + " with " + fx::shape_to_string(sb));
      // Nonzero operands keep divide and arctan2 smooth; random reals give no max/min ties.
      EXPECT_TRUE(grads_ok(op, {signed_uniform(++seed, sa), signed_uniform(++seed, sb)}));
    }
}

TEST(Rules, ArithmeticWithWeakScalars) {
  const fx::Array x = signed_uniform(9, {2, 2});
  EXPECT_TRUE(grads_ok([](fx::Array a) { return (a + 2.0) * 3.0 - 1.0 / a + 2.0 / (a * a); }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array a) { return fx::maximum(a, 0.25) + fx::minimum(-0.25, a); }, {x}));
  // A weak 0-d argument stays weak under the perturbations.
  EXPECT_TRUE(grads_ok([](fx::Array s, fx::Array a) { return s * a; }, {fx::Array(1.5), x.astype(fx::float32)}));
}

TEST(Rules, MaximumMinimumTiesSplitTheGradient) {
  const auto max_xy = [](fx::Array a, fx::Array b) { return fx::sum(fx::maximum(a, b)); };
  const fx::Array a = fx::array({1.0, 2.0, 3.0}), b = fx::array({1.0, 5.0, 0.0});
  EXPECT_EQ(values(fx::grad(max_xy, 0)(a, b)), (std::vector<double>{0.5, 0.0, 1.0}));
  EXPECT_EQ(values(fx::grad(max_xy, 1)(a, b)), (std::vector<double>{0.5, 1.0, 0.0}));
  const auto min_xy = [](fx::Array a, fx::Array b) { return fx::sum(fx::minimum(a, b)); };
  EXPECT_EQ(values(fx::grad(min_xy, 0)(a, b)), (std::vector<double>{0.5, 1.0, 0.0}));
  // max(x, x) = x: the two halves add up to 1, in both modes.
  const auto self = [](fx::Array v) { return fx::maximum(v, v); };
  EXPECT_EQ(fx::grad(self)(2.0).item<double>(), 1.0);
  EXPECT_EQ(fx::jvp(self, {fx::Array(2.0)}, {fx::Array(1.0)}).second.item<double>(), 1.0);
  // Central differences straddle the tie and agree with the split at first order.
  EXPECT_TRUE(grads_ok(max_xy, {a, b}, 1));
}

TEST(Rules, Arctan2AllQuadrants) {
  // Away from the branch cut (negative x axis): |y| bounded below when x < 0.
  EXPECT_TRUE(grads_ok([](fx::Array y, fx::Array x) { return fx::arctan2(y, x); },
                       {signed_uniform(10, {8}, 0.3, 2), signed_uniform(11, {8}, 0.3, 2)}));
}

TEST(Rules, Remainder) {
  // Points x = y * (q + f) with f in (0.2, 0.8): no jumps within eps.
  std::mt19937_64 rng(12);
  std::uniform_real_distribution<double> frac(0.2, 0.8);
  std::uniform_int_distribution<int> q(-3, 3);
  const std::vector<double> y = values(signed_uniform(13, {6}, 0.5, 2));
  std::vector<double> x;
  for (double d : y) x.push_back(d * (q(rng) + frac(rng)));
  const auto rem = [](fx::Array a, fx::Array b) { return fx::remainder(a, b); };
  EXPECT_TRUE(grads_ok(rem, {fx::array(x, {6}), fx::array(y, {6})}));
  // d/dy (x mod y) = -floor(x / y), d/dx = 1.
  const std::vector<double> gy = values(fx::grad([&](fx::Array b) { return fx::sum(rem(fx::array(x, {6}), b)); })(fx::array(y, {6})));
  for (size_t i = 0; i < y.size(); ++i) EXPECT_EQ(gy[i], -std::floor(x[i] / y[i])) << i;
}

TEST(Rules, WhereAndSelectN) {
  const fx::Array x = signed_uniform(14, {3, 4});
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::where(v > 0.0, fx::sin(v), v * v * v); }, {x}));
  // Broadcast condition and operands: (3, 1) condition, (1, 4) and () values.
  const fx::Array c = fx::array_of<bool>({true, false, true}, {3, 1});
  EXPECT_TRUE(grads_ok([&](fx::Array a, fx::Array b) { return fx::where(c, a, b); },
                       {uniform(15, {1, 4}), uniform(16, {})}));
  // Both cases depend on the same input.
  EXPECT_TRUE(grads_ok([](fx::Array a, fx::Array b) { return fx::where(a < b, a * b, a / b); },
                       {signed_uniform(17, {5}), signed_uniform(18, {5})}));
  // select_n with an int32 selector over three cases.
  const fx::Array which = fx::array_of<int32_t>({0, 2, 1, 2, 0}, {5});
  EXPECT_TRUE(grads_ok(
      [&](fx::Array a, fx::Array b, fx::Array d) {
        return fx::bind1(fx::prim::select_n_p, {which, fx::sin(a), b * a, fx::exp(d)});
      },
      {uniform(19, {5}), uniform(20, {5}), uniform(21, {5})}));
  // A 0-d selector.
  EXPECT_TRUE(grads_ok(
      [](fx::Array a, fx::Array b) { return fx::bind1(fx::prim::select_n_p, {fx::Array(true), a * a, b}); },
      {uniform(22, {3}), uniform(23, {3})}));
}

TEST(Rules, Clip) {
  // Away from the bounds +-0.5.
  std::vector<double> v = values(signed_uniform(24, {8}, 0.1, 0.4));
  for (size_t i = 0; i < v.size(); i += 2) v[i] *= 4;
  const fx::Array x = fx::array(v, {8});
  EXPECT_TRUE(grads_ok([](fx::Array a) { return fx::clip(a, -0.5, 0.5); }, {x}));
  EXPECT_EQ(values(fx::grad([](fx::Array a) { return fx::sum(fx::clip(a, -0.5, 0.5)); })(fx::array({-1.0, 0.2, 3.0}))),
            (std::vector<double>{0.0, 1.0, 0.0}));
  // With array bounds, the gradient goes to whichever bound is active.
  EXPECT_TRUE(grads_ok([](fx::Array a, fx::Array lo, fx::Array hi) { return fx::clip(a, lo, hi); },
                       {x, fx::full({8}, -0.5), fx::full({8}, 0.5)}));
}

TEST(Rules, StopGradient) {
  const auto f = [](fx::Array v) { return v * fx::stop_gradient(v * v); };
  EXPECT_EQ(fx::grad(f)(3.0).item<double>(), 9.0);
  EXPECT_EQ(fx::jvp(f, {fx::Array(3.0)}, {fx::Array(1.0)}).second.item<double>(), 9.0);
  EXPECT_EQ(fx::grad(fx::grad(f))(3.0).item<double>(), 0.0);
}

}  // namespace
