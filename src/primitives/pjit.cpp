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
#include "primitives/pjit.hpp"

#include <string>

#include "compiler/emitter.hpp"
#include "compiler/executable.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/subprograms.hpp"
#include "primitives/taylor.hpp"

namespace fluxion {

namespace prim {

const JaxprParam& pjit_jaxpr(const Params& params) { return params.get<JaxprParam>("jaxpr"); }

Params pjit_params(JaxprParam jaxpr, std::string name) {
  return Params{{"jaxpr", std::move(jaxpr)}, {"name", std::move(name)}};
}

const std::shared_ptr<const compiler::Executable>& compiled_program(const JaxprParam& j, const std::string& name) {
  detail::JaxprMemo& memo = detail::memo_of(j);
  // One compile per program even when many threads make the first call.
  std::call_once(memo.compiled_once, [&] { memo.compiled = compiler::compile(*j, name); });
  return memo.compiled;
}

std::vector<Array> run_program(const JaxprParam& j, const std::string& name, std::span<const Array> args) {
  if (compiler::eager_mode()) return eval_jaxpr(j->jaxpr, j->consts, args);
  return compiled_program(j, name)->run(args);
}

namespace {

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
  if (!any) return {fluxion::bind(p, primals, params), {}};
  const JvpSplit& split = jvp_split(j, nonzero);
  std::vector<Array> outs = fluxion::bind(p, primals, pjit_params(split.primal, name));
  const size_t num_outs = outs.size() - split.num_residuals;
  std::vector<Array> tangent_in(outs.begin() + static_cast<std::ptrdiff_t>(num_outs), outs.end());
  for (size_t i = 0; i < tangents.size(); ++i)
    if (nonzero[i]) tangent_in.push_back(tangents[i]);
  outs.resize(num_outs);
  std::vector<Array> float_touts = fluxion::bind(p, tangent_in, pjit_params(split.tangent, "jvp(" + name + ")"));
  JvpResult r{std::move(outs), {}};
  size_t next = 0;
  for (const Array& o : r.primals_out) r.tangents_out.push_back(is_floating(o.dtype()) ? float_touts[next++] : Array());
  return r;
}

// The program's jet, traced once per pattern of moving inputs and order:
// jet(jit(f)) stays one compiled call.
TaylorResult pjit_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                      const Params& params) {
  const JaxprParam& j = pjit_jaxpr(params);
  const size_t order = order_of(series);
  std::vector<bool> moving(primals.size());
  for (size_t i = 0; i < primals.size(); ++i) moving[i] = !series[i].empty();
  const JaxprParam& program = jet_program(j, moving, order);
  const std::vector<Array> outs = fluxion::bind(p, jet_operands(primals, series),
                                                pjit_params(program, "jet(" + params.get<std::string>("name") + ")"));
  return jet_results(outs, output_types(j->jaxpr), order);
}

std::vector<Array> pjit_transpose(const Primitive& p, std::span<const Array> cts_out,
                                  std::span<const TransposeInput> inputs, const Params& params) {
  const JaxprParam& j = pjit_jaxpr(params);
  std::vector<bool> linear(inputs.size()), has_ct(cts_out.size());
  for (size_t i = 0; i < inputs.size(); ++i) linear[i] = inputs[i].is_linear();
  for (size_t o = 0; o < cts_out.size(); ++o) has_ct[o] = cts_out[o].valid();
  const JaxprParam& t = transposed_program(j, linear, has_ct);
  std::vector<Array> args;
  for (const TransposeInput& in : inputs)
    if (!in.is_linear()) args.push_back(in.known);
  for (const Array& ct : cts_out)
    if (ct.valid()) args.push_back(ct);
  std::vector<Array> linear_cts = fluxion::bind(p, args, pjit_params(t, "transpose(" + params.get<std::string>("name") + ")"));
  std::vector<Array> result(inputs.size());
  size_t next = 0;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].is_linear()) result[i] = std::move(linear_cts[next++]);
  return result;
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
  const BatchedProgram& batched = batched_program(j, mapped, size);
  BatchResult r;
  r.outputs = fluxion::bind(p, moved, pjit_params(batched.program, params.get<std::string>("name")));
  for (bool m : batched.out_mapped) r.dims.push_back(m ? 0 : not_mapped);
  return r;
}

// JAX's _pjit_pp_rule: `name` first "to make the resulting equation easier
// to scan", and the program's variables named as the equation's operands
// and results, so that a reader can follow values across the call.
PrintedEqn pjit_print(const Params& params) {
  PrintedEqn printed = printed_params(params);
  show_name_first(printed);
  printed.same_names_as_equation = pjit_jaxpr(params).get();
  return printed;
}

}  // namespace

// JAX's pjit primitive, which it names "jit" (since JAX 0.7).
const Primitive pjit_p{.name = "jit", .multiple_results = true, .abstract_eval = pjit_aval, .impl = pjit_impl,
                       .jvp = pjit_jvp, .transpose = pjit_transpose, .batch = pjit_batch, .jet = pjit_jet,
                       .lower = compiler::lower_via_eager, .print = pjit_print};

}  // namespace prim
}  // namespace fluxion
