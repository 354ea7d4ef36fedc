// Tests of the jnp functions built from existing primitives: edge cases, errors and derivatives.
// Values over many inputs and dtypes are the NumPy oracle's (tests/oracle/cases_numpy.py).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "fluxion/fluxion.hpp"

namespace fx = fluxion;

namespace {

using Arrays = std::vector<fx::Array>;

// Distinct values, so sorting (quantile, median) has no ties to choose between.
fx::Array sample(const fx::Shape& shape, double scale = 1.0, double shift = 0.0) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<double> v;
  for (int64_t i = 0; i < n; ++i) v.push_back(scale * std::sin(1.7 * static_cast<double>(i) + 0.3) + shift);
  return fx::array(v, shape);
}

struct GradCase {
  const char* name;
  std::function<fx::Array(const Arrays&)> f;
  Arrays args;
};

}  // namespace

// Every differentiable function, to second order in both modes.
TEST(NumpyFunctions, DerivativesMatchFiniteDifferences) {
  const fx::Array m = sample({3, 4}), v = sample({5}, 2.0), t = sample({2, 3, 3});
  const std::vector<GradCase> cases = {
      {"var", [](const Arrays& a) { return fx::var(a[0], {1}, 1); }, {m}},
      {"var keepdims", [](const Arrays& a) { return fx::var(a[0], {}, 0, true); }, {m}},
      {"std", [](const Arrays& a) { return fx::std(a[0], {0}); }, {m}},
      {"average", [](const Arrays& a) { return fx::average(a[0], {1}, a[1]); }, {m, sample({4}, 0.5, 1.5)}},
      {"average unweighted", [](const Arrays& a) { return fx::average(a[0], {0}); }, {m}},
      {"median", [](const Arrays& a) { return fx::median(a[0], {1}); }, {m}},
      {"median all", [](const Arrays& a) { return fx::median(a[0]); }, {t}},
      {"quantile linear", [](const Arrays& a) { return fx::quantile(a[0], fx::array({0.1, 0.5, 0.95}), {0}); }, {m}},
      {"quantile nearest", [](const Arrays& a) { return fx::quantile(a[0], 0.3, {0, 2}, "nearest", true); }, {t}},
      {"percentile", [](const Arrays& a) { return fx::percentile(a[0], 40.0, {-1}); }, {m}},
      {"cov", [](const Arrays& a) { return fx::cov(a[0]); }, {m}},
      {"cov columns", [](const Arrays& a) { return fx::cov(a[0], false, true); }, {m}},
      {"corrcoef", [](const Arrays& a) { return fx::corrcoef(a[0]); }, {m}},
      {"polyval", [](const Arrays& a) { return fx::polyval(a[0], a[1]); }, {sample({4}), v}},
      {"tril", [](const Arrays& a) { return fx::tril(a[0], -1); }, {t}},
      {"triu", [](const Arrays& a) { return fx::triu(a[0], 1); }, {m}},
      {"diagonal batched", [](const Arrays& a) { return fx::diagonal(a[0], 1, 1, 2); }, {t}},
      {"diagonal negative offset", [](const Arrays& a) { return fx::diagonal(a[0], -1, 1, 0); }, {m}},
      {"diag of a vector", [](const Arrays& a) { return fx::diag(a[0], -2); }, {v}},
      {"diag of a matrix", [](const Arrays& a) { return fx::diag(a[0], 1); }, {m}},
      {"trace", [](const Arrays& a) { return fx::trace(a[0], 0, 2, 1); }, {t}},
      {"roll", [](const Arrays& a) { return fx::roll(a[0], {1, -2}, {0, 1}); }, {m}},
      {"roll flat", [](const Arrays& a) { return fx::roll(a[0], 5); }, {m}},
      {"tile", [](const Arrays& a) { return fx::tile(a[0], {2, 1, 2}); }, {m}},
      {"repeat", [](const Arrays& a) { return fx::repeat(a[0], 2, 1); }, {m}},
      {"repeat counts", [](const Arrays& a) { return fx::repeat(a[0], {2, 0, 1}, 0); }, {m}},
      {"split", [](const Arrays& a) { return fx::split(a[0], {1, 3}, 1)[1] * 2.0; }, {m}},
      {"array_split", [](const Arrays& a) { return fx::array_split(a[0], 3)[2]; }, {v}},
      {"diff", [](const Arrays& a) { return fx::diff(a[0], 2, 0, a[1]); }, {m, sample({1, 4})}},
  };
  for (const GradCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_NO_THROW(fx::check_grads(c.f, c.args, 2, fx::fwd | fx::rev)) << c.name;
  }
}

