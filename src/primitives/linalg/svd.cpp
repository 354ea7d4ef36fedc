// svd[full_matrices, compute_uv, subset_by_index, algorithm]
// (jax.lax.linalg.svd_p): A = U diag(s) Vt for each [..., m, n] matrix, from
// LAPACK's gesdd (JAX's CPU default). Results in JAX's order: s (descending,
// [..., k], k = min(m, n)), then with compute_uv U ([..., m, m] or
// [..., m, k]) and Vt ([..., n, n] or [..., k, n]). If gesdd fails every
// result is NaN, as JAX's lowering makes them.
#include <limits>

#include "compiler/emitter.hpp"
#include "fluxion/errors.hpp"
#include "primitives/lax.hpp"
#include "primitives/linalg/common.hpp"
#include "primitives/linalg/family.hpp"
#include "primitives/linalg/lapack.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

struct Dims {
  int64_t m, n, k, ucols, vrows;
  Dims(const Shape& s, bool full)
      : m(s[s.size() - 2]), n(s.back()), k(std::min(m, n)), ucols(full ? m : k), vrows(full ? n : k) {}
};

std::vector<AbstractValue> svd_aval(const Primitive& p, AvalRefs in, const Params& params) {
  linalg::check_operand(p, *in[0], false);
  if (!std::holds_alternative<NoneParam>(params.at("subset_by_index")))
    throw ValueError("svd: subset_by_index is not supported; expected None");
  const Shape& s = in[0]->shape;
  const Dims d(s, params.get<bool>("full_matrices"));
  Shape sv(s.begin(), s.end() - 2);
  sv.push_back(d.k);
  std::vector<AbstractValue> out{AbstractValue{sv, in[0]->dtype, false}};
  if (params.get<bool>("compute_uv")) {
    out.push_back(AbstractValue{linalg::with_matrix(s, d.m, d.ucols), in[0]->dtype, false});
    out.push_back(AbstractValue{linalg::with_matrix(s, d.vrows, d.n), in[0]->dtype, false});
  }
  return out;
}

template <class T> void set_identity(T* x, int64_t rows, int64_t cols) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) x[i * cols + j] = i == j ? T(1) : T(0);
}

template <class T> void svd_kernel(const T* a, T* s, T* u, T* vt, int64_t batch, const Dims& d, bool uv) {
  const char jobz = !uv ? 'N' : d.ucols == d.m && d.vrows == d.n ? 'A' : 'S';
  std::vector<T> col(static_cast<size_t>(d.m * d.n)), ucol(static_cast<size_t>(uv ? d.m * d.ucols : 1)),
      vcol(static_cast<size_t>(uv ? d.vrows * d.n : 1));
  const T nan = std::numeric_limits<T>::quiet_NaN();
  for (int64_t b = 0; b < batch; ++b) {
    T* ub = uv ? u + b * d.m * d.ucols : nullptr;
    T* vb = uv ? vt + b * d.vrows * d.n : nullptr;
    if (d.k == 0) {
      // No singular values: the full factors are identities (JAX's _empty_svd).
      if (uv) set_identity(ub, d.m, d.ucols), set_identity(vb, d.vrows, d.n);
      continue;
    }
    lapack::to_col_major(a + b * d.m * d.n, d.m, d.n, col.data());
    const int info = lapack::gesdd<T>(jobz, static_cast<int>(d.m), static_cast<int>(d.n), col.data(), s + b * d.k,
                                      ucol.data(), vcol.data(), static_cast<int>(d.vrows));
    if (uv) {
      lapack::from_col_major(ucol.data(), d.m, d.ucols, ub);
      lapack::from_col_major(vcol.data(), d.vrows, d.n, vb);
    }
    if (info != 0) {
      std::fill(s + b * d.k, s + (b + 1) * d.k, nan);
      if (uv) std::fill(ub, ub + d.m * d.ucols, nan), std::fill(vb, vb + d.vrows * d.n, nan);
    }
  }
}

std::vector<Array> svd_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                            const Params& params) {
  const bool uv = params.get<bool>("compute_uv");
  const Dims d(in[0].shape(), params.get<bool>("full_matrices"));
  const int64_t batch = linalg::batch_count(in[0].shape());
  std::vector<std::shared_ptr<detail::ConcreteValue>> res;
  for (const AbstractValue& a : out) res.push_back(output(a));
  visit_dtype(in[0].dtype(), [&]<class T>() {
    if constexpr (std::is_floating_point_v<T>)
      svd_kernel(detail::data_as<T>(in[0]), out_data<T>(res[0]), uv ? out_data<T>(res[1]) : nullptr,
                 uv ? out_data<T>(res[2]) : nullptr, batch, d, uv);
  });
  std::vector<Array> arrays;
  for (auto& r : res) arrays.push_back(Array(std::move(r)));
  return arrays;
}

