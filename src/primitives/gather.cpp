// gather (jax.lax.gather, XLA's Gather): windows of the operand at the
// starts that the index vectors give, with XLA's dimension numbers (batching
// dimensions included) and JAX's out-of-bounds modes. Linear in the operand:
// its transpose is a scatter-add with the same geometry. The geometry both
// share is here too.
#include <algorithm>
#include <limits>

#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/gather_scatter.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {

using Ints = std::vector<int64_t>;

namespace {

[[noreturn]] void fail(std::string_view op, const std::string& msg) { throw ShapeError(std::string(op) + ": " + msg); }
std::string tuple(const Ints& v) { return axes_tuple(v); }
bool contains(const Ints& v, int64_t x) { return has_axis(v, x); }

// Distinct axes within [0, rank).
void check_axes(std::string_view op, std::string_view what, const Ints& axes, int64_t rank) {
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] < 0 || axes[i] >= rank || std::count(axes.begin(), axes.end(), axes[i]) > 1)
      fail(op, std::string(what) + " " + tuple(axes) + " must be distinct axes in [0, " + std::to_string(rank) + ")");
}

}  // namespace

namespace {

// Axes shifted by one: where they sit once a batch axis is put in front.
Ints shifted_axes(const Ints& axes) {
  Ints out;
  for (int64_t a : axes) out.push_back(a + 1);
  return out;
}

}  // namespace

std::string axes_tuple(const std::vector<int64_t>& axes) {
  return "(" + detail::join(axes) + (axes.size() == 1 ? ",)" : ")");
}

bool has_axis(const std::vector<int64_t>& axes, int64_t axis) {
  return std::find(axes.begin(), axes.end(), axis) != axes.end();
}

ScatterDimensionNumbers with_leading_batch_pair(const ScatterDimensionNumbers& d) {
  ScatterDimensionNumbers nd{shifted_axes(d.update_window_dims), shifted_axes(d.inserted_window_dims),
                             shifted_axes(d.scatter_dims_to_operand_dims), shifted_axes(d.operand_batching_dims),
                             shifted_axes(d.scatter_indices_batching_dims)};
  nd.operand_batching_dims.insert(nd.operand_batching_dims.begin(), 0);
  nd.scatter_indices_batching_dims.insert(nd.scatter_indices_batching_dims.begin(), 0);
  return nd;
}

GatherDimensionNumbers gather_dnums_of(const ScatterDimensionNumbers& d) {
  return {d.update_window_dims, d.inserted_window_dims, d.scatter_dims_to_operand_dims, d.operand_batching_dims,
          d.scatter_indices_batching_dims};
}

ScatterDimensionNumbers scatter_dnums_of(const GatherDimensionNumbers& d) {
  return {d.offset_dims, d.collapsed_slice_dims, d.start_index_map, d.operand_batching_dims,
          d.start_indices_batching_dims};
}

int64_t IndexGeometry::num_batch() const { return detail::shape_size(Shape(indices.begin(), indices.end() - 1)); }

int64_t IndexGeometry::window_size() const {
  int64_t n = 1;
  for (int64_t a : window_axes) n *= window_sizes[a];
  return n;
}

std::vector<int64_t> IndexGeometry::window_offsets() const {
  const Ints strides = detail::strides_of(operand);
  Ints offsets(static_cast<size_t>(window_size()));
  Ints coord(window_axes.size(), 0);
  for (int64_t& o : offsets) {
    o = 0;
    for (size_t k = 0; k < window_axes.size(); ++k) o += coord[k] * strides[window_axes[k]];
    for (size_t k = window_axes.size(); k-- > 0;) {
      if (++coord[k] < window_sizes[window_axes[k]]) break;
      coord[k] = 0;
    }
  }
  return offsets;
}

std::vector<int64_t> index_vectors(const Array& indices) {
  std::vector<int64_t> out(static_cast<size_t>(indices.size()));
  visit_dtype(indices.dtype(), [&]<class T>() {
    const T* src = detail::data_as<T>(indices);
    for (size_t i = 0; i < out.size(); ++i) {
      if constexpr (std::is_unsigned_v<T>) {
        // Unsigned indices past int64's range are out of bounds all the same.
        out[i] = src[i] > static_cast<T>(std::numeric_limits<int64_t>::max()) ? std::numeric_limits<int64_t>::max()
                                                                               : static_cast<int64_t>(src[i]);
      } else {
        out[i] = static_cast<int64_t>(src[i]);
      }
    }
  });
  return out;
}

