// Layout primitives: broadcast_in_dim, reshape, transpose, squeeze,
// concatenate, slice. reshape and squeeze share the input buffer; the others
// gather through kernels::strided_copy.
#include <algorithm>
#include <cstring>

#include "kernels/strided_copy.hpp"
#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

using Ints = std::vector<int64_t>;

[[noreturn]] void fail(std::string_view op, const std::string& msg) {
  throw ShapeError(std::string(op) + ": " + msg);
}

// Copies in[0]'s elements gathered with `strides` from `offset` into a new value.
Array gather(const Array& x, const AbstractValue& out, int64_t offset, const Ints& strides) {
  auto result = output(out);
  visit_dtype(out.dtype, [&]<class T>() {
    kernels::strided_copy(detail::data_as<T>(x), offset, strides, out.shape, out_data<T>(result));
  });
  return Array(std::move(result));
}

Array alias(const Array& x, const AbstractValue& out) {
  auto base = std::static_pointer_cast<const detail::ConcreteValue>(x.value());
  return Array(detail::ConcreteValue::alias(out, base));
}

// broadcast_in_dim[shape, broadcast_dimensions]: operand dim i becomes output
// dim broadcast_dimensions[i] (equal extent or 1).
std::vector<AbstractValue> broadcast_in_dim_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const AbstractValue& x = *in[0];
  const auto& shape = params.get<Ints>("shape");
  const auto& dims = params.get<Ints>("broadcast_dimensions");
  detail::check_shape(shape, p.name);
  if (static_cast<int64_t>(dims.size()) != x.ndim())
    fail(p.name, "broadcast_dimensions (" + detail::join(dims) + ") must have one entry per operand dimension (operand shape " + shape_to_string(x.shape) + ")");
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] < 0 || dims[i] >= static_cast<int64_t>(shape.size()) || (i > 0 && dims[i] <= dims[i - 1]))
      fail(p.name, "broadcast_dimensions (" + detail::join(dims) + ") must be strictly increasing and within the target rank " + std::to_string(shape.size()));
    if (x.shape[i] != 1 && x.shape[i] != shape[dims[i]])
      fail(p.name, "operand shape " + shape_to_string(x.shape) + " cannot be broadcast to " + shape_to_string(shape) + ": dimension " + std::to_string(i) + " has extent " + std::to_string(x.shape[i]) + ", target has " + std::to_string(shape[dims[i]]));
  }
  return single(AbstractValue{shape, x.dtype, x.weak_type});
}

std::vector<Array> broadcast_in_dim_impl(const Primitive&, std::span<const Array> in,
                                         std::span<const AbstractValue> out, const Params& params) {
  const auto& dims = params.get<Ints>("broadcast_dimensions");
  const auto in_strides = detail::strides_of(in[0].shape());
  Ints strides(out[0].shape.size(), 0);
  for (size_t i = 0; i < dims.size(); ++i)
    strides[dims[i]] = in[0].shape()[i] == 1 ? 0 : in_strides[i];
  return single(gather(in[0], out[0], 0, strides));
}

std::vector<AbstractValue> reshape_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const auto& sizes = params.get<Ints>("new_sizes");
  detail::check_shape(sizes, p.name);
  if (detail::shape_size(sizes) != in[0]->size())
    fail(p.name, "cannot reshape an array of shape " + shape_to_string(in[0]->shape) + " (size " + std::to_string(in[0]->size()) + ") into shape " + shape_to_string(sizes) + " (size " + std::to_string(detail::shape_size(sizes)) + ")");
  return single(AbstractValue{sizes, in[0]->dtype, in[0]->weak_type});
}

std::vector<Array> alias_impl(const Primitive&, std::span<const Array> in,
                              std::span<const AbstractValue> out, const Params&) {
  return single(alias(in[0], out[0]));
}

