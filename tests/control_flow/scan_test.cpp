// fx::scan, fx::map and fori_loop with constant bounds: values, jaxpr text,
// derivatives in both modes (against the unrolled loop, finite differences
// and the forward-sensitivity equations of an ODE), vmap, jit.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;

double value(const fx::Array& x) { return x.item<double>(); }

TEST(Scan, CarriesAndStacks) {
  const fx::Array xs = fx::array(std::vector<double>{1, 2, 3, 4}, {4});
  const auto step = [](fx::Array c, fx::Array x) { return std::pair{c + x, c * x}; };
  const auto [total, ys] = fx::scan(step, fx::Array(0.0), xs);
  EXPECT_EQ(value(total), 10.0);
  EXPECT_EQ(ys.to_vector<double>(), (std::vector<double>{0, 2, 9, 24}));
  const auto [rtotal, rys] = fx::scan(step, fx::Array(0.0), xs, /*reverse=*/true);
  EXPECT_EQ(value(rtotal), 10.0);
  EXPECT_EQ(rys.to_vector<double>(), (std::vector<double>{9, 14, 12, 0}));
  EXPECT_EQ(fx::map([](fx::Array x) { return x * x; }, xs).to_vector<double>(), (std::vector<double>{1, 4, 9, 16}));
  // No xs: `length` steps.
  const auto [carry, none] = fx::scan([](const Arrays& c, const Arrays&) { return std::pair{Arrays{c[0] * 2.0}, Arrays{}}; },
                                      Arrays{fx::Array(1.0)}, Arrays{}, 5);
  EXPECT_EQ(value(carry[0]), 32.0);
  EXPECT_TRUE(none.empty());
}

// The text JAX's printer lays out for
//   jax.make_jaxpr(lambda xs: lax.scan(lambda c, x: (c + x, c * x), 0., xs)[1])(xs)
// with xs float64[4]. As in the scan example of JAX's documentation
// (docs/jaxpr.md, below), the weak initial carry is not promoted: the body
// converts it where it meets a strong value, and scan's printing rule hides
// `linear` and a False `_split_transpose`.
TEST(Scan, JaxprText) {
  const auto f = [](fx::Array xs) {
    return fx::scan([](fx::Array c, fx::Array x) { return std::pair{c + x, c * x}; }, fx::Array(0.0), xs).second;
  };
  EXPECT_EQ(fx::make_jaxpr(f)(fx::zeros({4})).str(),
            "{ lambda ; a:f64[4]. let\n"
            "    _:f64[] b:f64[4] = scan[\n"
            "      jaxpr={ lambda ; c:f64[] d:f64[]. let\n"
            "          e:f64[] = convert_element_type[new_dtype=float64 weak_type=False] c\n"
            "          f:f64[] = add e d\n"
            "          g:f64[] = convert_element_type[new_dtype=float64 weak_type=False] c\n"
            "          h:f64[] = mul g d\n"
            "        in (f, h) }\n"
            "      length=4\n"
            "      num_carry=1\n"
            "      num_consts=0\n"
            "      reverse=False\n"
            "      unroll=1\n"
            "    ] 0.0:f64[] a\n"
            "  in (b,) }");
}

// JAX's documentation (docs/jaxpr.md, "scan primitive") prints for
//   def func11(arr, extra):
//     ones = jnp.ones(arr.shape)
//     def body(carry, aelems):
//       ae1, ae2 = aelems
//       return (carry + ae1 * ae2 + extra, carry)
//     return lax.scan(body, 0., (arr, ones))
//   make_jaxpr(func11)(np.ones(16), 5.)   # float32
// this program (JAX 0.11 prints the scalar broadcast without parameters).
// Its scan equation hides `linear` and `_split_transpose` as that page does.
TEST(Scan, JaxprTextOfJaxsDocumentation) {
  const auto func11 = [](fx::Array arr, fx::Array extra) {
    const fx::Array ones = fx::ones(arr.shape(), fx::float32);
    const auto body = [&](fx::Array carry, const std::pair<fx::Array, fx::Array>& aelems) {
      const auto& [ae1, ae2] = aelems;
      return std::pair{carry + ae1 * ae2 + extra, carry};
    };
    return fx::scan(body, fx::Array(0.0f), std::pair{arr, ones});
  };
  const std::string text = fx::make_jaxpr(func11)(fx::ones({16}, fx::float32), fx::Array(5.0f)).str();
  EXPECT_EQ(text,
            "{ lambda ; a:f32[16] b:f32[]. let\n"
            "    c:f32[16] = broadcast_in_dim 1.0:f32[]\n"
            "    d:f32[] e:f32[16] = scan[\n"
            "      jaxpr={ lambda ; f:f32[] g:f32[] h:f32[] i:f32[]. let\n"
            "          j:f32[] = mul h i\n"
            "          k:f32[] = convert_element_type[new_dtype=float32 weak_type=False] g\n"
            "          l:f32[] = add k j\n"
            "          m:f32[] = convert_element_type[new_dtype=float32 weak_type=False] f\n"
            "          n:f32[] = add l m\n"
            "        in (n, g) }\n"
            "      length=16\n"
            "      num_carry=1\n"
            "      num_consts=1\n"
            "      reverse=False\n"
            "      unroll=1\n"
            "    ] b 0.0:f32[] a c\n"
            "  in (d, e) }");
}

