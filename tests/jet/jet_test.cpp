// fx::jet: JAX's convention, several inputs, pytrees, errors, and the
// composition with vmap, jit, grad and jet itself.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
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

// ---- composition with the other transformations

// tanh's derivatives at x by nested grad: the oracle of the tests below.
std::vector<double> tanh_derivatives(double x, int order) {
  std::function<fx::Array(fx::Array)> d = [](fx::Array v) { return fx::tanh(v); };
  std::vector<double> out;
  for (int k = 0; k < order; ++k) {
    d = fx::grad(d);
    out.push_back(item(d(x)));
  }
  return out;
}

std::vector<fx::Array> unit_path(const fx::Array& x, size_t order) {
  std::vector<fx::Array> s(order, fx::zeros_like(x));
  s[0] = fx::ones_like(x);
  return s;
}

TEST(JetComposition, VmapOfJetIsJetPerPoint) {
  const fx::Array xs = fx::linspace(-1.5, 1.5, 7);
  const auto per_point = [](fx::Array x) {
    auto [y, ys] = fx::jet([](fx::Array v) { return fx::tanh(v); }, {x}, {unit_path(x, 5)});
    ys.insert(ys.begin(), y);
    return fx::stack(ys);
  };
  const fx::Array batched = fx::vmap(per_point)(xs);
  ASSERT_EQ(batched.shape(), (fx::Shape{7, 6}));
  const std::vector<double> points = xs.to_vector<double>(), rows = batched.to_vector<double>();
  for (size_t i = 0; i < 7; ++i) {
    const std::vector<double> want = tanh_derivatives(points[i], 5);
    for (size_t k = 0; k < 5; ++k) EXPECT_NEAR(rows[i * 6 + k + 1], want[k], 1e-12) << points[i] << " " << k;
  }
}

TEST(JetComposition, JitOfJetAndJetOfJitAgree) {
  const auto f = [](fx::Array x) { return fx::sin(x) * fx::exp(-x * x); };
  const auto terms = [&](fx::Array x) {
    auto [y, ys] = fx::jet(f, {x}, {unit_path(x, 4)});
    ys.insert(ys.begin(), y);
    return fx::stack(ys);
  };
  const fx::Array x(0.3);
  const fx::Array eager = terms(x);
  const fx::Array compiled = fx::jit(terms)(x);
  auto [y, ys] = fx::jet(fx::jit(f), {x}, {unit_path(x, 4)});
  ys.insert(ys.begin(), y);
  const fx::Array through_pjit = fx::stack(ys);
  const std::vector<double> e = eager.to_vector<double>(), c = compiled.to_vector<double>(),
                            p = through_pjit.to_vector<double>();
  for (size_t k = 0; k < e.size(); ++k) {
    EXPECT_NEAR(c[k], e[k], 1e-14 * (1 + std::abs(e[k])));
    EXPECT_NEAR(p[k], e[k], 1e-14 * (1 + std::abs(e[k])));
  }
  // jet(jit(f)) is one jit equation holding the jet of f's program.
  const std::string text = fx::make_jaxpr([&](fx::Array v) {
                             auto [y0, ys0] = fx::jet(fx::jit(f), {v}, {unit_path(v, 2)});
                             return y0 + ys0[1];
                           })(x).str();
  EXPECT_NE(text.find("name=jet(jit_fn)"), std::string::npos) << text;
}

TEST(JetComposition, GradOfATaylorCoefficient) {
  // d/dx of the third derivative of tanh at x is its fourth derivative.
  const auto third = [](fx::Array x) {
    auto [y, ys] = fx::jet([](fx::Array v) { return fx::tanh(v); }, {x}, {unit_path(x, 3)});
    return ys[2];
  };
  EXPECT_NEAR(item(fx::grad(third)(0.4)), tanh_derivatives(0.4, 4)[3], 1e-12);
}

TEST(JetComposition, JetOfJet) {
  // The inner jet's first term is f'(x); the outer jet of it gives f'', f'''.
  const auto first = [](fx::Array x) {
    auto [y, ys] = fx::jet([](fx::Array v) { return fx::tanh(v); }, {x}, {unit_path(x, 1)});
    return ys[0];
  };
  auto [d1, ds] = fx::jet(first, {0.25}, {{1.0, 0.0}});
  const std::vector<double> want = tanh_derivatives(0.25, 3);
  EXPECT_NEAR(item(d1), want[0], 1e-14);
  EXPECT_NEAR(item(ds[0]), want[1], 1e-13);
  EXPECT_NEAR(item(ds[1]), want[2], 1e-12);
}

TEST(JetComposition, ControlFlow) {
  // Each program computes exp(x) its own way; its terms along x + t are all exp(x).
  const std::function<fx::Array(fx::Array)> through_cond = [](fx::Array x) {
    return fx::cond(x > 0.0, [](fx::Array v) { return fx::exp(v); }, [](fx::Array v) { return fx::exp(v) + 0.0; }, x);
  };
  const std::function<fx::Array(fx::Array)> through_fori = [](fx::Array x) {
    return fx::fori_loop(0, 3, [](fx::Array, fx::Array c) { return c * c; }, fx::exp(x / 8.0));
  };
  const std::function<fx::Array(fx::Array)> through_scan = [](fx::Array x) {
    const auto step = [](fx::Array c, fx::Array w) { return std::pair{c * fx::exp(w), c}; };
    return fx::scan(step, fx::ones_like(x), fx::broadcast_to(x / 4.0, {4})).first;
  };
  const double x = 0.6;
  const std::vector<std::pair<std::string, std::function<fx::Array(fx::Array)>>> programs = {
      {"cond", through_cond}, {"fori_loop", through_fori}, {"scan", through_scan}};
  for (const auto& [name, f] : programs) {
    SCOPED_TRACE(name);
    auto [y, ys] = fx::jet(f, {x}, {{1.0, 0.0, 0.0, 0.0}});
    EXPECT_NEAR(item(y), std::exp(x), 1e-14);
    for (const fx::Array& t : ys) EXPECT_NEAR(item(t), std::exp(x), 1e-13);
  }
}

TEST(JetComposition, CustomRulesAreIgnoredAsInJax) {
  // jet differentiates the function itself, as JAX's JetTrace does.
  const auto f = fx::custom_jvp([](fx::Array v) { return fx::sin(v); }, "f")
                     .defjvp([](auto p, auto t) {
                       auto [v] = p;
                       auto [dv] = t;
                       return std::pair{fx::sin(v), 2.0 * dv};  // deliberately not the derivative
                     });
  auto [y, ys] = fx::jet([&](fx::Array v) { return f(v); }, {0.5}, {{1.0, 0.0}});
  EXPECT_NEAR(item(ys[0]), std::cos(0.5), 1e-15);
  EXPECT_NEAR(item(ys[1]), -std::sin(0.5), 1e-15);
}

}  // namespace
