// fx::cond and fx::switch_: values, jaxpr text, derivatives in both modes,
// vmap against a loop over examples, jit against eager, and the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;

double value(const fx::Array& x) { return x.item<double>(); }

const auto sin_times = [](fx::Array a, fx::Array b) { return fx::sin(a) * b; };
const auto cos_plus = [](fx::Array a, fx::Array b) { return fx::cos(a) + b; };

fx::Array f(fx::Array x, fx::Array y) { return fx::cond(x > 0.0, sin_times, cos_plus, x, y); }

TEST(Cond, RunsTheBranchThePredicateChooses) {
  EXPECT_DOUBLE_EQ(value(f(fx::Array(1.0), fx::Array(2.0))), std::sin(1.0) * 2.0);
  EXPECT_DOUBLE_EQ(value(f(fx::Array(-1.0), fx::Array(2.0))), std::cos(-1.0) + 2.0);
  // A number as the predicate: nonzero is true.
  const auto g = [](fx::Array p, fx::Array x) {
    return fx::cond(p, [](fx::Array u) { return u * 2.0; }, [](fx::Array u) { return u * 3.0; }, x);
  };
  EXPECT_EQ(value(g(fx::Array(0.25), fx::Array(1.0))), 2.0);
  EXPECT_EQ(value(g(fx::Array(0), fx::Array(1.0))), 3.0);
  // Several outputs.
  const Arrays both = fx::cond(
      fx::Array(true), [](fx::Array u) { return Arrays{u + 1.0, u * u}; },
      [](fx::Array u) { return Arrays{u, u}; }, fx::Array(3.0));
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(value(both[0]), 4.0);
  EXPECT_EQ(value(both[1]), 9.0);
}

TEST(Cond, SwitchClampsItsIndex) {
  const auto s = [](fx::Array i, fx::Array x) {
    return fx::switch_(i, std::tuple{[](fx::Array u) { return u; }, [](fx::Array u) { return u * u; },
                                     [](fx::Array u) { return -u; }},
                       x);
  };
  const std::vector<std::pair<int, double>> want = {{-5, 3.0}, {0, 3.0}, {1, 9.0}, {2, -3.0}, {7, -3.0}};
  for (const auto& [i, v] : want) EXPECT_EQ(value(s(fx::Array(i), fx::Array(3.0))), v) << "index " << i;
  // Branches of one type in a vector.
  const std::vector<std::function<fx::Array(fx::Array)>> fs = {[](fx::Array u) { return u + 1.0; },
                                                               [](fx::Array u) { return u + 2.0; }};
  EXPECT_EQ(value(fx::switch_(fx::Array(1), fs, fx::Array(0.5))), 2.5);
}

// The text JAX's printer lays out for
//   jax.make_jaxpr(lambda x, y: lax.cond(x > 0, lambda a, b: jnp.sin(a) * b,
//                                        lambda a, b: jnp.cos(a) + b, x, y))(1., 2.)
// (float64; branch 0 is the false branch), as our port of its printer gives it.
TEST(Cond, JaxprText) {
  EXPECT_EQ(fx::make_jaxpr(f)(1.0, 2.0).str(),
            "{ lambda ; a:f64[] b:f64[]. let\n"
            "    c:bool[] = gt a 0.0:f64[]\n"
            "    d:i32[] = convert_element_type[new_dtype=int32 weak_type=False] c\n"
            "    e:f64[] = cond[\n"
            "      branches=(\n"
            "        { lambda ; f:f64[] g:f64[]. let\n"
            "            h:f64[] = cos f\n"
            "            i:f64[] = add h g\n"
            "          in (i,) }\n"
            "        { lambda ; j:f64[] k:f64[]. let\n"
            "            l:f64[] = sin j\n"
            "            m:f64[] = mul l k\n"
            "          in (m,) }\n"
            "      )\n"
            "    ] d a b\n"
            "  in (e,) }");
  // A captured value is an operand of the cond, shared by the branches.
  const auto h = [](fx::Array x) {
    return fx::cond(x > 0.0, [x](fx::Array a) { return a * x; }, [](fx::Array a) { return -a; }, x * 2.0);
  };
  const std::string text = fx::make_jaxpr(h)(3.0).str();
  EXPECT_NE(text.find("] c a d\n"), std::string::npos) << text;
}

// JAX's own documentation (docs/jaxpr.md, "cond primitive") prints, for
//   def func7(arg):
//     return lax.cond(arg >= 0., lambda xtrue: xtrue + 3., lambda xfalse: xfalse - 3., arg)
//   make_jaxpr(func7)(5.)   # float32
// exactly this text.
TEST(Cond, JaxprTextOfJaxsDocumentation) {
  const auto func7 = [](fx::Array arg) {
    return fx::cond(arg >= 0.0, [](fx::Array xtrue) { return xtrue + 3.0; },
                    [](fx::Array xfalse) { return xfalse - 3.0; }, arg);
  };
  EXPECT_EQ(fx::make_jaxpr(func7)(fx::array({5.0}, fx::float32).reshape({})).str(),
            "{ lambda ; a:f32[]. let\n"
            "    b:bool[] = ge a 0.0:f32[]\n"
            "    c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] b\n"
            "    d:f32[] = cond[\n"
            "      branches=(\n"
            "        { lambda ; e:f32[]. let f:f32[] = sub e 3.0:f32[] in (f,) }\n"
            "        { lambda ; g:f32[]. let h:f32[] = add g 3.0:f32[] in (h,) }\n"
            "      )\n"
            "    ] c a\n"
            "  in (d,) }");
}

