// scan: JAX's scan_p. Operands: num_consts constants, num_carry initial
// carries, then the xs (each with a leading axis of `length`); outputs: the
// final carry, then the ys (each with a leading axis of `length`). `jaxpr`
// maps (constants, carry, one slice of each x) to (carry, one slice of each
// y); `reverse` runs the slices from last to first.
//   - JVP: the body's JVP split into a primal and a linear tangent program
//     (as pjit's and cond's): a primal scan that also returns each
//     iteration's residuals as ys, and a tangent scan over the tangents that
//     reads them as xs. Every floating carry carries a tangent (zeros where
//     it has none), so the tangent carry matches the tangent body's output.
//   - transpose (of the tangent scan): a scan in the other direction whose
//     carry is the cotangent of the carry plus the accumulated cotangents of
//     the linear constants, and whose xs are the residuals and the ys'
//     cotangents; it returns the xs' cotangents as ys.
//   - batching: the batch axis is axis 0 of constants and carries and axis 1
//     of xs and ys (axis 0 is the scanned one); a carry is batched when its
//     initial value or the body makes it so.
#include "compiler/emitter.hpp"

#include <string>

#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/subprograms.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {

Params scan_params(JaxprParam jaxpr, int64_t length, bool reverse, int64_t num_consts, int64_t num_carry,
                   std::vector<bool> linear) {
  return Params{{"_split_transpose", false},
                {"jaxpr", std::move(jaxpr)},
                {"length", length},
                {"linear", std::move(linear)},
                {"num_carry", num_carry},
                {"num_consts", num_consts},
                {"reverse", reverse},
                {"unroll", int64_t{1}}};
}

namespace {

struct ScanParams {
  const JaxprParam& jaxpr;
  int64_t length;
  bool reverse;
  size_t num_consts, num_carry;
};

ScanParams read(const Params& p) {
  return {p.get<JaxprParam>("jaxpr"), p.get<int64_t>("length"), p.get<bool>("reverse"),
          static_cast<size_t>(p.get<int64_t>("num_consts")), static_cast<size_t>(p.get<int64_t>("num_carry"))};
}

AbstractValue slice_type(const AbstractValue& x) { return AbstractValue{Shape(x.shape.begin() + 1, x.shape.end()), x.dtype, x.weak_type}; }
AbstractValue stacked_type(const AbstractValue& y, int64_t length) {
  Shape s = y.shape;
  s.insert(s.begin(), length);
  return AbstractValue{std::move(s), y.dtype, y.weak_type};
}
std::vector<AbstractValue> scan_aval(const Primitive&, AvalRefs in, const Params& params) {
  const ScanParams s = read(params);
  const std::vector<AbstractValue> jin = input_types(s.jaxpr->jaxpr), jout = output_types(s.jaxpr->jaxpr);
  if (in.size() != jin.size() || s.num_consts + s.num_carry > in.size() || jout.size() < s.num_carry)
    throw TypeError("scan: the body's signature does not match the operands");
  for (size_t i = 0; i < in.size(); ++i) {
    const bool is_x = i >= s.num_consts + s.num_carry;
    if (is_x && (in[i]->ndim() == 0 || in[i]->shape[0] != s.length))
      throw ShapeError("scan: xs " + std::to_string(i - s.num_consts - s.num_carry) + " has shape " +
                       shape_to_string(in[i]->shape) + ", not a leading axis of length " + std::to_string(s.length));
    if (!same_shape_and_dtype(is_x ? slice_type(*in[i]) : *in[i], jin[i]))
      throw TypeError("scan: operand " + std::to_string(i) + " has type " + to_string(*in[i]) +
                      " but the body takes " + to_string(jin[i]));
  }
  std::vector<AbstractValue> out;
  for (size_t c = 0; c < s.num_carry; ++c) {
    if (!same_shape_and_dtype(jout[c], jin[s.num_consts + c]))
      throw TypeError("scan: carry " + std::to_string(c) + " enters as " + to_string(jin[s.num_consts + c]) +
                      " and leaves as " + to_string(jout[c]));
    out.push_back(jout[c]);
    out.back().weak_type = jout[c].weak_type && in[s.num_consts + c]->weak_type;
  }
  for (size_t y = s.num_carry; y < jout.size(); ++y) out.push_back(stacked_type(jout[y], s.length));
  return out;
}

std::vector<Array> scan_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                             const Params& params) {
  const ScanParams s = read(params);
  const size_t first_x = s.num_consts + s.num_carry;
  std::vector<Array> carry(in.begin() + static_cast<std::ptrdiff_t>(s.num_consts), in.begin() + static_cast<std::ptrdiff_t>(first_x));
  const size_t num_ys = out.size() - s.num_carry;
  std::vector<std::vector<Array>> ys(num_ys, std::vector<Array>(static_cast<size_t>(s.length)));
  for (int64_t k = 0; k < s.length; ++k) {
    const int64_t t = s.reverse ? s.length - 1 - k : k;
    std::vector<Array> args(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(s.num_consts));
    args.insert(args.end(), carry.begin(), carry.end());
    for (size_t i = first_x; i < in.size(); ++i) args.push_back(in[i][t]);
    std::vector<Array> r = eval_jaxpr(s.jaxpr->jaxpr, s.jaxpr->consts, args);
    for (size_t c = 0; c < s.num_carry; ++c) carry[c] = std::move(r[c]);
    for (size_t y = 0; y < num_ys; ++y) ys[y][static_cast<size_t>(t)] = std::move(r[s.num_carry + y]);
  }
  std::vector<Array> result;
  for (size_t c = 0; c < s.num_carry; ++c)
    result.push_back(carry[c].weak_type() && !out[c].weak_type ? lax::convert(carry[c], out[c].dtype) : carry[c]);
  for (size_t y = 0; y < num_ys; ++y) {
    const AbstractValue& t = out[s.num_carry + y];
    if (s.length == 0) {
      result.push_back(lax::zeros(t));
      continue;
    }
    std::vector<Array> rows;
    for (const Array& v : ys[y]) {
      Shape one = v.shape();
      one.insert(one.begin(), 1);
      rows.push_back(lax::reshape(v.weak_type() && !t.weak_type ? lax::convert(v, t.dtype) : v, one));
    }
    result.push_back(bind1(concatenate_p, rows, {{"dimension", int64_t{0}}}));
  }
  return result;
}

