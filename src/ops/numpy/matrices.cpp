// Triangles and diagonals (jnp.tri, tril, triu, diagonal, diag, trace) and
// jnp.polyval, from iota masks, selects, strided slices and reductions.
#include <algorithm>
#include <cstdlib>

#include "ops/numpy/common.hpp"

namespace fluxion {
namespace {

using numpy_detail::require_rank_at_least;

// lax._tri: true where row + k >= column.
Array tri_mask(int64_t n, int64_t m, int64_t k) {
  const Shape shape{n, m};
  const Array rows = bind1(prim::iota_p, {}, {{"dtype", DType::int32}, {"shape", shape}, {"dimension", int64_t{0}}});
  const Array cols = bind1(prim::iota_p, {}, {{"dtype", DType::int32}, {"shape", shape}, {"dimension", int64_t{1}}});
  const Array offset = detail::convert(Array(static_cast<int>(k)), DType::int32);
  return bind1(prim::ge_p, {bind1(prim::add_p, {rows, offset}), cols});
}

// The (N, M) mask broadcast over x's leading dimensions.
Array batch_mask(const Array& mask, const Array& x) {
  return detail::broadcast_in_dim(mask, x.shape(), {x.ndim() - 2, x.ndim() - 1});
}

std::pair<int64_t, int64_t> two_axes(std::string_view op, const Array& x, int64_t axis1, int64_t axis2) {
  const int64_t a1 = detail::normalize_axis(axis1, x.ndim(), op), a2 = detail::normalize_axis(axis2, x.ndim(), op);
  if (a1 == a2)
    throw ValueError(std::string(op) + ": axis1 and axis2 must differ, got axis1=" + std::to_string(axis1) +
                     " and axis2=" + std::to_string(axis2) + " for shape " + shape_to_string(x.shape()));
  return {a1, a2};
}

}  // namespace

Array tri(int64_t n, std::optional<int64_t> m, int64_t k, DType dtype) {
  const int64_t cols = m.value_or(n);
  if (n < 0 || cols < 0) throw ShapeError("tri: negative dimensions (" + std::to_string(n) + ", " + std::to_string(cols) + ")");
  return detail::convert(tri_mask(n, cols, k), dtype);
}

Array tril(const Array& x, int64_t k) {
  require_rank_at_least("tril", x, 2);
  const Array mask = batch_mask(tri_mask(x.shape()[x.ndim() - 2], x.shape()[x.ndim() - 1], k), x);
  return detail::select_n(mask, {zeros_like(x), x});
}

Array triu(const Array& x, int64_t k) {
  require_rank_at_least("triu", x, 2);
  const Array mask = batch_mask(tri_mask(x.shape()[x.ndim() - 2], x.shape()[x.ndim() - 1], k - 1), x);
  return detail::select_n(mask, {x, zeros_like(x)});
}

// jnp gathers a[..., i, i + offset]; the same elements are every (M + 1)-th
// of the flattened trailing matrix, starting at the first diagonal element,
// so one strided slice takes them (differentiable both ways).
Array diagonal(const Array& x, int64_t offset, int64_t axis1, int64_t axis2) {
  require_rank_at_least("diagonal", x, 2);
  const auto [a1, a2] = two_axes("diagonal", x, axis1, axis2);
  const int64_t n = x.shape()[a1], m = x.shape()[a2];
  const int64_t size = std::max<int64_t>(0, std::min(n + std::min<int64_t>(offset, 0), m - std::max<int64_t>(offset, 0)));
  const Array moved = numpy_detail::moveaxis(x, {a1, a2}, {x.ndim() - 2, x.ndim() - 1});
  Shape flat(moved.shape().begin(), moved.shape().end() - 2);
  const int64_t batch_rank = static_cast<int64_t>(flat.size());
  flat.push_back(n * m);
  const Array rows = reshape(moved, flat);
  if (size == 0) return numpy_detail::slice_in_dim(rows, 0, 0, batch_rank);
  const int64_t start = offset >= 0 ? offset : -offset * m;
  return numpy_detail::slice_in_dim(rows, start, start + (size - 1) * (m + 1) + 1, batch_rank, m + 1);
}

Array diag(const Array& v, int64_t k) {
  if (v.ndim() == 2) return diagonal(v, k);
  if (v.ndim() != 1) throw ShapeError("diag: input must be 1-D or 2-D, got shape " + shape_to_string(v.shape()));
  // jnp pads v with |k| zeros and selects it along the k-th diagonal of an
  // (n, n) mask; concatenating the zeros pads the same way.
  const int64_t n = v.shape()[0] + std::abs(k);
  Array padded = v;
  if (k != 0) {
    const Array pad = zeros({std::abs(k)}, v.dtype());
    padded = k > 0 ? concatenate({v, pad}) : concatenate({pad, v});
  }
  const Array on_diagonal = bind1(prim::eq_p, {bind1(prim::add_p, {bind1(prim::iota_p, {}, {{"dtype", DType::int32}, {"shape", Shape{n, n}}, {"dimension", int64_t{0}}}), detail::convert(Array(static_cast<int>(k)), DType::int32)}),
                                               bind1(prim::iota_p, {}, {{"dtype", DType::int32}, {"shape", Shape{n, n}}, {"dimension", int64_t{1}}})});
  const Array column = detail::broadcast_in_dim(padded, {n, n}, {0});
  return detail::select_n(on_diagonal, {zeros_like(column), column});
}

Array trace(const Array& x, int64_t offset, int64_t axis1, int64_t axis2) {
  require_rank_at_least("trace", x, 2);
  const auto [a1, a2] = two_axes("trace", x, axis1, axis2);
  const Array moved = numpy_detail::moveaxis(x, {a1, a2}, {x.ndim() - 2, x.ndim() - 1});
  const Array mask = batch_mask(eye(x.shape()[a1], x.shape()[a2], offset, bool_), moved);
  return sum(detail::select_n(mask, {zeros_like(moved), moved}), {-2, -1});
}

// Horner's rule from y = 0, as jnp's scan: y = y * x + p[i]. Starting from
// zero (not p[0]) keeps jnp's values, e.g. NaN for x = inf (0 * inf).
Array polyval(const Array& p, const Array& x) {
  require_rank_at_least("polyval", p, 1);
  const auto xs = detail::promote_dtypes({p, x});
  const Array& coeffs = xs[0];
  const Array& at = xs[1];
  const Shape tail(coeffs.shape().begin() + 1, coeffs.shape().end());
  Array y = zeros(broadcast_shapes(tail, at.shape(), "polyval"), at.dtype());
  for (int64_t i = 0; i < coeffs.shape()[0]; ++i) y = y * at + detail::index_axis0(coeffs, i);
  return y;
}

}  // namespace fluxion
