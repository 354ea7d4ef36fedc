// jnp.argsort (sort with an iota operand, as jnp does) and jnp.searchsorted
// in its 'compare_all' form (a sum of comparisons).
#include <limits>

#include "ops/numpy/common.hpp"

namespace fluxion {
namespace {

using numpy_detail::isnan;

// lax_utils.int_dtype_for_dim: int32 while the extent fits, else int64.
DType index_dtype(int64_t extent) { return extent <= std::numeric_limits<int32_t>::max() ? DType::int32 : DType::int64; }

}  // namespace

Array argsort(const Array& x, std::optional<int64_t> axis, bool stable, bool descending) {
  const Array a = axis ? x : numpy_detail::ravel(x);
  if (a.ndim() == 0) throw ShapeError("argsort: cannot sort a 0-d array along an axis; pass axis=std::nullopt to flatten");
  const int64_t dim = axis ? detail::normalize_axis(*axis, a.ndim(), "argsort") : 0;
  const DType dt = index_dtype(a.shape()[dim]) == DType::int32 ? default_int : DType::int64;
  const Array iota = bind1(prim::iota_p, {}, {{"dtype", dt}, {"shape", a.shape()}, {"dimension", dim}});
  std::vector<Array> operands;
  if (!descending) {
    operands = {a, iota};
  } else if (is_floating(a.dtype())) {
    // jnp reverses, sorts stably and reverses back: NaNs first, then the
    // largest, ties in their original order. Sorting by (not NaN, -x) gives
    // the same order without reversing.
    operands = {logical_not(isnan(a)), negative(a), iota};
  } else {
    operands = {!a, iota};  // bitwise (logical for bool) not reverses the order exactly
  }
  const auto keys = static_cast<int64_t>(operands.size() - 1);
  const auto sorted = fluxion::bind(prim::sort_p, operands,
                                    {{"dimension", dim}, {"is_stable", stable}, {"num_keys", keys}});
  return sorted.back();
}

Array searchsorted(const Array& a, const Array& v, std::string_view side) {
  if (side != "left" && side != "right")
    throw ValueError("searchsorted: side must be \"left\" or \"right\", got \"" + std::string(side) + "\"");
  if (a.ndim() != 1) throw ShapeError("searchsorted: a must be 1-D, got shape " + shape_to_string(a.shape()));
  const auto xs = detail::promote_dtypes({a, v});
  const int64_t n = a.shape()[0];
  Shape shape{n};
  shape.insert(shape.end(), v.shape().begin(), v.shape().end());
  std::vector<int64_t> v_dims;
  for (int64_t d = 1; d <= v.ndim(); ++d) v_dims.push_back(d);
  const Array sorted = detail::broadcast_in_dim(xs[0], shape, {0});
  const Array query = detail::broadcast_in_dim(xs[1], shape, v_dims);
  // Sort order, as lax's sort comparators: NaN above everything, -0 == 0.
  Array before;
  if (side == "left") {
    before = less(sorted, query);
    if (is_floating(sorted.dtype())) before = logical_or(before, logical_and(logical_not(isnan(sorted)), isnan(query)));
  } else {
    before = less_equal(sorted, query);
    if (is_floating(sorted.dtype())) before = logical_or(before, isnan(query));
  }
  return sum(detail::convert(before, index_dtype(n)), 0);
}

}  // namespace fluxion
