// while: JAX's while_p. Operands: cond_nconsts constants of cond_jaxpr, then
// body_nconsts constants of body_jaxpr, then the initial carry; outputs: the
// final carry. cond_jaxpr maps (its constants, carry) to a 0-d bool; body_jaxpr
// maps (its constants, carry) to the next carry.
//   - JVP: one while over the primal carry and the tangents of the carries
//     that can become nonzero (a fixpoint over the body), the body's JVP as
//     its body. Forward mode only: the tangent loop is not linear in a form
//     reverse mode can transpose, so the transpose rule raises JAX's error
//     naming fori_loop with constant bounds and scan.
//   - batching: a batch of loops whose predicate is the same for every member
//     stays one while; when it differs, the loop runs while any member's
//     predicate holds, and a finished member keeps its carry (select_n).
#include "compiler/emitter.hpp"

#include <algorithm>
#include <string>

#include "interpreters/interpreter.hpp"
#include "interpreters/jvp.hpp"
#include "interpreters/staging.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/subprograms.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {

Params while_params(JaxprParam cond_jaxpr, int64_t cond_nconsts, JaxprParam body_jaxpr, int64_t body_nconsts) {
  return Params{{"body_jaxpr", std::move(body_jaxpr)},
                {"body_nconsts", body_nconsts},
                {"cond_jaxpr", std::move(cond_jaxpr)},
                {"cond_nconsts", cond_nconsts}};
}

