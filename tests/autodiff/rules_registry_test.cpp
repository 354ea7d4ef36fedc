// One derivative check per registered primitive, so a primitive added to the
// registry without a check here fails (as PyTorch's derivatives.yaml guards
// its formulas). Each case's program is traced first to prove it really
// applies the primitive it claims to check. Piecewise-constant primitives
// (comparisons, rounding, bitwise, iota) are checked the same way: at points
// away from their jumps, central differences see their zero derivative.
// The cases themselves are in rules_registry_cases.cpp (shared with the
// Taylor-rule walk, tests/jet/taylor_rules_test.cpp).
#include <functional>
#include <map>
#include <set>
#include <string>

#include "autodiff_util.hpp"
#include "rules_registry_cases.hpp"

namespace {

namespace fx = fluxion;
using autodiff_test::grads_ok;

using rules_registry::Arrays;
using rules_registry::Case;
using rules_registry::Fn;

// The names of the primitives f applies at the top level.
std::set<std::string> primitives_in(const Fn& f, const Arrays& args) {
  // make_jaxpr of a vector of arguments (fx::make_jaxpr takes them one by one).
  const fx::ClosedJaxpr j = fx::detail::make_jaxpr_core([&](const Arrays& a) { return Arrays{f(a)}; }, args);
  std::set<std::string> names;
  for (const fx::JaxprEqn& e : j.jaxpr.eqns) names.insert(std::string(e.primitive->name));
  return names;
}

TEST(RulesRegistry, EveryPrimitiveHasADerivativeCheck) {
  const std::map<std::string, Case> all = rules_registry::all_cases();
  for (const fx::Primitive* p : fx::all_primitives()) {
    const std::string name(p->name);
    SCOPED_TRACE(name);
    if (name == "stop_gradient") {
      // Changes the derivative but not the value, so no finite difference
      // sees it: d/dx [x * stop_gradient(x^2)] = x^2 and nothing of second order.
      const auto f = [](fx::Array v) { return v * fx::stop_gradient(v * v); };
      EXPECT_TRUE(primitives_in([&](const Arrays& a) { return f(a[0]); }, {fx::Array(1.0)}).count(name));
      EXPECT_EQ(fx::grad(f)(3.0).item<double>(), 9.0);
      EXPECT_EQ(fx::grad(fx::grad(f))(3.0).item<double>(), 0.0);
      continue;
    }
    if (name == "custom_lin") {
      // The tangent of a custom_vjp function: linear, never evaluated;
      // reverse mode transposes it into bwd (custom_vjp_call's case).
      const auto s = fx::custom_vjp([](fx::Array v) { return fx::sin(v); }, "s")
                         .defvjp([](fx::Array v) { return std::pair{fx::sin(v), fx::cos(v)}; },
                                 [](fx::Array c, fx::Array g) { return std::tuple{c * g}; });
      EXPECT_TRUE(primitives_in([&](const Arrays& a) { return fx::jvp(s, {a[0]}, {a[0]}).second; }, {fx::Array(1.0)})
                      .count(name));
      EXPECT_THROW(fx::jvp(s, {fx::Array(1.0)}, {fx::Array(1.0)}), fx::TypeError);
      continue;
    }
    const auto it = all.find(name);
    if (it == all.end()) {
      ADD_FAILURE() << "primitive '" << name << "' has no derivative check in " << __FILE__;
      continue;
    }
    const Case& c = it->second;
    EXPECT_TRUE(primitives_in(c.f, c.args).count(name)) << "the case for '" << name << "' does not apply it";
    EXPECT_TRUE(grads_ok(c.f, c.args, 2, c.modes));
  }
}

}  // namespace
