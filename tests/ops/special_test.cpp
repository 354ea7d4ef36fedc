// Tests of the special functions, cumulative reductions and argmin/argmax, and fx::scipy and fx::nn built on them: edge values, errors, derivatives of the functions (not only the primitives).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;
namespace sp = fx::scipy::special;
namespace norm = fx::scipy::stats::norm;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEulerGamma = 0.57721566490153286061;

std::vector<double> values(const fx::Array& x) { return x.astype(fx::float64).to_vector<double>(); }
double value(const fx::Array& x) { return x.astype(fx::float64).item<double>(); }

// The message of the fx::Error f throws (empty if none).
template <class F> std::string error_of(F f) {
  try {
    f();
  } catch (const fx::Error& e) {
    return e.what();
  }
  return "";
}

TEST(Special, ErfAndErfcAtEdges) {
  EXPECT_EQ(values(sp::erf(fx::array({kInf, -kInf, 0.0}))), (std::vector<double>{1.0, -1.0, 0.0}));
  EXPECT_EQ(values(sp::erfc(fx::array({kInf, -kInf, 0.0}))), (std::vector<double>{0.0, 2.0, 1.0}));
  EXPECT_TRUE(std::isnan(value(sp::erf(fx::Array(fx::nan)))));
  // erfc keeps precision where 1 - erf would round to 0.
  EXPECT_NEAR(value(sp::erfc(fx::Array(10.0))) / 2.088487583762545e-45, 1.0, 1e-14);
  // Integers are promoted to the default float; float32 stays float32.
  EXPECT_EQ(sp::erf(fx::array_of<int32_t>({1, 2}, {2})).dtype(), fx::float64);
  EXPECT_EQ(sp::erf(fx::array({0.5}).astype(fx::float32)).dtype(), fx::float32);
}

TEST(Special, GammalnAndDigammaAtPolesAndKnownValues) {
  const std::vector<double> lg = values(sp::gammaln(fx::array({0.0, -1.0, -2.0, 1.0, 2.0, 0.5, kInf})));
  EXPECT_EQ(lg[0], kInf);
  EXPECT_EQ(lg[1], kInf);
  EXPECT_EQ(lg[2], kInf);
  EXPECT_EQ(lg[3], 0.0);
  EXPECT_EQ(lg[4], 0.0);
  EXPECT_NEAR(lg[5], 0.5 * std::log(std::numbers::pi), 1e-15);
  EXPECT_EQ(lg[6], kInf);
  // digamma: NaN at 0 and the negative integers (JAX's), closed forms elsewhere.
  const std::vector<double> d = values(sp::digamma(fx::array({0.0, -1.0, -3.0, -kInf, 1.0, 0.5, 2.0, -0.5, kInf})));
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(std::isnan(d[i])) << i;
  EXPECT_NEAR(d[4], -kEulerGamma, 1e-15);
  EXPECT_NEAR(d[5], -kEulerGamma - 2 * std::log(2.0), 1e-15);
  EXPECT_NEAR(d[6], 1 - kEulerGamma, 1e-15);
  EXPECT_NEAR(d[7], 2 - kEulerGamma - 2 * std::log(2.0), 1e-14);  // psi(-1/2) = psi(3/2)
  EXPECT_EQ(d[8], kInf);
  // Tiny arguments: psi(x) ~ -1/x - gamma.
  EXPECT_NEAR(value(sp::digamma(fx::Array(1e-10))), -1e10 - kEulerGamma, 1e-5);
}

