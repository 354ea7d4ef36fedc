// jnp.linalg.norm: vector norms over one axis, matrix norms over two, built
// from reductions (and svd for the 2, -2 and nuclear norms) as jnp builds them.
#include <algorithm>
#include <cmath>
#include <string>

#include "fluxion/errors.hpp"
#include "fluxion/lax/linalg.hpp"
#include "fluxion/linalg.hpp"
#include "ops/internal.hpp"

namespace fluxion::linalg {
namespace {

std::string ord_text(double ord) {
  if (std::isinf(ord)) return ord > 0 ? "inf" : "-inf";
  std::string s = std::to_string(ord);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::vector<int64_t> canonical_axes(const Array& x, const Axes& axis) {
  std::vector<int64_t> axes;
  if (axis.all()) {
    for (int64_t i = 0; i < x.ndim(); ++i) axes.push_back(i);
    return axes;
  }
  for (int64_t a : axis.list()) {
    const int64_t c = a < 0 ? a + x.ndim() : a;
    if (c < 0 || c >= x.ndim())
      throw ShapeError("norm: axis " + std::to_string(a) + " is out of bounds for an array of rank " +
                       std::to_string(x.ndim()));
    axes.push_back(c);
  }
  if (axes.size() == 2 && axes[0] == axes[1]) throw ValueError("norm: duplicate axes given");
  return axes;
}

Array frobenius(const Array& x, const Axes& axes, bool keepdims) {
  return fluxion::sqrt(fluxion::sum(x * x, axes, keepdims));
}

// The singular-value norms over `axes` (moved last): 2 (largest), -2
// (smallest) and 0 for nuclear (their sum).
Array singular_norm(const Array& x, std::vector<int64_t> axes, int kind, bool keepdims) {
  std::vector<int64_t> perm;
  for (int64_t i = 0; i < x.ndim(); ++i)
    if (i != axes[0] && i != axes[1]) perm.push_back(i);
  perm.push_back(axes[0]);
  perm.push_back(axes[1]);
  const Array s = lax::linalg::singular_values(fluxion::transpose(x, perm));
  Array y = kind == 2 ? fluxion::max(s, -1) : kind == -2 ? fluxion::min(s, -1) : fluxion::sum(s, -1);
  if (keepdims) {
    std::sort(axes.begin(), axes.end());
    for (int64_t a : axes) y = fluxion::expand_dims(y, a);
  }
  return y;
}

Array two_axes(const Array& x, const std::string& ord, const std::vector<int64_t>& axes, bool keepdims) {
  if (ord == "fro" || ord == "f") return frobenius(x, Axes(axes), keepdims);
  if (ord == "nuc") return singular_norm(x, axes, 0, keepdims);
  throw ValueError("norm: invalid order \"" + ord + "\" for a matrix norm; the string orders are \"fro\" and \"nuc\"" +
                   (ord == "inf" || ord == "-inf" ? std::string(" (for inf use fx::linalg::matrix_norm(x, fx::inf))")
                                                  : std::string()));
}

Array last_two(const Array& x, const char* op) {
  const Array y = detail::promote_dtypes_inexact({x})[0];
  if (y.ndim() < 2)
    throw ShapeError(std::string(op) + ": expected an array of rank 2 or more (matrices in the last two axes), got shape " +
                     shape_to_string(y.shape()));
  return y;
}

}  // namespace

Array norm(const Array& x_in, const std::string& ord, const Axes& axis, bool keepdims) {
  const Array x = detail::promote_dtypes_inexact({x_in})[0];
  const std::vector<int64_t> axes = canonical_axes(x, axis);
  if (axes.size() != 2)
    throw ValueError("norm: the order \"" + ord + "\" is a matrix norm and needs two axes (or a 2-D array), got " +
                     std::to_string(axes.size()));
  return two_axes(x, ord, axes, keepdims);
}

// jnp's vector_norm reduces the raveled array when axis is None; reducing over
// every axis is the same sum, and keepdims then keeps every axis as 1.
Array vector_norm(const Array& x_in, double ord, const Axes& axis, bool keepdims) {
  const Array x = detail::promote_dtypes_inexact({x_in})[0];
  const Axes axes(canonical_axes(x, axis));
  if (ord == 2) return frobenius(x, axes, keepdims);
  if (ord == inf) return fluxion::max(fluxion::abs(x), axes, keepdims);
  if (ord == -inf) return fluxion::min(fluxion::abs(x), axes, keepdims);
  if (ord == 0) return fluxion::sum(fluxion::not_equal(x, 0.0).astype(x.dtype()), axes, keepdims);
  if (ord == 1) return fluxion::sum(fluxion::abs(x), axes, keepdims);
  const Array p = detail::scalar_like(x, ord), inv_p = detail::scalar_like(x, 1.0 / ord);
  return fluxion::pow(fluxion::sum(fluxion::pow(fluxion::abs(x), p), axes, keepdims), inv_p);
}

Array matrix_norm(const Array& x_in, double ord, bool keepdims) {
  const Array x = last_two(x_in, "matrix_norm");
  int64_t row = x.ndim() - 2, col = x.ndim() - 1;
  if (ord == 1 || ord == -1) {
    if (!keepdims) --col;
    const Array s = fluxion::sum(fluxion::abs(x), row, keepdims);
    return ord == 1 ? fluxion::max(s, col, keepdims) : fluxion::min(s, col, keepdims);
  }
  if (ord == inf || ord == -inf) {
    const Array s = fluxion::sum(fluxion::abs(x), col, keepdims);
    return ord == inf ? fluxion::max(s, row, keepdims) : fluxion::min(s, row, keepdims);
  }
  if (ord == 2 || ord == -2) return singular_norm(x, {row, col}, static_cast<int>(ord), keepdims);
  throw ValueError("matrix_norm: invalid order '" + ord_text(ord) +
                   "' for a matrix norm; expected 1, -1, 2, -2, inf or -inf (or \"fro\", \"nuc\")");
}

Array matrix_norm(const Array& x_in, const std::string& ord, bool keepdims) {
  const Array x = last_two(x_in, "matrix_norm");
  return two_axes(x, ord, {x.ndim() - 2, x.ndim() - 1}, keepdims);
}

}  // namespace fluxion::linalg
