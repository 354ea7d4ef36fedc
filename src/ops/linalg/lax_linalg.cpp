// fx::lax::linalg: jax.lax.linalg's wrappers of the linalg primitives (the
// symmetrization of cholesky and eigh, triangular_solve's vector case, svd's
// result order), binding each primitive once.
#include "fluxion/lax/linalg.hpp"

#include "fluxion/errors.hpp"
#include "ops/internal.hpp"
#include "primitives/lax.hpp"
#include "primitives/linalg/common.hpp"
#include "primitives/linalg/family.hpp"

namespace fluxion::lax::linalg {
namespace {

// (x + x^T) / 2, JAX's symmetrize. Ranks are checked here so that the message
// names the function rather than the transpose.
Array symmetrize(const Array& x, const char* op) {
  if (x.ndim() < 2)
    throw ShapeError(std::string(op) + ": expected square matrices [..., n, n] (rank 2 or more), got shape " +
                     shape_to_string(x.shape()));
  return fluxion::lax::div(fluxion::lax::add(x, prim::linalg::mT(x)), fluxion::lax::constant_like(x, 2.0));
}

Params svd_params(bool full_matrices, bool compute_uv) {
  return {{"algorithm", NoneParam{}},
          {"compute_uv", compute_uv},
          {"full_matrices", full_matrices},
          {"subset_by_index", NoneParam{}}};
}

}  // namespace

Array cholesky(const Array& x, bool symmetrize_input) {
  return bind1(prim::cholesky_p, {symmetrize_input ? symmetrize(x, "cholesky") : x});
}

Array triangular_solve(const Array& a, const Array& b, bool left_side, bool lower, bool transpose_a,
                       bool conjugate_a, bool unit_diagonal) {
  (void)conjugate_a;  // real dtypes only: conjugation is the identity, and JAX drops it too
  const bool singleton = b.ndim() == a.ndim() - 1 && a.ndim() >= 2;
  Array rhs = b;
  if (singleton) rhs = fluxion::expand_dims(b, left_side ? b.ndim() : b.ndim() - 1);
  Array out = prim::linalg::triangular_solve(a, rhs, left_side, lower, transpose_a, unit_diagonal);
  if (singleton) out = fluxion::squeeze(out, left_side ? out.ndim() - 1 : out.ndim() - 2);
  return out;
}

std::tuple<Array, Array, Array> lu(const Array& x) {
  std::vector<Array> out = fluxion::bind(prim::lu_p, std::vector<Array>{x});
  return {out[0], out[1], out[2]};
}

std::pair<Array, Array> qr(const Array& x, bool full_matrices) {
  std::vector<Array> out = fluxion::bind(prim::qr_p, std::vector<Array>{x},
                                         {{"full_matrices", full_matrices}, {"pivoting", false}, {"use_magma", NoneParam{}}});
  return {out[0], out[1]};
}

std::pair<Array, Array> eigh(const Array& x, bool lower, bool symmetrize_input) {
  const Array in = symmetrize_input ? symmetrize(x, "eigh") : x;
  std::vector<Array> out = fluxion::bind(prim::eigh_p, std::vector<Array>{in},
                                         {{"algorithm", NoneParam{}},
                                          {"lower", lower},
                                          {"sort_eigenvalues", true},
                                          {"subset_by_index", NoneParam{}}});
  return {out[0], out[1]};
}

std::tuple<Array, Array, Array> svd(const Array& x, bool full_matrices) {
  std::vector<Array> out = fluxion::bind(prim::svd_p, std::vector<Array>{x}, svd_params(full_matrices, true));
  return {out[1], out[0], out[2]};
}

Array singular_values(const Array& x) {
  return fluxion::bind(prim::svd_p, std::vector<Array>{x}, svd_params(false, false))[0];
}

}  // namespace fluxion::lax::linalg