namespace {

struct WhileParams {
  const JaxprParam& cond;
  const JaxprParam& body;
  size_t cond_nconsts, body_nconsts;
};

WhileParams read(const Params& p) {
  return {p.get<JaxprParam>("cond_jaxpr"), p.get<JaxprParam>("body_jaxpr"),
          static_cast<size_t>(p.get<int64_t>("cond_nconsts")), static_cast<size_t>(p.get<int64_t>("body_nconsts"))};
}

std::vector<AbstractValue> while_aval(const Primitive&, AvalRefs in, const Params& params) {
  const WhileParams w = read(params);
  if (in.size() < w.cond_nconsts + w.body_nconsts)
    throw TypeError("while: " + std::to_string(in.size()) + " operand(s) but " +
                    std::to_string(w.cond_nconsts + w.body_nconsts) + " constants");
  const size_t ncarry = in.size() - w.cond_nconsts - w.body_nconsts;
  const std::vector<AbstractValue> cin = input_types(w.cond->jaxpr), bin = input_types(w.body->jaxpr);
  const std::vector<AbstractValue> cout = output_types(w.cond->jaxpr), bout = output_types(w.body->jaxpr);
  if (cin.size() != w.cond_nconsts + ncarry || bin.size() != w.body_nconsts + ncarry || bout.size() != ncarry)
    throw TypeError("while: the programs' signatures do not match the operands");
  if (cout.size() != 1 || cout[0].dtype != DType::bool_ || cout[0].ndim() != 0)
    throw TypeError("while: cond_jaxpr must return one 0-d bool");
  std::vector<AbstractValue> out;
  for (size_t i = 0; i < ncarry; ++i) {
    const AbstractValue& init = *in[w.cond_nconsts + w.body_nconsts + i];
    if (!same_shape_and_dtype(init, cin[w.cond_nconsts + i]) || !same_shape_and_dtype(init, bin[w.body_nconsts + i]) ||
        !same_shape_and_dtype(init, bout[i]))
      throw TypeError("while: carry " + std::to_string(i) + " has type " + to_string(init) +
                      " but the body returns " + to_string(bout[i]));
    out.push_back(bout[i]);
    out.back().weak_type = init.weak_type && bout[i].weak_type;
  }
  for (size_t i = 0; i < w.cond_nconsts; ++i)
    if (!same_shape_and_dtype(*in[i], cin[i])) throw TypeError("while: cond constant " + std::to_string(i) + " has another type");
  for (size_t i = 0; i < w.body_nconsts; ++i)
    if (!same_shape_and_dtype(*in[w.cond_nconsts + i], bin[i]))
      throw TypeError("while: body constant " + std::to_string(i) + " has another type");
  return out;
}

std::vector<Array> concat(std::span<const Array> a, std::span<const Array> b) {
  std::vector<Array> out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::vector<Array> while_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                              const Params& params) {
  const WhileParams w = read(params);
  const std::span<const Array> cconsts = in.subspan(0, w.cond_nconsts), bconsts = in.subspan(w.cond_nconsts, w.body_nconsts);
  std::vector<Array> carry(in.begin() + static_cast<std::ptrdiff_t>(w.cond_nconsts + w.body_nconsts), in.end());
  while (eval_jaxpr(w.cond->jaxpr, w.cond->consts, concat(cconsts, carry))[0].item<bool>())
    carry = eval_jaxpr(w.body->jaxpr, w.body->consts, concat(bconsts, carry));
  for (size_t i = 0; i < carry.size(); ++i)
    if (carry[i].weak_type() && !out[i].weak_type) carry[i] = lax::convert(carry[i], out[i].dtype);
  return carry;
}

// The body's JVP as a program: (body consts, their nonzero tangents, carry,
// the nonzero carry tangents) -> (carry, the nonzero carry tangents), zeros
// instantiated where `carry_nz` says a tangent is carried. Also returns which
// carry tangents the body makes nonzero.
std::pair<JaxprParam, std::vector<bool>> body_jvp(const JaxprParam& body, size_t nconsts, const std::vector<bool>& const_nz,
                                                  const std::vector<bool>& carry_nz) {
  const Jaxpr& j = body->jaxpr;
  const std::vector<AbstractValue> types = input_types(j);
  std::vector<AbstractValue> in(types.begin(), types.begin() + static_cast<std::ptrdiff_t>(nconsts));
  for (size_t i = 0; i < nconsts; ++i)
    if (const_nz[i]) in.push_back(tangent_aval(types[i]));
  in.insert(in.end(), types.begin() + static_cast<std::ptrdiff_t>(nconsts), types.end());
  for (size_t i = 0; i < carry_nz.size(); ++i)
    if (carry_nz[i]) in.push_back(tangent_aval(types[nconsts + i]));
  std::vector<bool> out_nz(carry_nz.size(), false);
  JaxprParam program = trace_program(
      [&](std::span<const Array> args) {
        std::vector<Array> primals, tangents;
        size_t next = 0;
        for (size_t i = 0; i < nconsts; ++i) primals.push_back(args[next++]);
        for (size_t i = 0; i < nconsts; ++i) tangents.push_back(const_nz[i] ? args[next++] : Array());
        for (size_t i = 0; i < carry_nz.size(); ++i) primals.push_back(args[next++]);
        for (size_t i = 0; i < carry_nz.size(); ++i) tangents.push_back(carry_nz[i] ? args[next++] : Array());
        detail::JvpInterpreter jvp;
        std::vector<Array> tracers;
        for (size_t i = 0; i < primals.size(); ++i) tracers.push_back(jvp.make_tracer(primals[i], tangents[i]));
        std::vector<Array> outs, touts;
        const std::vector<Array> results = eval_jaxpr(j, body->consts, tracers);
        for (size_t i = 0; i < results.size(); ++i) {
          auto [p, t] = jvp.unpack(results[i]);
          out_nz[i] = t.valid();
          if (carry_nz[i]) touts.push_back(lax::instantiate(t, tangent_aval(p.aval())));
          outs.push_back(std::move(p));
        }
        outs.insert(outs.end(), touts.begin(), touts.end());
        return outs;
      },
      in);
  return {std::move(program), std::move(out_nz)};
}

// The cond program taking (consts, carry, carry tangents) and ignoring the tangents.
JaxprParam cond_ignoring(const JaxprParam& cond, const std::vector<AbstractValue>& tangent_types) {
  std::vector<AbstractValue> in = input_types(cond->jaxpr);
  const size_t n = in.size();
  in.insert(in.end(), tangent_types.begin(), tangent_types.end());
  return trace_program(
      [&](std::span<const Array> args) { return eval_jaxpr(cond->jaxpr, cond->consts, args.subspan(0, n)); }, in);
}

// The level of the interpreter that owns x (-1: a concrete value).
int level_of(const Array& x) {
  const detail::Interpreter* owner = x.value()->owner();
  return owner ? owner->level() : -1;
}

JvpResult while_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                    const Params& params) {
  const WhileParams w = read(params);
  const size_t first_carry = w.cond_nconsts + w.body_nconsts, ncarry = primals.size() - first_carry;
  std::vector<bool> const_nz(w.body_nconsts), carry_nz(ncarry);
  bool any = false;
  for (size_t i = 0; i < w.body_nconsts; ++i) {
    const_nz[i] = tangents[w.cond_nconsts + i].valid();
    any = any || const_nz[i];
  }
  for (size_t i = 0; i < ncarry; ++i) {
    carry_nz[i] = tangents[first_carry + i].valid();
    any = any || carry_nz[i];
  }
  if (!any) return {fluxion::bind(p, primals, params), {}};
  // Only floating carries have tangents; iterate until the set is stable.
  for (size_t i = 0; i < ncarry; ++i) carry_nz[i] = carry_nz[i] && is_floating(primals[first_carry + i].dtype());
  std::pair<JaxprParam, std::vector<bool>> jvp;
  for (;;) {
    jvp = body_jvp(w.body, w.body_nconsts, const_nz, carry_nz);
    bool changed = false;
    for (size_t i = 0; i < ncarry; ++i)
      if (jvp.second[i] && !carry_nz[i] && is_floating(primals[first_carry + i].dtype())) carry_nz[i] = changed = true;
    if (!changed) break;
  }
  std::vector<AbstractValue> tangent_types;
  for (size_t i = 0; i < ncarry; ++i)
    if (carry_nz[i]) tangent_types.push_back(tangent_aval(primals[first_carry + i].aval()));
  std::vector<Array> args(primals.begin(), primals.begin() + static_cast<std::ptrdiff_t>(first_carry));
  for (size_t i = 0; i < w.body_nconsts; ++i)
    if (const_nz[i]) args.push_back(tangents[w.cond_nconsts + i]);
  args.insert(args.end(), primals.begin() + static_cast<std::ptrdiff_t>(first_carry), primals.end());
  for (size_t i = 0; i < ncarry; ++i)
    if (carry_nz[i]) args.push_back(lax::instantiate(tangents[first_carry + i], tangent_aval(primals[first_carry + i].aval())));
  size_t body_nconsts = w.body_nconsts;
  for (bool nz : const_nz) body_nconsts += nz ? 1 : 0;
  std::vector<Array> outs = fluxion::bind(
      p, args,
      while_params(cond_ignoring(w.cond, tangent_types), static_cast<int64_t>(w.cond_nconsts), jvp.first,
                   static_cast<int64_t>(body_nconsts)));
  JvpResult r;
  r.primals_out.assign(outs.begin(), outs.begin() + static_cast<std::ptrdiff_t>(ncarry));
  // Linearizing (reverse mode, or make_jaxpr of a jvp), the tangents belong
  // to an interpreter above every primal: the joint loop is recorded there,
  // and so would its primal outputs be, as if they depended on the tangents.
  // The primal loop runs on its own then, as JAX's partial evaluation of
  // while does, so that the primal outputs stay known (and reverse mode
  // reaches the joint loop's transpose, which says what to use instead).
  int primal_level = -1, tangent_level = -1;
  for (const Array& x : primals) primal_level = std::max(primal_level, level_of(x));
  for (const Array& t : args) tangent_level = std::max(tangent_level, level_of(t));
  if (tangent_level > primal_level) r.primals_out = fluxion::bind(p, primals, params);
  size_t next = ncarry;
  for (size_t i = 0; i < ncarry; ++i) r.tangents_out.push_back(carry_nz[i] ? outs[next++] : Array());
  return r;
}

