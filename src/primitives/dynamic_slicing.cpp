// dynamic_slice and dynamic_update_slice (jax.lax's): a window of static
// size at start indices known only at run time, read or replaced. Starts are
// clamped so the window fits, as XLA does; negative starts are normalised by
// the jnp/lax wrappers before binding, as JAX's are. Batched indices turn
// them into a gather or a scatter, as JAX's batching rules do.
#include <algorithm>

#include "kernels/strided_copy.hpp"
#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/gather_scatter.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

using Ints = std::vector<int64_t>;

[[noreturn]] void fail(std::string_view op, const std::string& msg) { throw ShapeError(std::string(op) + ": " + msg); }

void check_start_indices(std::string_view op, AvalRefs starts, int64_t rank) {
  if (static_cast<int64_t>(starts.size()) != rank)
    fail(op, "needs one start index per operand dimension (" + std::to_string(rank) + "), got " + std::to_string(starts.size()));
  for (const AbstractValue* s : starts) {
    if (!is_integer(s->dtype))
      throw TypeError(std::string(op) + ": start indices must be integers, got " + std::string(dtype_name(s->dtype)));
    if (s->ndim() != 0) fail(op, "start indices must be scalars, got one of shape " + shape_to_string(s->shape));
  }
}

// The clamped start of each dimension, so that a window of `window` fits.
Ints clamped_starts(std::span<const Array> starts, const Shape& operand, const Ints& window) {
  Ints out;
  for (size_t d = 0; d < starts.size(); ++d)
    out.push_back(std::clamp<int64_t>(index_vectors(starts[d])[0], 0, operand[d] - window[d]));
  return out;
}

int64_t offset_of(const Ints& start, const Shape& shape) {
  const Ints strides = detail::strides_of(shape);
  int64_t offset = 0;
  for (size_t d = 0; d < start.size(); ++d) offset += start[d] * strides[d];
  return offset;
}

std::vector<AbstractValue> dynamic_slice_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const AbstractValue& x = *in[0];
  const auto& sizes = params.get<Ints>("slice_sizes");
  check_start_indices(p.name, in.subspan(1), x.ndim());
  if (static_cast<int64_t>(sizes.size()) != x.ndim())
    fail(p.name, "slice_sizes (" + detail::join(sizes) + ") must have one entry per dimension of shape " + shape_to_string(x.shape));
  for (size_t d = 0; d < sizes.size(); ++d)
    if (sizes[d] < 0 || sizes[d] > x.shape[d])
      fail(p.name, "slice_sizes (" + detail::join(sizes) + ") must fit in the operand's shape " + shape_to_string(x.shape));
  return single(AbstractValue{sizes, x.dtype, x.weak_type});
}

std::vector<Array> dynamic_slice_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                                      const Params& params) {
  const Ints start = clamped_starts(in.subspan(1), in[0].shape(), params.get<Ints>("slice_sizes"));
  auto result = output(out[0]);
  visit_dtype(out[0].dtype, [&]<class T>() {
    kernels::strided_copy(detail::data_as<T>(in[0]), offset_of(start, in[0].shape()), detail::strides_of(in[0].shape()),
                          out[0].shape, out_data<T>(result));
  });
  return single(Array(std::move(result)));
}

std::vector<Array> with_operand(const Array& x, std::span<const Array> rest) {
  std::vector<Array> ops{x};
  ops.insert(ops.end(), rest.begin(), rest.end());
  return ops;
}

JvpResult dynamic_slice_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                            const Params& params) {
  Array ans = bind1(p, primals, params);
  if (!tangents[0].valid()) return {{ans}, {Array()}};
  return {{std::move(ans)}, {bind1(p, with_operand(tangents[0], primals.subspan(1)), params)}};
}

// The cotangent written into zeros where the window was read.
std::vector<Array> dynamic_slice_transpose(const Primitive&, std::span<const Array> cts,
                                           std::span<const TransposeInput> in, const Params&) {
  std::vector<Array> ops{lax::zeros(in[0].aval), cts[0]};
  for (size_t i = 1; i < in.size(); ++i) ops.push_back(in[i].known);
  std::vector<Array> out(in.size());
  out[0] = bind1(dynamic_update_slice_p, ops);
  return out;
}

// The start indices as one index vector (rank-1, or with the batch axis in
// front when any start is batched), for a gather or scatter.
std::pair<Array, int> index_vector(std::span<const Array> starts, std::span<const int> dims) {
  const bool batched = std::any_of(dims.begin(), dims.end(), [](int d) { return d != not_mapped; });
  const int64_t size = batched ? batch_size(starts, dims) : 1;
  std::vector<Array> parts;
  const DType t = starts[0].dtype();
  for (size_t d = 0; d < starts.size(); ++d) {
    Array s = lax::convert(starts[d], t);
    s = batched ? move_batch_axis(s, dims[d], 0, size) : s;
    parts.push_back(lax::reshape(s, batched ? Shape{size, 1} : Shape{1}));
  }
  return {bind1(concatenate_p, parts, {{"dimension", int64_t{batched ? 1 : 0}}}), batched ? 0 : not_mapped};
}

Ints iota_axes(int64_t n) {
  Ints out;
  for (int64_t i = 0; i < n; ++i) out.push_back(i);
  return out;
}

