// jit against eager, bit for bit: the LAPACK-backed linear-algebra
// primitives. They lower through compiler::lower_via_eager, so the compiled
// program calls the same LAPACK kernels on its buffers: batched and single
// matrices, every flag combination, empty matrices, and inputs LAPACK refuses
// (a matrix that is not positive definite, a singular one).
#include "primitives/linalg/family.hpp"
#include "registry_harness.hpp"

namespace jit_registry {
namespace {

// Uniform entries in [-1, 1) from the harness's stream (no edge values: a
// NaN or infinity would only test LAPACK's NaN propagation, not the lowering).
fx::Array matrices(fx::DType t, const fx::Shape& shape, uint64_t seed, double diagonal = 0.0) {
  Rng r{seed * 0x9E3779B97F4A7C15ULL + 11};
  const int64_t n = size_of(shape);
  std::vector<double> v(static_cast<size_t>(n));
  for (double& e : v) e = 2.0 * r.unit() - 1.0;
  fx::Array x = fx::array(v, shape, t);
  if (diagonal != 0.0 && shape.size() >= 2 && shape[shape.size() - 1] == shape[shape.size() - 2])
    x = x + fx::eye(shape.back(), std::nullopt, 0, t) * diagonal;
  return x;
}

fx::Array spd(fx::DType t, const fx::Shape& shape, uint64_t seed) {
  const fx::Array a = matrices(t, shape, seed);
  std::vector<int64_t> perm;
  for (int64_t i = 0; i < static_cast<int64_t>(shape.size()); ++i) perm.push_back(i);
  std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
  return fx::matmul(a, fx::transpose(a, perm)) + fx::eye(shape.back(), std::nullopt, 0, t) * static_cast<double>(shape.back());
}

constexpr fx::DType kFloatTypes[] = {fx::float32, fx::float64};

fx::Params solve_flags(bool left, bool lower, bool transpose, bool unit) {
  return {{"conjugate_a", false}, {"left_side", left}, {"lower", lower}, {"transpose_a", transpose},
          {"unit_diagonal", unit}};
}

}  // namespace

void add_linalg_cases(CaseTable& c) {
  c["cholesky"] = [](Batch& b) {
    for (fx::DType t : kFloatTypes) {
      for (const fx::Shape& s : {fx::Shape{3, 3}, fx::Shape{2, 4, 4}, fx::Shape{1, 1}, fx::Shape{0, 0}, fx::Shape{2, 0, 0}})
        b.add("cholesky " + dt(t) + " " + shape_str(s), {spd(t, s, b.seed())}, bind_fn(prim::cholesky_p));
      // Not positive definite: NaNs.
      b.add("cholesky " + dt(t) + " indefinite", {matrices(t, {3, 3}, b.seed())}, bind_fn(prim::cholesky_p));
    }
  };
  c["triangular_solve"] = [](Batch& b) {
    for (fx::DType t : kFloatTypes)
      for (int flags = 0; flags < 16; ++flags) {
        const bool left = flags & 1, lower = flags & 2, transpose = flags & 4, unit = flags & 8;
        const fx::Shape bs = left ? fx::Shape{2, 3, 4} : fx::Shape{2, 4, 3};
        b.add("triangular_solve " + dt(t) + " flags " + std::to_string(flags),
              {matrices(t, {2, 3, 3}, b.seed(), 3.0), matrices(t, bs, b.seed())},
              bind_fn(prim::triangular_solve_p, solve_flags(left, lower, transpose, unit)));
      }
    // A zero on the diagonal, and an empty right-hand side.
    b.add("triangular_solve singular", {fx::array({{1.0, 0.0}, {2.0, 0.0}}), fx::ones({2, 1})},
          bind_fn(prim::triangular_solve_p, solve_flags(true, true, false, false)));
    b.add("triangular_solve empty", {matrices(fx::float64, {3, 3}, b.seed(), 3.0), fx::zeros({3, 0})},
          bind_fn(prim::triangular_solve_p, solve_flags(true, true, false, false)));
  };
  c["lu"] = [](Batch& b) {
    for (fx::DType t : kFloatTypes)
      for (const fx::Shape& s : {fx::Shape{3, 3}, fx::Shape{2, 4, 3}, fx::Shape{3, 5}, fx::Shape{0, 2}, fx::Shape{1, 1}})
        b.add("lu " + dt(t) + " " + shape_str(s), {matrices(t, s, b.seed())}, bind_fn(prim::lu_p));
    b.add("lu singular", {fx::array({{1.0, 2.0}, {2.0, 4.0}})}, bind_fn(prim::lu_p));
  };
  c["eigh"] = [](Batch& b) {
    for (fx::DType t : kFloatTypes)
      for (bool lower : {true, false})
        for (const fx::Shape& s : {fx::Shape{3, 3}, fx::Shape{2, 4, 4}, fx::Shape{0, 0}})
          b.add("eigh " + dt(t) + " " + shape_str(s) + (lower ? " lower" : " upper"), {matrices(t, s, b.seed())},
                bind_fn(prim::eigh_p, {{"algorithm", fx::NoneParam{}},
                                       {"lower", lower},
                                       {"sort_eigenvalues", true},
                                       {"subset_by_index", fx::NoneParam{}}}));
  };
  c["qr"] = [](Batch& b) {
    for (fx::DType t : kFloatTypes)
      for (bool full : {true, false})
        for (const fx::Shape& s : {fx::Shape{4, 3}, fx::Shape{2, 3, 4}, fx::Shape{3, 3}, fx::Shape{3, 0}})
          b.add("qr " + dt(t) + " " + shape_str(s) + (full ? " full" : " reduced"), {matrices(t, s, b.seed())},
                bind_fn(prim::qr_p, {{"full_matrices", full}, {"pivoting", false}, {"use_magma", fx::NoneParam{}}}));
  };
  c["svd"] = [](Batch& b) {
    for (fx::DType t : kFloatTypes)
      for (int mode = 0; mode < 3; ++mode)
        for (const fx::Shape& s : {fx::Shape{4, 3}, fx::Shape{2, 3, 4}, fx::Shape{3, 3}, fx::Shape{0, 2}})
          b.add("svd " + dt(t) + " " + shape_str(s) + " mode " + std::to_string(mode), {matrices(t, s, b.seed())},
                bind_fn(prim::svd_p, {{"algorithm", fx::NoneParam{}},
                                      {"compute_uv", mode != 2},
                                      {"full_matrices", mode == 0},
                                      {"subset_by_index", fx::NoneParam{}}}));
  };
}

}  // namespace jit_registry