// The body's jet carries the terms of every floating carry (zeros where a
// carry starts still: the loop may set it moving); the predicate reads the
// primals only.
TaylorResult while_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                       const Params& params) {
  const WhileParams w = read(params);
  const size_t order = order_of(series);
  const size_t first_carry = w.cond_nconsts + w.body_nconsts, ncarry = primals.size() - first_carry;
  std::vector<bool> moving(w.body_nconsts + ncarry);
  std::vector<Series> body_series(series.begin() + static_cast<std::ptrdiff_t>(w.cond_nconsts), series.end());
  std::vector<AbstractValue> term_types;
  for (size_t i = 0; i < moving.size(); ++i) {
    const Array& x = primals[w.cond_nconsts + i];
    moving[i] = i < w.body_nconsts ? !body_series[i].empty() : is_floating(x.dtype());
    if (i >= w.body_nconsts && moving[i]) {
      body_series[i] = instantiate_series(x, body_series[i], order);
      term_types.insert(term_types.end(), order, tangent_aval(x.aval()));
    }
  }
  const std::vector<size_t> in_segments{w.body_nconsts, ncarry};
  const JaxprParam& body = jet_program(w.body, moving, order, in_segments, {ncarry});
  std::vector<Array> args(primals.begin(), primals.begin() + static_cast<std::ptrdiff_t>(w.cond_nconsts));
  const std::vector<Array> rest =
      jet_operands(primals.subspan(w.cond_nconsts), body_series, in_segments);
  args.insert(args.end(), rest.begin(), rest.end());
  size_t body_nconsts = w.body_nconsts;
  for (size_t i = 0; i < w.body_nconsts; ++i) body_nconsts += moving[i] ? order : 0;
  const std::vector<Array> outs =
      fluxion::bind(p, args,
                    while_params(cond_ignoring(w.cond, term_types), static_cast<int64_t>(w.cond_nconsts), body,
                                 static_cast<int64_t>(body_nconsts)));
  return jet_results(outs, output_types(w.body->jaxpr), order);
}

