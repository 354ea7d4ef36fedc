#include "kernels/gemm.hpp"

#include <algorithm>
#include <cblas.h>
#include <cmath>

namespace fluxion::kernels {

namespace {

using Ints = std::vector<int64_t>;

Ints row_major_strides(const Ints& shape) {
  Ints s(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) s[d - 1] = s[d] * shape[d];
  return s;
}

// The axes, in this order, as one axis: its extent and stride (stride 0 when
// the extent is 1: any stride will do), or nullopt when they do not step as one.
struct Run {
  int64_t extent = 1, stride = 0;
};
std::optional<Run> as_one_axis(const Ints& axes, const Ints& shape, const Ints& strides) {
  Run run;
  bool any = false;
  for (int64_t a : axes) {
    const int64_t e = shape[static_cast<size_t>(a)];
    if (e == 1) continue;
    const int64_t s = strides[static_cast<size_t>(a)];
    if (any && run.stride != s * e) return std::nullopt;
    run.extent = any ? run.extent * e : e;
    run.stride = s;
    any = true;
  }
  if (!any) run.extent = 1;
  for (int64_t a : axes)
    if (shape[static_cast<size_t>(a)] == 0) run.extent = 0;
  return run;
}

// The leading dimension of a matrix read along `outer` and, contiguously,
// along `inner` (of `inner_count` elements), or nullopt when `inner` is not
// contiguous or the rows overlap.
std::optional<int64_t> leading_dimension(const Run& inner, const Run& outer, int64_t inner_count) {
  if (inner.extent > 1 && inner.stride != 1) return std::nullopt;
  const int64_t lead = outer.extent <= 1 ? inner_count : outer.stride;
  if (lead < inner_count) return std::nullopt;
  return lead;
}

// A rows x cols matrix with these strides, as gemm reads it: not transposed
// (cols contiguous, leading dimension = row stride) or transposed (rows
// contiguous, leading dimension = column stride).
bool as_matrix(const Run& rows, const Run& cols, bool& trans, int64_t& ld) {
  for (const bool transposed : {false, true}) {
    const Run& inner = transposed ? rows : cols;
    const Run& outer = transposed ? cols : rows;
    if (const auto lead = leading_dimension(inner, outer, std::max<int64_t>(inner.extent, 1))) {
      trans = transposed;
      ld = *lead;
      return true;
    }
  }
  return false;
}

Ints free_axes(size_t rank, const Ints& contracting, const Ints& batch) {
  Ints free;
  for (int64_t a = 0; a < static_cast<int64_t>(rank); ++a)
    if (std::find(contracting.begin(), contracting.end(), a) == contracting.end() &&
        std::find(batch.begin(), batch.end(), a) == batch.end())
      free.push_back(a);
  return free;
}

}  // namespace

int64_t GemmPlan::batch() const {
  int64_t b = 1;
  for (int64_t e : batch_extents) b *= e;
  return b;
}

std::optional<GemmPlan> plan_gemm(const Ints& lhs_shape, const Ints& rhs_shape, const Ints& lhs_contracting,
                                  const Ints& rhs_contracting, const Ints& lhs_batch, const Ints& rhs_batch) {
  const Ints ls = row_major_strides(lhs_shape), rs = row_major_strides(rhs_shape);
  const auto m = as_one_axis(free_axes(lhs_shape.size(), lhs_contracting, lhs_batch), lhs_shape, ls);
  const auto ka = as_one_axis(lhs_contracting, lhs_shape, ls);
  const auto kb = as_one_axis(rhs_contracting, rhs_shape, rs);
  const auto n = as_one_axis(free_axes(rhs_shape.size(), rhs_contracting, rhs_batch), rhs_shape, rs);
  if (!m || !ka || !kb || !n) return std::nullopt;
  GemmPlan plan;
  plan.m = m->extent;
  plan.n = n->extent;
  plan.k = ka->extent;
  if (!as_matrix(*m, *ka, plan.trans_a, plan.lda) || !as_matrix(*kb, *n, plan.trans_b, plan.ldb)) return std::nullopt;
  for (size_t i = 0; i < lhs_batch.size(); ++i) {
    const int64_t e = lhs_shape[static_cast<size_t>(lhs_batch[i])];
    if (e == 1) continue;
    plan.batch_extents.push_back(e);
    plan.lhs_batch_strides.push_back(ls[static_cast<size_t>(lhs_batch[i])]);
    plan.rhs_batch_strides.push_back(rs[static_cast<size_t>(rhs_batch[i])]);
  }
  return plan;
}

namespace {

// The small products' loop (is_small_gemm); the preamble's fx_small_gemm is
// the same loop for compiled code. std::fma rounds once, on any CPU; where the
// CPU has the instruction, the "fma" clone makes it one instruction instead
// of a call to libm's.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define FLUXION_FMA_CLONES __attribute__((target_clones("fma", "default")))
#else
#define FLUXION_FMA_CLONES
#endif
template <class T>
inline void small_gemm_loop(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda,
                            const T* b, int64_t ldb, T* c, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      T acc = 0;
      for (int64_t p = 0; p < k; ++p)
        acc = std::fma(trans_a ? a[p * lda + i] : a[i * lda + p], trans_b ? b[j * ldb + p] : b[p * ldb + j], acc);
      c[i * ldc + j] = acc;
    }
}
FLUXION_FMA_CLONES void small_gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const double* a,
                                   int64_t lda, const double* b, int64_t ldb, double* c, int64_t ldc) {
  small_gemm_loop(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc);
}
FLUXION_FMA_CLONES void small_gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a,
                                   int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  small_gemm_loop(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc);
}

}  // namespace

