// fx::taylor: coefficients from one jet call against closed forms and nested
// grad, the polynomial as a callable, remainders, seed 000's error scaling,
// the multivariate approximations of seeds 000 and 003, and the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"
#include "seed_common.hpp"

namespace fx = fluxion;
namespace taylor = fluxion::taylor;

namespace {

double factorial(int k) {
  double f = 1;
  for (int i = 2; i <= k; ++i) f *= i;
  return f;
}

// The k-th derivative of tanh as a polynomial in u = tanh(x) (p_0 = u,
// p_{k+1} = p_k'(u) (1 − u²)) times `inner`^k for tanh(inner · x), in long
// double: a reference good to ~1e-16 of the values.
double tanh_derivative(int k, double x, long double inner = 1.0L) {
  std::vector<long double> p = {0.0L, 1.0L};
  for (int n = 0; n < k; ++n) {
    std::vector<long double> next(p.size() + 2, 0.0L);
    for (size_t i = 1; i < p.size(); ++i) {
      const long double c = inner * static_cast<long double>(i) * p[i];
      next[i - 1] += c;
      next[i + 1] -= c;
    }
    p = next;
  }
  const long double u = std::tanh(inner * static_cast<long double>(x));
  long double v = 0;
  for (size_t i = p.size(); i-- > 0;) v = v * u + p[i];
  return static_cast<double>(v);
}

std::vector<double> values(const std::vector<fx::Array>& xs) {
  std::vector<double> out;
  for (const fx::Array& x : xs) out.push_back(x.item<double>());
  return out;
}

fx::Array exp_fn(fx::Array x) { return fx::exp(x); }
fx::Array tanh_fn(fx::Array x) { return fx::tanh(x); }

}  // namespace

TEST(TaylorCoefficients, ExpAtSeveralPoints) {
  for (double x0 : {-2.0, -0.5, 0.0, 0.3, 1.0, 3.0}) {
    const std::vector<double> c = values(taylor::coefficients(exp_fn, x0, 12));
    ASSERT_EQ(c.size(), 13u);
    for (int k = 0; k <= 12; ++k) {
      const double want = std::exp(x0) / factorial(k);
      EXPECT_NEAR(c[k], want, 1e-14 * want) << "x0 = " << x0 << ", k = " << k;
    }
  }
}

TEST(TaylorCoefficients, SinPlusCosAtSeveralPoints) {
  // (sin + cos)^(k)(x) = sin(x + kπ/2) + cos(x + kπ/2): bounded by √2, so
  // the derivatives are compared absolutely and the coefficients over k!.
  for (double x0 : {-2.5, -1.0, 0.0, 0.7, 2.0}) {
    const std::vector<double> d = values(taylor::derivatives(seeds::fun, x0, 10));
    const std::vector<double> c = values(taylor::coefficients(seeds::fun, x0, 10));
    for (int k = 0; k <= 10; ++k) {
      const long double shifted = x0 + k * 1.57079632679489661923L;
      const double want = static_cast<double>(std::sin(shifted) + std::cos(shifted));
      EXPECT_NEAR(d[k], want, 1e-14) << "x0 = " << x0 << ", k = " << k;
      EXPECT_NEAR(c[k], want / factorial(k), 1e-14 / factorial(k)) << "x0 = " << x0 << ", k = " << k;
    }
  }
}

TEST(TaylorCoefficients, TanhAtSeveralPoints) {
  // Derivatives of tanh grow like k!·(2/π)^k; relative to max(1, |value|).
  for (double x0 : {-3.0, -0.7, 0.0, 0.4, 1.0, 2.5}) {
    const std::vector<double> d = values(taylor::derivatives(tanh_fn, x0, 10));
    for (int k = 0; k <= 10; ++k) {
      const double want = tanh_derivative(k, x0);
      EXPECT_NEAR(d[k], want, 1e-13 * std::max(1.0, std::abs(want))) << "x0 = " << x0 << ", k = " << k;
    }
  }
}

TEST(TaylorCoefficients, ElementwiseOverAnArrayCenter) {
  // One jet call for every element: each element's own coefficients.
  const fx::Array x0 = fx::array({-1.0, 0.0, 0.5, 2.0});
  const std::vector<fx::Array> c = taylor::coefficients(tanh_fn, x0, 6);
  ASSERT_EQ(c.size(), 7u);
  const std::vector<double> xs = x0.to_vector<double>();
  for (int k = 0; k <= 6; ++k) {
    ASSERT_EQ(c[k].shape(), fx::Shape({4}));
    const std::vector<double> ck = c[k].to_vector<double>();
    for (size_t i = 0; i < xs.size(); ++i)
      EXPECT_NEAR(ck[i], tanh_derivative(k, xs[i]) / factorial(k), 1e-14) << "k = " << k << ", x0 = " << xs[i];
  }
}

