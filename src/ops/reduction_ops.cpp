// NumPy-style reductions over axes with keepdims, lowered to reduce_* primitives.
#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "ops/internal.hpp"

namespace fluxion {
namespace {

// Restores reduced axes as size-1 dimensions (jnp: lax.expand_dims).
Array keep_dims(const Array& reduced, const Shape& in_shape, const std::vector<int64_t>& axes) {
  Shape shape = in_shape;
  std::vector<int64_t> dims;
  size_t next = 0;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (next < axes.size() && axes[next] == static_cast<int64_t>(i)) {
      shape[i] = 1;
      ++next;
    } else {
      dims.push_back(static_cast<int64_t>(i));
    }
  }
  return detail::broadcast_in_dim(reduced, shape, dims);
}

Array reduce(std::string_view op, const Primitive& p, const Array& x, const Axes& axes, bool keepdims) {
  const auto normalized = detail::normalize_axes(axes, x.ndim(), op);
  Array out = normalized.empty() ? x : bind1(p, {x}, {{"axes", normalized}});
  return keepdims ? keep_dims(out, x.shape(), normalized) : out;
}

// Sums and products of bools accumulate in the default int, as jnp does.
Array as_accumulator(const Array& x) {
  return x.dtype() == DType::bool_ ? detail::convert(x, default_int) : x;
}

void require_nonempty(std::string_view op, const Array& x, const Axes& axes) {
  for (int64_t a : detail::normalize_axes(axes, x.ndim(), op))
    if (x.shape()[a] == 0)
      throw ShapeError(std::string(op) + ": zero-size array to reduction operation " + std::string(op) +
                       " which has no identity (axis " + std::to_string(a) + " of shape " +
                       shape_to_string(x.shape()) + " is empty)");
}

}  // namespace

Array sum(const Array& x, const Axes& axes, bool keepdims) {
  return reduce("sum", prim::reduce_sum_p, as_accumulator(x), axes, keepdims);
}

Array prod(const Array& x, const Axes& axes, bool keepdims) {
  return reduce("prod", prim::reduce_prod_p, as_accumulator(x), axes, keepdims);
}

Array mean(const Array& x, const Axes& axes, bool keepdims) {
  const Array xf = detail::promote_dtypes_inexact({x})[0];
  int64_t count = 1;
  for (int64_t a : detail::normalize_axes(axes, x.ndim(), "mean")) count *= x.shape()[a];
  const Array total = reduce("mean", prim::reduce_sum_p, xf, axes, keepdims);
  return bind1(prim::div_p, {total, detail::scalar_like(total, static_cast<double>(count))});
}

Array max(const Array& x, const Axes& axes, bool keepdims) {
  require_nonempty("max", x, axes);
  return reduce("max", prim::reduce_max_p, x, axes, keepdims);
}

Array min(const Array& x, const Axes& axes, bool keepdims) {
  require_nonempty("min", x, axes);
  return reduce("min", prim::reduce_min_p, x, axes, keepdims);
}

Array any(const Array& x, const Axes& axes, bool keepdims) {
  return reduce("any", prim::reduce_or_p, detail::convert(x, DType::bool_), axes, keepdims);
}

Array AllFunction::operator()(const Array& x, const Axes& axes, bool keepdims) const {
  return reduce("all", prim::reduce_and_p, detail::convert(x, DType::bool_), axes, keepdims);
}

}  // namespace fluxion
