// lu (jax.lax.linalg.lu_p): LU decomposition with partial pivoting of each
// [..., m, n] matrix, P A = L U, from LAPACK's getrf. Three results, as
// JAX's: `lu` (L's strict lower triangle, unit diagonal implied, and U),
// `pivots` (int32 [..., min(m, n)]: row i was swapped with row pivots[i],
// 0-based) and `permutation` (int32 [..., m]: row i of P A is row
// permutation[i] of A). A singular matrix is factored all the same (a zero
// on U's diagonal), as LAPACK and JAX do; solving with it gives infinities.
#include <numeric>
#include <tuple>
#include <utility>

#include "compiler/emitter.hpp"
#include "fluxion/ops.hpp"
#include "primitives/lax.hpp"
#include "primitives/linalg/common.hpp"
#include "primitives/linalg/family.hpp"
#include "primitives/linalg/lapack.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> lu_aval(const Primitive& p, AvalRefs in, const Params&) {
  linalg::check_operand(p, *in[0], false);
  const Shape& s = in[0]->shape;
  const int64_t m = s[s.size() - 2], n = s.back();
  Shape pivots(s.begin(), s.end() - 2), permutation = pivots;
  pivots.push_back(std::min(m, n));
  permutation.push_back(m);
  return {AbstractValue{s, in[0]->dtype, false}, AbstractValue{pivots, DType::int32, false},
          AbstractValue{permutation, DType::int32, false}};
}

template <class T>
void lu_kernel(const T* a, T* lu, int32_t* pivots, int32_t* perm, int64_t batch, int64_t m, int64_t n) {
  const int64_t k = std::min(m, n);
  std::vector<T> col(static_cast<size_t>(m * n));
  std::vector<int> ipiv(static_cast<size_t>(std::max<int64_t>(k, 1)));
  for (int64_t b = 0; b < batch; ++b) {
    int32_t* p = perm + b * m;
    std::iota(p, p + m, 0);
    if (k == 0) continue;
    lapack::to_col_major(a + b * m * n, m, n, col.data());
    // info > 0 only reports an exact zero pivot; the factors are still P A = L U.
    (void)lapack::getrf<T>(static_cast<int>(m), static_cast<int>(n), col.data(), ipiv.data());
    lapack::from_col_major(col.data(), m, n, lu + b * m * n);
    for (int64_t i = 0; i < k; ++i) {
      const int32_t swap = ipiv[static_cast<size_t>(i)] - 1;
      pivots[b * k + i] = swap;
      std::swap(p[i], p[swap]);
    }
  }
}

std::vector<Array> lu_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                           const Params&) {
  auto lu = output(out[0]), pivots = output(out[1]), perm = output(out[2]);
  const Shape& s = out[0].shape;
  const int64_t m = s[s.size() - 2], n = s.back(), batch = linalg::batch_count(s);
  if (out[0].dtype == DType::float64)
    lu_kernel(detail::data_as<double>(in[0]), out_data<double>(lu), out_data<int32_t>(pivots),
              out_data<int32_t>(perm), batch, m, n);
  else
    lu_kernel(detail::data_as<float>(in[0]), out_data<float>(lu), out_data<int32_t>(pivots),
              out_data<int32_t>(perm), batch, m, n);
  return {Array(std::move(lu)), Array(std::move(pivots)), Array(std::move(perm))};
}

// JAX's _lu_jvp_rule (De Hoog, Anderssen and Lukas): with L (m x m, unit
// lower) and U (n x n, completed by an identity block when n > m),
// X = L^{-1} P dA U^{-1}, dL = L tril(X, -1), dU = triu(X) U, and the
// tangent of `lu` is dL + dU. JAX vmaps the rule over batch axes; here every
// helper takes them. It solves dL U + L dU = P dA for any right-hand side,
// which the Taylor rule uses at every order.
class LuSolver {
 public:
  explicit LuSolver(const Array& lu) {
    const Shape& s = lu.shape();
    m_ = s[s.size() - 2], n_ = s.back(), k_ = std::min(m_, n_);
    rows_ = lu.ndim() - 2, cols_ = lu.ndim() - 1;
    l_ = lax::add(linalg::tril(linalg::slice_axis(lu, cols_, 0, k_), -1), linalg::eye_like(lu, m_, k_));
    if (m_ > k_) l_ = concatenate({l_, linalg::eye_like(lu, m_, m_ - k_, -k_)}, cols_);
    u_ = linalg::triu(linalg::slice_axis(lu, rows_, 0, k_));
    if (n_ > k_) u_ = concatenate({u_, linalg::eye_like(lu, n_ - k_, n_, k_)}, rows_);
  }
  // (dL, dU), each [..., m, n], from the right-hand side P dA.
  std::pair<Array, Array> parts(const Array& rhs) const {
    const Array la = linalg::triangular_solve(l_, rhs, true, true, false, true);
    const Array lau = linalg::triangular_solve(u_, la, false, false, false, false);
    return {linalg::matmul(l_, linalg::tril(lau, -1)), linalg::matmul(linalg::triu(lau), u_)};
  }
  // dL dU' of two such parts: L's m x k factor times U's k x n one.
  Array product(const Array& dl, const Array& du) const {
    return linalg::matmul(linalg::slice_axis(dl, cols_, 0, k_), linalg::slice_axis(du, rows_, 0, k_));
  }

 private:
  int64_t m_, n_, k_, rows_, cols_;
  Array l_, u_;
};

JvpResult lu_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                 const Params&) {
  std::vector<Array> out = fluxion::bind(p, primals, {});
  if (!tangents[0].valid()) return {out, {Array(), Array(), Array()}};
  auto [dl, du] = LuSolver(out[0]).parts(linalg::permute_rows(tangents[0], out[2]));
  return {out, {lax::add(dl, du), Array(), Array()}};
}

// P A(t) = L(t) U(t) coefficient by coefficient (the pivots do not move):
// L0 Ũ_k + L̃_k U0 = P Ã_k - Σ_(0<i<k) L̃_i Ũ_(k-i), the JVP's equation, so
// each order is the JVP's two triangular solves.
TaylorResult lu_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                    const Params&) {
  std::vector<Array> out = fluxion::bind(p, primals, {});
  const size_t order = order_of(series);
  const Series a = coefficients(primals[0], series[0], order);
  const LuSolver solver(out[0]);
  Series dl(order + 1), du(order + 1), lu(order + 1);
  lu[0] = out[0];
  for (size_t k = 1; k <= order; ++k) {
    Array rhs = linalg::permute_rows(a[k], out[2]);
    for (size_t i = 1; i < k; ++i) rhs = lax::sub(rhs, solver.product(dl[i], du[k - i]));
    std::tie(dl[k], du[k]) = solver.parts(rhs);
    lu[k] = lax::add(dl[k], du[k]);
  }
  TaylorResult r{out, {derivative_terms(lu), {}, {}}};
  return r;
}

}  // namespace

const Primitive lu_p{.name = "lu", .multiple_results = true, .abstract_eval = lu_aval, .impl = lu_impl,
                     .jvp = lu_jvp, .batch = linalg::front_batch,
                     .jet = lu_jet, .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