// JAX's _svd_jvp_rule: with dS = U^T dA V, ds = diag(dS); for the vectors
// F[i][j] = 1 / (s[j]^2 - s[i]^2) off the diagonal, and the corrections for
// the part of dA outside the span of U (m > n) or V (n > m). Like JAX it
// refuses full_matrices with compute_uv for non-square matrices.
JvpResult svd_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                  const Params& params) {
  const bool uv = params.get<bool>("compute_uv"), full = params.get<bool>("full_matrices");
  const Array& a = primals[0];
  const int64_t m = a.shape()[a.ndim() - 2], n = a.shape().back();
  if (uv && full && m != n)
    throw Error("svd: the derivative with full_matrices=True and compute_uv=True is not implemented for a " +
                std::to_string(m) + " x " + std::to_string(n) + " matrix (as in JAX); use full_matrices=False");
  const Params thin{{"algorithm", NoneParam{}}, {"compute_uv", true}, {"full_matrices", false},
                {"subset_by_index", NoneParam{}}};
  std::vector<Array> f = fluxion::bind(p, primals, thin);
  const Array &s = f[0], &u = f[1], &vt = f[2];
  std::vector<Array> out = uv ? f : std::vector<Array>{s};
  if (!tangents[0].valid()) return {out, std::vector<Array>(out.size())};
  const Array& da = tangents[0];
  const Array ut = linalg::mT(u), v = linalg::mT(vt);
  const Array ds_mat = linalg::matmul(linalg::matmul(ut, da), v);
  Array ds = linalg::diagonal(ds_mat);
  if (!uv) return {out, {ds}};
  const int64_t k = s.shape().back(), nd = s.ndim() + 1;
  Shape kk = s.shape();
  kk.push_back(k);
  std::vector<int64_t> rows, cols;
  for (int64_t i = 0; i + 2 < nd; ++i) rows.push_back(i), cols.push_back(i);
  rows.push_back(nd - 2);
  cols.push_back(nd - 1);
  const Array s_row = lax::broadcast_in_dim(s, kk, cols), s_col = lax::broadcast_in_dim(s, kk, rows);
  const Array diffs = lax::mul(lax::add(s_row, s_col), lax::sub(s_row, s_col));
  const Array eye = linalg::eye_like(s_row, k, k);
  const Array one = lax::constant_like(s, 1.0);
  const Array fm = lax::sub(lax::div(one, lax::add(diffs, eye)), eye);
  const Array dss = lax::mul(s_row, ds_mat), sds = lax::mul(s_col, ds_mat);
  const Array s_zeros = lax::convert(bind1(prim::eq_p, {s, lax::constant_like(s, 0.0)}), s.dtype());
  const Array s_inv = lax::sub(lax::div(one, lax::add(s, s_zeros)), s_zeros);
  const Array half = lax::constant_like(s, 0.5);
  const Array dudv_diag = lax::mul(lax::mul(half, lax::sub(ds_mat, linalg::mT(ds_mat))), linalg::diag_embed(s_inv));
  Array du = linalg::matmul(u, lax::add(lax::mul(fm, lax::add(dss, linalg::mT(dss))), dudv_diag));
  Array dv = linalg::matmul(v, lax::mul(fm, lax::add(sds, linalg::mT(sds))));
  if (m > n) {
    const Array dav = linalg::matmul(da, v);
    const Array rest = lax::sub(dav, linalg::matmul(u, linalg::matmul(ut, dav)));
    du = lax::add(du, lax::div(rest, lax::broadcast_in_dim(s, rest.shape(), cols)));
  }
  if (n > m) {
    const Array dau = linalg::matmul(linalg::mT(da), u);
    const Array rest = lax::sub(dau, linalg::matmul(v, linalg::matmul(vt, dau)));
    dv = lax::add(dv, lax::div(rest, lax::broadcast_in_dim(s, rest.shape(), cols)));
  }
  return {out, {std::move(ds), std::move(du), linalg::mT(dv)}};
}

