// Seed 001 (a rational function and its derivatives): the functions the
// example prints, checked against closed-form derivatives and central
// finite differences.
#include <gtest/gtest.h>

#include <cmath>

#include "seed_common.hpp"

namespace fx = fluxion;

namespace {

fx::Array coefficients(const std::vector<double>& c, size_t n) {
  return fx::array(std::vector<double>(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n)),
                   {static_cast<int64_t>(n)});
}

// p(x), p'(x), p''(x) of the polynomial with coefficients c (c[i] x^i).
struct Poly {
  double v = 0, d1 = 0, d2 = 0;
};
Poly poly(const std::vector<double>& c, double x) {
  Poly p;
  for (size_t i = 0; i < c.size(); ++i) {
    const double n = static_cast<double>(i);
    p.v += c[i] * std::pow(x, n);
    if (i >= 1) p.d1 += n * c[i] * std::pow(x, n - 1);
    if (i >= 2) p.d2 += n * (n - 1) * c[i] * std::pow(x, n - 2);
  }
  return p;
}

// f = N / D with N = P, D = 1 + Q^2, and its first two derivatives.
struct Closed {
  double f, d1, d2;
};
Closed closed_form(const std::vector<double>& a, const std::vector<double>& b, double x) {
  const Poly P = poly(a, x), Q = poly(b, x);
  const double D = 1 + Q.v * Q.v, D1 = 2 * Q.v * Q.d1, D2 = 2 * (Q.d1 * Q.d1 + Q.v * Q.d2);
  const double num1 = P.d1 * D - P.v * D1;
  return {P.v / D, num1 / (D * D), (P.d2 * D - P.v * D2) / (D * D) - 2 * D1 * num1 / (D * D * D)};
}

// |actual - expected| <= tol * max(1, |expected|).
void expect_close(double actual, double expected, double tol, const std::string& what) {
  EXPECT_LE(std::abs(actual - expected), tol * std::max(1.0, std::abs(expected)))
      << what << ": got " << actual << ", expected " << expected;
}

class Seed001 : public ::testing::Test {
 protected:
  const fx::Array alpha = coefficients(seeds::kAlpha, 6);
  const fx::Array beta = coefficients(seeds::kBeta, 6);
  double f(double x) const { return seeds::rational_function(x, alpha, beta).item<double>(); }
  double df(double x) const { return fx::grad(seeds::rational_function)(x, alpha, beta).item<double>(); }
  double d2f(double x) const {
    return fx::grad(fx::grad(seeds::rational_function))(x, alpha, beta).item<double>();
  }
};

// The example's grid (step 1 inside I_10) plus off-grid points.
const std::vector<double> kPoints = {-9.5, -8.5, -7.5, -6.5, -5.5, -4.5, -3.5, -2.5, -1.5, -0.5, 0.5,
                                     1.5,  2.5,  3.5,  4.5,  5.5,  6.5,  7.5,  8.5,  9.5,  -9.99, -3.7,
                                     -1.2, 0.3,  1.0,  2.2,  3.14, 7.77, 9.99};

}  // namespace

TEST_F(Seed001, FunctionMatchesClosedForm) {
  for (double x : kPoints) expect_close(f(x), closed_form(seeds::kAlpha, seeds::kBeta, x).f, 1e-13, "f");
}

TEST_F(Seed001, FirstDerivativeMatchesClosedForm) {
  for (double x : kPoints) expect_close(df(x), closed_form(seeds::kAlpha, seeds::kBeta, x).d1, 1e-12, "f'");
}

TEST_F(Seed001, SecondDerivativeMatchesClosedForm) {
  for (double x : kPoints) expect_close(d2f(x), closed_form(seeds::kAlpha, seeds::kBeta, x).d2, 1e-11, "f''");
}

TEST_F(Seed001, DerivativesMatchCentralDifferences) {
  const double h = 1e-5;
  for (double x : kPoints) {
    expect_close(df(x), (f(x + h) - f(x - h)) / (2 * h), 1e-6, "f' vs central difference");
    expect_close(d2f(x), (df(x + h) - df(x - h)) / (2 * h), 1e-6, "f'' vs central difference of f'");
  }
}