// JAX's rule: a dynamic slice is a gather of one window, in clip mode.
BatchResult dynamic_slice_batch(const Primitive&, std::span<const Array> values, std::span<const int> dims,
                                const Params& params) {
  const auto [indices, index_dim] = index_vector(values.subspan(1), dims.subspan(1));
  const Ints& sizes = params.get<Ints>("slice_sizes");
  const Ints all = iota_axes(static_cast<int64_t>(sizes.size()));
  const Params gather_params{{"dimension_numbers", GatherDimensionNumbers{all, {}, all, {}, {}}},
                             {"slice_sizes", sizes},
                             {"fill_value", NoneParam{}},
                             {"indices_are_sorted", true},
                             {"unique_indices", true},
                             {"mode", GatherScatterMode::clip}};
  const std::vector<Array> ops{values[0], indices};
  const std::vector<int> op_dims{dims[0], index_dim};
  return gather_p.batch(gather_p, std::span<const Array>(ops), std::span<const int>(op_dims), gather_params);
}

std::vector<AbstractValue> dynamic_update_slice_aval(const Primitive& p, AvalRefs in, const Params&) {
  const AbstractValue &x = *in[0], &u = *in[1];
  check_start_indices(p.name, in.subspan(2), x.ndim());
  if (u.dtype != x.dtype)
    throw TypeError(std::string(p.name) + ": the update (" + std::string(dtype_name(u.dtype)) +
                    ") must have the operand's dtype (" + std::string(dtype_name(x.dtype)) + ")");
  bool fits = u.ndim() == x.ndim();
  for (int64_t d = 0; fits && d < x.ndim(); ++d) fits = u.shape[d] <= x.shape[d];
  if (!fits)
    fail(p.name, "the update of shape " + shape_to_string(u.shape) + " must have the operand's rank and fit in its shape " + shape_to_string(x.shape));
  return single(x);
}

std::vector<Array> dynamic_update_slice_impl(const Primitive&, std::span<const Array> in,
                                             std::span<const AbstractValue> out, const Params&) {
  const Ints start = clamped_starts(in.subspan(2), in[0].shape(), in[1].shape());
  auto result = output(out[0]);
  visit_dtype(out[0].dtype, [&]<class T>() {
    T* dst = out_data<T>(result);
    std::copy_n(detail::data_as<T>(in[0]), out[0].size(), dst);
    // Row by row: the update's rows are contiguous, the operand's strided.
    const Shape& u = in[1].shape();
    const Ints strides = detail::strides_of(in[0].shape());
    const T* src = detail::data_as<T>(in[1]);
    const int64_t n = in[1].size();
    if (n == 0) return;
    Ints index(u.size(), 0);
    for (int64_t flat = 0; flat < n; ++flat) {
      int64_t at = 0;
      for (size_t d = 0; d < u.size(); ++d) at += (start[d] + index[d]) * strides[d];
      dst[at] = src[flat];
      for (size_t d = u.size(); d-- > 0;) {
        if (++index[d] < u[d]) break;
        index[d] = 0;
      }
    }
  });
  return single(Array(std::move(result)));
}

JvpResult dynamic_update_slice_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                                   const Params& params) {
  Array ans = bind1(p, primals, params);
  if (!tangents[0].valid() && !tangents[1].valid()) return {{ans}, {Array()}};
  std::vector<Array> ops{lax::instantiate(tangents[0], primals[0].aval()), lax::instantiate(tangents[1], primals[1].aval())};
  ops.insert(ops.end(), primals.begin() + 2, primals.end());
  return {{std::move(ans)}, {bind1(p, ops, params)}};
}

// The operand's cotangent with the window zeroed; the update's, the window.
std::vector<Array> dynamic_update_slice_transpose(const Primitive& p, std::span<const Array> cts,
                                                  std::span<const TransposeInput> in, const Params&) {
  std::vector<Array> starts;
  for (size_t i = 2; i < in.size(); ++i) starts.push_back(in[i].known);
  std::vector<Array> out(in.size());
  if (in[0].is_linear()) {
    std::vector<Array> ops{cts[0], lax::zeros(in[1].aval)};
    ops.insert(ops.end(), starts.begin(), starts.end());
    out[0] = bind1(p, ops);
  }
  if (in[1].is_linear())
    out[1] = bind1(dynamic_slice_p, with_operand(cts[0], starts), {{"slice_sizes", Ints(in[1].aval.shape)}});
  return out;
}

// JAX's rule: a dynamic update is a scatter of one window, in clip mode.
BatchResult dynamic_update_slice_batch(const Primitive&, std::span<const Array> values, std::span<const int> dims,
                                       const Params&) {
  const auto [indices, index_dim] = index_vector(values.subspan(2), dims.subspan(2));
  const int64_t rank = values[1].ndim() - (dims[1] == not_mapped ? 0 : 1);
  const Ints all = iota_axes(rank);
  const Params scatter_params{{"dimension_numbers", ScatterDimensionNumbers{all, {}, all, {}, {}}},
                              {"indices_are_sorted", true},
                              {"unique_indices", true},
                              {"mode", GatherScatterMode::clip}};
  const std::vector<Array> ops{values[0], indices, values[1]};
  const std::vector<int> op_dims{dims[0], index_dim, dims[1]};
  return scatter_p.batch(scatter_p, std::span<const Array>(ops), std::span<const int>(op_dims), scatter_params);
}

}  // namespace

const Primitive dynamic_slice_p{.name = "dynamic_slice", .abstract_eval = dynamic_slice_aval,
                                .impl = dynamic_slice_impl, .jvp = dynamic_slice_jvp,
                                .transpose = dynamic_slice_transpose, .batch = dynamic_slice_batch, .jet = taylor_linear,
                                .lower = compiler::lower_via_eager};
const Primitive dynamic_update_slice_p{.name = "dynamic_update_slice", .abstract_eval = dynamic_update_slice_aval,
                                       .impl = dynamic_update_slice_impl, .jvp = dynamic_update_slice_jvp,
                                       .transpose = dynamic_update_slice_transpose,
                                       .batch = dynamic_update_slice_batch, .jet = taylor_linear, .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
