// fx::bind: the single dispatch point every operation goes through, and the
// thread-local level counter that orders nested transformations.
#include <string>

#include "fluxion/errors.hpp"
#include "interpreters/interpreter.hpp"

namespace fluxion {

namespace detail {
namespace {
thread_local int t_depth = 0;
thread_local Interpreter* t_dynamic = nullptr;
}  // namespace

Interpreter::Interpreter() : level_(++t_depth), tag_(std::make_shared<TraceTag>(TraceTag{this})) {}
Interpreter::~Interpreter() {
  tag_->interpreter = nullptr;
  --t_depth;
}

Interpreter* dynamic_interpreter() { return t_dynamic; }
bool any_interpreter_active() { return t_depth > 0; }
DynamicScope::DynamicScope(Interpreter* interp) : previous_(t_dynamic) { t_dynamic = interp; }
DynamicScope::~DynamicScope() { t_dynamic = previous_; }
}  // namespace detail

std::vector<Array> bind(const Primitive& prim, std::span<const Array> inputs, const Params& params) {
  detail::Interpreter* top = detail::dynamic_interpreter();
  for (const Array& x : inputs) {
    if (!x.valid())
      throw Error(std::string(prim.name) + ": an input is an empty Array handle (default-constructed)");
    const detail::Value& v = *x.value();
    if (!v.is_tracer()) continue;
    detail::Interpreter* owner = v.owner();
    if (!owner)
      throw Error(std::string(prim.name) +
                  ": an input is a tracer that escaped its transformation (a value computed inside "
                  "grad/jvp/vjp/make_jaxpr was kept and used after the transformation returned); "
                  "return it from the transformed function instead");
    if (!top || owner->level() > top->level()) top = owner;
  }
  if (!top) return detail::eval_primitive(prim, inputs, params);
  return top->process_primitive(prim, inputs, params);
}

Array bind1(const Primitive& prim, std::span<const Array> inputs, const Params& params) {
  std::vector<Array> out = fluxion::bind(prim, inputs, params);
  return std::move(out[0]);
}

}  // namespace fluxion
