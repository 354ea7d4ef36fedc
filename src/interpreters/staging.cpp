#include "interpreters/staging.hpp"

#include <array>

#include "core/alloc.hpp"

namespace fluxion::detail {
namespace {

class StagedTracer final : public Tracer {
 public:
  StagedTracer(AbstractValue aval, std::shared_ptr<TraceTag> tag, int var)
      : Tracer(std::move(aval), std::move(tag)), var_(var) {}
  int var() const { return var_; }

 private:
  int var_;
};

}  // namespace

Array StagingInterpreter::new_input(const AbstractValue& aval) {
  const int var = jaxpr_.new_var(aval);
  jaxpr_.invars.push_back(var);
  return Array(std::allocate_shared<StagedTracer>(PoolAllocator<StagedTracer>{}, aval, tag(), var));
}

Atom StagingInterpreter::atom_of(const Array& x) {
  const Value* v = x.value().get();
  if (v->is_tracer() && v->owner() == this) return Atom::variable(static_cast<const StagedTracer*>(v)->var());
  if (!v->is_tracer() && x.ndim() == 0) return Atom::constant(x);
  auto [it, inserted] = const_vars_.emplace(v, -1);
  if (inserted) {
    it->second = jaxpr_.new_var(x.aval());
    jaxpr_.constvars.push_back(it->second);
    consts_.push_back(x);  // keeps v alive, so its address stays a valid key
  }
  return Atom::variable(it->second);
}

std::vector<Array> StagingInterpreter::process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                                         const Params& params) {
  JaxprEqn eqn{&prim, {}, {}, params};
  eqn.inputs.reserve(inputs.size());
  constexpr size_t kSmall = 8;
  std::array<const AbstractValue*, kSmall> small{};
  std::vector<const AbstractValue*> large(inputs.size() > kSmall ? inputs.size() : 0);
  const AbstractValue** avals = inputs.size() > kSmall ? large.data() : small.data();
  for (size_t i = 0; i < inputs.size(); ++i) {
    eqn.inputs.push_back(atom_of(inputs[i]));
    avals[i] = &inputs[i].aval();
  }
  std::vector<AbstractValue> out_avals = prim.abstract_eval(prim, AvalRefs(avals, inputs.size()), params);
  std::vector<Array> outs;
  for (AbstractValue& aval : out_avals) {
    const int var = jaxpr_.new_var(aval);
    eqn.outputs.push_back(var);
    outs.push_back(Array(std::allocate_shared<StagedTracer>(PoolAllocator<StagedTracer>{}, std::move(aval), tag(), var)));
  }
  jaxpr_.eqns.push_back(std::move(eqn));
  return outs;
}

ClosedJaxpr StagingInterpreter::finish(std::span<const Array> outputs) {
  for (const Array& x : outputs) jaxpr_.outvars.push_back(atom_of(x));
  return ClosedJaxpr{std::move(jaxpr_), std::move(consts_)};
}

}  // namespace fluxion::detail
