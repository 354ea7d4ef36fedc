// custom_jvp_call, custom_vjp_call and custom_lin: functions whose
// derivative is the user's rule (fx::custom_jvp, fx::custom_vjp in
// include/fluxion/custom_derivatives.hpp), as JAX's primitives of these names.
//
// Operands are the constants the function captured (`num_consts`, not
// printed, as in JAX) then its arguments; `call_jaxpr` takes them in that
// order and computes the function's value, which is what evaluation,
// batching and jit use. The rules are function parameters (RuleFunction):
//   - custom_jvp_call's JVP calls `jvp` on (arguments, their tangents) at the
//     levels below, as JAX's JVPTrace.process_custom_jvp_call does;
//   - custom_vjp_call's JVP runs `fwd` (outputs, residuals) and emits the
//     tangents as custom_lin(residuals, tangents): linear in the tangents, so
//     reverse mode records it, and its transpose runs `bwd`. Evaluating it
//     (forward mode) is the error JAX raises.
// Batching maps the rules too: each runs under a batching interpreter with
// every operand and result mapped along axis 0.
#include <string>

#include "compiler/emitter.hpp"
#include "fluxion/errors.hpp"
#include "interpreters/batching.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/subprograms.hpp"
#include "primitives/taylor.hpp"
#include "fluxion/jet.hpp"

namespace fluxion::prim {

namespace {

const JaxprParam& call_jaxpr(const Params& p) { return p.get<JaxprParam>("call_jaxpr"); }
const FunctionParam& rule(const Params& p, std::string_view key) { return p.get<FunctionParam>(key); }
size_t num_consts(const Params& p) { return static_cast<size_t>(p.get<int64_t>("num_consts")); }

std::vector<AbstractValue> call_aval(const Primitive& prim, AvalRefs in, const Params& params) {
  const Jaxpr& j = call_jaxpr(params)->jaxpr;
  if (in.size() != j.invars.size())
    throw TypeError(std::string(prim.name) + " " + params.get<std::string>("name") + ": the program takes " +
                    std::to_string(j.invars.size()) + " operand(s), got " + std::to_string(in.size()));
  for (size_t i = 0; i < in.size(); ++i)
    if (!same_shape_and_dtype(*in[i], j.var_types[j.invars[i]]))
      throw TypeError(std::string(prim.name) + " " + params.get<std::string>("name") + ": operand " +
                      std::to_string(i) + " has type " + to_string(*in[i]) + " but the program was traced for " +
                      to_string(j.var_types[j.invars[i]]));
  return output_types(j);
}

std::vector<Array> call_impl(const Primitive&, std::span<const Array> inputs, std::span<const AbstractValue>,
                             const Params& params) {
  const ClosedJaxpr& c = *call_jaxpr(params);
  return eval_jaxpr(c.jaxpr, c.consts, inputs);
}

// The arguments (operands after the constants), and their tangents with
// zeros instantiated. A constant with a tangent means the function closes
// over a value being differentiated, which its rule cannot see.
std::pair<std::vector<Array>, std::vector<Array>> arguments_and_tangents(const Primitive& prim,
                                                                         std::span<const Array> primals,
                                                                         std::span<const Array> tangents,
                                                                         const Params& params) {
  const size_t nc = num_consts(params);
  for (size_t i = 0; i < nc; ++i)
    if (tangents[i].valid())
      throw Error(std::string(prim.name == "custom_jvp_call" ? "custom_jvp" : "custom_vjp") + " function " +
                  params.get<std::string>("name") +
                  " closes over a value that is being differentiated; its rule cannot see that value's "
                  "tangent. Pass the value as an argument instead (JAX: jax.closure_convert).");
  std::vector<Array> args(primals.begin() + static_cast<std::ptrdiff_t>(nc), primals.end());
  std::vector<Array> dots;
  for (size_t i = nc; i < primals.size(); ++i) dots.push_back(lax::instantiate(tangents[i], tangent_aval(primals[i].aval())));
  return {std::move(args), std::move(dots)};
}

// A rule's results of the types `want` (weak results made strong); `what`
// names them in the error.
void check_rule_results(std::vector<Array>& got, const std::vector<AbstractValue>& want, const std::string& what) {
  bool same = got.size() == want.size();
  for (size_t i = 0; same && i < got.size(); ++i)
    same = got[i].valid() && got[i].shape() == want[i].shape && got[i].dtype() == want[i].dtype;
  if (!same) {
    std::vector<AbstractValue> types;
    for (const Array& g : got) types.push_back(g.valid() ? g.aval() : AbstractValue{});
    throw TypeError(what + " must have the types " + types_string(want) + ", got " + types_string(types));
  }
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i].weak_type() && !want[i].weak_type) got[i] = lax::convert(got[i], got[i].dtype());
}

