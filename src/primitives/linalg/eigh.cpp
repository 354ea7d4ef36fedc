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

}  // namespace

const Primitive eigh_p{.name = "eigh", .multiple_results = true, .abstract_eval = eigh_aval, .impl = eigh_impl,
                       .jvp = eigh_jvp, .batch = linalg::front_batch,
                       .jet = taylor_via_jvp, .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