// vmap of each function equals the function applied to each slice.
TEST(NumpyFunctions, BatchesAsSlices) {
  const fx::Array xs = sample({3, 4, 5});
  const std::vector<std::pair<const char*, std::function<fx::Array(const fx::Array&)>>> fns = {
      {"var", [](const fx::Array& x) { return fx::var(x, {1}, 1); }},
      {"quantile", [](const fx::Array& x) { return fx::quantile(x, fx::array({0.25, 0.5}), {0}); }},
      {"median", [](const fx::Array& x) { return fx::median(x); }},
      {"diagonal", [](const fx::Array& x) { return fx::diagonal(x, 1); }},
      {"tril", [](const fx::Array& x) { return fx::tril(x); }},
      {"trace", [](const fx::Array& x) { return fx::trace(x); }},
      {"roll", [](const fx::Array& x) { return fx::roll(x, 2, 1); }},
      {"repeat", [](const fx::Array& x) { return fx::repeat(x, {1, 2, 0, 1}, 0); }},
      {"diff", [](const fx::Array& x) { return fx::diff(x); }},
      {"argsort", [](const fx::Array& x) { return fx::argsort(x, 0, true, true); }},
      {"searchsorted", [](const fx::Array& x) { return fx::searchsorted(fx::array({-0.5, 0.0, 0.5}), x); }},
      {"cov", [](const fx::Array& x) { return fx::cov(x); }},
  };
  for (const auto& [name, f] : fns) {
    SCOPED_TRACE(name);
    const fx::Array batched = fx::vmap(f)(xs);
    Arrays each;
    for (int64_t i = 0; i < 3; ++i) each.push_back(f(xs[i]));
    const fx::Array want = fx::stack(each);
    ASSERT_EQ(batched.shape(), want.shape());
    ASSERT_EQ(batched.dtype(), want.dtype());
    EXPECT_EQ(batched.astype(fx::float64).to_vector<double>(), want.astype(fx::float64).to_vector<double>());
  }
}

TEST(NumpyFunctions, CompiledEqualsEager) {
  const fx::Array x = sample({4, 6});
  auto f = [](const fx::Array& a) {
    return fx::quantile(a, fx::array({0.2, 0.7}), {1}) + fx::sum(fx::diagonal(a, 1)) + fx::var(a, {0}, 1)[0] +
           fx::sum(fx::tril(fx::roll(a, 1, 0)));
  };
  EXPECT_EQ(fx::jit(f)(x).to_vector<double>(), f(x).to_vector<double>());
}

