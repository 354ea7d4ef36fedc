// eigh[lower, sort_eigenvalues, subset_by_index, algorithm]
// (jax.lax.linalg.eigh_p): eigenvectors v and eigenvalues w of each symmetric
// [..., n, n] matrix, A v[:, i] = w[i] v[:, i], from LAPACK's syevd. Only the
// `lower` (or upper) triangle is read; eigenvalues come ascending (LAPACK
// sorts them, as on JAX's CPU). subset_by_index and algorithm are JAX's
// parameters with their only CPU values (None). If syevd fails both results
// are NaN, as JAX's lowering makes them.
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

std::vector<AbstractValue> eigh_aval(const Primitive& p, AvalRefs in, const Params& params) {
  linalg::check_operand(p, *in[0], true);
  if (!std::holds_alternative<NoneParam>(params.at("subset_by_index")))
    throw ValueError("eigh: subset_by_index is not supported on CPU (JAX's CPU lowering refuses it too); expected None");
  Shape w(in[0]->shape.begin(), in[0]->shape.end() - 1);
  return {AbstractValue{in[0]->shape, in[0]->dtype, false}, AbstractValue{w, in[0]->dtype, false}};
}

template <class T> void eigh_kernel(const T* a, T* v, T* w, int64_t batch, int64_t n, bool lower) {
  std::vector<T> buf(static_cast<size_t>(n * n));
  for (int64_t b = 0; b < batch; ++b) {
    if (n == 0) continue;
    std::copy(a + b * n * n, a + (b + 1) * n * n, buf.begin());
    // Read column-major the buffer is A^T: its upper triangle is A's lower one.
    const int info = lapack::syevd<T>(lower ? 'U' : 'L', static_cast<int>(n), buf.data(), w + b * n);
    // Eigenvectors are the columns of the column-major result.
    lapack::from_col_major(buf.data(), n, n, v + b * n * n);
    if (info != 0) {
      std::fill(v + b * n * n, v + (b + 1) * n * n, std::numeric_limits<T>::quiet_NaN());
      std::fill(w + b * n, w + (b + 1) * n, std::numeric_limits<T>::quiet_NaN());
    }
  }
}

std::vector<Array> eigh_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                             const Params& params) {
  auto v = output(out[0]), w = output(out[1]);
  const int64_t n = out[0].shape.back(), batch = linalg::batch_count(out[0].shape);
  const bool lower = params.get<bool>("lower");
  if (out[0].dtype == DType::float64)
    eigh_kernel(detail::data_as<double>(in[0]), out_data<double>(v), out_data<double>(w), batch, n, lower);
  else
    eigh_kernel(detail::data_as<float>(in[0]), out_data<float>(v), out_data<float>(w), batch, n, lower);
  return {Array(std::move(v)), Array(std::move(w))};
}

// JAX's _eigh_jvp_rule (non-degenerate perturbation theory): with
// S = V^T dA V and F[i][j] = 1 / (w[j] - w[i]) off the diagonal, 0 on it,
// dV = V (F * S) and dw = diag(S). Like JAX it decomposes (a + a^T) / 2.
JvpResult eigh_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                   const Params& params) {
  const Array& a = primals[0];
  const Array sym = lax::div(lax::add(a, linalg::mT(a)), lax::constant_like(a, 2.0));
  std::vector<Array> out = fluxion::bind(p, std::vector<Array>{sym}, params);
  if (!tangents[0].valid()) return {out, {Array(), Array()}};
  const Array &v = out[0], &w = out[1];
  const int64_t n = a.shape().back(), nd = a.ndim();
  std::vector<int64_t> batch;
  for (int64_t i = 0; i + 2 < nd; ++i) batch.push_back(i);
  std::vector<int64_t> along_cols = batch, along_rows = batch;
  along_cols.push_back(nd - 1);
  along_rows.push_back(nd - 2);
  const Array wj = lax::broadcast_in_dim(w, a.shape(), along_cols), wi = lax::broadcast_in_dim(w, a.shape(), along_rows);
  const Array eye = linalg::eye_like(a, n, n);
  const Array f = lax::sub(bind1(prim::integer_pow_p, {lax::sub(lax::add(eye, wj), wi)}, {{"y", int64_t{-1}}}), eye);
  const Array s = linalg::matmul(linalg::matmul(linalg::mT(v), tangents[0]), v);
  Array dv = linalg::matmul(v, lax::mul(f, s));
  Array dw = linalg::diagonal(s);
  return {out, {std::move(dv), std::move(dw)}};
}

// w broadcast over the matrices' rows (entry (i, j) is w[j]) or columns (w[i]).
struct Spread {
  Shape shape;
  std::vector<int64_t> along_cols, along_rows;
  explicit Spread(const Array& a) : shape(a.shape()) {
    const int64_t nd = a.ndim();
    for (int64_t i = 0; i + 2 < nd; ++i) along_cols.push_back(i), along_rows.push_back(i);
    along_cols.push_back(nd - 1);
    along_rows.push_back(nd - 2);
  }
  Array wj(const Array& w) const { return lax::broadcast_in_dim(w, shape, along_cols); }
  Array wi(const Array& w) const { return lax::broadcast_in_dim(w, shape, along_rows); }
};

