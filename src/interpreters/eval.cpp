// The evaluation interpreter: what a primitive means when nothing transforms it.
#include <array>
#include <string>

#include "fluxion/errors.hpp"
#include "interpreters/interpreter.hpp"

namespace fluxion::detail {

std::vector<Array> eval_primitive(const Primitive& prim, std::span<const Array> inputs,
                                  const Params& params) {
  // Avals by pointer, on the stack for the common small arity.
  constexpr size_t kSmall = 8;
  std::array<const AbstractValue*, kSmall> small{};
  std::vector<const AbstractValue*> large;
  const AbstractValue** avals = small.data();
  if (inputs.size() > kSmall) {
    large.resize(inputs.size());
    avals = large.data();
  }
  for (size_t i = 0; i < inputs.size(); ++i) avals[i] = &inputs[i].aval();
  std::vector<AbstractValue> out_avals = prim.abstract_eval(prim, AvalRefs(avals, inputs.size()), params);
  // A stray abstract tracer throws ConcretizationError from data(); concrete
  // values need no check (and no virtual call).
  for (const Array& x : inputs)
    if (x.value()->is_tracer()) (void)x.data();
  return prim.impl(prim, inputs, out_avals, params);
}

}  // namespace fluxion::detail
