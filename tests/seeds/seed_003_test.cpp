// Seed 003 (Taylor approximation): every number the seed prints, in float64
// against closed forms and in float32 against the seed's printed digits.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "seed_common.hpp"

namespace fx = fluxion;

namespace {

fx::Array f32(const fx::Array& x) { return x.astype(fx::float32); }

auto f = [](const fx::Array& x) { return fx::pow(x, 2) + fx::exp(x); };

// k-th derivative of the seed's tanh, tanh(x / 2), as a polynomial in
// u = tanh(x / 2): p_0 = u, p_{k+1} = p_k'(u) (1 - u^2) / 2. Evaluated in long
// double, it is a reference good to ~1e-16 of the values.
double tanh_derivative(int k, double x) {
  std::vector<long double> p = {0.0L, 1.0L};  // coefficients of u^i
  for (int n = 0; n < k; ++n) {
    std::vector<long double> next(p.size() + 2, 0.0L);
    for (size_t i = 1; i < p.size(); ++i) {
      const long double c = 0.5L * static_cast<long double>(i) * p[i];  // d/du of p[i] u^i, times 1/2
      next[i - 1] += c;
      next[i + 1] -= c;
    }
    p = next;
  }
  const long double u = std::tanh(static_cast<long double>(x) / 2);
  long double v = 0;
  for (size_t i = p.size(); i-- > 0;) v = v * u + p[i];
  return static_cast<double>(v);
}

// Differentiating (1 - e^-x) / (1 + e^-x) k times, by any mode, sums terms
// that cancel more with each order (at x ~ -5 most): nested grad and nested
// jacfwd both lose ~1 digit per order. These bounds are ~10x the largest
// error seen on the grid (with values up to ~15 at k = 9).
constexpr double kTanhTolerance[10] = {1e-15, 2e-15, 8e-15, 3e-14, 1.5e-13, 1e-12, 1.5e-11, 7e-11, 1e-9, 1e-8};

}  // namespace

TEST(Seed003, TangentLineAtZero) {
  // f(0) = 1 and m = f'(0) = 1 (the seed's np.cos(0) - np.sin(0) > 1.0); f''(0) = -1.
  EXPECT_EQ(seeds::fun(0.0).item<double>(), 1.0);
  EXPECT_EQ(fx::grad(seeds::fun)(0.0).item<double>(), 1.0);
  EXPECT_EQ(fx::grad(fx::grad(seeds::fun))(0.0).item<double>(), -1.0);
  EXPECT_EQ(seeds::py_float(fx::grad(seeds::fun)(0.0)), "1.0");
}

TEST(Seed003, TaylorCoefficientsOfSinPlusCos) {
  // f^(k)(0) cycles 1, 1, -1, -1; the coefficients are those over k!.
  const std::vector<seeds::ScalarFn> d = seeds::derivatives(seeds::fun, 11);
  const std::vector<double> coef = seeds::taylor_coefficients(seeds::fun, 0.0, 11);
  ASSERT_EQ(coef.size(), 11u);
  double factorial = 1;
  for (int k = 0; k < 11; ++k) {
    if (k > 0) factorial *= k;
    const double cycle = (k % 4 < 2) ? 1.0 : -1.0;
    EXPECT_EQ(d[k](0.0).item<double>(), cycle) << "k = " << k;
    EXPECT_EQ(coef[k], cycle / factorial) << "k = " << k;
  }
  // T_2(x) = 1 + x - x^2/2, as the seed derives by hand.
  const std::vector<double> t2 = seeds::taylor_coefficients(seeds::fun, 0.0, 3);
  EXPECT_EQ(t2, (std::vector<double>{1.0, 1.0, -0.5}));
}

