// Rearranging elements with static counts: jnp.roll, tile, repeat, split,
// array_split and diff, from slices, concatenations, broadcasts and reshapes.
#include <numeric>

#include "ops/numpy/common.hpp"

namespace fluxion {
namespace {

using numpy_detail::ravel;
using numpy_detail::slice_in_dim;

int64_t floor_mod(int64_t a, int64_t n) { return ((a % n) + n) % n; }

// jnp's _roll_static: the last `s` elements move to the front.
Array roll_axis(const Array& a, int64_t shift, int64_t axis) {
  const int64_t n = a.shape()[axis];
  if (n == 0) return a;
  const int64_t i = floor_mod(-shift, n);
  if (i == 0) return a;
  return concatenate({slice_in_dim(a, i, n, axis), slice_in_dim(a, 0, i, axis)}, axis);
}

std::vector<Array> split_sizes(const Array& x, const std::vector<int64_t>& sizes, int64_t axis) {
  std::vector<Array> out;
  int64_t start = 0;
  for (int64_t s : sizes) {
    out.push_back(slice_in_dim(x, start, start + s, axis));
    start += s;
  }
  return out;
}

std::vector<Array> split_at(std::string_view op, const Array& x, const std::vector<int64_t>& indices, int64_t axis_in) {
  if (x.ndim() == 0) throw ShapeError(std::string(op) + ": cannot split a 0-d array");
  const int64_t axis = detail::normalize_axis(axis_in, x.ndim(), op);
  const int64_t size = x.shape()[axis];
  std::vector<int64_t> bounds{0};
  bounds.insert(bounds.end(), indices.begin(), indices.end());
  bounds.push_back(size);
  std::vector<int64_t> sizes;
  for (size_t i = 1; i < bounds.size(); ++i) {
    // jnp hands the differences to lax.split, which rejects a negative one;
    // NumPy would clamp the indices instead.
    if (bounds[i] < bounds[i - 1] || bounds[i] > size || bounds[i] < 0)
      throw ValueError(std::string(op) + ": split indices must be increasing and within [0, " + std::to_string(size) +
                       "] (the length of axis " + std::to_string(axis) + "), got (" + detail::join(indices) + ")");
    sizes.push_back(bounds[i] - bounds[i - 1]);
  }
  return split_sizes(x, sizes, axis);
}

std::vector<Array> split_sections(std::string_view op, const Array& x, int64_t sections, int64_t axis_in, bool even) {
  if (x.ndim() == 0) throw ShapeError(std::string(op) + ": cannot split a 0-d array");
  const int64_t axis = detail::normalize_axis(axis_in, x.ndim(), op);
  if (sections <= 0) throw ValueError(std::string(op) + ": number of sections must be larger than 0, got " + std::to_string(sections));
  const int64_t size = x.shape()[axis];
  const int64_t part = size / sections, rest = size % sections;
  if (even && rest != 0)
    throw ValueError(std::string(op) + ": array split does not result in an equal division: " + std::to_string(size) +
                     " elements along axis " + std::to_string(axis) + " into " + std::to_string(sections) + " sections");
  std::vector<int64_t> sizes;
  for (int64_t i = 0; i < sections; ++i) sizes.push_back(part + (i < rest ? 1 : 0));
  return split_sizes(x, sizes, axis);
}

}  // namespace

Array roll(const Array& x, int64_t shift, std::optional<int64_t> axis) {
  if (!axis) return reshape(roll_axis(ravel(x), shift, 0), x.shape());
  return roll_axis(x, shift, detail::normalize_axis(*axis, x.ndim(), "roll"));
}

Array roll(const Array& x, const std::vector<int64_t>& shifts, const std::vector<int64_t>& axes) {
  // shifts and axes broadcast against each other, as np.broadcast_arrays does.
  if (shifts.size() != axes.size() && shifts.size() != 1 && axes.size() != 1)
    throw ShapeError("roll: shifts (" + detail::join(shifts) + ") and axes (" + detail::join(axes) +
                     ") must have the same length, or one of them length 1");
  const size_t count = std::max(shifts.size(), axes.size());
  Array out = x;
  for (size_t i = 0; i < count; ++i) {
    const int64_t axis = detail::normalize_axis(axes[axes.size() == 1 ? 0 : i], x.ndim(), "roll");
    out = roll_axis(out, shifts[shifts.size() == 1 ? 0 : i], axis);
  }
  return out;
}

// lax.tile: each axis d of extent n becomes (reps[d], n) by broadcasting, and
// the pairs merge into reps[d] * n.
Array tile(const Array& x, const std::vector<int64_t>& reps) {
  for (int64_t r : reps)
    if (r < 0) throw ValueError("tile: repetitions must be non-negative, got (" + detail::join(reps) + ")");
  std::vector<int64_t> full_reps(std::max<int64_t>(0, x.ndim() - static_cast<int64_t>(reps.size())), 1);
  full_reps.insert(full_reps.end(), reps.begin(), reps.end());
  Array a = x;
  if (static_cast<int64_t>(full_reps.size()) > a.ndim()) {
    Shape padded(full_reps.size() - a.ndim(), 1);
    padded.insert(padded.end(), a.shape().begin(), a.shape().end());
    a = reshape(a, padded);
  }
  Shape wide, result;
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < a.ndim(); ++d) {
    wide.push_back(full_reps[d]);
    wide.push_back(a.shape()[d]);
    dims.push_back(2 * d + 1);
    result.push_back(full_reps[d] * a.shape()[d]);
  }
  return reshape(detail::broadcast_in_dim(a, wide, dims), result);
}

