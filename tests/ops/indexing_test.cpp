// Tests of indexing (x(fx::s(...), ...)), fx::at(x, i).set/add/..., take and
// the lax indexing functions: what the NumPy oracle cannot show (JAX's
// out-of-bounds modes, errors, tracing, the programs JAX prints, derivatives
// through repeated indices).
#include <gtest/gtest.h>

#include <cmath>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;

std::vector<double> values(const fx::Array& x) { return x.astype(fx::float64).to_vector<double>(); }
fx::Array ints(std::vector<int32_t> v) {
  const auto n = static_cast<int64_t>(v.size());
  return fx::array_of<int32_t>(v, {n});
}

TEST(Indexing, SlicesIntegersNewAxesAndEllipsisAsNumPy) {
  const fx::Array x = fx::arange(24.0).reshape({2, 3, 4});
  EXPECT_EQ(x(1, fx::s(1, -1)).shape(), (fx::Shape{1, 4}));
  EXPECT_EQ(values(x(1, fx::s(1, -1))), (std::vector<double>{16, 17, 18, 19}));
  EXPECT_EQ(values(x(0, 0, fx::s({}, {}, -2))), (std::vector<double>{3, 1}));
  EXPECT_EQ(x(fx::ellipsis, 1).shape(), (fx::Shape{2, 3}));
  EXPECT_EQ(x(fx::newaxis, fx::all, fx::newaxis).shape(), (fx::Shape{1, 2, 1, 3, 4}));
  EXPECT_EQ(x().shape(), x.shape());
  EXPECT_EQ(fx::Array(3.0)(fx::newaxis).shape(), (fx::Shape{1}));
  EXPECT_EQ(x(fx::s(5, 9)).shape(), (fx::Shape{0, 3, 4}));  // slices clamp, as Python's
  // Advanced indices apart from each other put their axes first (NumPy's rule).
  EXPECT_EQ(x(ints({0, 1}), fx::all, ints({2, 3})).shape(), (fx::Shape{2, 3}));
  EXPECT_EQ(x(fx::all, ints({0, 1}), ints({2, 3})).shape(), (fx::Shape{2, 2}));
  EXPECT_EQ(x(0, fx::all, ints({2, 3})).shape(), (fx::Shape{2, 3}));
  EXPECT_EQ(values(x(fx::Index{1, -1}, 0, 0)), (std::vector<double>{12, 12}));  // x[[1, -1], 0, 0]
}

TEST(Indexing, OutOfBoundsFollowsJax) {
  const fx::Array v = fx::arange(5.0);
  // A static integer out of range is an error; array indices are clamped on
  // reads (promise_in_bounds) and dropped on writes (fill/drop).
  EXPECT_THROW(v(5), fx::IndexError);
  EXPECT_THROW(v(-6), fx::IndexError);
  EXPECT_EQ(values(v(ints({7, -9}))), (std::vector<double>{4, 0}));
  EXPECT_EQ(values(fx::at(v, ints({7, 1})).set(9.0)), (std::vector<double>{0, 9, 2, 3, 4}));
  EXPECT_EQ(values(fx::at(v, ints({7, 1})).set(9.0, {.mode = "clip"})), (std::vector<double>{0, 9, 2, 3, 9}));
  const std::vector<double> filled = values(fx::at(v, ints({7, 1})).get({.mode = "fill"}));
  EXPECT_TRUE(std::isnan(filled[0]));
  EXPECT_EQ(filled[1], 1.0);
  EXPECT_EQ(values(fx::at(v, ints({7})).get({.mode = "fill", .fill_value = -1.0})), (std::vector<double>{-1}));
  EXPECT_EQ(values(fx::take(v, ints({7, 2}), std::nullopt, {.mode = "clip"})), (std::vector<double>{4, 2}));
  EXPECT_TRUE(std::isnan(values(fx::take(v, ints({7})))[0]));  // jnp.take fills by default
  EXPECT_THROW(fx::at(v, 0).get({.mode = "wrap"}), fx::ValueError);
}

