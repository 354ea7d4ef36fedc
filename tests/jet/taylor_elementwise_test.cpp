// The Taylor rules of the elementwise math primitives at high order: closed
// forms to order 10 (tanh's polynomials in tanh, exp/sin/cos along a line,
// log, sqrt, 1/x, powers, erf's Hermite polynomials), general paths against
// nested jvp, float32, a 0-d operand beside a shaped one, operands that do
// not move, ties split as the JVP splits them, and the same numbers under
// vmap and jit.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "autodiff_util.hpp"
#include "nested_derivatives.hpp"
#include "fluxion/fluxion.hpp"
#include "primitives/primitives.hpp"
#include "primitives/special/family.hpp"

namespace {

namespace fx = fluxion;
namespace prim = fluxion::prim;
using Arrays = std::vector<fx::Array>;
using MultiFn = std::function<fx::Array(const Arrays&)>;
using autodiff_test::uniform;

using jet_test::factorial;

// The oracle (nested_derivatives.hpp): one jvp nested per order.
Arrays nested_terms(const MultiFn& f, const Arrays& x0, const std::vector<Arrays>& series) {
  return jet_test::nested_derivatives(f, x0, series, series[0].size());
}

fx::Array un(const fx::Primitive& p, const fx::Array& x) { return fx::bind1(p, {x}); }
fx::Array bin(const fx::Primitive& p, const fx::Array& x, const fx::Array& y) { return fx::bind1(p, {x, y}); }

// The K terms of f along x_i(t) = x0_i + Σ_k series_i[k] t^(k+1) / (k+1)!.
Arrays jet_terms(const MultiFn& f, const Arrays& x0, const std::vector<Arrays>& series) {
  auto [outs, terms] = fx::detail::jet_core([&](const Arrays& a) { return Arrays{f(a)}; }, x0, series);
  return terms[0];
}

// |got - want| <= tol * max(1, |want|) elementwise, shapes equal.
::testing::AssertionResult close(const fx::Array& got, const std::vector<double>& want, double tol,
                                 const std::string& what) {
  const std::vector<double> g = got.astype(fx::float64).to_vector<double>();
  if (g.size() != want.size())
    return ::testing::AssertionFailure() << what << ": " << g.size() << " elements, want " << want.size();
  for (size_t i = 0; i < g.size(); ++i)
    if (!(std::abs(g[i] - want[i]) <= tol * std::max(1.0, std::abs(want[i]))))
      return ::testing::AssertionFailure() << what << ", element " << i << ": jet gives " << g[i] << ", want "
                                           << want[i];
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult same_terms(const Arrays& got, const Arrays& want, double tol) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << got.size() << " terms, want " << want.size();
  for (size_t k = 0; k < got.size(); ++k) {
    if (got[k].shape() != want[k].shape())
      return ::testing::AssertionFailure() << "term " << k + 1 << ": shape " << fx::to_string(got[k].aval())
                                           << ", want " << fx::to_string(want[k].aval());
    if (auto r = close(got[k], want[k].astype(fx::float64).to_vector<double>(), tol, "term " + std::to_string(k + 1));
        !r)
      return r;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult matches_nested(const MultiFn& f, const Arrays& x0, const std::vector<Arrays>& series,
                                          double tol = 1e-10) try {
  return same_terms(jet_terms(f, x0, series), nested_terms(f, x0, series), tol);
} catch (const std::exception& e) {
  return ::testing::AssertionFailure() << e.what();
}

// Random terms of x's shape and dtype: a curved path, not just a line.
Arrays random_path(uint64_t seed, const fx::Array& x, size_t order) {
  Arrays s;
  for (size_t k = 0; k < order; ++k) s.push_back(uniform(seed + k, x.shape(), -1.0, 1.0, x.dtype()));
  return s;
}

// x0 + t: the terms (1, 0, ..., 0), so jet gives f's own derivatives.
Arrays line(const fx::Array& x, size_t order, double slope = 1.0) {
  Arrays s{fx::full(x.shape(), slope, x.dtype())};
  for (size_t k = 1; k < order; ++k) s.push_back(fx::zeros(x.shape(), x.dtype()));
  return s;
}

// Term k (1-based) of f along x0 + a t, for each x0, from a closed form of f^(k).
std::vector<double> along_line(const std::vector<double>& x0, double a, size_t k,
                               const std::function<double(double, size_t)>& derivative) {
  std::vector<double> out;
  for (double x : x0) out.push_back(std::pow(a, static_cast<double>(k)) * derivative(x, k));
  return out;
}

TEST(TaylorElementwise, TanhToOrderTenMatchesItsPolynomialsInTanh) {
  // d/dx P(tanh x) = P'(tanh x) (1 - tanh² x): P_0(y) = y, P_(m+1) = (1 - y²) P_m'.
  constexpr size_t kOrder = 10;
  // Evaluated in long double: near |tanh| = 1 the polynomials' large
  // alternating coefficients cancel, and in double the reference itself
  // would be off by ~1e-12 at x = 2.5 (the recurrence is not).
  std::vector<std::vector<long double>> poly{{0.0L, 1.0L}};
  for (size_t m = 0; m < kOrder; ++m) {
    const std::vector<long double>& p = poly.back();
    std::vector<long double> next(p.size() + 1, 0.0L);
    for (size_t i = 1; i < p.size(); ++i) {
      next[i - 1] += static_cast<long double>(i) * p[i];
      next[i + 1] -= static_cast<long double>(i) * p[i];
    }
    poly.push_back(next);
  }
  const std::vector<double> x0{0.3, -1.2, 0.0, 2.5};
  const fx::Array x = fx::array(x0, {static_cast<int64_t>(x0.size())});
  const Arrays terms = jet_terms([](const Arrays& a) { return un(prim::tanh_p, a[0]); }, {x}, {line(x, kOrder)});
  for (size_t k = 1; k <= kOrder; ++k) {
    std::vector<double> want;
    for (double v : x0) {
      const long double y = std::tanh(static_cast<long double>(v));
      long double acc = 0.0L;
      for (size_t i = poly[k].size(); i-- > 0;) acc = acc * y + poly[k][i];
      want.push_back(static_cast<double>(acc));
    }
    EXPECT_TRUE(close(terms[k - 1], want, 1e-13, "tanh term " + std::to_string(k)));
  }
}

TEST(TaylorElementwise, ExpSinCosSinhCoshAlongALineToOrderTen) {
  constexpr size_t kOrder = 10;
  const std::vector<double> x0{0.7, -1.1, 0.0};
  const double a = 1.3;
  const fx::Array x = fx::array(x0, {static_cast<int64_t>(x0.size())});
  struct Case {
    const fx::Primitive* p;
    std::function<double(double, size_t)> derivative;
  };
  const double half_pi = std::numbers::pi / 2;
  const std::vector<Case> cases{
      {&prim::exp_p, [](double v, size_t) { return std::exp(v); }},
      {&prim::expm1_p, [](double v, size_t) { return std::exp(v); }},
      {&prim::sin_p, [&](double v, size_t k) { return std::sin(v + static_cast<double>(k) * half_pi); }},
      {&prim::cos_p, [&](double v, size_t k) { return std::cos(v + static_cast<double>(k) * half_pi); }},
      {&prim::sinh_p, [](double v, size_t k) { return k % 2 ? std::cosh(v) : std::sinh(v); }},
      {&prim::cosh_p, [](double v, size_t k) { return k % 2 ? std::sinh(v) : std::cosh(v); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.p->name));
    const Arrays terms = jet_terms([&](const Arrays& v) { return un(*c.p, v[0]); }, {x}, {line(x, kOrder, a)});
    for (size_t k = 1; k <= kOrder; ++k)
      EXPECT_TRUE(close(terms[k - 1], along_line(x0, a, k, c.derivative), 1e-12, "term " + std::to_string(k)));
  }
}

TEST(TaylorElementwise, LogSqrtReciprocalAndPowersAlongALineToOrderTen) {
  constexpr size_t kOrder = 10;
  const std::vector<double> x0{0.8, 1.7, 3.0};
  const double a = 0.6;
  const fx::Array x = fx::array(x0, {static_cast<int64_t>(x0.size())});
  // Π_(i<k) (r - i) x^(r-k): the k-th derivative of x^r.
  const auto power_rule = [](double r) {
    return [r](double v, size_t k) {
      double falling = 1.0;
      for (size_t i = 0; i < k; ++i) falling *= r - static_cast<double>(i);
      return falling * std::pow(v, r - static_cast<double>(k));
    };
  };
  const auto log_rule = [](double shift) {
    return [shift](double v, size_t k) {
      return (k % 2 ? 1.0 : -1.0) * factorial(k - 1) / std::pow(v + shift, static_cast<double>(k));
    };
  };
  struct Case {
    std::string name;
    MultiFn f;
    std::function<double(double, size_t)> derivative;
  };
  const fx::Array two_and_a_half(2.5), two(2.0);
  const std::vector<Case> cases{
      {"log", [](const Arrays& v) { return un(prim::log_p, v[0]); }, log_rule(0.0)},
      {"log1p", [](const Arrays& v) { return un(prim::log1p_p, v[0]); }, log_rule(1.0)},
      {"sqrt", [](const Arrays& v) { return un(prim::sqrt_p, v[0]); }, power_rule(0.5)},
      {"2 / x", [&](const Arrays& v) { return bin(prim::div_p, fx::full_like(v[0], 2.0), v[0]); },
       [&](double v, size_t k) { return 2.0 * power_rule(-1.0)(v, k); }},
      {"pow(x, 2.5)", [&](const Arrays& v) { return bin(prim::pow_p, v[0], two_and_a_half); }, power_rule(2.5)},
      {"pow(x, -0.75) of a 0-d exponent array", [](const Arrays& v) { return bin(prim::pow_p, v[0], fx::Array(-0.75)); },
       power_rule(-0.75)},
      {"x^-3", [](const Arrays& v) { return fx::pow(v[0], -3); }, power_rule(-3.0)},
      {"x^7", [](const Arrays& v) { return fx::pow(v[0], 7); }, power_rule(7.0)},
      {"pow(2, x)", [&](const Arrays& v) { return bin(prim::pow_p, fx::full_like(v[0], 2.0), v[0]); },
       [](double v, size_t k) { return std::pow(2.0, v) * std::pow(std::log(2.0), static_cast<double>(k)); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Arrays terms = jet_terms(c.f, {x}, {line(x, kOrder, a)});
    for (size_t k = 1; k <= kOrder; ++k)
      EXPECT_TRUE(close(terms[k - 1], along_line(x0, a, k, c.derivative), 1e-11, "term " + std::to_string(k)));
  }
}

TEST(TaylorElementwise, PowWithBothOperandsMovingIsExpOfYLogX) {
  // Against nested jvp of exp(y log x), not of pow: pow's JVP zeroes its
  // x-derivative where the exponent is 0, so its nested JVPs lose the
  // exponent's own derivative there (x^x at 3: the fifth derivative is off
  // by 2 * 0.6^5); the composition has no such mask.
  const fx::Array x = fx::array({0.8, 1.7, 3.0});
  const Arrays h = line(x, 6, 0.6);
  const Arrays terms = jet_terms([](const Arrays& v) { return bin(prim::pow_p, v[0], v[0]); }, {x}, {h});
  const MultiFn reference = [](const Arrays& v) { return un(prim::exp_p, v[0] * un(prim::log_p, v[0])); };
  EXPECT_TRUE(same_terms(terms, nested_terms(reference, {x}, {h}), 1e-11));
  const fx::Array y = uniform(11, {3}, -2.0, 2.0);
  const std::vector<Arrays> paths{random_path(12, x, 5), random_path(13, y, 5)};
  EXPECT_TRUE(same_terms(jet_terms([](const Arrays& v) { return bin(prim::pow_p, v[0], v[1]); }, {x, y}, paths),
                         nested_terms([](const Arrays& v) { return un(prim::exp_p, v[1] * un(prim::log_p, v[0])); },
                                      {x, y}, paths),
                         1e-10));
}

TEST(TaylorElementwise, IntegerPowIsExactAtZero) {
  // JAX's rule divides by x and masks x == 0 to zero, losing x³'s 6 at order 3.
  constexpr size_t kOrder = 10;
  const fx::Array zero(0.0);
  for (int n : {0, 1, 2, 3, 5, 10}) {
    SCOPED_TRACE("x^" + std::to_string(n));
    const Arrays terms = jet_terms([n](const Arrays& v) { return fx::pow(v[0], n); }, {zero}, {line(zero, kOrder)});
    for (size_t k = 1; k <= kOrder; ++k)
      EXPECT_TRUE(close(terms[k - 1], {static_cast<int>(k) == n ? factorial(k) : 0.0}, 0.0, "term " + std::to_string(k)));
  }
  // A curved path through 0, and a float exponent that is an integer.
  const fx::Array x = fx::array({0.0, 0.0, 1.5});
  EXPECT_TRUE(matches_nested([](const Arrays& v) { return fx::pow(v[0], 3); }, {x}, {random_path(10, x, 6)}));
  EXPECT_TRUE(matches_nested([](const Arrays& v) { return bin(prim::pow_p, v[0], fx::Array(2.0)); }, {x},
                             {random_path(20, x, 5)}));
  // Negative x with an integer float exponent: finite, as the JVP's.
  const fx::Array neg = fx::array({-0.7, -1.9});
  EXPECT_TRUE(matches_nested([](const Arrays& v) { return bin(prim::pow_p, v[0], fx::Array(3.0)); }, {neg},
                             {random_path(30, neg, 5)}));
}

TEST(TaylorElementwise, SquaresAndIntegerExponentsTakeTheShortPath) {
  // x * x (one value twice: the square's symmetric products), pow with a
  // concrete integer exponent (x^n's series), and pow with exponents that
  // differ per element (Faà di Bruno), through 0 and negative x.
  constexpr size_t kOrder = 6;
  const fx::Array x = fx::array({0.0, -1.3, 0.8});
  const Arrays h = random_path(240, x, kOrder);
  EXPECT_TRUE(matches_nested([](const Arrays& v) { return v[0] * v[0]; }, {x}, {h}));
  EXPECT_TRUE(matches_nested([](const Arrays& v) { return bin(prim::pow_p, v[0], fx::Array(3.0)); }, {x}, {h}));
  EXPECT_TRUE(matches_nested([](const Arrays& v) { return bin(prim::pow_p, v[0], fx::Array(-2.0)); },
                             {x + 2.0}, {h}));
  EXPECT_TRUE(matches_nested([](const Arrays& v) { return bin(prim::pow_p, v[0], fx::array({1.0, 2.0, 4.0})); }, {x},
                             {h}));
  // A 0-d base under a shaped integer exponent: the terms take the result's shape.
  const fx::Array s(0.7);
  for (double n : {2.0, -2.0}) {
    const MultiFn f = [n](const Arrays& v) { return bin(prim::pow_p, v[0], fx::full({3}, n)); };
    EXPECT_TRUE(matches_nested(f, {s}, {random_path(250, s, kOrder)}));
  }
  // pow(x, 0.0) does not move; the JVP's mask gives zero terms too.
  const Arrays flat = jet_terms([](const Arrays& v) { return bin(prim::pow_p, v[0], fx::Array(0.0)); }, {x}, {h});
  for (const fx::Array& t : flat) EXPECT_TRUE(close(t, {0.0, 0.0, 0.0}, 0.0, "pow(x, 0)"));
}

TEST(TaylorElementwise, ErfToOrderTenMatchesHermitePolynomials) {
  // erf^(k)(x) = 2/sqrt(pi) (-1)^(k-1) H_(k-1)(x) e^(-x²), H the physicists' Hermite polynomials.
  constexpr size_t kOrder = 10;
  const std::vector<double> x0{-0.7, 0.2, 1.3};
  const fx::Array x = fx::array(x0, {static_cast<int64_t>(x0.size())});
  const auto hermite = [](size_t n, double v) {
    double prev = 1.0, h = 2.0 * v;
    if (n == 0) return prev;
    for (size_t i = 1; i < n; ++i) {
      const double next = 2.0 * v * h - 2.0 * static_cast<double>(i) * prev;
      prev = h;
      h = next;
    }
    return h;
  };
  const auto erf_derivative = [&](double v, size_t k) {
    return 2.0 / std::sqrt(std::numbers::pi) * ((k - 1) % 2 ? -1.0 : 1.0) * hermite(k - 1, v) * std::exp(-v * v);
  };
  const Arrays erf = jet_terms([](const Arrays& v) { return un(prim::erf_p, v[0]); }, {x}, {line(x, kOrder)});
  const Arrays erfc = jet_terms([](const Arrays& v) { return un(prim::erfc_p, v[0]); }, {x}, {line(x, kOrder)});
  for (size_t k = 1; k <= kOrder; ++k) {
    const std::vector<double> want = along_line(x0, 1.0, k, erf_derivative);
    EXPECT_TRUE(close(erf[k - 1], want, 1e-11, "erf term " + std::to_string(k)));
    std::vector<double> negated;
    for (double w : want) negated.push_back(-w);
    EXPECT_TRUE(close(erfc[k - 1], negated, 1e-11, "erfc term " + std::to_string(k)));
  }
}

TEST(TaylorElementwise, CurvedPathsMatchNestedJvpsToOrderFive) {
  constexpr size_t kOrder = 5;
  const fx::Array any = uniform(1, {3}), unit = uniform(2, {3}, -0.8, 0.8), pos = uniform(3, {3}, 0.4, 2.5);
  const fx::Array off_poles = uniform(4, {3}, 0.2, 0.8) + fx::array({-2.0, 0.0, 3.0});
  struct Case {
    const fx::Primitive* p;
    fx::Array x0;
  };
  const std::vector<Case> unary{
      {&prim::sin_p, any},        {&prim::cos_p, any},       {&prim::tan_p, unit},      {&prim::tanh_p, any},
      {&prim::sinh_p, any},       {&prim::cosh_p, any},      {&prim::asin_p, unit},     {&prim::acos_p, unit},
      {&prim::atan_p, any},       {&prim::exp_p, any},       {&prim::expm1_p, any},     {&prim::log_p, pos},
      {&prim::log1p_p, pos},      {&prim::sqrt_p, pos},      {&prim::neg_p, any},       {&prim::abs_p, any},
      {&prim::square_p, any},     {&prim::erf_p, any},       {&prim::erfc_p, any},      {&prim::erf_inv_p, unit},
      {&prim::lgamma_p, off_poles}, {&prim::digamma_p, off_poles}, {&prim::sign_p, any}, {&prim::floor_p, any},
      {&prim::ceil_p, any},       {&prim::round_p, any},
  };
  for (const Case& c : unary) {
    SCOPED_TRACE(std::string(c.p->name));
    EXPECT_TRUE(matches_nested([&](const Arrays& v) { return un(*c.p, v[0]); }, {c.x0}, {random_path(40, c.x0, kOrder)},
                               1e-9));
  }
  const fx::Array m = fx::array({1.0, 2.0, 3.0});
  EXPECT_TRUE(matches_nested([&](const Arrays& v) { return bin(prim::polygamma_p, m, v[0]); }, {pos},
                             {random_path(50, pos, 4)}, 1e-8));
  const fx::Array y = uniform(5, {3}, 0.5, 2.0);
  const std::vector<const fx::Primitive*> binary{&prim::add_p, &prim::sub_p,   &prim::mul_p, &prim::div_p,
                                                 &prim::pow_p, &prim::atan2_p, &prim::max_p, &prim::min_p,
                                                 &prim::rem_p, &prim::nextafter_p};
  for (const fx::Primitive* p : binary) {
    SCOPED_TRACE(std::string(p->name));
    // Both moving, x > 0 (pow's exp(y log x)), away from max/min's ties and rem's jumps.
    EXPECT_TRUE(matches_nested([&](const Arrays& v) { return bin(*p, v[0], v[1]); }, {pos, y},
                               {random_path(60, pos, kOrder), random_path(70, y, kOrder)}, 1e-9));
  }
  EXPECT_TRUE(matches_nested([](const Arrays& v) { return fx::bind1(prim::add_any_p, {v[0] * v[1], fx::sin(v[0])}); },
                             {any, y}, {random_path(80, any, kOrder), random_path(90, y, kOrder)}));
  // clamp with the operand inside, below and above the moving bounds.
  const fx::Array inside = fx::array({0.0, -3.0, 3.0});
  EXPECT_TRUE(matches_nested(
      [](const Arrays& v) { return fx::bind1(prim::clamp_p, {v[1] - 1.0, v[0], v[1] + 1.0}); }, {inside, y * 0.1},
      {random_path(100, inside, kOrder), random_path(110, y, kOrder)}));
}

TEST(TaylorElementwise, Float32StaysFloat32AndAgreesWithFloat64) {
  constexpr size_t kOrder = 6;
  const fx::Array x64 = uniform(6, {4}, 0.3, 1.5), x32 = x64.astype(fx::float32);
  const std::vector<MultiFn> fs{
      [](const Arrays& v) { return un(prim::tanh_p, v[0]); },
      [](const Arrays& v) { return un(prim::exp_p, v[0]); },
      [](const Arrays& v) { return un(prim::sin_p, v[0]) * un(prim::log_p, v[0]); },
      [](const Arrays& v) { return bin(prim::div_p, un(prim::sqrt_p, v[0]), v[0] + 1.0f); },
      [](const Arrays& v) { return un(prim::erf_p, fx::pow(v[0], 3)); },
  };
  for (size_t i = 0; i < fs.size(); ++i) {
    SCOPED_TRACE("function " + std::to_string(i));
    const Arrays t32 = jet_terms(fs[i], {x32}, {random_path(120, x32, kOrder)});
    const Arrays t64 = jet_terms(fs[i], {x64}, {random_path(120, x64, kOrder)});
    for (const fx::Array& t : t32) EXPECT_EQ(t.dtype(), fx::float32);
    EXPECT_TRUE(same_terms(t32, t64, 1e-4));
  }
}

TEST(TaylorElementwise, ZeroDimensionalOperandBesideAShapedOne) {
  constexpr size_t kOrder = 4;
  const fx::Array s(0.9), v = uniform(7, {3}, 0.5, 2.0);
  const std::vector<const fx::Primitive*> binary{&prim::add_p, &prim::sub_p, &prim::mul_p, &prim::div_p,
                                                 &prim::pow_p, &prim::atan2_p, &prim::max_p, &prim::min_p,
                                                 &prim::rem_p, &prim::nextafter_p};
  for (const fx::Primitive* p : binary) {
    SCOPED_TRACE(std::string(p->name));
    const MultiFn f = [p](const Arrays& a) { return bin(*p, a[0], a[1]); };
    const MultiFn g = [p](const Arrays& a) { return bin(*p, a[1], a[0]); };
    const std::vector<Arrays> paths{random_path(130, s, kOrder), random_path(140, v, kOrder)};
    // Both moving, the 0-d one on either side.
    EXPECT_TRUE(matches_nested(f, {s, v}, paths));
    EXPECT_TRUE(matches_nested(g, {s, v}, paths));
    // Only the 0-d one moving, the shaped one a constant (its series empty
    // in the rule), and the other way round; the result has the shape [3].
    const Arrays only_s = jet_terms([&](const Arrays& a) { return f({a[0], v}); }, {s}, {paths[0]});
    ASSERT_EQ(only_s[0].shape(), fx::Shape({3}));
    EXPECT_TRUE(matches_nested([&](const Arrays& a) { return f({a[0], v}); }, {s}, {paths[0]}));
    EXPECT_TRUE(matches_nested([&](const Arrays& a) { return g({a[0], v}); }, {s}, {paths[0]}));
    EXPECT_TRUE(matches_nested([&](const Arrays& a) { return f({s, a[0]}); }, {v}, {paths[1]}));
    EXPECT_TRUE(matches_nested([&](const Arrays& a) { return g({s, a[0]}); }, {v}, {paths[1]}));
  }
  // clamp's 0-d bounds, moving or not.
  const fx::Array x = fx::array({-2.0, 0.1, 2.0});
  EXPECT_TRUE(matches_nested([](const Arrays& a) { return fx::bind1(prim::clamp_p, {a[1] - 1.0, a[0], a[1] + 1.0}); },
                             {x, s}, {random_path(150, x, kOrder), random_path(160, s, kOrder)}));
  EXPECT_TRUE(matches_nested([](const Arrays& a) { return fx::bind1(prim::clamp_p, {fx::Array(-1.0), a[0], fx::Array(1.0)}); },
                             {x}, {random_path(170, x, kOrder)}));
}

TEST(TaylorElementwise, OperandsThatDoNotMove) {
  constexpr size_t kOrder = 5;
  const fx::Array x = uniform(8, {3}, 0.5, 2.0), c = uniform(9, {3}, 0.5, 2.0);
  const std::vector<const fx::Primitive*> binary{&prim::mul_p, &prim::div_p,   &prim::pow_p, &prim::atan2_p,
                                                 &prim::max_p, &prim::min_p,   &prim::rem_p, &prim::sub_p};
  for (const fx::Primitive* p : binary) {
    SCOPED_TRACE(std::string(p->name));
    EXPECT_TRUE(matches_nested([&](const Arrays& a) { return bin(*p, a[0], c); }, {x}, {random_path(180, x, kOrder)}));
    EXPECT_TRUE(matches_nested([&](const Arrays& a) { return bin(*p, c, a[0]); }, {x}, {random_path(190, x, kOrder)}));
  }
  // pow(0, y) in y: log(0) read as 0 by the JVP, so the terms are zero, not NaN.
  const Arrays flat = jet_terms([](const Arrays& a) { return bin(prim::pow_p, fx::zeros({3}), a[0]); }, {x},
                                {random_path(200, x, kOrder)});
  for (const fx::Array& t : flat) EXPECT_TRUE(close(t, {0.0, 0.0, 0.0}, 0.0, "pow(0, y)"));
  // polygamma's order m does not move (JAX does not differentiate in it).
  EXPECT_THROW(jet_terms([](const Arrays& a) { return bin(prim::polygamma_p, a[0], fx::full({3}, 1.5)); },
                         {fx::full({3}, 1.0)}, {random_path(210, c, 2)}),
               fx::ValueError);
}

TEST(TaylorElementwise, TiesSplitAsTheJvpSplits) {
  constexpr size_t kOrder = 4;
  const fx::Array x = fx::array({0.5, -1.0, 2.0});
  const Arrays hx = random_path(220, x, kOrder), hy = random_path(230, x, kOrder);
  for (const fx::Primitive* p : {&prim::max_p, &prim::min_p}) {
    SCOPED_TRACE(std::string(p->name));
    const MultiFn f = [p](const Arrays& a) { return bin(*p, a[0], a[1]); };
    EXPECT_TRUE(matches_nested(f, {x, x}, {hx, hy}));
    // The JVP halves each tied operand's tangent: the terms are the average.
    const Arrays terms = jet_terms(f, {x, x}, {hx, hy});
    for (size_t k = 0; k < kOrder; ++k)
      EXPECT_TRUE(close(terms[k], ((hx[k] + hy[k]) * 0.5).to_vector<double>(), 1e-15, "term " + std::to_string(k + 1)));
  }
  // abs at 0 takes the JVP's side (x >= 0: +1); clamp at a bound none.
  const fx::Array zero = fx::zeros({3});
  EXPECT_TRUE(matches_nested([](const Arrays& a) { return un(prim::abs_p, a[0]); }, {zero}, {hx}));
  EXPECT_TRUE(matches_nested([](const Arrays& a) { return fx::bind1(prim::clamp_p, {a[1], a[0], a[1] + 1.0}); },
                             {x, x}, {hx, hy}));
}

TEST(TaylorElementwise, VmapAndJitGiveTheSameTerms) {
  constexpr size_t kOrder = 6;
  const auto f = [](fx::Array x) {
    return un(prim::tanh_p, x) * un(prim::exp_p, -x * x) + bin(prim::atan2_p, un(prim::sin_p, x), x + 2.0) +
           fx::pow(x, 3) / (x * x + 1.0);
  };
  const auto derivatives = [&](fx::Array x) {
    Arrays h{fx::ones_like(x)};
    for (size_t k = 1; k < kOrder; ++k) h.push_back(fx::zeros_like(x));
    auto [y, ys] = fx::jet(f, {x}, {h});
    return fx::stack(ys);
  };
  const fx::Array xs = fx::linspace(-2.0, 2.0, 7);
  const fx::Array batched = fx::vmap(derivatives)(xs);
  const fx::Array compiled = fx::jit(fx::vmap(derivatives))(xs);
  ASSERT_EQ(batched.shape(), fx::Shape({7, static_cast<int64_t>(kOrder)}));
  for (int64_t i = 0; i < 7; ++i) {
    const fx::Array one = derivatives(xs[i]);
    EXPECT_TRUE(close(batched[i], one.to_vector<double>(), 1e-14, "vmap, point " + std::to_string(i)));
    EXPECT_TRUE(close(compiled[i], one.to_vector<double>(), 1e-12, "jit(vmap), point " + std::to_string(i)));
  }
  // And the point-by-point terms are f's derivatives (nested jvp).
  EXPECT_TRUE(matches_nested([&](const Arrays& a) { return f(a[0]); }, {xs}, {line(xs, 5)}));
}

TEST(TaylorElementwise, GradientOfATermIsTheNextTerm) {
  // d/dx0 f^(k)(x0) = f^(k+1)(x0): grad differentiates through the rules' own operations.
  constexpr size_t kOrder = 6;
  const std::vector<std::pair<std::string, MultiFn>> fs{
      {"tanh", [](const Arrays& v) { return un(prim::tanh_p, v[0]); }},
      {"sin", [](const Arrays& v) { return un(prim::sin_p, v[0]); }},
      {"log", [](const Arrays& v) { return un(prim::log_p, v[0]); }},
      {"1 / x", [](const Arrays& v) { return bin(prim::div_p, fx::full_like(v[0], 1.0), v[0]); }},
      {"erf", [](const Arrays& v) { return un(prim::erf_p, v[0]); }},
      {"asin", [](const Arrays& v) { return un(prim::asin_p, v[0]); }},
      {"x^-2", [](const Arrays& v) { return fx::pow(v[0], -2); }},
  };
  const fx::Array x0(0.45);
  for (const auto& [name, f] : fs) {
    SCOPED_TRACE(name);
    const Arrays terms = jet_terms(f, {x0}, {line(x0, kOrder)});
    for (size_t k = 1; k < kOrder; ++k) {
      const auto term = [&, k](fx::Array x) { return jet_terms(f, {x}, {line(x, k)})[k - 1]; };
      EXPECT_TRUE(close(fx::grad(term)(x0), {terms[k].item<double>()}, 1e-11, "d/dx0 of term " + std::to_string(k)));
    }
  }
}

}  // namespace