std::vector<AbstractValue> transpose_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const auto& perm = params.get<Ints>("permutation");
  Ints sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  bool valid = static_cast<int64_t>(perm.size()) == in[0]->ndim();
  for (size_t i = 0; valid && i < sorted.size(); ++i) valid = sorted[i] == static_cast<int64_t>(i);
  if (!valid)
    fail(p.name, "permutation (" + detail::join(perm) + ") is not a permutation of the axes of an operand of shape " + shape_to_string(in[0]->shape));
  AbstractValue out{{}, in[0]->dtype, in[0]->weak_type};
  for (int64_t a : perm) out.shape.push_back(in[0]->shape[a]);
  return single(std::move(out));
}

std::vector<Array> transpose_impl(const Primitive&, std::span<const Array> in,
                                  std::span<const AbstractValue> out, const Params& params) {
  const auto& perm = params.get<Ints>("permutation");
  const auto in_strides = detail::strides_of(in[0].shape());
  Ints strides;
  for (int64_t a : perm) strides.push_back(in_strides[a]);
  return single(gather(in[0], out[0], 0, strides));
}

std::vector<AbstractValue> squeeze_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const auto& dims = params.get<Ints>("dimensions");
  std::vector<bool> drop(in[0]->shape.size(), false);
  for (int64_t d : dims) {
    if (d < 0 || d >= in[0]->ndim() || drop[d])
      fail(p.name, "invalid dimensions (" + detail::join(dims) + ") for an operand of shape " + shape_to_string(in[0]->shape));
    if (in[0]->shape[d] != 1)
      fail(p.name, "cannot select an axis to squeeze out which has size not equal to one: axis " + std::to_string(d) + " of shape " + shape_to_string(in[0]->shape));
    drop[d] = true;
  }
  AbstractValue out{{}, in[0]->dtype, in[0]->weak_type};
  for (size_t i = 0; i < drop.size(); ++i)
    if (!drop[i]) out.shape.push_back(in[0]->shape[i]);
  return single(std::move(out));
}

std::vector<AbstractValue> concatenate_aval(const Primitive& p, AvalRefs in, const Params& params) {
  if (in.empty()) fail(p.name, "needs at least one operand");
  const int64_t dim = params.get<int64_t>("dimension");
  const AbstractValue& first = *in[0];
  if (dim < 0 || dim >= first.ndim())
    fail(p.name, "dimension " + std::to_string(dim) + " is out of range for operands of rank " + std::to_string(first.ndim()));
  AbstractValue out = first;
  out.shape[dim] = 0;
  for (const AbstractValue* a : in) {
    if (a->dtype != first.dtype)
      throw TypeError(std::string(p.name) + ": operands must share one dtype, got " + std::string(dtype_name(first.dtype)) + " and " + std::string(dtype_name(a->dtype)));
    bool match = a->ndim() == first.ndim();
    for (int64_t i = 0; match && i < first.ndim(); ++i) match = i == dim || a->shape[i] == first.shape[i];
    if (!match)
      fail(p.name, "operand shapes must agree except along dimension " + std::to_string(dim) + ", got " + shape_to_string(first.shape) + " and " + shape_to_string(a->shape));
    out.shape[dim] += a->shape[dim];
    out.weak_type = out.weak_type && a->weak_type;
  }
  return single(std::move(out));
}

std::vector<Array> concatenate_impl(const Primitive&, std::span<const Array> in,
                                    std::span<const AbstractValue> out, const Params& params) {
  const int64_t dim = params.get<int64_t>("dimension");
  auto result = output(out[0]);
  const size_t item = itemsize(out[0].dtype);
  int64_t outer = 1;
  for (int64_t i = 0; i < dim; ++i) outer *= out[0].shape[i];
  int64_t inner = 1;
  for (size_t i = dim + 1; i < out[0].shape.size(); ++i) inner *= out[0].shape[i];
  const int64_t out_row = out[0].shape[dim] * inner;
  auto* dst = static_cast<unsigned char*>(result->mutable_data());
  int64_t offset = 0;
  for (const Array& a : in) {
    const int64_t row = a.shape()[dim] * inner;
    const auto* src = static_cast<const unsigned char*>(a.data());
    if (row > 0)
      for (int64_t o = 0; o < outer; ++o)
        std::memcpy(dst + (o * out_row + offset) * item, src + o * row * item, static_cast<size_t>(row) * item);
    offset += row;
  }
  return single(Array(std::move(result)));
}