int64_t window_start(const IndexGeometry& g, const std::vector<int64_t>& indices, int64_t b, GatherScatterMode mode,
                     bool scatter) {
  const size_t k_size = g.start_index_map.size();
  Ints start(g.operand.size(), 0);
  for (size_t k = 0; k < k_size; ++k) start[g.start_index_map[k]] = indices[b * k_size + k];
  if (!g.operand_batching.empty()) {
    Ints coord(g.indices.size() - 1);
    for (int64_t rest = b, d = static_cast<int64_t>(coord.size()) - 1; d >= 0; --d) {
      coord[d] = rest % g.indices[d];
      rest /= g.indices[d];
    }
    for (size_t k = 0; k < g.operand_batching.size(); ++k) start[g.operand_batching[k]] = coord[g.indices_batching[k]];
  }
  const bool clamp = mode == GatherScatterMode::clip || (mode == GatherScatterMode::promise_in_bounds && !scatter);
  for (int64_t a : g.start_index_map) {
    const int64_t hi = g.operand[a] - g.window_sizes[a];
    if (clamp) start[a] = std::clamp<int64_t>(start[a], 0, hi);
    else if (start[a] < 0 || start[a] > hi) return -1;
  }
  int64_t offset = 0, stride = 1;
  for (size_t d = g.operand.size(); d-- > 0;) {
    offset += start[d] * stride;
    stride *= g.operand[d];
  }
  return offset;
}

void check_index_operand(std::string_view op, const AbstractValue& indices, size_t index_vector_size) {
  if (!is_integer(indices.dtype))
    throw TypeError(std::string(op) + ": indices must be integers, got " + std::string(dtype_name(indices.dtype)));
  if (indices.ndim() < 1 || indices.shape.back() != static_cast<int64_t>(index_vector_size))
    fail(op, "indices of shape " + shape_to_string(indices.shape) + " must end in an axis of " +
                 std::to_string(index_vector_size) + " (one entry per axis of the index map)");
}

void check_batching_dims(std::string_view op, const AbstractValue& operand, const AbstractValue& indices,
                         const Ints& operand_batching, const Ints& indices_batching) {
  if (operand_batching.size() != indices_batching.size())
    fail(op, "operand batching dims " + tuple(operand_batching) + " and indices batching dims " +
                 tuple(indices_batching) + " must pair up one to one");
  check_axes(op, "operand batching dims", operand_batching, operand.ndim());
  check_axes(op, "indices batching dims", indices_batching, indices.ndim() - 1);
  for (size_t k = 0; k < operand_batching.size(); ++k)
    if (operand.shape[operand_batching[k]] != indices.shape[indices_batching[k]])
      fail(op, "operand batching axis " + std::to_string(operand_batching[k]) + " (extent " +
                   std::to_string(operand.shape[operand_batching[k]]) + ") and indices batching axis " +
                   std::to_string(indices_batching[k]) + " (extent " +
                   std::to_string(indices.shape[indices_batching[k]]) + ") must have one extent");
}