TEST(TaylorCoefficients, IntegerCenterIsTheRealNumber) {
  const std::vector<fx::Array> c = taylor::coefficients(exp_fn, 0, 3);
  EXPECT_EQ(c[0].dtype(), fx::float64);
  EXPECT_EQ(values(c), (std::vector<double>{1.0, 1.0, 0.5, 1.0 / 6}));
}

TEST(TaylorCoefficients, OrderZeroIsTheValue) {
  const std::vector<fx::Array> c = taylor::coefficients(exp_fn, 1.0, 0);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].item<double>(), fx::exp(fx::Array(1.0)).item<double>());
}

TEST(TaylorCoefficients, JetEqualsNestedGradForSeed003sFunctions) {
  // The seed's taylor_approx(fun, approx_around=0.0, num_coef=11) by nesting
  // grad ten times, and by one jet call: coefficient for coefficient.
  for (double x0 : {0.0, -1.3, 2.2}) {
    const std::vector<double> nested = seeds::taylor_coefficients(seeds::fun, x0, 11);
    const std::vector<double> jet = values(taylor::coefficients(seeds::fun, x0, 10));
    ASSERT_EQ(jet.size(), nested.size());
    for (size_t k = 0; k < jet.size(); ++k)
      EXPECT_NEAR(jet[k], nested[k], 1e-14 * std::abs(nested[k])) << "x0 = " << x0 << ", k = " << k;
  }
  // The seed's tanh, (1 − e⁻ˣ)/(1 + e⁻ˣ): its odd coefficients at 0 are 0
  // (true value), which neither way hits exactly at every order, so the
  // comparison is normwise, relative to the largest coefficient.
  for (double x0 : {0.0, -3.0, 1.0}) {
    const std::vector<double> nested = seeds::taylor_coefficients(seeds::seed_tanh, x0, 11);
    const std::vector<double> jet = values(taylor::coefficients(seeds::seed_tanh, x0, 10));
    double largest = 0;
    for (double c : nested) largest = std::max(largest, std::abs(c));
    for (size_t k = 0; k < jet.size(); ++k)
      EXPECT_NEAR(jet[k], nested[k], 1e-14 * largest) << "x0 = " << x0 << ", k = " << k;
  }
}

TEST(TaylorCoefficients, DirectionalDerivativesOfSeed000sAckley) {
  // d^k/dt^k f(x0 + t u) by one jet call against nested grad of t ↦ f(x0 + t u).
  const auto [xo, u] = seeds::seed_000_normal_draws();
  auto along = [xo, u](const fx::Array& t) { return seeds::ackley(xo + t * u); };
  const std::vector<double> d = values(taylor::directional_derivatives(seeds::ackley, xo, u, 4));
  const std::vector<seeds::ScalarFn> nested = seeds::derivatives(along, 5);
  for (int k = 0; k <= 4; ++k) {
    const double want = nested[k](0.0).item<double>();
    EXPECT_NEAR(d[k], want, 1e-13 * std::max(1.0, std::abs(want))) << "k = " << k;
  }
}

TEST(TaylorCoefficients, ComposeWithVmapJitAndGrad) {
  // vmap over centers is the array center's one jet call; jit compiles it to
  // the same numbers; grad of c_k with respect to the center is (k+1)·c_{k+1}.
  auto all = [](fx::Array x) { return fx::stack(taylor::coefficients(seeds::seed_tanh, x, 10)); };
  const fx::Array xs = fx::linspace(-7, 7, 5);
  const fx::Array mapped = fx::vmap(all)(xs);
  ASSERT_EQ(mapped.shape(), fx::Shape({5, 11}));
  EXPECT_EQ(mapped.to_vector<double>(), fx::stack(taylor::coefficients(seeds::seed_tanh, xs, 10), 1).to_vector<double>());
  const std::vector<double> compiled = fx::jit(fx::vmap(all))(xs).to_vector<double>();
  const std::vector<double> eager = mapped.to_vector<double>();
  for (size_t i = 0; i < eager.size(); ++i)
    EXPECT_NEAR(compiled[i], eager[i], 1e-15 * std::max(1.0, std::abs(eager[i]))) << "entry " << i;
  for (double x0 : {-1.0, 0.5, 2.0}) {
    auto c3 = [](fx::Array x) { return taylor::coefficients(seeds::fun, x, 3)[3]; };
    const double want = 4 * taylor::coefficients(seeds::fun, x0, 4)[4].item<double>();
    EXPECT_NEAR(fx::grad(c3)(x0).item<double>(), want, 1e-15) << "x0 = " << x0;
  }
}