JvpResult custom_jvp_jvp(const Primitive& prim, std::span<const Array> primals, std::span<const Array> tangents,
                         const Params& params) {
  auto [args, dots] = arguments_and_tangents(prim, primals, tangents, params);
  const FunctionParam& jvp = rule(params, "jvp");
  std::vector<Array> in = args;
  in.insert(in.end(), dots.begin(), dots.end());
  std::vector<Array> results = jvp->fn(in);
  const std::vector<AbstractValue> outs = output_types(call_jaxpr(params)->jaxpr);
  const std::string who = "custom_jvp rule " + jvp->name + " for function " + params.get<std::string>("name");
  if (results.size() != 2 * outs.size())
    throw TypeError(who + " must produce primal and tangent outputs with the structure of the function's output (" +
                    std::to_string(outs.size()) + " array(s) each), got " + std::to_string(results.size()) +
                    " arrays in all");
  std::vector<Array> primal_out(results.begin(), results.begin() + static_cast<std::ptrdiff_t>(outs.size()));
  std::vector<Array> tangent_out(results.begin() + static_cast<std::ptrdiff_t>(outs.size()), results.end());
  check_rule_results(primal_out, outs, who + ": its primal outputs");
  std::vector<AbstractValue> tangent_types;
  for (const AbstractValue& o : outs) tangent_types.push_back(tangent_aval(o));
  for (size_t i = 0; i < outs.size(); ++i)
    if (!is_floating(outs[i].dtype)) tangent_out[i] = lax::instantiate(tangent_out[i], tangent_types[i]);
  check_rule_results(tangent_out, tangent_types, who + ": its tangent outputs");
  return {std::move(primal_out), std::move(tangent_out)};
}

// `f` mapped along axis 0 of every input (all of batch size `size`), every
// result mapped along axis 0.
FunctionParam batched_rule(const FunctionParam& f, int64_t size) {
  auto out = std::make_shared<RuleFunction>(*f);
  out->fn = [f, size](std::span<const Array> in) {
    std::vector<Array> results;
    {
      detail::BatchInterpreter batch(size);
      std::vector<Array> tracers;
      for (const Array& x : in) tracers.push_back(batch.make_tracer(x, 0));
      for (const Array& r : f->fn(tracers)) {
        if (!r.valid()) {
          results.push_back(r);
          continue;
        }
        auto [value, dim] = batch.unpack(r);
        results.push_back(move_batch_axis(value, dim, 0, size));
      }
    }
    return results;
  };
  for (AbstractValue& t : out->result_types) t.shape.insert(t.shape.begin(), size);
  return out;
}

