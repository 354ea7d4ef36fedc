// Pieces shared by the jnp functions built from existing primitives
// (src/ops/numpy/*.cpp): static slices along one axis, moveaxis, ravel, and
// the checks their arguments share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/lax.hpp"
#include "ops/internal.hpp"

namespace fluxion::numpy_detail {

// x[..., start:limit:stride, ...] along `axis` (already non-negative), as
// lax.slice_in_dim; the whole array is returned untouched when nothing is cut.
inline Array slice_in_dim(const Array& x, int64_t start, int64_t limit, int64_t axis, int64_t stride = 1) {
  if (start == 0 && limit == x.shape()[axis] && stride == 1) return x;
  std::vector<int64_t> starts(x.ndim(), 0), limits = x.shape();
  starts[axis] = start;
  limits[axis] = limit;
  if (stride == 1) return lax::slice(x, starts, limits);
  std::vector<int64_t> strides(x.ndim(), 1);
  strides[axis] = stride;
  return lax::slice(x, starts, limits, strides);
}

// jnp.moveaxis for distinct, non-negative `source` axes moved to `destination`.
inline Array moveaxis(const Array& x, const std::vector<int64_t>& source, const std::vector<int64_t>& destination) {
  const int64_t nd = x.ndim();
  std::vector<int64_t> perm(nd, -1), rest;
  std::vector<bool> moved(nd, false);
  for (size_t i = 0; i < source.size(); ++i) {
    perm[destination[i]] = source[i];
    moved[source[i]] = true;
  }
  for (int64_t a = 0; a < nd; ++a)
    if (!moved[a]) rest.push_back(a);
  size_t next = 0;
  for (int64_t& p : perm)
    if (p < 0) p = rest[next++];
  return transpose(x, perm);
}

inline Array ravel(const Array& x) { return x.ndim() == 1 ? x : reshape(x, {x.size()}); }

// NaN test as lax._isnan: x != x (false for integers and bools).
inline Array isnan(const Array& x) { return not_equal(x, x); }

inline void require_rank_at_least(std::string_view op, const Array& x, int64_t rank) {
  if (x.ndim() < rank)
    throw ShapeError(std::string(op) + ": needs an array of at least " + std::to_string(rank) + " dimension" +
                     (rank == 1 ? "" : "s") + ", got shape " + shape_to_string(x.shape()));
}

}  // namespace fluxion::numpy_detail