TEST(Special, PolygammaValuesAndPoles) {
  const double pi2 = std::numbers::pi * std::numbers::pi;
  EXPECT_NEAR(value(fx::lax::polygamma(1.0, fx::Array(1.0).astype(fx::float64))), pi2 / 6, 1e-15);
  EXPECT_NEAR(value(fx::lax::polygamma(1.0, fx::array({0.5}))), pi2 / 2, 1e-14);
  // psi''(1) = -2 zeta(3).
  EXPECT_NEAR(value(fx::lax::polygamma(2.0, fx::array({1.0}))), -2 * 1.2020569031595942, 1e-14);
  EXPECT_NEAR(value(fx::lax::polygamma(0.0, fx::array({1.0}))), -kEulerGamma, 1e-15);
  const std::vector<double> poles = values(fx::lax::polygamma(fx::array({1.0, 2.0, 1.5, -1.0}), fx::array({0.0, -2.0, 1.0, 1.0})));
  EXPECT_EQ(poles[0], kInf);        // odd order at a pole
  EXPECT_TRUE(std::isnan(poles[1]));  // even order at a pole
  EXPECT_TRUE(std::isnan(poles[2]));  // non-integer order
  EXPECT_TRUE(std::isnan(poles[3]));  // negative order
  // Not differentiable in the order, as in JAX.
  const std::string msg = error_of([] {
    fx::grad([](fx::Array m) { return fx::sum(fx::lax::polygamma(m, fx::array({1.0}))); })(fx::Array(1.0));
  });
  EXPECT_NE(msg.find("polygamma"), std::string::npos) << msg;
  EXPECT_NE(msg.find("not supported"), std::string::npos) << msg;
}

TEST(Special, LaxFunctionsRejectIntegers) {
  const std::string msg = error_of([] { fx::lax::erf(fx::array_of<int32_t>({1}, {1})); });
  EXPECT_NE(msg.find("erf does not accept dtype int32"), std::string::npos) << msg;
  EXPECT_NE(msg.find("fx::scipy::special::erf"), std::string::npos) << msg;
  EXPECT_THROW(fx::lax::digamma(fx::array_of<int64_t>({1}, {1})), fx::TypeError);
  EXPECT_THROW(fx::lax::nextafter(fx::array({1.0}), fx::array({1.0}).astype(fx::float32)), fx::TypeError);
  EXPECT_THROW(fx::lax::cumsum(fx::array_of<bool>({true}, {1})), fx::TypeError);
  EXPECT_THROW(fx::lax::argmax(fx::array({1.0}), 0, fx::float32), fx::TypeError);
}

TEST(Special, Nextafter) {
  EXPECT_EQ(value(fx::nextafter(fx::Array(1.0), fx::Array(2.0))), std::nextafter(1.0, 2.0));
  EXPECT_EQ(value(fx::nextafter(fx::Array(0.0), fx::Array(-1.0))), -std::numeric_limits<double>::denorm_min());
  EXPECT_TRUE(std::isnan(value(fx::nextafter(fx::Array(fx::nan), fx::Array(1.0)))));
  // A weak scalar takes the array's float32.
  const fx::Array f = fx::lax::nextafter(fx::array({1.0}).astype(fx::float32), 2.0);
  EXPECT_EQ(f.dtype(), fx::float32);
  EXPECT_EQ(f.to_vector<float>()[0], std::nextafter(1.0f, 2.0f));
}

