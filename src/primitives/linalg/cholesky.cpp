// cholesky (jax.lax.linalg.cholesky_p): the lower Cholesky factor L of each
// symmetric positive-definite matrix, A = L L^T, from LAPACK's potrf. Only the
// lower triangle of the operand is read (lax.linalg.cholesky symmetrizes
// first); the factor's upper triangle is zero, which JAX's wrapper
// guarantees with _tril. A matrix that is not positive definite gives a
// matrix of NaNs, as JAX's CPU lowering does with potrf's info > 0.
#include <limits>

#include "compiler/emitter.hpp"
#include "primitives/lax.hpp"
#include "primitives/linalg/common.hpp"
#include "primitives/linalg/family.hpp"
#include "primitives/linalg/lapack.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> cholesky_aval(const Primitive& p, AvalRefs in, const Params&) {
  linalg::check_operand(p, *in[0], true);
  return single(AbstractValue{in[0]->shape, in[0]->dtype, false});
}

template <class T> void cholesky_kernel(const T* a, T* l, int64_t batch, int64_t n) {
  const int64_t nn = n * n;
  for (int64_t b = 0; b < batch; ++b) {
    T* out = l + b * nn;
    std::copy(a + b * nn, a + (b + 1) * nn, out);
    // The row-major buffer read column-major is A^T, whose upper triangle is
    // A's lower one; potrf's U (A^T = U^T U) read row-major is L.
    const int info = lapack::potrf<T>('U', static_cast<int>(n), out);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j)
        if (info != 0) out[i * n + j] = std::numeric_limits<T>::quiet_NaN();
        else if (j > i) out[i * n + j] = T(0);
  }
}

std::vector<Array> cholesky_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                                 const Params&) {
  auto result = output(out[0]);
  const int64_t n = out[0].shape.back(), batch = linalg::batch_count(out[0].shape);
  if (out[0].dtype == DType::float64)
    cholesky_kernel(detail::data_as<double>(in[0]), out_data<double>(result), batch, n);
  else
    cholesky_kernel(detail::data_as<float>(in[0]), out_data<float>(result), batch, n);
  return single(Array(std::move(result)));
}

// JAX's _cholesky_jvp_rule (https://arxiv.org/pdf/1602.07527.pdf):
// dL = L phi(L^{-1} dA L^{-T}), phi taking the lower triangle with the
// diagonal halved. It assumes a symmetric dA, as lax.linalg.cholesky's
// symmetrization makes it.
Array cholesky_tangent(const Array& l, const Array& da) {
  const int64_t n = l.shape().back();
  const Array tmp = linalg::triangular_solve(l, da, false, true, true, false);
  const Array inner = linalg::triangular_solve(l, tmp, true, true, false, false);
  const Array halve = lax::add(lax::constant_like(l, 1.0), linalg::eye_like(l, n, n));
  return linalg::matmul(l, lax::div(linalg::tril(inner), halve));
}

JvpResult cholesky_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                       const Params&) {
  Array l = bind1(p, {primals[0]});
  if (!tangents[0].valid()) return {{l}, {Array()}};
  Array dl = cholesky_tangent(l, tangents[0]);
  return {{std::move(l)}, {std::move(dl)}};
}

// The coefficients of L(t) L(t)^T = A(t) at order k >= 1:
// L0 L̃_k^T + L̃_k L0^T = Ã_k - Σ_(0<i<k) L̃_i L̃_(k-i)^T, the JVP's equation
// with a symmetric right-hand side, so each order is the JVP's formula
// (two triangular solves) applied to it.
TaylorResult cholesky_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                          const Params&) {
  const size_t order = order_of(series);
  const Series a = coefficients(primals[0], series[0], order);
  Series l(order + 1);
  l[0] = bind1(p, {primals[0]});
  for (size_t k = 1; k <= order; ++k) {
    Array rhs = a[k];
    for (size_t i = 1; i < k; ++i) rhs = lax::sub(rhs, linalg::matmul(l[i], linalg::mT(l[k - i])));
    l[k] = cholesky_tangent(l[0], rhs);
  }
  return {{l[0]}, {derivative_terms(l)}};
}

}  // namespace

const Primitive cholesky_p{.name = "cholesky", .abstract_eval = cholesky_aval, .impl = cholesky_impl,
                           .jvp = cholesky_jvp, .batch = linalg::front_batch, .jet = cholesky_jet,
                           .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
