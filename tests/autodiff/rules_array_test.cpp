// Derivative rules of reductions, contractions (dot_general behind dot,
// matmul, outer, einsum), layout primitives, indexing and dtype conversion,
// checked by fx::check_grads (forward and reverse, orders 1 and 2).
#include <string>

#include "autodiff_util.hpp"

namespace {

namespace fx = fluxion;
using autodiff_test::grads_ok;
using autodiff_test::uniform;
using autodiff_test::values;

TEST(Rules, SumMeanWithAxesAndKeepdims) {
  const fx::Array x = uniform(30, {2, 3, 4});
  const std::vector<fx::Axes> axes_list = {fx::Axes{}, fx::Axes{1}, fx::Axes{0, 2}, fx::Axes{-1}, fx::Axes{0, 1, 2},
                                           fx::Axes{2, 0}};
  for (const fx::Axes& axes : axes_list)
    for (bool keep : {false, true}) {
      SCOPED_TRACE(std::string(axes.all() ? "all" : "(" + std::to_string(axes.list().size()) + " axes)") +
                   (keep ? " keepdims" : ""));
      // Squared so that the second derivative is not zero.
      EXPECT_TRUE(grads_ok([&](fx::Array v) { return fx::sum(v * v, axes, keep); }, {x}));
      EXPECT_TRUE(grads_ok([&](fx::Array v) { return fx::mean(fx::sin(v), axes, keep); }, {x}));
    }
}

TEST(Rules, ProdIncludingZeros) {
  const fx::Array x = uniform(31, {3, 4}, 0.5, 1.5);
  for (bool keep : {false, true}) {
    EXPECT_TRUE(grads_ok([&](fx::Array v) { return fx::prod(v, {}, keep); }, {x}));
    EXPECT_TRUE(grads_ok([&](fx::Array v) { return fx::prod(v, {1}, keep); }, {x}));
    EXPECT_TRUE(grads_ok([&](fx::Array v) { return fx::prod(v, {0}, keep); }, {x}));
  }
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::prod(v, {0, 2}); }, {uniform(32, {3, 2, 5}, -1.5, 1.5)}));
  // A product is multilinear, so central differences are exact even at zeros,
  // where the gradient must not be computed as prod / x.
  const fx::Array one_zero = fx::array({{2.0, 0.0, 3.0, 0.5}, {1.0, -2.0, 0.0, 0.0}, {0.0, 1.5, 2.0, -1.0}});
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::prod(v, {1}); }, {one_zero}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::prod(v); }, {one_zero}));
  EXPECT_EQ(values(fx::grad([](fx::Array v) { return fx::prod(v); })(fx::array({2.0, 0.0, 3.0, 5.0}))),
            (std::vector<double>{0, 30, 0, 0}));
  EXPECT_EQ(values(fx::grad([](fx::Array v) { return fx::prod(v); })(fx::array({2.0, 0.0, 3.0, 0.0}))),
            (std::vector<double>{0, 0, 0, 0}));
  // Odd lengths (the pairwise tree pads with ones) and a length-1 axis.
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::prod(v, {0}); }, {uniform(33, {7, 2})}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::prod(v, {1}); }, {uniform(34, {3, 1})}));
}

TEST(Rules, MaxMinWithAxes) {
  const fx::Array x = uniform(35, {3, 4, 2});  // distinct: no ties
  for (bool keep : {false, true})
    for (const fx::Axes& axes : {fx::Axes{}, fx::Axes{1}, fx::Axes{0, 2}, fx::Axes{-1}}) {
      EXPECT_TRUE(grads_ok([&](fx::Array v) { return fx::max(v * v, axes, keep); }, {x}));
      EXPECT_TRUE(grads_ok([&](fx::Array v) { return fx::min(fx::sin(v), axes, keep); }, {x}));
    }
  // Ties share the gradient equally (JAX's rule).
  EXPECT_EQ(values(fx::grad([](fx::Array v) { return fx::max(v); })(fx::array({1.0, 3.0, 3.0, 2.0}))),
            (std::vector<double>{0, 0.5, 0.5, 0}));
  EXPECT_EQ(values(fx::grad([](fx::Array v) { return fx::sum(fx::min(v, {0})); })(fx::array({{1.0, 4.0}, {1.0, 2.0}}))),
            (std::vector<double>{0.5, 0, 0.5, 1}));
}

