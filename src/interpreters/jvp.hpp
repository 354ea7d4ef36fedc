// The forward-mode (JVP) interpreter: each tracer carries a primal and a
// tangent; primitives apply their JVP rules. Primal computations happen at
// the levels below (eagerly, or recorded by an outer transformation); tangent
// computations too, so when the tangents are a staging interpreter's inputs
// the tangent program is recorded: that is linearization, the first half of
// reverse mode.
#pragma once

#include <utility>

#include "interpreters/interpreter.hpp"

namespace fluxion::detail {

class JvpInterpreter final : public Interpreter {
 public:
  // A tracer for `primal` moving along `tangent` (empty = zero).
  Array make_tracer(Array primal, Array tangent);
  // (primal, tangent) of any value; values this interpreter does not own have
  // a zero (empty) tangent.
  std::pair<Array, Array> unpack(const Array& x) const;
  std::vector<Array> process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                       const Params& params) override;
};

}  // namespace fluxion::detail
