#include "primitives/linalg/common.hpp"
#include "primitives/linalg/family.hpp"

#include <string>

#include "fluxion/errors.hpp"
#include "fluxion/lax.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"

namespace fluxion::prim::linalg {

void check_operand(const Primitive& p, const AbstractValue& a, bool square) {
  if (!(kFloats & bit(a.dtype)))
    throw_dtype_error(p.name, a.dtype, kFloats, "convert integers to a floating dtype first (jnp.linalg does)");
  const std::string expected = square ? "[..., n, n]" : "[..., m, n]";
  if (a.ndim() < 2)
    throw ShapeError(std::string(p.name) + ": expected an operand of shape " + expected + " (rank 2 or more), got " +
                     shape_to_string(a.shape));
  if (square && a.shape[a.ndim() - 1] != a.shape[a.ndim() - 2])
    throw ShapeError(std::string(p.name) + ": expected square matrices " + expected + ", got shape " +
                     shape_to_string(a.shape));
}

int64_t batch_count(const Shape& shape) {
  int64_t n = 1;
  for (size_t i = 0; i + 2 < shape.size(); ++i) n *= shape[i];
  return n;
}

Shape with_matrix(const Shape& shape, int64_t rows, int64_t cols) {
  Shape out(shape.begin(), shape.end() - 2);
  out.push_back(rows);
  out.push_back(cols);
  return out;
}

Array mT(const Array& x) {
  std::vector<int64_t> perm;
  for (int64_t i = 0; i < x.ndim(); ++i) perm.push_back(i);
  std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
  return lax::transpose(x, perm);
}

namespace {

std::vector<int64_t> last_two(const Array& x) { return {x.ndim() - 2, x.ndim() - 1}; }

// row + k >= col (lower) or row + k <= col (upper), over the batch shape of x.
Array band(const Array& x, int64_t rows, int64_t cols, int64_t k, const Primitive& cmp) {
  const Shape m{rows, cols};
  const Array r = bind1(prim::iota_p, {}, {{"dtype", DType::int32}, {"shape", m}, {"dimension", int64_t{0}}});
  const Array c = bind1(prim::iota_p, {}, {{"dtype", DType::int32}, {"shape", m}, {"dimension", int64_t{1}}});
  const Array shifted = k == 0 ? r : lax::add(r, lax::constant_like(r, static_cast<double>(k)));
  const Array mask = bind1(cmp, {shifted, c});
  return lax::broadcast_in_dim(mask, with_matrix(x.shape(), rows, cols), last_two(x));
}

Array keep(const Array& x, const Array& mask) {
  return lax::select(mask, x, lax::zeros({x.shape(), x.dtype()}));
}

}  // namespace

Array tril(const Array& x, int64_t k) {
  return keep(x, band(x, x.shape()[x.ndim() - 2], x.shape()[x.ndim() - 1], k, prim::ge_p));
}
Array triu(const Array& x, int64_t k) {
  return keep(x, band(x, x.shape()[x.ndim() - 2], x.shape()[x.ndim() - 1], k, prim::le_p));
}

Array eye_like(const Array& x, int64_t rows, int64_t cols, int64_t k) {
  const Array on = band(x, rows, cols, k, prim::eq_p);
  const Shape shape = with_matrix(x.shape(), rows, cols);
  const Array one = lax::broadcast_in_dim(lax::constant_like(x, 1.0), shape, {});
  return lax::select(on, one, lax::zeros({shape, x.dtype()}));
}

Array matmul(const Array& a, const Array& b) {
  std::vector<int64_t> batch;
  for (int64_t i = 0; i + 2 < a.ndim(); ++i) batch.push_back(i);
  DotDimensionNumbers dn{{a.ndim() - 1}, {b.ndim() - 2}, batch, batch};
  return bind1(prim::dot_general_p, {a, b},
               {{"dimension_numbers", std::move(dn)}, {"preferred_element_type", a.dtype()}});
}

Array diagonal(const Array& x) {
  const int64_t n = x.shape()[x.ndim() - 1];
  return lax::reduce_sum(keep(x, band(x, n, n, 0, prim::eq_p)), {x.ndim() - 1});
}

Array diag_embed(const Array& v) {
  const int64_t n = v.shape()[v.ndim() - 1];
  Shape shape = v.shape();
  shape.push_back(n);
  std::vector<int64_t> dims;
  for (int64_t i = 0; i + 1 < v.ndim(); ++i) dims.push_back(i);
  dims.push_back(v.ndim());  // v[..., j] along the columns
  const Array spread = lax::broadcast_in_dim(v, shape, dims);
  return keep(spread, band(spread, n, n, 0, prim::eq_p));
}

Array slice_axis(const Array& x, int64_t axis, int64_t start, int64_t stop) {
  if (start == 0 && stop == x.shape()[axis]) return x;
  std::vector<int64_t> lo(x.ndim(), 0), hi(x.shape().begin(), x.shape().end());
  lo[axis] = start;
  hi[axis] = stop;
  return fluxion::lax::slice(x, lo, hi);
}

Array triangular_solve(const Array& a, const Array& b, bool left_side, bool lower, bool transpose_a,
                       bool unit_diagonal) {
  return bind1(prim::triangular_solve_p, {a, b},
               {{"conjugate_a", false},
                {"left_side", left_side},
                {"lower", lower},
                {"transpose_a", transpose_a},
                {"unit_diagonal", unit_diagonal}});
}

Array permute_rows(const Array& x, const Array& perm) {
  const int64_t last = perm.ndim() - 1;
  const Array iota = bind1(prim::iota_p, {}, {{"dtype", DType::int32}, {"shape", perm.shape()}, {"dimension", last}});
  // inverse[perm[i]] = i: where row perm[i] must go.
  const Array inverse = lax::sort({perm, iota}, last, 1)[1];
  std::vector<int64_t> dims;
  for (int64_t i = 0; i < perm.ndim(); ++i) dims.push_back(i);
  const Array keys = lax::broadcast_in_dim(inverse, x.shape(), dims);
  return lax::sort({keys, x}, x.ndim() - 2, 1)[1];
}

BatchResult front_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                        const Params& params) {
  const int64_t size = batch_size(values, dims);
  std::vector<Array> moved;
  for (size_t i = 0; i < values.size(); ++i) moved.push_back(move_batch_axis(values[i], dims[i], 0, size));
  std::vector<Array> outs = fluxion::bind(p, moved, params);
  std::vector<int> out_dims(outs.size(), 0);
  return {std::move(outs), std::move(out_dims)};
}

}  // namespace fluxion::prim::linalg