TEST(TaylorPolynomial, EvaluatesTheSum) {
  const taylor::Polynomial p = taylor::polynomial(seeds::fun, 0.0, 10);
  EXPECT_EQ(p.degree(), 10);
  EXPECT_EQ(p.center().item<double>(), 0.0);
  EXPECT_EQ(p.coefficients().size(), 11u);
  const fx::Array x = fx::linspace(-4, 4, 17);
  const std::vector<double> xs = x.to_vector<double>();
  for (int n : {0, 1, 2, 5, 10}) {
    const std::vector<double> t = p.truncated(n)(x).to_vector<double>();
    for (size_t i = 0; i < xs.size(); ++i) {
      double want = 0, term = 1;
      for (int k = 0; k <= n; ++k) {
        if (k > 0) term *= xs[i] / k;
        want += ((k % 4 < 2) ? 1.0 : -1.0) * term;
      }
      EXPECT_NEAR(t[i], want, 1e-14 * std::max(1.0, std::abs(want))) << "n = " << n << ", x = " << xs[i];
    }
  }
}

TEST(TaylorPolynomial, AroundAShiftedCenter) {
  // exp around 1: e·Σ (x − 1)^k / k!.
  const taylor::Polynomial p = taylor::polynomial(exp_fn, 1.0, 8);
  for (double x : {0.25, 1.0, 1.5, 2.0}) {
    double want = 0, term = std::exp(1.0);
    for (int k = 0; k <= 8; ++k) {
      if (k > 0) term *= (x - 1) / k;
      want += term;
    }
    EXPECT_NEAR(p(x).item<double>(), want, 1e-15 * want) << "x = " << x;
  }
  EXPECT_EQ(p(1.0).item<double>(), fx::exp(fx::Array(1.0)).item<double>());
}

TEST(TaylorPolynomial, ComposesWithGradAndVmap) {
  // T' is the derivative polynomial Σ k c_k δ^(k−1); vmap maps over points.
  const taylor::Polynomial p = taylor::polynomial(seeds::fun, 0.0, 6);
  for (double x : {-1.0, 0.5, 2.0}) {
    double want = 0;
    for (int k = 1; k <= 6; ++k)
      want += k * p.coefficients()[k].item<double>() * std::pow(x, k - 1);
    EXPECT_NEAR(fx::grad(p)(x).item<double>(), want, 1e-14 * std::max(1.0, std::abs(want))) << "x = " << x;
  }
  const fx::Array xs = fx::array({-1.0, 0.5, 2.0});
  EXPECT_EQ(fx::vmap(p)(xs).to_vector<double>(), p(xs).to_vector<double>());
}

TEST(TaylorPolynomial, PrintsInOrdinaryNotation) {
  EXPECT_EQ(taylor::polynomial(seeds::fun, 0.0, 3).str(), "1.0 + x - 0.5*x^2 - 0.16666666666666666*x^3");
  EXPECT_EQ(taylor::polynomial(seeds::fun, 0.0, 2).str("t"), "1.0 + t - 0.5*t^2");
  EXPECT_EQ(taylor::Polynomial(fx::Array(2.0), {fx::Array(0.0), fx::Array(-1.0), fx::Array(3.0)}).str(),
            "-(x - 2.0) + 3.0*(x - 2.0)^2");
  EXPECT_EQ(taylor::Polynomial(fx::Array(-1.5), {fx::Array(0.0)}).str(), "0");
  EXPECT_EQ(taylor::Polynomial(fx::Array(-1.5), {fx::Array(1.0), fx::Array(1.0)}).str(), "1.0 + (x + 1.5)");
}

