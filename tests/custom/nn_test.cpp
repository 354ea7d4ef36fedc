// The library's functions with custom derivative rules (include/fluxion/nn.hpp):
// values against closed forms, derivatives at the points the rules exist
// for (kinks, removable singularities, overflow), check_grads elsewhere.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;

double value(const fx::Array& x) { return x.item<double>(); }
std::vector<double> values(const fx::Array& x) { return x.to_vector<double>(); }

TEST(Relu, DerivativeAtTheKinkIsZero) {
  EXPECT_EQ(values(fx::nn::relu(fx::array({-2.0, 0.0, 3.0}))), (std::vector<double>{0.0, 0.0, 3.0}));
  const auto g = fx::grad([](fx::Array x) { return fx::nn::relu(x); });
  EXPECT_EQ(value(g(0.0)), 0.0);
  EXPECT_EQ(value(g(2.0)), 1.0);
  EXPECT_EQ(value(g(-2.0)), 0.0);
  EXPECT_EQ(values(fx::vmap(g)(fx::array({-1.0, 0.0, 1.0}))), (std::vector<double>{0.0, 0.0, 1.0}));
  EXPECT_NE(fx::make_jaxpr([](fx::Array x) { return fx::nn::relu(x); })(1.0).str().find("custom_jvp_call[\n      name=relu"),
            std::string::npos);
}

TEST(Softplus, StableForLargeArguments) {
  for (double x : {-3.0, -0.5, 0.0, 0.5, 3.0})
    EXPECT_NEAR(value(fx::nn::softplus(x)), std::log1p(std::exp(x)), 1e-15);
  EXPECT_EQ(value(fx::nn::softplus(1000.0)), 1000.0);
  const auto g = fx::grad([](fx::Array x) { return fx::nn::softplus(x); });
  EXPECT_EQ(value(g(1000.0)), 1.0);
  EXPECT_EQ(value(g(-1000.0)), 0.0);
  EXPECT_NEAR(value(g(0.3)), 1.0 / (1.0 + std::exp(-0.3)), 1e-15);
  EXPECT_NO_THROW(fx::check_grads([](fx::Array x) { return fx::nn::softplus(x); }, {fx::array({-1.5, 0.2, 2.0})}, 2));
  EXPECT_EQ(value(fx::jit([](fx::Array x) { return fx::nn::softplus(x); })(0.7)), value(fx::nn::softplus(0.7)));
}

TEST(Logaddexp, LargeAndInfiniteArguments) {
  EXPECT_DOUBLE_EQ(value(fx::logaddexp(1000.0, 1000.0)), 1000.0 + std::log(2.0));
  EXPECT_EQ(value(fx::logaddexp(-fx::inf, -fx::inf)), -fx::inf);
  EXPECT_EQ(value(fx::logaddexp(fx::inf, 1.0)), fx::inf);
  const auto g = fx::grad([](fx::Array a, fx::Array b) { return fx::logaddexp(a, b); }, {0, 1})(1000.0, 1000.0);
  // e^(1000 - (1000 + log 2)), with 1000 + log 2 rounded at 1000's ulp.
  EXPECT_NEAR(value(g[0]), 0.5, 1e-13);
  EXPECT_NEAR(value(g[1]), 0.5, 1e-13);
  EXPECT_NO_THROW(fx::check_grads([](fx::Array a, fx::Array b) { return fx::logaddexp(a, b); },
                           {fx::array({-1.0, 0.5}), fx::array({0.25, 2.0})}, 2));
}

TEST(Logsumexp, ShiftedByTheMaxAndDifferentiable) {
  const fx::Array a = fx::array({{1.0, 2.0, 3.0}, {1000.0, 1000.0, -fx::inf}});
  const std::vector<double> rows = values(fx::nn::logsumexp(a, 1));
  EXPECT_NEAR(rows[0], std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)), 1e-14);
  EXPECT_DOUBLE_EQ(rows[1], 1000.0 + std::log(2.0));
  EXPECT_EQ(value(fx::nn::logsumexp(fx::array({-fx::inf, -fx::inf}))), -fx::inf);
  EXPECT_EQ(fx::nn::logsumexp(a, 1, true).shape(), (fx::Shape{2, 1}));
  // Its gradient is the softmax.
  const fx::Array x = fx::array({0.5, -1.0, 2.0});
  const fx::Array g = fx::grad([](fx::Array v) { return fx::nn::logsumexp(v); })(x);
  const std::vector<double> sm = values(fx::nn::softmax(x));
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(values(g)[i], sm[i], 1e-15);
  EXPECT_NEAR(value(fx::sum(fx::nn::softmax(x))), 1.0, 1e-15);
  EXPECT_NEAR(values(fx::nn::log_softmax(x))[1], std::log(sm[1]), 1e-14);
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v) { return fx::nn::logsumexp(v, 0); }, {fx::array({{0.1, 0.2}, {0.3, -0.4}})}, 2));
}

TEST(Sinc, EveryDerivativeAtZero) {
  EXPECT_EQ(value(fx::sinc(0.0)), 1.0);
  EXPECT_NEAR(value(fx::sinc(0.5)), std::sin(fx::pi / 2) / (fx::pi / 2), 1e-16);
  const auto f = [](fx::Array x) { return fx::sinc(x); };
  const double p2 = fx::pi * fx::pi;
  // sinc(x) = 1 - (pi x)^2/6 + (pi x)^4/120 - ...
  EXPECT_EQ(value(fx::grad(f)(0.0)), 0.0);
  EXPECT_NEAR(value(fx::grad(fx::grad(f))(0.0)), -p2 / 3.0, 1e-13);
  EXPECT_EQ(value(fx::grad(fx::grad(fx::grad(f)))(0.0)), 0.0);
  EXPECT_NEAR(value(fx::grad(fx::grad(fx::grad(fx::grad(f))))(0.0)), p2 * p2 / 5.0, 1e-11);
  EXPECT_NO_THROW(fx::check_grads(f, {fx::array({-0.7, 0.3, 1.2})}, 2));
}

TEST(Norm, GradientAtZeroIsZero) {
  EXPECT_EQ(value(fx::linalg::norm(fx::array({3.0, 4.0}))), 5.0);
  const auto g = fx::grad([](fx::Array x) { return fx::linalg::norm(x); });
  EXPECT_NEAR(values(g(fx::array({3.0, 4.0})))[0], 0.6, 2e-16);
  EXPECT_NEAR(values(g(fx::array({3.0, 4.0})))[1], 0.8, 2e-16);
  EXPECT_EQ(values(g(fx::zeros({2}))), (std::vector<double>{0.0, 0.0}));
  EXPECT_EQ(values(fx::linalg::norm(fx::array({{3.0, 4.0}, {0.0, 0.0}}), 1)), (std::vector<double>{5.0, 0.0}));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array x) { return fx::linalg::norm(x, 1); }, {fx::array({{1.0, -2.0}, {0.5, 3.0}})}, 2));
  EXPECT_EQ(values(fx::vmap([](fx::Array x) { return fx::linalg::norm(x); })(fx::array({{3.0, 4.0}, {6.0, 8.0}}))),
            (std::vector<double>{5.0, 10.0}));
}

}  // namespace
