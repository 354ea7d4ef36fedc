// fx::bind: the single dispatch point every operation goes through.
#include <string>

#include "fluxion/errors.hpp"
#include "interpreters/interpreter.hpp"
#include "core/value.hpp"

namespace fluxion {

namespace detail {
namespace {
thread_local Interpreter* t_dynamic = nullptr;
}
Interpreter* dynamic_interpreter() { return t_dynamic; }
void set_dynamic_interpreter(Interpreter* interp) { t_dynamic = interp; }
}  // namespace detail

std::vector<Array> bind(const Primitive& prim, std::span<const Array> inputs, const Params& params) {
  detail::Interpreter* top = detail::dynamic_interpreter();
  for (const Array& x : inputs) {
    if (!x.valid())
      throw Error(std::string(prim.name) + ": an input is an empty Array handle (default-constructed)");
    detail::Interpreter* owner = x.value()->owner();
    if (owner && (!top || owner->level() > top->level())) top = owner;
  }
  if (!top) return detail::eval_primitive(prim, inputs, params);
  return top->process_primitive(prim, inputs, params);
}

Array bind1(const Primitive& prim, std::span<const Array> inputs, const Params& params) {
  std::vector<Array> out = bind(prim, inputs, params);
  return std::move(out[0]);
}

}  // namespace fluxion
