// Shape manipulation: reshape, transpose, broadcast_to, expand_dims, squeeze,
// concatenate, stack, and x[i].
#include <algorithm>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/lax.hpp"
#include "ops/internal.hpp"

namespace fluxion {

Array reshape(const Array& x, const Shape& shape) {
  Shape target = shape;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == -1) {
      if (infer >= 0) throw ShapeError("reshape: can only specify one unknown dimension (-1), got shape " + shape_to_string(shape));
      infer = static_cast<int64_t>(i);
    } else if (target[i] < 0) {
      throw ShapeError("reshape: negative dimension " + std::to_string(target[i]) + " in shape " + shape_to_string(shape));
    } else if (__builtin_mul_overflow(known, target[i], &known)) {
      throw ShapeError("reshape: cannot reshape array of shape " + shape_to_string(x.shape()) + " into shape " +
                       shape_to_string(shape) + ", which has more elements than a 64-bit count holds");
    }
  }
  if (infer >= 0) {
    if (known == 0 || x.size() % known != 0)
      throw ShapeError("reshape: cannot reshape array of shape " + shape_to_string(x.shape()) + " (size " +
                       std::to_string(x.size()) + ") into shape " + shape_to_string(shape) + ": the -1 stands for " +
                       std::to_string(x.size()) + " / " + std::to_string(known) +
                       " (the size over the product of the other dimensions), " +
                       (known == 0 ? std::string("which is undefined") : "which is not a whole number"));
    target[infer] = x.size() / known;
  }
  if (target == x.shape()) return x;
  if (detail::shape_size(target) != x.size())
    throw ShapeError("reshape: cannot reshape array of shape " + shape_to_string(x.shape()) + " (size " +
                     std::to_string(x.size()) + ") into shape " + shape_to_string(shape) + " (size " +
                     std::to_string(detail::shape_size(target)) + ")");
  return bind1(prim::reshape_p, {x}, {{"new_sizes", target}, {"dimensions", NoneParam{}}});
}

Array transpose(const Array& x, std::vector<int64_t> axes) {
  if (axes.empty()) {
    for (int64_t i = x.ndim() - 1; i >= 0; --i) axes.push_back(i);
  } else {
    if (static_cast<int64_t>(axes.size()) != x.ndim())
      throw ShapeError("transpose: axes (" + detail::join(axes) + ") don't match an array of rank " +
                       std::to_string(x.ndim()) + " (shape " + shape_to_string(x.shape()) + ")");
    for (int64_t& a : axes) a = detail::normalize_axis(a, x.ndim(), "transpose");
    std::vector<int64_t> sorted = axes;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
      throw ShapeError("transpose: repeated axis in axes (" + detail::join(axes) + ")");
  }
  bool identity = true;
  for (size_t i = 0; i < axes.size(); ++i) identity = identity && axes[i] == static_cast<int64_t>(i);
  if (identity) return x;
  return bind1(prim::transpose_p, {x}, {{"permutation", axes}});
}

Array broadcast_to(const Array& x, const Shape& shape) {
  detail::check_shape(shape, "broadcast_to");
  const Shape result = broadcast_shapes(x.shape(), shape, "broadcast_to");
  if (result != shape || x.ndim() > static_cast<int64_t>(shape.size()))
    throw ShapeError("broadcast_to: cannot broadcast an array of shape " + shape_to_string(x.shape()) +
                     " to the requested shape " + shape_to_string(shape));
  std::vector<int64_t> dims;
  for (int64_t i = 0; i < x.ndim(); ++i) dims.push_back(static_cast<int64_t>(shape.size()) - x.ndim() + i);
  // Size-1 dimensions that grow need broadcast_in_dim too; it accepts them.
  return detail::broadcast_in_dim(x, shape, dims);
}

Array expand_dims(const Array& x, int64_t axis) {
  const int64_t rank = x.ndim() + 1;
  axis = detail::normalize_axis(axis, rank, "expand_dims");
  Shape shape = x.shape();
  shape.insert(shape.begin() + axis, 1);
  detail::check_shape(shape, "expand_dims");
  std::vector<int64_t> dims;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis) dims.push_back(i);
  return bind1(prim::broadcast_in_dim_p, {x}, {{"shape", shape}, {"broadcast_dimensions", dims}});
}

Array squeeze(const Array& x, const Axes& axes) {
  std::vector<int64_t> dims;
  if (axes.all()) {
    for (int64_t i = 0; i < x.ndim(); ++i)
      if (x.shape()[i] == 1) dims.push_back(i);
  } else {
    dims = detail::normalize_axes(axes, x.ndim(), "squeeze");
  }
  if (dims.empty()) return x;
  return bind1(prim::squeeze_p, {x}, {{"dimensions", dims}});
}

Array concatenate(const std::vector<Array>& arrays, int64_t axis) {
  if (arrays.empty()) throw ValueError("concatenate: need at least one array to concatenate");
  for (const Array& a : arrays)
    if (a.ndim() == 0) throw ShapeError("concatenate: zero-dimensional arrays cannot be concatenated");
  const int64_t rank = arrays[0].ndim();
  axis = detail::normalize_axis(axis, rank, "concatenate");
  for (const Array& a : arrays) {
    bool ok = a.ndim() == rank;
    for (int64_t i = 0; ok && i < rank; ++i) ok = i == axis || a.shape()[i] == arrays[0].shape()[i];
    if (!ok)
      throw ShapeError("concatenate: all input array dimensions except the concatenation axis " + std::to_string(axis) +
                       " must match exactly, got shapes " + shape_to_string(arrays[0].shape()) + " and " +
                       shape_to_string(a.shape()));
  }
  if (arrays.size() == 1) return arrays[0];
  return bind1(prim::concatenate_p, detail::promote_dtypes(arrays), {{"dimension", axis}});
}

Array stack(const std::vector<Array>& arrays, int64_t axis) {
  if (arrays.empty()) throw ValueError("stack: need at least one array to stack");
  for (const Array& a : arrays)
    if (a.shape() != arrays[0].shape())
      throw ShapeError("stack: all input arrays must have the same shape, got " + shape_to_string(arrays[0].shape()) +
                       " and " + shape_to_string(a.shape()));
  axis = detail::normalize_axis(axis, arrays[0].ndim() + 1, "stack");
  std::vector<Array> expanded;
  for (const Array& a : arrays) expanded.push_back(expand_dims(a, axis));
  if (expanded.size() == 1) return expanded[0];
  return bind1(prim::concatenate_p, detail::promote_dtypes(expanded), {{"dimension", axis}});
}

namespace detail {
Array index_axis0(const Array& x, int64_t i) {
  std::vector<int64_t> start(x.shape().size(), 0), limit = x.shape();
  start[0] = i;
  limit[0] = i + 1;
  const Array row = bind1(prim::slice_p, {x}, {{"start_indices", start}, {"limit_indices", limit}, {"strides", NoneParam{}}});
  return bind1(prim::squeeze_p, {row}, {{"dimensions", std::vector<int64_t>{0}}});
}
}  // namespace detail

namespace lax {

Array slice(const Array& x, const std::vector<int64_t>& start_indices, const std::vector<int64_t>& limit_indices,
            const std::optional<std::vector<int64_t>>& strides) {
  // As lax.slice binds it: strides=None when omitted, the tuple when given.
  return bind1(prim::slice_p, {x},
               {{"start_indices", start_indices},
                {"limit_indices", limit_indices},
                {"strides", strides ? ParamValue(*strides) : ParamValue(NoneParam{})}});
}

}  // namespace lax

}  // namespace fluxion