void gemm(bool f32, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const void* a, int64_t lda,
          const void* b, int64_t ldb, void* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (is_small_gemm(m, n, k)) {
    if (f32)
      small_gemm(trans_a, trans_b, m, n, k, static_cast<const float*>(a), lda, static_cast<const float*>(b), ldb,
                 static_cast<float*>(c), ldc);
    else
      small_gemm(trans_a, trans_b, m, n, k, static_cast<const double*>(a), lda, static_cast<const double*>(b), ldb,
                 static_cast<double*>(c), ldc);
    return;
  }
  if (k <= 0) {
    for (int64_t i = 0; i < m; ++i) {
      if (f32) std::fill_n(static_cast<float*>(c) + i * ldc, n, 0.0f);
      else std::fill_n(static_cast<double*>(c) + i * ldc, n, 0.0);
    }
    return;
  }
  const CBLAS_TRANSPOSE ta = trans_a ? CblasTrans : CblasNoTrans, tb = trans_b ? CblasTrans : CblasNoTrans;
  if (f32)
    cblas_sgemm(CblasRowMajor, ta, tb, int(m), int(n), int(k), 1.0f, static_cast<const float*>(a), int(lda),
                static_cast<const float*>(b), int(ldb), 0.0f, static_cast<float*>(c), int(ldc));
  else
    cblas_dgemm(CblasRowMajor, ta, tb, int(m), int(n), int(k), 1.0, static_cast<const double*>(a), int(lda),
                static_cast<const double*>(b), int(ldb), 0.0, static_cast<double*>(c), int(ldc));
}

void run_gemm_plan(const GemmPlan& plan, bool f32, const void* a, const void* b, void* c) {
  const int64_t item = f32 ? 4 : 8, batch = plan.batch();
  std::vector<int64_t> index(plan.batch_extents.size(), 0);
  for (int64_t t = 0; t < batch; ++t) {
    int64_t oa = 0, ob = 0;
    for (size_t d = 0; d < index.size(); ++d) {
      oa += index[d] * plan.lhs_batch_strides[d];
      ob += index[d] * plan.rhs_batch_strides[d];
    }
    gemm(f32, plan.trans_a, plan.trans_b, plan.m, plan.n, plan.k, static_cast<const char*>(a) + oa * item, plan.lda,
         static_cast<const char*>(b) + ob * item, plan.ldb, static_cast<char*>(c) + t * plan.m * plan.n * item,
         plan.n);
    for (size_t d = index.size(); d-- > 0;) {  // the next batch index, row-major
      if (++index[d] < plan.batch_extents[d]) break;
      index[d] = 0;
    }
  }
}

}  // namespace fluxion::kernels
