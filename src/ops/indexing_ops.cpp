// Indexing (x(i, fx::s(1, -1), fx::newaxis, idx)) and functional updates
// (fx::at(x, ...).set/add/...), as jax/_src/numpy/indexing.py and
// jax/_src/ops/scatter.py compute them: an index of static integers and
// slices is a slice (then rev, squeeze, expand_dims); one with scalar array
// indices a dynamic_slice; any other a gather, whose geometry an update
// reuses for its scatter.
#include <algorithm>
#include <numeric>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/indexing.hpp"
#include "fluxion/lax.hpp"
#include "ops/internal.hpp"
#include "primitives/gather_scatter.hpp"
#include "primitives/lax.hpp"

namespace fluxion {

Index::Index(std::initializer_list<int64_t> list)
    : value_(array_of<int64_t>(std::vector<int64_t>(list), Shape{static_cast<int64_t>(list.size())})) {}

namespace {

using Ints = std::vector<int64_t>;

[[noreturn]] void index_error(const std::string& msg) { throw IndexError("index: " + msg); }

// An entry after ellipsis expansion and mask conversion.
using Item = std::variant<int64_t, Slice, NewAxis, Array>;

struct Parsed {
  std::vector<Item> items;
  bool advanced_contiguous = true;  // over the entries as written, as NumPy decides where advanced axes go
};

int64_t axes_consumed(const Index::Value& v) {
  if (std::holds_alternative<NewAxis>(v) || std::holds_alternative<Ellipsis>(v)) return 0;
  if (const auto* a = std::get_if<Array>(&v)) return a->dtype() == DType::bool_ ? a->ndim() : 1;
  return 1;
}

// The nonzero positions of a concrete boolean mask, one int64 array per axis (np.nonzero).
std::vector<Array> mask_indices(const Array& mask) {
  if (!mask.is_concrete())
    throw ConcretizationError(
        "index: Array boolean indices must be concrete; got a traced boolean array of shape " +
        shape_to_string(mask.shape()) +
        " (JAX's NonConcreteBooleanIndexError: the result's shape would depend on the values). "
        "Use fx::where(mask, x, 0) or an integer index instead");
  const std::vector<bool> bits = mask.to_vector<bool>();
  const Ints strides = detail::strides_of(mask.shape());
  std::vector<Ints> coords(static_cast<size_t>(mask.ndim()));
  for (int64_t flat = 0; flat < static_cast<int64_t>(bits.size()); ++flat) {
    if (!bits[flat]) continue;
    for (size_t d = 0; d < coords.size(); ++d) coords[d].push_back(flat / strides[d] % mask.shape()[d]);
  }
  std::vector<Array> out;
  for (const Ints& c : coords) out.push_back(array_of<int64_t>(c, Shape{static_cast<int64_t>(c.size())}));
  return out;
}

Parsed parse(const Shape& shape, const std::vector<Index>& index) {
  int64_t consumed = 0, ellipses = 0;
  for (const Index& i : index) {
    consumed += axes_consumed(i.value());
    ellipses += std::holds_alternative<Ellipsis>(i.value());
  }
  const int64_t rank = static_cast<int64_t>(shape.size());
  if (ellipses > 1) index_error("an index can only have a single ellipsis ('...')");
  if (consumed > rank)
    index_error("too many indices: the array is " + std::to_string(rank) + "-dimensional (shape " +
                shape_to_string(shape) + "), but " + std::to_string(consumed) + " were indexed");
  Parsed parsed;
  // NumPy places the broadcast advanced axes where the first advanced index
  // is when they are adjacent in the index as written, else in front.
  std::vector<size_t> advanced_at;
  for (size_t k = 0; k < index.size(); ++k) {
    const Index::Value& v = index[k].value();
    if (std::holds_alternative<int64_t>(v) || std::holds_alternative<Array>(v)) advanced_at.push_back(k);
  }
  for (size_t k = 1; k < advanced_at.size(); ++k)
    parsed.advanced_contiguous = parsed.advanced_contiguous && advanced_at[k] == advanced_at[k - 1] + 1;
  int64_t axis = 0;
  const auto full_slices = [&](int64_t n) {
    for (int64_t k = 0; k < n; ++k) parsed.items.emplace_back(Slice{});
    axis += n;
  };
  for (const Index& i : index) {
    std::visit(
        [&]<class V>(const V& v) {
          if constexpr (std::is_same_v<V, Ellipsis>) {
            full_slices(rank - consumed);
          } else if constexpr (std::is_same_v<V, Array>) {
            if (v.dtype() == DType::bool_) {
              if (v.ndim() == 0) index_error("0-d boolean indices are not supported; use fx::where");
              for (int64_t d = 0; d < v.ndim(); ++d)
                if (v.shape()[d] != shape[axis + d])
                  index_error("boolean index of shape " + shape_to_string(v.shape()) + " does not match axes " +
                              std::to_string(axis) + ".. of the indexed array of shape " + shape_to_string(shape));
              for (Array& a : mask_indices(v)) parsed.items.emplace_back(std::move(a));
              axis += v.ndim();
            } else {
              if (!is_integer(v.dtype()))
                throw TypeError("index: indexers must have integer or boolean type, got an array of " +
                                std::string(dtype_name(v.dtype())) + " (convert it with astype(fx::int32))");
              parsed.items.emplace_back(v);
              ++axis;
            }
          } else if constexpr (std::is_same_v<V, NewAxis>) {
            parsed.items.emplace_back(v);
          } else {
            parsed.items.emplace_back(v);
            ++axis;
          }
        },
        i.value());
  }
  if (ellipses == 0) full_slices(rank - axis);
  return parsed;
}

// Python's slice.indices(n): the first element, the step and the count.
struct Canonical {
  int64_t start, step, size;
};
Canonical canonical(const Slice& s, int64_t n) {
  const int64_t step = s.step.value_or(1);
  if (step == 0) throw ValueError("index: slice step cannot be zero");
  const auto clamp_bound = [&](std::optional<int64_t> b, int64_t dflt) {
    if (!b) return dflt;
    int64_t v = *b < 0 ? *b + n : *b;
    return step > 0 ? std::clamp<int64_t>(v, 0, n) : std::clamp<int64_t>(v, -1, n - 1);
  };
  const int64_t start = clamp_bound(s.start, step > 0 ? 0 : n - 1);
  const int64_t stop = clamp_bound(s.stop, step > 0 ? n : -1);
  const int64_t size = step > 0 ? std::max<int64_t>(0, (stop - start + step - 1) / step)
                                : std::max<int64_t>(0, (start - stop - step - 1) / -step);
  return {start, step, size};
}

int64_t static_index(int64_t i, int64_t n, int64_t axis) {
  if (i < -n || i >= n)
    index_error("index " + std::to_string(i) + " is out of bounds for axis " + std::to_string(axis) + " with size " +
                std::to_string(n));
  return i < 0 ? i + n : i;
}

// JAX's _normalize_index: negative indices count from the end.
Array normalize(const Array& i, int64_t n) {
  if (is_unsigned_integer(i.dtype())) return i;
  // The constants stay 0-d: the primitives broadcast them (JAX prints `lt b 0:i32[]`).
  return detail::select_n(bind1(prim::lt_p, {i, detail::scalar_like(i, 0)}),
                          {i, bind1(prim::add_p, {i, detail::convert(Array(n), i.dtype())})});
}

Array expand_dims(const Array& y, const Ints& dims) {
  if (dims.empty()) return y;
  Shape shape(y.shape().size() + dims.size());
  Ints kept;
  for (size_t d = 0, from = 0; d < shape.size(); ++d) {
    if (std::find(dims.begin(), dims.end(), static_cast<int64_t>(d)) != dims.end()) {
      shape[d] = 1;
    } else {
      shape[d] = y.shape()[from++];
      kept.push_back(static_cast<int64_t>(d));
    }
  }
  return detail::broadcast_in_dim(y, shape, kept);
}

Array rev(const Array& y, const Ints& dims) {
  return dims.empty() ? y : bind1(prim::rev_p, {y}, {{"dimensions", dims}});
}

bool all_static(const std::vector<Item>& items) {
  return std::none_of(items.begin(), items.end(), [](const Item& i) { return std::holds_alternative<Array>(i); });
}

// JAX's _static_slice: slice (descending slices taken ascending, then rev),
// squeeze the integer axes, add the new ones.
Array static_index_path(const Array& x, const std::vector<Item>& items) {
  Ints start, limit, strides, rev_axes, squeeze_axes, newaxis_dims;
  int64_t axis = 0, y_axis = 0, kept = 0;
  for (const Item& item : items) {
    if (std::holds_alternative<NewAxis>(item)) {
      newaxis_dims.push_back(y_axis++);
      continue;
    }
    const int64_t n = x.shape()[axis];
    if (const auto* i = std::get_if<int64_t>(&item)) {
      const int64_t at = static_index(*i, n, axis);
      start.push_back(at);
      limit.push_back(at + 1);
      strides.push_back(1);
      squeeze_axes.push_back(kept++);
    } else {
      const Canonical c = canonical(std::get<Slice>(item), n);
      if (c.size == 0) {
        start.push_back(0);
        limit.push_back(0);
        strides.push_back(1);
      } else if (c.step > 0) {
        start.push_back(c.start);
        limit.push_back(c.start + (c.size - 1) * c.step + 1);
        strides.push_back(c.step);
      } else {
        const int64_t low = c.start + (c.size - 1) * c.step;
        start.push_back(low);
        limit.push_back(c.start + 1);
        strides.push_back(-c.step);
        rev_axes.push_back(kept);
      }
      ++kept;
      ++y_axis;
    }
    ++axis;
  }
  Array y = x;
  bool trivial = true;
  for (int64_t d = 0; d < x.ndim(); ++d)
    trivial = trivial && start[d] == 0 && limit[d] == x.shape()[d] && strides[d] == 1;
  if (!trivial) y = lax::slice(x, start, limit, std::all_of(strides.begin(), strides.end(), [](int64_t s) { return s == 1; })
                                                       ? std::nullopt
                                                       : std::optional<Ints>(strides));
  y = rev(y, rev_axes);
  if (!squeeze_axes.empty()) y = bind1(prim::squeeze_p, {y}, {{"dimensions", squeeze_axes}});
  return expand_dims(y, newaxis_dims);
}

// Scalar array indices among static ones, unit steps: JAX's _dynamic_slice.
bool dynamic_eligible(const std::vector<Item>& items) {
  for (const Item& item : items) {
    if (const auto* a = std::get_if<Array>(&item); a && a->ndim() != 0) return false;
    if (const auto* s = std::get_if<Slice>(&item); s && s->step.value_or(1) != 1) return false;
  }
  return true;
}

Array dynamic_index_path(const Array& x, const std::vector<Item>& items) {
  std::vector<Array> starts;
  Ints sizes, squeeze_axes, newaxis_dims;
  int64_t axis = 0, y_axis = 0;
  DType index_dtype = DType::int32;
  for (const Item& item : items)
    if (const auto* a = std::get_if<Array>(&item)) index_dtype = a->dtype();
  for (const Item& item : items) {
    if (std::holds_alternative<NewAxis>(item)) {
      newaxis_dims.push_back(y_axis++);
      continue;
    }
    const int64_t n = x.shape()[axis];
    if (const auto* i = std::get_if<int64_t>(&item)) {
      starts.push_back(detail::convert(Array(static_index(*i, n, axis)), index_dtype));
      sizes.push_back(1);
      squeeze_axes.push_back(axis);
    } else if (const auto* a = std::get_if<Array>(&item)) {
      if (n == 0) index_error("index is out of bounds for axis " + std::to_string(axis) + " with size 0");
      starts.push_back(detail::convert(normalize(*a, n), index_dtype));
      sizes.push_back(1);
      squeeze_axes.push_back(axis);
    } else {
      const Canonical c = canonical(std::get<Slice>(item), n);
      starts.push_back(detail::convert(Array(c.size == 0 ? int64_t{0} : c.start), index_dtype));
      sizes.push_back(c.size);
      ++y_axis;
    }
    ++axis;
  }
  std::vector<Array> ops{x};
  ops.insert(ops.end(), starts.begin(), starts.end());
  Array y = bind1(prim::dynamic_slice_p, ops, {{"slice_sizes", sizes}});
  if (!squeeze_axes.empty()) y = bind1(prim::squeeze_p, {y}, {{"dimensions", squeeze_axes}});
  return expand_dims(y, newaxis_dims);
}

// JAX's _index_to_gather, entry for entry.
struct GatherIndexer {
  Shape slice_shape;         // the shape of x[index]
  Ints gather_slice_shape;   // gather's slice_sizes
  Array indices;             // gather's start indices
  GatherDimensionNumbers dnums;
  bool unique_and_sorted;    // no advanced indices
  Ints reversed_y_dims, newaxis_dims;
};

GatherIndexer index_to_gather(const Shape& shape, const Parsed& parsed) {
  const std::vector<Item>& items = parsed.items;
  int64_t largest = 0;
  for (int64_t d : shape) largest = std::max(largest, d);
  const DType index_dtype = largest < (int64_t{1} << 31) ? DType::int32 : DType::int64;

  // Advanced indexing: some array of rank > 0; integers then count as advanced too.
  const bool advanced = std::any_of(items.begin(), items.end(), [](const Item& i) {
    const auto* a = std::get_if<Array>(&i);
    return a && a->ndim() > 0;
  });
  std::vector<size_t> idx_advanced;
  Ints x_advanced;
  std::vector<Array> advanced_arrays;
  for (size_t k = 0, x_axis = 0; k < items.size(); ++k) {
    if (std::holds_alternative<NewAxis>(items[k])) continue;
    if (advanced && !std::holds_alternative<Slice>(items[k])) {
      const int64_t n = shape[x_axis];
      const Array a = std::holds_alternative<int64_t>(items[k])
                          ? detail::convert(Array(static_index(std::get<int64_t>(items[k]), n, static_cast<int64_t>(x_axis))), index_dtype)
                          : normalize(std::get<Array>(items[k]), n);
      idx_advanced.push_back(k);
      x_advanced.push_back(static_cast<int64_t>(x_axis));
      advanced_arrays.push_back(a);
    }
    ++x_axis;
  }

  GatherIndexer g;
  Ints offset_dims, collapsed, start_index_map;
  std::vector<std::pair<Array, int64_t>> gather_indices;  // (array, first axis in gather_indices_shape)
  Shape gather_indices_shape;
  int64_t x_axis = 0, y_axis = 0, collapsed_y_axis = 0;
  for (size_t pos = 0; pos < items.size(); ++pos) {
    if (!advanced_arrays.empty() &&
        ((parsed.advanced_contiguous && pos == idx_advanced[0]) || (!parsed.advanced_contiguous && pos == 0))) {
      Shape b = advanced_arrays[0].shape();
      for (const Array& a : advanced_arrays) b = broadcast_shapes(b, a.shape(), "index");
      const int64_t start_dim = static_cast<int64_t>(gather_indices_shape.size());
      for (const Array& a : advanced_arrays)
        gather_indices.emplace_back(detail::convert(fluxion::broadcast_to(a, b), index_dtype), start_dim);
      gather_indices_shape.insert(gather_indices_shape.end(), b.begin(), b.end());
      start_index_map.insert(start_index_map.end(), x_advanced.begin(), x_advanced.end());
      collapsed.insert(collapsed.end(), x_advanced.begin(), x_advanced.end());
      g.slice_shape.insert(g.slice_shape.end(), b.begin(), b.end());
      y_axis += static_cast<int64_t>(b.size());
      collapsed_y_axis += static_cast<int64_t>(b.size());
    }
    if (std::find(idx_advanced.begin(), idx_advanced.end(), pos) != idx_advanced.end()) {
      ++x_axis;
      g.gather_slice_shape.push_back(1);
      continue;
    }
    const Item& item = items[pos];
    if (std::holds_alternative<NewAxis>(item)) {
      g.slice_shape.push_back(1);
      g.newaxis_dims.push_back(y_axis++);
      continue;
    }
    const int64_t n = shape[x_axis];
    if (!std::holds_alternative<Slice>(item)) {  // a scalar index: an integer or a 0-d array
      if (n == 0) index_error("index is out of bounds for axis " + std::to_string(x_axis) + " with size 0");
      const Array i = std::holds_alternative<int64_t>(item)
                          ? Array(static_index(std::get<int64_t>(item), n, x_axis))
                          : normalize(std::get<Array>(item), n);
      gather_indices.emplace_back(detail::convert(i, index_dtype), static_cast<int64_t>(gather_indices_shape.size()));
      collapsed.push_back(x_axis);
      g.gather_slice_shape.push_back(1);
      start_index_map.push_back(x_axis);
      ++x_axis;
      continue;
    }
    const Canonical c = canonical(std::get<Slice>(item), n);
    g.slice_shape.push_back(c.size);
    if (c.step == 1) {
      if (c.size != n) {
        gather_indices.emplace_back(detail::convert(Array(c.start), index_dtype),
                                    static_cast<int64_t>(gather_indices_shape.size()));
        start_index_map.push_back(x_axis);
      }
      g.gather_slice_shape.push_back(c.size);
      offset_dims.push_back(collapsed_y_axis);
    } else {
      // Elements start, start + step, ...: an index array (reversed for a
      // negative step, the result reversed back), one collapsed axis.
      Ints positions(static_cast<size_t>(c.size));
      for (int64_t k = 0; k < c.size; ++k) positions[k] = c.start + k * c.step;
      if (c.step < 0) {
        g.reversed_y_dims.push_back(collapsed_y_axis);
        std::reverse(positions.begin(), positions.end());
      }
      gather_indices.emplace_back(detail::convert(array_of<int64_t>(positions, Shape{c.size}), index_dtype),
                                  static_cast<int64_t>(gather_indices_shape.size()));
      g.gather_slice_shape.push_back(1);
      start_index_map.push_back(x_axis);
      gather_indices_shape.push_back(c.size);
      collapsed.push_back(x_axis);
    }
    ++collapsed_y_axis;
    ++y_axis;
    ++x_axis;
  }
  if (gather_indices.empty()) {
    g.indices = detail::convert(lax::zeros(AbstractValue{Shape{0}, DType::int32}), index_dtype);
  } else if (gather_indices.size() == 1) {
    const Array& a = gather_indices[0].first;
    g.indices = expand_dims(a, {a.ndim()});
  } else {
    Shape full = gather_indices_shape;
    full.push_back(1);
    std::vector<Array> columns;
    for (const auto& [a, start] : gather_indices) {
      Ints dims(static_cast<size_t>(a.ndim()));
      std::iota(dims.begin(), dims.end(), start);
      columns.push_back(detail::broadcast_in_dim(a, full, dims));
    }
    g.indices = bind1(prim::concatenate_p, columns, {{"dimension", static_cast<int64_t>(gather_indices_shape.size())}});
  }
  std::sort(collapsed.begin(), collapsed.end());
  g.dnums = GatherDimensionNumbers{offset_dims, collapsed, start_index_map, {}, {}};
  g.unique_and_sorted = advanced_arrays.empty();
  return g;
}

GatherScatterMode parse_mode(const std::optional<std::string>& mode, GatherScatterMode fallback) {
  return detail::gather_scatter_mode("index", mode, fallback);
}

Array gather_path(const Array& x, const Parsed& parsed, const IndexOptions& options) {
  const GatherIndexer g = index_to_gather(x.shape(), parsed);
  if (detail::shape_size(g.slice_shape) == 0) return lax::zeros(AbstractValue{g.slice_shape, x.dtype(), x.weak_type()});
  Array y = x;
  if (g.indices.size() != 0) {
    y = bind1(prim::gather_p, {x, g.indices},
              {{"dimension_numbers", g.dnums},
               {"slice_sizes", g.gather_slice_shape},
               {"fill_value", options.fill_value ? ParamValue(*options.fill_value) : ParamValue(NoneParam{})},
               {"indices_are_sorted", options.indices_are_sorted || g.unique_and_sorted},
               {"unique_indices", options.unique_indices || g.unique_and_sorted},
               {"mode", parse_mode(options.mode, GatherScatterMode::promise_in_bounds)}});
  }
  return expand_dims(rev(y, g.reversed_y_dims), g.newaxis_dims);
}

// JAX's _scatter_impl: the values broadcast to x[index]'s shape, the new axes
// squeezed out and the reversed ones reversed, scattered with the gather's
// geometry.
Array scatter_update(const Array& x, const std::vector<Index>& index, const Array& values, const Primitive& p,
                     const IndexOptions& options) {
  const GatherIndexer g = index_to_gather(x.shape(), parse(x.shape(), index));
  if (detail::shape_size(g.slice_shape) == 0) return x;
  Array y = detail::convert(values, x.dtype(), x.weak_type());
  y = fluxion::broadcast_to(y, g.slice_shape);
  if (!g.newaxis_dims.empty()) y = bind1(prim::squeeze_p, {y}, {{"dimensions", g.newaxis_dims}});
  y = rev(y, g.reversed_y_dims);
  return bind1(p, {x, g.indices, y},
               {{"dimension_numbers", prim::scatter_dnums_of(g.dnums)},
                {"indices_are_sorted", options.indices_are_sorted || g.unique_and_sorted},
                {"unique_indices", options.unique_indices || g.unique_and_sorted},
                {"mode", parse_mode(options.mode, GatherScatterMode::fill_or_drop)}});
}

}  // namespace

namespace detail {

Array index_array(const Array& x, const std::vector<Index>& index, const IndexOptions& options) {
  (void)parse_mode(options.mode, GatherScatterMode::promise_in_bounds);  // an unknown mode fails on every path
  const Parsed parsed = parse(x.shape(), index);
  const bool default_mode = !options.mode || *options.mode == "promise_in_bounds";
  if (all_static(parsed.items)) return static_index_path(x, parsed.items);
  if (default_mode && !options.fill_value && dynamic_eligible(parsed.items)) return dynamic_index_path(x, parsed.items);
  return gather_path(x, parsed, options);
}

}  // namespace detail

Array IndexUpdate::get(const IndexOptions& options) const { return detail::index_array(x_, index_, options); }
Array IndexUpdate::set(const Array& v, const IndexOptions& o) const { return scatter_update(x_, index_, v, prim::scatter_p, o); }
Array IndexUpdate::add(const Array& v, const IndexOptions& o) const {
  return scatter_update(x_, index_, v, prim::scatter_add_p, o);
}
Array IndexUpdate::subtract(const Array& v, const IndexOptions& o) const {
  return scatter_update(x_, index_, negative(v), prim::scatter_add_p, o);
}
Array IndexUpdate::multiply(const Array& v, const IndexOptions& o) const {
  return scatter_update(x_, index_, v, prim::scatter_mul_p, o);
}
// JAX's divide: x divided by the product of the values scattered into ones.
Array IndexUpdate::divide(const Array& v, const IndexOptions& o) const {
  return fluxion::divide(x_, scatter_update(ones_like(x_), index_, v, prim::scatter_mul_p, o));
}
Array IndexUpdate::min(const Array& v, const IndexOptions& o) const {
  return scatter_update(x_, index_, v, prim::scatter_min_p, o);
}
Array IndexUpdate::max(const Array& v, const IndexOptions& o) const {
  return scatter_update(x_, index_, v, prim::scatter_max_p, o);
}

}  // namespace fluxion
