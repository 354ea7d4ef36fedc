// fx::while_loop and fx::fori_loop: values, jaxpr text, forward-mode
// derivatives and the reverse-mode error, vmap of loops that stop at
// different steps, jit compiling a real loop.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;

double value(const fx::Array& x) { return x.item<double>(); }

// Newton's method for sqrt(a), counting its steps.
Arrays newton(fx::Array a) {
  return fx::while_loop([a](const Arrays& c) { return fx::abs(c[0] * c[0] - a) > 1e-12; },
                        [a](const Arrays& c) { return Arrays{(c[0] + a / c[0]) * 0.5, c[1] + 1}; },
                        Arrays{a, fx::Array(0)});
}
fx::Array newton_sqrt(fx::Array a) { return newton(a)[0]; }

TEST(WhileLoop, RunsUntilThePredicateFails) {
  const Arrays r = newton(fx::Array(2.0));
  EXPECT_NEAR(value(r[0]), std::sqrt(2.0), 1e-15);
  EXPECT_EQ(r[1].item<int32_t>(), 5);
  // A loop that never runs returns its initial value.
  EXPECT_EQ(value(fx::while_loop([](fx::Array v) { return v > 10.0; }, [](fx::Array v) { return v * 2.0; },
                                 fx::Array(3.0))),
            3.0);
  const auto sum_to = [](fx::Array x) {
    return fx::fori_loop(0, 5, [x](fx::Array i, fx::Array acc) { return acc + x * i.astype(fx::float64); },
                         fx::Array(0.0));
  };
  EXPECT_EQ(value(sum_to(fx::Array(2.0))), 20.0);
  // Traced bounds.
  const auto count = [](fx::Array lo, fx::Array hi) {
    return fx::fori_loop(lo, hi, [](fx::Array, fx::Array n) { return n + 1; }, fx::Array(0));
  };
  EXPECT_EQ(fx::jit(count)(fx::Array(2), fx::Array(9)).item<int32_t>(), 7);
  EXPECT_EQ(fx::jit(count)(fx::Array(9), fx::Array(2)).item<int32_t>(), 0);
}

// The text JAX's printer lays out for lax.while_loop(cond, body, x) with
// cond = lambda x: x < 10. and body = lambda x: x * 2. (float64).
TEST(WhileLoop, JaxprText) {
  const auto f = [](fx::Array x) {
    return fx::while_loop([](fx::Array v) { return v < 10.0; }, [](fx::Array v) { return v * 2.0; }, x);
  };
  EXPECT_EQ(fx::make_jaxpr(f)(1.0).str(),
            "{ lambda ; a:f64[]. let\n"
            "    b:f64[] = while[\n"
            "      body_jaxpr={ lambda ; c:f64[]. let d:f64[] = mul c 2.0:f64[] in (d,) }\n"
            "      body_nconsts=0\n"
            "      cond_jaxpr={ lambda ; e:f64[]. let f:bool[] = lt e 10.0:f64[] in (f,) }\n"
            "      cond_nconsts=0\n"
            "    ] a\n"
            "  in (b,) }");
}

// JAX's own documentation (docs/jaxpr.md, "while primitive") prints, for
//   def func10(arg, n):
//     ones = jnp.ones(arg.shape)
//     return lax.fori_loop(0, n, lambda i, carry: carry + ones * 3. + arg, arg + ones)
//   make_jaxpr(func10)(np.ones(16), 5)   # float32, int32
// this program (JAX 0.11 prints the scalar broadcast without parameters).
TEST(WhileLoop, JaxprTextOfJaxsDocumentation) {
  const auto func10 = [](fx::Array arg, fx::Array n) {
    const fx::Array ones = fx::ones(arg.shape(), fx::float32);
    return fx::fori_loop(0, n, [&](fx::Array, fx::Array carry) { return carry + ones * 3.0 + arg; }, arg + ones);
  };
  const std::string text = fx::make_jaxpr(func10)(fx::ones({16}, fx::float32), fx::Array(5)).str();
  EXPECT_EQ(text,
            "{ lambda ; a:f32[16] b:i32[]. let\n"
            "    c:f32[16] = broadcast_in_dim 1.0:f32[]\n"
            "    d:f32[16] = add a c\n"
            "    _:i32[] _:i32[] e:f32[16] = while[\n"
            "      body_jaxpr={ lambda ; f:f32[16] g:f32[16] h:i32[] i:i32[] j:f32[16]. let\n"
            "          k:i32[] = add h 1:i32[]\n"
            "          l:f32[16] = mul f 3.0:f32[]\n"
            "          m:f32[16] = add j l\n"
            "          n:f32[16] = add m g\n"
            "        in (k, i, n) }\n"
            "      body_nconsts=2\n"
            "      cond_jaxpr={ lambda ; o:i32[] p:i32[] q:f32[16]. let\n"
            "          r:bool[] = lt o p\n"
            "        in (r,) }\n"
            "      cond_nconsts=0\n"
            "    ] c a 0:i32[] b d\n"
            "  in (e,) }");
}