Ints slice_strides(const Params& params, size_t rank) {
  if (const auto* s = std::get_if<Ints>(&params.at("strides"))) return *s;
  return Ints(rank, 1);
}

std::vector<AbstractValue> slice_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const AbstractValue& x = *in[0];
  const auto& start = params.get<Ints>("start_indices");
  const auto& limit = params.get<Ints>("limit_indices");
  const Ints strides = slice_strides(params, x.shape.size());
  if (start.size() != x.shape.size() || limit.size() != x.shape.size() || strides.size() != x.shape.size())
    fail(p.name, "start_indices, limit_indices and strides need one entry per dimension of shape " + shape_to_string(x.shape));
  AbstractValue out{{}, x.dtype, x.weak_type};
  for (size_t i = 0; i < start.size(); ++i) {
    if (start[i] < 0 || limit[i] < start[i] || limit[i] > x.shape[i] || strides[i] < 1)
      fail(p.name, "invalid slice [" + std::to_string(start[i]) + ":" + std::to_string(limit[i]) + ":" + std::to_string(strides[i]) + "] of dimension " + std::to_string(i) + " with extent " + std::to_string(x.shape[i]));
    out.shape.push_back((limit[i] - start[i] + strides[i] - 1) / strides[i]);
  }
  return single(std::move(out));
}

std::vector<Array> slice_impl(const Primitive&, std::span<const Array> in,
                              std::span<const AbstractValue> out, const Params& params) {
  const auto& start = params.get<Ints>("start_indices");
  const Ints step = slice_strides(params, start.size());
  const auto in_strides = detail::strides_of(in[0].shape());
  int64_t offset = 0;
  Ints strides(start.size());
  for (size_t i = 0; i < start.size(); ++i) {
    offset += start[i] * in_strides[i];
    strides[i] = in_strides[i] * step[i];
  }
  return single(gather(in[0], out[0], offset, strides));
}

// --- derivative rules: every layout primitive is linear ---

std::vector<Array> broadcast_in_dim_transpose(const Primitive&, std::span<const Array> cts,
                                              std::span<const TransposeInput> in, const Params& params) {
  // Sum over the dimensions the broadcast created or stretched from 1.
  const auto& dims = params.get<Ints>("broadcast_dimensions");
  const Shape& operand = in[0].aval.shape;
  std::vector<bool> from_operand(cts[0].shape().size(), false);
  for (size_t i = 0; i < dims.size(); ++i)
    if (operand[i] != 1) from_operand[dims[i]] = true;
  Ints axes;
  for (size_t i = 0; i < from_operand.size(); ++i)
    if (!from_operand[i]) axes.push_back(static_cast<int64_t>(i));
  return {lax::reshape(lax::reduce_sum(cts[0], axes), operand)};
}

std::vector<Array> reshape_back(const Primitive&, std::span<const Array> cts, std::span<const TransposeInput> in,
                                const Params&) {
  return {lax::reshape(cts[0], in[0].aval.shape)};
}

std::vector<Array> transpose_transpose(const Primitive& p, std::span<const Array> cts,
                                       std::span<const TransposeInput>, const Params& params) {
  const auto& perm = params.get<Ints>("permutation");
  Ints inverse(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) inverse[perm[i]] = static_cast<int64_t>(i);
  return {bind1(p, {cts[0]}, {{"permutation", inverse}})};
}

JvpResult concatenate_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                          const Params& params) {
  Array ans = bind1(p, primals, params);
  bool any = false;
  for (const Array& t : tangents) any = any || t.valid();
  if (!any || !is_floating(ans.dtype())) return {{ans}, {}};
  std::vector<Array> ts;
  for (size_t i = 0; i < primals.size(); ++i) ts.push_back(lax::instantiate(tangents[i], primals[i].aval()));
  return {{std::move(ans)}, {bind1(p, ts, params)}};
}