// JAX's documentation (docs/jaxpr.md, "cond primitive") prints for
//   def one_of_three(index, arg):
//     return lax.switch(index, [lambda x: x + 1., lambda x: x - 2., lambda x: x + 3.], arg)
//   make_jaxpr(one_of_three)(1, 5.)   # int32, float32
// exactly this text: the index clamped by clamp.
TEST(Cond, SwitchJaxprTextOfJaxsDocumentation) {
  const auto one_of_three = [](fx::Array index, fx::Array arg) {
    return fx::switch_(index,
                       std::tuple{[](fx::Array x) { return x + 1.0; }, [](fx::Array x) { return x - 2.0; },
                                  [](fx::Array x) { return x + 3.0; }},
                       arg);
  };
  EXPECT_EQ(fx::make_jaxpr(one_of_three)(fx::Array(1), fx::array({5.0}, fx::float32).reshape({})).str(),
            "{ lambda ; a:i32[] b:f32[]. let\n"
            "    c:i32[] = convert_element_type[new_dtype=int32 weak_type=False] a\n"
            "    d:i32[] = clamp 0:i32[] c 2:i32[]\n"
            "    e:f32[] = cond[\n"
            "      branches=(\n"
            "        { lambda ; f:f32[]. let g:f32[] = add f 1.0:f32[] in (g,) }\n"
            "        { lambda ; h:f32[]. let i:f32[] = sub h 2.0:f32[] in (i,) }\n"
            "        { lambda ; j:f32[]. let k:f32[] = add j 3.0:f32[] in (k,) }\n"
            "      )\n"
            "    ] d b\n"
            "  in (e,) }");
}

TEST(Cond, DerivativesInBothModes) {
  for (double x : {1.3, -0.7}) {
    SCOPED_TRACE(x);
    fx::check_grads(f, {fx::Array(x), fx::Array(2.0)}, 2);
    EXPECT_NEAR(value(fx::grad(f)(x, 2.0)), x > 0 ? std::cos(x) * 2.0 : -std::sin(x), 1e-15);
  }
  const auto closure = [](fx::Array x) {
    return fx::cond(x > 0.0, [x](fx::Array a) { return a * x * x; }, [](fx::Array a) { return fx::exp(a); }, x);
  };
  fx::check_grads(closure, {fx::Array(0.9)}, 2);
  EXPECT_NEAR(value(fx::grad(closure)(0.9)), 3 * 0.9 * 0.9, 1e-15);
  // Reverse mode records the tangent cond only: one cond in the primal pass,
  // one (transposed) in the backward pass.
  const std::string text = fx::make_jaxpr(fx::grad(f))(1.0, 2.0).str();
  size_t conds = 0;
  for (size_t at = text.find("cond["); at != std::string::npos; at = text.find("cond[", at + 1)) ++conds;
  EXPECT_EQ(conds, 2u) << text;
}

// vmap with a batched predicate computes both branches and picks per example;
// the untaken branch sees its operands through stop_gradient, so its NaNs do
// not reach the gradient (JAX's guard, jax issue 1052).
TEST(Cond, VmapOfABatchedPredicateAgreesWithALoop) {
  const fx::Array xs = fx::array(std::vector<double>{-1.5, 0.25, 2.0, -0.5}, {4});
  const fx::Array ys = fx::array(std::vector<double>{0.5, 1.0, -2.0, 3.0}, {4});
  const fx::Array batched = fx::vmap(f)(xs, ys);
  for (int64_t i = 0; i < 4; ++i)
    EXPECT_EQ(batched.to_vector<double>()[static_cast<size_t>(i)], value(f(xs[i], ys[i])));
  const auto safe_sqrt = [](fx::Array x) {
    return fx::cond(x > 0.0, [](fx::Array u) { return fx::sqrt(u); }, [](fx::Array u) { return u * 0.0; }, x);
  };
  const fx::Array g = fx::grad([&](fx::Array v) { return fx::sum(fx::vmap(safe_sqrt)(v)); })(
      fx::array(std::vector<double>{-1.0, 4.0}, {2}));
  EXPECT_EQ(g.to_vector<double>(), (std::vector<double>{0.0, 0.25}));
}

TEST(Cond, JitCompilesARealBranch) {
  const auto jf = fx::jit(f);
  for (double x : {1.0, -1.0}) {
    EXPECT_EQ(value(jf(fx::Array(x), fx::Array(2.0))), value(f(fx::Array(x), fx::Array(2.0))));
    EXPECT_EQ(value(fx::jit(fx::grad(f))(fx::Array(x), fx::Array(2.0))), value(fx::grad(f)(x, 2.0)));
  }
  const std::string src = jf.lower(fx::Array(1.0), fx::Array(2.0)).source();
  EXPECT_NE(src.find("switch ("), std::string::npos) << src;
  EXPECT_NE(src.find("static void fx_fn_1("), std::string::npos) << src;
  EXPECT_NE(src.find("static void fx_fn_2("), std::string::npos) << src;
}

TEST(Cond, Errors) {
  const auto mismatched = [](fx::Array x) {
    return fx::cond(x > 0.0, [](fx::Array u) { return u; }, [](fx::Array u) { return fx::stack({u, u}); }, x);
  };
  try {
    mismatched(fx::Array(1.0));
    FAIL() << "no error";
  } catch (const fx::TypeError& e) {
    EXPECT_EQ(std::string(e.what()),
              "fx::cond: every branch must return the same types: false_fn returns (f64[2]) but true_fn returns "
              "(f64[])");
  }
  EXPECT_THROW(fx::cond(fx::zeros({2}) > 0.0, sin_times, cos_plus, fx::Array(1.0), fx::Array(1.0)), fx::TypeError);
  EXPECT_THROW(fx::switch_(fx::Array(1.0), std::tuple{[](fx::Array u) { return u; }}, fx::Array(1.0)), fx::TypeError);
}

}  // namespace