TEST(Seed003, TaylorApproxThroughJetEqualsNestedGrad) {
  // taylor_approx(fun, approx_around=0.0, num_coef=11), as the tour computes
  // it (fx::taylor, one jet call), against the seed's ten nested grads.
  const std::vector<fx::Array> jet = fx::taylor::coefficients(seeds::fun, 0.0, 10);
  const std::vector<double> nested = seeds::taylor_coefficients(seeds::fun, 0.0, 11);
  ASSERT_EQ(jet.size(), nested.size());
  for (size_t k = 0; k < jet.size(); ++k) {
    EXPECT_EQ(jet[k].dtype(), fx::float64);
    EXPECT_NEAR(jet[k].item<double>(), nested[k], 1e-14 * std::abs(nested[k])) << "k = " << k;
  }
  // The polynomials the tour tabulates (T₁, T₂, T₅, T₁₀ from one jet call,
  // by Horner) against the seed's sum of c_k x^k.
  const fx::taylor::Polynomial t10 = fx::taylor::polynomial(seeds::fun, 0.0, 10);
  const fx::Array grid = fx::linspace(-4, 4, 9);
  for (int n : {1, 2, 5, 10}) {
    const std::vector<double> horner = t10.truncated(n)(grid).to_vector<double>();
    const std::vector<double> sum =
        seeds::taylor_polynomial({nested.begin(), nested.begin() + n + 1}, 0.0, grid).to_vector<double>();
    for (size_t i = 0; i < sum.size(); ++i)
      EXPECT_NEAR(horner[i], sum[i], 1e-14 * std::max(1.0, std::abs(sum[i]))) << "n = " << n << ", i = " << i;
  }
}

TEST(Seed003, TaylorPolynomialsOnTheGrid) {
  const fx::Array grid = fx::linspace(-4, 4, 9);
  for (int n : {2, 3, 6, 11}) {
    const std::vector<double> coef = seeds::taylor_coefficients(seeds::fun, 0.0, n);
    const std::vector<double> t = seeds::taylor_polynomial(coef, 0.0, grid).to_vector<double>();
    for (int i = 0; i < 9; ++i) {
      const double x = -4.0 + i;
      double expect = 0, term = 1;  // sum over k of cycle(k) x^k / k!
      for (int k = 0; k < n; ++k) {
        if (k > 0) term *= x / k;
        expect += ((k % 4 < 2) ? 1.0 : -1.0) * term;
      }
      EXPECT_NEAR(t[i], expect, 1e-13 * std::max(1.0, std::abs(expect))) << "n = " << n << ", x = " << x;
      // Lagrange's remainder: |f - T_n| <= sqrt(2) |x|^n / n!, since |f^(n)| <= sqrt(2).
      const double bound = std::sqrt(2.0) * std::abs(term * x / n);
      EXPECT_LE(std::abs(t[i] - (std::sin(x) + std::cos(x))), bound * (1 + 1e-12) + 1e-15) << "n = " << n << ", x = " << x;
    }
  }
}

TEST(Seed003, TanhValues) {
  const fx::Array x = fx::array({1.0, 2.0, 3.0});
  const std::vector<double> y = seeds::seed_tanh(x).to_vector<double>();
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(y[i], std::tanh((i + 1) / 2.0), 2e-16);
  // The seed's float32 print.
  EXPECT_EQ(fx::repr(seeds::seed_tanh(f32(x))), "Array([0.46211717, 0.7615941 , 0.90514827], dtype=float32)");
}

TEST(Seed003, GradTanhAtOneTwoThree) {
  const auto grad_tanh = fx::grad(seeds::seed_tanh);
  const fx::Array x = fx::array({1.0, 2.0, 3.0});
  const std::vector<double> d = fx::vmap(grad_tanh)(x).to_vector<double>();
  for (int i = 0; i < 3; ++i) {
    const double u = std::tanh((i + 1) / 2.0);
    EXPECT_NEAR(d[i], 0.5 * (1 - u * u), 2e-16);
  }
  // The seed's float32 prints: grad(tanh)(1.0) and vmap(grad(tanh)).
  EXPECT_EQ(fx::repr(grad_tanh(f32(1.0))), "Array(0.39322388, dtype=float32)");
  EXPECT_EQ(fx::repr(fx::vmap(grad_tanh)(f32(x))), "Array([0.39322388, 0.20998716, 0.09035333], dtype=float32)");
  const float printed[3] = {0.39322388f, 0.20998716f, 0.09035333f};
  const std::vector<float> d32 = fx::vmap(grad_tanh)(f32(x)).to_vector<float>();
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(d32[i], printed[i], 1e-8f);
}