TEST_F(Seed001, FiveExtremaWhereFIsNotFlat) {
  // The seed counts 5 extrema of f outside the tails where f ~ 0.
  auto fa = [&](const fx::Array& x) { return seeds::rational_function(x, alpha, beta); };
  auto dfa = [&](const fx::Array& x) { return fx::grad(seeds::rational_function)(x, alpha, beta); };
  auto d2fa = [&](const fx::Array& x) { return fx::grad(fx::grad(seeds::rational_function))(x, alpha, beta); };
  const std::vector<double> ext = seeds::find_extrema(fa, dfa, d2fa, fx::linspace(-9.95, 9.95, 200), 1e-3);
  ASSERT_EQ(ext.size(), 5u);
  const double documented[5] = {-6.04, -2.54, 1.17, 4.58, 6.99};  // seed_common.hpp's comment
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(ext[i], documented[i], 0.01);
    // The closed-form slope vanishes there: f' from AD was driven to 0 by Newton.
    EXPECT_NEAR(closed_form(seeds::kAlpha, seeds::kBeta, ext[i]).d1, 0.0, 1e-12) << "at " << ext[i];
  }
}

TEST_F(Seed001, CurvesThroughVmapOnTheExamplesGrid) {
  // The example's f, f', f'' over x = linspace(-9.5, 9.5, 20) (and the
  // off-grid points), each one vmap over x with the coefficients unmapped:
  // vmap(f), vmap(grad(f)), vmap(grad(grad(f))), in_axes=(0, None, None).
  const fx::MapAxes over_x = {0, fx::none, fx::none};
  const auto y_g = fx::grad(seeds::rational_function);
  const auto y_gg = fx::grad(y_g);
  for (const fx::Array& x : {fx::linspace(-9.5, 9.5, 20), fx::array(kPoints, {static_cast<int64_t>(kPoints.size())})}) {
    const fx::Array v = fx::vmap(seeds::rational_function, over_x)(x, alpha, beta);
    const fx::Array d1 = fx::vmap(y_g, over_x)(x, alpha, beta);
    const fx::Array d2 = fx::vmap(y_gg, over_x)(x, alpha, beta);
    ASSERT_EQ(v.shape(), x.shape());
    ASSERT_EQ(d1.shape(), x.shape());
    ASSERT_EQ(d2.shape(), x.shape());
    const std::vector<double> xs = x.to_vector<double>(), fv = v.to_vector<double>(), f1 = d1.to_vector<double>(),
                              f2 = d2.to_vector<double>();
    double max_f = 0, max_d1 = 0, max_d2 = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
      const Closed c = closed_form(seeds::kAlpha, seeds::kBeta, xs[i]);
      expect_close(fv[i], c.f, 1e-13, "vmap f at " + std::to_string(xs[i]));
      expect_close(f1[i], c.d1, 1e-12, "vmap f' at " + std::to_string(xs[i]));
      expect_close(f2[i], c.d2, 1e-11, "vmap f'' at " + std::to_string(xs[i]));
      // The batched program computes what a call per point computes.
      expect_close(fv[i], f(xs[i]), 1e-15, "vmap f vs a call");
      expect_close(f1[i], df(xs[i]), 1e-15, "vmap f' vs a call");
      expect_close(f2[i], d2f(xs[i]), 1e-15, "vmap f'' vs a call");
      max_f = std::max(max_f, std::abs(c.f));
      max_d1 = std::max(max_d1, std::abs(c.d1));
      max_d2 = std::max(max_d2, std::abs(c.d2));
    }
    // The example's "max |f|, |f'|, |f''| on the grid" line.
    expect_close(fx::max(fx::abs(v)).item<double>(), max_f, 1e-13, "max |f|");
    expect_close(fx::max(fx::abs(d1)).item<double>(), max_d1, 1e-12, "max |f'|");
    expect_close(fx::max(fx::abs(d2)).item<double>(), max_d2, 1e-11, "max |f''|");
  }
}