std::vector<Array> while_transpose(const Primitive&, std::span<const Array>, std::span<const TransposeInput>,
                                   const Params&) {
  throw Error(
      "Reverse-mode differentiation does not work for fx::while_loop or fx::fori_loop with traced bounds: the number "
      "of iterations is not known before the loop runs, so there is nowhere to keep each iteration's values. Use "
      "fx::fori_loop with constant bounds or fx::scan, or forward mode (fx::jvp, fx::jacfwd)");
}

BatchResult while_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                        const Params& params) {
  const WhileParams w = read(params);
  const int64_t size = batch_size(values, dims);
  const size_t first_carry = w.cond_nconsts + w.body_nconsts, ncarry = values.size() - first_carry;
  std::vector<bool> cconst_b(w.cond_nconsts), bconst_b(w.body_nconsts), carry_b(ncarry);
  for (size_t i = 0; i < w.cond_nconsts; ++i) cconst_b[i] = dims[i] != not_mapped;
  for (size_t i = 0; i < w.body_nconsts; ++i) bconst_b[i] = dims[w.cond_nconsts + i] != not_mapped;
  for (size_t i = 0; i < ncarry; ++i) carry_b[i] = dims[first_carry + i] != not_mapped;
  auto body_mapped = [&] {
    std::vector<bool> m = bconst_b;
    m.insert(m.end(), carry_b.begin(), carry_b.end());
    return m;
  };
  // A carry is batched when its initial value is or the body makes it so.
  for (;;) {
    const std::vector<bool>& out = batched_program(w.body, body_mapped(), size).out_mapped;
    bool changed = false;
    for (size_t i = 0; i < ncarry; ++i)
      if (out[i] && !carry_b[i]) carry_b[i] = changed = true;
    if (!changed) break;
  }
  std::vector<bool> cond_mapped = cconst_b;
  cond_mapped.insert(cond_mapped.end(), carry_b.begin(), carry_b.end());
  const bool pred_batched = batched_program(w.cond, cond_mapped, size).out_mapped[0];
  if (pred_batched) {
    // Every member's carry steps or stays on its own predicate.
    std::fill(carry_b.begin(), carry_b.end(), true);
    cond_mapped = cconst_b;
    cond_mapped.insert(cond_mapped.end(), carry_b.begin(), carry_b.end());
  }
  std::vector<Array> args;
  for (size_t i = 0; i < values.size(); ++i) {
    const bool batched = i < first_carry ? dims[i] != not_mapped : carry_b[i - first_carry];
    args.push_back(batched ? move_batch_axis(values[i], dims[i], 0, size) : values[i]);
  }
  const BatchedProgram& cond = batched_program(w.cond, cond_mapped, size);
  const BatchedProgram& body = batched_program(w.body, body_mapped(), size, carry_b);
  BatchResult r;
  if (!pred_batched) {
    r.outputs = fluxion::bind(p, args,
                              while_params(cond.program, static_cast<int64_t>(w.cond_nconsts), body.program,
                                           static_cast<int64_t>(w.body_nconsts)));
  } else {
    // cond: any member's predicate; body: the step where the member's own
    // predicate holds. The body reads the cond's constants too.
    std::vector<AbstractValue> cin = input_types(cond.program->jaxpr);
    const std::vector<AbstractValue> bin = input_types(body.program->jaxpr);
    std::vector<AbstractValue> in(cin.begin(), cin.begin() + static_cast<std::ptrdiff_t>(w.cond_nconsts));
    in.insert(in.end(), bin.begin(), bin.end());
    const JaxprParam any = trace_program(
        [&](std::span<const Array> a) {
          const Array pred = eval_jaxpr(cond.program->jaxpr, cond.program->consts, a)[0];
          return std::vector<Array>{bind1(reduce_or_p, {pred}, {{"axes", std::vector<int64_t>{0}}})};
        },
        cin);
    const JaxprParam step = trace_program(
        [&](std::span<const Array> a) {
          const std::span<const Array> cconsts = a.subspan(0, w.cond_nconsts), rest = a.subspan(w.cond_nconsts);
          const std::span<const Array> carry = rest.subspan(w.body_nconsts);
          const Array pred = eval_jaxpr(cond.program->jaxpr, cond.program->consts, concat(cconsts, carry))[0];
          const std::vector<Array> next = eval_jaxpr(body.program->jaxpr, body.program->consts, rest);
          std::vector<Array> out;
          for (size_t i = 0; i < next.size(); ++i) {
            std::vector<int64_t> leading{0};
            out.push_back(bind1(select_n_p, {lax::broadcast_in_dim(pred, next[i].shape(), leading), carry[i], next[i]}));
          }
          return out;
        },
        in);
    std::vector<Array> with_consts(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(w.cond_nconsts));
    with_consts.insert(with_consts.end(), args.begin(), args.end());
    r.outputs = fluxion::bind(p, with_consts,
                              while_params(any, static_cast<int64_t>(w.cond_nconsts), step,
                                           static_cast<int64_t>(w.cond_nconsts + w.body_nconsts)));
  }
  for (bool b : carry_b) r.dims.push_back(b ? 0 : not_mapped);
  return r;
}