std::vector<Array> concatenate_transpose(const Primitive&, std::span<const Array> cts,
                                         std::span<const TransposeInput> in, const Params& params) {
  const int64_t dim = params.get<int64_t>("dimension");
  const Array& ct = cts[0];
  std::vector<Array> out(in.size());
  int64_t offset = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const int64_t extent = in[i].aval.shape[dim];
    if (in[i].is_linear()) {
      Ints start(ct.shape().size(), 0), limit = ct.shape();
      start[dim] = offset;
      limit[dim] = offset + extent;
      out[i] = bind1(slice_p, {ct}, {{"start_indices", start}, {"limit_indices", limit}, {"strides", NoneParam{}}});
    }
    offset += extent;
  }
  return out;
}

// The transpose of a unit-stride slice: the cotangent padded with zeros back
// to the operand's shape, one dimension at a time.
std::vector<Array> slice_transpose(const Primitive&, std::span<const Array> cts, std::span<const TransposeInput> in,
                                   const Params& params) {
  const Shape& operand = in[0].aval.shape;
  const auto& start = params.get<Ints>("start_indices");
  const Ints strides = slice_strides(params, operand.size());
  Array ct = cts[0];
  // Each strided dimension first spreads its cotangents `stride` apart, with
  // zeros between (what JAX's interior padding does): a new axis after d
  // holds each element and stride - 1 zeros, which a reshape lays out in
  // order, and the zeros after the last element are sliced off.
  for (size_t d = 0; d < operand.size(); ++d) {
    const int64_t stride = strides[d], m = ct.shape()[d];
    if (stride == 1 || m == 0) continue;
    Shape one = ct.shape(), gaps = ct.shape();
    one.insert(one.begin() + static_cast<std::ptrdiff_t>(d) + 1, 1);
    gaps.insert(gaps.begin() + static_cast<std::ptrdiff_t>(d) + 1, stride - 1);
    const Array interleaved = bind1(concatenate_p, {lax::reshape(ct, one), lax::zeros(AbstractValue{gaps, ct.dtype()})},
                                    {{"dimension", static_cast<int64_t>(d) + 1}});
    Shape spread = ct.shape();
    spread[d] = m * stride;
    Ints lo(spread.size(), 0), hi(spread.begin(), spread.end());
    hi[d] = (m - 1) * stride + 1;
    ct = bind1(slice_p, {lax::reshape(interleaved, spread)},
               {{"start_indices", lo}, {"limit_indices", hi}, {"strides", NoneParam{}}});
  }
  for (size_t d = 0; d < operand.size(); ++d) {
    const int64_t before = start[d], after = operand[d] - start[d] - ct.shape()[d];
    if (before == 0 && after == 0) continue;
    std::vector<Array> parts;
    auto zeros_block = [&](int64_t extent) {
      Shape shape = ct.shape();
      shape[d] = extent;
      return lax::zeros(AbstractValue{shape, ct.dtype()});
    };
    if (before > 0) parts.push_back(zeros_block(before));
    parts.push_back(ct);
    if (after > 0) parts.push_back(zeros_block(after));
    ct = bind1(concatenate_p, parts, {{"dimension", static_cast<int64_t>(d)}});
  }
  return {ct};
}

// --- batching rules: the batch axis stays where it is when the parameters can
// say so (no copy); otherwise it moves to the front ---

BatchResult broadcast_in_dim_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                                   const Params& params) {
  // Operand axis d lands at output axis q, right after the output axis of
  // operand axis d-1, which keeps broadcast_dimensions increasing.
  const int d = dims[0];
  const auto& bdims = params.get<Ints>("broadcast_dimensions");
  Ints shape = params.get<Ints>("shape");
  const int64_t q = d == 0 ? 0 : bdims[d - 1] + 1;
  shape.insert(shape.begin() + q, values[0].shape()[d]);
  Ints new_dims;
  for (size_t j = 0; j < bdims.size(); ++j) {
    if (static_cast<int>(j) == d) new_dims.push_back(q);
    new_dims.push_back(bdims[j] < q ? bdims[j] : bdims[j] + 1);
  }
  if (static_cast<size_t>(d) == bdims.size()) new_dims.push_back(q);
  return {{bind1(p, {values[0]}, {{"shape", shape}, {"broadcast_dimensions", new_dims}})}, {static_cast<int>(q)}};
}

