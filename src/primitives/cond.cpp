// cond: JAX's cond_p. Operands: a 0-d int32 branch index, then the
// branches' operands; parameter `branches`, a tuple of programs of one
// signature. It runs branches[index], the index clamped into range (the API,
// fx::cond and fx::switch_, clamps it too, as JAX's does).
//   - JVP: each branch's JVP split into a primal program, which also returns
//     the residuals its tangents need, and a linear tangent program (as pjit;
//     JAX's _cond_partial_eval). Two cond equations: the first returns every
//     branch's residuals (the untaken branches' as zeros), the second picks
//     the same branch's tangent program; reverse mode records only it.
//   - transpose: a cond of the branches transposed (the index and the
//     residuals are known).
//   - batching: an unbatched index keeps one cond of the batched branches;
//     a batched index computes every branch and picks per example with
//     select_n (JAX's rule, including its guard: each branch sees its
//     operands through stop_gradient where it is not taken).
#include "compiler/emitter.hpp"

#include <algorithm>
#include <string>

#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/subprograms.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {

const JaxprParams& cond_branches(const Params& params) { return params.get<JaxprParams>("branches"); }
Params cond_params(JaxprParams branches) { return Params{{"branches", std::move(branches)}}; }

namespace {

std::vector<AbstractValue> cond_aval(const Primitive&, AvalRefs in, const Params& params) {
  const JaxprParams& branches = cond_branches(params);
  if (branches.empty()) throw TypeError("cond: there must be at least one branch");
  if (in.empty() || in[0]->dtype != DType::int32 || in[0]->ndim() != 0)
    throw TypeError("cond: the branch index must be a 0-d int32" +
                    (in.empty() ? std::string() : ", got " + to_string(*in[0])));
  std::vector<AbstractValue> out = output_types(branches[0]->jaxpr);
  for (size_t k = 0; k < branches.size(); ++k) {
    const Jaxpr& b = branches[k]->jaxpr;
    if (b.invars.size() != in.size() - 1)
      throw TypeError("cond: branch " + std::to_string(k) + " takes " + std::to_string(b.invars.size()) +
                      " operand(s), got " + std::to_string(in.size() - 1));
    for (size_t i = 0; i + 1 < in.size(); ++i)
      if (!same_shape_and_dtype(b.var_types[static_cast<size_t>(b.invars[i])], *in[i + 1]))
        throw TypeError("cond: operand " + std::to_string(i) + " has type " + to_string(*in[i + 1]) + " but branch " +
                        std::to_string(k) + " takes " + to_string(b.var_types[static_cast<size_t>(b.invars[i])]));
    const std::vector<AbstractValue> bo = output_types(b);
    bool same = bo.size() == out.size();
    for (size_t o = 0; same && o < bo.size(); ++o) same = same_shape_and_dtype(bo[o], out[o]);
    if (!same)
      throw TypeError("cond: branch 0 returns " + types_string(out) + " but branch " + std::to_string(k) +
                      " returns " + types_string(bo));
    for (size_t o = 0; o < bo.size(); ++o) out[o].weak_type = out[o].weak_type && bo[o].weak_type;
  }
  return out;
}

int32_t clamped_index(const Array& index, size_t num_branches) {
  return std::clamp(index.item<int32_t>(), int32_t{0}, static_cast<int32_t>(num_branches) - 1);
}

std::vector<Array> cond_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                             const Params& params) {
  const JaxprParams& branches = cond_branches(params);
  const ClosedJaxpr& b = *branches[static_cast<size_t>(clamped_index(in[0], branches.size()))];
  std::vector<Array> results = eval_jaxpr(b.jaxpr, b.consts, in.subspan(1));
  // A weakly typed result of a branch whose siblings return a strong one.
  for (size_t o = 0; o < results.size(); ++o)
    if (results[o].weak_type() && !out[o].weak_type) results[o] = lax::convert(results[o], out[o].dtype);
  return results;
}

