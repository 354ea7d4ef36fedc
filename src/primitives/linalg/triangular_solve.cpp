// triangular_solve[left_side, lower, transpose_a, conjugate_a, unit_diagonal]
// (jax.lax.linalg.triangular_solve_p): X with op(A) X = B (left_side) or
// X op(A) = B, A triangular, through BLAS's trsm. Only A's `lower` (or upper)
// triangle is read, and not its diagonal when unit_diagonal. A zero on the
// diagonal gives infinities and NaNs, as trsm (and JAX) do.
//
// Linear in B, so it has a transpose rule (the solve with op(A)^T), which is
// what reverse mode through cholesky, lu and solve rests on.
#include <cblas.h>

#include "compiler/emitter.hpp"
#include "fluxion/errors.hpp"
#include "primitives/lax.hpp"
#include "primitives/linalg/common.hpp"
#include "primitives/linalg/family.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

struct Flags {
  bool left_side, lower, transpose_a, conjugate_a, unit_diagonal;
  explicit Flags(const Params& p)
      : left_side(p.get<bool>("left_side")), lower(p.get<bool>("lower")), transpose_a(p.get<bool>("transpose_a")),
        conjugate_a(p.get<bool>("conjugate_a")), unit_diagonal(p.get<bool>("unit_diagonal")) {}
};

std::vector<AbstractValue> triangular_solve_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const AbstractValue &a = *in[0], &b = *in[1];
  linalg::check_operand(p, a, true);
  linalg::check_operand(p, b, false);
  if (a.dtype != b.dtype)
    throw TypeError("triangular_solve: a and b must have one dtype, got " + to_string(a) + " and " + to_string(b));
  const bool left = params.get<bool>("left_side");
  if (a.ndim() != b.ndim() || !std::equal(a.shape.begin(), a.shape.end() - 2, b.shape.begin()))
    throw ShapeError("triangular_solve: a [..., m, m] and b must have the same batch dimensions, got shapes " +
                     shape_to_string(a.shape) + " and " + shape_to_string(b.shape));
  const int64_t common = b.shape[b.ndim() - (left ? 2 : 1)];
  if (a.shape.back() != common)
    throw ShapeError("triangular_solve: incompatible shapes " + shape_to_string(a.shape) + " and " +
                     shape_to_string(b.shape) + ": with left_side=" + (left ? "True" : "False") +
                     " b's " + (left ? "second-to-last" : "last") + " dimension must equal a's order " +
                     std::to_string(a.shape.back()));
  return single(AbstractValue{b.shape, b.dtype, false});
}

template <class T>
void trsm_kernel(const T* a, const T* b, T* x, int64_t batch, int64_t m, int64_t n, const Flags& f) {
  const int64_t k = f.left_side ? m : n;
  std::copy(b, b + batch * m * n, x);
  if (m == 0 || n == 0) return;
  const auto side = f.left_side ? CblasLeft : CblasRight;
  const auto uplo = f.lower ? CblasLower : CblasUpper;
  const auto trans = f.transpose_a ? CblasTrans : CblasNoTrans;
  const auto diag = f.unit_diagonal ? CblasUnit : CblasNonUnit;
  const auto mi = static_cast<int>(m), ni = static_cast<int>(n), ki = static_cast<int>(k);
  for (int64_t i = 0; i < batch; ++i) {
    if constexpr (sizeof(T) == 4)
      cblas_strsm(CblasRowMajor, side, uplo, trans, diag, mi, ni, 1.0f, a + i * k * k, ki, x + i * m * n, ni);
    else
      cblas_dtrsm(CblasRowMajor, side, uplo, trans, diag, mi, ni, 1.0, a + i * k * k, ki, x + i * m * n, ni);
  }
}

std::vector<Array> triangular_solve_impl(const Primitive&, std::span<const Array> in,
                                         std::span<const AbstractValue> out, const Params& params) {
  auto result = output(out[0]);
  const Shape& s = out[0].shape;
  const int64_t m = s[s.size() - 2], n = s.back(), batch = linalg::batch_count(s);
  if (out[0].dtype == DType::float64)
    trsm_kernel(detail::data_as<double>(in[0]), detail::data_as<double>(in[1]), out_data<double>(result), batch, m, n,
                Flags(params));
  else
    trsm_kernel(detail::data_as<float>(in[0]), detail::data_as<float>(in[1]), out_data<float>(result), batch, m, n,
                Flags(params));
  return single(Array(std::move(result)));
}