TEST_F(Seed001, CoefficientGradientsThroughVmapOverX) {
  // The example's two argnums tables: rows are x = linspace(-2, 2, 5).
  const fx::MapAxes over_x = {0, fx::none, fx::none};
  const fx::Array alpha2 = coefficients(seeds::kAlpha, 3);
  const std::vector<double> a2(seeds::kAlpha.begin(), seeds::kAlpha.begin() + 3);
  const fx::Array x5 = fx::linspace(-2, 2, 5);
  const fx::Array ga = fx::vmap(fx::grad(seeds::rational_function, 1), over_x)(x5, alpha2, beta);
  const fx::Array gb = fx::vmap(fx::grad(seeds::rational_function, 2), over_x)(x5, alpha2, beta);
  ASSERT_EQ(ga.shape(), fx::Shape({5, 3}));
  ASSERT_EQ(gb.shape(), fx::Shape({5, 6}));
  const std::vector<double> va = ga.to_vector<double>(), vb = gb.to_vector<double>();
  for (int r = 0; r < 5; ++r) {
    const double x = -2.0 + r;
    const double p = poly(a2, x).v, q = poly(seeds::kBeta, x).v, D = 1 + q * q;
    for (int i = 0; i < 3; ++i)
      expect_close(va[3 * r + i], std::pow(x, i) / D, 1e-14, "df/dalpha_" + std::to_string(i) + " at " + std::to_string(x));
    for (int j = 0; j < 6; ++j)
      expect_close(vb[6 * r + j], -2 * p * q * std::pow(x, j) / (D * D), 1e-13,
                   "df/dbeta_" + std::to_string(j) + " at " + std::to_string(x));
  }
}

TEST_F(Seed001, GradientWithRespectToNumeratorCoefficients) {
  // argnums=1 with deg(P) = 2: df/dalpha_i = x^i / (1 + Q^2).
  const fx::Array alpha2 = coefficients(seeds::kAlpha, 3);
  for (double x : kPoints) {
    const fx::Array g = fx::grad(seeds::rational_function, 1)(x, alpha2, beta);
    ASSERT_EQ(g.shape(), fx::Shape({3}));
    const double q = poly(seeds::kBeta, x).v;
    for (int i = 0; i < 3; ++i)
      expect_close(g[i].item<double>(), std::pow(x, i) / (1 + q * q), 1e-14, "df/dalpha_" + std::to_string(i));
  }
}

TEST_F(Seed001, GradientWithRespectToDenominatorCoefficients) {
  // argnums=2: df/dbeta_j = -2 P Q x^j / (1 + Q^2)^2.
  const std::vector<double> a2(seeds::kAlpha.begin(), seeds::kAlpha.begin() + 3);
  const fx::Array alpha2 = coefficients(seeds::kAlpha, 3);
  for (double x : kPoints) {
    const fx::Array g = fx::grad(seeds::rational_function, 2)(x, alpha2, beta);
    ASSERT_EQ(g.shape(), fx::Shape({6}));
    const double p = poly(a2, x).v, q = poly(seeds::kBeta, x).v, D = 1 + q * q;
    for (int j = 0; j < 6; ++j)
      expect_close(g[j].item<double>(), -2 * p * q * std::pow(x, j) / (D * D), 1e-13, "df/dbeta_" + std::to_string(j));
  }
}

TEST_F(Seed001, CoefficientsVaryWithXFixed) {
  // The seed's TO DO: x0 = 1, (alpha_1, beta_1) on a 5 x 5 grid; both
  // gradients at once through argnums {1, 2}.
  const double x0 = 1.0;
  const auto both = fx::grad(seeds::rational_function, {1, 2});
  for (double a1 : {-2.0, -1.0, 0.0, 1.0, 2.0}) {
    for (double b1 : {-1.0, -0.5, 0.0, 0.5, 1.0}) {
      std::vector<double> a = seeds::kAlpha, b = seeds::kBeta;
      a[1] = a1;
      b[1] = b1;
      const fx::Array av = coefficients(a, 6), bv = coefficients(b, 6);
      const double p = poly(a, x0).v, q = poly(b, x0).v, D = 1 + q * q;
      expect_close(seeds::rational_function(x0, av, bv).item<double>(), p / D, 1e-14, "f(x0)");
      const auto g = both(x0, av, bv);
      ASSERT_EQ(g.size(), 2u);
      expect_close(g[0][1].item<double>(), x0 / D, 1e-14, "df/dalpha_1");
      expect_close(g[1][1].item<double>(), -2 * p * q * x0 / (D * D), 1e-14, "df/dbeta_1");
    }
  }
}