TEST(Seed003, GradOfTanhRejectsIntegerAndVectorInputs) {
  const auto grad_tanh = fx::grad(seeds::seed_tanh);
  EXPECT_THROW(grad_tanh(fx::arange(10)), fx::TypeError);                  // integer input
  EXPECT_THROW(grad_tanh(fx::array({1.0, 2.0, 3.0})), fx::TypeError);      // non-scalar output
}

TEST(Seed003, TanhAndTenDerivativesThroughVmapOnTheWholeGrid) {
  // The seed's vmap(grad(...grad(tanh))) (k <= 6) and its ten-fold
  // NABLA = grad(NABLA) loop plotting vmap(NABLA)(x) (k <= 9), on all 200
  // points; and the example's printouts: every 25th point and max |.|.
  const std::vector<seeds::ScalarFn> nabla = seeds::derivatives(seeds::seed_tanh, 10);
  const fx::Array x = fx::linspace(-7, 7, 200);
  const std::vector<double> xs = x.to_vector<double>();
  for (int k = 0; k < 10; ++k) {
    const fx::Array curve = fx::vmap(nabla[k])(x);
    ASSERT_EQ(curve.shape(), fx::Shape({200})) << "k = " << k;
    EXPECT_EQ(curve.dtype(), fx::float64) << "k = " << k;
    const std::vector<double> d = curve.to_vector<double>();
    double max_abs = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
      const double want = tanh_derivative(k, xs[i]);
      EXPECT_NEAR(d[i], want, kTanhTolerance[k]) << "k = " << k << ", x = " << xs[i];
      max_abs = std::max(max_abs, std::abs(want));
    }
    EXPECT_NEAR(fx::max(fx::abs(curve)).item<double>(), max_abs, kTanhTolerance[k]) << "k = " << k;
    const std::vector<double> every25 = seeds::every_nth(curve, 25).to_vector<double>();
    ASSERT_EQ(every25.size(), 8u);
    for (size_t j = 0; j < every25.size(); ++j) EXPECT_EQ(every25[j], d[25 * j]);
  }
}

namespace {

// vmap batches the program nested grad builds; each element is what a call at
// that point computes (to rounding: batched and 0-d kernels may differ in the
// last ulp, and nested grad amplifies that by ~2 per order).
void expect_matches_call(double batched, double one, int k, double x) {
  EXPECT_NEAR(batched, one, 1e-15 * std::max(1.0, std::abs(one)) * (1 << k)) << "k = " << k << ", x = " << x;
}

}  // namespace

TEST(Seed003, VmapOfNestedGradMatchesPointByPoint) {
  const std::vector<seeds::ScalarFn> nabla = seeds::derivatives(seeds::seed_tanh, 7);
  const fx::Array x = fx::linspace(-7, 7, 200);
  const std::vector<double> xs = x.to_vector<double>();
  for (int k = 0; k <= 6; ++k) {
    const std::vector<double> batched = fx::vmap(nabla[k])(x).to_vector<double>();
    for (size_t i = 0; i < xs.size(); i += 5) expect_matches_call(batched[i], nabla[k](xs[i]).item<double>(), k, xs[i]);
  }
}

TEST(Seed003, TanhDerivativesUpToNinthOnASubgrid) {
  // The ten-fold NABLA = grad(NABLA) loop called point by point; every 10th grid point (nested grad is costly).
  // Each call is also compared with the vmapped curve at that point.
  const std::vector<seeds::ScalarFn> nabla = seeds::derivatives(seeds::seed_tanh, 10);
  const fx::Array x = fx::linspace(-7, 7, 200);
  const std::vector<double> xs = x.to_vector<double>();
  for (int k = 7; k < 10; ++k) {
    const std::vector<double> batched = fx::vmap(nabla[k])(x).to_vector<double>();
    for (size_t i = 0; i < xs.size(); i += 10) {
      const double one = nabla[k](xs[i]).item<double>();
      EXPECT_NEAR(one, tanh_derivative(k, xs[i]), kTanhTolerance[k]) << "k = " << k << ", x = " << xs[i];
      expect_matches_call(batched[i], one, k, xs[i]);
    }
  }
}

