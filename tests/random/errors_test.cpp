// Bad input to fx::random: typed errors whose messages name the function,
// what was given and what was expected. Also the samplers composed with
// transformations (make_jaxpr shows JAX's primitives; grad flows through
// uniform's bounds and erf_inv; traced keys work).
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;
namespace rnd = fx::random;

// Runs f, expects exception E, and checks its message contains every part.
template <class E>
void expect_error(const std::function<void()>& f, std::initializer_list<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const E& e) {
    const std::string msg = e.what();
    for (const std::string& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

TEST(RandomErrors, NonKeysAreTypeErrors) {
  const fx::Array k = rnd::key(0);
  expect_error<fx::TypeError>([] { rnd::uniform(fx::array({1.0, 2.0}), {3}); },
                              {"uniform", "f64[2]", "uint32 array of shape (2,)"});
  expect_error<fx::TypeError>([] { rnd::normal(fx::zeros({3}, fx::uint32), {3}); }, {"normal", "u32[3]"});
  expect_error<fx::TypeError>([] { rnd::split(fx::zeros({2}, fx::int32)); }, {"split", "i32[2]"});
  expect_error<fx::TypeError>([&] { rnd::bits(rnd::split(k, 3)); }, {"bits", "u32[3,2]", "one row"});
  expect_error<fx::TypeError>([] { rnd::fold_in(fx::Array(1.0), 3); }, {"fold_in"});
  expect_error<fx::TypeError>([] { rnd::randint(fx::zeros({2, 1}, fx::uint32), {2}, 0, 3); }, {"randint"});
  expect_error<fx::TypeError>([] { rnd::bernoulli(fx::zeros({2}, fx::float32)); }, {"bernoulli"});
  expect_error<fx::TypeError>([] { rnd::exponential(fx::zeros({2}, fx::uint64)); }, {"exponential", "u64[2]"});
  expect_error<fx::TypeError>([] { rnd::permutation(fx::zeros({2}, fx::float64), 4); }, {"permutation"});
}

TEST(RandomErrors, BadShapesAreShapeErrors) {
  const fx::Array k = rnd::key(0);
  expect_error<fx::ShapeError>([&] { rnd::uniform(k, {3, -1}); }, {"uniform", "(3, -1)", "negative"});
  expect_error<fx::ShapeError>([&] { rnd::normal(k, {-2}); }, {"normal", "(-2,)"});
  expect_error<fx::ShapeError>([&] { rnd::bits(k, {int64_t{1} << 40, int64_t{1} << 40}); },
                               {"bits", "(1099511627776, 1099511627776)", "int64"});
  expect_error<fx::ShapeError>([&] { rnd::split(k, -1); }, {"split", "-1"});
  expect_error<fx::ShapeError>([&] { rnd::uniform(k, {3}, fx::float64, fx::zeros({2})); },
                               {"uniform", "minval", "(2,)", "(3,)"});
  expect_error<fx::ShapeError>([&] { rnd::randint(k, {3}, 0, fx::full({4}, 5)); }, {"randint", "maxval", "(4,)"});
  expect_error<fx::ShapeError>([&] { rnd::bernoulli(k, fx::full({3}, 0.5), fx::Shape{2}); }, {"bernoulli", "p"});
  expect_error<fx::ShapeError>([&] { rnd::permutation(k, -3); }, {"permutation", "-3"});
}

TEST(RandomErrors, BadDtypesAndArguments) {
  const fx::Array k = rnd::key(0);
  expect_error<fx::TypeError>([&] { rnd::bits(k, {2}, fx::int32); }, {"bits", "int32", "unsigned"});
  expect_error<fx::TypeError>([&] { rnd::uniform(k, {2}, fx::int32); }, {"uniform", "int32", "floating"});
  expect_error<fx::TypeError>([&] { rnd::normal(k, {2}, fx::uint32); }, {"normal", "uint32"});
  expect_error<fx::TypeError>([&] { rnd::randint(k, {2}, 0, 3, fx::float64); }, {"randint", "float64", "integer"});
  expect_error<fx::TypeError>([&] { rnd::bernoulli(k, 1); }, {"bernoulli", "floating", "i32[]"});
  expect_error<fx::TypeError>([&] { rnd::fold_in(k, fx::array({1.0, 2.0})); }, {"fold_in", "f64[2]", "scalar"});
  expect_error<fx::TypeError>([&] { rnd::fold_in(k, 1.5); }, {"fold_in", "f64[]"});
  expect_error<fx::TypeError>([] { rnd::key(fx::array({1.0})); }, {"key", "f64[1]", "integer scalar"});
  expect_error<fx::TypeError>([&] { rnd::permutation(k, fx::Array(2.5)); }, {"permutation", "f64[]"});
}

TEST(RandomErrors, RandintEmptyRangeIsAnError) {
  const fx::Array k = rnd::key(0);
  expect_error<fx::Error>([&] { rnd::randint(k, {3}, 5, 5); }, {"randint", "empty range", "minval 5", "maxval 5"});
  expect_error<fx::Error>([&] { rnd::randint(k, {2}, fx::array_of<int32_t>({0, 4}, {2}), 3); }, {"randint", "[0 4]"});
  // A one-element range is fine; it always gives minval.
  EXPECT_EQ(rnd::randint(k, {4}, 9, 10).to_vector<int32_t>(), (std::vector<int32_t>{9, 9, 9, 9}));
}

TEST(RandomComposition, JaxprShowsJaxPrimitives) {
  std::ostringstream os;
  os << fx::make_jaxpr([](const fx::Array& key) { return rnd::uniform(key, {3}, fx::float32); })(rnd::key(0));
  const std::string j = os.str();
  for (const char* prim : {"iota_2x32_shape[shape=(3,)]", "threefry2x32", "xor", "shift_right_logical", "or",
                           "bitcast_convert_type[new_dtype=float32]", "sub", "max"})
    EXPECT_NE(j.find(prim), std::string::npos) << prim << " not in " << j;
  std::ostringstream n;
  n << fx::make_jaxpr([](const fx::Array& key) { return rnd::normal(key, {2}); })(rnd::key(0));
  EXPECT_NE(n.str().find("erf_inv"), std::string::npos) << n.str();
}

TEST(RandomComposition, GradientsFlowThroughBoundsAndErfInv) {
  const fx::Array k = rnd::key(1);
  // d/dlo sum(lo + u*(hi-lo)) = sum(1 - u), d/dhi = sum(u).
  const fx::Array u = rnd::uniform(k, {5});
  const auto f = [&](const fx::Array& lo, const fx::Array& hi) { return fx::sum(rnd::uniform(k, {5}, fx::float64, lo, hi)); };
  const auto g = fx::grad(f, std::vector<int>{0, 1})(fx::Array(-1.0), fx::Array(2.0));
  EXPECT_NEAR(g[0].item<double>(), fx::sum(1.0 - u).item<double>(), 1e-12);
  EXPECT_NEAR(g[1].item<double>(), fx::sum(u).item<double>(), 1e-12);
}

TEST(RandomComposition, TracedKeysAndSeeds) {
  // A key passed through make_jaxpr is a tracer; the program still records.
  std::ostringstream os;
  os << fx::make_jaxpr([](const fx::Array& seed) { return rnd::split(rnd::key(seed), 3); })(fx::Array(int64_t{5}));
  EXPECT_NE(os.str().find("shift_right_logical"), std::string::npos) << os.str();
  EXPECT_NE(os.str().find("threefry2x32"), std::string::npos);
}

TEST(RandomPermutation, ArraysAlongAxesAndIndependent) {
  const fx::Array k = rnd::key(3);
  const fx::Array x = fx::reshape(fx::arange(12), {3, 4});
  // Rows move as wholes (axis 0): each row is an original row.
  const auto rows = rnd::permutation(k, x).to_vector<int32_t>();
  std::vector<int32_t> firsts;
  for (int r = 0; r < 3; ++r) {
    firsts.push_back(rows[r * 4]);
    for (int c = 1; c < 4; ++c) EXPECT_EQ(rows[r * 4 + c], rows[r * 4] + c);
  }
  std::sort(firsts.begin(), firsts.end());
  EXPECT_EQ(firsts, (std::vector<int32_t>{0, 4, 8}));
  // The row order is permutation(key, 3), as in JAX.
  const auto order = rnd::permutation(k, 3).to_vector<int32_t>();
  for (int r = 0; r < 3; ++r) EXPECT_EQ(rows[r * 4], order[r] * 4);
  // Columns (axis 1), and independent shuffles of each row.
  const auto cols = rnd::permutation(k, x, 1).to_vector<int32_t>();
  for (int r = 1; r < 3; ++r)
    for (int c = 0; c < 4; ++c) EXPECT_EQ(cols[r * 4 + c], cols[c] + 4 * r);
  const auto ind = rnd::permutation(rnd::key(4), fx::reshape(fx::arange(300), {3, 100}), 1, true).to_vector<int32_t>();
  EXPECT_NE(std::vector<int32_t>(ind.begin(), ind.begin() + 100), std::vector<int32_t>(ind.begin() + 100, ind.begin() + 200));
  // A 0-d integer array is a length.
  EXPECT_EQ(rnd::permutation(k, fx::Array(3)).to_vector<int32_t>(), order);
}

}  // namespace
