// One Taylor-rule check per registered primitive (the registry requires a
// rule, tests/core/registry_test.cpp): jet of the primitive's derivative case
// (tests/autodiff/rules_registry_cases.cpp) along a random polynomial path,
// against the derivatives of that path nested one jvp per order. The oracle
// knows nothing of Taylor rules, only of the JVP rules checked against
// finite differences by the derivative walk.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "autodiff_util.hpp"
#include "nested_derivatives.hpp"
#include "rules_registry_cases.hpp"

namespace {

namespace fx = fluxion;
using rules_registry::Arrays;
using rules_registry::Case;
using rules_registry::Fn;

constexpr size_t kOrder = 3;


// Term k (1-based) of each floating argument: a fixed random direction.
std::vector<Arrays> random_series(const Arrays& args) {
  std::vector<Arrays> series(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    if (!fx::is_floating(args[i].dtype())) continue;
    for (size_t k = 0; k < kOrder; ++k)
      series[i].push_back(autodiff_test::uniform(900 + 10 * i + k, args[i].shape(), -1.0, 1.0, args[i].dtype()));
  }
  return series;
}

::testing::AssertionResult close(const fx::Array& got, const fx::Array& want, size_t k, double tol) {
  const std::vector<double> g = got.astype(fx::float64).to_vector<double>();
  const std::vector<double> w = want.astype(fx::float64).to_vector<double>();
  if (got.shape() != want.shape())
    return ::testing::AssertionFailure() << "term " << k << ": shape " << fx::to_string(got.aval()) << ", want "
                                         << fx::to_string(want.aval());
  double scale = 1.0;
  for (double v : w) scale = std::max(scale, std::abs(v));
  for (size_t i = 0; i < g.size(); ++i)
    if (!(std::abs(g[i] - w[i]) <= tol * scale))
      return ::testing::AssertionFailure() << "term " << k << ", element " << i << ": jet gives " << g[i]
                                           << ", nested derivatives " << w[i];
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult taylor_ok(const Case& c) try {
  const std::vector<Arrays> series = random_series(c.args);
  auto [outs, terms] = fx::detail::jet_core([&](const Arrays& a) { return Arrays{c.f(a)}; }, c.args, series);
  const Arrays want = jet_test::nested_derivatives(c.f, c.args, series, kOrder, fx::has_mode(c.modes, fx::fwd));
  const fx::Array value = c.f(c.args);
  // float32 anywhere on the way: float32's precision.
  bool single = outs[0].dtype() == fx::float32;
  for (const fx::Array& a : c.args) single = single || a.dtype() == fx::float32;
  const double tol = single ? 1e-5 : 1e-9;
  if (auto r = close(outs[0], value, 0, tol); !r) return r;
  for (size_t k = 0; k < kOrder; ++k)
    if (auto r = close(terms[0][k], want[k], k + 1, tol); !r) return r;
  return ::testing::AssertionSuccess();
} catch (const std::exception& e) {
  return ::testing::AssertionFailure() << e.what();
}

TEST(TaylorRules, EveryPrimitiveHasATaylorCheck) {
  std::map<std::string, Case> all = rules_registry::all_cases();
  // stop_gradient: its terms are zero, so along x(t) the product moves only
  // through its first factor.
  all["stop_gradient"] = {[](const Arrays& a) { return a[0] * fx::stop_gradient(fx::sin(a[0])); },
                          {autodiff_test::uniform(950, {2, 3})}};
  for (const fx::Primitive* p : fx::all_primitives()) {
    const std::string name(p->name);
    SCOPED_TRACE(name);
    if (name == "custom_lin") continue;  // only ever transposed (see its rule)
    const auto it = all.find(name);
    if (it == all.end()) {
      ADD_FAILURE() << "primitive '" << name << "' has no derivative case to check its Taylor rule with";
      continue;
    }
    EXPECT_TRUE(taylor_ok(it->second));
  }
}

}  // namespace
