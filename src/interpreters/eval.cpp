// The evaluation interpreter: what a primitive means when nothing transforms it.
#include <string>

#include "fluxion/errors.hpp"
#include "interpreters/interpreter.hpp"

namespace fluxion::detail {

std::vector<Array> eval_primitive(const Primitive& prim, std::span<const Array> inputs,
                                  const Params& params) {
  OperandBuffer<const AbstractValue*> avals(inputs.size());  // by pointer: no shape copied
  for (size_t i = 0; i < inputs.size(); ++i) avals[i] = &inputs[i].aval();
  std::vector<AbstractValue> out_avals = prim.abstract_eval(prim, avals.span(), params);
  // A stray abstract tracer throws ConcretizationError from data(); concrete
  // values need no check (and no virtual call).
  for (const Array& x : inputs)
    if (x.value()->is_tracer()) (void)x.data();
  return prim.impl(prim, inputs, out_avals, params);
}

}  // namespace fluxion::detail
