// Misuse of the transformations raises typed errors (DESIGN §1.6), escaped
// tracers are reported rather than dereferenced, and the program reverse mode
// produces is dead-code free and evaluates to the gradient.
#include <functional>
#include <set>
#include <string>

#include "autodiff_util.hpp"

namespace {

namespace fx = fluxion;
using autodiff_test::uniform;
using autodiff_test::values;

// The message of the exception `call` throws as E (empty if none).
template <class E, class F> std::string message_of(F call) {
  try {
    call();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

const auto sum_sq = [](fx::Array x) { return fx::sum(x * x); };

TEST(AutodiffErrors, GradOfNonScalarOutput) {
  const std::string msg = message_of<fx::TypeError>([] { (void)fx::grad([](fx::Array x) { return x * 2.0; })(uniform(1, {3})); });
  EXPECT_NE(msg.find("scalar"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(3,)"), std::string::npos) << msg;
  EXPECT_THROW((void)fx::value_and_grad([](fx::Array x) { return x; })(uniform(1, {2})), fx::TypeError);
  // An integer output is not differentiable either.
  EXPECT_THROW((void)fx::grad([](fx::Array x) { return fx::sum(x > 0.0); })(uniform(1, {2})), fx::TypeError);
}

TEST(AutodiffErrors, IntegerInputs) {
  const auto f = [](fx::Array x, fx::Array n) { return fx::sum(x * n); };
  const fx::Array x = uniform(2, {3});
  const fx::Array n = fx::array_of<int32_t>({1, 2, 3}, {3});
  const std::string msg = message_of<fx::TypeError>([&] { (void)fx::grad(f, 1)(x, n); });
  EXPECT_NE(msg.find("int32"), std::string::npos) << msg;
  EXPECT_THROW((void)fx::grad(sum_sq)(2), fx::TypeError);  // a C++ int is int32
  EXPECT_THROW((void)fx::grad(f, {0, 1})(x, n), fx::TypeError);
  EXPECT_THROW((void)fx::jacfwd(f, 1)(x, n), fx::TypeError);
  EXPECT_THROW((void)fx::jacrev(f, 1)(x, n), fx::TypeError);
  EXPECT_THROW((void)fx::hessian(f, 1)(x, n), fx::TypeError);
  EXPECT_THROW((void)fx::grad([](fx::Array b) { return fx::sum(b.astype(fx::float64)); })(fx::array_of<bool>({true}, {1})),
               fx::TypeError);
  // The float argument is fine.
  EXPECT_EQ(values(fx::grad(f, 0)(x, n)), (std::vector<double>{1, 2, 3}));
}

TEST(AutodiffErrors, ArgnumsOutOfRange) {
  const auto f = [](fx::Array a, fx::Array b) { return fx::sum(a * b); };
  const fx::Array x = uniform(3, {2});
  for (int bad : {2, 5, -3}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW((void)fx::grad(f, bad)(x, x), fx::TypeError);
    EXPECT_THROW((void)fx::value_and_grad(f, bad)(x, x), fx::TypeError);
    EXPECT_THROW((void)fx::jacfwd(f, bad)(x, x), fx::TypeError);
    EXPECT_THROW((void)fx::jacrev(f, bad)(x, x), fx::TypeError);
  }
  EXPECT_THROW((void)fx::grad(f, {0, 2})(x, x), fx::TypeError);
  // JAX's TypeError text.
  EXPECT_EQ(message_of<fx::TypeError>([&] { (void)fx::grad(f, 2)(x, x); }),
            "grad: differentiating with respect to argnums=2 requires at least 3 positional arguments to be passed "
            "by the caller, but got only 2 positional arguments.");
  // Negative argnums count from the end, as in JAX.
  EXPECT_EQ(values(fx::grad(f, -1)(x, x * 2.0)), values(x));
}

TEST(AutodiffErrors, JvpTangentMismatch) {
  const auto f = [](fx::Array x) { return fx::sin(x); };
  const fx::Array x = uniform(4, {3});
  const std::string shape = message_of<fx::ShapeError>([&] { (void)fx::jvp(f, {x}, {uniform(5, {4})}); });
  EXPECT_NE(shape.find("(3,)"), std::string::npos) << shape;
  EXPECT_NE(shape.find("(4,)"), std::string::npos) << shape;
  const std::string dtype = message_of<fx::TypeError>([&] { (void)fx::jvp(f, {x}, {x.astype(fx::float32)}); });
  EXPECT_NE(dtype.find("float32"), std::string::npos) << dtype;
  EXPECT_THROW((void)fx::jvp(f, {x}, {fx::array_of<int32_t>({1, 2, 3}, {3})}), fx::TypeError);
  EXPECT_THROW((void)fx::jvp(f, {x}, {x, x}), fx::TypeError);  // one tangent per primal
}

// Calling a function, or a pullback, with the wrong number of arguments is
// Python's TypeError for a call of the wrong arity.
TEST(AutodiffErrors, WrongArgumentCountsAreTypeErrors) {
  const fx::Array x = uniform(12, {3});
  const auto unary = [](fx::Array a) { return fx::sin(a); };
  const std::string arity = message_of<fx::TypeError>([&] { (void)fx::jvp(unary, {x, x}, {x, x}); });
  EXPECT_NE(arity.find("that many arguments"), std::string::npos) << arity;
  const fx::detail::VjpResult r =
      fx::detail::vjp_core([](const std::vector<fx::Array>& a) { return std::vector<fx::Array>{fx::sin(a[0])}; }, {x});
  const std::string count = message_of<fx::TypeError>([&] { (void)fx::detail::pullback(r, {x, x}); });
  EXPECT_NE(count.find("takes 1 cotangent(s), got 2"), std::string::npos) << count;
  EXPECT_EQ(values(fx::detail::pullback(r, {x})[0]), values(fx::cos(x) * x));
}

// jax.test_util.check_grads: an order below 1 or no mode is a bad value; an
// argument that is not a concrete array is the wrong kind.
TEST(CheckGradsErrors, BadValuesAndKinds) {
  const auto f = [](fx::Array a) { return fx::sum(fx::sin(a)); };
  const fx::Array x = uniform(13, {3});
  EXPECT_THROW(fx::check_grads(f, {x}, 0), fx::ValueError);
  EXPECT_THROW(fx::check_grads(f, {x}, 1, fx::GradMode{}), fx::ValueError);
  EXPECT_THROW(fx::check_grads(f, {fx::Array()}, 1), fx::TypeError);
  EXPECT_THROW((void)fx::make_jaxpr([&](fx::Array y) {
                 fx::check_grads(f, {y}, 1);  // y is abstract here
                 return y;
               })(x),
               fx::TypeError);
  EXPECT_NO_THROW(fx::check_grads(f, {x}, 1));
}

// lax.switch with no branches, and lax.scan with nothing to scan and no
// length, raise ValueError.
TEST(ControlFlowErrors, MissingBranchesOrLengthAreValueErrors) {
  using Arrays = std::vector<fx::Array>;
  using Branch = std::function<fx::Array(fx::Array)>;
  const fx::Array x = uniform(14, {2});
  const std::string branches =
      message_of<fx::ValueError>([&] { (void)fx::switch_(fx::Array(0), std::vector<Branch>{}, x); });
  EXPECT_NE(branches.find("at least one branch"), std::string::npos) << branches;
  const auto step = [](const Arrays& c, const Arrays&) { return std::pair{c, Arrays{}}; };
  const std::string length = message_of<fx::ValueError>([&] { (void)fx::scan(step, Arrays{x}, Arrays{}); });
  EXPECT_NE(length.find("`length`"), std::string::npos) << length;
  EXPECT_EQ(values(fx::scan(step, Arrays{x}, Arrays{}, 3).first[0]), values(x));
}

TEST(AutodiffErrors, VjpCotangentMismatch) {
  const auto [out, pullback] = fx::vjp([](fx::Array x) { return fx::sin(x) * 2.0; }, uniform(6, {2, 3}));
  const std::string shape = message_of<fx::ShapeError>([&] { (void)pullback(fx::ones({3, 2})); });
  EXPECT_NE(shape.find("f64[3,2]"), std::string::npos) << shape;
  EXPECT_NE(shape.find("f64[2,3]"), std::string::npos) << shape;
  EXPECT_THROW((void)pullback(fx::ones({})), fx::ShapeError);
  EXPECT_THROW((void)pullback(fx::ones({2, 3}, fx::float32)), fx::TypeError);
  EXPECT_NO_THROW((void)pullback(fx::ones({2, 3})));
}

TEST(AutodiffErrors, EscapedTracersAreReported) {
  // A value computed inside grad, kept past its transformation and used later.
  fx::Array leaked;
  (void)fx::grad([&](fx::Array x) {
    leaked = x * 2.0;
    return fx::sum(leaked);
  })(uniform(7, {3}));
  EXPECT_THROW((void)(leaked + 1.0), fx::Error);
  EXPECT_THROW((void)fx::sin(leaked), fx::Error);
  EXPECT_THROW((void)fx::grad([&](fx::Array x) { return fx::sum(x * leaked); })(uniform(8, {3})), fx::Error);
  const std::string msg = message_of<fx::Error>([&] { (void)(leaked * leaked); });
  EXPECT_NE(msg.find("escaped"), std::string::npos) << msg;

  // From make_jaxpr (an abstract value) and from jvp.
  fx::Array staged;
  (void)fx::make_jaxpr([&](fx::Array x) {
    staged = fx::exp(x);
    return staged;
  })(1.0);
  EXPECT_THROW((void)(staged * 2.0), fx::Error);
  EXPECT_THROW((void)staged.item<double>(), fx::Error);
  fx::Array forward;
  (void)fx::jvp([&](fx::Array x) {
    forward = fx::cos(x);
    return forward;
  }, {fx::Array(1.0)}, {fx::Array(1.0)});
  EXPECT_THROW((void)fx::jvp([&](fx::Array x) { return x + forward; }, {fx::Array(1.0)}, {fx::Array(1.0)}), fx::Error);
  // A tracer of an outer transformation captured by an inner one, used
  // after the inner one returned but within the outer one, is fine.
  EXPECT_EQ(fx::grad([](fx::Array x) {
              fx::Array inner_value;
              (void)fx::grad([&](fx::Array y) {
                inner_value = x * 3.0;  // depends on x only: an outer tracer
                return y * x;
              })(1.0);
              return inner_value;
            })(2.0).item<double>(),
            3.0);
}

// grad's program keeps its forward pass, as JAX's does (make_jaxpr does not
// prune): f's own value, which nothing reads, prints `_`. The program
// evaluates to the gradient, pruned or not.
TEST(AutodiffJaxpr, GradsProgramEvaluatesToTheGradientPrunedOrNot) {
  const std::function<fx::Array(fx::Array, fx::Array)> fns[] = {
      [](fx::Array x, fx::Array y) { return fx::sum(fx::sin(x) * y + fx::exp(x * x)); },
      [](fx::Array x, fx::Array y) { return fx::max(fx::matmul(fx::reshape(x, {1, 3}), fx::tanh(y))) * fx::prod(x); },
      [](fx::Array x, fx::Array y) { return fx::sum(fx::where(x > 0.0, x, y * 2.0)) + fx::mean(fx::pow(y, 3)); },
  };
  const fx::Array x = uniform(9, {3}), y = uniform(10, {3});
  for (const auto& f : fns) {
    for (const auto& g : {std::function<fx::Array(fx::Array, fx::Array)>(fx::grad(f)),
                          std::function<fx::Array(fx::Array, fx::Array)>(fx::grad([&](fx::Array a, fx::Array b) {
                            return fx::sum(fx::grad(f, 1)(a, b));  // mixed second derivatives
                          }))}) {
      fx::ClosedJaxpr jaxpr = fx::make_jaxpr(g)(x, y);
      EXPECT_NE(jaxpr.str().find("    _:f64[] = "), std::string::npos) << jaxpr;  // f's value
      const fx::Array args[] = {x, y};
      const std::vector<fx::Array> out = fx::eval_jaxpr(jaxpr.jaxpr, jaxpr.consts, args);
      ASSERT_EQ(out.size(), 1u);
      EXPECT_EQ(values(out[0]), values(g(x, y))) << jaxpr;
      const size_t before = jaxpr.jaxpr.eqns.size();
      fx::dead_code_elimination(jaxpr.jaxpr);
      EXPECT_LT(jaxpr.jaxpr.eqns.size(), before);
      EXPECT_EQ(jaxpr.str().find(" _"), std::string::npos) << jaxpr;
      EXPECT_EQ(values(fx::eval_jaxpr(jaxpr.jaxpr, jaxpr.consts, args)[0]), values(g(x, y))) << jaxpr;
    }
  }
}

TEST(AutodiffJaxpr, GradOfSquareIsJaxsProgram) {
  // jax.make_jaxpr(jax.grad(lambda x: x * x))(3.0): the forward product,
  // which nothing reads, then one mul per path of the backward pass, added
  // in the order the reverse walk reaches them.
  const fx::ClosedJaxpr j = fx::make_jaxpr(fx::grad([](fx::Array x) { return x * x; }))(3.0);
  EXPECT_EQ(j.str(),
            "{ lambda ; a:f64[]. let\n"
            "    _:f64[] = mul a a\n"
            "    b:f64[] = mul a 1.0:f64[]\n"
            "    c:f64[] = mul 1.0:f64[] a\n"
            "    d:f64[] = add_any b c\n"
            "  in (d,) }");
  const fx::Array arg[] = {fx::Array(3.0)};
  EXPECT_EQ(fx::eval_jaxpr(j.jaxpr, j.consts, arg)[0].item<double>(), 6.0);
}

TEST(AutodiffJaxpr, EvaluatingAJaxprIsDifferentiable) {
  // Each equation is bound, so a recorded program differentiates like the
  // function it records; and a recorded Hessian evaluates to the Hessian.
  const auto f = [](fx::Array a) { return fx::sum(fx::sin(a) * a) + fx::prod(a); };
  const fx::Array x = uniform(11, {3});
  const fx::ClosedJaxpr j = fx::make_jaxpr(f)(x);
  const auto replay = [&](fx::Array a) {
    const fx::Array args[] = {a};
    return fx::eval_jaxpr(j.jaxpr, j.consts, args)[0];
  };
  EXPECT_EQ(values(fx::grad(replay)(x)), values(fx::grad(f)(x)));
  EXPECT_EQ(values(fx::hessian(replay)(x)), values(fx::hessian(f)(x)));
  const fx::ClosedJaxpr h = fx::make_jaxpr(fx::hessian(f))(x);
  const fx::Array args[] = {x};
  EXPECT_EQ(values(fx::eval_jaxpr(h.jaxpr, h.consts, args)[0]), values(fx::hessian(f)(x)));
}

}  // namespace
