// pjit: a call of a jitted function, as JAX's pjit_p. Its parameter `jaxpr`
// is the traced program, so every transformation passes through a jitted
// function the way it passes through any primitive:
//   - abstract eval: the program's output types;
//   - impl: the compiled program (src/compiler), or the interpreters under
//     FLUXION_JIT=eager;
//   - JVP: the program's JVP, split (partial evaluation) into a primal
//     program, which also returns the residuals the tangents need, and a
//     tangent program linear in the tangents: two pjit equations, so reverse
//     mode records only the linear one;
//   - transpose: the tangent program run backwards, traced once into a pjit;
//   - batching: the program traced under vmap, once per pattern of batch axes.
// Derived programs are memoised on the parameter (JaxprMemo), so grad(jit(f))
// traces and compiles each of them once.
#include "compiler/emitter.hpp"
#include "primitives/pjit.hpp"

#include <map>
#include <mutex>
#include <string>

#include "compiler/executable.hpp"
#include "interpreters/batching.hpp"
#include "interpreters/jvp.hpp"
#include "interpreters/staging.hpp"
#include "interpreters/transpose.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"

namespace fluxion {

namespace detail {

struct JaxprMemo {
  std::mutex mutex;
  struct JvpSplit {
    JaxprParam primal;   // primals -> primal outputs ++ residuals
    JaxprParam tangent;  // residuals ++ nonzero tangents -> tangents of the float outputs
    size_t num_residuals = 0;
  };
  std::map<std::vector<bool>, JvpSplit> jvp;          // by which inputs have a nonzero tangent
  std::map<std::vector<bool>, JaxprParam> transpose;  // by which inputs are linear, then which cts are nonzero
  struct Batched {
    JaxprParam program;
    std::vector<bool> out_mapped;
  };
  std::map<std::pair<std::vector<bool>, int64_t>, Batched> batched;  // by mapped inputs and batch size
  std::once_flag compiled_once;
  std::shared_ptr<const compiler::Executable> compiled;
};

}  // namespace detail

JaxprParam make_jaxpr_param(ClosedJaxpr closed) {
  closed.memo = std::make_shared<detail::JaxprMemo>();
  return std::make_shared<const ClosedJaxpr>(std::move(closed));
}

namespace prim {

const JaxprParam& pjit_jaxpr(const Params& params) { return params.get<JaxprParam>("jaxpr"); }

Params pjit_params(JaxprParam jaxpr, std::string name) {
  return Params{{"jaxpr", std::move(jaxpr)}, {"name", std::move(name)}};
}

namespace {

using detail::JaxprMemo;

JaxprMemo& memo_of(const JaxprParam& j) {
  if (!j->memo) throw Error("pjit: internal error: a jaxpr parameter without its memo (use make_jaxpr_param)");
  return *j->memo;
}

// The program derived from `j` for `key` in one of its memo's tables,
// derived by `derive()` the first time (under the memo's lock: one
// derivation per key even when threads ask together). Entries are never
// removed, so the reference stays valid.
template <class Map, class Derive>
const typename Map::mapped_type& memoised(const JaxprParam& j, Map JaxprMemo::*table, const typename Map::key_type& key,
                                          Derive derive) {
  JaxprMemo& memo = memo_of(j);
  std::lock_guard lock(memo.mutex);
  Map& map = memo.*table;
  if (auto it = map.find(key); it != map.end()) return it->second;
  return map.emplace(key, derive()).first->second;
}

}  // namespace

const std::shared_ptr<const compiler::Executable>& compiled_program(const JaxprParam& j, const std::string& name) {
  JaxprMemo& memo = memo_of(j);
  // One compile per program even when many threads make the first call.
  std::call_once(memo.compiled_once, [&] { memo.compiled = compiler::compile(*j, name); });
  return memo.compiled;
}

std::vector<Array> run_program(const JaxprParam& j, const std::string& name, std::span<const Array> args) {
  if (compiler::eager_mode()) return eval_jaxpr(j->jaxpr, j->consts, args);
  return compiled_program(j, name)->run(args);
}

namespace {

AbstractValue tangent_aval(const AbstractValue& primal) { return AbstractValue{primal.shape, primal.dtype, false}; }

std::vector<AbstractValue> pjit_aval(const Primitive&, AvalRefs in, const Params& params) {
  const ClosedJaxpr& closed = *pjit_jaxpr(params);
  const Jaxpr& j = closed.jaxpr;
  const std::string& name = params.get<std::string>("name");
  if (in.size() != j.invars.size())
    throw TypeError("pjit " + name + ": the program takes " + std::to_string(j.invars.size()) +
                    " argument(s), got " + std::to_string(in.size()));
  for (size_t i = 0; i < in.size(); ++i) {
    const AbstractValue& want = j.var_types[j.invars[i]];
    if (in[i]->shape != want.shape || in[i]->dtype != want.dtype)
      throw TypeError("pjit " + name + ": argument " + std::to_string(i) + " has type " + to_string(*in[i]) +
                      " but the program was traced for " + to_string(want));
  }
  std::vector<AbstractValue> out;
  out.reserve(j.outvars.size());
  for (const Atom& a : j.outvars) out.push_back(j.type_of(a));
  return out;
}

std::vector<Array> pjit_impl(const Primitive&, std::span<const Array> inputs, std::span<const AbstractValue>,
                             const Params& params) {
  return run_program(pjit_jaxpr(params), params.get<std::string>("name"), inputs);
}

// Splits `combined` (invars: primals then tangents; outvars: primal outputs
// then tangent outputs) into the equations that depend only on primals and
// those that read a tangent: JAX's partial_eval_jaxpr_nounits for a flat
// program. JVP rules keep tangent equations linear in the tangents, with
// primal factors computed from primals, so the second part is linear.
JaxprMemo::JvpSplit split_jvp(ClosedJaxpr combined, size_t num_primals, size_t num_primal_outs) {
  const Jaxpr& c = combined.jaxpr;
  std::vector<bool> known(c.var_types.size(), false);
  for (int v : c.constvars) known[v] = true;
  for (size_t i = 0; i < num_primals; ++i) known[c.invars[i]] = true;
  std::vector<bool> eqn_known(c.eqns.size());
  for (size_t e = 0; e < c.eqns.size(); ++e) {
    bool all = true;
    for (const Atom& a : c.eqns[e].inputs) all = all && (a.is_literal() || known[a.var]);
    eqn_known[e] = all;
    for (int v : c.eqns[e].outputs)
      if (v >= 0) known[v] = all;
  }
  // Residuals: known values the tangent side reads.
  std::vector<int> residuals;
  std::vector<bool> is_residual(c.var_types.size(), false);
  auto need = [&](const Atom& a) {
    if (!a.is_literal() && known[a.var] && !is_residual[a.var]) {
      is_residual[a.var] = true;
      residuals.push_back(a.var);
    }
  };
  for (size_t e = 0; e < c.eqns.size(); ++e)
    if (!eqn_known[e])
      for (const Atom& a : c.eqns[e].inputs) need(a);
  for (size_t o = num_primal_outs; o < c.outvars.size(); ++o) need(c.outvars[o]);

  Jaxpr primal;
  primal.var_types = c.var_types;
  primal.constvars = c.constvars;
  primal.invars.assign(c.invars.begin(), c.invars.begin() + static_cast<std::ptrdiff_t>(num_primals));
  Jaxpr tangent;
  tangent.var_types = c.var_types;
  tangent.invars = residuals;
  tangent.invars.insert(tangent.invars.end(), c.invars.begin() + static_cast<std::ptrdiff_t>(num_primals),
                        c.invars.end());
  for (size_t e = 0; e < c.eqns.size(); ++e) (eqn_known[e] ? primal : tangent).eqns.push_back(c.eqns[e]);
  primal.outvars.assign(c.outvars.begin(), c.outvars.begin() + static_cast<std::ptrdiff_t>(num_primal_outs));
  for (int r : residuals) primal.outvars.push_back(Atom::variable(r));
  tangent.outvars.assign(c.outvars.begin() + static_cast<std::ptrdiff_t>(num_primal_outs), c.outvars.end());
  dead_code_elimination(primal);
  dead_code_elimination(tangent);
  JaxprMemo::JvpSplit split;
  split.num_residuals = residuals.size();
  split.primal = make_jaxpr_param(ClosedJaxpr{std::move(primal), std::move(combined.consts), nullptr});
  split.tangent = make_jaxpr_param(ClosedJaxpr{std::move(tangent), {}, nullptr});
  return split;
}

// The JVP of `j` with tangents for the `nonzero` inputs, traced, then split.
JaxprMemo::JvpSplit derive_jvp_split(const JaxprParam& j, const std::vector<bool>& nonzero) {
  const Jaxpr& inner = j->jaxpr;
  ClosedJaxpr combined;
  size_t num_primal_outs = 0;
  {
    detail::StagingInterpreter staging;
    detail::DynamicScope dynamic(&staging);
    std::vector<Array> primals, tangents;
    for (int v : inner.invars) primals.push_back(staging.new_input(inner.var_types[v]));
    for (size_t i = 0; i < primals.size(); ++i)
      tangents.push_back(nonzero[i] ? staging.new_input(tangent_aval(primals[i].aval())) : Array());
    std::vector<Array> outs;
    {
      detail::JvpInterpreter jvp;
      std::vector<Array> in;
      for (size_t i = 0; i < primals.size(); ++i) in.push_back(jvp.make_tracer(primals[i], tangents[i]));
      std::vector<Array> results = eval_jaxpr(inner, j->consts, in);
      std::vector<Array> touts;
      for (const Array& r : results) {
        auto [p, t] = jvp.unpack(r);
        if (is_floating(p.dtype())) touts.push_back(lax::instantiate(t, tangent_aval(p.aval())));
        outs.push_back(std::move(p));
      }
      num_primal_outs = outs.size();
      outs.insert(outs.end(), touts.begin(), touts.end());
    }
    combined = staging.finish(outs);
  }
  return split_jvp(std::move(combined), inner.invars.size(), num_primal_outs);
}

const JaxprMemo::JvpSplit& jvp_split(const JaxprParam& j, const std::vector<bool>& nonzero) {
  return memoised(j, &JaxprMemo::jvp, nonzero, [&] { return derive_jvp_split(j, nonzero); });
}

JvpResult pjit_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                   const Params& params) {
  const JaxprParam& j = pjit_jaxpr(params);
  const std::string& name = params.get<std::string>("name");
  std::vector<bool> nonzero(primals.size());
  bool any = false;
  for (size_t i = 0; i < primals.size(); ++i) {
    nonzero[i] = tangents[i].valid();
    any = any || nonzero[i];
  }
  if (!any) return {bind(p, primals, params), {}};
  const JaxprMemo::JvpSplit& split = jvp_split(j, nonzero);
  std::vector<Array> outs = bind(p, primals, pjit_params(split.primal, name));
  const size_t num_outs = outs.size() - split.num_residuals;
  std::vector<Array> tangent_in(outs.begin() + static_cast<std::ptrdiff_t>(num_outs), outs.end());
  for (size_t i = 0; i < tangents.size(); ++i)
    if (nonzero[i]) tangent_in.push_back(tangents[i]);
  outs.resize(num_outs);
  std::vector<Array> float_touts = bind(p, tangent_in, pjit_params(split.tangent, "jvp(" + name + ")"));
  JvpResult r{std::move(outs), {}};
  size_t next = 0;
  for (const Array& o : r.primals_out) r.tangents_out.push_back(is_floating(o.dtype()) ? float_touts[next++] : Array());
  return r;
}

// The transpose of a linear program as a program: inputs are the known
// (non-linear) operands then the nonzero output cotangents; outputs are the
// cotangents of the linear operands, zeros instantiated.
JaxprParam transpose_program(const JaxprParam& j, const std::vector<bool>& linear, const std::vector<bool>& has_ct) {
  const Jaxpr& inner = j->jaxpr;
  // The same program with its known operands as constants, which is what
  // backward_pass reads as non-linear.
  Jaxpr linear_only = inner;
  linear_only.invars.clear();
  for (size_t i = 0; i < inner.invars.size(); ++i)
    (linear[i] ? linear_only.invars : linear_only.constvars).push_back(inner.invars[i]);
  detail::StagingInterpreter staging;
  detail::DynamicScope dynamic(&staging);
  std::vector<Array> consts(j->consts.begin(), j->consts.end());
  for (size_t i = 0; i < inner.invars.size(); ++i)
    if (!linear[i]) consts.push_back(staging.new_input(inner.var_types[inner.invars[i]]));
  std::vector<Array> cts;
  for (size_t o = 0; o < inner.outvars.size(); ++o)
    cts.push_back(has_ct[o] ? staging.new_input(tangent_aval(inner.type_of(inner.outvars[o]))) : Array());
  std::vector<Array> in_cts = detail::backward_pass(linear_only, consts, cts);
  std::vector<Array> outs;
  for (size_t k = 0; k < in_cts.size(); ++k)
    outs.push_back(lax::instantiate(in_cts[k], tangent_aval(inner.var_types[linear_only.invars[k]])));
  ClosedJaxpr t = staging.finish(outs);
  dead_code_elimination(t.jaxpr);
  canonicalize_order(t.jaxpr);
  return make_jaxpr_param(std::move(t));
}

std::vector<Array> pjit_transpose(const Primitive& p, std::span<const Array> cts_out,
                                  std::span<const TransposeInput> inputs, const Params& params) {
  const JaxprParam& j = pjit_jaxpr(params);
  std::vector<bool> key(inputs.size() + cts_out.size());
  for (size_t i = 0; i < inputs.size(); ++i) key[i] = inputs[i].is_linear();
  for (size_t o = 0; o < cts_out.size(); ++o) key[inputs.size() + o] = cts_out[o].valid();
  const JaxprParam t = memoised(j, &JaxprMemo::transpose, key, [&] {
    const std::vector<bool> linear(key.begin(), key.begin() + static_cast<std::ptrdiff_t>(inputs.size()));
    const std::vector<bool> has_ct(key.begin() + static_cast<std::ptrdiff_t>(inputs.size()), key.end());
    return transpose_program(j, linear, has_ct);
  });
  std::vector<Array> args;
  for (const TransposeInput& in : inputs)
    if (!in.is_linear()) args.push_back(in.known);
  for (const Array& ct : cts_out)
    if (ct.valid()) args.push_back(ct);
  std::vector<Array> linear_cts = bind(p, args, pjit_params(t, "transpose(" + params.get<std::string>("name") + ")"));
  std::vector<Array> result(inputs.size());
  size_t next = 0;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].is_linear()) result[i] = std::move(linear_cts[next++]);
  return result;
}

