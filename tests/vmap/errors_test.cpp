// vmap's errors: JAX's messages, saying which argument and which sizes.
#include <gtest/gtest.h>

#include <string>

#include "fluxion/fluxion.hpp"

namespace {

namespace fx = fluxion;

// Runs f, expecting exception E whose message contains every fragment.
template <class E, class F> void expect_error(F f, std::initializer_list<std::string> fragments) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const E& e) {
    const std::string what = e.what();
    for (const std::string& frag : fragments) EXPECT_NE(what.find(frag), std::string::npos) << what;
  }
}

TEST(VmapErrors, DataDependentIfNamesWhere) {
  const auto relu = [](const fx::Array& x) -> fx::Array {
    if (x > 0.0) return x;
    return 0.0 * x;
  };
  expect_error<fx::ConcretizationError>([&] { fx::vmap(relu)(fx::arange(-2.0, 2.0)); }, {"fx::where"});
  // Also under grad inside vmap: the JVP tracer's primal is batched, so abstract.
  expect_error<fx::ConcretizationError>([&] { fx::vmap(fx::grad(relu))(fx::arange(-2.0, 2.0)); }, {"fx::where"});
  // The fix works.
  const auto relu_where = [](const fx::Array& x) { return fx::where(x > 0.0, x, 0.0 * x); };
  EXPECT_EQ(fx::vmap(fx::grad(relu_where))(fx::array({-1.0, 2.0})).to_vector<double>(), (std::vector<double>{0, 1}));
}

// Sizes that disagree, or none to go by, are JAX's ValueError.
TEST(VmapErrors, InconsistentSizesNameArgumentsAndSizes) {
  const auto f = [](const fx::Array& a, const fx::Array& b) { return a + b; };
  expect_error<fx::ValueError>([&] { fx::vmap(f)(fx::ones({3}), fx::ones({4})); },
                               {"inconsistent sizes", "argument 0 has shape (3,)", "size 3",
                                "argument 1 has shape (4,)", "size 4"});
  expect_error<fx::ValueError>([&] { fx::vmap(f, {1, 0})(fx::ones({2, 3}), fx::ones({2})); },
                               {"argument 0 has shape (2, 3) and axis 1 (size 3)"});
  expect_error<fx::ValueError>([&] { fx::vmap(f, 0, 0, 5)(fx::ones({3}), fx::ones({3})); }, {"axis_size is 5"});
  expect_error<fx::ValueError>([&] { fx::vmap(f, fx::none, 0, -1)(fx::ones({3}), fx::ones({3})); },
                               {"axis_size must be non-negative", "-1"});
}

// An axis the array (or the output with its batch axis) does not have.
TEST(VmapErrors, AxesOutOfRange) {
  const auto f = [](const fx::Array& a) { return a; };
  expect_error<fx::ShapeError>([&] { fx::vmap(f, 2)(fx::ones({2, 3})); },
                               {"argument 0 along axis 2", "rank should be at least 3", "(2, 3)"});
  expect_error<fx::ShapeError>([&] { fx::vmap(f, -3)(fx::ones({2, 3})); }, {"argument 0 along axis -3"});
  expect_error<fx::ShapeError>([&] { fx::vmap(f)(fx::Array(1.0)); }, {"but is only 0"});
  expect_error<fx::ShapeError>([&] { fx::vmap(f, 0, 2)(fx::ones({2})); }, {"out_axes 2 is out of range for output 0"});
}

// in_axes / out_axes that do not fit the structure of the call are JAX's
// TypeError (ValueError for the one case of no mapped argument).
TEST(VmapErrors, AxesListsMustMatchTheCall) {
  const auto f = [](const fx::Array& a) { return a; };
  expect_error<fx::TypeError>([&] { fx::vmap(f, {0, 0})(fx::ones({2})); }, {"in_axes", "2 entries for 1"});
  expect_error<fx::TypeError>([&] { fx::vmap(f, 0, {0, 1})(fx::ones({2})); }, {"out_axes", "2 entries for 1"});
  expect_error<fx::TypeError>([&] { fx::vmap(f, fx::MapAxes{fx::MapAxes::Entry{0, 0}})(fx::ones({2})); },
                              {"in_axes specification must be a tree prefix", "(0, 0)"});
  expect_error<fx::ValueError>([&] { fx::vmap(f, fx::none)(fx::ones({2})); }, {"at least one non-None", "axis_size"});
  expect_error<fx::TypeError>([&] { fx::vmap(f, 0, fx::none)(fx::ones({2})); },
                              {"mapped output 0", "out_axes is fx::none"});
}

TEST(VmapErrors, EscapedBatchTracerIsReported) {
  fx::Array kept;
  fx::vmap([&](const fx::Array& x) {
    kept = x * 2.0;
    return x;
  })(fx::ones({2}));
  expect_error<fx::Error>([&] { (void)(kept + 1.0); }, {"escaped"});
}

}  // namespace
