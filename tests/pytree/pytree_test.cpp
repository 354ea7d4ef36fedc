// Pytrees: flattening and rebuilding every supported container, JAX's
// structure messages, and trees through every transformation and
// control-flow function (a struct in, the same struct out).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace model {

struct Params {
  fluxion::Array w, b;
};
FLUXION_PYTREE(Params, w, b)

struct Net {
  std::vector<Params> layers;
  fluxion::Array scale;
};
FLUXION_PYTREE(Net, layers, scale)

}  // namespace model

namespace {

namespace fx = fluxion;
using model::Net;
using model::Params;

double value(const fx::Array& x) { return x.item<double>(); }

template <class F> std::string error_of(F&& f) {
  try {
    f();
  } catch (const fx::Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TreeFlatten, EveryContainerRoundTrips) {
  const Net net{{Params{1.0, 2.0}, Params{3.0, 4.0}}, 5.0};
  auto [leaves, def] = fx::tree_flatten(net);
  EXPECT_EQ(def.str(), "PyTreeDef(Net(layers=[Params(w=*, b=*), Params(w=*, b=*)], scale=*))");
  ASSERT_EQ(leaves.size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(value(leaves[i]), double(i + 1));
  const Net back = fx::tree_unflatten<Net>(def, leaves);
  EXPECT_EQ(value(back.layers[1].b), 4.0);

  using Mixed = std::tuple<fx::Array, std::pair<fx::Array, fx::Array>, std::array<fx::Array, 2>,
                           std::map<std::string, fx::Array>, std::optional<fx::Array>, std::optional<fx::Array>>;
  const Mixed m{1.0, {2.0, 3.0}, {4.0, 5.0}, {{"z", 7.0}, {"a", 6.0}}, std::nullopt, fx::Array(8.0)};
  auto [ml, md] = fx::tree_flatten(m);
  // Dicts by sorted key; None has no leaves.
  EXPECT_EQ(md.str(), "PyTreeDef((*, (*, *), [*, *], {'a': *, 'z': *}, None, *))");
  EXPECT_EQ(md.num_leaves(), 8u);
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(value(ml[i]), double(i + 1));
  const Mixed mb = fx::tree_unflatten<Mixed>(md, ml);
  EXPECT_FALSE(std::get<4>(mb).has_value());
  EXPECT_EQ(value(*std::get<5>(mb)), 8.0);
  EXPECT_EQ(value(std::get<3>(mb).at("z")), 7.0);
  // Numbers are leaves (weakly typed 0-d arrays) and rebuild as Arrays.
  auto [nl, nd] = fx::tree_flatten(std::vector<double>{1.5, 2.5});
  EXPECT_EQ(nd.str(), "PyTreeDef([*, *])");
  EXPECT_TRUE(nl[0].weak_type());
  static_assert(std::is_same_v<fx::tree_value_t<std::vector<double>>, std::vector<fx::Array>>);
  EXPECT_EQ(fx::tree_structure(std::tuple<fx::Array>{1.0}).str(), "PyTreeDef((*,))");
}

TEST(TreeFlatten, MismatchesRaiseJaxsMessages) {
  const auto add = [](fx::Array a, fx::Array b) { return a + b; };
  using T2 = std::tuple<fx::Array, fx::Array>;
  using T3 = std::tuple<fx::Array, fx::Array, fx::Array>;
  EXPECT_EQ(error_of([&] { fx::tree_map(add, T2{1.0, 2.0}, T3{1.0, 2.0, 3.0}); }),
            "Tuple arity mismatch: 3 != 2; tuple: (*, *, *).");
  EXPECT_EQ(error_of([&] { fx::tree_map(add, std::vector<fx::Array>{1.0}, std::vector<fx::Array>{1.0, 2.0}); }),
            "List arity mismatch: 2 != 1; list: [*, *].");
  using M = std::map<std::string, fx::Array>;
  EXPECT_EQ(error_of([&] { fx::tree_map(add, M{{"a", 1.0}, {"b", 2.0}}, M{{"a", 1.0}, {"c", 2.0}}); }),
            "Dict key mismatch; expected keys: ['a', 'b']; dict: {'a': *, 'c': *}.");
  EXPECT_EQ(error_of([&] { fx::tree_map(add, T2{1.0, 2.0}, std::vector<fx::Array>{1.0, 2.0}); }),
            "Expected tuple, got [*, *].");
  EXPECT_EQ(error_of([&] { fx::tree_map(add, Params{1.0, 2.0}, T2{1.0, 2.0}); }),
            "Custom node type mismatch; expected type: Params; value: (*, *).");
  const auto [leaves, def] = fx::tree_flatten(Params{1.0, 2.0});
  EXPECT_EQ(error_of([&] { fx::tree_unflatten<Params>(def, std::vector<fx::Array>{1.0}); }),
            "Too few leaves for PyTreeDef; expected 2, got 1");
  EXPECT_THROW(fx::tree_unflatten<T2>(def, leaves), fx::TypeError);
  const Params doubled = fx::tree_map([](fx::Array a, fx::Array b) { return a * b; }, Params{2.0, 3.0}, Params{5.0, 7.0});
  EXPECT_EQ(value(doubled.w), 10.0);
  EXPECT_EQ(value(doubled.b), 21.0);
}

// A least-squares loss of a struct of parameters.
fx::Array loss(const Params& p, fx::Array x, fx::Array y) { return fx::sum(fx::square(p.w * x + p.b - y)); }

TEST(TreeTransforms, GradOfAStructIsTheStruct) {
  const fx::Array x = fx::array({1.0, 2.0, 3.0}), y = fx::array({2.0, 3.0, 5.0});
  const Params p{0.5, 0.25};
  const Params g = fx::grad(loss)(p, x, y);
  const fx::Array r = p.w * x + p.b - y;
  EXPECT_DOUBLE_EQ(value(g.w), value(fx::sum(2.0 * r * x)));
  EXPECT_DOUBLE_EQ(value(g.b), value(fx::sum(2.0 * r)));
  auto [v, g2] = fx::value_and_grad(loss)(p, x, y);
  EXPECT_DOUBLE_EQ(value(v), value(loss(p, x, y)));
  EXPECT_DOUBLE_EQ(value(g2.w), value(g.w));
  // Another argument by compile-time argnum; a runtime one of another type is an error.
  const fx::Array gx = fx::grad<1>(loss)(p, x, y);
  EXPECT_EQ(gx.shape(), (fx::Shape{3}));
  EXPECT_NE(error_of([&] { fx::grad(loss, 1)(p, x, y); }).find("fx::grad<1>(f)"), std::string::npos);
  // A dict of parameters, and a pytree aux.
  const auto f = [](const std::map<std::string, fx::Array>& q) {
    return std::pair{q.at("a") * q.at("b"), std::tuple{q.at("a") + 1.0, q.at("b")}};
  };
  auto [gd, aux] = fx::grad(f, 0, fx::has_aux)(std::map<std::string, fx::Array>{{"a", 2.0}, {"b", 3.0}});
  EXPECT_EQ(value(gd.at("a")), 3.0);
  EXPECT_EQ(value(gd.at("b")), 2.0);
  EXPECT_EQ(value(std::get<0>(aux)), 3.0);
  EXPECT_TRUE(std::get<0>(aux).is_concrete());
  // Second order through a struct.
  const auto h = [](const Params& q) { return fx::sin(q.w) * q.b; };
  const Params gg = fx::grad([&](const Params& q) { return fx::grad(h)(q).w; })(Params{1.0, 2.0});
  EXPECT_DOUBLE_EQ(value(gg.w), -std::sin(1.0) * 2.0);
  EXPECT_DOUBLE_EQ(value(gg.b), std::cos(1.0));
  EXPECT_NE(error_of([&] { fx::grad([](const Params& q) { return q; })(Params{1.0, 2.0}); }).find("PyTreeDef"),
            std::string::npos);
}

TEST(TreeTransforms, JvpVjpAndJacobians) {
  const auto f = [](const Params& p, fx::Array x) { return std::pair{p.w * x, p.b * x}; };
  const Params p{2.0, 3.0};
  auto [out, tout] = fx::jvp(f, std::tuple{p, fx::Array(5.0)}, std::tuple{Params{1.0, 0.0}, fx::Array(0.0)});
  EXPECT_EQ(value(out.first), 10.0);
  EXPECT_EQ(value(tout.first), 5.0);
  EXPECT_EQ(value(tout.second), 0.0);
  EXPECT_NE(error_of([&] { fx::jvp(f, std::tuple{p, fx::Array(5.0)}, std::tuple{fx::Array(1.0), fx::Array(0.0)}); })
                .find("primal and tangent arguments to jvp must have the same tree structure"),
            std::string::npos);
  auto [vout, pullback] = fx::vjp(f, p, fx::Array(5.0));
  auto [gp, gx] = pullback(std::pair{fx::Array(1.0), fx::Array(0.0)});
  EXPECT_EQ(value(gp.w), 5.0);
  EXPECT_EQ(value(gp.b), 0.0);
  EXPECT_EQ(value(gx), 2.0);
  // Jacobians of a function of a list: one block per leaf; the Hessian nests.
  const auto g = [](const std::vector<fx::Array>& v) { return v[0] * v[0] * v[1]; };
  const std::vector<fx::Array> v{fx::Array(2.0), fx::Array(3.0)};
  const std::vector<fx::Array> jf = fx::jacfwd(g)(v), jr = fx::jacrev(g)(v);
  EXPECT_EQ(value(jf[0]), 12.0);
  EXPECT_EQ(value(jr[1]), 4.0);
  const std::vector<std::vector<fx::Array>> hess = fx::hessian(g)(v);
  EXPECT_EQ(value(hess[0][0]), 6.0);
  EXPECT_EQ(value(hess[0][1]), 4.0);
  EXPECT_EQ(value(hess[1][1]), 0.0);
  // A struct-valued function's Jacobian with respect to an Array is the struct.
  const Params jp = fx::jacfwd([](fx::Array x) { return Params{x * x, fx::sin(x)}; })(fx::Array(1.0));
  EXPECT_DOUBLE_EQ(value(jp.w), 2.0);
  EXPECT_DOUBLE_EQ(value(jp.b), std::cos(1.0));
}

TEST(TreeTransforms, VmapWithPrefixAxes) {
  const Params batch{fx::array({1.0, 2.0, 3.0}), fx::Array(10.0)};
  // w mapped, b shared: an axes tree for the struct's fields.
  const fx::Array ys = fx::vmap([](const Params& p, fx::Array x) { return p.w * x + p.b; },
                                {{0, fx::none}, fx::none})(batch, fx::Array(2.0));
  EXPECT_EQ(ys.to_vector<double>(), (std::vector<double>{12.0, 14.0, 16.0}));
  // Tree outputs, out_axes by output.
  const auto split = fx::vmap([](fx::Array x) { return std::pair{x * 2.0, fx::stack({x, x})}; }, 0, {0, 1})(
      fx::array({1.0, 2.0}));
  EXPECT_EQ(split.first.shape(), (fx::Shape{2}));
  EXPECT_EQ(split.second.shape(), (fx::Shape{2, 2}));
  // A dict of axes.
  using M = std::map<std::string, fx::Array>;
  const fx::Array d = fx::vmap([](const M& m) { return m.at("x") * m.at("s"); },
                               {fx::MapAxes::Entry::dict({{"x", 0}, {"s", fx::none}})})(
      M{{"x", fx::array({1.0, 2.0})}, {"s", fx::Array(3.0)}});
  EXPECT_EQ(d.to_vector<double>(), (std::vector<double>{3.0, 6.0}));
  EXPECT_EQ(error_of([&] {
              fx::vmap([](const Params& p) { return p.w; }, {{0, 0, 0}})(batch);
            }),
            "vmap in_axes specification must be a tree prefix of the corresponding value, got specification "
            "(0, 0, 0) for value tree PyTreeDef(Params(w=*, b=*)).");
}

TEST(TreeTransforms, JitAndMakeJaxpr) {
  int traces = 0;
  const auto f = fx::jit([&traces](const Params& p, const std::vector<fx::Array>& xs) {
    ++traces;
    return std::tuple{p.w * xs[0], Params{p.b + xs[1], p.w}};
  });
  const auto [a, q] = f(Params{2.0, 3.0}, std::vector<fx::Array>{fx::Array(4.0), fx::Array(5.0)});
  EXPECT_EQ(value(a), 8.0);
  EXPECT_EQ(value(q.w), 8.0);
  EXPECT_EQ(value(q.b), 2.0);
  // The same structure and types: the cached program, its result rebuilt.
  const auto [a2, q2] = f(Params{1.0, 1.0}, std::vector<fx::Array>{fx::Array(1.0), fx::Array(1.0)});
  EXPECT_EQ(traces, 1);
  EXPECT_EQ(value(a2), 1.0);
  EXPECT_EQ(value(q2.w), 2.0);
  // Another structure (a longer list) is another signature.
  f(Params{1.0, 1.0}, std::vector<fx::Array>{fx::Array(1.0), fx::Array(1.0), fx::Array(1.0)});
  EXPECT_EQ(traces, 2);
  const fx::ClosedJaxpr j = fx::make_jaxpr([](const Params& p) { return p.w * p.b; })(Params{1.0, 2.0});
  EXPECT_EQ(j.str(), "{ lambda ; a:f64[] b:f64[]. let c:f64[] = mul a b in (c,) }");
  // grad of a jitted function of a struct.
  const Params g = fx::grad(fx::jit([](const Params& p) { return p.w * p.w * p.b; }))(Params{3.0, 2.0});
  EXPECT_EQ(value(g.w), 12.0);
  EXPECT_EQ(value(g.b), 9.0);
}

TEST(TreeControlFlow, EveryFunctionTakesTrees) {
  const Params p{2.0, 3.0};
  const auto swapped = fx::cond(
      fx::Array(true), [](const Params& q) { return Params{q.b, q.w}; }, [](const Params& q) { return q; }, p);
  EXPECT_EQ(value(swapped.w), 3.0);
  EXPECT_EQ(
      error_of([&] {
        fx::cond(fx::Array(true), [](const Params& q) { return std::tuple{q.w}; },
                 [](const Params& q) { return std::tuple{q.w, q.b}; }, p);
      }),
      "true_fun and false_fun output must have same type structure, got PyTreeDef((*,)) and PyTreeDef((*, *)).");
  // while_loop with a struct carry: w doubles until it passes b * 10.
  const Params grown = fx::while_loop([](const Params& q) { return q.w < q.b * 10.0; },
                                      [](const Params& q) { return Params{q.w * 2.0, q.b}; }, p);
  EXPECT_EQ(value(grown.w), 32.0);
  // fori_loop with a tuple carry.
  const auto [s, c] = fx::fori_loop(0, 4, [](fx::Array i, std::tuple<fx::Array, fx::Array> t) {
    auto [sum, count] = t;
    return std::tuple{sum + i, count + 1.0};
  }, std::tuple{fx::Array(0.0), fx::Array(0.0)});
  EXPECT_EQ(value(s), 6.0);
  EXPECT_EQ(value(c), 4.0);
  // scan with a struct carry and a dict of xs; ys a pair.
  using M = std::map<std::string, fx::Array>;
  const auto [last, ys] = fx::scan(
      [](const Params& q, const M& x) {
        const Params next{q.w + x.at("dw"), q.b * x.at("scale")};
        return std::pair{next, std::pair{next.w, next.b}};
      },
      p, M{{"dw", fx::array({1.0, 1.0, 1.0})}, {"scale", fx::array({2.0, 2.0, 2.0})}});
  EXPECT_EQ(value(last.w), 5.0);
  EXPECT_EQ(value(last.b), 24.0);
  EXPECT_EQ(ys.second.to_vector<double>(), (std::vector<double>{6.0, 12.0, 24.0}));
  // A scan over nothing, `length` steps.
  const auto counted = fx::scan([](fx::Array k, std::nullopt_t) { return std::pair{k + 1.0, k}; }, fx::Array(0.0),
                                std::nullopt, 3);
  EXPECT_EQ(counted.second.to_vector<double>(), (std::vector<double>{0.0, 1.0, 2.0}));
  // map over a pair.
  const fx::Array prods = fx::map([](const std::pair<fx::Array, fx::Array>& xy) { return xy.first * xy.second; },
                                  std::pair{fx::array({1.0, 2.0}), fx::array({3.0, 4.0})});
  EXPECT_EQ(prods.to_vector<double>(), (std::vector<double>{3.0, 8.0}));
  EXPECT_NE(error_of([&] {
              fx::while_loop([](const std::vector<fx::Array>& v) { return v[0] < 1.0; },
                             [](const std::vector<fx::Array>& v) { return std::vector<fx::Array>{v[0], v[0]}; },
                             std::vector<fx::Array>{fx::Array(0.0)});
            }).find("body_fun output and input must have same type structure"),
            std::string::npos);
  // Gradient through a scan over a struct.
  const Params g = fx::grad([](const Params& q) {
    return fx::scan([](const Params& c, fx::Array x) { return std::pair{Params{c.w * x, c.b + c.w}, x}; }, q,
                    fx::array({2.0, 3.0}))
        .first.b;
  })(Params{1.0, 1.0});
  // b_final = b + w + 2w: d/dw = 3, d/db = 1.
  EXPECT_EQ(value(g.w), 3.0);
  EXPECT_EQ(value(g.b), 1.0);
}

TEST(TreeCustomRules, CustomVjpOfAStruct) {
  const auto f = fx::custom_vjp([](const Params& p, fx::Array x) { return p.w * x + p.b; }, "affine")
                     .defvjp([](const Params& p, fx::Array x) { return std::pair{p.w * x + p.b, std::pair{p.w, x}}; },
                             [](const std::pair<fx::Array, fx::Array>& r, fx::Array g) {
                               return std::tuple{Params{r.second * g, g}, r.first * g};
                             });
  const Params g = fx::grad(f)(Params{2.0, 1.0}, fx::Array(3.0));
  EXPECT_EQ(value(g.w), 3.0);
  EXPECT_EQ(value(g.b), 1.0);
  EXPECT_EQ(value(fx::grad<1>(f)(Params{2.0, 1.0}, fx::Array(3.0))), 2.0);
}

}  // namespace