JvpResult cond_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                   const Params& params) {
  const JaxprParams& branches = cond_branches(params);
  const std::span<const Array> ops = primals.subspan(1);
  std::vector<bool> nonzero(ops.size());
  std::vector<Array> op_tangents;
  for (size_t i = 0; i < ops.size(); ++i) {
    nonzero[i] = tangents[i + 1].valid();
    if (nonzero[i]) op_tangents.push_back(tangents[i + 1]);
  }
  if (op_tangents.empty()) return {fluxion::bind(p, primals, params), {}};

  std::vector<const JvpSplit*> splits;
  for (const JaxprParam& b : branches) splits.push_back(&jvp_split(b, nonzero));
  const size_t num_outs = branches[0]->jaxpr.outvars.size();
  // Residual slots: every branch's, in branch order.
  std::vector<std::vector<AbstractValue>> residuals;
  std::vector<AbstractValue> all_residuals;
  for (const JvpSplit* s : splits) {
    const std::vector<AbstractValue> outs = output_types(s->primal->jaxpr);
    residuals.emplace_back(outs.begin() + static_cast<std::ptrdiff_t>(num_outs), outs.end());
    all_residuals.insert(all_residuals.end(), residuals.back().begin(), residuals.back().end());
  }
  const std::vector<AbstractValue> op_types = types_of(ops), tangent_types = types_of(op_tangents);
  JaxprParams primal_branches, tangent_branches;
  for (size_t k = 0; k < branches.size(); ++k) {
    const ClosedJaxpr& primal = *splits[k]->primal;
    primal_branches.push_back(trace_program(
        [&](std::span<const Array> args) {
          std::vector<Array> r = eval_jaxpr(primal.jaxpr, primal.consts, args);
          std::vector<Array> outs(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(num_outs));
          for (size_t other = 0; other < branches.size(); ++other) {
            if (other == k) outs.insert(outs.end(), r.begin() + static_cast<std::ptrdiff_t>(num_outs), r.end());
            else
              for (const AbstractValue& t : residuals[other]) outs.push_back(lax::zeros(t));
          }
          return outs;
        },
        op_types));
    size_t first = 0;
    for (size_t other = 0; other < k; ++other) first += residuals[other].size();
    const ClosedJaxpr& tangent = *splits[k]->tangent;
    std::vector<AbstractValue> in = all_residuals;
    in.insert(in.end(), tangent_types.begin(), tangent_types.end());
    tangent_branches.push_back(trace_program(
        [&](std::span<const Array> args) {
          std::vector<Array> own(args.begin() + static_cast<std::ptrdiff_t>(first),
                                 args.begin() + static_cast<std::ptrdiff_t>(first + residuals[k].size()));
          own.insert(own.end(), args.begin() + static_cast<std::ptrdiff_t>(all_residuals.size()), args.end());
          return eval_jaxpr(tangent.jaxpr, tangent.consts, own);
        },
        in));
  }
  std::vector<Array> outs = fluxion::bind(p, primals, cond_params(std::move(primal_branches)));
  std::vector<Array> tangent_in{primals[0]};
  tangent_in.insert(tangent_in.end(), outs.begin() + static_cast<std::ptrdiff_t>(num_outs), outs.end());
  tangent_in.insert(tangent_in.end(), op_tangents.begin(), op_tangents.end());
  outs.resize(num_outs);
  const std::vector<Array> float_tangents = fluxion::bind(p, tangent_in, cond_params(std::move(tangent_branches)));
  JvpResult r{std::move(outs), {}};
  size_t next = 0;
  for (const Array& o : r.primals_out)
    r.tangents_out.push_back(is_floating(o.dtype()) ? float_tangents[next++] : Array());
  return r;
}

// Every branch's jet, with the same layout (terms instantiated for every
// floating output), so that they stay interchangeable.
TaylorResult cond_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                      const Params& params) {
  const JaxprParams& branches = cond_branches(params);
  const size_t order = order_of(series);
  std::vector<bool> moving(primals.size() - 1);
  for (size_t i = 0; i < moving.size(); ++i) moving[i] = !series[i + 1].empty();
  JaxprParams jets;
  for (const JaxprParam& b : branches) jets.push_back(jet_program(b, moving, order));
  std::vector<Array> args{primals[0]};
  const std::vector<Array> ops = jet_operands(primals.subspan(1), series.subspan(1));
  args.insert(args.end(), ops.begin(), ops.end());
  const std::vector<Array> outs = fluxion::bind(p, args, cond_params(std::move(jets)));
  return jet_results(outs, output_types(branches[0]->jaxpr), order);
}

std::vector<Array> cond_transpose(const Primitive& p, std::span<const Array> cts_out,
                                  std::span<const TransposeInput> inputs, const Params& params) {
  if (inputs[0].is_linear()) throw Error("cond: internal error: a linear branch index");
  const JaxprParams& branches = cond_branches(params);
  std::vector<bool> linear(inputs.size() - 1), has_ct(cts_out.size());
  for (size_t i = 1; i < inputs.size(); ++i) linear[i - 1] = inputs[i].is_linear();
  for (size_t o = 0; o < cts_out.size(); ++o) has_ct[o] = cts_out[o].valid();
  JaxprParams transposed;
  for (const JaxprParam& b : branches) transposed.push_back(transposed_program(b, linear, has_ct));
  std::vector<Array> args{inputs[0].known};
  for (size_t i = 1; i < inputs.size(); ++i)
    if (!inputs[i].is_linear()) args.push_back(inputs[i].known);
  for (const Array& ct : cts_out)
    if (ct.valid()) args.push_back(ct);
  std::vector<Array> linear_cts = fluxion::bind(p, args, cond_params(std::move(transposed)));
  std::vector<Array> result(inputs.size());
  size_t next = 0;
  for (size_t i = 1; i < inputs.size(); ++i)
    if (inputs[i].is_linear()) result[i] = std::move(linear_cts[next++]);
  return result;
}

