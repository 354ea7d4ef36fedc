// Seed 004 (derivatives in statistics): Newton-Raphson minimisation, error
// propagation, numerical vs symbolic vs automatic differentiation, dual
// numbers and control flow, each against its closed form.
#include <gtest/gtest.h>

#include <cmath>

#include "seed_common.hpp"

namespace fx = fluxion;

TEST(Seed004, NewtonOnTheQuarticReachesNineQuarters) {
  const std::vector<double> path = seeds::newton_minimize(seeds::quartic, 3.0, 8);
  ASSERT_EQ(path.size(), 9u);
  EXPECT_EQ(path[1], 2.5);  // 3 - f'(3)/f''(3) = 3 - 27/54
  // Each step is the hand-derived iteration x - (4x^3 - 9x^2) / (12x^2 - 18x).
  for (size_t n = 0; n + 1 < path.size(); ++n) {
    const double x = path[n];
    EXPECT_NEAR(path[n + 1], x - (4 * x * x * x - 9 * x * x) / (12 * x * x - 18 * x), 4e-16 * x) << "step " << n;
  }
  EXPECT_EQ(path.back(), 2.25);
  EXPECT_EQ(seeds::quartic(path.back()).item<double>(), -6.54296875);
}

TEST(Seed004, NewtonFitsTheExponentialRate) {
  const std::vector<double>& t = seeds::kDecayTimes;
  const double n = static_cast<double>(t.size());
  double sum_t = 0;
  for (double v : t) sum_t += v;
  const std::vector<double> fit = seeds::newton_minimize(seeds::exponential_nll, 0.5, 6);
  // NLL' = -n / lambda + sum(t), NLL'' = n / lambda^2.
  for (size_t k = 0; k + 1 < fit.size(); ++k) {
    const double l = fit[k];
    EXPECT_NEAR(fit[k + 1], l - (-n / l + sum_t) / (n / (l * l)), 1e-15) << "step " << k;
  }
  const double lambda_hat = n / sum_t;
  EXPECT_NEAR(fit.back(), lambda_hat, 2e-16);
  const double curvature = fx::grad(fx::grad(seeds::exponential_nll))(lambda_hat).item<double>();
  EXPECT_NEAR(curvature, n / (lambda_hat * lambda_hat), 1e-14);
  EXPECT_NEAR(1 / std::sqrt(curvature), lambda_hat / std::sqrt(n), 1e-15);  // Minuit's error
}

TEST(Seed004, ErrorPropagationPolarToCartesian) {
  const double r = 2.0, phi = fx::pi / 6;
  const fx::Array x = fx::array({r, phi});
  const fx::Array cx = fx::array({{0.01, 0.001}, {0.001, 0.0025}});
  const auto [J, cy] = seeds::propagate_covariance(seeds::polar_to_cartesian, x, cx);
  ASSERT_EQ(J.shape(), fx::Shape({2, 2}));
  ASSERT_EQ(cy.shape(), fx::Shape({2, 2}));
  const double j[2][2] = {{std::cos(phi), -r * std::sin(phi)}, {std::sin(phi), r * std::cos(phi)}};
  const double c[2][2] = {{0.01, 0.001}, {0.001, 0.0025}};
  const std::vector<double> jv = J.to_vector<double>(), cyv = cy.to_vector<double>();
  for (int a = 0; a < 2; ++a) {
    for (int b = 0; b < 2; ++b) {
      EXPECT_NEAR(jv[2 * a + b], j[a][b], 4e-16) << "J[" << a << "][" << b << "]";
      double expect = 0;  // (J C_x J^T)_ab
      for (int k = 0; k < 2; ++k)
        for (int l = 0; l < 2; ++l) expect += j[a][k] * c[k][l] * j[b][l];
      EXPECT_NEAR(cyv[2 * a + b], expect, 1e-17) << "C_y[" << a << "][" << b << "]";
    }
  }
  EXPECT_NEAR(cyv[1], cyv[2], 1e-18);  // symmetric, up to the rounding of (J C_x) J^T
  // J agrees with central differences of the same function.
  const double h = 1e-6;
  for (int b = 0; b < 2; ++b) {
    std::vector<double> up = {r, phi}, down = {r, phi};
    up[b] += h;
    down[b] -= h;
    const std::vector<double> yu = seeds::polar_to_cartesian(fx::array(up, {2})).to_vector<double>();
    const std::vector<double> yd = seeds::polar_to_cartesian(fx::array(down, {2})).to_vector<double>();
    for (int a = 0; a < 2; ++a) EXPECT_NEAR(jv[2 * a + b], (yu[a] - yd[a]) / (2 * h), 1e-8);
  }
}