TEST(Special, CumulativeOps) {
  const fx::Array x = fx::array({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  EXPECT_EQ(values(fx::cumsum(x)), (std::vector<double>{1, 3, 6, 10, 15, 21}));
  EXPECT_EQ(values(fx::cumsum(x, 1)), (std::vector<double>{1, 3, 6, 4, 9, 15}));
  EXPECT_EQ(values(fx::cumsum(x, -2)), (std::vector<double>{1, 2, 3, 5, 7, 9}));
  EXPECT_EQ(values(fx::lax::cumsum(x, 1, true)), (std::vector<double>{6, 5, 3, 15, 11, 6}));
  EXPECT_EQ(values(fx::cumprod(x, 1)), (std::vector<double>{1, 2, 6, 4, 20, 120}));
  EXPECT_EQ(values(fx::lax::cummax(fx::array({1.0, 3.0, 2.0, 5.0}))), (std::vector<double>{1, 3, 3, 5}));
  EXPECT_EQ(values(fx::lax::cummin(fx::array({1.0, 3.0, 0.0, 5.0}), 0, true)), (std::vector<double>{0, 0, 0, 5}));
  const std::vector<double> with_nan = values(fx::lax::cummax(fx::array({1.0, fx::nan, 5.0})));
  EXPECT_EQ(with_nan[0], 1.0);
  EXPECT_TRUE(std::isnan(with_nan[1]) && std::isnan(with_nan[2]));
  // Empty arrays, bools in the default int, an explicit bool dtype.
  EXPECT_EQ(fx::cumsum(fx::zeros({0})).shape(), (fx::Shape{0}));
  EXPECT_EQ(fx::cumsum(fx::zeros({2, 0}), 1).shape(), (fx::Shape{2, 0}));
  const fx::Array b = fx::cumsum(fx::array_of<bool>({true, false, true}, {3}));
  EXPECT_EQ(b.dtype(), fx::int32);
  EXPECT_EQ(b.to_vector<int32_t>(), (std::vector<int32_t>{1, 1, 2}));
  const fx::Array as_bool = fx::cumsum(fx::array({-1.0, 1.0, 0.0}), 0, fx::bool_);
  EXPECT_EQ(as_bool.dtype(), fx::bool_);
  EXPECT_EQ(fx::cumsum(fx::array({1.5, 2.5}), 0, fx::int32).dtype(), fx::int32);
  const std::string msg = error_of([&] { fx::cumsum(x, 2); });
  EXPECT_NE(msg.find("axis 2 is out of bounds"), std::string::npos) << msg;
  EXPECT_THROW(fx::lax::cummax(x, -3), fx::ShapeError);
}

TEST(Special, ArgmaxArgmin) {
  const fx::Array x = fx::array({{1.0, 7.0, 7.0}, {9.0, -2.0, -2.0}});
  EXPECT_EQ(fx::argmax(x).item<int32_t>(), 3);
  EXPECT_EQ(fx::argmax(x, 1).to_vector<int32_t>(), (std::vector<int32_t>{1, 0}));  // the first of ties
  EXPECT_EQ(fx::argmin(x, 1).to_vector<int32_t>(), (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(fx::argmax(x, 0, true).shape(), (fx::Shape{1, 3}));
  EXPECT_EQ(fx::argmin(x, std::nullopt, true).shape(), (fx::Shape{1, 1}));
  // NaN counts as the extremum for both, the first NaN wins.
  const fx::Array n = fx::array({1.0, fx::nan, 3.0, fx::nan});
  EXPECT_EQ(fx::argmax(n).item<int32_t>(), 1);
  EXPECT_EQ(fx::argmin(n).item<int32_t>(), 1);
  EXPECT_EQ(fx::argmax(fx::array_of<bool>({false, true, true}, {3})).item<int32_t>(), 1);
  EXPECT_EQ(fx::lax::argmax(x, 1, fx::uint64).dtype(), fx::uint64);
  const std::string msg = error_of([] { fx::argmax(fx::zeros({0})); });
  EXPECT_NE(msg.find("empty sequence"), std::string::npos) << msg;
  EXPECT_THROW(fx::argmax(fx::zeros({0})), fx::ValueError);
  EXPECT_THROW(fx::lax::argmin(fx::zeros({2, 0}), 1, fx::int32), fx::ShapeError);
  // Zero derivative through the index.
  const fx::Array g = fx::grad([](fx::Array v) { return fx::argmax(v).astype(fx::float64) * fx::sum(v); })(
      fx::array({1.0, 3.0, 2.0}));
  EXPECT_EQ(values(g), (std::vector<double>{1, 1, 1}));
}

TEST(Special, CumulativeDerivatives) {
  // Forward and reverse, orders 1 and 2, of the jnp functions; cumprod with a zero.
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v) { return fx::cumsum(v * v, 1); }, {fx::array({{0.3, -1.2}, {0.5, 2.0}})}, 2));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v) { return fx::cumprod(v); }, {fx::array({0.7, 0.0, -1.3, 2.0, 0.4})}, 2));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v) { return fx::lax::cumprod(v, 0, true); }, {fx::array({0.7, 0.0, -1.3, 0.0})}, 2));
  // cummax on a tie: the tangent is split as max's rule splits it (weights sum to 1 per output).
  const fx::Array t = fx::jvp([](fx::Array v) { return fx::lax::cummax(v); }, {fx::array({2.0, 2.0})},
                              {fx::array({1.0, 1.0})}).second;
  EXPECT_EQ(values(t), (std::vector<double>{1.0, 1.0}));
  const fx::Array only_first = fx::jvp([](fx::Array v) { return fx::lax::cummax(v); }, {fx::array({2.0, 2.0})},
                                       {fx::array({1.0, 0.0})}).second;
  EXPECT_EQ(values(only_first), (std::vector<double>{1.0, 0.5}));
}