// The body's jet with every floating carry moving (zeros where it starts
// still); the terms of xs are scanned over as xs are, and those of ys come
// out stacked as ys do.
TaylorResult scan_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                      const Params& params) {
  const ScanParams s = read(params);
  const size_t order = order_of(series);
  const size_t first_x = s.num_consts + s.num_carry, n = primals.size();
  std::vector<bool> moving(n);
  std::vector<Series> all_series(series.begin(), series.end());
  for (size_t i = 0; i < n; ++i) {
    const bool carry = i >= s.num_consts && i < first_x;
    moving[i] = carry ? is_floating(primals[i].dtype()) : !series[i].empty();
    if (carry && moving[i]) all_series[i] = instantiate_series(primals[i], series[i], order);
  }
  const size_t num_ys = s.jaxpr->jaxpr.outvars.size() - s.num_carry;
  const std::vector<size_t> in_segments{s.num_consts, s.num_carry, n - first_x};
  const JaxprParam& body = jet_program(s.jaxpr, moving, order, in_segments, {s.num_carry, num_ys});
  const std::vector<Array> args = jet_operands(primals, all_series, in_segments);
  size_t num_consts = s.num_consts, num_carry = s.num_carry;
  for (size_t i = 0; i < first_x; ++i)
    if (moving[i]) (i < s.num_consts ? num_consts : num_carry) += order;
  const std::vector<Array> outs = fluxion::bind(
      p, args,
      scan_params(body, s.length, s.reverse, static_cast<int64_t>(num_consts), static_cast<int64_t>(num_carry),
                  std::vector<bool>(args.size(), false)));
  return jet_results(outs, output_types(s.jaxpr->jaxpr), order, {s.num_carry, num_ys});
}