// JAX's rules: linear in b; in a, d(op(A)^{-1} B) = -op(A)^{-1} op(dA) X,
// with dA restricted to the triangle the solve reads, and the two products
// ordered by cost as _triangular_solve_jvp_rule_a orders them.
JvpResult triangular_solve_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                               const Params& params) {
  const Array &a = primals[0], &b = primals[1];
  Array ans = bind1(p, {a, b}, params);
  Array t;
  if (tangents[1].valid()) t = bind1(p, {a, tangents[1]}, params);
  if (tangents[0].valid()) {
    const Flags f(params);
    const int64_t m = b.shape()[b.ndim() - 2], n = b.shape().back();
    const int64_t k = f.unit_diagonal ? 1 : 0;
    Array g = f.lower ? linalg::tril(tangents[0], -k) : linalg::triu(tangents[0], k);
    g = lax::neg(g);
    if (f.transpose_a) g = linalg::mT(g);
    const auto a_inverse = [&](const Array& rhs) { return bind1(p, {a, rhs}, params); };
    Array ta;
    if (f.left_side) ta = m > n ? a_inverse(linalg::matmul(g, ans)) : linalg::matmul(a_inverse(g), ans);
    else ta = m < n ? a_inverse(linalg::matmul(ans, g)) : linalg::matmul(ans, a_inverse(g));
    t = lax::add_tangents(t, ta);
  }
  return {{std::move(ans)}, {std::move(t)}};
}

// op(Â) X̂ = B̂ (left side; X̂ op(Â) = B̂ on the right) coefficient by
// coefficient: X̃_k = op(A0)^{-1} (B̃_k - Σ_(1<=j<=k) op(Ã_j) X̃_(k-j)), one solve
// per order, with each Ã_j restricted to the triangle the solve reads as the
// JVP restricts dA. With A fixed only B̃_k remains: the solve is linear in B.
TaylorResult triangular_solve_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                                  const Params& params) {
  const Array &a = primals[0], &b = primals[1];
  const size_t order = order_of(series);
  const Flags f(params);
  const Series as = coefficients(a, series[0], order), bs = coefficients(b, series[1], order);
  Series ops(order + 1);
  for (size_t j = 1; j <= order; ++j) {
    if (!as[j].valid()) continue;
    const int64_t k = f.unit_diagonal ? 1 : 0;
    ops[j] = f.lower ? linalg::tril(as[j], -k) : linalg::triu(as[j], k);
    if (f.transpose_a) ops[j] = linalg::mT(ops[j]);
  }
  Series x(order + 1);
  x[0] = bind1(p, {a, b}, params);
  for (size_t k = 1; k <= order; ++k) {
    Array rhs = bs[k];
    for (size_t j = 1; j <= k; ++j) {
      if (!ops[j].valid()) continue;
      const Array moved = f.left_side ? linalg::matmul(ops[j], x[k - j]) : linalg::matmul(x[k - j], ops[j]);
      rhs = rhs.valid() ? lax::sub(rhs, moved) : lax::neg(moved);
    }
    x[k] = bind1(p, {a, rhs}, params);
  }
  return {{x[0]}, {derivative_terms(x)}};
}

std::vector<Array> triangular_solve_transpose(const Primitive& p, std::span<const Array> cts,
                                              std::span<const TransposeInput> in, const Params& params) {
  if (in[0].is_linear())
    throw Error("triangular_solve: transpose with respect to a (the solve is linear only in b)");
  if (!cts[0].valid()) return {Array(), Array()};
  const Flags f(params);
  Params flipped{{"conjugate_a", f.conjugate_a},
                 {"left_side", f.left_side},
                 {"lower", f.lower},
                 {"transpose_a", !f.transpose_a},
                 {"unit_diagonal", f.unit_diagonal}};
  return {Array(), bind1(p, {in[0].known, cts[0]}, flipped)};
}

}  // namespace

const Primitive triangular_solve_p{.name = "triangular_solve", .abstract_eval = triangular_solve_aval,
                                   .impl = triangular_solve_impl, .jvp = triangular_solve_jvp,
                                   .transpose = triangular_solve_transpose, .batch = linalg::front_batch,
                                   .jet = triangular_solve_jet,
                                   .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
