// Every primitive carries every rule the interpreters need (DESIGN §1.2): a
// missing rule is a failing test here, never a runtime surprise.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "fluxion/errors.hpp"
#include "compiler/emitter.hpp"
#include "fluxion/primitive.hpp"
#include "primitives/taylor.hpp"

namespace fx = fluxion;

TEST(Registry, EveryPrimitiveHasEveryRule) {
  ASSERT_GT(fx::all_primitives().size(), 50u);
  for (const fx::Primitive* p : fx::all_primitives()) {
    SCOPED_TRACE(std::string(p->name));
    EXPECT_FALSE(p->name.empty());
    EXPECT_NE(p->abstract_eval, nullptr);
    EXPECT_NE(p->impl, nullptr);
    EXPECT_NE(p->jvp, nullptr);
    // jet: a recurrence of its own, or one of the shared rules of
    // src/primitives/taylor.hpp (taylor_via_jvp only where
    // docs/ARCHITECTURE.md lists it).
    EXPECT_NE(p->jet, nullptr);
    // vmap: a primitive without operands (iota, iota_2x32_shape) is never batched.
    if (p->name != "iota" && p->name != "iota_2x32_shape") {
      EXPECT_NE(p->batch, nullptr);
    }
  }
}

// A Taylor rule that is only a jet of the JVP rule would be the exception,
// listed with its reason in docs/ARCHITECTURE.md ("How jet(f)(x) flows");
// today no primitive's rule is: a new one must be added there and here,
// deliberately.
TEST(Registry, TaylorRulesThroughTheJvpAreTheListedExceptions) {
  std::set<std::string> via_jvp;
  for (const fx::Primitive* p : fx::all_primitives())
    if (p->jet == &fx::prim::taylor_via_jvp) via_jvp.insert(std::string(p->name));
  EXPECT_EQ(via_jvp, std::set<std::string>{});
}

// Reverse mode transposes what JVP rules emit on tangents, so every
// primitive a rule applies to a tangent must be transposable.
TEST(Registry, LinearPrimitivesCanBeTransposed) {
  std::set<std::string_view> linear = {"add", "add_any", "sub", "neg", "mul", "div", "convert_element_type",
                                       "reduce_sum", "broadcast_in_dim", "reshape", "transpose", "squeeze",
                                       "concatenate", "slice", "select_n", "dot_general", "sort",
                                       // A jitted function's JVP applies pjit to its tangent program.
                                       "jit"};
  for (const fx::Primitive* p : fx::all_primitives())
    if (linear.count(p->name)) {
      EXPECT_NE(p->transpose, nullptr) << p->name;
      linear.erase(p->name);
    }
  EXPECT_TRUE(linear.empty());
}

TEST(Registry, NamesAreUniqueAndJaxs) {
  std::set<std::string_view> names;
  for (const fx::Primitive* p : fx::all_primitives()) EXPECT_TRUE(names.insert(p->name).second) << p->name;
  for (const char* jax_name : {"add", "mul", "sin", "exp", "integer_pow", "reduce_sum", "broadcast_in_dim",
                               "dot_general", "select_n", "convert_element_type", "iota", "squeeze",
                               "threefry2x32", "erf_inv", "shift_right_logical", "bitcast_convert_type", "jit"})
    EXPECT_TRUE(names.count(jax_name)) << jax_name;
}

TEST(Params, SortedByNameAndPrintedAsJaxDoes) {
  const fx::Params p{{"shape", std::vector<int64_t>{3}}, {"broadcast_dimensions", std::vector<int64_t>{}},
                     {"sharding", fx::NoneParam{}}};
  ASSERT_EQ(p.items().size(), 3u);
  EXPECT_EQ(p.items()[0].first, "broadcast_dimensions");
  EXPECT_EQ(fx::param_to_string(p.at("shape")), "(3,)");
  EXPECT_EQ(fx::param_to_string(p.at("broadcast_dimensions")), "()");
  EXPECT_EQ(fx::param_to_string(p.at("sharding")), "None");
  EXPECT_EQ(fx::param_to_string(fx::ParamValue{fx::float64}), "float64");
  EXPECT_EQ(fx::param_to_string(fx::ParamValue{fx::DotDimensionNumbers{{1}, {0}, {}, {}}}), "(([1], [0]), ([], []))");
  EXPECT_THROW(p.get<int64_t>("shape"), fx::Error);
  EXPECT_THROW(p.at("missing"), fx::Error);
}

// jit: every primitive has a lowering rule. Those whose compiled code is a
// call of their eager kernel are listed here and in docs/ARCHITECTURE.md
// ("Lowering"), so moving one to generated code is a deliberate change.
TEST(Registry, EveryPrimitiveLowers) {
  const std::set<std::string_view> via_eager = {
      "concatenate",
      "shift_left", "shift_right_logical", "shift_right_arithmetic", "bitcast_convert_type",
      "threefry2x32", "iota_2x32_shape", "erf_inv", "sort", "jit",
      "pad", "rev", "dynamic_slice", "dynamic_update_slice", "gather", "scatter", "scatter-add", "scatter-mul",
      "scatter-min", "scatter-max",
      "cholesky", "triangular_solve", "lu", "eigh", "qr", "svd",
      "erf", "erfc", "lgamma", "digamma", "polygamma", "nextafter", "cumsum", "cumprod", "cummax", "cummin",
      "argmax", "argmin"};
  std::set<std::string_view> seen;
  for (const fx::Primitive* p : fx::all_primitives()) {
    SCOPED_TRACE(std::string(p->name));
    ASSERT_NE(p->lower, nullptr);
    const bool eager = p->lower == &fx::compiler::lower_via_eager;
    EXPECT_EQ(eager, via_eager.count(p->name) == 1);
    if (eager) seen.insert(p->name);
    // A fused loop reads element i of each operand: only a primitive with
    // one output can be elementwise.
    if (p->traits & fx::kElementwise) {
      EXPECT_FALSE(p->multiple_results);
    }
  }
  EXPECT_EQ(seen, via_eager);
}