TEST(Seed003, JaxprOfSquarePlusExp) {
  EXPECT_EQ(fx::make_jaxpr(f)(3.0).str(),
            "{ lambda ; a:f64[]. let\n"
            "    b:f64[] = integer_pow[y=2] a\n"
            "    c:f64[] = exp a\n"
            "    d:f64[] = add b c\n"
            "  in (d,) }");
  // The seed's own print (JAX without x64 traces 3.0 as float32).
  EXPECT_EQ(fx::make_jaxpr(f)(f32(3.0)).str(),
            "{ lambda ; a:f32[]. let\n"
            "    b:f32[] = integer_pow[y=2] a\n"
            "    c:f32[] = exp a\n"
            "    d:f32[] = add b c\n"
            "  in (d,) }");
}

// The gradient's program is the one the seed lists, equation for equation:
// the forward pass (x**2, its derivative's residual 2x, exp), f's value,
// which nothing reads (`_`), then the backward pass.
TEST(Seed003, JaxprOfTheGradientIsTheSeedsProgram) {
  const fx::ClosedJaxpr j = fx::make_jaxpr(fx::grad(f))(3.0);
  EXPECT_EQ(j.str(),
            "{ lambda ; a:f64[]. let\n"
            "    b:f64[] = integer_pow[y=2] a\n"
            "    c:f64[] = integer_pow[y=1] a\n"
            "    d:f64[] = mul 2.0:f64[] c\n"
            "    e:f64[] = exp a\n"
            "    _:f64[] = add b e\n"
            "    f:f64[] = mul 1.0:f64[] e\n"
            "    g:f64[] = mul 1.0:f64[] d\n"
            "    h:f64[] = add_any f g\n"
            "  in (h,) }");
  for (double x : {-1.5, 0.0, 3.0, 4.25}) {
    const fx::Array arg = x;
    const std::vector<fx::Array> out = fx::eval_jaxpr(j.jaxpr, j.consts, {&arg, 1});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].item<double>(), fx::grad(f)(x).item<double>());
    EXPECT_NEAR(out[0].item<double>(), 2 * x + std::exp(x), 4e-16 * (2 * std::abs(x) + std::exp(x)));
  }
}

TEST(Seed003, DescribeJaxprPrintsTheSeedsLines) {
  std::ostringstream os;
  seeds::describe_jaxpr(f, "def f(x):\n  return x**2 + jnp.exp(x)", os);
  EXPECT_EQ(os.str(),
            "Source function definition:\n"
            "def f(x):\n  return x**2 + jnp.exp(x)\n"
            "\nThe function has the following inputs, represented as [a]\n"
            "the function has the following constants, represented as []\n"
            "\nThese are the intermediate variables described by the equations computed along the DAG: \n"
            "   0. Obtain [b] applying the primitive integer_pow with params {'y': 2} on input/s [a]\n"
            "   1. Obtain [c] applying the primitive exp with params {} on input/s [a]\n"
            "   2. Obtain [d] applying the primitive add with params {} on input/s [b, c]\n"
            "\n The output is: [d]\n");
  // The gradient's description is the seed's, line for line.
  std::ostringstream og;
  seeds::describe_jaxpr(fx::grad(f), "def f(x):\n  return x**2 + jnp.exp(x)", og);
  EXPECT_EQ(og.str(),
            "Source function definition:\n"
            "def f(x):\n  return x**2 + jnp.exp(x)\n"
            "\nThe function has the following inputs, represented as [a]\n"
            "the function has the following constants, represented as []\n"
            "\nThese are the intermediate variables described by the equations computed along the DAG: \n"
            "   0. Obtain [b] applying the primitive integer_pow with params {'y': 2} on input/s [a]\n"
            "   1. Obtain [c] applying the primitive integer_pow with params {'y': 1} on input/s [a]\n"
            "   2. Obtain [d] applying the primitive mul with params {} on input/s [2.0, c]\n"
            "   3. Obtain [e] applying the primitive exp with params {} on input/s [a]\n"
            "   4. Obtain [_] applying the primitive add with params {} on input/s [b, e]\n"
            "   5. Obtain [f] applying the primitive mul with params {} on input/s [1.0, e]\n"
            "   6. Obtain [g] applying the primitive mul with params {} on input/s [1.0, d]\n"
            "   7. Obtain [h] applying the primitive add_any with params {} on input/s [f, g]\n"
            "\n The output is: [h]\n");
}

