// Taylor rules of the structural, reduction, indexing and linalg primitives
// beyond the registry walk (taylor_rules_test.cpp, order 3): order 6 for the
// rules with recurrences of their own (dot_general, reduce_prod, cumprod,
// sort, triangular_solve, cholesky), ties of the choosing reductions,
// repeated indices, operands that do not move, and jet under vmap and jit.
// The oracle is the same as the walk's: the derivatives of f along the path
// x(t) = x0 + Σ h_k t^k / k!, one jvp nested per order.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "autodiff_util.hpp"
#include "nested_derivatives.hpp"
#include "fluxion/fluxion.hpp"
#include "primitives/lax.hpp"

namespace {

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;
using Fn = std::function<fx::Array(const Arrays&)>;
using autodiff_test::uniform;

using jet_test::factorial;
using jet_test::nested_derivatives;

// K random terms for each argument listed in `moving`; none for the others.
std::vector<Arrays> random_series(const Arrays& args, size_t order, const std::vector<bool>& moving, uint64_t seed) {
  std::vector<Arrays> series(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    if (!moving[i]) continue;
    for (size_t k = 0; k < order; ++k)
      series[i].push_back(uniform(seed + 10 * i + k, args[i].shape(), -1.0, 1.0, args[i].dtype()));
  }
  return series;
}

::testing::AssertionResult close(const fx::Array& got, const fx::Array& want, double tol, const std::string& what) {
  if (got.shape() != want.shape())
    return ::testing::AssertionFailure() << what << ": shape " << fx::to_string(got.aval()) << ", want "
                                         << fx::to_string(want.aval());
  const std::vector<double> g = got.astype(fx::float64).to_vector<double>();
  const std::vector<double> w = want.astype(fx::float64).to_vector<double>();
  double scale = 1.0;
  for (double v : w) scale = std::max(scale, std::abs(v));
  for (size_t i = 0; i < g.size(); ++i)
    if (!(std::abs(g[i] - w[i]) <= tol * scale))
      return ::testing::AssertionFailure() << what << ", element " << i << ": " << g[i] << ", want " << w[i];
  return ::testing::AssertionSuccess();
}

// jet of f at `args` (the arguments flagged in `moving` move) against nested jvp.
::testing::AssertionResult jet_matches_nested(const Fn& f, const Arrays& args, size_t order,
                                              std::vector<bool> moving = {}, double tol = 1e-9) {
  if (moving.empty()) moving.assign(args.size(), true);
  const std::vector<Arrays> series = random_series(args, order, moving, 700);
  auto [outs, terms] = fx::detail::jet_core([&](const Arrays& a) { return Arrays{f(a)}; }, args, series);
  if (auto r = close(outs[0], f(args), tol, "value"); !r) return r;
  const Arrays want = nested_derivatives(f, args, series, order);
  if (terms[0].size() != order) return ::testing::AssertionFailure() << terms[0].size() << " terms, want " << order;
  for (size_t k = 0; k < order; ++k)
    if (auto r = close(terms[0][k], want[k], tol, "term " + std::to_string(k + 1)); !r) return r;
  return ::testing::AssertionSuccess();
}

constexpr size_t kHigh = 6;

TEST(TaylorStructural, DotGeneralOrderSix) {
  const Fn batched = [](const Arrays& a) { return fx::matmul(a[0], a[1]); };
  const Arrays args{uniform(1, {2, 3, 4}), uniform(2, {2, 4, 2})};
  EXPECT_TRUE(jet_matches_nested(batched, args, kHigh));
  // One factor fixed: each order is a single product with the other's term.
  EXPECT_TRUE(jet_matches_nested(batched, args, kHigh, {true, false}));
  EXPECT_TRUE(jet_matches_nested(batched, args, kHigh, {false, true}));
  // A product of three: the series of the inner product feeds the outer one.
  const Fn chain = [](const Arrays& a) { return fx::matmul(fx::matmul(a[0], a[0]), fx::sin(a[0])); };
  EXPECT_TRUE(jet_matches_nested(chain, {uniform(3, {3, 3})}, kHigh));
}

TEST(TaylorStructural, ReduceProdOrderSixThroughZeros) {
  // A zero factor (and a row of two): the tree of products needs no division.
  const fx::Array x = fx::array({{0.5, 0.0, -1.2, 0.8}, {1.1, 0.0, 0.0, -0.7}, {0.9, 1.3, -0.4, 0.6}});
  EXPECT_TRUE(jet_matches_nested([](const Arrays& a) { return fx::prod(a[0], {1}); }, {x}, kHigh));
  EXPECT_TRUE(jet_matches_nested([](const Arrays& a) { return fx::prod(a[0]); }, {x}, kHigh));
  // Several axes, an odd count at several levels of the tree.
  EXPECT_TRUE(jet_matches_nested([](const Arrays& a) { return fx::prod(a[0], {0, 2}); }, {uniform(4, {3, 2, 5})}, kHigh));
}

TEST(TaylorStructural, CumprodOrderSixBothWays) {
  const fx::Array x = fx::array({{0.5, 0.0, -1.2, 0.8, 1.4}, {1.1, 0.7, 2.0, -0.7, 0.3}});
  for (bool reverse : {false, true}) {
    SCOPED_TRACE(reverse ? "reverse" : "forward");
    EXPECT_TRUE(jet_matches_nested([=](const Arrays& a) { return fx::lax::cumprod(a[0], 1, reverse); }, {x}, kHigh));
  }
}

TEST(TaylorStructural, SortOrderSix) {
  // The keys move too, and carry a second operand with them.
  const Fn f = [](const Arrays& a) {
    const Arrays sorted = fx::lax::sort({a[0] * a[0], a[1]}, 1);
    return sorted[0] * fx::sin(sorted[1]);
  };
  EXPECT_TRUE(jet_matches_nested(f, {uniform(5, {3, 4}), uniform(6, {3, 4})}, kHigh));
  EXPECT_TRUE(jet_matches_nested(f, {uniform(5, {3, 4}), uniform(6, {3, 4})}, kHigh, {false, true}));
}

TEST(TaylorStructural, ReduceMaxAndCummaxSplitTies) {
  // Two positions tie for the maximum: every term is their average, as the
  // JVP splits the tangent.
  const fx::Array x = fx::array({1.0, 3.0, -2.0, 3.0});
  const Arrays series{fx::array({0.5, 1.0, 0.25, 2.0}), fx::array({-1.0, 4.0, 1.0, -6.0})};
  auto [y, ys] = fx::jet([](fx::Array v) { return fx::max(v); }, {x}, {series});
  EXPECT_EQ(y.item<double>(), 3.0);
  EXPECT_DOUBLE_EQ(ys[0].item<double>(), 1.5);
  EXPECT_DOUBLE_EQ(ys[1].item<double>(), -1.0);
  const Fn reduce = [](const Arrays& a) { return fx::max(a[0] * a[0], {1}) + fx::min(a[0], {1}); };
  const fx::Array tied = fx::array({{1.0, -2.0, 2.0}, {-2.0, 0.5, -2.0}});
  EXPECT_TRUE(jet_matches_nested(reduce, {tied}, kHigh));
  const Fn cumulative = [](const Arrays& a) { return fx::lax::cummax(a[0], 0) * fx::lax::cummin(a[0], 0, true); };
  EXPECT_TRUE(jet_matches_nested(cumulative, {fx::array({1.0, 3.0, 3.0, -1.0, 3.0, 0.5})}, kHigh));
}

TEST(TaylorStructural, GatherAndScatterWithRepeatedIndices) {
  const fx::Array repeated = fx::array_of<int32_t>({2, 0, 2, 1}, {4});
  const fx::Array x = uniform(7, {3, 2}), v = uniform(8, {4, 2});
  const Fn gather = [=](const Arrays& a) { return fx::take(a[0], repeated, 0) * fx::exp(fx::take(a[0], repeated, 0)); };
  EXPECT_TRUE(jet_matches_nested(gather, {x}, kHigh));
  const Fn add = [=](const Arrays& a) { return fx::sin(fx::at(a[0], repeated).add(a[1] * a[1])); };
  EXPECT_TRUE(jet_matches_nested(add, {x, v}, kHigh));
  const Fn set = [=](const Arrays& a) { return fx::cos(fx::at(a[0], repeated).set(fx::exp(a[1]))); };
  EXPECT_TRUE(jet_matches_nested(set, {x, v}, kHigh));
  EXPECT_TRUE(jet_matches_nested(set, {x, v}, kHigh, {false, true}));
  // scatter-max with a tie between two updates and the operand.
  const fx::Array ties = fx::array({{0.5, 0.25}, {-1.0, 2.0}, {0.5, 0.0}, {0.0, -1.0}});
  const Fn max = [=](const Arrays& a) { return fx::at(a[0], repeated).max(a[1]) * a[0]; };
  EXPECT_TRUE(jet_matches_nested(max, {fx::array({{0.5, 0.0}, {0.3, 1.0}, {0.0, 3.0}}), ties}, kHigh));
  // scatter-mul in its updates (unique indices) and in its operand.
  const fx::Array unique = fx::array_of<int32_t>({2, 0}, {2});
  const Fn mul = [=](const Arrays& a) { return fx::at(a[0], unique).multiply(fx::cos(a[1]), {.unique_indices = true}); };
  EXPECT_TRUE(jet_matches_nested(mul, {x, uniform(9, {2, 2})}, kHigh));
  EXPECT_TRUE(jet_matches_nested(mul, {x, uniform(9, {2, 2})}, kHigh, {true, false}));
  EXPECT_TRUE(jet_matches_nested(mul, {x, uniform(9, {2, 2})}, kHigh, {false, true}));
}

TEST(TaylorStructural, GatherFillsTermsWithZeros) {
  // jnp.take's default mode fills out-of-bounds reads with NaN; their
  // tangents and terms are zeros, as JAX's gather JVP passes fill_value=0.
  const fx::Array outside = fx::array_of<int32_t>({1, 5}, {2});
  const auto take = [=](fx::Array v) { return fx::take(v, outside); };
  const fx::Array x = fx::array({0.5, -1.0, 2.0});
  auto [y, ys] = fx::jet(take, {x}, {{fx::array({1.0, 2.0, 3.0}), fx::array({4.0, 5.0, 6.0})}});
  EXPECT_TRUE(std::isnan(y.to_vector<double>()[1]));
  EXPECT_EQ(ys[0].to_vector<double>(), (std::vector<double>{2.0, 0.0}));
  EXPECT_EQ(ys[1].to_vector<double>(), (std::vector<double>{5.0, 0.0}));
  EXPECT_EQ(fx::jvp(take, {x}, {fx::ones_like(x)}).second.to_vector<double>(), (std::vector<double>{1.0, 0.0}));
}

TEST(TaylorStructural, LinearAlgebra) {
  // det goes through lu, solve through lu and triangular_solve.
  const fx::Array a = uniform(10, {3, 3}) + fx::eye(3) * 3.0, b = uniform(11, {3, 2});
  EXPECT_TRUE(jet_matches_nested([](const Arrays& m) { return fx::linalg::det(m[0]); }, {a}, kHigh, {}, 1e-8));
  EXPECT_TRUE(jet_matches_nested([](const Arrays& m) { return fx::linalg::solve(m[0], m[1]); }, {a, b}, kHigh, {}, 1e-8));
  // lu's recurrence on square, tall and wide matrices (batched).
  const Fn lu = [](const Arrays& m) { return std::get<0>(fx::lax::linalg::lu(m[0])); };
  for (const fx::Shape& shape : {fx::Shape{2, 3, 3}, fx::Shape{4, 2}, fx::Shape{2, 4}}) {
    SCOPED_TRACE(fx::to_string(fx::AbstractValue{shape, fx::float64}));
    EXPECT_TRUE(jet_matches_nested(lu, {uniform(14, shape)}, kHigh, {}, 1e-8));
  }
  // triangular_solve's own recurrence: the matrix moving, or only b.
  for (bool lower : {true, false})
    for (int trans : {0, 1}) {
      SCOPED_TRACE(std::to_string(lower) + std::to_string(trans));
      const Fn solve = [=](const Arrays& m) { return fx::linalg::solve_triangular(m[0], m[1], trans, lower); };
      EXPECT_TRUE(jet_matches_nested(solve, {a, b}, kHigh, {}, 1e-8));
      EXPECT_TRUE(jet_matches_nested(solve, {a, b}, kHigh, {false, true}, 1e-8));
    }
  const Fn unit = [](const Arrays& m) { return fx::linalg::solve_triangular(m[0], m[1], 0, true, true); };
  EXPECT_TRUE(jet_matches_nested(unit, {a, b}, kHigh, {}, 1e-8));
  // X op(A) = B: the terms of A multiply from the right.
  for (bool transpose_a : {false, true}) {
    SCOPED_TRACE(transpose_a ? "right side, transposed" : "right side");
    const Fn right = [=](const Arrays& m) {
      return fx::lax::linalg::triangular_solve(m[0], m[1].T(), false, true, transpose_a);
    };
    EXPECT_TRUE(jet_matches_nested(right, {a, b}, kHigh, {}, 1e-8));
    EXPECT_TRUE(jet_matches_nested(right, {a, b}, kHigh, {true, false}, 1e-8));
  }
  // qr's recurrence: tall (reduced), square, wide; a tall matrix's full Q
  // goes through the JVP's jet.
  for (bool full : {false, true})
    for (const fx::Shape& shape : {fx::Shape{4, 3}, fx::Shape{2, 3, 3}, fx::Shape{2, 4}}) {
      SCOPED_TRACE(fx::to_string(fx::AbstractValue{shape, fx::float64}) + (full ? " full" : " reduced"));
      const Fn q = [=](const Arrays& m) { return std::get<0>(fx::lax::linalg::qr(m[0], full)); };
      const Fn r = [=](const Arrays& m) { return std::get<1>(fx::lax::linalg::qr(m[0], full)); };
      EXPECT_TRUE(jet_matches_nested(q, {uniform(16, shape)}, kHigh, {}, 1e-8));
      EXPECT_TRUE(jet_matches_nested(r, {uniform(16, shape)}, kHigh, {}, 1e-8));
    }
  // eigh's recurrence, its eigenvectors squared (their signs are LAPACK's)
  // along a symmetrised path (fx::linalg's default).
  const fx::Array spread = fx::array({{4.0, 0.5, -0.3}, {0.5, 1.0, 0.4}, {-0.3, 0.4, -2.5}});
  const Fn values = [](const Arrays& m) { return fx::lax::linalg::eigh(m[0]).second; };
  const Fn squares = [](const Arrays& m) {
    const fx::Array v = fx::lax::linalg::eigh(m[0]).first;
    return v * v;
  };
  EXPECT_TRUE(jet_matches_nested(values, {spread}, kHigh, {}, 1e-8));
  EXPECT_TRUE(jet_matches_nested(squares, {spread}, kHigh, {}, 1e-8));
  // The primitive alone along a path that is not symmetric: its JVP takes the
  // raw tangent, whose skew part moves the vectors' tangent (not the
  // eigenvalues) and not the primal, so the nested derivatives of the
  // vectors themselves (not of functions of them, which see the primal's
  // true derivative) are the rule's terms.
  const Fn raw_values = [](const Arrays& m) { return fx::lax::linalg::eigh(m[0], true, false).second; };
  const Fn raw_vectors = [](const Arrays& m) { return fx::lax::linalg::eigh(m[0], true, false).first; };
  EXPECT_TRUE(jet_matches_nested(raw_values, {spread}, kHigh, {}, 1e-8));
  EXPECT_TRUE(jet_matches_nested(raw_vectors, {spread}, kHigh, {}, 1e-8));
  // svd's recurrence: singular values, and u, vt squared (a singular pair's
  // sign is LAPACK's), of tall, wide and square matrices.
  for (const fx::Shape& shape : {fx::Shape{4, 3}, fx::Shape{2, 3}, fx::Shape{2, 3, 3}}) {
    SCOPED_TRACE(fx::to_string(fx::AbstractValue{shape, fx::float64}));
    const Fn svd = [](const Arrays& m) {
      auto [u, s, vt] = fx::lax::linalg::svd(m[0], false);
      return fx::concatenate({s.reshape({-1}), (u * u).reshape({-1}), (vt * vt).reshape({-1})});
    };
    const Fn values = [](const Arrays& m) { return fx::lax::linalg::singular_values(m[0]); };
    EXPECT_TRUE(jet_matches_nested(svd, {uniform(17, shape)}, kHigh, {}, 1e-8));
    EXPECT_TRUE(jet_matches_nested(values, {uniform(17, shape)}, kHigh, {}, 1e-8));
  }
  // cholesky of a symmetric positive-definite path (its rule, like the JVP's,
  // assumes symmetric terms).
  const Fn chol = [](const Arrays& m) { return fx::linalg::cholesky(fx::matmul(m[0], m[0].T()) + fx::eye(3)); };
  EXPECT_TRUE(jet_matches_nested(chol, {uniform(12, {3, 3})}, kHigh, {}, 1e-8));
}

// A function touching most of the rules above, and its Taylor terms.
fx::Array mixed(const fx::Array& x) {
  const fx::Array m = fx::matmul(x, x.T());
  return fx::prod(m, {1}) + fx::max(x, {1}) * fx::lax::cumprod(fx::sin(x), 1)(fx::all, 2) +
         fx::lax::sort({x}, 1, 1)[0](fx::all, 0);
}

fx::Array third_term(const fx::Array& x) {
  auto [y, ys] = fx::jet(mixed, {x}, {{fx::ones_like(x), fx::zeros_like(x), x}});
  return fx::stack({y, ys[0], ys[1], ys[2]});
}

// The linalg and indexing rules (lu, triangular_solve, cholesky, gather,
// scatter-max) in one function of a 3 x 3 matrix.
fx::Array solved(const fx::Array& x) {
  const fx::Array a = fx::matmul(x, x.T()) + fx::eye(3);
  const fx::Array idx = fx::array_of<int32_t>({2, 0, 2}, {3});
  const fx::Array s = fx::linalg::solve(a, fx::take(x, idx, 0));
  return fx::sum(fx::at(fx::linalg::cholesky(a), idx).max(s), {1});
}

fx::Array solved_terms(const fx::Array& x) {
  auto [y, ys] = fx::jet(solved, {x}, {{x, fx::ones_like(x), fx::zeros_like(x), x * x}});
  return fx::stack({y, ys[0], ys[1], ys[2], ys[3]});
}

TEST(TaylorStructural, JetUnderVmapAndJit) {
  const fx::Array xs = uniform(13, {4, 2, 3});
  const fx::Array batched = fx::vmap(third_term)(xs);
  const fx::Array compiled = fx::jit(third_term)(xs(1));
  for (int64_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    const fx::Array one = third_term(xs(i));
    EXPECT_TRUE(close(batched(i), one, 1e-12, "vmap"));
    if (i == 1) {
      EXPECT_TRUE(close(compiled, one, 1e-12, "jit"));
    }
  }
  EXPECT_TRUE(jet_matches_nested([](const Arrays& a) { return mixed(a[0]); }, {xs(0)}, 5));
  const fx::Array ms = uniform(15, {3, 3, 3});
  const fx::Array batched_solves = fx::vmap(solved_terms)(ms);
  const fx::Array compiled_solve = fx::jit(solved_terms)(ms(2));
  for (int64_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const fx::Array one = solved_terms(ms(i));
    EXPECT_TRUE(close(batched_solves(i), one, 1e-11, "vmap"));
    if (i == 2) {
      EXPECT_TRUE(close(compiled_solve, one, 1e-11, "jit"));
    }
  }
  EXPECT_TRUE(jet_matches_nested([](const Arrays& a) { return solved(a[0]); }, {ms(0)}, 4, {}, 1e-8));
}

}  // namespace