// A V = U diag(s), A^T U = V diag(s), U^T U = V^T V = I coefficient by
// coefficient. With P1 = U^T (Σ_(1<=i<=k) Ã_i Ṽ_(k-i) - Σ_(0<i<k) Ũ_i s̃_(k-i)),
// P2 likewise from A^T and U, X = V^T Ṽ_k and Y = U^T Ũ_k:
// s_i X_ij - s_j Y_ij = -P1_ij and s_i Y_ij - s_j X_ij = -P2_ij, so off the
// diagonal X and Y are the JVP's F-weighted sums; s̃_k = diag(P1 + P2)/2; the
// diagonals of X and Y are -diag(S)/2 from orthogonality (S = Σ_(0<i<k)
// Ṽ_i^T Ṽ_(k-i), and U's); and a tall (wide) matrix's U (V) gets the part
// outside U's (V's) span, (I - U U^T) R Σ^{-1}, as the JVP's correction does.
TaylorResult svd_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                     const Params& params) {
  const bool uv = params.get<bool>("compute_uv"), full = params.get<bool>("full_matrices");
  const Array& x = primals[0];
  const int64_t m = x.shape()[x.ndim() - 2], n = x.shape().back();
  if (uv && full && m != n) return taylor_via_jvp(p, primals, series, params);  // the JVP's error
  const Params thin{{"algorithm", NoneParam{}}, {"compute_uv", true}, {"full_matrices", false},
                    {"subset_by_index", NoneParam{}}};
  std::vector<Array> f = fluxion::bind(p, primals, thin);
  const size_t order = order_of(series);
  const Series a = coefficients(x, series[0], order);
  Series at(order + 1), s(order + 1), u(order + 1), v(order + 1), ut(order + 1), vt(order + 1);
  for (size_t k = 1; k <= order; ++k) at[k] = linalg::mT(a[k]);
  s[0] = f[0], u[0] = f[1], vt[0] = f[2], v[0] = linalg::mT(f[2]), ut[0] = linalg::mT(f[1]);
  const int64_t kk = s[0].shape().back(), nd = s[0].ndim() + 1;
  Shape square = s[0].shape();
  square.push_back(kk);
  std::vector<int64_t> rows, cols;
  for (int64_t i = 0; i + 2 < nd; ++i) rows.push_back(i), cols.push_back(i);
  rows.push_back(nd - 2);
  cols.push_back(nd - 1);
  // Entry (i, j) of s_row is s_j, of s_col s_i; columns of M scaled by s: M * by_columns(s).
  const Array s_row = lax::broadcast_in_dim(s[0], square, cols), s_col = lax::broadcast_in_dim(s[0], square, rows);
  const Array eye = linalg::eye_like(s_row, kk, kk);
  const Array fm = lax::sub(lax::div(lax::constant_like(s_row, 1.0),
                                     lax::add(lax::mul(lax::add(s_row, s_col), lax::sub(s_row, s_col)), eye)),
                            eye);
  const auto by_columns = [&](const Array& c, const Array& w) {
    return lax::mul(c, lax::broadcast_in_dim(w, c.shape(), cols));
  };
  const auto half_diagonal = [](const Array& sym) {
    return lax::div(linalg::diag_embed(linalg::diagonal(sym)), lax::constant_like(sym, -2.0));
  };
  for (size_t k = 1; k <= order; ++k) {
    Array r1, r2, su, sv;  // A Ṽ - U s̃ and A^T Ũ - V s̃ without the order-k unknowns
    for (size_t i = 1; i <= k; ++i) {
      r1 = add_terms(r1, linalg::matmul(a[i], v[k - i]));
      r2 = add_terms(r2, linalg::matmul(at[i], u[k - i]));
    }
    for (size_t i = 1; i < k; ++i) {
      r1 = lax::sub(r1, by_columns(u[i], s[k - i]));
      r2 = lax::sub(r2, by_columns(v[i], s[k - i]));
      su = add_terms(su, linalg::matmul(ut[i], u[k - i]));
      sv = add_terms(sv, linalg::matmul(vt[i], v[k - i]));
    }
    const Array p1 = linalg::matmul(ut[0], r1), p2 = linalg::matmul(vt[0], r2);
    s[k] = lax::div(lax::add(linalg::diagonal(p1), linalg::diagonal(p2)), lax::constant_like(s[0], 2.0));
    // X_ij = (s_i P1_ij + s_j P2_ij) / (s_j² - s_i²), Y_ij the same with P1 and P2 swapped.
    const Array sp1 = lax::mul(s_col, p1), sp2 = lax::mul(s_col, p2);
    const Array tp1 = lax::mul(s_row, p1), tp2 = lax::mul(s_row, p2);
    Array xk = lax::mul(fm, lax::add(sp1, tp2)), yk = lax::mul(fm, lax::add(tp1, sp2));
    if (sv.valid()) xk = lax::add(xk, half_diagonal(sv));
    if (su.valid()) yk = lax::add(yk, half_diagonal(su));
    u[k] = linalg::matmul(u[0], yk);
    v[k] = linalg::matmul(v[0], xk);
    if (m > n) {
      const Array rest = lax::sub(r1, linalg::matmul(u[0], p1));
      u[k] = lax::add(u[k], lax::div(rest, lax::broadcast_in_dim(s[0], rest.shape(), cols)));
    }
    if (n > m) {
      const Array rest = lax::sub(r2, linalg::matmul(v[0], p2));
      v[k] = lax::add(v[k], lax::div(rest, lax::broadcast_in_dim(s[0], rest.shape(), cols)));
    }
    ut[k] = linalg::mT(u[k]);
    vt[k] = linalg::mT(v[k]);
  }
  if (!uv) return {{f[0]}, {derivative_terms(s)}};
  vt[0] = f[2];
  return {f, {derivative_terms(s), derivative_terms(u), derivative_terms(vt)}};
}

}  // namespace

const Primitive svd_p{.name = "svd", .multiple_results = true, .abstract_eval = svd_aval, .impl = svd_impl,
                      .jvp = svd_jvp, .batch = linalg::front_batch,
                      .jet = svd_jet, .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
