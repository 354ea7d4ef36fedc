#include "interpreters/transpose.hpp"

#include <string>

#include "fluxion/errors.hpp"
#include "primitives/primitives.hpp"

namespace fluxion::detail {

Array add_cotangents(const Array& a, const Array& b) {
  if (!a.valid()) return b;
  if (!b.valid()) return a;
  return bind1(prim::add_any_p, {a, b});
}

std::vector<Array> backward_pass(const Jaxpr& jaxpr, std::span<const Array> consts, std::span<const Array> cts_out) {
  const size_t n = jaxpr.var_types.size();
  std::vector<Array> known(n), ct(n);
  for (size_t i = 0; i < jaxpr.constvars.size(); ++i) known[jaxpr.constvars[i]] = consts[i];
  for (size_t i = 0; i < jaxpr.outvars.size(); ++i)
    if (!jaxpr.outvars[i].is_literal()) ct[jaxpr.outvars[i].var] = add_cotangents(ct[jaxpr.outvars[i].var], cts_out[i]);

  std::vector<Array> eqn_cts;
  std::vector<TransposeInput> inputs;
  eqn_cts.reserve(4);
  inputs.reserve(4);
  for (auto it = jaxpr.eqns.rbegin(); it != jaxpr.eqns.rend(); ++it) {
    const JaxprEqn& e = *it;
    eqn_cts.clear();
    bool any = false;
    for (int v : e.outputs) {
      eqn_cts.push_back(v >= 0 ? std::move(ct[v]) : Array());
      any = any || eqn_cts.back().valid();
    }
    if (!any) continue;  // zero cotangent in, zero out
    // Refilled in place, not cleared: assigning an aval reuses the shape
    // vector already there, where a fresh TransposeInput allocated one.
    inputs.resize(e.inputs.size());
    for (size_t i = 0; i < e.inputs.size(); ++i) {
      const Atom& a = e.inputs[i];
      TransposeInput& in = inputs[i];
      if (a.is_literal()) {
        in.known = a.literal;
        in.aval = a.literal.aval();
      } else {
        in.known = known[a.var];  // empty: the linear input
        in.aval = jaxpr.var_types[a.var];
      }
    }
    if (!e.primitive->transpose)
      throw Error("Transpose rule (for reverse-mode differentiation) for '" + std::string(e.primitive->name) +
                  "' not implemented");
    std::vector<Array> cts_in = e.primitive->transpose(*e.primitive, eqn_cts, inputs, e.params);
    for (size_t i = 0; i < e.inputs.size() && i < cts_in.size(); ++i)
      if (inputs[i].is_linear() && cts_in[i].valid()) ct[e.inputs[i].var] = add_cotangents(ct[e.inputs[i].var], cts_in[i]);
  }
  std::vector<Array> result;
  result.reserve(jaxpr.invars.size());
  for (int v : jaxpr.invars) result.push_back(std::move(ct[v]));
  return result;
}

}  // namespace fluxion::detail