TEST(Seed004, NumericalDifferencesAndTheirErrors) {
  auto f = [](double v) { return seeds::sympy_example(v).item<double>(); };
  // Forward difference of a quadratic: f'(1) + 3h exactly, up to rounding.
  EXPECT_NEAR((f(1.1) - f(1.0)) / 0.1, 8.3, 1e-12);
  // Symmetric difference is exact for a quadratic, up to rounding.
  EXPECT_NEAR((f(1.1) - f(0.9)) / 0.2, 8.0, 1e-12);
  // The slides' `1e16 - 1 == 1e16`.
  const fx::Array same = fx::Array(1e16) - 1.0 == 1e16;
  EXPECT_EQ(same.dtype(), fx::bool_);
  EXPECT_TRUE(same.item<bool>());
  EXPECT_EQ(fx::to_string(same), "True");
}

TEST(Seed004, AutomaticDifferentiationMatchesSymPyExactly) {
  // diff(3*x**2 + 2*x, x) returns 6*x + 2.
  const auto d = fx::grad(seeds::sympy_example);
  for (double x : {-2.0, -1.0, 0.0, 1.0, 2.0, 0.5, 7.25}) EXPECT_EQ(d(x).item<double>(), 6 * x + 2) << x;
  // The example prints vmap(grad(f)) over linspace(-2, 2, 5) next to 6x + 2.
  const fx::Array xs = fx::linspace(-2, 2, 5);
  EXPECT_EQ(fx::vmap(d)(xs).to_vector<double>(), (6 * xs + 2).to_vector<double>());
  EXPECT_EQ(fx::repr(fx::vmap(d)(xs)), "Array([-10.,  -4.,   2.,   8.,  14.], dtype=float64)");
}

TEST(Seed004, DualNumberRules) {
  auto mul = [](const fx::Array& a, const fx::Array& b) { return a * b; };
  const auto [p1, t1] = fx::jvp(mul, {2.0, 5.0}, {1.0, 3.0});
  EXPECT_EQ(p1.item<double>(), 10.0);  // xy
  EXPECT_EQ(t1.item<double>(), 11.0);  // xb + ya
  auto inv = [](const fx::Array& a) { return 1.0 / a; };
  const auto [p2, t2] = fx::jvp(inv, {4.0}, {1.0});
  EXPECT_EQ(p2.item<double>(), 0.25);     // 1/x
  EXPECT_EQ(t2.item<double>(), -0.0625);  // -a/x^2
  auto pow5 = [](const fx::Array& a) { return fx::pow(a, 5); };
  const auto [p3, t3] = fx::jvp(pow5, {2.0}, {1.0});
  EXPECT_EQ(p3.item<double>(), 32.0);  // x^n
  EXPECT_EQ(t3.item<double>(), 80.0);  // n x^(n-1) a
}

TEST(Seed004, DerivativeThroughAWhileLoop) {
  for (double x : {-2.0, 0.5, 1.0, 3.0}) {
    // Rounding grows with the sum of |terms|, exp(|x|) (the series alternates for x < 0).
    const double e = std::exp(x), tol = 4e-16 * std::exp(std::abs(x));
    EXPECT_NEAR(seeds::exp_by_series(x).item<double>(), e, tol) << x;
    EXPECT_NEAR(fx::grad(seeds::exp_by_series)(x).item<double>(), e, tol) << x;
    EXPECT_NEAR(fx::grad(fx::grad(seeds::exp_by_series))(x).item<double>(), e, tol) << x;
  }
}
