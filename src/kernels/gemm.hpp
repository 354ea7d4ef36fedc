// dot_general as CBLAS gemm calls on the operands where they lie.
//
// A contraction is a batch of matrix products when, in each operand, the free
// axes step through memory as one axis and so do the contracting ones, and
// one of the two is contiguous: the matrix is then read in place, transposed
// or not, with its leading dimension. Eager evaluation and compiled code both
// plan with plan_gemm and call gemm with what it says, so they compute the
// same products in the same order (bit for bit).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace fluxion::kernels {

struct GemmPlan {
  int64_t m = 0, n = 0, k = 0;
  bool trans_a = false, trans_b = false;
  int64_t lda = 0, ldb = 0;  // leading dimensions; the output is row-major m x n per batch (ldc = n)
  // Batch axes (of extent > 1), outer to inner: extents and each operand's strides.
  std::vector<int64_t> batch_extents, lhs_batch_strides, rhs_batch_strides;
  int64_t batch() const;
};

// The plan for row-major operands of these shapes (or nullopt: the operands
// must first be copied into (batch, m, k) and (batch, k, n) order). Axes as in
// dot_general's dimension numbers.
std::optional<GemmPlan> plan_gemm(const std::vector<int64_t>& lhs_shape, const std::vector<int64_t>& rhs_shape,
                                  const std::vector<int64_t>& lhs_contracting,
                                  const std::vector<int64_t>& rhs_contracting, const std::vector<int64_t>& lhs_batch,
                                  const std::vector<int64_t>& rhs_batch);

// Products of at most kSmallGemm multiply-adds are a plain loop rather than a
// CBLAS call, whose fixed cost (argument checks, dispatch, packing) is many
// times a small product's arithmetic: here OpenBLAS takes 53-90 ns for a
// 3 x 3 x 3 product that the loop does in 30, and 85-140 ns for 8 x 8 x 8,
// where the loop's serial sums take 410. Each entry is acc = fma(A[i, p],
// B[p, j], acc) for p in order from acc = +0: one rounding per step, as
// OpenBLAS's and XLA's FMA kernels round (seed 003's float32 quadratic
// approximation prints JAX's digits only so), and the same bits on every
// CPU. Compiled code writes the same loop with its sizes fixed
// (fx_small_gemm), so both give the same bits.
inline constexpr int64_t kSmallGemm = 128;
inline bool is_small_gemm(int64_t m, int64_t n, int64_t k) {
  return m <= kSmallGemm && n <= kSmallGemm && k <= kSmallGemm && m * n * k <= kSmallGemm;
}

// C = A B (row-major; A is m x k, or k x m stored when trans_a; B likewise).
// k == 0 writes zeros. float64 unless f32.
void gemm(bool f32, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const void* a, int64_t lda,
          const void* b, int64_t ldb, void* c, int64_t ldc);

// Every product of the plan: C[batch] = A[batch] B[batch], C row-major
// (batch, m, n).
void run_gemm_plan(const GemmPlan& plan, bool f32, const void* a, const void* b, void* c);

}  // namespace fluxion::kernels