// `j` under vmap, its `mapped` inputs batched along a new leading axis of `size`.
JaxprMemo::Batched derive_batched(const JaxprParam& j, const std::vector<bool>& mapped, int64_t size) {
  const Jaxpr& inner = j->jaxpr;
  detail::StagingInterpreter staging;
  detail::DynamicScope dynamic(&staging);
  std::vector<Array> in;
  for (size_t i = 0; i < inner.invars.size(); ++i) {
    AbstractValue aval = inner.var_types[inner.invars[i]];
    if (mapped[i]) aval.shape.insert(aval.shape.begin(), size);
    in.push_back(staging.new_input(aval));
  }
  JaxprMemo::Batched b;
  std::vector<Array> outs;
  {
    detail::BatchInterpreter batch(size);
    std::vector<Array> tracers;
    for (size_t i = 0; i < in.size(); ++i) tracers.push_back(batch.make_tracer(in[i], mapped[i] ? 0 : not_mapped));
    for (const Array& r : eval_jaxpr(inner, j->consts, tracers)) {
      auto [value, dim] = batch.unpack(r);
      b.out_mapped.push_back(dim != not_mapped);
      outs.push_back(dim == not_mapped ? value : move_batch_axis(value, dim, 0, size));
    }
  }
  ClosedJaxpr program = staging.finish(outs);
  dead_code_elimination(program.jaxpr);
  canonicalize_order(program.jaxpr);
  b.program = make_jaxpr_param(std::move(program));
  return b;
}

BatchResult pjit_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                       const Params& params) {
  const JaxprParam& j = pjit_jaxpr(params);
  const int64_t size = batch_size(values, dims);
  std::vector<Array> moved;
  std::vector<bool> mapped(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    mapped[i] = dims[i] != not_mapped;
    moved.push_back(mapped[i] ? move_batch_axis(values[i], dims[i], 0, size) : values[i]);
  }
  const JaxprMemo::Batched batched =
      memoised(j, &JaxprMemo::batched, std::make_pair(mapped, size), [&] { return derive_batched(j, mapped, size); });
  BatchResult r;
  r.outputs = bind(p, moved, pjit_params(batched.program, params.get<std::string>("name")));
  for (bool m : batched.out_mapped) r.dims.push_back(m ? 0 : not_mapped);
  return r;
}

}  // namespace

const Primitive pjit_p{.name = "pjit", .multiple_results = true, .abstract_eval = pjit_aval, .impl = pjit_impl,
                       .jvp = pjit_jvp, .transpose = pjit_transpose, .batch = pjit_batch,
                       .lower = compiler::lower_via_eager};

}  // namespace prim
}  // namespace fluxion