JvpResult scan_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                   const Params& params) {
  const ScanParams s = read(params);
  const size_t first_x = s.num_consts + s.num_carry, n = primals.size();
  std::vector<bool> nonzero(n, false);
  bool any = false;
  for (size_t i = 0; i < n; ++i) {
    nonzero[i] = tangents[i].valid();
    any = any || nonzero[i];
  }
  if (!any) return {fluxion::bind(p, primals, params), {}};
  // Every floating carry carries a tangent.
  for (size_t c = s.num_consts; c < first_x; ++c) nonzero[c] = is_floating(primals[c].dtype());
  const JvpSplit& split = jvp_split(s.jaxpr, nonzero);
  const size_t num_outs = s.jaxpr->jaxpr.outvars.size(), num_res = split.num_residuals;
  // The primal scan: the residuals are extra ys.
  std::vector<bool> linear(n, false);
  std::vector<Array> outs = fluxion::bind(
      p, primals,
      scan_params(split.primal, s.length, s.reverse, static_cast<int64_t>(s.num_consts),
                  static_cast<int64_t>(s.num_carry), linear));
  const std::vector<Array> residuals(outs.begin() + static_cast<std::ptrdiff_t>(num_outs), outs.end());
  outs.resize(num_outs);
  // The tangent scan: constants, carry, xs = the nonzero tangents of each,
  // with the residuals first among the xs. Its body reorders them for the
  // tangent program (residuals, then the tangents in input order).
  std::vector<Array> tconsts, tcarry, txs;
  for (size_t i = 0; i < n; ++i) {
    if (!nonzero[i]) continue;
    const Array t = lax::instantiate(tangents[i], tangent_aval(primals[i].aval()));
    (i < s.num_consts ? tconsts : i < first_x ? tcarry : txs).push_back(t);
  }
  const std::vector<AbstractValue> tin = input_types(split.tangent->jaxpr);
  std::vector<AbstractValue> body_in;
  for (size_t k = num_res; k < num_res + tconsts.size() + tcarry.size(); ++k) body_in.push_back(tin[k]);
  for (size_t k = 0; k < num_res; ++k) body_in.push_back(tin[k]);
  for (size_t k = num_res + tconsts.size() + tcarry.size(); k < tin.size(); ++k) body_in.push_back(tin[k]);
  const ClosedJaxpr& tangent = *split.tangent;
  const size_t lead = tconsts.size() + tcarry.size();
  const JaxprParam body = trace_program(
      [&](std::span<const Array> a) {
        std::vector<Array> args(a.begin() + static_cast<std::ptrdiff_t>(lead),
                                a.begin() + static_cast<std::ptrdiff_t>(lead + num_res));
        args.insert(args.end(), a.begin(), a.begin() + static_cast<std::ptrdiff_t>(lead));
        args.insert(args.end(), a.begin() + static_cast<std::ptrdiff_t>(lead + num_res), a.end());
        return eval_jaxpr(tangent.jaxpr, tangent.consts, args);
      },
      body_in);
  std::vector<Array> targs = tconsts;
  targs.insert(targs.end(), tcarry.begin(), tcarry.end());
  targs.insert(targs.end(), residuals.begin(), residuals.end());
  targs.insert(targs.end(), txs.begin(), txs.end());
  std::vector<bool> tlinear(targs.size(), true);
  for (size_t k = lead; k < lead + num_res; ++k) tlinear[k] = false;
  const std::vector<Array> touts = fluxion::bind(
      p, targs,
      scan_params(body, s.length, s.reverse, static_cast<int64_t>(tconsts.size()), static_cast<int64_t>(tcarry.size()),
                  tlinear));
  JvpResult r{std::move(outs), {}};
  size_t next = 0;
  for (const Array& o : r.primals_out) r.tangents_out.push_back(is_floating(o.dtype()) ? touts[next++] : Array());
  return r;
}