TEST(WhileLoop, ForwardModeDerivativesAndTheReverseModeError) {
  // d sqrt(a) / da through the iteration itself.
  const auto [y, t] = fx::jvp(newton_sqrt, {fx::Array(2.0)}, {fx::Array(1.0)});
  EXPECT_NEAR(value(y), std::sqrt(2.0), 1e-15);
  EXPECT_NEAR(value(t), 0.5 / std::sqrt(2.0), 1e-12);
  fx::check_grads(newton_sqrt, {fx::Array(3.0)}, 2, fx::fwd);
  EXPECT_NEAR(value(fx::jacfwd(newton_sqrt)(fx::Array(9.0))), 1.0 / 6.0, 1e-12);
  try {
    fx::grad(newton_sqrt)(2.0);
    FAIL() << "no error";
  } catch (const fx::Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("Reverse-mode differentiation does not work for fx::while_loop"), std::string::npos) << m;
    EXPECT_NE(m.find("fx::scan"), std::string::npos) << m;
  }
}

// Linearizing a loop (its tangents recorded above its primals) keeps the
// loop's primal outputs known: a derivative that reaches the loop in reverse
// mode through them raises the loop's own error, not a confused one about a
// program that is not linear. Here the primal root feeds a custom_vjp's
// residuals and grad of grad reaches it.
TEST(WhileLoop, LinearizingKeepsThePrimalOutputsKnown) {
  const auto g = fx::custom_vjp([](fx::Array a) { return newton_sqrt(a); }, "g")
                     .defvjp([](fx::Array a) {
                               const fx::Array r = newton_sqrt(a);
                               return std::pair{r, r};
                             },
                             [](fx::Array r, fx::Array ct) { return ct * 0.5 / r; });
  EXPECT_NEAR(value(fx::grad(g)(4.0)), 0.25, 1e-15);
  try {
    fx::grad(fx::grad(g))(4.0);
    FAIL() << "no error";
  } catch (const fx::Error& e) {
    EXPECT_NE(std::string(e.what()).find("Reverse-mode differentiation does not work for fx::while_loop"),
              std::string::npos)
        << e.what();
  }
}

// Each member of a batch stops on its own; the batch runs until all have.
TEST(WhileLoop, VmapAgreesWithALoopOverExamples) {
  const std::vector<double> as = {2.0, 9.0, 0.25, 1e6};
  const fx::Array batch = fx::vmap(newton_sqrt)(fx::array(as, {4}));
  const auto steps = fx::vmap([](fx::Array a) { return newton(a)[1]; })(fx::array(as, {4})).to_vector<int32_t>();
  for (size_t i = 0; i < as.size(); ++i) {
    EXPECT_EQ(batch.to_vector<double>()[i], value(newton_sqrt(fx::Array(as[i]))));
    EXPECT_EQ(steps[i], newton(fx::Array(as[i]))[1].item<int32_t>());
  }
  EXPECT_NE(steps[0], steps[3]);
}