TEST(TaylorRemainder, IsFunctionMinusPolynomial) {
  // Lagrange: |R_n(x)| ≤ max|f^(n+1)| |x − x0|^(n+1) / (n+1)!, and for exp
  // around 0 at x > 0 the remainder is positive.
  const taylor::Polynomial p = taylor::polynomial(exp_fn, 0.0, 4);
  for (double x : {0.1, 0.5, 1.0, 2.0}) {
    const double r = taylor::remainder(exp_fn, p, x).item<double>();
    EXPECT_EQ(r, (fx::exp(fx::Array(x)) - p(x)).item<double>());
    EXPECT_GT(r, 0.0);
    EXPECT_LE(r, std::exp(x) * std::pow(x, 5) / 120 * (1 + 1e-12)) << "x = " << x;
    EXPECT_GE(r, std::pow(x, 5) / 120 * (1 - 1e-12)) << "x = " << x;
  }
  // Elementwise over an array of points.
  const fx::Array xs = fx::array({0.1, 0.5});
  EXPECT_EQ(taylor::remainder(exp_fn, p, xs).shape(), fx::Shape({2}));
}

TEST(TaylorErrorScaling, RatiosPerDecadeAreTenToTheOrderPlusOne) {
  // While the Taylor term dominates the rounding, each decade of h divides
  // the error of an order-n polynomial by ~10^(n+1).
  for (int n : {1, 2, 3}) {
    const taylor::ErrorScaling s = taylor::error_scaling(exp_fn, 0.5, n, fx::logspace(-1, -3, 3));
    ASSERT_EQ(s.errors.shape(), fx::Shape({3}));
    EXPECT_EQ(s.order, n);
    const std::vector<double> r = s.ratios(), expected = s.expected_ratios(), orders = s.observed_orders();
    ASSERT_EQ(r.size(), 2u);
    for (size_t k = 0; k < r.size(); ++k) {
      EXPECT_NEAR(expected[k], std::pow(10.0, n + 1), 1e-9 * std::pow(10.0, n + 1));
      EXPECT_NEAR(r[k], expected[k], 0.1 * expected[k]) << "n = " << n << ", decade " << k;
      EXPECT_NEAR(orders[k], n, 0.05) << "n = " << n << ", decade " << k;
    }
    // The error is p − f = −R_n, and R_n of exp at x > x0 is positive.
    for (double e : s.errors.to_vector<double>()) EXPECT_LT(e, 0.0);
  }
}

TEST(TaylorErrorScaling, Seed000sTableBitForBit) {
  // The seed's quadratic Q of Ackley around its random xo, stepped along u:
  // the same errors as the seed's own vmap, and the seed's printed line.
  const auto [xo, u] = seeds::seed_000_normal_draws();
  const fx::Array scales = fx::logspace(-1, -5, 5);
  const taylor::ErrorScaling s = taylor::error_scaling(seeds::ackley, seeds::approx(seeds::ackley, xo), xo, u, scales, 2);
  EXPECT_EQ(s.errors.to_vector<double>(), seeds::taylor_errors(xo, u, scales).to_vector<double>());
  EXPECT_EQ(fx::to_string(s.errors),
            "[1.01747675e-03 1.03140167e-06 1.03225695e-09 1.03295150e-12\n"
            " 8.88178420e-16]");
  const std::vector<double> r = s.ratios();
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(r[k], 1000.0, 100.0) << "decade " << k;
  // The table: a header, one row per scale (step, error, ratio, order), and
  // the prediction for order 2.
  const std::string table = s.table();
  EXPECT_EQ(table.substr(0, table.find('\n')), "step h   error p(x) - f(x)   previous / this   observed order");
  EXPECT_NE(table.find("\n 1e-01      1.01747675e-03\n"), std::string::npos) << table;
  EXPECT_NE(table.find("\n 1e-03      1.03225695e-09             999.2             2.00\n"), std::string::npos) << table;
  EXPECT_NE(table.find("\n 1e-05      8.88178420e-16"), std::string::npos) << table;
  EXPECT_NE(table.find("error O(h^3), a ratio of 10^3 per decade"), std::string::npos) << table;
}

