// fx::cond, switch_, while_loop, fori_loop and scan
// (include/fluxion/control_flow.hpp): the functions traced into programs,
// bound as one cond, while or scan equation.
#include "fluxion/control_flow.hpp"

#include <algorithm>
#include <string>

#include "fluxion/errors.hpp"
#include "interpreters/interpreter.hpp"
#include "interpreters/staging.hpp"
#include "ops/internal.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/subprograms.hpp"

namespace fluxion::detail {

namespace {

using prim::output_types;
using prim::types_of;
using prim::types_string;

// A function traced on inputs of these types; `strong` outputs are converted
// to strongly typed values (a sibling branch, or the loop's carry, is strong there).
ClosedJaxpr trace_branch(const Fn& f, const std::vector<AbstractValue>& in_types, const std::vector<bool>& strong) {
  StagingInterpreter staging;
  DynamicScope dynamic(&staging);
  std::vector<Array> in;
  for (const AbstractValue& t : in_types) in.push_back(staging.new_input(t));
  std::vector<Array> outs = f(in);
  for (size_t o = 0; o < outs.size() && o < strong.size(); ++o)
    if (strong[o] && outs[o].weak_type()) outs[o] = lax::convert(outs[o], outs[o].dtype());
  ClosedJaxpr closed = staging.finish(outs);
  dead_code_elimination(closed.jaxpr);
  canonicalize_order(closed.jaxpr);
  return closed;
}

// A loop's step (while's body, scan's f) traced on the carry and then `extra`
// inputs (scan's slices of the xs); its first outputs are the next carry,
// followed by ys where `ys_allowed`. `who` names the step in the error
// raised when it changes the carry's shapes or dtypes. A carry may differ
// in weak type only: while makes it strongly typed where the initial value
// or the step's result is (JAX's while_loop promotes a weak initial value to
// the step's type), so `init` may come back converted; scan leaves it as
// traced, as JAX's scan does (its documentation's scan example converts the
// weak carry inside the body).
ClosedJaxpr trace_step(const Fn& f, std::vector<Array>& init, const std::vector<AbstractValue>& extra, bool ys_allowed,
                       const std::string& who) {
  const size_t n = init.size();
  auto in_types = [&] {
    std::vector<AbstractValue> t = types_of(init);
    t.insert(t.end(), extra.begin(), extra.end());
    return t;
  };
  ClosedJaxpr step = trace_branch(f, in_types(), {});
  std::vector<AbstractValue> outs = output_types(step.jaxpr);
  bool same = ys_allowed ? outs.size() >= n : outs.size() == n;
  for (size_t c = 0; same && c < n; ++c) same = prim::same_shape_and_dtype(outs[c], init[c].aval());
  if (!same) {
    if (ys_allowed && outs.size() > n) outs.resize(n);
    throw TypeError(who + " must return the carry's types: it takes " + types_string(types_of(init)) +
                    " and returns " + types_string(outs));
  }
  if (ys_allowed) return step;
  bool retrace = false;
  std::vector<bool> strong(n);
  for (size_t c = 0; c < n; ++c) {
    if (init[c].weak_type() && !outs[c].weak_type) {
      init[c] = lax::convert(init[c], init[c].dtype());
      retrace = true;
    }
    strong[c] = !init[c].weak_type();
    retrace = retrace || (strong[c] && outs[c].weak_type);
  }
  return retrace ? trace_branch(f, in_types(), strong) : step;
}

}  // namespace

std::vector<Array> switch_core(const Array& index_in, const std::vector<Fn>& branches, const std::vector<Array>& operands,
                               const char* api) {
  const std::string name = std::string("fx::") + api;
  if (branches.empty()) throw ValueError(name + ": there must be at least one branch");
  if (index_in.ndim() != 0)
    throw TypeError(name + ": the branch index must be a scalar, got shape " + shape_to_string(index_in.shape()));
  if (std::string(api) == "switch_" && !is_integer(index_in.dtype()))
    throw TypeError(name + ": the branch index must be an integer, got " + std::string(dtype_name(index_in.dtype())));
  if (branches.size() == 1) return branches[0](operands);
  const size_t n = branches.size();
  Array index = lax::convert(index_in, DType::int32);
  // A predicate converted to int32 is in range already (JAX clamps only switch's index).
  if (std::string(api) != "cond")
    index = bind1(prim::clamp_p, {lax::constant_like(index, 0.0), index,
                                  lax::constant_like(index, static_cast<double>(n - 1))});

  std::vector<ClosedJaxpr> traced;
  for (const Fn& b : branches) traced.push_back(trace_branch(b, types_of(operands), {}));
  // Every branch returns the same types; a weak result is made strong where
  // another branch's is strong.
  const std::vector<AbstractValue> first = output_types(traced[0].jaxpr);
  std::vector<bool> strong(first.size(), false);
  for (size_t k = 0; k < n; ++k) {
    const std::vector<AbstractValue> outs = output_types(traced[k].jaxpr);
    bool same = outs.size() == first.size();
    for (size_t o = 0; same && o < outs.size(); ++o) same = prim::same_shape_and_dtype(outs[o], first[o]);
    if (!same) {
      const std::string which = std::string(api) == "cond" ? (k == 1 ? "true_fn" : "false_fn") : "branch " + std::to_string(k);
      const std::string other = std::string(api) == "cond" ? "false_fn" : "branch 0";
      throw TypeError(name + ": every branch must return the same types: " + other + " returns " + types_string(first) +
                      " but " + which + " returns " + types_string(outs));
    }
    for (size_t o = 0; o < outs.size(); ++o) strong[o] = strong[o] || !outs[o].weak_type;
  }
  for (size_t k = 0; k < n; ++k) {
    const std::vector<AbstractValue> outs = output_types(traced[k].jaxpr);
    bool retrace = false;
    for (size_t o = 0; o < outs.size(); ++o) retrace = retrace || (strong[o] && outs[o].weak_type);
    if (retrace) traced[k] = trace_branch(branches[k], types_of(operands), strong);
  }

  // What the branches captured becomes operands, shared by all branches (each
  // ignores the others'), as JAX's _initial_style_jaxprs_with_common_consts.
  std::vector<Array> args{index};
  for (const ClosedJaxpr& t : traced) args.insert(args.end(), t.consts.begin(), t.consts.end());
  args.insert(args.end(), operands.begin(), operands.end());
  JaxprParams programs;
  for (size_t k = 0; k < n; ++k) {
    Jaxpr j = std::move(traced[k].jaxpr);
    std::vector<int> invars;
    for (size_t m = 0; m < n; ++m) {
      if (m == k) invars.insert(invars.end(), j.constvars.begin(), j.constvars.end());
      else
        for (const Array& c : traced[m].consts) invars.push_back(j.new_var(c.aval()));
    }
    invars.insert(invars.end(), j.invars.begin(), j.invars.end());
    j.invars = std::move(invars);
    j.constvars.clear();
    programs.push_back(make_jaxpr_param(ClosedJaxpr{std::move(j), {}, nullptr}));
  }
  return fluxion::bind(prim::cond_p, args, prim::cond_params(std::move(programs)));
}

using prim::consts_as_inputs;

std::vector<Array> while_core(const Fn& cond_fn, const Fn& body_fn, const std::vector<Array>& init_in) {
  std::vector<Array> init = init_in;
  ClosedJaxpr body = trace_step(body_fn, init, {}, false, "fx::while_loop: body_fn");
  ClosedJaxpr cond = trace_branch(cond_fn, types_of(init), {});
  const std::vector<AbstractValue> pred = output_types(cond.jaxpr);
  if (pred.size() != 1 || pred[0].dtype != DType::bool_ || pred[0].ndim() != 0)
    throw TypeError("fx::while_loop: cond_fn must return a boolean scalar, got " + types_string(pred));
  auto [cond_program, cond_consts] = consts_as_inputs(std::move(cond));
  auto [body_program, body_consts] = consts_as_inputs(std::move(body));
  std::vector<Array> args = cond_consts;
  args.insert(args.end(), body_consts.begin(), body_consts.end());
  args.insert(args.end(), init.begin(), init.end());
  return fluxion::bind(prim::while_p, args,
                       prim::while_params(std::move(cond_program), static_cast<int64_t>(cond_consts.size()),
                                          std::move(body_program), static_cast<int64_t>(body_consts.size())));
}

std::vector<Array> scan_core(const Fn& f, size_t num_carry, const std::vector<Array>& init_in,
                             const std::vector<Array>& xs, std::optional<int64_t> length, bool reverse) {
  for (const Array& x : xs) {
    if (x.ndim() == 0) throw ShapeError("fx::scan: xs must have a leading axis to scan, got a scalar");
    if (length && *length != x.shape()[0])
      throw ShapeError("fx::scan: xs have leading axes of lengths " + std::to_string(*length) + " and " +
                       std::to_string(x.shape()[0]));
    length = x.shape()[0];
  }
  if (!length) throw ValueError("fx::scan: with no xs, `length` must say how many steps to run");
  std::vector<Array> init = init_in;
  std::vector<AbstractValue> slices;
  for (const Array& x : xs) {
    AbstractValue a = x.aval();
    a.shape.erase(a.shape.begin());
    slices.push_back(std::move(a));
  }
  ClosedJaxpr body = trace_step(f, init, slices, true, "fx::scan: f");
  auto [program, consts] = consts_as_inputs(std::move(body));
  std::vector<Array> args = consts;
  args.insert(args.end(), init.begin(), init.end());
  args.insert(args.end(), xs.begin(), xs.end());
  return fluxion::bind(prim::scan_p, args,
                       prim::scan_params(std::move(program), *length, reverse, static_cast<int64_t>(consts.size()),
                                         static_cast<int64_t>(num_carry), std::vector<bool>(args.size(), false)));
}

// 1 of the counter's dtype and weak type, so that i + 1 keeps the counter's
// type and a weakly typed lower bound stays as it is (JAX's `i + 1`).
Array one_like(const Array& i) { return convert(Array(1), i.dtype(), i.weak_type()); }

// JAX's fori_loop: with constant bounds a scan over no xs, the carry (i, val);
// with traced ones a while loop, the carry (i, upper, val), while i < upper.
std::vector<Array> fori_core(const Array& lower, const Array& upper,
                             const std::function<std::vector<Array>(const Array&, const std::vector<Array>&)>& body_fn,
                             const std::vector<Array>& init) {
  for (const Array* b : {&lower, &upper})
    if (b->ndim() != 0 || !is_integer(b->dtype()))
      throw TypeError("fx::fori_loop: lower and upper must be integer scalars, got " + to_string(b->aval()));
  // The counter has the bounds' dtype (their common one when they differ),
  // as JAX's; bounds of one dtype are used as they are, weak or not.
  Array lo_bound = lower, hi_bound = upper;
  if (lower.dtype() != upper.dtype()) {
    const std::vector<Array> both = promote_dtypes({lower, upper});
    lo_bound = lax::convert(both[0], both[0].dtype());
    hi_bound = lax::convert(both[1], both[1].dtype());
  }
  if (lower.is_concrete() && upper.is_concrete()) {
    const int64_t lo = lower.item<int64_t>(), hi = upper.item<int64_t>();
    std::vector<Array> carry{lo_bound};
    carry.insert(carry.end(), init.begin(), init.end());
    const Fn step = [&body_fn](const std::vector<Array>& c) {
      std::vector<Array> out{bind1(prim::add_p, {c[0], one_like(c[0])})};
      const std::vector<Array> val = body_fn(c[0], std::vector<Array>(c.begin() + 1, c.end()));
      out.insert(out.end(), val.begin(), val.end());
      return out;
    };
    std::vector<Array> result = scan_core(step, carry.size(), carry, {}, std::max<int64_t>(hi - lo, 0), false);
    return std::vector<Array>(result.begin() + 1, result.end());
  }
  std::vector<Array> carry{lo_bound, hi_bound};
  carry.insert(carry.end(), init.begin(), init.end());
  const Fn cond = [](const std::vector<Array>& c) { return std::vector<Array>{bind1(prim::lt_p, {c[0], c[1]})}; };
  const Fn body = [&body_fn](const std::vector<Array>& c) {
    std::vector<Array> out{bind1(prim::add_p, {c[0], one_like(c[0])}), c[1]};
    const std::vector<Array> val = body_fn(c[0], std::vector<Array>(c.begin() + 2, c.end()));
    out.insert(out.end(), val.begin(), val.end());
    return out;
  };
  std::vector<Array> result = while_core(cond, body, carry);
  return std::vector<Array>(result.begin() + 2, result.end());
}

std::vector<Array> cond_core(const Array& pred, const Fn& true_fn, const Fn& false_fn,
                             const std::vector<Array>& operands) {
  if (pred.ndim() != 0)
    throw TypeError("fx::cond: the predicate must be a scalar, got shape " + shape_to_string(pred.shape()));
  Array p = pred;
  if (pred.dtype() != DType::bool_) p = bind1(prim::ne_p, {pred, lax::constant_like(pred, 0.0)});
  // JAX's order: branch 0 is false_fn, branch 1 true_fn.
  return switch_core(lax::convert(p, DType::int32), {false_fn, true_fn}, operands, "cond");
}

void throw_structure_mismatch(const std::string& what, const TreeDef& a, const TreeDef& b) {
  throw TypeError(what + " must have same type structure, got " + a.str() + " and " + b.str() + ".");
}

}  // namespace fluxion::detail
