// fx::custom_jvp and fx::custom_vjp: the rule is what every transformation
// uses (jvp, grad, grad of grad, vmap, jit, inside scan), the jaxpr text is
// JAX's, and the errors are JAX's.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;

double value(const fx::Array& x) { return x.item<double>(); }

// JAX's documentation example: f(x, y) = sin(x) y with its JVP written out.
const auto f_impl = [](fx::Array x, fx::Array y) { return fx::sin(x) * y; };
const auto f = fx::custom_jvp(f_impl, "f").defjvp(
    [](std::tuple<fx::Array, fx::Array> primals, std::tuple<fx::Array, fx::Array> tangents) {
      auto [x, y] = primals;
      auto [x_dot, y_dot] = tangents;
      return std::pair{f_impl(x, y), fx::cos(x) * x_dot * y + fx::sin(x) * y_dot};
    },
    "f_jvp");

// A rule that is not f's derivative (twice it), so a test can tell the rule was used.
const auto twice = fx::custom_jvp([](fx::Array x) { return fx::exp(x); }, "g").defjvp([](auto primals, auto tangents) {
  auto [x] = primals;
  auto [t] = tangents;
  return std::pair{fx::exp(x), 2.0 * fx::exp(x) * t};
});

TEST(CustomJvp, EvaluatesTheFunction) {
  EXPECT_DOUBLE_EQ(value(f(2.0, 3.0)), std::sin(2.0) * 3.0);
  EXPECT_DOUBLE_EQ(value(twice(1.0)), std::exp(1.0));
}

TEST(CustomJvp, ForwardAndReverseModeUseTheRule) {
  auto [y, y_dot] = fx::jvp(f, {fx::Array(2.0), fx::Array(3.0)}, {fx::Array(1.0), fx::Array(0.0)});
  EXPECT_DOUBLE_EQ(value(y), std::sin(2.0) * 3.0);
  EXPECT_DOUBLE_EQ(value(y_dot), std::cos(2.0) * 3.0);
  EXPECT_DOUBLE_EQ(value(fx::grad(f)(2.0, 3.0)), std::cos(2.0) * 3.0);
  EXPECT_DOUBLE_EQ(value(fx::grad(twice)(1.0)), 2.0 * std::exp(1.0));
  EXPECT_DOUBLE_EQ(value(fx::jvp(twice, {fx::Array(1.0)}, {fx::Array(1.0)}).second), 2.0 * std::exp(1.0));
  // The rule's own tangent computation is differentiated at second order.
  EXPECT_DOUBLE_EQ(value(fx::grad(fx::grad(twice))(1.0)), 2.0 * std::exp(1.0));
  EXPECT_DOUBLE_EQ(value(fx::hessian(twice)(1.0)), 2.0 * std::exp(1.0));
  EXPECT_DOUBLE_EQ(value(fx::grad(fx::grad(f))(2.0, 3.0)), -std::sin(2.0) * 3.0);
}

TEST(CustomJvp, VmapMapsTheFunctionAndTheRule) {
  const fx::Array xs = fx::linspace(-1.0, 1.0, 5);
  const fx::Array ys = fx::vmap(twice)(xs);
  const fx::Array gs = fx::vmap(fx::grad(twice))(xs);
  const fx::Array gsum = fx::grad([](fx::Array x) { return fx::sum(fx::vmap(twice)(x)); })(xs);
  const fx::Array jv = fx::jvp(fx::vmap(twice), {xs}, {fx::ones({5})}).second;
  for (int64_t i = 0; i < 5; ++i) {
    const double x = value(xs[i]);
    EXPECT_DOUBLE_EQ(value(ys[i]), std::exp(x));
    EXPECT_DOUBLE_EQ(value(gs[i]), 2.0 * std::exp(x));
    EXPECT_DOUBLE_EQ(value(gsum[i]), 2.0 * std::exp(x));
    EXPECT_DOUBLE_EQ(value(jv[i]), 2.0 * std::exp(x));
  }
  // One argument mapped, the other not.
  const fx::Array g = fx::vmap(fx::grad(f), {0, fx::none})(xs, fx::Array(3.0));
  for (int64_t i = 0; i < 5; ++i) EXPECT_DOUBLE_EQ(value(g[i]), std::cos(value(xs[i])) * 3.0);
}

