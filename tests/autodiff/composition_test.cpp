// Transformations composed: deep nesting, mixed forward/reverse Jacobians,
// perturbation confusion, zero gradients, Jacobian shapes, has_aux,
// value_and_grad, vjp with non-scalar outputs, native C++ control flow.
#include <cmath>
#include <functional>
#include <string>
#include <thread>

#include "autodiff_util.hpp"

namespace {

namespace fx = fluxion;
using autodiff_test::uniform;
using autodiff_test::values;

using Poly = std::vector<long double>;  // coefficients, lowest degree first

Poly derivative(const Poly& p) {
  Poly d;
  for (size_t i = 1; i < p.size(); ++i) d.push_back(static_cast<long double>(i) * p[i]);
  return d;
}

long double horner(const Poly& p, long double t) {
  long double acc = 0;
  for (size_t i = p.size(); i-- > 0;) acc = acc * t + p[i];
  return acc;
}

// d^n/dx^n tanh(x) = P_n(tanh x) with P_0(t) = t and P_{k+1} = P_k'(t) (1 - t^2),
// evaluated as sech^2(x) P_{n-1}'(tanh x) so that 1 - t^2 loses no digits
// in the tails. Long double: the integer coefficients reach 1.8e7.
long double tanh_derivative(int n, long double x) {
  Poly p{0, 1};
  for (int k = 0; k + 1 < n; ++k) {
    const Poly d = derivative(p);
    Poly next(d.size() + 2, 0);
    for (size_t i = 0; i < d.size(); ++i) {
      next[i] += d[i];
      next[i + 2] -= d[i];
    }
    p = next;
  }
  const long double c = std::cosh(x);
  return horner(derivative(p), std::tanh(x)) / (c * c);
}

TEST(Composition, TenfoldGradOfTanh) {
  // grad of a sum of elementwise values is the elementwise derivative, so one
  // nested call differentiates at all 200 points.
  std::function<fx::Array(fx::Array)> f = [](fx::Array x) { return fx::tanh(x); };
  for (int k = 0; k < 10; ++k)
    f = [g = f](fx::Array x) { return fx::grad([g](fx::Array v) { return fx::sum(g(v)); })(x); };
  const std::vector<double> xs = values(fx::linspace(-7, 7, 200));
  const std::vector<double> got = values(f(fx::linspace(-7, 7, 200)));
  for (size_t i = 0; i < xs.size(); ++i) {
    const long double want = tanh_derivative(10, xs[i]);
    EXPECT_LT(std::fabs((got[i] - want) / want), 1e-9)
        << "x = " << xs[i] << ": got " << got[i] << ", want " << static_cast<double>(want);
  }
  // Literally grad(grad(...(tanh))) on 0-d values, at a few points.
  std::function<fx::Array(fx::Array)> g = [](fx::Array x) { return fx::tanh(x); };
  for (int k = 0; k < 10; ++k) g = [h = g](fx::Array x) { return fx::grad(h)(x); };
  for (double x : {-6.5, -1.25, 0.3, 2.0}) {
    const long double want = tanh_derivative(10, x);
    EXPECT_LT(std::fabs((g(x).item<double>() - want) / want), 1e-9) << "x = " << x;
  }
  // The closed form itself: tanh'' = -2 tanh sech^2.
  EXPECT_NEAR(static_cast<double>(tanh_derivative(2, 0.5L)), -2 * std::tanh(0.5) / std::pow(std::cosh(0.5), 2), 1e-15);
}

// A nontrivial R^4 -> R function: every kind of primitive the Hessian passes through.
fx::Array scalar_field(fx::Array x) {
  const fx::Array a = fx::array({{1.0, -0.5, 0.2, 0.0}, {0.3, 0.8, -1.0, 0.5}, {0.0, 0.4, 0.6, -0.7}});
  const fx::Array hidden = fx::tanh(fx::matmul(a, x));
  return fx::sum(hidden * hidden) + fx::log1p(fx::dot(x, x)) * x[0] + fx::prod(fx::cos(x)) +
         fx::max(fx::sin(x) * x) + fx::einsum("i,i->", x, fx::exp(x * 0.3));
}

void expect_all_close(const fx::Array& a, const fx::Array& b, double tol, const std::string& what) {
  ASSERT_EQ(a.shape(), b.shape()) << what;
  const std::vector<double> va = values(a), vb = values(b);
  for (size_t i = 0; i < va.size(); ++i) EXPECT_NEAR(va[i], vb[i], tol * (1 + std::fabs(vb[i]))) << what << " [" << i << "]";
}

TEST(Composition, HessianFromEveryModeCombination) {
  const fx::Array x = uniform(600, {4}, -1, 1);
  const fx::Array h = fx::hessian(scalar_field)(x);
  ASSERT_EQ(h.shape(), (fx::Shape{4, 4}));
  expect_all_close(fx::jacfwd(fx::jacrev(scalar_field))(x), h, 1e-12, "jacfwd(jacrev)");
  expect_all_close(fx::jacrev(fx::jacfwd(scalar_field))(x), h, 1e-12, "jacrev(jacfwd)");
  expect_all_close(fx::jacrev(fx::jacrev(scalar_field))(x), h, 1e-12, "jacrev(jacrev)");
  expect_all_close(fx::jacfwd(fx::jacfwd(scalar_field))(x), h, 1e-12, "jacfwd(jacfwd)");
  expect_all_close(fx::jacfwd(fx::grad(scalar_field))(x), h, 1e-12, "jacfwd(grad)");
  expect_all_close(fx::transpose(h), h, 1e-12, "symmetry");
  // Hessian-vector product, forward over reverse.
  const fx::Array v = uniform(601, {4});
  const fx::Array hv = fx::jvp(fx::grad(scalar_field), {x}, {v}).second;
  expect_all_close(hv, fx::matmul(h, v), 1e-12, "jvp(grad)");
  // And against finite differences of the gradient.
  const double eps = 1e-5;
  const fx::Array fd = (fx::grad(scalar_field)(x + v * eps) - fx::grad(scalar_field)(x - v * eps)) / (2 * eps);
  expect_all_close(hv, fd, 1e-6, "finite differences");
  EXPECT_TRUE(autodiff_test::grads_ok(scalar_field, {x}, 3));
}

TEST(Composition, NoPerturbationConfusion) {
  // d/dx [x * d/dy (x + y)] = d/dx [x * 1] = 1 (Siskind & Pearlmutter); a
  // confused implementation gives 2.
  const auto outer = [](fx::Array x) { return x * fx::grad([x](fx::Array y) { return x + y; })(x); };
  for (double x0 : {-1.5, 0.0, 0.7, 3.0}) {
    EXPECT_EQ(fx::grad(outer)(x0).item<double>(), 1.0);
    EXPECT_EQ(fx::jvp(outer, {fx::Array(x0)}, {fx::Array(1.0)}).second.item<double>(), 1.0);
    EXPECT_EQ(fx::jacfwd(outer)(x0).item<double>(), 1.0);
  }
  // The same with forward mode inside: d/dx [x * (d/dy x y at y = 2)] = 2x.
  const auto mixed = [](fx::Array x) {
    return x * fx::jvp([x](fx::Array y) { return x * y; }, {fx::Array(2.0)}, {fx::Array(1.0)}).second;
  };
  EXPECT_EQ(fx::grad(mixed)(1.5).item<double>(), 3.0);
  EXPECT_EQ(fx::grad(fx::grad(mixed))(1.5).item<double>(), 2.0);
}

TEST(Composition, IndependentOutputGivesTypedZeroGradient) {
  const fx::Array x = uniform(610, {2, 3}), y = uniform(611, {4}, -1, 1, fx::float32);
  const auto f = [](fx::Array a, fx::Array) { return fx::sum(fx::sin(a)); };
  const fx::Array gy = fx::grad(f, 1)(x, y);
  EXPECT_EQ(gy.shape(), (fx::Shape{4}));
  EXPECT_EQ(gy.dtype(), fx::float32);
  EXPECT_EQ(values(gy), std::vector<double>(4, 0.0));
  // A constant output: zero gradient shaped like the input, in every mode.
  const auto constant = [](fx::Array) { return fx::Array(3.0); };
  const fx::Array g = fx::grad(constant)(x);
  EXPECT_EQ(g.shape(), x.shape());
  EXPECT_EQ(g.dtype(), fx::float64);
  EXPECT_EQ(values(g), std::vector<double>(6, 0.0));
  EXPECT_EQ(values(fx::jvp(constant, {x}, {x}).second), std::vector<double>{0.0});
  EXPECT_EQ(values(fx::jacfwd([](fx::Array) { return fx::zeros({2}); })(x)), std::vector<double>(12, 0.0));
  EXPECT_EQ(values(fx::jacrev([](fx::Array) { return fx::zeros({2}); })(x)), std::vector<double>(12, 0.0));
  EXPECT_EQ(fx::hessian(constant)(x).shape(), (fx::Shape{2, 3, 2, 3}));
  // Through stop_gradient and an integer round trip too.
  const fx::Array gs = fx::grad([](fx::Array a) { return fx::sum(fx::stop_gradient(a) * 2.0); })(y);
  EXPECT_EQ(gs.dtype(), fx::float32);
  EXPECT_EQ(values(gs), std::vector<double>(4, 0.0));
}

const fx::Array kA = fx::array({{1.0, -2.0}, {0.5, 3.0}, {-1.0, 0.25}});

TEST(Composition, JacobianShapes) {
  struct Case {
    const char* name;
    std::function<fx::Array(fx::Array)> f;
    fx::Array x;
    fx::Shape shape;
  };
  const Case cases[] = {
      {"R -> R", [](fx::Array v) { return fx::sin(v); }, fx::Array(0.5), {}},
      {"R -> R^3", [](fx::Array v) { return fx::stack({v, v * v, fx::exp(v)}); }, fx::Array(0.5), {3}},
      {"R^(2,3) -> R", [](fx::Array v) { return fx::sum(v * v); }, uniform(620, {2, 3}), {2, 3}},
      {"R^(2,3) -> R^4", [](fx::Array v) { return fx::sum(v, {0})[0] * fx::arange(0.0, 4.0); }, uniform(621, {2, 3}), {4, 2, 3}},
      {"R^(2,2) -> R^(3,3)", [](fx::Array m) { return fx::matmul(fx::matmul(kA, fx::tanh(m)), kA.T()); }, uniform(622, {2, 2}), {3, 3, 2, 2}},
      {"R -> R^(3,3)", [](fx::Array v) { return fx::eye(3) * fx::sin(v); }, fx::Array(0.2), {3, 3}},
      {"R^(2,2) -> R^(0)", [](fx::Array m) { return fx::zeros({0}) * m[0][0]; }, uniform(623, {2, 2}), {0, 2, 2}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const fx::Array jf = fx::jacfwd(c.f)(c.x), jr = fx::jacrev(c.f)(c.x);
    EXPECT_EQ(jf.shape(), c.shape);
    EXPECT_EQ(jr.shape(), c.shape);
    expect_all_close(jf, jr, 1e-14, "jacfwd vs jacrev");
  }
  // d(A M A^T)[i, j] / dM[k, l] = A[i, k] A[j, l].
  const auto sandwich = [](fx::Array m) { return fx::matmul(fx::matmul(kA, m), kA.T()); };
  expect_all_close(fx::jacrev(sandwich)(uniform(624, {2, 2})), fx::einsum("ik,jl->ijkl", kA, kA), 1e-15, "A M A^T");
  // Several arguments: one Jacobian per argnum, each out.shape + arg.shape.
  const auto two = [](fx::Array a, fx::Array b) { return fx::outer(a, b); };
  for (const auto& jac : {fx::jacfwd(two, {0, 1})(uniform(625, {2}), uniform(626, {3})),
                          fx::jacrev(two, {0, 1})(uniform(625, {2}), uniform(626, {3}))}) {
    ASSERT_EQ(jac.size(), 2u);
    EXPECT_EQ(jac[0].shape(), (fx::Shape{2, 3, 2}));
    EXPECT_EQ(jac[1].shape(), (fx::Shape{2, 3, 3}));
  }
  EXPECT_EQ(fx::hessian([](fx::Array m) { return fx::sum(m * m * m); })(uniform(627, {2, 3})).shape(),
            (fx::Shape{2, 3, 2, 3}));
}

TEST(Composition, HasAuxAndValueAndGrad) {
  const auto f = [](fx::Array x) {
    const fx::Array y = fx::sin(x);
    return std::make_pair(fx::sum(y * y), std::string("aux ") + std::to_string(x.size()));
  };
  const fx::Array x = uniform(630, {3});
  const auto [g, aux] = fx::grad(f, 0, fx::has_aux)(x);
  EXPECT_EQ(aux, "aux 3");
  expect_all_close(g, fx::sin(x * 2.0), 1e-15, "d/dx sum sin^2 = sin 2x");
  // An Array aux is returned as computed, not differentiated.
  const auto with_array_aux = [](fx::Array a, fx::Array b) { return std::make_pair(fx::sum(a * b), a * 10.0); };
  const auto [gb, aux_b] = fx::grad(with_array_aux, 1, fx::has_aux)(x, x * 2.0);
  expect_all_close(gb, x, 0, "grad wrt b");
  expect_all_close(aux_b, x * 10.0, 0, "aux");
  const auto [value_aux, g2] = fx::value_and_grad(f, 0, fx::has_aux)(x);
  EXPECT_EQ(value_aux.second, "aux 3");
  EXPECT_DOUBLE_EQ(value_aux.first.item<double>(), fx::sum(fx::sin(x) * fx::sin(x)).item<double>());
  expect_all_close(g2, g, 0, "value_and_grad with aux");

  const auto h = [](fx::Array a, fx::Array b) { return fx::sum(fx::exp(a) * b); };
  const auto [value, grads] = fx::value_and_grad(h, {0, 1})(x, x * 3.0);
  EXPECT_DOUBLE_EQ(value.item<double>(), h(x, x * 3.0).item<double>());
  ASSERT_EQ(grads.size(), 2u);
  expect_all_close(grads[0], fx::exp(x) * x * 3.0, 1e-15, "d/da");
  expect_all_close(grads[1], fx::exp(x), 1e-15, "d/db");
  const auto [v1, g1] = fx::value_and_grad(h)(x, x);
  EXPECT_DOUBLE_EQ(v1.item<double>(), h(x, x).item<double>());
  expect_all_close(g1, fx::exp(x) * x, 1e-15, "value_and_grad argnum 0");
  // grad of value_and_grad's gradient: second derivatives through the pair.
  EXPECT_NEAR(fx::grad([&](fx::Array a) { return fx::value_and_grad(h)(a, fx::Array(2.0)).second; })(0.5).item<double>(),
              2 * std::exp(0.5), 1e-15);
}

TEST(Composition, VjpWithNonScalarOutputs) {
  const auto f = [](fx::Array a, fx::Array b) { return fx::matmul(fx::tanh(a), b); };  // (2,3) x (3,4) -> (2,4)
  const fx::Array a = uniform(640, {2, 3}), b = uniform(641, {3, 4}), ct = uniform(642, {2, 4});
  const auto [out, pullback] = fx::vjp(f, a, b);
  expect_all_close(out, f(a, b), 0, "primal");
  const std::vector<fx::Array> cts = pullback(ct);
  ASSERT_EQ(cts.size(), 2u);
  // J^T ct from the full Jacobians: sum over the output axes.
  const auto jac = fx::jacrev(f, {0, 1})(a, b);
  expect_all_close(cts[0], fx::einsum("ij,ijkl->kl", ct, jac[0]), 1e-14, "cotangent of a");
  expect_all_close(cts[1], fx::einsum("ij,ijkl->kl", ct, jac[1]), 1e-14, "cotangent of b");
  // The pullback is reusable and linear.
  expect_all_close(pullback(ct * 2.0)[1], cts[1] * 2.0, 1e-15, "linearity");
  // A 0-d output's pullback takes a 0-d cotangent.
  const auto [s, pull_s] = fx::vjp([](fx::Array v) { return fx::sum(v * v); }, a);
  EXPECT_EQ(s.ndim(), 0);
  expect_all_close(pull_s(fx::Array(0.5))[0], a, 1e-15, "scalar pullback");
}

// ReLU with native control flow: C++ `if` on a concrete value, as Python's
// `if` under jax.grad; the negative branch returns a constant.
fx::Array relu(fx::Array x) {
  if (x > 0.0) return x;
  return fx::Array(0.0);
}
fx::Array piecewise(fx::Array x) {
  if (x >= 1.0) return x * x * x;
  if (x >= 0.0) return fx::sin(x);
  return 0.0 * x;
}

TEST(Composition, NativeControlFlowOnConcreteValues) {
  EXPECT_EQ(fx::grad(relu)(2.5).item<double>(), 1.0);
  EXPECT_EQ(fx::grad(relu)(-2.5).item<double>(), 0.0);
  EXPECT_EQ(fx::grad(relu)(-2.5).dtype(), fx::float64);
  EXPECT_EQ(fx::grad(fx::grad(relu))(2.5).item<double>(), 0.0);
  EXPECT_EQ(fx::jvp(relu, {fx::Array(-1.0)}, {fx::Array(1.0)}).second.item<double>(), 0.0);
  EXPECT_EQ(fx::jacfwd(relu)(3.0).item<double>(), 1.0);
  EXPECT_EQ(fx::jacrev(relu)(-3.0).item<double>(), 0.0);
  EXPECT_EQ(fx::grad(piecewise)(2.0).item<double>(), 12.0);
  EXPECT_EQ(fx::grad(fx::grad(piecewise))(2.0).item<double>(), 12.0);
  EXPECT_DOUBLE_EQ(fx::grad(piecewise)(0.5).item<double>(), std::cos(0.5));
  EXPECT_EQ(fx::grad(piecewise)(-0.5).item<double>(), 0.0);
  EXPECT_EQ(fx::hessian(piecewise)(1.5).item<double>(), 9.0);
  // Element by element over a vector, with the branch taken per element.
  const auto relu_sum = [](fx::Array v) {
    fx::Array acc(0.0);
    for (int64_t i = 0; i < v.shape()[0]; ++i) acc = acc + relu(v[i]) * static_cast<double>(i + 1);
    return acc;
  };
  EXPECT_EQ(values(fx::grad(relu_sum)(fx::array({1.0, -2.0, 3.0, -0.5}))), (std::vector<double>{1, 0, 3, 0}));
  EXPECT_TRUE(autodiff_test::grads_ok([](fx::Array v) { return piecewise(v) * v; }, {fx::Array(0.4)}));
}

TEST(Composition, DataDependentIfUnderMakeJaxprNamesWhere) {
  try {
    (void)fx::make_jaxpr(relu)(1.0);
    FAIL() << "make_jaxpr of a data-dependent `if` must throw";
  } catch (const fx::ConcretizationError& e) {
    EXPECT_NE(std::string(e.what()).find("fx::where"), std::string::npos) << e.what();
  }
  // Also when the staged value is a gradient (make_jaxpr of grad traces abstractly).
  EXPECT_THROW((void)fx::make_jaxpr(fx::grad(relu))(1.0), fx::ConcretizationError);
  // The fix the message suggests works everywhere.
  const auto relu_where = [](fx::Array x) { return fx::where(x > 0.0, x, 0.0); };
  EXPECT_NO_THROW((void)fx::make_jaxpr(fx::grad(relu_where))(1.0));
  EXPECT_EQ(fx::grad(relu_where)(-1.0).item<double>(), 0.0);
}

TEST(Composition, PullbacksAreDifferentiable) {
  // A pullback is the linear map ct -> J^T ct: its Jacobian is J^T, in either mode.
  const auto f = [](fx::Array a) { return fx::sin(a) * fx::sum(a); };
  const fx::Array x = uniform(650, {3});
  const auto [out, pullback] = fx::vjp(f, x);
  const fx::Array jt = fx::transpose(fx::jacfwd(f)(x));
  const auto pull = [pb = pullback](fx::Array ct) { return pb(ct)[0]; };
  expect_all_close(fx::jacfwd(pull)(out), jt, 1e-15, "jacfwd of the pullback");
  expect_all_close(fx::jacrev(pull)(out), jt, 1e-15, "jacrev of the pullback");
  EXPECT_TRUE(autodiff_test::grads_ok(pull, {uniform(651, {3})}));
}

TEST(Composition, TransformationsRunOnManyThreads) {
  // Trace state is thread-local: concurrent nested transformations do not mix.
  const auto f = [](fx::Array v) { return fx::sin(v) * fx::exp(v * 0.5); };
  const auto d2 = fx::grad(fx::grad(f));
  std::vector<double> expected(4), got(4);
  for (int t = 0; t < 4; ++t) expected[t] = d2(0.25 * t).item<double>();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      double last = 0;
      for (int k = 0; k < 50; ++k) last = d2(0.25 * t).item<double>();
      got[t] = last;
    });
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(got, expected);
}

}  // namespace