TEST(Indexing, UpdatesAccumulateRepeatedIndices) {
  const fx::Array v = fx::zeros({4});
  const fx::Array idx = ints({1, 1, 3, 1});
  EXPECT_EQ(values(fx::at(v, idx).add(1.0)), (std::vector<double>{0, 3, 0, 1}));
  EXPECT_EQ(values(fx::at(fx::ones({4}), idx).multiply(2.0)), (std::vector<double>{1, 8, 1, 2}));
  EXPECT_EQ(values(fx::at(v, idx).max(fx::array({5.0, 7.0, 2.0, 6.0}))), (std::vector<double>{0, 7, 0, 2}));
  EXPECT_EQ(values(fx::at(v, idx).min(fx::array({-5.0, 7.0, -2.0, 6.0}))), (std::vector<double>{0, -5, 0, -2}));
  EXPECT_EQ(values(fx::at(v, idx).subtract(1.0)), (std::vector<double>{0, -3, 0, -1}));
  EXPECT_EQ(values(fx::at(fx::full({4}, 8.0), ints({1, 1})).divide(2.0)), (std::vector<double>{8, 2, 8, 8}));
  // Values broadcast to the selection; integers keep x's dtype.
  const fx::Array m = fx::zeros({2, 3}, fx::int32);
  const fx::Array r = fx::at(m, fx::all, fx::s(1)).set(fx::array_of<int32_t>({4, 5}, {2}));
  EXPECT_EQ(r.dtype(), fx::int32);
  EXPECT_EQ(r.to_vector<int32_t>(), (std::vector<int32_t>{0, 4, 5, 0, 4, 5}));
}

TEST(Indexing, BooleanMasksNeedConcreteValues) {
  const fx::Array v = fx::array({3.0, -1.0, 4.0, -1.5});
  EXPECT_EQ(values(v(v > 0.0)), (std::vector<double>{3, 4}));
  EXPECT_EQ(values(fx::at(v, v < 0.0).set(0.0)), (std::vector<double>{3, 0, 4, 0}));
  EXPECT_THROW(fx::jit([](fx::Array a) { return a(a > 0.0); })(v), fx::ConcretizationError);
  EXPECT_THROW(fx::vmap([](fx::Array a) { return a(a > 0.0); })(v.reshape({2, 2})), fx::ConcretizationError);
  EXPECT_THROW(v(fx::array({true, false}, fx::bool_)), fx::IndexError);
}

TEST(Indexing, MalformedIndicesRaiseTypedErrors) {
  const fx::Array x = fx::ones({2, 3});
  EXPECT_THROW(x(0, 0, 0), fx::IndexError);
  EXPECT_THROW(x(fx::ellipsis, 0, fx::ellipsis), fx::IndexError);
  EXPECT_THROW(x(fx::s(0, 2, 0)), fx::ValueError);
  EXPECT_THROW(x(fx::array({0.0, 1.0})), fx::TypeError);
  try {
    x(0, 0, 0);
  } catch (const fx::IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("too many indices"), std::string::npos) << e.what();
  }
  try {
    x(2);
  } catch (const fx::IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("index 2 is out of bounds for axis 0 with size 2"), std::string::npos) << e.what();
  }
}