TEST(WhileLoop, JitCompilesARealLoop) {
  const auto jf = fx::jit(newton_sqrt);
  EXPECT_EQ(value(jf(fx::Array(2.0))), value(newton_sqrt(fx::Array(2.0))));
  EXPECT_EQ(fx::jit(fx::vmap(newton_sqrt))(fx::array(std::vector<double>{2.0, 9.0}, {2})).to_vector<double>(),
            fx::vmap(newton_sqrt)(fx::array(std::vector<double>{2.0, 9.0}, {2})).to_vector<double>());
  const std::string src = jf.lower(fx::Array(2.0)).source();
  EXPECT_NE(src.find("for (;;) {"), std::string::npos) << src;
}

TEST(WhileLoop, Errors) {
  EXPECT_THROW(fx::while_loop([](fx::Array v) { return v; }, [](fx::Array v) { return v; }, fx::Array(1.0)),
               fx::TypeError);
  try {
    fx::while_loop([](fx::Array v) { return v < 1.0; }, [](fx::Array v) { return fx::stack({v, v}); },
                   fx::Array(0.0));
    FAIL() << "no error";
  } catch (const fx::TypeError& e) {
    EXPECT_EQ(std::string(e.what()), "fx::while_loop: body_fn must return the carry's types: it takes (f64[]) and "
                                     "returns (f64[2])");
  }
}

}  // namespace

namespace {

// Control flow nested in control flow, under the transformations composed.
TEST(ControlFlow, NestedUnderComposedTransformations) {
  // A loop whose body branches on data and on the step.
  const auto f = [](fx::Array x) {
    return fx::fori_loop(0, 4,
                         [](fx::Array i, fx::Array v) {
                           return fx::cond(
                               fx::sum(v) > 1.0 + i.astype(fx::float64),
                               [](fx::Array u) { return fx::sin(u) * 2.0; },
                               [](fx::Array u) {
                                 return fx::cond(fx::sum(u) < -1.0, [](fx::Array w) { return -w; },
                                                 [](fx::Array w) { return w * 1.5 + 0.1; }, u);
                               },
                               v);
                         },
                         x);
  };
  const fx::Array xs = fx::array(std::vector<double>{0.9, -0.4, 0.3, 1.7, -2.2, 0.05}, {3, 2});
  const fx::Array batched = fx::vmap(f)(xs), jitted = fx::jit(fx::vmap(f))(xs);
  for (int64_t r = 0; r < 3; ++r) {
    const std::vector<double> want = f(xs[r]).to_vector<double>();
    EXPECT_EQ(batched[r].to_vector<double>(), want);
    EXPECT_EQ(jitted[r].to_vector<double>(), want);
  }
  // Forward-mode Jacobians through the loop, batched and compiled.
  const auto jac = fx::jacfwd(f);
  const fx::Array j0 = jac(xs[0]);
  EXPECT_EQ(fx::jit(jac)(xs[0]).to_vector<double>(), j0.to_vector<double>());
  EXPECT_EQ(fx::vmap(jac)(xs)[0].to_vector<double>(), j0.to_vector<double>());
  fx::check_grads(f, {xs[0]}, 2, fx::fwd);
  // Reverse mode through nested conds (no loop): a Hessian both ways.
  const auto g = [](fx::Array x) {
    return fx::cond(fx::sum(x) > 0.0,
                    [](fx::Array u) {
                      return fx::cond(u[0] > u[1], [](fx::Array w) { return fx::sum(fx::sin(w) * w); },
                                      [](fx::Array w) { return fx::sum(fx::exp(w)); }, u);
                    },
                    [](fx::Array u) { return fx::sum(u * u * u); }, x);
  };
  for (int64_t r = 0; r < 3; ++r) {
    SCOPED_TRACE(r);
    fx::check_grads(g, {xs[r]}, 2);
    const fx::Array h = fx::hessian(g)(xs[r]);
    EXPECT_EQ(fx::jit(fx::hessian(g))(xs[r]).to_vector<double>(), h.to_vector<double>());
    const std::vector<double> hv = h.to_vector<double>(), hf = fx::jacfwd(fx::jacfwd(g))(xs[r]).to_vector<double>();
    for (size_t k = 0; k < hv.size(); ++k) EXPECT_NEAR(hv[k], hf[k], 1e-12);
  }
}

}  // namespace