TEST(TaylorErrorScaling, TheToolkitsOwnApproximationsOfAckley) {
  // Seed 000's experiment with taylor::approximation of orders 1, 2 and 3:
  // ratios 10^2, 10^3 and 10^4 per decade, over decades where the next term
  // is small (order 1 and 3 converge from h = 1e-2) and the error is above
  // f's rounding (~1e-15: order 3 stops at 1e-3).
  const auto [xo, u] = seeds::seed_000_normal_draws();
  const std::vector<fx::Array> decades = {fx::logspace(-2, -4, 3), fx::logspace(-1, -4, 4), fx::logspace(-2, -3, 2)};
  for (int n : {1, 2, 3}) {
    const fx::Array& scales = decades[static_cast<size_t>(n - 1)];
    const taylor::ErrorScaling s =
        taylor::error_scaling(seeds::ackley, taylor::approximation(seeds::ackley, xo, n), xo, u, scales, n);
    for (double r : s.ratios()) EXPECT_NEAR(r, std::pow(10.0, n + 1), 0.15 * std::pow(10.0, n + 1)) << "n = " << n;
  }
  // Past the Taylor regime the order-3 error is rounding: at h = 1e-4 it
  // changes sign, and the table shows no order there.
  const taylor::ErrorScaling noisy = taylor::error_scaling(seeds::ackley, taylor::approximation(seeds::ackley, xo, 3),
                                                           xo, u, fx::logspace(-3, -4, 2), 3);
  const std::vector<double> e = noisy.errors.to_vector<double>();
  ASSERT_LT(e[0] * e[1], 0.0) << "this check needs the sign change seen at h = 1e-4";
  EXPECT_TRUE(std::isnan(noisy.observed_orders()[0]));
  const std::string table = noisy.table();
  const size_t row = table.find("\n 1e-04 ");
  ASSERT_NE(row, std::string::npos) << table;
  const std::string line = table.substr(row + 1, table.find('\n', row + 1) - row - 1);
  EXPECT_EQ(line.substr(line.size() - 4), "   -") << table;
}

TEST(TaylorMultivariate, Example515OfMML) {
  // g(x, y) = x² + 2xy + y³ around (1, 2): g = 13, ∇g = (6, 14),
  // H = [[2, 2], [2, 6y = 12]], and the only third derivative ∂³g/∂y³ = 6.
  const fx::Array x0 = fx::array({1.0, 2.0});
  const taylor::Multivariate T3 = taylor::approximation(seeds::g, x0, 3);
  EXPECT_EQ(T3.order(), 3);
  EXPECT_EQ(T3.value().item<double>(), 13.0);
  EXPECT_EQ(T3.gradient().to_vector<double>(), (std::vector<double>{6, 14}));
  EXPECT_EQ(T3.hessian().to_vector<double>(), (std::vector<double>{2, 2, 2, 12}));
  ASSERT_EQ(T3.third().shape(), fx::Shape({2, 2, 2}));
  EXPECT_EQ(T3.third().to_vector<double>(), (std::vector<double>{0, 0, 0, 0, 0, 0, 0, 6}));

  // The seed's quadratic_taylor_approx printout and its closed form
  // T₂ = x² + 6y² − 12y + 2xy + 8 at its seven points.
  const taylor::Multivariate T2 = taylor::approximation(seeds::g, x0, 2);
  EXPECT_EQ(T2(fx::array({{1.0, 1.0}, {1.0, 2.0}, {3.0, 4.0}})).to_vector<double>(), (std::vector<double>{5, 13, 89}));
  const std::vector<double> rows = {1.0, 2.0, 2.0, 3.0, 4.2, 3.7, 2.8, 1.3, 10.2, 21, -5.1, 2.3, -3.4, -2.5};
  const std::vector<double> printed = {13.0, 42.0, 94.46000000000001, 17.659999999999997, 2934.44, 14.689999999999998,
                                       104.06};
  const std::vector<double> t2 = T2(fx::array(rows, {7, 2})).to_vector<double>();
  for (int i = 0; i < 7; ++i) EXPECT_NEAR(t2[i], printed[i], 1e-13 * std::abs(printed[i])) << "row " << i;

  // T₁ is the tangent plane 6x + 14y − 21; g is a cubic, so T₃ is g itself.
  const taylor::Multivariate T1 = T3.truncated(1);
  for (int i = 0; i < 7; ++i) {
    const double x = rows[2 * i], y = rows[2 * i + 1];
    EXPECT_NEAR(T1(fx::array({x, y})).item<double>(), 6 * x + 14 * y - 21, 1e-13 * (6 * std::abs(x) + 14 * std::abs(y) + 21));
    const double g = seeds::g(x, y).item<double>();
    EXPECT_NEAR(T3(fx::array({x, y})).item<double>(), g, 1e-13 * std::max(1.0, std::abs(g))) << "row " << i;
  }
  EXPECT_EQ(T1.order(), 1);
  EXPECT_THROW(T1.hessian(), fx::ValueError);
}