TEST(Special, ScipyDerivatives) {
  const fx::Array x = fx::array({-1.3, 0.2, 0.9, 2.4});
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v) { return sp::erf(v) + sp::erfc(v * 0.5); }, {x}, 2));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v) { return sp::erfinv(v * 0.3); }, {x}, 2));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v) { return sp::gammaln(v * v + 0.1) + sp::digamma(v + 3.0); }, {x}, 2));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v, fx::Array y) { return sp::xlogy(v, y * y + 0.5); }, {x, x * 0.7}, 2));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v, fx::Array y) { return sp::xlog1py(v, y * y); }, {x, x}, 2));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v) { return norm::pdf(v, 0.3, 1.7) + norm::logpdf(v); }, {x}, 2));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v) { return norm::cdf(v, -0.2, 0.8); }, {x}, 2));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array v) { return norm::logcdf(v * 10.0); }, {x}, 2));
  EXPECT_NO_THROW(fx::check_grads([](fx::Array q) { return norm::ppf(q * 0.15 + 0.5); }, {x}, 2));
}

TEST(Special, XlogyAtZero) {
  EXPECT_EQ(value(sp::xlogy(fx::Array(0.0), fx::Array(0.0))), 0.0);
  EXPECT_TRUE(std::isnan(value(sp::xlogy(fx::Array(0.0), fx::Array(fx::nan)))));
  EXPECT_EQ(value(sp::xlog1py(fx::Array(0.0), fx::Array(-1.0))), 0.0);
  // JAX's custom rule: d/dx = log y (-inf at y = 0), d/dy = x / y (0/0 = NaN there).
  const std::vector<fx::Array> g =
      fx::grad([](fx::Array a, fx::Array b) { return sp::xlogy(a, b); }, {0, 1})(fx::Array(0.0), fx::Array(2.0));
  EXPECT_DOUBLE_EQ(value(g[0]), std::log(2.0));
  EXPECT_EQ(value(g[1]), 0.0);
}

TEST(Special, NormalDistribution) {
  EXPECT_NEAR(value(norm::pdf(fx::Array(0.0))), 1.0 / std::sqrt(2 * std::numbers::pi), 1e-16);
  EXPECT_NEAR(value(norm::cdf(fx::Array(1.96))), 0.9750021048517795, 1e-15);
  // The lower tail through erfc keeps relative precision.
  EXPECT_NEAR(value(norm::cdf(fx::Array(-30.0))) / 4.906713927148187e-198, 1.0, 1e-13);
  EXPECT_NEAR(value(norm::logcdf(fx::Array(-40.0))), -804.6084420137538, 1e-10);
  EXPECT_NEAR(value(norm::logcdf(fx::Array(10.0))), -7.61985302416047e-24, 1e-37);
  // ppf inverts cdf, from the far tails to the middle; ±inf at 0 and 1.
  const fx::Array q = fx::array({1e-300, 1e-20, 0.01, 0.3, 0.5, 0.8, 0.999});
  const std::vector<double> back = values(norm::cdf(norm::ppf(q)));
  const std::vector<double> want = values(q);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(back[i] / want[i], 1.0, 1e-12) << want[i];
  EXPECT_EQ(values(norm::ppf(fx::array({0.0, 1.0}))), (std::vector<double>{-kInf, kInf}));
  EXPECT_TRUE(std::isnan(value(norm::ppf(fx::Array(1.5)))));
  EXPECT_NEAR(value(norm::ppf(fx::Array(0.975), 1.0, 2.0)), 1.0 + 2 * 1.959963984540054, 1e-14);
  // float32 in, float32 out.
  EXPECT_EQ(norm::cdf(fx::array({0.5}).astype(fx::float32)).dtype(), fx::float32);
}

