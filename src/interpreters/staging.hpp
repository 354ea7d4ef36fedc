// The staging interpreter: records every primitive applied to its tracers as
// a jaxpr equation instead of computing it (JAX's DynamicJaxprTrace). It backs
// make_jaxpr, records the linear (tangent) program that reverse mode
// transposes, and is what jit will compile.
#pragma once

#include <unordered_map>

#include "fluxion/jaxpr.hpp"
#include "interpreters/interpreter.hpp"

namespace fluxion::detail {

class StagingInterpreter final : public Interpreter {
 public:
  StagingInterpreter();
  // A new input variable of the program.
  Array new_input(const AbstractValue& aval);
  std::vector<Array> process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                       const Params& params) override;
  // The program computing `outputs` from the inputs; values the program used
  // without owning them (concrete arrays, outer tracers) become constvars,
  // 0-d concrete ones literals.
  ClosedJaxpr finish(std::span<const Array> outputs);
  // Gives a program that is no longer needed back to this thread, so that the
  // next StagingInterpreter reuses its storage (reverse mode records and
  // drops one linear program per gradient, two small vectors per equation).
  // The values it referred to are released at once.
  static void recycle(Jaxpr&& jaxpr) noexcept;

 private:
  Atom atom_of(const Array& x);
  Jaxpr jaxpr_;
  size_t n_eqns_ = 0;  // equations recorded; jaxpr_.eqns may hold recycled slots beyond
  std::vector<Array> consts_;  // parallel to jaxpr_.constvars
  // Built only once there are many constants (see atom_of).
  std::unordered_map<const Value*, int> const_vars_;
};

}  // namespace fluxion::detail
