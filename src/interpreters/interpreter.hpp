// The interpreter interface. fx::bind hands each primitive application to the
// innermost active interpreter; with none active (no tracers among the
// inputs, no transformation running) that is the evaluation interpreter.
// Transformations (JVP, batching, tracing to a jaxpr) subclass Interpreter and
// own tracers (Values whose owner() is the interpreter).
#pragma once

#include <span>
#include <vector>

#include "fluxion/primitive.hpp"

namespace fluxion::detail {

class Interpreter {
 public:
  explicit Interpreter(int level) : level_(level) {}
  virtual ~Interpreter() = default;
  // Nesting depth: a higher level is an inner transformation.
  int level() const { return level_; }
  virtual std::vector<Array> process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                               const Params& params) = 0;

 private:
  int level_;
};

// Evaluates a primitive on concrete inputs: shape rule, then kernel.
std::vector<Array> eval_primitive(const Primitive& prim, std::span<const Array> inputs,
                                  const Params& params);

// The interpreter a transformation installs for code that creates values
// without touching its inputs (e.g. make_jaxpr of a constant function); null
// when none. Thread-local, set by RAII guards of the transformations.
Interpreter* dynamic_interpreter();
void set_dynamic_interpreter(Interpreter* interp);

}  // namespace fluxion::detail