TEST(NumpyFunctions, StatisticsFollowJax) {
  const fx::Array x = fx::array({1., 2., 3., 4.});
  EXPECT_TRUE(std::isnan(fx::var(x, {}, 4).item<double>()));  // N - ddof = 0: NaN, as jnp
  EXPECT_TRUE(std::isnan(fx::std(x, {}, 7).item<double>()));
  EXPECT_DOUBLE_EQ(fx::var(x, {}, 1).item<double>(), 5.0 / 3.0);
  EXPECT_EQ(fx::var(fx::arange(4)).dtype(), fx::float64);
  EXPECT_EQ(fx::std(x.astype(fx::float32)).dtype(), fx::float32);
  EXPECT_EQ(fx::median(x).item<double>(), 2.5);
  EXPECT_EQ(fx::median(fx::array({3., 1., 2.})).item<double>(), 2.0);
  EXPECT_TRUE(std::isnan(fx::median(fx::array({1., fx::nan, 3.})).item<double>()));
  EXPECT_EQ(fx::quantile(fx::arange(10), fx::array({0.25, 0.5, 0.75})).to_vector<double>(),
            (std::vector<double>{2.25, 4.5, 6.75}));
  EXPECT_EQ(fx::quantile(fx::arange(10), fx::array({0.25, 0.5, 0.75}), {}, "nearest").to_vector<double>(),
            (std::vector<double>{2., 4., 7.}));  // jnp's example: ties of nearest go down
  EXPECT_EQ(fx::quantile(x, 0.5, {}, "lower").item<double>(), 2.0);
  EXPECT_EQ(fx::quantile(x, 0.5, {}, "higher").item<double>(), 3.0);
  EXPECT_EQ(fx::percentile(x, fx::array({0., 100.})).to_vector<double>(), (std::vector<double>{1., 4.}));
  EXPECT_EQ(fx::quantile(sample({2, 3}), fx::array({0.5}), {1}, "linear", true).shape(), (fx::Shape{1, 2, 1}));
  EXPECT_EQ(fx::average(x, {}, fx::array({1., 0., 0., 1.})).item<double>(), 2.5);
  EXPECT_EQ(fx::cov(x).ndim(), 0);                          // one variable
  EXPECT_EQ(fx::corrcoef(x).item<double>(), 1.0);
  EXPECT_EQ(fx::cov(fx::zeros({0, 3})).shape(), (fx::Shape{0, 0}));
  EXPECT_TRUE(std::isnan(fx::cov(fx::zeros({2, 0}))[0][0].item<double>()));
}

TEST(NumpyFunctions, StatisticsErrors) {
  const fx::Array x = sample({3, 4});
  EXPECT_THROW(fx::quantile(x, 0.5, {}, "cubic"), fx::ValueError);
  EXPECT_THROW(fx::quantile(x, fx::ones({2, 2}) * 0.5), fx::ShapeError);
  EXPECT_THROW(fx::quantile(x, fx::nan), fx::ValueError);
  EXPECT_THROW(fx::median(fx::zeros({3, 0}), {1}), fx::ShapeError);
  EXPECT_THROW(fx::median(x, {0, 0}), fx::ShapeError);
  // q selects positions, so it must be known when traced.
  auto by_q = [&](const fx::Array& q) { return fx::sum(fx::quantile(x, q)); };
  EXPECT_THROW(fx::grad(by_q)(fx::Array(0.5)), fx::ConcretizationError);
  EXPECT_THROW(fx::average(x, {}, fx::ones({4})), fx::ShapeError);
  EXPECT_THROW(fx::average(x, {0}, fx::ones({4})), fx::ShapeError);
  EXPECT_THROW(fx::cov(fx::ones({2, 2, 2})), fx::ShapeError);
}