namespace {

IndexGeometry gather_geometry(const Shape& operand, const Shape& indices, const GatherDimensionNumbers& d,
                              const Ints& slice_sizes) {
  IndexGeometry g{operand, indices, slice_sizes, {}, d.start_index_map, d.operand_batching_dims,
                  d.start_indices_batching_dims};
  for (int64_t a = 0; a < static_cast<int64_t>(operand.size()); ++a)
    if (!contains(d.collapsed_slice_dims, a) && !contains(d.operand_batching_dims, a)) g.window_axes.push_back(a);
  return g;
}

std::vector<AbstractValue> gather_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const AbstractValue &x = *in[0], &idx = *in[1];
  const auto& d = params.get<GatherDimensionNumbers>("dimension_numbers");
  const auto& sizes = params.get<Ints>("slice_sizes");
  check_index_operand(p.name, idx, d.start_index_map.size());
  if (static_cast<int64_t>(sizes.size()) != x.ndim())
    fail(p.name, "slice_sizes " + tuple(sizes) + " must have one entry per axis of the operand's shape " + shape_to_string(x.shape));
  for (size_t a = 0; a < sizes.size(); ++a)
    if (sizes[a] < 0 || sizes[a] > x.shape[a])
      fail(p.name, "slice_sizes " + tuple(sizes) + " must fit in the operand's shape " + shape_to_string(x.shape));
  check_axes(p.name, "collapsed_slice_dims", d.collapsed_slice_dims, x.ndim());
  check_axes(p.name, "start_index_map", d.start_index_map, x.ndim());
  check_batching_dims(p.name, x, idx, d.operand_batching_dims, d.start_indices_batching_dims);
  for (int64_t a : d.collapsed_slice_dims)
    if (sizes[a] != 1 || contains(d.operand_batching_dims, a))
      fail(p.name, "collapsed_slice_dims " + tuple(d.collapsed_slice_dims) + " must have slice size 1 and not be batching dims");
  for (int64_t a : d.operand_batching_dims)
    if (sizes[a] != 1 || contains(d.start_index_map, a))
      fail(p.name, "operand_batching_dims " + tuple(d.operand_batching_dims) + " must have slice size 1 and not be in start_index_map");
  const IndexGeometry g = gather_geometry(x.shape, idx.shape, d, sizes);
  const int64_t rank = idx.ndim() - 1 + static_cast<int64_t>(d.offset_dims.size());
  if (d.offset_dims.size() != g.window_axes.size() || !std::is_sorted(d.offset_dims.begin(), d.offset_dims.end()))
    fail(p.name, "offset_dims " + tuple(d.offset_dims) + " must list, in increasing order, one output axis per window axis (" +
                     std::to_string(g.window_axes.size()) + ")");
  check_axes(p.name, "offset_dims", d.offset_dims, rank);
  AbstractValue out{Shape(static_cast<size_t>(rank)), x.dtype, x.weak_type};
  size_t window = 0, batch = 0;
  for (int64_t o = 0; o < rank; ++o)
    out.shape[o] = contains(d.offset_dims, o) ? sizes[g.window_axes[window++]] : idx.shape[batch++];
  return single(std::move(out));
}

template <class T> T default_fill() {
  if constexpr (std::is_same_v<T, bool>) return true;
  else if constexpr (std::is_floating_point_v<T>) return std::numeric_limits<T>::quiet_NaN();
  else if constexpr (std::is_signed_v<T>) return std::numeric_limits<T>::min();
  else return std::numeric_limits<T>::max();
}

}  // namespace

WindowLayout window_layout(const Shape& out, const Ints& offset_dims, const Shape& batch_extents,
                           const Ints& window_extents) {
  const Ints strides = detail::strides_of(out);
  Ints batch_axes;
  for (int64_t o = 0; o < static_cast<int64_t>(out.size()); ++o)
    if (!contains(offset_dims, o)) batch_axes.push_back(o);
  const auto offsets = [&](const Ints& extents, const Ints& axes) {
    Ints result(static_cast<size_t>(detail::shape_size(extents)));
    Ints coord(extents.size(), 0);
    for (int64_t& r : result) {
      r = 0;
      for (size_t k = 0; k < extents.size(); ++k) r += coord[k] * strides[axes[k]];
      for (size_t k = extents.size(); k-- > 0;) {
        if (++coord[k] < extents[k]) break;
        coord[k] = 0;
      }
    }
    return result;
  };
  return {offsets(batch_extents, batch_axes), offsets(window_extents, offset_dims)};
}