// The programs JAX 0.11 prints for x[i] with a traced scalar i and x[idx].
TEST(Indexing, JaxprsAreJaxs) {
  const fx::Array v = fx::arange(5.0), i = fx::array_of<int32_t>({1}, {});
  EXPECT_EQ(fx::make_jaxpr([](fx::Array a, fx::Array k) { return a(k); })(v, i).str(),
            "{ lambda ; a:f64[5] b:i32[]. let\n"
            "    c:bool[] = lt b 0:i32[]\n"
            "    d:i32[] = add b 5:i32[]\n"
            "    e:i32[] = select_n c b d\n"
            "    f:f64[1] = dynamic_slice[slice_sizes=(1,)] a e\n"
            "    g:f64[] = squeeze[dimensions=(0,)] f\n"
            "  in (g,) }");
  const std::string gather = fx::make_jaxpr([](fx::Array a, fx::Array k) { return a(k); })(v, ints({1, 2})).str();
  EXPECT_NE(gather.find("gather[\n      dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0,), "
                        "start_index_map=(0,), operand_batching_dims=(), start_indices_batching_dims=())\n"
                        "      fill_value=None\n      indices_are_sorted=False\n"
                        "      mode=GatherScatterMode.PROMISE_IN_BOUNDS\n      slice_sizes=(1,)\n      unique_indices=False\n"),
            std::string::npos)
      << gather;
  const std::string slice = fx::make_jaxpr([](fx::Array a) { return a(fx::s(1, {}, 2)); })(v).str();
  EXPECT_NE(slice.find("slice[limit_indices=(4,) start_indices=(1,) strides=(2,)] a"), std::string::npos) << slice;
}

TEST(Indexing, DerivativesThroughGathersAndScatters) {
  const fx::Array v = fx::array({0.5, 1.0, 1.5, 2.0});
  const fx::Array idx = ints({1, 1, 3});
  // Repeated reads add their cotangents.
  const auto f = [idx](fx::Array a) { return fx::sum(fx::sin(a(idx))); };
  const std::vector<double> g = values(fx::grad(f)(v));
  EXPECT_DOUBLE_EQ(g[1], 2 * std::cos(1.0));
  EXPECT_DOUBLE_EQ(g[3], std::cos(2.0));
  EXPECT_EQ(g[0], 0.0);
  // set: the overwritten element gets no gradient, the winning update all of it.
  const auto h = [](fx::Array a) { return fx::sum(fx::at(a, ints({0, 0})).set(a(fx::s(2)) * 3.0)); };
  EXPECT_EQ(values(fx::grad(h)(v)), (std::vector<double>{0, 1, 1, 4}));
  fx::check_grads([idx](fx::Array a) { return fx::at(a * a, idx).add(fx::exp(a(fx::s(0, 3)))); }, {v}, 2);
  // scatter-mul through repeated indices: JAX has no rule for the updates either.
  const auto m = [idx](fx::Array a) { return fx::sum(fx::at(fx::ones({4}), idx).multiply(a(fx::s(0, 3)))); };
  EXPECT_THROW(fx::grad(m)(v), fx::Error);
  EXPECT_NO_THROW(fx::grad([](fx::Array a) {
    return fx::sum(fx::at(fx::ones({4}), ints({0, 2})).multiply(a(fx::s(0, 2)), {.unique_indices = true}));
  })(v));
}

TEST(Indexing, UnderJitAndVmap) {
  const fx::Array x = fx::arange(12.0).reshape({3, 4});
  const auto f = [](fx::Array a, fx::Array i) { return fx::at(a, i, fx::s({}, {}, -1)).add(a(i) * 2.0) + a(i, fx::newaxis); };
  const fx::Array i = fx::array_of<int32_t>({2}, {});
  EXPECT_EQ(values(fx::jit(f)(x, i)), values(f(x, i)));
  const fx::Array is = ints({0, 2, 1});
  const fx::Array batched = fx::vmap([&](fx::Array k) { return f(x, k); })(is);
  for (int64_t b = 0; b < 3; ++b) EXPECT_EQ(values(batched[b]), values(f(x, is[b])));
}