TEST(NumpyFunctions, TrianglesAndDiagonals) {
  EXPECT_EQ(fx::tri(3).dtype(), fx::float32);  // jnp.tri's default, unlike fx::eye's
  EXPECT_EQ(fx::tri(2, 3, 1).to_vector<float>(), (std::vector<float>{1, 1, 0, 1, 1, 1}));
  const fx::Array m = fx::reshape(fx::arange(12), {3, 4});
  EXPECT_EQ(fx::tril(m).to_vector<int>(), (std::vector<int>{0, 0, 0, 0, 4, 5, 0, 0, 8, 9, 10, 0}));
  EXPECT_EQ(fx::triu(m, 2).to_vector<int>(), (std::vector<int>{0, 0, 2, 3, 0, 0, 0, 7, 0, 0, 0, 0}));
  EXPECT_EQ(fx::diagonal(m).to_vector<int>(), (std::vector<int>{0, 5, 10}));
  EXPECT_EQ(fx::diagonal(m, 2).to_vector<int>(), (std::vector<int>{2, 7}));
  EXPECT_EQ(fx::diagonal(m, -1).to_vector<int>(), (std::vector<int>{4, 9}));
  EXPECT_EQ(fx::diagonal(m, 9).shape(), (fx::Shape{0}));
  EXPECT_EQ(fx::diagonal(fx::reshape(fx::arange(24), {2, 3, 4}), 0, 0, 2).shape(), (fx::Shape{3, 2}));
  EXPECT_EQ(fx::diag(fx::array({1., 2.}), 1).to_vector<double>(), (std::vector<double>{0, 1, 0, 0, 0, 2, 0, 0, 0}));
  EXPECT_EQ(fx::trace(m).item<int>(), 15);
  EXPECT_EQ(fx::trace(m, 1).item<int>(), 1 + 6 + 11);
  EXPECT_EQ(fx::trace(fx::ones({2, 2}, fx::bool_)).dtype(), fx::int32);
  EXPECT_THROW(fx::tril(fx::ones({3})), fx::ShapeError);
  EXPECT_THROW(fx::diagonal(fx::ones({3})), fx::ShapeError);
  EXPECT_THROW(fx::diagonal(m, 0, 1, -1), fx::ValueError);
  EXPECT_THROW(fx::trace(m, 0, 0, 5), fx::ShapeError);
  EXPECT_THROW(fx::diag(fx::ones({2, 2, 2})), fx::ShapeError);
  EXPECT_THROW(fx::tri(-1), fx::ShapeError);
}

TEST(NumpyFunctions, Polyval) {
  EXPECT_EQ(fx::polyval(fx::array({3., 0., 1.}), fx::array({0., 2.})).to_vector<double>(),
            (std::vector<double>{1., 13.}));
  EXPECT_EQ(fx::polyval(fx::arange(1, 4), 2).item<int>(), 1 * 4 + 2 * 2 + 3);
  // Horner's rule from 0 as jnp: 0 * inf is NaN (NumPy would give inf).
  EXPECT_TRUE(std::isnan(fx::polyval(fx::array({1., 2.}), fx::inf).item<double>()));
  EXPECT_THROW(fx::polyval(fx::Array(2.0), fx::ones({3})), fx::ShapeError);
}

