// kernels::gemm: small products are the documented fused multiply-add chain
// (the same bits in eager and compiled code, kernels/gemm.hpp); larger ones
// are OpenBLAS's, checked against a long double reference.
#include "kernels/gemm.hpp"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <type_traits>
#include <vector>

namespace {

using fluxion::kernels::gemm;
using fluxion::kernels::is_small_gemm;

template <class T>
struct Case {
  int64_t m, n, k;
  bool ta, tb;
  std::vector<T> a, b;
  int64_t lda() const { return ta ? m : k; }
  int64_t ldb() const { return tb ? k : n; }
  T A(int64_t i, int64_t p) const { return ta ? a[static_cast<size_t>(p * m + i)] : a[static_cast<size_t>(i * k + p)]; }
  T B(int64_t p, int64_t j) const { return tb ? b[static_cast<size_t>(j * k + p)] : b[static_cast<size_t>(p * n + j)]; }
};

template <class T>
Case<T> make(int64_t m, int64_t n, int64_t k, bool ta, bool tb, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  Case<T> c{m, n, k, ta, tb, std::vector<T>(static_cast<size_t>(m * k)), std::vector<T>(static_cast<size_t>(k * n))};
  for (T& v : c.a) v = static_cast<T>(u(gen));
  for (T& v : c.b) v = static_cast<T>(u(gen));
  return c;
}

template <class T>
std::vector<T> run(const Case<T>& c) {
  std::vector<T> out(static_cast<size_t>(c.m * c.n), T(-7));
  gemm(sizeof(T) == 4, c.ta, c.tb, c.m, c.n, c.k, c.a.data(), c.lda(), c.b.data(), c.ldb(), out.data(), c.n);
  return out;
}

template <class T>
void expect_fma_chain(int64_t m, int64_t n, int64_t k, bool ta, bool tb) {
  ASSERT_TRUE(is_small_gemm(m, n, k));
  const Case<T> c = make<T>(m, n, k, ta, tb, static_cast<uint32_t>(m * 100 + n * 10 + k));
  const std::vector<T> got = run(c);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      T acc = 0;
      for (int64_t p = 0; p < k; ++p) acc = std::fma(c.A(i, p), c.B(p, j), acc);
      using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
      EXPECT_EQ(std::bit_cast<Bits>(got[static_cast<size_t>(i * n + j)]), std::bit_cast<Bits>(acc))
          << m << "x" << n << "x" << k << " ta=" << ta << " tb=" << tb << " at (" << i << ", " << j << ")";
    }
}

TEST(SmallGemm, EachEntryIsAFusedMultiplyAddChainInOrder) {
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (auto [m, n, k] : {std::array<int64_t, 3>{1, 1, 1}, {3, 3, 3}, {2, 5, 4}, {4, 4, 8}, {1, 128, 1}, {5, 1, 25}}) {
        expect_fma_chain<double>(m, n, k, ta, tb);
        expect_fma_chain<float>(m, n, k, ta, tb);
      }
}

// The chain starts from +0: a sum of -0 products is +0, as a CBLAS gemm with
// beta = 0 gives it.
TEST(SmallGemm, NegativeZeroProductsSumToPositiveZero) {
  const std::vector<double> a = {-0.0, 1.0}, b = {1.0, -0.0};
  double c = 1.0;
  gemm(false, false, false, 1, 1, 2, a.data(), 2, b.data(), 1, &c, 1);
  EXPECT_EQ(std::bit_cast<uint64_t>(c), std::bit_cast<uint64_t>(0.0));
}

TEST(Gemm, LargerProductsGoToCblasAndAgreeWithALongDoubleSum) {
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      const Case<double> c = make<double>(9, 17, 13, ta, tb, 5);
      ASSERT_FALSE(is_small_gemm(c.m, c.n, c.k));
      const std::vector<double> got = run(c);
      for (int64_t i = 0; i < c.m; ++i)
        for (int64_t j = 0; j < c.n; ++j) {
          long double want = 0, scale = 0;
          for (int64_t p = 0; p < c.k; ++p) {
            want += static_cast<long double>(c.A(i, p)) * c.B(p, j);
            scale += std::fabs(static_cast<long double>(c.A(i, p)) * c.B(p, j));
          }
          EXPECT_NEAR(got[static_cast<size_t>(i * c.n + j)], static_cast<double>(want),
                      static_cast<double>(scale) * 4 * 0x1p-52);
        }
    }
}

}  // namespace