// The coefficients of A V = V diag(w), V^T V = I along the symmetrised path
// (the primal's): with Ṽ_k = V C_k and G = V^T (Σ_(1<=i<=k) Ã_i Ṽ_(k-i)
// - Σ_(0<i<k) Ṽ_i diag(w̃_(k-i))), w̃_k = diag(G) and C_k = F * G off the
// diagonal (the JVP's F), -diag(S)/2 on it, S = Σ_(0<i<k) Ṽ_i^T Ṽ_(k-i).
// The JVP applies S = V^T dA V to the raw tangent, whose skew part moves V
// by E = V (F * (V^T K' V)), K' = (a' - a'^T)/2, and not w; its terms are
// added as the nested JVP adds them, E's (k-1)-th derivative to V's k-th.
TaylorResult eigh_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                      const Params& params) {
  const Array& x = primals[0];
  const size_t order = order_of(series);
  const auto sym = [](const Array& a) { return lax::div(lax::add(a, linalg::mT(a)), lax::constant_like(a, 2.0)); };
  const auto skew = [](const Array& a) { return lax::div(lax::sub(a, linalg::mT(a)), lax::constant_like(a, 2.0)); };
  std::vector<Array> out = fluxion::bind(p, std::vector<Array>{sym(x)}, params);
  const Series a = coefficients(x, series[0], order);
  const int64_t n = x.shape().back();
  const Spread spread(x);
  const Array eye = linalg::eye_like(x, n, n);
  Series v(order + 1), w(order + 1), vt(order + 1), f(order + 1);
  v[0] = out[0], w[0] = out[1], vt[0] = linalg::mT(v[0]);
  // 1 / (w_j - w_i) with ones on the diagonal (D), whose series is a reciprocal's.
  const Array d0 = lax::sub(lax::add(eye, spread.wj(w[0])), spread.wi(w[0]));
  Series d(order + 1), r(order + 1);
  r[0] = lax::div(lax::constant_like(d0, 1.0), d0);
  f[0] = lax::sub(r[0], eye);
  for (size_t k = 1; k <= order; ++k) {
    Array g, s;
    for (size_t i = 1; i <= k; ++i) g = add_terms(g, linalg::matmul(sym(a[i]), v[k - i]));
    for (size_t i = 1; i < k; ++i) {
      g = lax::sub(g, lax::mul(v[i], spread.wj(w[k - i])));
      s = add_terms(s, linalg::matmul(vt[i], v[k - i]));
    }
    g = linalg::matmul(vt[0], g);
    w[k] = linalg::diagonal(g);
    Array c = lax::mul(f[0], g);
    if (s.valid()) c = lax::sub(c, lax::div(linalg::diag_embed(linalg::diagonal(s)), lax::constant_like(s, 2.0)));
    v[k] = linalg::matmul(v[0], c);
    vt[k] = linalg::mT(v[k]);
    d[k] = lax::sub(spread.wj(w[k]), spread.wi(w[k]));
    Array acc;
    for (size_t j = 1; j <= k; ++j) acc = add_terms(acc, lax::mul(d[j], r[k - j]));
    r[k] = lax::neg(lax::div(acc, d0));
    f[k] = r[k];
  }
  Series v_terms = derivative_terms(v);
  // E's coefficients 0..K-1 from those of V, F and K' (K' coefficient j is
  // (j+1) skew(ã_(j+1))).
  Series kp(order);
  for (size_t j = 0; j < order; ++j) kp[j] = scale(skew(a[j + 1]), static_cast<double>(j + 1));
  Series m(order), fm(order);
  for (size_t j = 0; j < order; ++j) {
    Array acc;
    for (size_t i1 = 0; i1 <= j; ++i1)
      for (size_t i2 = 0; i1 + i2 <= j; ++i2)
        acc = add_terms(acc, linalg::matmul(linalg::matmul(vt[i1], kp[i2]), v[j - i1 - i2]));
    m[j] = acc;
  }
  for (size_t j = 0; j < order; ++j) fm[j] = convolve(f, m, j);
  for (size_t j = 0; j < order; ++j) {
    Array e;
    for (size_t i = 0; i <= j; ++i) e = add_terms(e, linalg::matmul(v[i], fm[j - i]));
    v_terms[j] = lax::add(v_terms[j], scale(e, factorial(j)));
  }
  return {out, {std::move(v_terms), derivative_terms(w)}};
}

}  // namespace

const Primitive eigh_p{.name = "eigh", .multiple_results = true, .abstract_eval = eigh_aval, .impl = eigh_impl,
                       .jvp = eigh_jvp, .batch = linalg::front_batch,
                       .jet = eigh_jet, .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