TEST(TaylorMultivariate, Seed000sQuadraticOfAckley) {
  // The toolkit's T₂ against the seed's Q (grad and jacobian(grad)), and a
  // function of the vector and of its entries give the same approximation.
  const auto [xo, u] = seeds::seed_000_normal_draws();
  const taylor::Multivariate T2 = taylor::approximation(seeds::ackley, xo, 2);
  const auto Q = seeds::approx(seeds::ackley, xo);
  for (double s : {1.0, 0.1, 0.01}) {
    const fx::Array x = xo + s * u;
    EXPECT_NEAR(T2(x).item<double>(), Q(x).item<double>(), 1e-14) << "s = " << s;
  }
  auto by_entries = [](fx::Array a, fx::Array b, fx::Array c) { return seeds::ackley(fx::stack({a, b, c})); };
  const taylor::Multivariate E2 = taylor::approximation(by_entries, xo, 2);
  EXPECT_EQ(E2.gradient().to_vector<double>(), T2.gradient().to_vector<double>());
  EXPECT_EQ(E2.hessian().to_vector<double>(), T2.hessian().to_vector<double>());
  // Rows of points at once equal one call per point.
  const fx::Array rows = fx::stack({xo + 0.1 * u, xo - 0.2 * u, xo});
  const std::vector<double> batched = T2(rows).to_vector<double>();
  for (int64_t i = 0; i < 3; ++i) EXPECT_EQ(batched[i], T2(rows[i]).item<double>()) << "row " << i;
  // And the approximation is differentiable: ∇T₂(x0) = ∇f(x0).
  EXPECT_EQ(fx::grad(T2)(xo).to_vector<double>(), T2.gradient().to_vector<double>());
}

TEST(TaylorErrors, ClearMessages) {
  EXPECT_THROW(taylor::coefficients(exp_fn, 0.0, -1), fx::ValueError);
  EXPECT_THROW(taylor::derivatives(exp_fn, 0.0, -2), fx::ValueError);
  EXPECT_THROW(taylor::polynomial(exp_fn, 0.0, -1), fx::ValueError);
  try {
    taylor::coefficients(exp_fn, 0.0, -1);
  } catch (const fx::ValueError& e) {
    EXPECT_EQ(std::string(e.what()), "taylor::coefficients: the order must be 0 or more, got -1");
  }
  EXPECT_THROW(taylor::directional_derivatives(exp_fn, fx::array({0.0, 1.0}), fx::Array(1.0), 2), fx::ShapeError);
  EXPECT_THROW(taylor::Polynomial(fx::Array(0.0), {}), fx::ValueError);
  EXPECT_THROW(taylor::polynomial(exp_fn, 0.0, 3).truncated(4), fx::ValueError);
  EXPECT_THROW(taylor::polynomial(exp_fn, fx::array({0.0, 1.0}), 2).str(), fx::ShapeError);

  // The multivariate form needs f: Rⁿ → R, a vector center and order 0..3.
  auto vector_valued = [](fx::Array x) { return 2.0 * x; };
  try {
    taylor::approximation(vector_valued, fx::array({1.0, 2.0}), 2);
    ADD_FAILURE() << "a vector-valued f was accepted";
  } catch (const fx::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("f must return one number"), std::string::npos) << e.what();
  }
  EXPECT_THROW(taylor::approximation(seeds::g, fx::array({1.0, 2.0}), 4), fx::ValueError);
  EXPECT_THROW(taylor::approximation(seeds::g, fx::array({1.0, 2.0}), -1), fx::ValueError);
  EXPECT_THROW(taylor::approximation(seeds::ackley, fx::Array(1.0), 2), fx::ShapeError);
  EXPECT_THROW(taylor::approximation(seeds::ackley, fx::array({1.0, 2.0, 3.0}), 2)(fx::array({1.0, 2.0})),
               fx::ShapeError);
  EXPECT_THROW(taylor::approximation(seeds::ackley, fx::array({1.0, 2.0, 3.0}), 2).third(), fx::ValueError);

  // Error scaling needs one number per point, a vector of scales, and a
  // scalar center in its one-variable form.
  EXPECT_THROW(taylor::error_scaling(vector_valued, fx::array({1.0, 2.0}), 2), fx::ShapeError);
  EXPECT_THROW(taylor::error_scaling(exp_fn, 0.0, 2, fx::Array(0.1)), fx::ShapeError);
  auto pair = [](fx::Array x) { return fx::stack({x, x}); };
  EXPECT_THROW(taylor::error_scaling(pair, pair, fx::Array(0.0), fx::Array(1.0), fx::logspace(-1, -2, 2)),
               fx::ValueError);
}
