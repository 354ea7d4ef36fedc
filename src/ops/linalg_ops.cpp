// dot, matmul and outer, lowered to dot_general as jnp lowers them.
#include <algorithm>
#include <numeric>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "ops/internal.hpp"

namespace fluxion {
namespace {

// jnp names the result's dtype as preferred_element_type (the promoted
// operands' dtype), so the jaxpr shows it as JAX's does.
Array dot_general(const Array& a, const Array& b, DotDimensionNumbers dn) {
  return bind1(prim::dot_general_p, {a, b},
               {{"dimension_numbers", std::move(dn)}, {"preferred_element_type", a.dtype()}});
}

}  // namespace

Array dot(const Array& a, const Array& b) {
  if (a.ndim() == 0 || b.ndim() == 0) return multiply(a, b);
  auto xs = detail::promote_dtypes({a, b});
  const int64_t ca = a.ndim() - 1, cb = b.ndim() == 1 ? 0 : b.ndim() - 2;
  if (a.shape()[ca] != b.shape()[cb])
    throw ShapeError("dot: shapes " + shape_to_string(a.shape()) + " and " + shape_to_string(b.shape()) +
                     " not aligned: " + std::to_string(a.shape()[ca]) + " (dim " + std::to_string(ca) + ") != " +
                     std::to_string(b.shape()[cb]) + " (dim " + std::to_string(cb) + ")");
  return dot_general(xs[0], xs[1], {{ca}, {cb}, {}, {}});
}

// jnp.matmul: 1-D operands gain and lose a dimension; batch dimensions
// broadcast, size-1 ones squeezed out rather than materialised.
Array matmul(const Array& a_in, const Array& b_in) {
  if (a_in.ndim() == 0 || b_in.ndim() == 0)
    throw ShapeError("matmul: operands must be at least 1-D, got shapes " + shape_to_string(a_in.shape()) + " and " +
                     shape_to_string(b_in.shape()));
  auto xs = detail::promote_dtypes({a_in, b_in});
  Array a = xs[0], b = xs[1];
  const bool a_mat = a.ndim() > 1, b_mat = b.ndim() > 1;
  const int64_t ka = a.shape().back(), kb = b_mat ? b.shape()[b.ndim() - 2] : b.shape()[0];
  if (ka != kb)
    throw ShapeError("matmul: inner dimensions differ: " + shape_to_string(a.shape()) + " @ " + shape_to_string(b.shape()) +
                     " contracts " + std::to_string(ka) + " with " + std::to_string(kb));
  std::vector<int64_t> a_batch_dims(a_mat ? a.shape().begin() : a.shape().end(), a.shape().end() - (a_mat ? 2 : 0));
  std::vector<int64_t> b_batch_dims(b_mat ? b.shape().begin() : b.shape().end(), b.shape().end() - (b_mat ? 2 : 0));
  const size_t nb = std::max(a_batch_dims.size(), b_batch_dims.size());
  std::vector<int64_t> pa(nb - a_batch_dims.size(), -1), pb(nb - b_batch_dims.size(), -1);
  pa.insert(pa.end(), a_batch_dims.begin(), a_batch_dims.end());
  pb.insert(pb.end(), b_batch_dims.begin(), b_batch_dims.end());
  std::vector<int64_t> a_squeeze, b_squeeze, a_batch, b_batch, idx_batch, idx_a, idx_b;
  for (size_t i = 0; i < nb; ++i) {
    const int64_t ba = pa[i], bb = pb[i], pos = static_cast<int64_t>(i);
    if (ba < 0) {
      idx_b.push_back(pos);
    } else if (bb < 0) {
      idx_a.push_back(pos);
    } else if (ba == 1) {
      idx_b.push_back(pos);
      a_squeeze.push_back(static_cast<int64_t>(idx_batch.size() + idx_a.size() + a_squeeze.size()));
    } else if (bb == 1) {
      idx_a.push_back(pos);
      b_squeeze.push_back(static_cast<int64_t>(idx_batch.size() + idx_b.size() + b_squeeze.size()));
    } else if (ba == bb) {
      a_batch.push_back(static_cast<int64_t>(idx_batch.size() + idx_a.size()));
      b_batch.push_back(static_cast<int64_t>(idx_batch.size() + idx_b.size()));
      idx_batch.push_back(pos);
    } else {
      throw ShapeError("matmul: batch dimensions of shapes " + shape_to_string(a_in.shape()) + " and " +
                       shape_to_string(b_in.shape()) + " cannot be broadcast together");
    }
  }
  if (a_mat) idx_a.push_back(static_cast<int64_t>(nb));
  if (b_mat) idx_b.push_back(static_cast<int64_t>(nb) + (a_mat ? 1 : 0));
  std::vector<int64_t> order = idx_batch;
  order.insert(order.end(), idx_a.begin(), idx_a.end());
  order.insert(order.end(), idx_b.begin(), idx_b.end());
  std::vector<int64_t> perm(order.size());
  std::iota(perm.begin(), perm.end(), 0);
  std::stable_sort(perm.begin(), perm.end(), [&](int64_t x, int64_t y) { return order[x] < order[y]; });
  if (!a_squeeze.empty()) a = bind1(prim::squeeze_p, {a}, {{"dimensions", a_squeeze}});
  if (!b_squeeze.empty()) b = bind1(prim::squeeze_p, {b}, {{"dimensions", b_squeeze}});
  const Array out = dot_general(a, b, {{a.ndim() - 1}, {b.ndim() - 1 - (b_mat ? 1 : 0)}, a_batch, b_batch});
  return transpose(out, perm);
}

Array outer(const Array& a, const Array& b) {
  const Array fa = reshape(a, {a.size(), 1});
  const Array fb = reshape(b, {1, b.size()});
  return multiply(fa, fb);
}

}  // namespace fluxion