// A real loop: the carry lives in the output buffers; each iteration the
// cond's function writes the predicate, the body's writes the next carry into
// temporaries, which are then copied back.
void while_lower(const Primitive&, compiler::Emitter& e) {
  const WhileParams w = read(e.params());
  const size_t first_carry = w.cond_nconsts + w.body_nconsts;
  const compiler::LoopCarry carry(e, e.num_outputs(), first_carry);
  const std::string pred = "((bool*)" + e.temporary(1) + ")";
  std::vector<std::string> cond_in, body_in;
  for (size_t i = 0; i < w.cond_nconsts; ++i) cond_in.push_back(e.in_buffer(i));
  for (size_t i = 0; i < w.body_nconsts; ++i) body_in.push_back(e.in_buffer(w.cond_nconsts + i));
  cond_in.insert(cond_in.end(), carry.carry.begin(), carry.carry.end());
  body_in.insert(body_in.end(), carry.carry.begin(), carry.carry.end());
  e.line("for (;;) {");
  e.line("  " + e.call_subprogram(*w.cond, cond_in, {pred}));
  e.line("  if (!" + pred + "[0]) break;");
  e.line("  " + e.call_subprogram(*w.body, body_in, carry.next));
  carry.copy_back(e);
  e.line("}");
}

}  // namespace

const Primitive while_p{.name = "while", .multiple_results = true, .abstract_eval = while_aval, .impl = while_impl,
                        .jvp = while_jvp, .transpose = while_transpose, .batch = while_batch, .jet = while_jet,
                        .lower = while_lower};

}  // namespace fluxion::prim
