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