// The operands with their batch axes at 0 (unmapped ones broadcast), and the
// call_jaxpr batched so.
std::pair<std::vector<Array>, JaxprParam> batch_call(std::span<const Array> values, std::span<const int> dims,
                                                     const Params& params, int64_t size) {
  std::vector<Array> moved;
  for (size_t i = 0; i < values.size(); ++i) moved.push_back(move_batch_axis(values[i], dims[i], 0, size));
  const size_t n_out = call_jaxpr(params)->jaxpr.outvars.size();
  const BatchedProgram& b =
      batched_program(call_jaxpr(params), std::vector<bool>(values.size(), true), size, std::vector<bool>(n_out, true));
  return {std::move(moved), b.program};
}

BatchResult custom_jvp_batch(const Primitive& prim, std::span<const Array> values, std::span<const int> dims,
                             const Params& params) {
  const int64_t size = batch_size(values, dims);
  auto [moved, program] = batch_call(values, dims, params, size);
  BatchResult r;
  r.outputs = fluxion::bind(prim, moved,
                            custom_jvp_call_params(params.get<std::string>("name"), program,
                                                   batched_rule(rule(params, "jvp"), size), num_consts(params)));
  r.dims.assign(r.outputs.size(), 0);
  return r;
}

// Inlined: the function's program is a sub-program of the unit.
void call_lower(const Primitive&, compiler::Emitter& e) {
  std::vector<std::string> ins, outs;
  for (size_t k = 0; k < e.num_inputs(); ++k) ins.push_back(e.in_buffer(k));
  for (size_t k = 0; k < e.num_outputs(); ++k) outs.push_back(e.out_buffer(k));
  e.line(e.call_subprogram(*call_jaxpr(e.params()), ins, outs));
}

// ------------------------------------------------------------ custom_vjp

JvpResult custom_vjp_jvp(const Primitive& prim, std::span<const Array> primals, std::span<const Array> tangents,
                         const Params& params) {
  auto [args, dots] = arguments_and_tangents(prim, primals, tangents, params);
  const FunctionParam& fwd = rule(params, "fwd");
  const FunctionParam& bwd = rule(params, "bwd");
  std::vector<Array> results = fwd->fn(args);
  const std::vector<AbstractValue> outs = output_types(call_jaxpr(params)->jaxpr);
  const std::string who = "custom_vjp fwd rule " + fwd->name + " for function " + params.get<std::string>("name");
  if (results.size() < outs.size())
    throw TypeError(who + " must produce a pair (the primal output, the residuals) whose first element has the "
                    "function's output types " + types_string(outs));
  std::vector<Array> out(results.begin(), results.begin() + static_cast<std::ptrdiff_t>(outs.size()));
  std::vector<Array> residuals(results.begin() + static_cast<std::ptrdiff_t>(outs.size()), results.end());
  check_rule_results(out, outs, who + ": its primal output");
  // custom_lin's outputs are the tangents of the floating outputs.
  auto lin_bwd = std::make_shared<RuleFunction>(*bwd);
  lin_bwd->result_types.clear();
  for (const AbstractValue& o : outs) lin_bwd->result_types.push_back(tangent_aval(o));
  std::vector<Array> lin_in = residuals;
  lin_in.insert(lin_in.end(), dots.begin(), dots.end());
  std::vector<Array> tangent_out = fluxion::bind(custom_lin_p, lin_in,
                                                 custom_lin_params(lin_bwd, static_cast<int64_t>(residuals.size()),
                                                                   std::vector<bool>(dots.size(), false)));
  return {std::move(out), std::move(tangent_out)};
}

BatchResult custom_vjp_batch(const Primitive& prim, std::span<const Array> values, std::span<const int> dims,
                             const Params& params) {
  const int64_t size = batch_size(values, dims);
  auto [moved, program] = batch_call(values, dims, params, size);
  BatchResult r;
  r.outputs = fluxion::bind(prim, moved,
                            custom_vjp_call_params(params.get<std::string>("name"), program,
                                                   batched_rule(rule(params, "fwd"), size),
                                                   batched_rule(rule(params, "bwd"), size), num_consts(params)));
  r.dims.assign(r.outputs.size(), 0);
  return r;
}