BatchResult cond_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                       const Params& params) {
  const JaxprParams& branches = cond_branches(params);
  const int64_t size = batch_size(values, dims);
  const size_t num_outs = branches[0]->jaxpr.outvars.size();
  BatchResult r;
  if (dims[0] == not_mapped) {
    std::vector<bool> mapped(values.size() - 1);
    std::vector<Array> args{values[0]};
    for (size_t i = 1; i < values.size(); ++i) {
      mapped[i - 1] = dims[i] != not_mapped;
      args.push_back(mapped[i - 1] ? move_batch_axis(values[i], dims[i], 0, size) : values[i]);
    }
    // An output is batched when it is in any branch; the others then batch it too.
    std::vector<bool> out_mapped(num_outs, false);
    for (const JaxprParam& b : branches) {
      const std::vector<bool>& m = batched_program(b, mapped, size).out_mapped;
      for (size_t o = 0; o < num_outs; ++o) out_mapped[o] = out_mapped[o] || m[o];
    }
    JaxprParams batched;
    for (const JaxprParam& b : branches) batched.push_back(batched_program(b, mapped, size, out_mapped).program);
    r.outputs = fluxion::bind(p, args, cond_params(std::move(batched)));
    for (bool m : out_mapped) r.dims.push_back(m ? 0 : not_mapped);
    return r;
  }
  // A batched index: every branch on every example, then a per-example pick.
  const Array index = move_batch_axis(values[0], dims[0], 0, size);
  std::vector<Array> ops;
  for (size_t i = 1; i < values.size(); ++i) ops.push_back(move_batch_axis(values[i], dims[i], 0, size));
  const Array clamped =
      bind1(max_p, {bind1(min_p, {index, lax::constant_like(index, static_cast<double>(branches.size() - 1))}),
                    lax::constant_like(index, 0.0)});
  const std::vector<bool> all(ops.size(), true), all_out(num_outs, true);
  std::vector<std::vector<Array>> branch_outs;
  for (size_t k = 0; k < branches.size(); ++k) {
    const ClosedJaxpr& b = *batched_program(branches[k], all, size, all_out).program;
    const Array taken = bind1(eq_p, {clamped, lax::constant_like(index, static_cast<double>(k))});
    std::vector<Array> guarded;
    for (const Array& x : ops) {
      std::vector<int64_t> leading{0};
      const Array pick = lax::broadcast_in_dim(taken, x.shape(), leading);
      guarded.push_back(lax::select(pick, x, bind1(stop_gradient_p, {x})));
    }
    branch_outs.push_back(eval_jaxpr(b.jaxpr, b.consts, guarded));
  }
  for (size_t o = 0; o < num_outs; ++o) {
    std::vector<Array> cases{lax::broadcast_in_dim(clamped, branch_outs[0][o].shape(), {0})};
    for (const auto& outs : branch_outs) cases.push_back(outs[o]);
    r.outputs.push_back(bind1(select_n_p, cases));
    r.dims.push_back(0);
  }
  return r;
}

// A real branch: each branch is compiled into a function of the same unit,
// and a switch on the (clamped) index calls one.
void cond_lower(const Primitive&, compiler::Emitter& e) {
  const JaxprParams& branches = cond_branches(e.params());
  std::vector<std::string> ins, outs;
  for (size_t k = 1; k < e.num_inputs(); ++k) ins.push_back(e.in_buffer(k));
  for (size_t k = 0; k < e.num_outputs(); ++k) outs.push_back(e.out_buffer(k));
  const std::string index = e.in_buffer(0) + "[0]", last = std::to_string(branches.size() - 1);
  e.line("switch (" + index + " <= 0 ? 0 : " + index + " >= " + last + " ? " + last + " : " + index + ") {");
  for (size_t k = 0; k < branches.size(); ++k)
    e.line((k + 1 == branches.size() ? std::string("  default: ") : "  case " + std::to_string(k) + ": ") +
           e.call_subprogram(*branches[k], ins, outs) + " break;");
  e.line("}");
}

}  // namespace

const Primitive cond_p{.name = "cond", .multiple_results = true, .abstract_eval = cond_aval, .impl = cond_impl,
                       .jvp = cond_jvp, .transpose = cond_transpose, .batch = cond_batch, .jet = cond_jet,
                       .lower = cond_lower};

}  // namespace fluxion::prim