TEST(CustomJvp, JitCompilesTheFunctionAndDifferentiatesWithTheRule) {
  EXPECT_DOUBLE_EQ(value(fx::jit(f)(2.0, 3.0)), std::sin(2.0) * 3.0);
  EXPECT_DOUBLE_EQ(value(fx::jit(fx::grad(twice))(1.0)), 2.0 * std::exp(1.0));
  EXPECT_DOUBLE_EQ(value(fx::grad(fx::jit(twice))(1.0)), 2.0 * std::exp(1.0));
}

TEST(CustomJvp, JaxprTextIsJaxs) {
  // JAX (tests/api_test.py, CustomJVPTest.test_pretty_print):
  //   @jax.custom_jvp
  //   def f(x): return x + 1
  //   @f.defjvp
  //   def f_jvp(primals, tangents): return f(*primals), tangents[0]
  //   jax.make_jaxpr(f)(jnp.array([4.2], dtype=jnp.float32))
  const auto g = fx::custom_jvp([](fx::Array x) { return x + 1.0; }, "f").defjvp(
      [](auto primals, auto tangents) { return std::pair{std::get<0>(primals) + 1.0, std::get<0>(tangents)}; },
      "f_jvp");
  EXPECT_EQ(fx::make_jaxpr(g)(fx::array({4.2}, fx::float32)).str(),
            "{ lambda ; a:f32[1]. let\n"
            "    b:f32[1] = custom_jvp_call[\n"
            "      name=f\n"
            "      call_jaxpr={ lambda ; c:f32[1]. let d:f32[1] = add c 1.0:f32[] in (d,) }\n"
            "      jvp=f_jvp\n"
            "      symbolic_zeros=False\n"
            "    ] a\n"
            "  in (b,) }");
}

TEST(CustomJvp, ErrorsNameTheFunctionAndTheRule) {
  const auto no_rule = fx::custom_jvp([](fx::Array x) { return x; }, "foo");
  try {
    no_rule(2.0);
    FAIL();
  } catch (const fx::Error& e) {
    EXPECT_STREQ(e.what(), "No JVP defined for custom_jvp function foo using defjvp.");
  }
  const auto wrong_type = fx::custom_jvp([](fx::Array x) { return x; }, "foo").defjvp([](auto p, auto) {
    return std::pair{std::get<0>(p), fx::zeros({3})};
  });
  EXPECT_THROW(fx::grad(wrong_type)(2.0), fx::TypeError);
  // A value the function closes over that is being differentiated.
  const auto closure = [](fx::Array y) {
    auto h = fx::custom_jvp([y](fx::Array x) { return x * y; }, "h").defjvp([y](auto p, auto t) {
      return std::pair{std::get<0>(p) * y, std::get<0>(t) * y};
    });
    return h(fx::Array(2.0));
  };
  try {
    fx::grad(closure)(3.0);
    FAIL();
  } catch (const fx::Error& e) {
    EXPECT_NE(std::string(e.what()).find("custom_jvp function h closes over a value that is being differentiated"),
              std::string::npos)
        << e.what();
  }
}

// JAX's CustomVJPTest.test_basic: a bwd that is twice the true derivative.
const auto s = fx::custom_vjp([](fx::Array x) { return fx::sin(x); }, "f")
                   .defvjp([](fx::Array x) { return std::pair{fx::sin(x), fx::cos(x)}; },
                           [](fx::Array cos_x, fx::Array g) { return std::tuple{2.0 * cos_x * g}; });

