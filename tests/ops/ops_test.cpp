// Hand-checked values the seeds depend on (the NumPy oracle suite covers the
// operations broadly; these pin the exact numbers the examples print).
#include <gtest/gtest.h>

#include <cmath>

#include "fluxion/fluxion.hpp"

namespace fx = fluxion;

TEST(Creation, LinspaceEndpointsAreExact) {
  const auto v = fx::linspace(-7, 7, 200).to_vector<double>();
  ASSERT_EQ(v.size(), 200u);
  EXPECT_EQ(v.front(), -7.0);
  EXPECT_EQ(v.back(), 7.0);
  EXPECT_EQ(fx::linspace(-1, -5, 5).to_vector<double>(), (std::vector<double>{-1, -2, -3, -4, -5}));
  EXPECT_EQ(fx::linspace(0, 1, 4, false).to_vector<double>(), (std::vector<double>{0, 0.25, 0.5, 0.75}));
  EXPECT_EQ(fx::linspace(3, 9, 1).to_vector<double>(), (std::vector<double>{3}));
  EXPECT_EQ(fx::linspace(3, 9, 0).size(), 0);
  EXPECT_THROW(fx::linspace(0, 1, -1), fx::Error);
}

TEST(Creation, LogspaceIsExactlyTenToTheK) {
  const auto v = fx::logspace(-1, -5, 5).to_vector<double>();
  EXPECT_EQ(v, (std::vector<double>{1e-1, 1e-2, 1e-3, 1e-4, 1e-5}));
  EXPECT_EQ(fx::logspace(0, 3, 4).to_vector<double>(), (std::vector<double>{1, 10, 100, 1000}));
}

TEST(Creation, ArangeEyeFullMeshgrid) {
  const fx::Array a = fx::arange(4);
  EXPECT_EQ(a.dtype(), fx::int32);
  EXPECT_EQ(a.to_vector<int>(), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(fx::arange(1, 10, 3).to_vector<int>(), (std::vector<int>{1, 4, 7}));
  EXPECT_EQ(fx::arange(5, 0, -2).to_vector<int>(), (std::vector<int>{5, 3, 1}));
  const fx::Array f = fx::arange(0.0, 1.0, 0.25);
  EXPECT_EQ(f.dtype(), fx::float64);
  EXPECT_EQ(f.to_vector<double>(), (std::vector<double>{0, 0.25, 0.5, 0.75}));
  EXPECT_THROW(fx::arange(0, 1, 0), fx::Error);
  EXPECT_EQ(fx::eye(3).to_vector<double>(), (std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(fx::eye(2, 3, 1).to_vector<double>(), (std::vector<double>{0, 1, 0, 0, 0, 1}));
  const fx::Array full = fx::full({2, 2}, 7, fx::float32);
  EXPECT_EQ(full.dtype(), fx::float32);
  EXPECT_EQ(full.to_vector<float>(), (std::vector<float>{7, 7, 7, 7}));
  const auto g = fx::meshgrid({fx::arange(3), fx::arange(2)});
  EXPECT_EQ(g[0].shape(), (fx::Shape{2, 3}));
  EXPECT_EQ(g[0].to_vector<int>(), (std::vector<int>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(g[1].to_vector<int>(), (std::vector<int>{0, 0, 0, 1, 1, 1}));
  const auto ij = fx::meshgrid({fx::arange(3), fx::arange(2)}, "ij");
  EXPECT_EQ(ij[0].shape(), (fx::Shape{3, 2}));
}

TEST(Broadcasting, SeedZeroScalesAgainstPoint) {
  const fx::Array xo = fx::array({1.0, 2.0, 3.0});
  const fx::Array s = fx::reshape(fx::logspace(-1, -5, 5), {5, 1});
  const fx::Array xs = xo + fx::array({1.0, 1.0, 1.0}) * s;
  ASSERT_EQ(xs.shape(), (fx::Shape{5, 3}));
  EXPECT_EQ(xs[0].to_vector<double>(), (std::vector<double>{1.1, 2.1, 3.1}));
  EXPECT_THROW(fx::array({1.0, 2.0, 3.0}) + fx::array({1.0, 2.0}), fx::ShapeError);
}

TEST(Reductions, AxesNegativeKeepdims) {
  const fx::Array m = fx::reshape(fx::arange(6).astype(fx::float64), {2, 3});
  EXPECT_EQ(fx::sum(m).item<double>(), 15.0);
  EXPECT_EQ(fx::sum(m, {1}).to_vector<double>(), (std::vector<double>{3, 12}));
  EXPECT_EQ(fx::sum(m, {-2}, true).shape(), (fx::Shape{1, 3}));
  EXPECT_EQ(fx::mean(m, {0}).to_vector<double>(), (std::vector<double>{1.5, 2.5, 3.5}));
  EXPECT_EQ(fx::max(m, {1}).to_vector<double>(), (std::vector<double>{2, 5}));
  EXPECT_EQ(fx::prod(m + 1.0).item<double>(), 720.0);
  EXPECT_THROW(fx::sum(m, {2}), fx::ShapeError);
  EXPECT_THROW(fx::max(fx::zeros({0})), fx::ShapeError);
  EXPECT_EQ(fx::sum(fx::array({1.0, 1.0}) > 0.0).dtype(), fx::int32);
}

TEST(LinearAlgebra, DotMatmulOuter) {
  const fx::Array a = fx::array({{1., 2.}, {3., 4.}});
  EXPECT_EQ(fx::matmul(a, a).to_vector<double>(), (std::vector<double>{7, 10, 15, 22}));
  EXPECT_EQ(fx::dot(fx::array({1., 2.}), fx::array({3., 4.})).item<double>(), 11.0);
  EXPECT_EQ(fx::matmul(a, fx::array({1., 1.})).to_vector<double>(), (std::vector<double>{3, 7}));
  const fx::Array batch = fx::reshape(fx::arange(8).astype(fx::float64), {2, 2, 2});
  const fx::Array r = fx::matmul(batch, a);
  EXPECT_EQ(r.shape(), (fx::Shape{2, 2, 2}));
  EXPECT_EQ(r[1].to_vector<double>(), (std::vector<double>{4 + 15, 8 + 20, 6 + 21, 12 + 28}));
  EXPECT_EQ(fx::outer(fx::arange(2), fx::arange(3)).to_vector<int>(), (std::vector<int>{0, 0, 0, 0, 1, 2}));
  EXPECT_THROW(fx::matmul(a, fx::ones({3, 2})), fx::ShapeError);
}

TEST(Elementwise, ExpMatchesXlaAtOne) {
  EXPECT_EQ(fx::exp(fx::Array(1.0)).item<double>(), 2.7182818284590455);
}
