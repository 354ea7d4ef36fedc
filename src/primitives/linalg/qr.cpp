// qr[full_matrices, pivoting, use_magma] (jax.lax.linalg.qr_p): A = Q R for
// each [..., m, n] matrix, from LAPACK's geqrf and orgqr. With
// full_matrices Q is m x m and R m x n; otherwise (jnp.linalg.qr's
// "reduced") Q is m x k and R k x n, k = min(m, n). Signs are LAPACK's
// (Householder), as on JAX's CPU. pivoting must be False and use_magma None
// (a GPU option): JAX's only CPU values without column pivoting.
#include <tuple>

#include "compiler/emitter.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/linalg.hpp"
#include "fluxion/ops.hpp"
#include "primitives/lax.hpp"
#include "primitives/linalg/common.hpp"
#include "primitives/linalg/family.hpp"
#include "primitives/linalg/lapack.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> qr_aval(const Primitive& p, AvalRefs in, const Params& params) {
  linalg::check_operand(p, *in[0], false);
  if (params.get<bool>("pivoting"))
    throw ValueError("qr: pivoting=True (column-pivoted QR) is not supported; expected pivoting=False");
  const Shape& s = in[0]->shape;
  const int64_t m = s[s.size() - 2], n = s.back();
  const int64_t k = params.get<bool>("full_matrices") ? m : std::min(m, n);
  return {AbstractValue{linalg::with_matrix(s, m, k), in[0]->dtype, false},
          AbstractValue{linalg::with_matrix(s, k, n), in[0]->dtype, false}};
}

template <class T> void qr_kernel(const T* a, T* q, T* r, int64_t batch, int64_t m, int64_t n, int64_t k) {
  const int64_t reflectors = std::min(m, n);
  std::vector<T> col(static_cast<size_t>(m * n)), qcol(static_cast<size_t>(m * k));
  std::vector<T> tau(static_cast<size_t>(std::max<int64_t>(reflectors, 1)));
  for (int64_t b = 0; b < batch; ++b) {
    T* rb = r + b * k * n;
    std::fill(rb, rb + k * n, T(0));
    if (m == 0) continue;
    lapack::to_col_major(a + b * m * n, m, n, col.data());
    if (n > 0) (void)lapack::geqrf<T>(static_cast<int>(m), static_cast<int>(n), col.data(), tau.data());
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = i; j < n; ++j) rb[i * n + j] = col[static_cast<size_t>(j * m + i)];
    // orgqr builds Q's first k columns from the reflectors below R's diagonal.
    std::fill(qcol.begin(), qcol.end(), T(0));
    std::copy(col.begin(), col.begin() + m * reflectors, qcol.begin());
    (void)lapack::orgqr<T>(static_cast<int>(m), static_cast<int>(k), static_cast<int>(reflectors), qcol.data(),
                           tau.data());
    lapack::from_col_major(qcol.data(), m, k, q + b * m * k);
  }
}

std::vector<Array> qr_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                           const Params&) {
  auto q = output(out[0]), r = output(out[1]);
  const Shape& s = out[1].shape;
  const int64_t m = out[0].shape[s.size() - 2], k = s[s.size() - 2], n = s.back();
  const int64_t batch = linalg::batch_count(s);
  if (out[0].dtype == DType::float64)
    qr_kernel(detail::data_as<double>(in[0]), out_data<double>(q), out_data<double>(r), batch, m, n, k);
  else
    qr_kernel(detail::data_as<float>(in[0]), out_data<float>(q), out_data<float>(r), batch, m, n, k);
  return {Array(std::move(q)), Array(std::move(r))};
}

// JAX's _thin_qr_jvp (j-towns.github.io/papers/qr-derivative.pdf) for m >= n:
// with C = Q^T dA R^{-1} and the skew-symmetric dO = tril(C, -1) - tril(C, -1)^T,
// dQ = Q (dO - C) + dA R^{-1} and dR = (C - dO) R.
//
// The Taylor rule solves the same equation at every order k: dA is then
// B = Ã_k - Σ_(0<i<k) Q̃_i R̃_(k-i), and Q^T dQ is no longer skew but has the
// symmetric part -S/2, S = Σ_(0<i<k) Q̃_i^T Q̃_(k-i) (from Q^T Q = I), which
// shifts dO by triu(S, 1) + diag(S)/2; `s` is empty at order 1.
std::pair<Array, Array> thin_qr_jvp(const Array& q, const Array& r, const Array& dx, const Array& s = Array()) {
  const Array dx_rinv = linalg::triangular_solve(r, dx, false, false, false, false);
  const Array c = linalg::matmul(linalg::mT(q), dx_rinv);
  const Array low = linalg::tril(c, -1);
  Array d_o = lax::sub(low, linalg::mT(low));
  if (s.valid()) {
    const Array half_diagonal = lax::div(linalg::diag_embed(linalg::diagonal(s)), lax::constant_like(s, 2.0));
    d_o = lax::sub(d_o, lax::add(linalg::triu(s, 1), half_diagonal));
  }
  return {lax::add(linalg::matmul(q, lax::sub(d_o, c)), dx_rinv), linalg::matmul(lax::sub(c, d_o), r)};
}