BatchResult reshape_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                          const Params& params) {
  return leading_axis_batch(p, values, dims, [&](int64_t size) {
    Ints sizes = params.get<Ints>("new_sizes");
    sizes.insert(sizes.begin(), size);
    return Params{{"new_sizes", sizes}, {"dimensions", NoneParam{}}};
  });
}

BatchResult transpose_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                            const Params& params) {
  const int d = dims[0];
  Ints perm{d};
  for (int64_t a : params.get<Ints>("permutation")) perm.push_back(batched_axis(a, d));
  return {{bind1(p, {values[0]}, {{"permutation", perm}})}, {0}};
}

BatchResult squeeze_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                          const Params& params) {
  const int d = dims[0];
  Ints squeezed;
  int out_dim = d;
  for (int64_t a : params.get<Ints>("dimensions")) {
    squeezed.push_back(batched_axis(a, d));
    if (a < d) --out_dim;
  }
  return {{bind1(p, {values[0]}, {{"dimensions", squeezed}})}, {out_dim}};
}

BatchResult concatenate_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                              const Params& params) {
  const AlignedOperands a = align_batch_axes(values, dims);
  const int64_t dim = batched_axis(params.get<int64_t>("dimension"), a.axis);
  return {{bind1(p, a.operands, {{"dimension", dim}})}, {a.axis}};
}

BatchResult slice_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                        const Params& params) {
  const int d = dims[0];
  Ints start = params.get<Ints>("start_indices"), limit = params.get<Ints>("limit_indices");
  start.insert(start.begin() + d, 0);
  limit.insert(limit.begin() + d, values[0].shape()[d]);
  ParamValue strides = NoneParam{};
  if (const auto* s = std::get_if<Ints>(&params.at("strides"))) {
    Ints with_batch = *s;
    with_batch.insert(with_batch.begin() + d, 1);
    strides = with_batch;
  }
  return {{bind1(p, {values[0]}, {{"start_indices", start}, {"limit_indices", limit}, {"strides", strides}})}, {d}};
}

// ---- views (jit): each layout primitive reads its operand with other strides.

bool broadcast_in_dim_view(const Params& params, const AbstractValue& in, const AbstractValue& out,
                           compiler::Layout& layout) {
  const auto& dims = params.get<Ints>("broadcast_dimensions");
  std::vector<int64_t> strides(out.shape.size(), 0);  // new and stretched axes repeat one element
  for (size_t k = 0; k < dims.size(); ++k)
    if (in.shape[k] != 1) strides[static_cast<size_t>(dims[k])] = layout.strides[k];
  layout.strides = std::move(strides);
  return true;
}

bool transpose_view(const Params& params, const AbstractValue&, const AbstractValue&, compiler::Layout& layout) {
  std::vector<int64_t> strides;
  for (int64_t a : params.get<Ints>("permutation")) strides.push_back(layout.strides[static_cast<size_t>(a)]);
  layout.strides = std::move(strides);
  return true;
}

bool slice_view(const Params& params, const AbstractValue& in, const AbstractValue&, compiler::Layout& layout) {
  const auto& start = params.get<Ints>("start_indices");
  const Ints step = slice_strides(params, in.shape.size());
  for (size_t d = 0; d < start.size(); ++d) {
    layout.offset += start[d] * layout.strides[d];
    layout.strides[d] *= step[d];
  }
  return true;
}