TEST(LaxIndexing, PadRevAndDynamicSlicesClampAsXla) {
  const fx::Array v = fx::arange(5.0);
  EXPECT_EQ(values(fx::lax::pad(v, fx::Array(-1.0), {{-1, 1, 1}})),
            (std::vector<double>{-1, 1, -1, 2, -1, 3, -1, 4, -1}));
  EXPECT_EQ(values(fx::lax::rev(v, {0})), (std::vector<double>{4, 3, 2, 1, 0}));
  EXPECT_EQ(values(fx::flip(fx::arange(4.0).reshape({2, 2}))), (std::vector<double>{3, 2, 1, 0}));
  EXPECT_EQ(values(fx::lax::dynamic_slice(v, {fx::Array(4)}, {2})), (std::vector<double>{3, 4}));
  EXPECT_EQ(values(fx::lax::dynamic_slice(v, {fx::Array(-2)}, {2})), (std::vector<double>{3, 4}));
  EXPECT_EQ(values(fx::lax::dynamic_update_slice(v, fx::array({9.0, 9.0}), {fx::Array(7)})),
            (std::vector<double>{0, 1, 2, 9, 9}));
  EXPECT_EQ(values(fx::lax::dynamic_index_in_dim(v, fx::Array(1), 0, false)), (std::vector<double>{1}));
  EXPECT_THROW(fx::lax::pad(v, fx::Array(0.0), {{-4, -2, 0}}), fx::ShapeError);
  EXPECT_THROW(fx::lax::pad(v, fx::zeros({2}), {{1, 1, 0}}), fx::ShapeError);
  EXPECT_THROW(fx::lax::dynamic_slice(v, {fx::Array(0.5)}, {2}), fx::TypeError);
  EXPECT_THROW(fx::lax::dynamic_slice(v, {fx::Array(0)}, {6}), fx::ShapeError);
  fx::check_grads([](fx::Array a) { return fx::lax::pad(a, a(0), {{2, -1, 2}}); }, {v}, 2);
}

TEST(LaxIndexing, ClampAndIsFiniteBindTheirPrimitives) {
  const fx::Array x = fx::array({-2.0, 0.5, fx::inf, fx::nan});
  const std::vector<double> c = values(fx::lax::clamp(fx::Array(-1.0), x, fx::Array(1.0)));
  EXPECT_EQ(c[0], -1.0);
  EXPECT_EQ(c[1], 0.5);
  EXPECT_EQ(c[2], 1.0);
  EXPECT_TRUE(std::isnan(c[3]));
  EXPECT_EQ(fx::lax::is_finite(x).to_vector<bool>(), (std::vector<bool>{true, true, false, false}));
  EXPECT_THROW(fx::lax::clamp(fx::Array(0.0f), x, fx::Array(1.0)), fx::TypeError);
  EXPECT_NE(fx::make_jaxpr([](fx::Array a) { return fx::lax::clamp(fx::Array(0.0), a, fx::Array(1.0)); })(x).str().find("clamp"),
            std::string::npos);
}

TEST(LaxIndexing, TakeAlongAxisWithArgsort) {
  const fx::Array x = fx::array({{3.0, 1.0, 2.0}, {0.0, 5.0, 4.0}});
  const fx::Array order = fx::argsort(x, 1);
  EXPECT_EQ(values(fx::take_along_axis(x, order, 1)), (std::vector<double>{1, 2, 3, 0, 4, 5}));
  EXPECT_THROW(fx::take_along_axis(x, order.reshape({6}), 0), fx::ShapeError);
}

}  // namespace

namespace {

// jnp.interp differentiates in the points, the knots and the values alike.
TEST(Interp, DifferentiableInEveryArgument) {
  const fx::Array x = fx::array({-0.7, 0.3, 1.2, 2.9}), xp = fx::array({-1.0, 0.0, 1.0, 2.5, 3.0});
  const fx::Array fp = fx::array({0.5, -1.0, 2.0, 0.25, 1.0});
  fx::check_grads([](fx::Array a, fx::Array b, fx::Array c) { return fx::interp(a, b, c); }, {x, xp, fp}, 2);
  EXPECT_EQ(values(fx::interp(fx::array({-5.0, 5.0}), xp, fp, fx::Array(-9.0), fx::Array(9.0))),
            (std::vector<double>{-9, 9}));
  EXPECT_THROW(fx::interp(x, xp, fp(fx::s(1))), fx::ShapeError);
}

}  // namespace
