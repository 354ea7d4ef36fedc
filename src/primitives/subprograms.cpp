// Derived programs of sub-program parameters (see subprograms.hpp).
#include "primitives/subprograms.hpp"

#include "fluxion/errors.hpp"
#include "fluxion/jet.hpp"
#include "interpreters/batching.hpp"
#include "interpreters/jvp.hpp"
#include "interpreters/staging.hpp"
#include "interpreters/transpose.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"

namespace fluxion::prim {

namespace {

// Splits `combined` (invars: primals then tangents; outvars: primal outputs
// then tangent outputs) into the equations that depend only on primals and
// those that read a tangent. JVP rules keep tangent equations linear in the
// tangents, with primal factors computed from primals, so the second part is
// linear.
JvpSplit split_jvp(ClosedJaxpr combined, size_t num_primals, size_t num_primal_outs) {
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
  JvpSplit split;
  split.num_residuals = residuals.size();
  split.primal = make_jaxpr_param(ClosedJaxpr{std::move(primal), std::move(combined.consts), nullptr});
  split.tangent = make_jaxpr_param(ClosedJaxpr{std::move(tangent), {}, nullptr});
  return split;
}

// The program derived from `j` for `key` in one of its memo's tables,
// derived by `derive()` the first time (under the memo's lock). Entries are
// never removed, so the reference stays valid.
template <class Map, class Derive>
const typename Map::mapped_type& memoised(const JaxprParam& j, Map detail::JaxprMemo::*table,
                                          const typename Map::key_type& key, Derive derive) {
  detail::JaxprMemo& memo = detail::memo_of(j);
  std::lock_guard lock(memo.mutex);
  Map& map = memo.*table;
  if (auto it = map.find(key); it != map.end()) return it->second;
  return map.emplace(key, derive()).first->second;
}

}  // namespace

const JvpSplit& jvp_split(const JaxprParam& j, const std::vector<bool>& nonzero) {
  return memoised(j, &detail::JaxprMemo::jvp, nonzero, [&] { return jvp_split_program(j, nonzero); });
}

const JaxprParam& transposed_program(const JaxprParam& j, const std::vector<bool>& linear,
                                     const std::vector<bool>& has_ct) {
  std::vector<bool> key = linear;
  key.insert(key.end(), has_ct.begin(), has_ct.end());
  return memoised(j, &detail::JaxprMemo::transpose, key, [&] { return transpose_program(j, linear, has_ct); });
}

const BatchedProgram& batched_program(const JaxprParam& j, const std::vector<bool>& mapped, int64_t size,
                                      const std::vector<bool>& force_mapped) {
  return memoised(j, &detail::JaxprMemo::batched, std::make_tuple(mapped, size, force_mapped),
                  [&] { return batch_program(j, mapped, size, force_mapped); });
}

namespace {

// [0, n) as one segment when none are given.
std::vector<size_t> segments_or_all(const std::vector<size_t>& segments, size_t n) {
  return segments.empty() ? std::vector<size_t>{n} : segments;
}

JaxprParam derive_jet_program(const JaxprParam& j, const std::vector<bool>& moving, size_t order,
                              const std::vector<size_t>& in_segments, const std::vector<size_t>& out_segments) {
  const std::vector<AbstractValue> in = input_types(j->jaxpr);
  const std::vector<size_t> in_seg = segments_or_all(in_segments, in.size());
  std::vector<AbstractValue> types;
  for (size_t s = 0, first = 0; s < in_seg.size(); first += in_seg[s++]) {
    for (size_t i = first; i < first + in_seg[s]; ++i) types.push_back(in[i]);
    for (size_t i = first; i < first + in_seg[s]; ++i)
      if (moving[i]) types.insert(types.end(), order, tangent_aval(in[i]));
  }
  return trace_program(
      [&](std::span<const Array> args) {
        std::vector<Array> primals(in.size());
        std::vector<std::vector<Array>> series(in.size());
        size_t pos = 0;
        for (size_t s = 0, first = 0; s < in_seg.size(); first += in_seg[s++]) {
          for (size_t i = first; i < first + in_seg[s]; ++i) primals[i] = args[pos++];
          for (size_t i = first; i < first + in_seg[s]; ++i)
            for (size_t k = 0; moving[i] && k < order; ++k) series[i].push_back(args[pos++]);
        }
        auto [outs, terms] = detail::jet_core(
            [&](const std::vector<Array>& xs) { return eval_jaxpr(j->jaxpr, j->consts, xs); }, primals, series);
        std::vector<Array> result;
        const std::vector<size_t> out_seg = segments_or_all(out_segments, outs.size());
        for (size_t s = 0, first = 0; s < out_seg.size(); first += out_seg[s++]) {
          for (size_t o = first; o < first + out_seg[s]; ++o) result.push_back(outs[o]);
          for (size_t o = first; o < first + out_seg[s]; ++o)
            if (is_floating(outs[o].dtype())) result.insert(result.end(), terms[o].begin(), terms[o].end());
        }
        return result;
      },
      types);
}

}  // namespace

const JaxprParam& jet_program(const JaxprParam& j, const std::vector<bool>& moving, size_t order,
                              const std::vector<size_t>& in_segments, const std::vector<size_t>& out_segments) {
  return memoised(j, &detail::JaxprMemo::jet, std::make_tuple(moving, order, in_segments, out_segments),
                  [&] { return derive_jet_program(j, moving, order, in_segments, out_segments); });
}

std::vector<Array> jet_operands(std::span<const Array> primals, std::span<const std::vector<Array>> series,
                                const std::vector<size_t>& segments) {
  std::vector<Array> args;
  const std::vector<size_t> seg = segments_or_all(segments, primals.size());
  for (size_t s = 0, first = 0; s < seg.size(); first += seg[s++]) {
    args.insert(args.end(), primals.begin() + static_cast<std::ptrdiff_t>(first),
                primals.begin() + static_cast<std::ptrdiff_t>(first + seg[s]));
    for (size_t i = first; i < first + seg[s]; ++i) args.insert(args.end(), series[i].begin(), series[i].end());
  }
  return args;
}

TaylorResult jet_results(std::span<const Array> outs, const std::vector<AbstractValue>& out_types, size_t order,
                         const std::vector<size_t>& segments) {
  TaylorResult r;
  r.series_out.resize(out_types.size());
  const std::vector<size_t> seg = segments_or_all(segments, out_types.size());
  size_t pos = 0;
  for (size_t s = 0, first = 0; s < seg.size(); first += seg[s++]) {
    for (size_t o = first; o < first + seg[s]; ++o) r.primals_out.push_back(outs[pos++]);
    for (size_t o = first; o < first + seg[s]; ++o)
      for (size_t k = 0; is_floating(out_types[o].dtype) && k < order; ++k) r.series_out[o].push_back(outs[pos++]);
  }
  return r;
}

std::vector<AbstractValue> input_types(const Jaxpr& j) {
  std::vector<AbstractValue> t;
  for (int v : j.invars) t.push_back(j.var_types[static_cast<size_t>(v)]);
  return t;
}

std::vector<AbstractValue> output_types(const Jaxpr& j) {
  std::vector<AbstractValue> t;
  for (const Atom& a : j.outvars) t.push_back(j.type_of(a));
  return t;
}

std::vector<AbstractValue> types_of(std::span<const Array> xs) {
  std::vector<AbstractValue> t;
  for (const Array& x : xs) t.push_back(x.aval());
  return t;
}

std::string types_string(const std::vector<AbstractValue>& types) {
  std::string s = "(";
  for (size_t i = 0; i < types.size(); ++i) s += (i ? ", " : "") + to_string(types[i]);
  return s + ")";
}

JvpSplit jvp_split_program(const JaxprParam& j, const std::vector<bool>& nonzero) {
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

BatchedProgram batch_program(const JaxprParam& j, const std::vector<bool>& mapped, int64_t size,
                             const std::vector<bool>& force_mapped) {
  const Jaxpr& inner = j->jaxpr;
  detail::StagingInterpreter staging;
  detail::DynamicScope dynamic(&staging);
  std::vector<Array> in;
  for (size_t i = 0; i < inner.invars.size(); ++i) {
    AbstractValue aval = inner.var_types[inner.invars[i]];
    if (mapped[i]) aval.shape.insert(aval.shape.begin(), size);
    in.push_back(staging.new_input(aval));
  }
  BatchedProgram b;
  std::vector<Array> outs;
  {
    detail::BatchInterpreter batch(size);
    std::vector<Array> tracers;
    for (size_t i = 0; i < in.size(); ++i) tracers.push_back(batch.make_tracer(in[i], mapped[i] ? 0 : not_mapped));
    const std::vector<Array> results = eval_jaxpr(inner, j->consts, tracers);
    for (size_t o = 0; o < results.size(); ++o) {
      auto [value, dim] = batch.unpack(results[o]);
      const bool out_mapped = dim != not_mapped || (o < force_mapped.size() && force_mapped[o]);
      b.out_mapped.push_back(out_mapped);
      outs.push_back(out_mapped ? move_batch_axis(value, dim, 0, size) : value);
    }
  }
  ClosedJaxpr program = staging.finish(outs);
  dead_code_elimination(program.jaxpr);
  canonicalize_order(program.jaxpr);
  b.program = make_jaxpr_param(std::move(program));
  return b;
}

std::pair<JaxprParam, std::vector<Array>> consts_as_inputs(ClosedJaxpr traced) {
  Jaxpr j = std::move(traced.jaxpr);
  std::vector<int> invars = j.constvars;
  invars.insert(invars.end(), j.invars.begin(), j.invars.end());
  j.invars = std::move(invars);
  j.constvars.clear();
  return {make_jaxpr_param(ClosedJaxpr{std::move(j), {}, nullptr}), std::move(traced.consts)};
}

JaxprParam trace_program(const std::function<std::vector<Array>(std::span<const Array>)>& f,
                         const std::vector<AbstractValue>& in) {
  detail::StagingInterpreter staging;
  detail::DynamicScope dynamic(&staging);
  std::vector<Array> args;
  for (const AbstractValue& a : in) args.push_back(staging.new_input(a));
  ClosedJaxpr program = staging.finish(f(args));
  dead_code_elimination(program.jaxpr);
  canonicalize_order(program.jaxpr);
  return make_jaxpr_param(std::move(program));
}

}  // namespace fluxion::prim

namespace fluxion {

detail::JaxprMemo& detail::memo_of(const JaxprParam& j) {
  if (!j->memo) throw Error("internal error: a jaxpr parameter without its memo (use make_jaxpr_param)");
  return *j->memo;
}

JaxprParam make_jaxpr_param(ClosedJaxpr closed) {
  closed.memo = std::make_shared<detail::JaxprMemo>();
  return std::make_shared<const ClosedJaxpr>(std::move(closed));
}

}  // namespace fluxion