TEST(CustomVjp, ReverseModeUsesBwd) {
  EXPECT_DOUBLE_EQ(value(s(3.0)), std::sin(3.0));
  EXPECT_DOUBLE_EQ(value(fx::grad(s)(3.0)), 2.0 * std::cos(3.0));
  auto [v, g] = fx::value_and_grad(s)(3.0);
  EXPECT_DOUBLE_EQ(value(v), std::sin(3.0));
  EXPECT_DOUBLE_EQ(value(g), 2.0 * std::cos(3.0));
  // bwd is made of differentiable operations: grad of grad differentiates it.
  EXPECT_DOUBLE_EQ(value(fx::grad(fx::grad(s))(3.0)), -2.0 * std::sin(3.0));
  // jacrev of a vector function.
  const fx::Array xs = fx::linspace(0.0, 1.0, 3);
  const fx::Array jac = fx::jacrev([](fx::Array x) { return fx::vmap(s)(x); })(xs);
  for (int64_t i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(value(jac[i][i]), 2.0 * std::cos(value(xs[i])));
}

TEST(CustomVjp, SeveralArgumentsAndPytreeResiduals) {
  const auto h = fx::custom_vjp([](fx::Array x, fx::Array y) { return x * y; }, "h").defvjp(
      [](fx::Array x, fx::Array y) { return std::pair{x * y, std::vector<fx::Array>{x, y}}; },
      [](const std::vector<fx::Array>& r, fx::Array g) { return std::tuple{r[1] * g * 10.0, r[0] * g}; });
  std::vector<fx::Array> g = fx::grad(h, {0, 1})(2.0, 5.0);
  EXPECT_DOUBLE_EQ(value(g[0]), 50.0);
  EXPECT_DOUBLE_EQ(value(g[1]), 2.0);
}

TEST(CustomVjp, ComposesWithVmapJitAndScan) {
  const fx::Array xs = fx::linspace(0.0, 1.0, 4);
  const fx::Array gs = fx::vmap(fx::grad(s))(xs);
  const fx::Array gsum = fx::grad([](fx::Array x) { return fx::sum(fx::vmap(s)(x)); })(xs);
  for (int64_t i = 0; i < 4; ++i) {
    EXPECT_DOUBLE_EQ(value(gs[i]), 2.0 * std::cos(value(xs[i])));
    EXPECT_DOUBLE_EQ(value(gsum[i]), 2.0 * std::cos(value(xs[i])));
  }
  EXPECT_DOUBLE_EQ(value(fx::jit(s)(3.0)), std::sin(3.0));
  EXPECT_DOUBLE_EQ(value(fx::jit(fx::grad(s))(3.0)), 2.0 * std::cos(3.0));
  EXPECT_DOUBLE_EQ(value(fx::grad(fx::jit(s))(3.0)), 2.0 * std::cos(3.0));
  // JAX's test_initial_style: inside a scan, at first and second order.
  const auto foo = [](fx::Array x) {
    return fx::scan([](fx::Array c, fx::Array) { return std::pair{s(c), fx::Array(0.0)}; }, x, fx::zeros({1})).first;
  };
  EXPECT_DOUBLE_EQ(value(fx::grad(foo)(3.0)), 2.0 * std::cos(3.0));
  EXPECT_DOUBLE_EQ(value(fx::grad(fx::grad(foo))(3.0)), -2.0 * std::sin(3.0));
}

TEST(CustomVjp, ForwardModeIsJaxsError) {
  for (auto attempt : {+[] { fx::jvp(s, {fx::Array(3.0)}, {fx::Array(1.0)}); },
                       +[] { fx::jvp(fx::vmap(s), {fx::linspace(0.0, 1.0, 3)}, {fx::ones({3})}); },
                       +[] { fx::jvp(fx::jit(s), {fx::Array(3.0)}, {fx::Array(1.0)}); },
                       // custom_lin batched, then evaluated.
                       +[] {
                         fx::vmap([](fx::Array x) { return fx::jvp(s, {x}, {x}).second; })(fx::linspace(0.0, 1.0, 3));
                       }}) {
    try {
      attempt();
      FAIL();
    } catch (const fx::TypeError& e) {
      EXPECT_NE(std::string(e.what()).find("can't apply forward-mode autodiff (jvp) to a custom_vjp function."),
                std::string::npos);
    }
  }
}

TEST(CustomVjp, JaxprTextIsJaxs) {
  // JAX (tests/api_test.py, CustomVJPTest.test_pretty_print and test_custom_lin_pretty_print).
  const auto g = fx::custom_vjp([](fx::Array x) { return x + 1.0; }, "f")
                     .defvjp([](fx::Array x) { return std::pair{x + 1.0, std::tuple<>{}}; },
                             [](std::tuple<>, fx::Array ct) { return ct; }, "f_fwd", "f_bwd");
  const fx::Array x = fx::array({4.2}, fx::float32);
  EXPECT_EQ(fx::make_jaxpr(g)(x).str(),
            "{ lambda ; a:f32[1]. let\n"
            "    b:f32[1] = custom_vjp_call[\n"
            "      name=f\n"
            "      bwd=f_bwd\n"
            "      call_jaxpr={ lambda ; c:f32[1]. let d:f32[1] = add c 1.0:f32[] in (d,) }\n"
            "      fwd=f_fwd\n"
            "      symbolic_zeros=False\n"
            "    ] a\n"
            "  in (b,) }");
  EXPECT_EQ(fx::make_jaxpr([&](fx::Array x) { return fx::vjp(g, x).first; })(x).str(),
            "{ lambda ; a:f32[1]. let b:f32[1] = add a 1.0:f32[] in (b,) }");
}

TEST(CustomVjp, ErrorsAreJaxs) {
  const auto no_rule = fx::custom_vjp([](fx::Array x) { return x; }, "foo");
  try {
    no_rule(2.0);
    FAIL();
  } catch (const fx::Error& e) {
    EXPECT_STREQ(e.what(), "No VJP defined for custom_vjp function foo using defvjp.");
  }
  // bwd returns two cotangents for one argument (JAX's test_vjp_rule_inconsistent_pytree_structures_error).
  const auto two = fx::custom_vjp([](fx::Array x) { return x; }, "f").defvjp(
      [](fx::Array x) { return std::pair{x, std::tuple<>{}}; },
      [](std::tuple<>, fx::Array g) { return std::tuple{g, g}; }, "foo_fwd", "foo_bwd");
  try {
    fx::grad(two)(2.0);
    FAIL();
  } catch (const fx::TypeError& e) {
    EXPECT_STREQ(e.what(),
                 "Custom VJP bwd rule foo_bwd must produce an output with the same container (pytree) structure as "
                 "the args tuple of the primal function, and in particular must produce a tuple of length equal to "
                 "the number of arguments to the primal function, but got bwd output structure PyTreeDef((*, *)) "
                 "for primal input structure PyTreeDef((*,)).");
  }
}

}  // namespace