TEST_F(Seed001, CoefficientGridThroughNestedVmap) {
  // The example's TO DO tables, from seeds::coefficient_grid: vmap over the
  // alpha batch outside, over the beta batch inside, x0 unmapped.
  const double x0 = 1.0;
  const fx::Array a1 = fx::linspace(-2, 2, 5), b1 = fx::linspace(-1, 1, 5);
  const std::vector<fx::Array> grid = seeds::coefficient_grid(x0, alpha, beta, a1, b1);
  ASSERT_EQ(grid.size(), 3u);
  for (const fx::Array& g : grid) ASSERT_EQ(g.shape(), fx::Shape({5, 5}));
  const std::vector<double> v = grid[0].to_vector<double>(), da = grid[1].to_vector<double>(),
                            db = grid[2].to_vector<double>();
  const double a1s[5] = {-2.0, -1.0, 0.0, 1.0, 2.0}, b1s[5] = {-1.0, -0.5, 0.0, 0.5, 1.0};
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 5; ++j) {
      std::vector<double> a = seeds::kAlpha, b = seeds::kBeta;
      a[1] = a1s[i];
      b[1] = b1s[j];
      const double p = poly(a, x0).v, q = poly(b, x0).v, D = 1 + q * q;
      const std::string at = " at alpha_1 = " + std::to_string(a1s[i]) + ", beta_1 = " + std::to_string(b1s[j]);
      expect_close(v[5 * i + j], p / D, 1e-14, "f(x0)" + at);
      expect_close(da[5 * i + j], x0 / D, 1e-14, "df/dalpha_1" + at);
      expect_close(db[5 * i + j], -2 * p * q * x0 / (D * D), 1e-14, "df/dbeta_1" + at);
    }
  }
  // Mapping the other way round (beta outside) gives the transposed tables.
  auto value = [](const fx::Array& x, const fx::Array& a, const fx::Array& b) {
    return seeds::rational_function(x, a, b);
  };
  const fx::Array e1 = fx::array({0., 1., 0., 0., 0., 0.});
  const fx::Array alphas = alpha + fx::reshape(a1 - alpha[1], {5, 1}) * e1;
  const fx::Array betas = beta + fx::reshape(b1 - beta[1], {5, 1}) * e1;
  const fx::Array t = fx::vmap(fx::vmap(value, {fx::none, 0, fx::none}), {fx::none, fx::none, 0})(x0, alphas, betas);
  EXPECT_EQ(t.T().to_vector<double>(), v);
}

TEST_F(Seed001, Float32Path) {
  // The seed ran JAX in float32. (The value's dtype is left unasserted:
  // fx::float_power computes in float64 as NumPy's does, jnp.float_power keeps
  // float32; see the seed programs' report.)
  const fx::Array x32 = fx::array({1.5}, fx::float32)[0];
  const fx::Array a32 = alpha.astype(fx::float32), b32 = beta.astype(fx::float32);
  const fx::Array g = fx::grad(seeds::rational_function)(x32, a32, b32);
  EXPECT_EQ(g.dtype(), fx::float32);  // a gradient has its input's dtype
  std::vector<double> a(6), b(6);
  for (int i = 0; i < 6; ++i) {
    a[i] = static_cast<float>(seeds::kAlpha[i]);
    b[i] = static_cast<float>(seeds::kBeta[i]);
  }
  const Closed c = closed_form(a, b, 1.5);
  expect_close(seeds::rational_function(x32, a32, b32).item<double>(), c.f, 1e-6, "float32 f");
  expect_close(g.item<double>(), c.d1, 1e-6, "float32 f'");
  expect_close(fx::grad(fx::grad(seeds::rational_function))(x32, a32, b32).item<double>(), c.d2, 1e-5, "float32 f''");
}
