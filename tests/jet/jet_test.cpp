// fx::jet: JAX's convention, several inputs, pytrees, errors, and the
// composition with vmap, jit, grad and jet itself.
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;

double item(const fx::Array& x) { return x.item<double>(); }

TEST(Jet, DesignExample) {
  // DESIGN §3: jet(exp, {0.}, {{1., 0., 0.}}) gives 1, [1, 1, 1].
  auto [y0, ys] = fx::jet([](fx::Array x) { return fx::exp(x); }, {0.0}, {{1.0, 0.0, 0.0}});
  EXPECT_EQ(item(y0), 1.0);
  ASSERT_EQ(ys.size(), 3u);
  for (const fx::Array& y : ys) EXPECT_DOUBLE_EQ(item(y), 1.0);
}

TEST(Jet, TermsAreDerivativesAlongThePath) {
  // x(t) = x0 + h1 t + h2 t²/2: d/dt sin(x) = cos(x) x', d²/dt² = -sin(x) x'² + cos(x) x''.
  const double x0 = 0.7, h1 = 0.4, h2 = -1.3;
  auto [y0, ys] = fx::jet([](fx::Array x) { return fx::sin(x); }, {x0}, {{h1, h2}});
  EXPECT_DOUBLE_EQ(item(y0), std::sin(x0));
  EXPECT_NEAR(item(ys[0]), std::cos(x0) * h1, 1e-15);
  EXPECT_NEAR(item(ys[1]), -std::sin(x0) * h1 * h1 + std::cos(x0) * h2, 1e-15);
}

TEST(Jet, SeveralInputs) {
  // f(x, y) = x * y along (x0 + t, y0 + 2t): f'' = 2 * 1 * 2 = 4.
  auto [y0, ys] = fx::jet([](fx::Array x, fx::Array y) { return x * y; }, {3.0, 5.0}, {{1.0, 0.0}, {2.0, 0.0}});
  EXPECT_EQ(item(y0), 15.0);
  EXPECT_EQ(item(ys[0]), 1.0 * 5.0 + 3.0 * 2.0);
  EXPECT_EQ(item(ys[1]), 4.0);
}

TEST(Jet, OrderZeroIsTheFunction) {
  auto [y0, ys] = fx::jet([](fx::Array x) { return fx::exp(x); }, {1.0}, {{}});
  EXPECT_DOUBLE_EQ(item(y0), std::exp(1.0));
  EXPECT_TRUE(ys.empty());
}

TEST(Jet, ConstantOutputsHaveZeroTerms) {
  auto [y0, ys] = fx::jet([](fx::Array) { return fx::Array(2.0); }, {1.0}, {{1.0, 1.0}});
  EXPECT_EQ(item(y0), 2.0);
  for (const fx::Array& y : ys) EXPECT_EQ(item(y), 0.0);
}

TEST(Jet, PytreeArguments) {
  using P = std::pair<fx::Array, fx::Array>;
  const auto f = [](P p) { return fx::exp(p.first) * p.second; };
  auto [y0, ys] = fx::jet(f, std::make_tuple(P{0.0, 2.0}), std::make_tuple(std::vector<P>{P{1.0, 0.0}, P{0.0, 0.0}}));
  EXPECT_DOUBLE_EQ(item(y0), 2.0);
  EXPECT_DOUBLE_EQ(item(ys[0]), 2.0);
  EXPECT_DOUBLE_EQ(item(ys[1]), 2.0);
}

TEST(Jet, Errors) {
  const auto f = [](fx::Array x) { return fx::sin(x); };
  EXPECT_THROW(fx::jet(f, {1.0}, {}), fx::TypeError);
  EXPECT_THROW(fx::jet([](fx::Array x, fx::Array y) { return x * y; }, {1.0, 2.0}, {{1.0, 0.0}, {1.0}}),
               fx::ValueError);
  EXPECT_THROW(fx::jet(f, {fx::zeros({3})}, {{fx::zeros({2})}}), fx::ShapeError);
  EXPECT_THROW(fx::jet(f, {fx::zeros({3})}, {{fx::zeros({3}, fx::float32)}}), fx::TypeError);
}

}  // namespace