Array tile(const Array& x, int64_t reps) { return tile(x, std::vector<int64_t>{reps}); }

Array repeat(const Array& x, int64_t repeats, std::optional<int64_t> axis_in) {
  if (repeats < 0) throw ValueError("repeat: repeats must be non-negative, got " + std::to_string(repeats));
  const Array a = axis_in ? x : ravel(x);
  if (a.ndim() == 0) return full({repeats}, a);
  // jnp's fast path: a new axis of `repeats` after `axis`, merged into it.
  const int64_t axis = axis_in ? detail::normalize_axis(*axis_in, a.ndim(), "repeat") : 0;
  Shape wide = a.shape();
  wide.insert(wide.begin() + axis + 1, repeats);
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < static_cast<int64_t>(wide.size()); ++d)
    if (d != axis + 1) dims.push_back(d);
  Shape result = a.shape();
  result[axis] *= repeats;
  return reshape(detail::broadcast_in_dim(a, wide, dims), result);
}

Array repeat(const Array& x, const std::vector<int64_t>& repeats, std::optional<int64_t> axis_in) {
  for (int64_t r : repeats)
    if (r < 0) throw ValueError("repeat: repeats must be non-negative, got (" + detail::join(repeats) + ")");
  if (repeats.size() == 1) return repeat(x, repeats[0], axis_in);
  const Array a = axis_in ? x : ravel(x);
  if (a.ndim() == 0)
    throw ValueError("repeat: a 0-d array takes a single repeat count, got (" + detail::join(repeats) + ")");
  const int64_t axis = axis_in ? detail::normalize_axis(*axis_in, a.ndim(), "repeat") : 0;
  const int64_t n = a.shape()[axis];
  if (static_cast<int64_t>(repeats.size()) != n)
    throw ShapeError("repeat: " + std::to_string(repeats.size()) + " repeat counts for an axis of length " +
                     std::to_string(n) + " (shape " + shape_to_string(a.shape()) + ", axis " + std::to_string(axis) + ")");
  // Static counts: each element's slice is broadcast to its count. jnp
  // gathers instead, with the same result and derivatives.
  std::vector<Array> pieces;
  for (int64_t i = 0; i < n; ++i) {
    if (repeats[i] == 0) continue;
    pieces.push_back(repeat(slice_in_dim(a, i, i + 1, axis), repeats[i], axis));
  }
  if (pieces.empty()) return slice_in_dim(a, 0, 0, axis);
  return concatenate(pieces, axis);
}

std::vector<Array> SplitFunction::operator()(const Array& x, int64_t sections, int64_t axis) const {
  return split_sections("split", x, sections, axis, /*even=*/true);
}
std::vector<Array> SplitFunction::operator()(const Array& x, const std::vector<int64_t>& indices, int64_t axis) const {
  return split_at("split", x, indices, axis);
}
std::vector<Array> SplitFunction::operator()(const Array& x, std::initializer_list<int64_t> indices, int64_t axis) const {
  return split_at("split", x, indices, axis);
}
std::vector<Array> array_split(const Array& x, int64_t sections, int64_t axis) {
  return split_sections("array_split", x, sections, axis, /*even=*/false);
}
std::vector<Array> array_split(const Array& x, const std::vector<int64_t>& indices, int64_t axis) {
  return split_at("array_split", x, indices, axis);
}
std::vector<Array> array_split(const Array& x, std::initializer_list<int64_t> indices, int64_t axis) {
  return split_at("array_split", x, indices, axis);
}

Array diff(const Array& x, int64_t n, int64_t axis_in, const std::optional<Array>& prepend,
           const std::optional<Array>& append) {
  if (n < 0) throw ValueError("diff: order must be non-negative, got " + std::to_string(n));
  if (n == 0) return x;
  if (x.ndim() == 0) throw ShapeError("diff: needs an array of at least one dimension, got a 0-d array");
  const int64_t axis = detail::normalize_axis(axis_in, x.ndim(), "diff");
  std::vector<Array> parts;
  auto edge = [&](const Array& e) {  // a 0-d edge spans every other axis
    if (e.ndim() != 0) return e;
    Shape shape = x.shape();
    shape[axis] = 1;
    return broadcast_to(e, shape);
  };
  if (prepend) parts.push_back(edge(*prepend));
  parts.push_back(x);
  if (append) parts.push_back(edge(*append));
  Array a = parts.size() > 1 ? concatenate(parts, axis) : x;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t len = a.shape()[axis];
    const Array later = slice_in_dim(a, std::min<int64_t>(1, len), len, axis);
    const Array earlier = slice_in_dim(a, 0, std::max<int64_t>(0, len - 1), axis);
    a = a.dtype() == bool_ ? not_equal(later, earlier) : later - earlier;
  }
  return a;
}

}  // namespace fluxion