TEST(Rules, DotMatmulOuter) {
  using M = fx::Array (*)(const fx::Array&, const fx::Array&);
  const std::tuple<const char*, M, fx::Shape, fx::Shape> cases[] = {
      {"dot vec.vec", fx::dot, {4}, {4}},
      {"dot mat.vec", fx::dot, {3, 4}, {4}},
      {"dot vec.mat", fx::dot, {3}, {3, 2}},
      {"dot mat.mat", fx::dot, {2, 3}, {3, 4}},
      {"dot 3d.mat", fx::dot, {2, 3, 4}, {4, 2}},
      {"dot 3d.3d", fx::dot, {2, 2, 3}, {2, 3, 2}},
      {"dot scalar", fx::dot, {}, {2, 3}},
      {"matmul batched", fx::matmul, {2, 3, 4}, {2, 4, 5}},
      {"matmul broadcast batch", fx::matmul, {3, 4}, {2, 4, 2}},
      {"matmul size-1 batch", fx::matmul, {1, 2, 3}, {2, 3, 2}},
      {"matmul 4d", fx::matmul, {2, 1, 2, 3}, {3, 3, 2}},
      {"matmul vec@mat", fx::matmul, {3}, {2, 3, 4}},
      {"matmul mat@vec", fx::matmul, {2, 2, 3}, {3}},
      {"outer", fx::outer, {3}, {4}},
      {"outer of matrices (flattened)", fx::outer, {2, 2}, {3}},
  };
  uint64_t seed = 300;
  for (const auto& [name, op, sa, sb] : cases) {
    SCOPED_TRACE(name);
    // Squared: the product of two linear maps has a nonzero second derivative.
    EXPECT_TRUE(grads_ok([op](fx::Array a, fx::Array b) { return op(a * a, b); },
                         {uniform(++seed, sa), uniform(++seed, sb)}));
  }
}

TEST(Rules, Einsum) {
  const std::tuple<const char*, fx::Shape, fx::Shape> binary[] = {
      {"ij,jk->ik", {2, 3}, {3, 4}}, {"i,i->", {5}, {5}},           {"i,j->ij", {3}, {2}},
      {"bij,bjk->bik", {2, 2, 3}, {2, 3, 2}}, {"ij,ij->ij", {2, 3}, {2, 3}}, {"ijk,ik->j", {2, 3, 4}, {2, 4}},
      {"ij,j->i", {3, 4}, {4}},      {"ii,i->i", {3, 3}, {3}},      {"ij,kj->ki", {2, 3}, {4, 3}},
  };
  uint64_t seed = 400;
  for (const auto& [spec, sa, sb] : binary) {
    SCOPED_TRACE(spec);
    EXPECT_TRUE(grads_ok([s = spec](fx::Array a, fx::Array b) { return fx::einsum(s, a, fx::sin(b)); },
                         {uniform(++seed, sa), uniform(++seed, sb)}));
  }
  const std::tuple<const char*, fx::Shape> unary[] = {
      {"ii->", {3, 3}}, {"ii->i", {4, 4}}, {"ij->ji", {2, 3}}, {"ij->", {2, 3}}, {"iij->ij", {3, 3, 2}},
      {"ijk->kj", {2, 3, 4}},
  };
  for (const auto& [spec, shape] : unary) {
    SCOPED_TRACE(spec);
    EXPECT_TRUE(grads_ok([s = spec](fx::Array a) { return fx::einsum(s, a * a); }, {uniform(++seed, shape)}));
  }
  // Three operands.
  EXPECT_TRUE(grads_ok([](fx::Array a, fx::Array b, fx::Array c) { return fx::einsum("ij,jk,k->i", a, b, c * c); },
                       {uniform(450, {2, 3}), uniform(451, {3, 4}), uniform(452, {4})}));
  // The gradient of the trace is the identity.
  EXPECT_EQ(values(fx::grad([](fx::Array a) { return fx::einsum("ii->", a); })(uniform(453, {3, 3}))),
            values(fx::eye(3)));
}

TEST(Rules, LayoutOperations) {
  const fx::Array x = uniform(500, {2, 3, 4});
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::reshape(v * v, {4, 6}); }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::reshape(fx::sin(v), {-1}); }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::reshape(v * v, {}); }, {uniform(501, {1, 1})}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::transpose(v * v); }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::transpose(v * v, {1, 2, 0}); }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::transpose(fx::sin(v), {2, 0, 1}).T(); }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::broadcast_to(v * v, {2, 4, 3}); }, {uniform(502, {3})}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::broadcast_to(v * v, {3, 2, 4}); }, {uniform(503, {2, 1})}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::broadcast_to(v * v, {2, 3}); }, {uniform(504, {})}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::expand_dims(v * v, 1); }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::expand_dims(v * v, -1); }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::squeeze(v * v); }, {uniform(505, {1, 3, 1})}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::squeeze(v * v, {2}); }, {uniform(506, {1, 3, 1})}));
}