std::vector<Array> scan_transpose(const Primitive& p, std::span<const Array> cts_out,
                                  std::span<const TransposeInput> inputs, const Params& params) {
  const ScanParams s = read(params);
  const size_t first_x = s.num_consts + s.num_carry, n = inputs.size();
  // A carry is linear even when its initial value is known: in a linear
  // scan that value is an instantiated zero tangent (JAX's _scan_transpose
  // makes the same assumption), so its cotangent is computed and dropped.
  std::vector<bool> linear(n);
  for (size_t i = 0; i < n; ++i) linear[i] = inputs[i].is_linear() || (i >= s.num_consts && i < first_x);
  const std::vector<bool> has_ct(cts_out.size(), true);
  const JaxprParam& t = transposed_program(s.jaxpr, linear, has_ct);
  // The transposed body: (known consts; accumulated const cts, carry cts;
  // known xs, ys' cts) -> (const cts + this step's, the carry's cts; xs' cts).
  std::vector<AbstractValue> known_consts, lin_consts, carry, known_xs, y_cts;
  for (size_t i = 0; i < n; ++i) {
    const AbstractValue& a = inputs[i].aval;
    if (i < s.num_consts) {
      if (linear[i]) lin_consts.push_back(tangent_aval(a));
      else known_consts.push_back(a);
    } else if (i < first_x) {
      carry.push_back(tangent_aval(a));
    } else if (!linear[i]) {
      known_xs.push_back(slice_type(a));
    }
  }
  const std::vector<AbstractValue> jout = output_types(s.jaxpr->jaxpr);
  for (size_t y = s.num_carry; y < jout.size(); ++y) y_cts.push_back(tangent_aval(jout[y]));
  std::vector<AbstractValue> body_in = known_consts;
  body_in.insert(body_in.end(), lin_consts.begin(), lin_consts.end());
  body_in.insert(body_in.end(), carry.begin(), carry.end());
  body_in.insert(body_in.end(), known_xs.begin(), known_xs.end());
  body_in.insert(body_in.end(), y_cts.begin(), y_cts.end());
  const size_t nk = known_consts.size(), nl = lin_consts.size(), nc = carry.size(), nx = known_xs.size();
  const JaxprParam body = trace_program(
      [&](std::span<const Array> a) {
        // transposed_program's inputs: the known inputs in order, then every output's ct.
        std::vector<Array> args(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(nk));
        args.insert(args.end(), a.begin() + static_cast<std::ptrdiff_t>(nk + nl + nc),
                    a.begin() + static_cast<std::ptrdiff_t>(nk + nl + nc + nx));
        args.insert(args.end(), a.begin() + static_cast<std::ptrdiff_t>(nk + nl), a.begin() + static_cast<std::ptrdiff_t>(nk + nl + nc));
        args.insert(args.end(), a.begin() + static_cast<std::ptrdiff_t>(nk + nl + nc + nx), a.end());
        const std::vector<Array> cts = eval_jaxpr(t->jaxpr, t->consts, args);  // linear consts, carry, linear xs
        std::vector<Array> out;
        for (size_t k = 0; k < nl; ++k) out.push_back(lax::add(a[nk + k], cts[k]));
        out.insert(out.end(), cts.begin() + static_cast<std::ptrdiff_t>(nl), cts.end());
        return out;
      },
      body_in);
  std::vector<Array> args;
  for (size_t i = 0; i < s.num_consts; ++i)
    if (!linear[i]) args.push_back(inputs[i].known);
  for (size_t k = 0; k < nl; ++k) args.push_back(lax::zeros(lin_consts[k]));
  for (size_t c = 0; c < s.num_carry; ++c)
    args.push_back(lax::instantiate(cts_out[c], tangent_aval(inputs[s.num_consts + c].aval)));
  for (size_t i = first_x; i < n; ++i)
    if (!linear[i]) args.push_back(inputs[i].known);
  for (size_t y = s.num_carry; y < cts_out.size(); ++y)
    args.push_back(lax::instantiate(cts_out[y], stacked_type(y_cts[y - s.num_carry], s.length)));
  const std::vector<Array> outs = fluxion::bind(
      p, args,
      scan_params(body, s.length, !s.reverse, static_cast<int64_t>(nk), static_cast<int64_t>(nl + nc),
                  std::vector<bool>(args.size(), false)));
  std::vector<Array> result(n);
  size_t lc = 0, lx = nl + nc;
  for (size_t i = 0; i < n; ++i) {
    if (!inputs[i].is_linear()) {
      lx += (i >= first_x && linear[i]) ? 1 : 0;
      continue;
    }
    if (i < s.num_consts) result[i] = outs[lc++];
    else if (i < first_x) result[i] = outs[nl + (i - s.num_consts)];
    else result[i] = outs[lx++];
  }
  return result;
}

