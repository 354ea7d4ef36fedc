// Baseline for unary_math_bench: a plain loop over SLEEF's best vector entry
// point for the build machine. Compiled with -O3 -march=native on its own,
// without Highway (whose 1.0.3 headers reject some -march=native baselines),
// so it shows what hand-picked SLEEF costs with no dispatch layer at all.
#include <sleef.h>

#include <cstddef>

namespace sleef_baseline {

enum class Fn { exp, sin, tanh };

#if defined(__AVX512F__)
constexpr const char* kIsa = "avx512f";
constexpr size_t kLanesD = 8, kLanesF = 16;
using VD = __m512d;
using VF = __m512;
inline VD LoadD(const double* p) { return _mm512_loadu_pd(p); }
inline void StoreD(double* p, VD v) { _mm512_storeu_pd(p, v); }
inline VF LoadF(const float* p) { return _mm512_loadu_ps(p); }
inline void StoreF(float* p, VF v) { _mm512_storeu_ps(p, v); }
inline VD Call(Fn f, VD v) {
  return f == Fn::exp   ? Sleef_expd8_u10avx512f(v)
         : f == Fn::sin ? Sleef_sind8_u10avx512f(v)
                        : Sleef_tanhd8_u10avx512f(v);
}
inline VF Call(Fn f, VF v) {
  return f == Fn::exp   ? Sleef_expf16_u10avx512f(v)
         : f == Fn::sin ? Sleef_sinf16_u10avx512f(v)
                        : Sleef_tanhf16_u10avx512f(v);
}
#elif defined(__AVX2__) && defined(__FMA__)
constexpr const char* kIsa = "avx2";
constexpr size_t kLanesD = 4, kLanesF = 8;
using VD = __m256d;
using VF = __m256;
inline VD LoadD(const double* p) { return _mm256_loadu_pd(p); }
inline void StoreD(double* p, VD v) { _mm256_storeu_pd(p, v); }
inline VF LoadF(const float* p) { return _mm256_loadu_ps(p); }
inline void StoreF(float* p, VF v) { _mm256_storeu_ps(p, v); }
inline VD Call(Fn f, VD v) {
  return f == Fn::exp   ? Sleef_expd4_u10avx2(v)
         : f == Fn::sin ? Sleef_sind4_u10avx2(v)
                        : Sleef_tanhd4_u10avx2(v);
}
inline VF Call(Fn f, VF v) {
  return f == Fn::exp   ? Sleef_expf8_u10avx2(v)
         : f == Fn::sin ? Sleef_sinf8_u10avx2(v)
                        : Sleef_tanhf8_u10avx2(v);
}
#else
constexpr const char* kIsa = "purec";
constexpr size_t kLanesD = 1, kLanesF = 1;
using VD = double;
using VF = float;
inline VD LoadD(const double* p) { return *p; }
inline void StoreD(double* p, VD v) { *p = v; }
inline VF LoadF(const float* p) { return *p; }
inline void StoreF(float* p, VF v) { *p = v; }
inline VD Call(Fn f, VD v) {
  return f == Fn::exp   ? Sleef_expd1_u10purec(v)
         : f == Fn::sin ? Sleef_sind1_u10purec(v)
                        : Sleef_tanhd1_u10purec(v);
}
inline VF Call(Fn f, VF v) {
  return f == Fn::exp   ? Sleef_expf1_u10purec(v)
         : f == Fn::sin ? Sleef_sinf1_u10purec(v)
                        : Sleef_tanhf1_u10purec(v);
}
#endif

const char* isa() { return kIsa; }

// n must be a multiple of 16: the benchmark sizes are, and a tail loop would
// only blur the comparison.
void run(Fn f, const double* in, double* out, size_t n) {
  for (size_t i = 0; i < n; i += kLanesD) StoreD(out + i, Call(f, LoadD(in + i)));
}
void run(Fn f, const float* in, float* out, size_t n) {
  for (size_t i = 0; i < n; i += kLanesF) StoreF(out + i, Call(f, LoadF(in + i)));
}

}  // namespace sleef_baseline