namespace {

std::vector<Array> gather_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                               const Params& params) {
  const auto& d = params.get<GatherDimensionNumbers>("dimension_numbers");
  const IndexGeometry g = gather_geometry(in[0].shape(), in[1].shape(), d, params.get<Ints>("slice_sizes"));
  const auto mode = params.get<GatherScatterMode>("mode");
  const Ints window_in = g.window_offsets();
  Ints window_extents;
  for (int64_t a : g.window_axes) window_extents.push_back(g.window_sizes[a]);
  const WindowLayout layout =
      window_layout(out[0].shape, d.offset_dims, Shape(g.indices.begin(), g.indices.end() - 1), window_extents);
  const std::vector<int64_t> idx = index_vectors(in[1]);
  auto result = output(out[0]);
  visit_dtype(out[0].dtype, [&]<class T>() {
    T fill = default_fill<T>();
    if (const auto* v = std::get_if<double>(&params.at("fill_value"))) fill = static_cast<T>(*v);
    const T* src = detail::data_as<T>(in[0]);
    T* dst = out_data<T>(result);
    for (int64_t b = 0; b < static_cast<int64_t>(layout.batch.size()); ++b) {
      const int64_t start = window_start(g, idx, b, mode, false);
      T* row = dst + layout.batch[b];
      for (size_t w = 0; w < window_in.size(); ++w) row[layout.window[w]] = start < 0 ? fill : src[start + window_in[w]];
    }
  });
  return single(Array(std::move(result)));
}

// The gather a tangent goes through: out-of-bounds windows in fill mode are
// zeros, not the value's fill (NaN by default), as JAX's _gather_jvp_rule
// passes fill_value=0 (which JAX keeps only in that mode).
Params tangent_params(const Params& params) {
  if (params.get<GatherScatterMode>("mode") != GatherScatterMode::fill_or_drop) return params;
  return {{"dimension_numbers", params.at("dimension_numbers")}, {"slice_sizes", params.at("slice_sizes")},
          {"fill_value", 0.0}, {"indices_are_sorted", params.at("indices_are_sorted")},
          {"mode", params.at("mode")}, {"unique_indices", params.at("unique_indices")}};
}

JvpResult gather_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                     const Params& params) {
  Array ans = bind1(p, primals, params);
  if (!tangents[0].valid()) return {{ans}, {Array()}};
  return {{std::move(ans)}, {bind1(p, {tangents[0], primals[1]}, tangent_params(params))}};
}

// Linear in the operand: each term gathered as the tangent is.
TaylorResult gather_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                        const Params& params) {
  Array ans = bind1(p, primals, params);
  const Params gather_terms = tangent_params(params);
  Series terms;
  for (const Array& term : series[0]) terms.push_back(bind1(p, {term, primals[1]}, gather_terms));
  return {{std::move(ans)}, {std::move(terms)}};
}

// JAX's _gather_transpose_rule: a scatter-add of the cotangent into zeros,
// with the same geometry and out-of-bounds mode.
std::vector<Array> gather_transpose(const Primitive&, std::span<const Array> cts, std::span<const TransposeInput> in,
                                    const Params& params) {
  const Array zeros = lax::zeros(in[0].aval);
  const Array indices = in[1].known;
  return {bind1(scatter_add_p, {zeros, indices, cts[0]},
                {{"dimension_numbers", scatter_dnums_of(params.get<GatherDimensionNumbers>("dimension_numbers"))},
                 {"indices_are_sorted", params.at("indices_are_sorted")},
                 {"unique_indices", params.at("unique_indices")},
                 {"mode", params.at("mode")}}),
          Array()};
}

// Both operands get the batch axis in front (an unmapped one broadcast), and
// it becomes a batching dimension pair: operand axis 0 with indices axis 0,
// which is also the output's first (non-window) axis.
BatchResult gather_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                         const Params& params) {
  const int64_t size = batch_size(values, dims);
  const Array x = move_batch_axis(values[0], dims[0], 0, size);
  const Array idx = move_batch_axis(values[1], dims[1], 0, size);
  const GatherDimensionNumbers nd = gather_dnums_of(
      with_leading_batch_pair(scatter_dnums_of(params.get<GatherDimensionNumbers>("dimension_numbers"))));
  Ints sizes = params.get<Ints>("slice_sizes");
  sizes.insert(sizes.begin(), 1);
  return {{bind1(p, {x, idx},
                {{"dimension_numbers", nd}, {"slice_sizes", sizes}, {"fill_value", params.at("fill_value")},
                 {"indices_are_sorted", params.at("indices_are_sorted")}, {"mode", params.at("mode")},
                 {"unique_indices", params.at("unique_indices")}})},
          {0}};
}

}  // namespace

const Primitive gather_p{.name = "gather", .abstract_eval = gather_aval, .impl = gather_impl, .jvp = gather_jvp,
                         .transpose = gather_transpose, .batch = gather_batch, .jet = gather_jet,
                         .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