// Both modes agree with the loop written out.
TEST(Scan, DerivativesAgreeWithTheUnrolledLoop) {
  const fx::Array xs = fx::array(std::vector<double>{0.3, -1.2, 0.8, 2.0, -0.1}, {5});
  const auto scanned = [](fx::Array w, fx::Array xs) {
    const auto [c, ys] = fx::scan(
        [w](fx::Array c, fx::Array x) {
          const fx::Array n = fx::sin(c * w + x);
          return std::pair{n, n * n};
        },
        fx::Array(0.5), xs);
    return c + fx::sum(ys);
  };
  const auto unrolled = [](fx::Array w, fx::Array xs) {
    fx::Array c(0.5), s(0.0);
    for (int64_t i = 0; i < 5; ++i) {
      c = fx::sin(c * w + xs[i]);
      s = s + c * c;
    }
    return c + s;
  };
  const fx::Array w(0.7);
  EXPECT_NEAR(value(fx::grad(scanned)(w, xs)), value(fx::grad(unrolled)(w, xs)), 1e-14);
  const std::vector<double> gs = fx::grad(scanned, 1)(w, xs).to_vector<double>(),
                            gu = fx::grad(unrolled, 1)(w, xs).to_vector<double>();
  for (size_t i = 0; i < gs.size(); ++i) EXPECT_NEAR(gs[i], gu[i], 1e-14);
  EXPECT_NEAR(value(fx::hessian(scanned)(w, xs)), value(fx::hessian(unrolled)(w, xs)), 1e-13);
  fx::check_grads(scanned, {w, xs}, 2);
  // Reverse mode keeps one residual per step: the backward pass is a scan too.
  const std::string text = fx::make_jaxpr(fx::grad(scanned))(w, xs).str();
  size_t scans = 0;
  for (size_t at = text.find("scan["); at != std::string::npos; at = text.find("scan[", at + 1)) ++scans;
  EXPECT_EQ(scans, 2u) << text;
  // fori_loop with constant bounds is a scan: reverse mode works through it.
  const auto loop = [](fx::Array x) {
    return fx::fori_loop(0, 3, [](fx::Array, fx::Array v) { return fx::sin(v) * 1.5; }, x);
  };
  EXPECT_NEAR(value(fx::grad(loop)(0.4)), value(fx::jacfwd(loop)(fx::Array(0.4))), 1e-15);
}

// Lotka-Volterra, dx/dt = a x - x y, dy/dt = x y - b y, by classical RK4 in a
// scan. The gradient of the final state with respect to (a, b) by reverse
// mode equals RK4 applied to the forward-sensitivity equations (an explicit
// Runge-Kutta method commutes with differentiation by its parameters), and
// central differences to their accuracy.
fx::Array rk4_final(fx::Array params, fx::Array state, int64_t steps, double h) {
  const auto rhs = [params](fx::Array s) {
    const fx::Array x = s[0], y = s[1];
    return fx::stack({params[0] * x - x * y, x * y - params[1] * y});
  };
  return fx::scan(
             [rhs, h](const Arrays& c, const Arrays&) {
               const fx::Array s = c[0];
               const fx::Array k1 = rhs(s), k2 = rhs(s + k1 * (h / 2)), k3 = rhs(s + k2 * (h / 2)),
                               k4 = rhs(s + k3 * h);
               return std::pair{Arrays{s + (k1 + k2 * 2.0 + k3 * 2.0 + k4) * (h / 6)}, Arrays{}};
             },
             Arrays{state}, Arrays{}, steps)
      .first[0];
}