TEST(NumpyFunctions, Rearranging) {
  const fx::Array v = fx::arange(5);
  EXPECT_EQ(fx::roll(v, 2).to_vector<int>(), (std::vector<int>{3, 4, 0, 1, 2}));
  EXPECT_EQ(fx::roll(v, -6).to_vector<int>(), (std::vector<int>{1, 2, 3, 4, 0}));
  EXPECT_THROW(fx::roll(fx::ones({2, 2}), {1, 2, 3}, {0, 1}), fx::ShapeError);
  EXPECT_EQ(fx::tile(fx::arange(2), 3).to_vector<int>(), (std::vector<int>{0, 1, 0, 1, 0, 1}));
  EXPECT_EQ(fx::tile(fx::arange(2), {2, 1}).shape(), (fx::Shape{2, 2}));
  EXPECT_THROW(fx::tile(v, {-1}), fx::ValueError);
  EXPECT_EQ(fx::repeat(fx::arange(3), 2).to_vector<int>(), (std::vector<int>{0, 0, 1, 1, 2, 2}));
  EXPECT_EQ(fx::repeat(fx::arange(3), {0, 2, 1}, 0).to_vector<int>(), (std::vector<int>{1, 1, 2}));
  EXPECT_EQ(fx::repeat(fx::Array(7), 3).to_vector<int>(), (std::vector<int>{7, 7, 7}));
  EXPECT_THROW(fx::repeat(v, -1), fx::ValueError);
  EXPECT_THROW(fx::repeat(v, {1, 2}, 0), fx::ShapeError);

  // A braced single index splits there; an integer asks for equal sections.
  const auto at3 = fx::split(fx::arange(6), {3});
  ASSERT_EQ(at3.size(), 2u);
  EXPECT_EQ(at3[1].to_vector<int>(), (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(fx::split(fx::arange(6), 3).size(), 3u);
  EXPECT_THROW(fx::split(fx::arange(5), 2), fx::ValueError);
  EXPECT_THROW(fx::split(fx::arange(5), 0), fx::ValueError);
  EXPECT_THROW(fx::split(fx::arange(5), {3, 1}), fx::ValueError);  // jnp rejects, NumPy would clamp
  EXPECT_THROW(fx::split(fx::Array(1), 1), fx::ShapeError);
  EXPECT_EQ(fx::array_split(fx::arange(5), 2)[0].to_vector<int>(), (std::vector<int>{0, 1, 2}));
  // jax.random.split lives beside jnp.split: both stay callable.
  EXPECT_EQ(fx::random::split(fx::random::key(0), 3).shape()[0], 3);

  EXPECT_EQ(fx::diff(fx::array({1., 4., 9., 16.})).to_vector<double>(), (std::vector<double>{3., 5., 7.}));
  EXPECT_EQ(fx::diff(fx::array({1., 4., 9., 16.}), 2).to_vector<double>(), (std::vector<double>{2., 2.}));
  EXPECT_EQ(fx::diff(fx::arange(3), 1, -1, fx::Array(10), fx::Array(0)).to_vector<int>(),
            (std::vector<int>{-10, 1, 1, -2}));
  EXPECT_EQ(fx::diff(fx::array_of<bool>({true, true, false}, {3})).dtype(), fx::bool_);
  EXPECT_EQ(fx::diff(v, 0).to_vector<int>(), v.to_vector<int>());
  EXPECT_THROW(fx::diff(v, -1), fx::ValueError);
  EXPECT_THROW(fx::diff(fx::Array(1.0)), fx::ShapeError);
}

TEST(NumpyFunctions, SortingAndSearching) {
  const fx::Array x = fx::array({3., fx::nan, 1., 3., -0., 0.});
  EXPECT_EQ(fx::argsort(x).to_vector<int>(), (std::vector<int>{4, 5, 2, 0, 3, 1}));
  EXPECT_EQ(fx::argsort(x, -1, true, true).to_vector<int>(), (std::vector<int>{1, 0, 3, 2, 4, 5}));
  EXPECT_EQ(fx::argsort(x).dtype(), fx::int32);
  EXPECT_EQ(fx::argsort(fx::array_of<uint32_t>({2, 0, 4000000000u}, {3}), 0, true, true).to_vector<int>(),
            (std::vector<int>{2, 0, 1}));
  EXPECT_EQ(fx::argsort(fx::reshape(fx::arange(4), {2, 2}), std::nullopt, true, true).to_vector<int>(),
            (std::vector<int>{3, 2, 1, 0}));
  EXPECT_THROW(fx::argsort(fx::Array(1.0)), fx::ShapeError);

  const fx::Array a = fx::array({1., 2., 2., 3., fx::nan});
  const fx::Array q = fx::array({2., 0., 5., fx::nan});
  EXPECT_EQ(fx::searchsorted(a, q).to_vector<int>(), (std::vector<int>{1, 0, 4, 4}));
  EXPECT_EQ(fx::searchsorted(a, q, "right").to_vector<int>(), (std::vector<int>{3, 0, 4, 5}));
  EXPECT_EQ(fx::searchsorted(a, q).dtype(), fx::int32);
  EXPECT_EQ(fx::searchsorted(fx::arange(4), fx::Array(2)).ndim(), 0);
  EXPECT_THROW(fx::searchsorted(a, q, "middle"), fx::ValueError);
  EXPECT_THROW(fx::searchsorted(fx::ones({2, 2}), q), fx::ShapeError);
}