namespace {

// DESIGN §3's spelling for Array arguments: the rule takes std::vector<Array>s,
// bwd returns a std::vector<Array> of cotangents.
TEST(CustomRules, VectorFormsForArrayArguments) {
  const auto f = fx::custom_jvp([](fx::Array x, fx::Array y) { return x * y; }, "f")
                     .defjvp([](std::vector<fx::Array> p, std::vector<fx::Array> t) {
                       return std::pair{p[0] * p[1], t[0] * p[1] + p[0] * t[1] * 10.0};
                     });
  std::vector<fx::Array> g = fx::grad(f, {0, 1})(2.0, 3.0);
  EXPECT_EQ(value(g[0]), 3.0);
  EXPECT_EQ(value(g[1]), 20.0);
  const auto h = fx::custom_vjp([](fx::Array x, fx::Array y) { return x * y; }, "h")
                     .defvjp([](fx::Array x, fx::Array y) { return std::pair{x * y, std::vector<fx::Array>{x, y}}; },
                             [](const std::vector<fx::Array>& r, fx::Array ct) {
                               return std::vector<fx::Array>{r[1] * ct, r[0] * ct * 10.0};
                             });
  g = fx::grad(h, {0, 1})(2.0, 3.0);
  EXPECT_EQ(value(g[0]), 3.0);
  EXPECT_EQ(value(g[1]), 20.0);
}

}  // namespace