TEST(Seed003, EinsumOuterProducts) {
  const fx::Array delta = fx::arange(4);
  const fx::Array d2 = fx::einsum("i,j", delta, delta);
  EXPECT_EQ(d2.dtype(), fx::int32);
  EXPECT_EQ(fx::repr(d2),
            "Array([[0, 0, 0, 0],\n"
            "       [0, 1, 2, 3],\n"
            "       [0, 2, 4, 6],\n"
            "       [0, 3, 6, 9]], dtype=int32)");
  const fx::Array d3 = fx::einsum("i,j,k", delta, delta, delta);
  ASSERT_EQ(d3.shape(), fx::Shape({4, 4, 4}));
  const std::vector<int32_t> v = d3.to_vector<int32_t>();
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 4; ++k) EXPECT_EQ(v[16 * i + 4 * j + k], i * j * k);
  EXPECT_EQ(v.back(), 27);  // delta[3]^3 (the seed's text says 64, its printout shows 27)
}

TEST(Seed003, Example515GradientJacobiansHessian) {
  EXPECT_EQ(fx::to_string(seeds::g(1, 2)), "13");  // the seed's hand-coded prints, Python ints
  for (fx::DType t : {fx::float64, fx::float32}) {
    SCOPED_TRACE(fx::dtype_name(t));
    const fx::Array one = fx::Array(1.0).astype(t), two = fx::Array(2.0).astype(t);
    const std::string dt = t == fx::float64 ? "float64" : "float32";
    EXPECT_EQ(fx::repr(fx::stack(fx::grad(seeds::g, {0, 1})(one, two))), "Array([ 6., 14.], dtype=" + dt + ")");
    EXPECT_EQ(fx::repr(fx::stack(fx::jacfwd(seeds::g, {0, 1})(one, two))), "Array([ 6., 14.], dtype=" + dt + ")");
    EXPECT_EQ(fx::repr(fx::stack(fx::jacrev(seeds::g, {0, 1})(one, two))), "Array([ 6., 14.], dtype=" + dt + ")");
    auto h3 = [](const fx::Array& x, const fx::Array& y, const fx::Array& z) {
      return fx::pow(x, 2) + 3 * y + fx::pow(z, 2);
    };
    EXPECT_EQ(fx::repr(fx::stack(fx::jacfwd(h3, {0, 1, 2})(one, two, two))), "Array([2., 3., 4.], dtype=" + dt + ")");
    const fx::Array H = seeds::asarray(fx::jacfwd(fx::jacfwd(seeds::g, {0, 1}), {0, 1})(one, two));
    EXPECT_EQ(H.dtype(), t);
    EXPECT_EQ(H.to_vector<double>(), (std::vector<double>{2, 2, 2, 12}));
    EXPECT_EQ(seeds::asarray(fx::hessian(seeds::g, {0, 1})(one, two)).to_vector<double>(),
              (std::vector<double>{2, 2, 2, 12}));
    const fx::Array delta = fx::array({1., 1.}, t) - fx::array({1.0, 2.0}, t);
    const fx::Array trace = fx::einsum("ii", 0.5 * fx::matmul(H, fx::einsum("i,j", delta, delta)));
    EXPECT_EQ(fx::repr(trace), "Array(6., dtype=" + dt + ")");
    EXPECT_EQ(fx::repr(0.5 * fx::einsum("ij,i,j", H, delta, delta)), "Array(6., dtype=" + dt + ")");
    const fx::Array q = seeds::quadratic_taylor_approx(seeds::g, fx::array({{1.0, 1.0}, {1.0, 2.0}, {3.0, 4.0}}, t),
                                                       fx::array({1.0, 2.0}, t));
    EXPECT_EQ(fx::repr(q), "Array([ 5., 13., 89.], dtype=" + dt + ")");
    EXPECT_EQ(q.to_vector<double>(), (std::vector<double>{5, 13, 89}));
  }
}

