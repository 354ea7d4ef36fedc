// jax.lax's slicing functions (pad, rev, dynamic slices, gather and the
// scatters, with clamp and is_finite) with its signatures, and jnp.take, take_along_axis and flip on
// top of them.
#include <algorithm>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/indexing.hpp"
#include "fluxion/lax.hpp"
#include "ops/internal.hpp"
#include "primitives/gather_scatter.hpp"
#include "primitives/lax.hpp"

namespace fluxion {
namespace {

using Ints = std::vector<int64_t>;

// lax.dynamic_slice's _dynamic_slice_indices: negative starts count from the end.
std::vector<Array> normalized_starts(std::string_view op, const Array& x, const std::vector<Array>& starts) {
  if (static_cast<int64_t>(starts.size()) != x.ndim())
    throw ShapeError(std::string(op) + ": needs one start index per dimension of shape " + shape_to_string(x.shape()) +
                     ", got " + std::to_string(starts.size()));
  std::vector<Array> out;
  for (size_t d = 0; d < starts.size(); ++d) {
    const Array& i = starts[d];
    if (!is_integer(i.dtype()) || i.ndim() != 0)
      throw TypeError(std::string(op) + ": start indices must be integer scalars, got " +
                      std::string(dtype_name(i.dtype())) + shape_to_string(i.shape()));
    if (is_unsigned_integer(i.dtype())) {
      out.push_back(i);
      continue;
    }
    const Array n = detail::convert(Array(x.shape()[d]), i.dtype());
    out.push_back(detail::select_n(bind1(prim::lt_p, {i, detail::scalar_like(i, 0)}), {i, bind1(prim::add_p, {i, n})}));
  }
  // One dtype for all, as JAX's (the widest of them).
  DType t = out.empty() ? DType::int32 : out[0].dtype();
  for (const Array& i : out)
    if (itemsize(i.dtype()) > itemsize(t)) t = i.dtype();
  for (Array& i : out) i = detail::convert(i, t);
  return out;
}

Array scatter_with(const Primitive& p, const Array& operand, const Array& indices, const Array& updates,
                   const ScatterDimensionNumbers& dnums, bool sorted, bool unique,
                   const std::optional<std::string>& mode) {
  return bind1(p, {operand, indices, updates},
               {{"dimension_numbers", dnums},
                {"indices_are_sorted", sorted},
                {"unique_indices", unique},
                {"mode", detail::gather_scatter_mode(p.name, mode, GatherScatterMode::fill_or_drop)}});
}

}  // namespace

GatherScatterMode detail::gather_scatter_mode(std::string_view op, const std::optional<std::string>& mode,
                                              GatherScatterMode fallback) {
  if (!mode) return fallback;
  if (*mode == "clip") return GatherScatterMode::clip;
  if (*mode == "fill" || *mode == "drop") return GatherScatterMode::fill_or_drop;
  if (*mode == "promise_in_bounds") return GatherScatterMode::promise_in_bounds;
  throw ValueError(std::string(op) + ": unknown mode '" + *mode +
                   "'; expected \"promise_in_bounds\", \"clip\", \"fill\" or \"drop\"");
}

namespace lax {

Array clamp(const Array& min, const Array& x, const Array& max) { return bind1(prim::clamp_p, {min, x, max}); }

Array is_finite(const Array& x) { return bind1(prim::is_finite_p, {x}); }

Array pad(const Array& x, const Array& padding_value, const std::vector<std::vector<int64_t>>& padding_config) {
  return bind1(prim::pad_p, {x, padding_value}, {{"padding_config", padding_config}});
}

Array rev(const Array& x, const std::vector<int64_t>& dimensions) {
  return bind1(prim::rev_p, {x}, {{"dimensions", dimensions}});
}

Array dynamic_slice(const Array& x, const std::vector<Array>& start_indices, const std::vector<int64_t>& slice_sizes) {
  std::vector<Array> ops{x};
  for (Array& i : normalized_starts("dynamic_slice", x, start_indices)) ops.push_back(std::move(i));
  return bind1(prim::dynamic_slice_p, ops, {{"slice_sizes", slice_sizes}});
}

Array dynamic_update_slice(const Array& x, const Array& update, const std::vector<Array>& start_indices) {
  std::vector<Array> ops{x, update};
  for (Array& i : normalized_starts("dynamic_update_slice", x, start_indices)) ops.push_back(std::move(i));
  return bind1(prim::dynamic_update_slice_p, ops);
}

Array dynamic_index_in_dim(const Array& x, const Array& index, int64_t axis, bool keepdims) {
  const int64_t a = detail::normalize_axis(axis, x.ndim(), "dynamic_index_in_dim");
  std::vector<Array> starts;
  Ints sizes = x.shape();
  for (int64_t d = 0; d < x.ndim(); ++d) starts.push_back(d == a ? index : detail::convert(Array(0), index.dtype()));
  sizes[a] = 1;
  const Array y = dynamic_slice(x, starts, sizes);
  return keepdims ? y : bind1(prim::squeeze_p, {y}, {{"dimensions", Ints{a}}});
}

Array gather(const Array& operand, const Array& start_indices, const GatherDimensionNumbers& dimension_numbers,
             const std::vector<int64_t>& slice_sizes, bool unique_indices, bool indices_are_sorted,
             const std::optional<std::string>& mode, std::optional<double> fill_value) {
  return bind1(prim::gather_p, {operand, start_indices},
               {{"dimension_numbers", dimension_numbers},
                {"slice_sizes", slice_sizes},
                {"fill_value", fill_value ? ParamValue(*fill_value) : ParamValue(NoneParam{})},
                {"indices_are_sorted", indices_are_sorted},
                {"unique_indices", unique_indices},
                {"mode", detail::gather_scatter_mode("gather", mode, GatherScatterMode::promise_in_bounds)}});
}

Array scatter(const Array& operand, const Array& scatter_indices, const Array& updates,
              const ScatterDimensionNumbers& dimension_numbers, bool indices_are_sorted, bool unique_indices,
              const std::optional<std::string>& mode) {
  return scatter_with(prim::scatter_p, operand, scatter_indices, updates, dimension_numbers, indices_are_sorted,
                      unique_indices, mode);
}
Array scatter_add(const Array& operand, const Array& scatter_indices, const Array& updates,
                  const ScatterDimensionNumbers& dimension_numbers, bool indices_are_sorted, bool unique_indices,
                  const std::optional<std::string>& mode) {
  return scatter_with(prim::scatter_add_p, operand, scatter_indices, updates, dimension_numbers, indices_are_sorted,
                      unique_indices, mode);
}
Array scatter_mul(const Array& operand, const Array& scatter_indices, const Array& updates,
                  const ScatterDimensionNumbers& dimension_numbers, bool indices_are_sorted, bool unique_indices,
                  const std::optional<std::string>& mode) {
  return scatter_with(prim::scatter_mul_p, operand, scatter_indices, updates, dimension_numbers, indices_are_sorted,
                      unique_indices, mode);
}
Array scatter_min(const Array& operand, const Array& scatter_indices, const Array& updates,
                  const ScatterDimensionNumbers& dimension_numbers, bool indices_are_sorted, bool unique_indices,
                  const std::optional<std::string>& mode) {
  return scatter_with(prim::scatter_min_p, operand, scatter_indices, updates, dimension_numbers, indices_are_sorted,
                      unique_indices, mode);
}
Array scatter_max(const Array& operand, const Array& scatter_indices, const Array& updates,
                  const ScatterDimensionNumbers& dimension_numbers, bool indices_are_sorted, bool unique_indices,
                  const std::optional<std::string>& mode) {
  return scatter_with(prim::scatter_max_p, operand, scatter_indices, updates, dimension_numbers, indices_are_sorted,
                      unique_indices, mode);
}

}  // namespace lax

// jnp's _take: a gather of one collapsed axis, in "fill" mode by default.
Array take(const Array& a_in, const Array& indices_in, std::optional<int64_t> axis, const IndexOptions& options) {
  const Array a = axis ? a_in : reshape(a_in, {a_in.size()});
  const int64_t ax = axis ? detail::normalize_axis(*axis, a.ndim(), "take") : 0;
  if (!is_integer(indices_in.dtype()))
    throw TypeError("take: indices must be integers, got " + std::string(dtype_name(indices_in.dtype())));
  Ints sizes = a.shape();
  Shape out_shape(a.shape().begin(), a.shape().begin() + ax);
  out_shape.insert(out_shape.end(), indices_in.shape().begin(), indices_in.shape().end());
  out_shape.insert(out_shape.end(), a.shape().begin() + ax + 1, a.shape().end());
  if (sizes[ax] == 0) {
    if (indices_in.size() != 0) throw IndexError("take: cannot do a non-empty take from an empty axis");
    return lax::zeros(AbstractValue{out_shape, a.dtype(), a.weak_type()});
  }
  if (indices_in.size() == 0) return lax::zeros(AbstractValue{out_shape, a.dtype(), a.weak_type()});
  Array indices = indices_in;
  if (!is_unsigned_integer(indices.dtype()) && options.mode.value_or("fill") != "promise_in_bounds") {
    const Array n = detail::convert(Array(sizes[ax]), indices.dtype());
    indices = detail::select_n(less(indices, detail::scalar_like(indices, 0)), {indices, add(indices, n)});
  }
  sizes[ax] = 1;
  const int64_t index_dims = indices.ndim();
  Ints offset_dims;
  for (int64_t d = 0; d < ax; ++d) offset_dims.push_back(d);
  for (int64_t d = ax + index_dims; d < a.ndim() + index_dims - 1; ++d) offset_dims.push_back(d);
  Shape with_vector = indices.shape();
  with_vector.push_back(1);
  return lax::gather(a, reshape(indices, with_vector), GatherDimensionNumbers{offset_dims, {ax}, {ax}, {}, {}}, sizes,
                     options.unique_indices, options.indices_are_sorted, options.mode.value_or("fill"),
                     options.fill_value);
}

// Advanced indexing with the index along `axis` and aranges along the others,
// all broadcast together.
Array take_along_axis(const Array& arr, const Array& indices, int64_t axis, const IndexOptions& options) {
  const int64_t ax = detail::normalize_axis(axis, arr.ndim(), "take_along_axis");
  if (indices.ndim() != arr.ndim())
    throw ShapeError("take_along_axis: indices and arr must have the same number of dimensions, got shapes " +
                     shape_to_string(indices.shape()) + " and " + shape_to_string(arr.shape()));
  if (!is_integer(indices.dtype()))
    throw TypeError("take_along_axis: indices must be integers, got " + std::string(dtype_name(indices.dtype())));
  std::vector<Index> index;
  for (int64_t d = 0; d < arr.ndim(); ++d) {
    if (d == ax) {
      index.emplace_back(indices);
      continue;
    }
    const int64_t n = arr.shape()[d];
    if (n != 1 && indices.shape()[d] != 1 && indices.shape()[d] != n)
      throw ShapeError("take_along_axis: indices of shape " + shape_to_string(indices.shape()) +
                       " do not broadcast against arr of shape " + shape_to_string(arr.shape()) + " along axis " +
                       std::to_string(d));
    Shape s(static_cast<size_t>(arr.ndim()), 1);
    s[d] = n;
    index.emplace_back(n == 1 ? Array(zeros(s, indices.dtype())) : reshape(arange(0, n, 1, indices.dtype()), s));
  }
  IndexOptions o = options;
  if (!o.mode) o.mode = "fill";
  return detail::index_array(arr, index, o);
}

Array flip(const Array& x, const std::vector<int64_t>& axes) {
  Ints dims;
  if (axes.empty())
    for (int64_t d = 0; d < x.ndim(); ++d) dims.push_back(d);
  for (int64_t a : axes) dims.push_back(detail::normalize_axis(a, x.ndim(), "flip"));
  return dims.empty() ? x : lax::rev(x, dims);
}

}  // namespace fluxion