// ------------------------------------------------------------ custom_lin

[[noreturn]] void throw_forward_mode_error() {
  throw TypeError(
      "can't apply forward-mode autodiff (jvp) to a custom_vjp function. fx::custom_vjp defines reverse mode only "
      "(grad, vjp, jacrev); for jvp, jacfwd and hessian give the function a fx::custom_jvp rule instead.");
}

std::vector<AbstractValue> lin_aval(const Primitive&, AvalRefs, const Params& params) {
  return rule(params, "bwd")->result_types;
}

std::vector<Array> lin_impl(const Primitive&, std::span<const Array>, std::span<const AbstractValue>, const Params&) {
  throw_forward_mode_error();
}

// jet ignores custom rules, as JAX's JetTrace does (process_custom_jvp_call
// and process_custom_vjp_call call the function): the terms are those of
// the function's own program.
TaylorResult call_jet(const Primitive&, std::span<const Array> primals, std::span<const Series> series,
                      const Params& params) {
  const ClosedJaxpr& c = *call_jaxpr(params);
  auto [outs, terms] = detail::jet_core(
      [&](const std::vector<Array>& xs) { return eval_jaxpr(c.jaxpr, c.consts, xs); },
      std::vector<Array>(primals.begin(), primals.end()), std::vector<Series>(series.begin(), series.end()));
  for (size_t o = 0; o < outs.size(); ++o)
    if (!is_floating(outs[o].dtype())) terms[o].clear();
  return {std::move(outs), std::move(terms)};
}

TaylorResult lin_jet(const Primitive&, std::span<const Array>, std::span<const Series>, const Params&) {
  throw_forward_mode_error();
}

JvpResult lin_jvp(const Primitive&, std::span<const Array>, std::span<const Array>, const Params&) {
  throw_forward_mode_error();
}

std::vector<Array> lin_transpose(const Primitive&, std::span<const Array> cts_out,
                                 std::span<const TransposeInput> inputs, const Params& params) {
  const size_t num_res = static_cast<size_t>(params.get<int64_t>("num_res"));
  const FunctionParam& bwd = rule(params, "bwd");
  std::vector<Array> in;
  for (size_t i = 0; i < num_res; ++i) {
    if (inputs[i].is_linear()) throw Error("custom_lin: a residual of " + bwd->name + " is linear");
    in.push_back(inputs[i].known);
  }
  for (size_t o = 0; o < cts_out.size(); ++o) in.push_back(lax::instantiate(cts_out[o], bwd->result_types[o]));
  std::vector<Array> cts = bwd->fn(in);
  const size_t num_args = inputs.size() - num_res;
  if (cts.size() != num_args)
    throw TypeError("Custom VJP bwd rule " + bwd->name +
                    " must produce an output with the same container (pytree) structure as the args tuple of the "
                    "primal function, and in particular must produce a tuple of length equal to the number of "
                    "arguments to the primal function, but got " + std::to_string(cts.size()) +
                    " cotangent(s) for " + std::to_string(num_args) + " argument(s).");
  std::vector<Array> result(inputs.size());
  for (size_t k = 0; k < num_args; ++k) {
    const AbstractValue want = tangent_aval(inputs[num_res + k].aval);
    Array& ct = cts[k];
    if (!ct.valid()) continue;  // an empty Array: a zero cotangent (JAX's None)
    if (ct.shape() != want.shape || (is_floating(want.dtype) && ct.dtype() != want.dtype && !ct.weak_type()))
      throw TypeError("Custom VJP bwd rule " + bwd->name + " must produce cotangents of the arguments' types: for "
                      "argument " + std::to_string(k) + " of type " + to_string(want) + " it produced " +
                      to_string(ct.aval()));
    if (ct.dtype() != want.dtype || ct.weak_type()) ct = lax::convert(ct, want.dtype);
    result[num_res + k] = ct;
  }
  return result;
}