TEST(Seed003, QuadraticApproximationClosedFormPrints) {
  // The seed's seven print(g_quadratic_approx(...)) lines, Python floats (21 is a Python int).
  EXPECT_EQ(seeds::py_float(seeds::g_quadratic_approx(1.0, 2.0)), "13.0");
  EXPECT_EQ(seeds::py_float(seeds::g_quadratic_approx(2.0, 3.0)), "42.0");
  EXPECT_EQ(seeds::py_float(seeds::g_quadratic_approx(4.2, 3.7)), "94.46000000000001");
  EXPECT_EQ(seeds::py_float(seeds::g_quadratic_approx(2.8, 1.3)), "17.659999999999997");
  EXPECT_EQ(seeds::py_float(seeds::g_quadratic_approx(10.2, 21)), "2934.44");
  EXPECT_EQ(seeds::py_float(seeds::g_quadratic_approx(-5.1, 2.3)), "14.689999999999998");
  EXPECT_EQ(seeds::py_float(seeds::g_quadratic_approx(-3.4, -2.5)), "104.06");
}

TEST(Seed003, QuadraticTaylorApproxMatchesClosedForm) {
  const std::vector<double> rows = {1.0, 2.0, 2.0, 3.0, 4.2, 3.7, 2.8, 1.3, 10.2, 21, -5.1, 2.3, -3.4, -2.5};
  const std::vector<double> q =
      seeds::quadratic_taylor_approx(seeds::g, fx::array(rows, {7, 2}), fx::array({1.0, 2.0})).to_vector<double>();
  for (int i = 0; i < 7; ++i) {
    const double closed = seeds::g_quadratic_approx(rows[2 * i], rows[2 * i + 1]).item<double>();
    EXPECT_NEAR(q[i], closed, 1e-13 * std::abs(closed)) << "row " << i;
  }
  // The seed's float32 printout, digit for digit.
  EXPECT_EQ(fx::repr(seeds::quadratic_taylor_approx(seeds::g, fx::array(rows, {7, 2}, fx::float32),
                                                    fx::array({1.0, 2.0}, fx::float32))),
            "Array([  13.      ,   42.      ,   94.46    ,   17.659998, 2934.44    ,\n"
            "         14.690002,  104.05999 ], dtype=float32)");
}

TEST(Seed003, ToolkitApproximationIsQuadraticTaylorApprox) {
  // The tour's fx::taylor::approximation(g, (1, 2), 3): truncated to order 2
  // it is the seed's quadratic_taylor_approx at the seed's points; T₁ is the
  // plane 6x + 14y − 21; and T₃ is the cubic g itself.
  const std::vector<double> rows = {1.0, 2.0, 2.0, 3.0, 4.2, 3.7, 2.8, 1.3, 10.2, 21, -5.1, 2.3, -3.4, -2.5};
  const fx::Array points = fx::array(rows, {7, 2}), x0 = fx::array({1.0, 2.0});
  const fx::taylor::Multivariate T3 = fx::taylor::approximation(seeds::g, x0, 3);
  const std::vector<double> seed = seeds::quadratic_taylor_approx(seeds::g, points, x0).to_vector<double>();
  const std::vector<double> t2 = T3.truncated(2)(points).to_vector<double>();
  const std::vector<double> t1 = T3.truncated(1)(points).to_vector<double>();
  const std::vector<double> t3 = T3(points).to_vector<double>();
  for (int i = 0; i < 7; ++i) {
    const double x = rows[2 * i], y = rows[2 * i + 1];
    EXPECT_NEAR(t2[i], seed[i], 1e-13 * std::abs(seed[i])) << "row " << i;
    EXPECT_NEAR(t1[i], 6 * x + 14 * y - 21, 1e-13 * (6 * std::abs(x) + 14 * std::abs(y) + 21)) << "row " << i;
    const double g = seeds::g(x, y).item<double>();
    EXPECT_NEAR(t3[i], g, 1e-13 * std::max(1.0, std::abs(g))) << "row " << i;
  }
}