TEST(Rules, ConcatenateAndStack) {
  const fx::Array a = uniform(510, {2, 3}), b = uniform(511, {4, 3}), c = uniform(512, {2, 1});
  EXPECT_TRUE(grads_ok([](fx::Array p, fx::Array q) { return fx::concatenate({p * q[0], fx::sin(q)}, 0); }, {a, b}));
  EXPECT_TRUE(grads_ok([](fx::Array p, fx::Array q) { return fx::concatenate({p * p, q, p}, 1); }, {a, c}));
  // One operand that does not depend on the input (a symbolic-zero tangent).
  EXPECT_TRUE(grads_ok([](fx::Array p) { return fx::concatenate({fx::ones({1, 3}), p * p}, 0); }, {a}));
  for (int64_t axis : {0, 1, 2, -1}) {
    SCOPED_TRACE("stack axis " + std::to_string(axis));
    EXPECT_TRUE(grads_ok([axis](fx::Array p, fx::Array q) { return fx::stack({p * q, fx::exp(p), q}, axis); },
                         {a, uniform(513, {2, 3})}));
  }
  EXPECT_TRUE(grads_ok([](fx::Array s, fx::Array t) { return fx::stack({s * t, s, t * t}); },
                       {uniform(514, {}), uniform(515, {})}));
}

TEST(Rules, Indexing) {
  const fx::Array x = uniform(520, {4, 3});
  for (int64_t i : {0, 2, 3, -1, -4}) {
    SCOPED_TRACE("x[" + std::to_string(i) + "]");
    EXPECT_TRUE(grads_ok([i](fx::Array v) { return (v * v)[i]; }, {x}));
  }
  EXPECT_TRUE(grads_ok([](fx::Array v) { return v[1][2] * v[0][0] + v[-1][1]; }, {x}));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::sin(v)[2]; }, {uniform(521, {5})}));  // 1-D gives 0-d
  EXPECT_TRUE(grads_ok([](fx::Array v) { return v[1][0][1] * v[0][1]; }, {uniform(522, {2, 2, 3})}));
  // The gradient of an element is a one-hot array.
  EXPECT_EQ(values(fx::grad([](fx::Array v) { return v[2]; })(uniform(523, {4}))), (std::vector<double>{0, 0, 1, 0}));
}

TEST(Rules, Astype) {
  const fx::Array x64 = uniform(530, {3}, -1, 1);
  // float64 -> float32 -> float64. The derivatives of the derivatives
  // compute in float32 inside float64-typed functions: float32 tolerances.
  EXPECT_TRUE(grads_ok([](fx::Array v) { return fx::sin(v.astype(fx::float32)) * 2.0f; }, {x64}, 2, fx::fwd | fx::rev,
                       1e-2));
  EXPECT_TRUE(grads_ok([](fx::Array v) { return (v * v).astype(fx::float64); }, {x64.astype(fx::float32)}));
  // Tangents and cotangents change dtype with the value.
  const auto f = [](fx::Array v) { return fx::sum(v.astype(fx::float32)); };
  EXPECT_EQ(fx::grad(f)(x64).dtype(), fx::float64);
  EXPECT_EQ(fx::jvp([](fx::Array v) { return v.astype(fx::float32); }, {x64}, {x64}).second.dtype(), fx::float32);
  // Through an integer conversion there is no derivative.
  EXPECT_EQ(values(fx::grad([](fx::Array v) { return fx::sum(v.astype(fx::int32).astype(fx::float64)); })(x64 * 4.0)),
            (std::vector<double>{0, 0, 0}));
}

// lax.slice with strides: the gradient of the sum of x[1:8:3] is 1 at the
// elements taken (1, 4, 7) and 0 elsewhere, and of x[2::2] (limit 9 is
// not reached exactly) at 2, 4, 6, 8.
TEST(Rules, StridedSliceReverseMode) {
  const fx::Array x = uniform(31, {9});
  auto strided = [](int64_t start, int64_t limit, int64_t stride) {
    return [=](fx::Array v) {
      return fx::sum(fx::lax::slice(v, {start}, {limit}, std::vector<int64_t>{stride}));
    };
  };
  EXPECT_EQ(values(fx::grad(strided(1, 8, 3))(x)), (std::vector<double>{0, 1, 0, 0, 1, 0, 0, 1, 0}));
  EXPECT_EQ(values(fx::grad(strided(2, 9, 2))(x)), (std::vector<double>{0, 0, 1, 0, 1, 0, 1, 0, 1}));
  const fx::Array m = uniform(32, {4, 6});
  EXPECT_TRUE(grads_ok([](fx::Array v) {
    return fx::lax::slice(v * v, {1, 0}, {4, 5}, std::vector<int64_t>{2, 3});
  }, {m}));
}

}  // namespace