BatchResult scan_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                       const Params& params) {
  const ScanParams s = read(params);
  const int64_t size = batch_size(values, dims);
  const size_t first_x = s.num_consts + s.num_carry, n = values.size();
  std::vector<bool> mapped(n);
  for (size_t i = 0; i < n; ++i) mapped[i] = dims[i] != not_mapped;
  for (;;) {
    const std::vector<bool>& out = batched_program(s.jaxpr, mapped, size).out_mapped;
    bool changed = false;
    for (size_t c = 0; c < s.num_carry; ++c)
      if (out[c] && !mapped[s.num_consts + c]) mapped[s.num_consts + c] = changed = true;
    if (!changed) break;
  }
  std::vector<bool> force(s.num_carry);
  for (size_t c = 0; c < s.num_carry; ++c) force[c] = mapped[s.num_consts + c];
  const BatchedProgram& body = batched_program(s.jaxpr, mapped, size, force);
  std::vector<Array> args;
  for (size_t i = 0; i < n; ++i) {
    if (!mapped[i]) args.push_back(values[i]);
    else if (i < first_x) args.push_back(move_batch_axis(values[i], dims[i], 0, size));
    else args.push_back(move_batch_axis(values[i], dims[i], 1, size));  // behind the scanned axis
  }
  BatchResult r;
  r.outputs = fluxion::bind(p, args,
                            scan_params(body.program, s.length, s.reverse, static_cast<int64_t>(s.num_consts),
                                        static_cast<int64_t>(s.num_carry), params.get<std::vector<bool>>("linear")));
  for (size_t o = 0; o < body.out_mapped.size(); ++o)
    r.dims.push_back(!body.out_mapped[o] ? not_mapped : o < s.num_carry ? 0 : 1);
  return r;
}

// A real loop over the slices: the carry lives in the output buffers, each
// iteration's body reads the xs' slice t and writes the ys' slice t in place
// and the next carry into temporaries, copied back.
void scan_lower(const Primitive&, compiler::Emitter& e) {
  const ScanParams s = read(e.params());
  const size_t first_x = s.num_consts + s.num_carry;
  const std::string t = e.fresh("t"), k = e.fresh("k");
  const compiler::LoopCarry carry(e, s.num_carry, s.num_consts);
  std::vector<std::string> in;
  for (size_t i = 0; i < s.num_consts; ++i) in.push_back(e.in_buffer(i));
  in.insert(in.end(), carry.carry.begin(), carry.carry.end());
  auto slice = [&](const std::string& buffer, const AbstractValue& stacked) {
    const int64_t elems = s.length == 0 ? 0 : stacked.size() / s.length;
    return "(" + buffer + " + " + t + " * " + std::to_string(elems) + "LL)";
  };
  for (size_t i = first_x; i < e.num_inputs(); ++i) in.push_back(slice(e.in_buffer(i), e.in_type(i)));
  std::vector<std::string> out = carry.next;
  for (size_t y = s.num_carry; y < e.num_outputs(); ++y) out.push_back(slice(e.out_buffer(y), e.out_type(y)));
  const std::string length = std::to_string(s.length);
  e.line("for (long long " + k + " = 0; " + k + " < " + length + "; ++" + k + ") {");
  e.line("  const long long " + t + " = " + (s.reverse ? length + " - 1 - " + k : k) + ";");
  e.line("  (void)" + t + ";");
  e.line("  " + e.call_subprogram(*s.jaxpr, in, out));
  carry.copy_back(e);
  e.line("}");
}

// As JAX's documentation prints scan (JAX's docs/jaxpr.md, func11):
// without `linear`, and without `_split_transpose` when it is False. (JAX
// 0.11 itself replaced num_consts, num_carry and linear by FlatTree
// descriptors, ft_in and ft_out, printed as Python reprs of internal
// classes; Fluxion keeps the counts, which say the same.)
PrintedEqn scan_print(const Params& params) {
  PrintedEqn printed = printed_params(params);
  hide_param(printed, "linear");
  if (!params.get<bool>("_split_transpose")) hide_param(printed, "_split_transpose");
  return printed;
}

}  // namespace

const Primitive scan_p{.name = "scan", .multiple_results = true, .abstract_eval = scan_aval, .impl = scan_impl,
                       .jvp = scan_jvp, .transpose = scan_transpose, .batch = scan_batch, .jet = scan_jet,
                       .lower = scan_lower,
                       .print = scan_print};

}  // namespace fluxion::prim
