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
  for (auto it = jaxpr.eqns.rbegin(); it != jaxpr.eqns.rend(); ++it) {
    const JaxprEqn& e = *it;
    eqn_cts.clear();
    bool any = false;
    for (int v : e.outputs) {
      eqn_cts.push_back(v >= 0 ? std::move(ct[v]) : Array());
      any = any || eqn_cts.back().valid();
    }
    if (!any) continue;  // zero cotangent in, zero out
    inputs.clear();
    for (const Atom& a : e.inputs) {
      if (a.is_literal()) inputs.push_back({a.literal, a.literal.aval()});
      else if (known[a.var].valid()) inputs.push_back({known[a.var], jaxpr.var_types[a.var]});
      else inputs.push_back({Array(), jaxpr.var_types[a.var]});
    }
    if (!e.primitive->transpose)
      throw Error("Transpose rule (for reverse-mode differentiation) for '" + std::string(e.primitive->name) +
                  "' not implemented");
    std::vector<Array> cts_in = e.primitive->transpose(*e.primitive, eqn_cts, inputs, e.params);
    for (size_t i = 0; i < e.inputs.size() && i < cts_in.size(); ++i)
      if (inputs[i].is_linear() && cts_in[i].valid()) ct[e.inputs[i].var] = add_cotangents(ct[e.inputs[i].var], cts_in[i]);
  }
  std::vector<Array> result;
  for (int v : jaxpr.invars) result.push_back(std::move(ct[v]));
  return result;
}

}  // namespace fluxion::detail