BatchResult lin_batch(const Primitive& prim, std::span<const Array> values, std::span<const int> dims,
                      const Params& params) {
  const int64_t size = batch_size(values, dims);
  std::vector<Array> moved;
  for (size_t i = 0; i < values.size(); ++i) moved.push_back(move_batch_axis(values[i], dims[i], 0, size));
  BatchResult r;
  r.outputs = fluxion::bind(prim, moved,
                            custom_lin_params(batched_rule(rule(params, "bwd"), size), params.get<int64_t>("num_res"),
                                              params.get<std::vector<bool>>("in_zeros")));
  r.dims.assign(r.outputs.size(), 0);
  return r;
}

void lin_lower(const Primitive&, compiler::Emitter&) { throw_forward_mode_error(); }

}  // namespace

Params custom_jvp_call_params(std::string name, JaxprParam call_jaxpr, FunctionParam jvp, size_t num_consts) {
  return Params{{"call_jaxpr", std::move(call_jaxpr)},
                {"jvp", std::move(jvp)},
                {"name", std::move(name)},
                {"num_consts", static_cast<int64_t>(num_consts)},
                {"symbolic_zeros", false}};
}

Params custom_vjp_call_params(std::string name, JaxprParam call_jaxpr, FunctionParam fwd, FunctionParam bwd,
                              size_t num_consts) {
  return Params{{"bwd", std::move(bwd)},
                {"call_jaxpr", std::move(call_jaxpr)},
                {"fwd", std::move(fwd)},
                {"name", std::move(name)},
                {"num_consts", static_cast<int64_t>(num_consts)},
                {"symbolic_zeros", false}};
}

Params custom_lin_params(FunctionParam bwd, int64_t num_res, std::vector<bool> in_zeros) {
  return Params{{"bwd", std::move(bwd)},
                {"in_zeros", std::move(in_zeros)},
                {"num_res", num_res},
                {"symbolic_zeros", false}};
}

namespace {

// JAX's _custom_jvp_call_pp_rule and _custom_vjp_call_pp_rule: the
// function's name first, the rest by name; num_consts only when nonzero.
PrintedEqn call_print(const Params& params) {
  PrintedEqn printed = printed_params(params);
  if (params.get<int64_t>("num_consts") == 0) hide_param(printed, "num_consts");
  show_name_first(printed);
  return printed;
}

// custom_lin's in_zeros is a Python list in JAX, so it prints in brackets.
PrintedEqn lin_print(const Params& params) {
  PrintedEqn printed = printed_params(params);
  for (auto& [key, value] : printed.params) {
    if (key != "in_zeros") continue;
    std::string list = "[";
    const auto& zeros = std::get<std::vector<bool>>(value);
    for (size_t i = 0; i < zeros.size(); ++i) list += std::string(i ? ", " : "") + (zeros[i] ? "True" : "False");
    value = list + "]";
  }
  return printed;
}

}  // namespace

const Primitive custom_jvp_call_p{.name = "custom_jvp_call", .multiple_results = true, .abstract_eval = call_aval,
                                  .impl = call_impl, .jvp = custom_jvp_jvp, .batch = custom_jvp_batch, .jet = call_jet,
                                  .lower = call_lower, .print = call_print};
const Primitive custom_vjp_call_p{.name = "custom_vjp_call", .multiple_results = true, .abstract_eval = call_aval,
                                  .impl = call_impl, .jvp = custom_vjp_jvp, .batch = custom_vjp_batch, .jet = call_jet,
                                  .lower = call_lower, .print = call_print};
const Primitive custom_lin_p{.name = "custom_lin", .multiple_results = true, .abstract_eval = lin_aval,
                             .impl = lin_impl, .jvp = lin_jvp, .transpose = lin_transpose, .batch = lin_batch, .jet = lin_jet,
                             .lower = lin_lower, .print = lin_print};

}  // namespace fluxion::prim