// reshape and squeeze keep row-major order: any shape of a contiguous
// layout; of a strided one, only shapes that insert or drop axes of extent 1.
bool row_major_order_view(const AbstractValue& in, const AbstractValue& out, compiler::Layout& layout) {
  if (layout.contiguous(in.shape)) {
    layout = compiler::Layout{layout.offset, compiler::Layout::row_major(out.shape).strides};
    return true;
  }
  std::vector<size_t> kept;  // the operand's axes of extent > 1, in order
  for (size_t d = 0; d < in.shape.size(); ++d)
    if (in.shape[d] != 1) kept.push_back(d);
  std::vector<int64_t> strides(out.shape.size(), 0);
  size_t next = 0;
  for (size_t d = 0; d < out.shape.size(); ++d) {
    if (out.shape[d] == 1) continue;
    if (next == kept.size() || in.shape[kept[next]] != out.shape[d]) return false;  // axes merged or split
    strides[d] = layout.strides[kept[next++]];
  }
  if (next != kept.size()) return false;
  layout.strides = std::move(strides);
  return true;
}

bool reshape_view(const Params& params, const AbstractValue& in, const AbstractValue& out,
                  compiler::Layout& layout) {
  if (params.contains("dimensions") && !std::holds_alternative<NoneParam>(params.at("dimensions"))) return false;
  return row_major_order_view(in, out, layout);
}

bool squeeze_view(const Params&, const AbstractValue& in, const AbstractValue& out, compiler::Layout& layout) {
  return row_major_order_view(in, out, layout);
}

// Inside a fused loop (a one-element operand): the operand's value. Alone:
// a copy through the view (stride 0 along broadcast axes).
// JAX's _broadcast_in_dim_pp_rule: the shape is the result's type, and
// broadcast_dimensions shows only when there are any (so a scalar's
// broadcast prints `broadcast_in_dim 1.0:f64[]`).
PrintedEqn broadcast_in_dim_print(const Params& params) {
  PrintedEqn printed = printed_params(params);
  hide_param(printed, "shape");
  if (!params.contains("broadcast_dimensions") || params.get<std::vector<int64_t>>("broadcast_dimensions").empty())
    hide_param(printed, "broadcast_dimensions");
  return printed;
}

void broadcast_in_dim_lower(const Primitive& p, compiler::Emitter& e) {
  if (e.in_group()) return e.assign(e.in(0));
  compiler::lower_view_copy(p, e);
}

}  // namespace

const Primitive broadcast_in_dim_p{.name = "broadcast_in_dim", .abstract_eval = broadcast_in_dim_aval,
                                   .impl = broadcast_in_dim_impl, .jvp = linear_jvp,
                                   .transpose = broadcast_in_dim_transpose, .batch = broadcast_in_dim_batch, .jet = taylor_linear,
                                   .lower = broadcast_in_dim_lower, .view = broadcast_in_dim_view,
                                   .print = broadcast_in_dim_print, .traits = kScalarBroadcast};
const Primitive reshape_p{.name = "reshape", .abstract_eval = reshape_aval, .impl = alias_impl,
                          .jvp = linear_jvp, .transpose = reshape_back, .batch = reshape_batch, .jet = taylor_linear,
                          .lower = compiler::lower_copy, .view = reshape_view, .print = print_with_sharding};
const Primitive transpose_p{.name = "transpose", .abstract_eval = transpose_aval, .impl = transpose_impl,
                            .jvp = linear_jvp, .transpose = transpose_transpose, .batch = transpose_batch, .jet = taylor_linear,
                            .lower = compiler::lower_view_copy, .view = transpose_view};
const Primitive squeeze_p{.name = "squeeze", .abstract_eval = squeeze_aval, .impl = alias_impl,
                          .jvp = linear_jvp, .transpose = reshape_back, .batch = squeeze_batch, .jet = taylor_linear,
                          .lower = compiler::lower_copy, .view = squeeze_view};
const Primitive concatenate_p{.name = "concatenate", .abstract_eval = concatenate_aval, .impl = concatenate_impl,
                              .jvp = concatenate_jvp, .transpose = concatenate_transpose, .batch = concatenate_batch, .jet = taylor_linear,
                              .lower = compiler::lower_via_eager};
const Primitive slice_p{.name = "slice", .abstract_eval = slice_aval, .impl = slice_impl, .jvp = linear_jvp,
                        .transpose = slice_transpose, .batch = slice_batch, .jet = taylor_linear, .lower = compiler::lower_view_copy,
                        .view = slice_view};

}  // namespace fluxion::prim
