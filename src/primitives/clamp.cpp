// clamp(min, operand, max) = min(max(operand, min), max), as JAX's clamp_p;
// min and max are 0-d or of the operand's shape. fx::switch_ clamps its
// branch index with it, as lax.switch does.
#include <array>
#include <string>

#include "compiler/emitter.hpp"
#include "fluxion/errors.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> clamp_aval(const Primitive& p, AvalRefs in, const Params&) {
  if (in.size() != 3) throw Error("clamp takes (min, operand, max), got " + std::to_string(in.size()) + " operands");
  const AbstractValue& x = *in[1];
  for (size_t k : {size_t{0}, size_t{2}}) {
    if (in[k]->dtype != x.dtype)
      throw TypeError(std::string("clamp requires ") + (k == 0 ? "min" : "max") + " and operand to have the same dtype, got " +
                      std::string(dtype_name(in[k]->dtype)) + " and " + std::string(dtype_name(x.dtype)));
    if (in[k]->ndim() != 0 && in[k]->shape != x.shape)
      throw ShapeError(std::string("clamp requires ") + (k == 0 ? "min" : "max") +
                       " to be 0-d or of the operand's shape " + shape_to_string(x.shape) + ", got " +
                       shape_to_string(in[k]->shape));
  }
  AbstractValue out = elementwise_aval(p.name, in, kAllTypes);
  out.shape = x.shape;
  return single(std::move(out));
}

std::vector<Array> clamp_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue>,
                              const Params&) {
  return single(bind1(min_p, {bind1(max_p, {in[1], in[0]}), in[2]}));
}

// JAX's rules: the operand's tangent where min < x < max, min's where x <
// min (and min < max), max's where x > max.
JvpResult clamp_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                    const Params& params) {
  const Array out = bind1(p, primals, params);
  const Array &lo = primals[0], &x = primals[1], &hi = primals[2];
  const Shape& shape = x.shape();
  auto full = [&](const Array& v) { return v.shape() == shape ? v : lax::broadcast_in_dim(v, shape, {}); };
  auto where = [&](const Array& pick, const Array& t) {
    return lax::select(full(pick), full(t), lax::zeros(AbstractValue{shape, t.dtype(), false}));
  };
  Array t;
  auto add = [&](const Array& term) { t = t.valid() ? bind1(add_any_p, {t, term}) : term; };
  if (tangents[1].valid()) add(where(bind1(and_p, {full(bind1(gt_p, {x, lo})), full(bind1(lt_p, {x, hi}))}), tangents[1]));
  if (tangents[0].valid()) add(where(bind1(and_p, {full(bind1(gt_p, {lo, x})), full(bind1(lt_p, {lo, hi}))}), tangents[0]));
  if (tangents[2].valid()) add(where(bind1(lt_p, {hi, x}), tangents[2]));
  return {{out}, {t}};
}

// Everything mapped moves to axis 0; the operand is made batched, and a
// bound that is not a 0-d unmapped value takes the batched operand's shape.
BatchResult clamp_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                        const Params& params) {
  const int64_t size = batch_size(values, dims);
  const Array x = move_batch_axis(values[1], dims[1], 0, size);
  std::vector<Array> in{Array(), x, Array()};
  for (size_t k : {size_t{0}, size_t{2}}) {
    if (dims[k] == not_mapped && values[k].ndim() == 0) {
      in[k] = values[k];
      continue;
    }
    const Array b = move_batch_axis(values[k], dims[k], 0, size);
    std::vector<int64_t> kept(static_cast<size_t>(b.ndim()));
    for (size_t i = 0; i < kept.size(); ++i) kept[i] = static_cast<int64_t>(i);
    in[k] = b.shape() == x.shape() ? b : lax::broadcast_in_dim(b, x.shape(), kept);
  }
  return {{bind1(p, in, params)}, {0}};
}

// Piecewise linear: each term is the JVP's, with the same masks (the
// operand's terms strictly inside the bounds, min's below it, max's above).
TaylorResult clamp_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                       const Params& params) {
  const Array out = bind1(p, primals, params);
  const Array &lo = primals[0], &x = primals[1], &hi = primals[2];
  const Shape& shape = out.shape();
  auto full = [&](const Array& v) { return lax::broadcast_to(v, shape); };
  std::array<Array, 3> masks;
  if (!series[1].empty()) masks[1] = bind1(and_p, {full(bind1(gt_p, {x, lo})), full(bind1(lt_p, {x, hi}))});
  if (!series[0].empty()) masks[0] = bind1(and_p, {full(bind1(gt_p, {lo, x})), full(bind1(lt_p, {lo, hi}))});
  if (!series[2].empty()) masks[2] = full(bind1(lt_p, {hi, x}));
  const Array zero = lax::zeros(AbstractValue{shape, out.dtype(), false});
  Series terms(order_of(series));
  for (size_t k = 0; k < terms.size(); ++k)
    for (size_t i : {size_t{1}, size_t{0}, size_t{2}})
      if (masks[i].valid()) terms[k] = add_terms(terms[k], lax::select(masks[i], full(series[i][k]), zero));
  return {{out}, {std::move(terms)}};
}

void clamp_lower(const Primitive&, compiler::Emitter& e) {
  const DType t = e.out_type().dtype;
  const std::string lo = e.in(0), x = e.in(1), hi = e.in(2);
  if (t == DType::bool_) return e.assign("((" + x + " || " + lo + ") && " + hi + ")");
  if (is_floating(t)) return e.assign("fx_min(fx_max(" + x + ", " + lo + "), " + hi + ")");
  const std::string ct = compiler::ctype(t);
  e.assign("fx_min<" + ct + ">(fx_max<" + ct + ">(" + x + ", " + lo + "), " + hi + ")");
}

}  // namespace

const Primitive clamp_p{.name = "clamp", .abstract_eval = clamp_aval, .impl = clamp_impl, .jvp = clamp_jvp,
                        .batch = clamp_batch, .jet = clamp_jet, .lower = clamp_lower, .traits = kElementwise};

}  // namespace fluxion::prim