TEST(Scan, RungeKuttaSensitivities) {
  constexpr int64_t kSteps = 200;
  constexpr double kH = 0.01;
  const fx::Array params = fx::array(std::vector<double>{1.1, 0.4}, {2});
  const fx::Array state = fx::array(std::vector<double>{1.0, 0.5}, {2});
  const auto final_x = [&](fx::Array p) { return rk4_final(p, state, kSteps, kH)[0]; };
  const std::vector<double> g = fx::grad(final_x)(params).to_vector<double>();

  // RK4 on the augmented system (x, y, dx/da, dy/da, dx/db, dy/db), by hand.
  const double a = 1.1, b = 0.4;
  auto f = [&](const std::vector<double>& u) {
    const double x = u[0], y = u[1];
    std::vector<double> d(6);
    d[0] = a * x - x * y;
    d[1] = x * y - b * y;
    for (int p = 0; p < 2; ++p) {
      const double sx = u[2 + 2 * p], sy = u[3 + 2 * p];
      d[2 + 2 * p] = (a - y) * sx - x * sy + (p == 0 ? x : 0.0);
      d[3 + 2 * p] = y * sx + (x - b) * sy - (p == 1 ? y : 0.0);
    }
    return d;
  };
  std::vector<double> u = {1.0, 0.5, 0, 0, 0, 0};
  for (int64_t n = 0; n < kSteps; ++n) {
    auto add = [](const std::vector<double>& v, const std::vector<double>& k, double c) {
      std::vector<double> r(v.size());
      for (size_t i = 0; i < v.size(); ++i) r[i] = v[i] + c * k[i];
      return r;
    };
    const auto k1 = f(u), k2 = f(add(u, k1, kH / 2)), k3 = f(add(u, k2, kH / 2)), k4 = f(add(u, k3, kH));
    for (size_t i = 0; i < u.size(); ++i) u[i] += kH / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  EXPECT_NEAR(g[0], u[2], 1e-12);
  EXPECT_NEAR(g[1], u[4], 1e-12);
  // Central differences.
  for (int p = 0; p < 2; ++p) {
    std::vector<double> hi = {1.1, 0.4}, lo = hi;
    hi[static_cast<size_t>(p)] += 1e-6;
    lo[static_cast<size_t>(p)] -= 1e-6;
    const double fd = (value(final_x(fx::array(hi, {2}))) - value(final_x(fx::array(lo, {2})))) / 2e-6;
    EXPECT_NEAR(g[static_cast<size_t>(p)], fd, 1e-7);
  }
  // Forward mode and the compiled gradient agree.
  const std::vector<double> fwd = fx::jacfwd(final_x)(params).to_vector<double>();
  const std::vector<double> jit = fx::jit(fx::grad(final_x))(params).to_vector<double>();
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_NEAR(fwd[i], g[i], 1e-12);
    EXPECT_EQ(jit[i], g[i]);
  }
}

TEST(Scan, VmapAndJit) {
  const auto f = [](fx::Array w, fx::Array xs) {
    return fx::scan([w](fx::Array c, fx::Array x) { return std::pair{fx::sin(c * w + x), c * x}; }, fx::Array(0.5), xs)
        .second;
  };
  const fx::Array ws = fx::array(std::vector<double>{0.7, 0.1, -0.3}, {3});
  const fx::Array xs = fx::array(std::vector<double>{1, -2, 0.5, 4}, {4});
  const fx::Array batched = fx::vmap(f, {0, fx::none})(ws, xs);
  for (int64_t i = 0; i < 3; ++i) EXPECT_EQ(batched[i].to_vector<double>(), f(ws[i], xs).to_vector<double>());
  const auto jf = fx::jit(f);
  EXPECT_EQ(jf(ws[0], xs).to_vector<double>(), f(ws[0], xs).to_vector<double>());
  EXPECT_EQ(fx::jit(fx::vmap(f, {0, fx::none}))(ws, xs).to_vector<double>(), batched.to_vector<double>());
  const std::string src = jf.lower(ws[0], xs).source();
  EXPECT_NE(src.find("for (long long k"), std::string::npos) << src;
}

TEST(Scan, Errors) {
  const auto step = [](fx::Array c, fx::Array x) { return std::pair{fx::stack({c, x}), x}; };
  EXPECT_THROW(fx::scan(step, fx::Array(0.0), fx::zeros({3})), fx::TypeError);
  EXPECT_THROW(fx::scan([](fx::Array c, fx::Array x) { return std::pair{c, x}; }, fx::Array(0.0), fx::Array(1.0)),
               fx::ShapeError);
  EXPECT_THROW(fx::scan([](const Arrays& c, const Arrays&) { return std::pair{c, Arrays{}}; }, Arrays{fx::Array(0.0)},
                        Arrays{}),
               fx::Error);
}

}  // namespace
