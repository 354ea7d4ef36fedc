// stop_gradient: the identity on values, a zero derivative.
#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> identity_aval(const Primitive&, AvalRefs in, const Params&) { return single(*in[0]); }

std::vector<Array> identity_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue>,
                                 const Params&) {
  return single(in[0]);
}

}  // namespace

const Primitive stop_gradient_p{.name = "stop_gradient", .abstract_eval = identity_aval, .impl = identity_impl,
                                .jvp = zero_jvp, .batch = elementwise_batch, .jet = taylor_constant,
                                .lower = compiler::lower_identity, .traits = kElementwise};

}  // namespace fluxion::prim