TEST(Special, LogsumexpWithWeightsAndSign) {
  const fx::Array a = fx::array({{1.0, 2.0, 0.5}, {-1.0, 3.0, 700.0}});
  const fx::Array b = fx::array({{1.0, -2.0, 0.5}, {0.0, 1.0, 2.0}});
  // Direct computation where it does not overflow.
  const double row0 = std::exp(1.0) - 2 * std::exp(2.0) + 0.5 * std::exp(0.5);
  const auto [v, s] = fx::nn::logsumexp(a, 1, b, false, fx::nn::return_sign);
  EXPECT_NEAR(values(v)[0], std::log(std::abs(row0)), 1e-14);
  EXPECT_NEAR(values(v)[1], 700.0 + std::log(2.0), 1e-12);  // no overflow
  EXPECT_EQ(values(s), (std::vector<double>{-1.0, 1.0}));
  // Without return_sign a negative sum is NaN.
  const std::vector<double> plain = values(sp::logsumexp(a, 1, b));
  EXPECT_TRUE(std::isnan(plain[0]));
  EXPECT_NEAR(plain[1], 700.0 + std::log(2.0), 1e-12);
  // b == 0 drops an element even where a is inf; b broadcasts; keepdims.
  EXPECT_NEAR(value(fx::nn::logsumexp(fx::array({kInf, 0.0}), {}, fx::array({0.0, 1.0}))), 0.0, 0.0);
  EXPECT_EQ(fx::nn::logsumexp(a, 0, fx::array({1.0, 2.0, 3.0}), true).shape(), (fx::Shape{1, 3}));
  // Empty reductions give -inf (JAX's initial=-inf), and the old overload is unchanged.
  EXPECT_EQ(value(fx::nn::logsumexp(fx::zeros({0}))), -kInf);
  EXPECT_NEAR(value(fx::nn::logsumexp(fx::array({1.0, 2.0}))), std::log(std::exp(1.0) + std::exp(2.0)), 1e-15);
  // Derivatives in a and b.
  EXPECT_NO_THROW(fx::check_grads([](fx::Array x, fx::Array w) { return sp::logsumexp(x, 1, w * w + 0.1); },
                                  {fx::array({{0.1, 0.2}, {0.3, -0.4}}), fx::array({{1.0, 0.5}, {-0.7, 2.0}})}, 2));
  EXPECT_NO_THROW(fx::check_grads(
      [](fx::Array x, fx::Array w) { return fx::nn::logsumexp(x, {}, w, false, fx::nn::return_sign).first; },
      {fx::array({0.1, 0.2, -0.3}), fx::array({1.0, -0.5, -2.0})}, 2));
}

TEST(Special, TransformsCompose) {
  // vmap and jit over the jnp/scipy functions, against eager per example.
  const fx::Array xs = fx::array({{0.3, -1.0, 2.0}, {1.5, 0.1, -0.4}});
  const auto f = [](fx::Array v) { return fx::cumsum(sp::erf(v)) + fx::argmax(v).astype(fx::float64); };
  const fx::Array batched = fx::vmap(f)(xs);
  for (int64_t i = 0; i < 2; ++i) EXPECT_EQ(values(batched[i]), values(f(xs[i])));
  EXPECT_EQ(values(fx::jit(f)(xs[0])), values(f(xs[0])));
  EXPECT_NE(fx::make_jaxpr(f)(xs[0]).str().find("cumsum[axis=0 reverse=False]"), std::string::npos);
}

}  // namespace
