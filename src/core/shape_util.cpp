#include "core/shape_util.hpp"

#include <algorithm>

#include "fluxion/errors.hpp"

namespace fluxion {

std::string shape_to_string(const Shape& shape) {
  if (shape.size() == 1) return "(" + std::to_string(shape[0]) + ",)";
  return "(" + detail::join(shape) + ")";
}

Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view op) {
  const size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ShapeError(std::string(op) + ": shapes " + shape_to_string(a) + " and " +
                       shape_to_string(b) +
                       " cannot be broadcast together (NumPy broadcasting needs each pair of "
                       "trailing dimensions to be equal or 1; they differ at dimension " +
                       std::to_string(i) + ": " + std::to_string(da) + " vs " +
                       std::to_string(db) + ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

namespace detail {

std::string join(const std::vector<int64_t>& v, std::string_view sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += sep;
    s += std::to_string(v[i]);
  }
  return s;
}

int64_t normalize_axis(int64_t axis, int64_t ndim, std::string_view op) {
  if (axis < -ndim || axis >= ndim)
    throw ShapeError(std::string(op) + ": axis " + std::to_string(axis) +
                     " is out of bounds for an array of rank " + std::to_string(ndim) +
                     " (expected an axis in [" + std::to_string(-ndim) + ", " +
                     std::to_string(ndim) + "))");
  return axis < 0 ? axis + ndim : axis;
}

std::vector<int64_t> normalize_axes(const Axes& axes, int64_t ndim, std::string_view op) {
  std::vector<int64_t> out;
  if (axes.all()) {
    for (int64_t i = 0; i < ndim; ++i) out.push_back(i);
    return out;
  }
  for (int64_t a : axes.list()) out.push_back(normalize_axis(a, ndim, op));
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end())
    throw ShapeError(std::string(op) + ": repeated axis in axes (" + join(axes.list()) +
                     "); each axis may appear once");
  return out;
}

void check_shape(const Shape& shape, std::string_view op) {
  if (shape.size() > static_cast<size_t>(kMaxRank))
    throw ShapeError(std::string(op) + ": rank " + std::to_string(shape.size()) +
                     " exceeds Fluxion's maximum rank " + std::to_string(kMaxRank) +
                     " (shape " + shape_to_string(shape) + ")");
  for (int64_t d : shape)
    if (d < 0)
      throw ShapeError(std::string(op) + ": negative dimension in shape " + shape_to_string(shape) +
                       "; dimensions must be >= 0");
}

std::vector<int64_t> strides_of(const Shape& shape) {
  std::vector<int64_t> strides(shape.size());
  int64_t s = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

int64_t shape_size(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (__builtin_mul_overflow(n, d, &n))
      throw ShapeError("the shape " + shape_to_string(shape) + " has more elements than a 64-bit count holds");
  return n;
}

}  // namespace detail
}  // namespace fluxion