// JAX's qr_jvp_rule: tall and square matrices through the thin rule; wide
// ones (m < n) split A = [A1 A2] with A1 square: dQ, dR1 from A1 and
// dR2 = dQ^T A2 + Q^T dA2; full_matrices with m > n by arXiv:2409.13374.
JvpResult qr_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                 const Params& params) {
  std::vector<Array> out = fluxion::bind(p, primals, params);
  if (!tangents[0].valid()) return {out, {Array(), Array()}};
  const Array &x = primals[0], &dx = tangents[0], &q = out[0], &r = out[1];
  const int64_t m = x.shape()[x.ndim() - 2], n = x.shape().back(), cols = x.ndim() - 1;
  if (m < n) {
    const Array x2 = linalg::slice_axis(x, cols, m, n), dx1 = linalg::slice_axis(dx, cols, 0, m);
    const Array dx2 = linalg::slice_axis(dx, cols, m, n), r1 = linalg::slice_axis(r, cols, 0, m);
    auto [dq, dr1] = thin_qr_jvp(q, r1, dx1);
    const Array dr2 = lax::add(linalg::matmul(linalg::mT(dq), x2), linalg::matmul(linalg::mT(q), dx2));
    return {out, {dq, concatenate({dr1, dr2}, cols)}};
  }
  if (!params.get<bool>("full_matrices") || m == n) {
    auto [dq, dr] = thin_qr_jvp(q, r, dx);
    return {out, {dq, dr}};
  }
  // Full Q of a tall matrix (arXiv:2409.13374, as JAX's rule): the thin
  // part as above; the last m - n columns from eq. 32-33 with
  // Z = Q_pn (Q_nn - I)^{-1}, found by a solve rather than an inverse.
  const int64_t rows = x.ndim() - 2;
  const Array q_mn = linalg::slice_axis(q, cols, 0, n), q_mp = linalg::slice_axis(q, cols, n, m);
  auto [dq_mn, dr_nn] = thin_qr_jvp(q_mn, linalg::slice_axis(r, rows, 0, n), dx);
  const Array q_nn = linalg::slice_axis(q_mn, rows, 0, n), q_pn = linalg::slice_axis(q_mn, rows, n, m);
  const Array dq_nn = linalg::slice_axis(dq_mn, rows, 0, n), dq_pn = linalg::slice_axis(dq_mn, rows, n, m);
  const Array z_pn_t = fluxion::linalg::solve(linalg::mT(lax::sub(q_nn, linalg::eye_like(q_nn, n, n))), linalg::mT(q_pn));
  const Array z_pn = linalg::mT(z_pn_t);
  const Array dq_mp =
      lax::sub(linalg::matmul(dq_mn, z_pn_t),
               linalg::matmul(lax::add(q_mn, linalg::matmul(q_mp, z_pn)),
                              linalg::mT(lax::sub(dq_pn, linalg::matmul(z_pn, dq_nn)))));
  const Array zeros = lax::zeros(AbstractValue{linalg::with_matrix(dr_nn.shape(), m - n, n), dr_nn.dtype()});
  return {out, {concatenate({dq_mn, dq_mp}, cols), concatenate({dr_nn, zeros}, rows)}};
}

// Q(t) R(t) = A(t) order by order through thin_qr_jvp with its symmetric
// correction; a wide matrix's R2 = Q^T A2 is a Cauchy product. The full Q of
// a tall matrix (its extra columns a convention of arXiv:2409.13374's
// rule) takes the JVP's jet instead.
TaylorResult qr_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                    const Params& params) {
  const Array& x = primals[0];
  const int64_t m = x.shape()[x.ndim() - 2], n = x.shape().back(), cols = x.ndim() - 1;
  if (m > n && params.get<bool>("full_matrices")) return taylor_via_jvp(p, primals, series, params);
  std::vector<Array> out = fluxion::bind(p, primals, params);
  const size_t order = order_of(series);
  const Series a = coefficients(x, series[0], order);
  const Array r1 = m < n ? linalg::slice_axis(out[1], cols, 0, m) : out[1];
  Series q(order + 1), r(order + 1);
  q[0] = out[0];
  r[0] = r1;
  for (size_t k = 1; k <= order; ++k) {
    Array b = m < n ? linalg::slice_axis(a[k], cols, 0, m) : a[k], s;
    for (size_t i = 1; i < k; ++i) {
      b = lax::sub(b, linalg::matmul(q[i], r[k - i]));
      s = add_terms(s, linalg::matmul(linalg::mT(q[i]), q[k - i]));
    }
    std::tie(q[k], r[k]) = thin_qr_jvp(q[0], r1, b, s);
  }
  if (m < n) {
    Series a2(order + 1), qt(order + 1);
    for (size_t k = 0; k <= order; ++k) a2[k] = linalg::slice_axis(a[k], cols, m, n), qt[k] = linalg::mT(q[k]);
    for (size_t k = 1; k <= order; ++k) {
      Array r2;
      for (size_t i = 0; i <= k; ++i) r2 = add_terms(r2, linalg::matmul(qt[i], a2[k - i]));
      r[k] = concatenate({r[k], r2}, cols);
    }
  }
  r[0] = out[1];
  return {out, {derivative_terms(q), derivative_terms(r)}};
}

}  // namespace

const Primitive qr_p{.name = "qr", .multiple_results = true, .abstract_eval = qr_aval, .impl = qr_impl,
                     .jvp = qr_jvp, .batch = linalg::front_batch,
                     .jet = qr_jet, .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
