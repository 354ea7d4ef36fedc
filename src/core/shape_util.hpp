// Shape arithmetic shared by primitives and operations.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fluxion/array.hpp"
#include "fluxion/ops.hpp"

namespace fluxion::detail {

// Axis in [-ndim, ndim) made non-negative, or fx::ShapeError naming `op`.
int64_t normalize_axis(int64_t axis, int64_t ndim, std::string_view op);
// Sorted, distinct, non-negative axes (all axes when `axes.all()`).
std::vector<int64_t> normalize_axes(const Axes& axes, int64_t ndim, std::string_view op);
// Rejects negative extents and ranks above kMaxRank.
void check_shape(const Shape& shape, std::string_view op);
// Row-major strides in elements.
std::vector<int64_t> strides_of(const Shape& shape);
int64_t shape_size(const Shape& shape);
std::string join(const std::vector<int64_t>& v, std::string_view sep = ", ");

// x[i] for a valid non-negative i: slice + squeeze, as JAX lowers it.
Array index_axis0(const Array& x, int64_t i);

}  // namespace fluxion::detail
