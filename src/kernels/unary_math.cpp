// SIMD elementwise math, compiled once per Highway target and dispatched at
// run time (see unary_math.hpp for the contract).
//
// Inside the AVX2 and AVX-512 bodies we call SLEEF's per-ISA entry points on
// the raw registers: SLEEF's own dispatcher would add an indirect call per
// vector and might pick a different ISA than Highway did. Any other target
// (the scalar fallback on x86, or a non-x86 build) loops over SLEEF's portable
// scalar functions, which need no particular CPU.
#include "kernels/unary_math.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "kernels/xla_exp.hpp"

// Every target recompiles this whole file, and the CI machine has two cores,
// so build only the fallback, AVX2 and AVX-512 bodies. SSE4-only machines run
// the fallback; AVX3_DL would add nothing over AVX3 for these calls (and
// disabling it avoids Highway 1.0.3's "#error Logic error" under -march=native
// on CPUs whose baseline is AVX3_DL). The names are evaluated lazily, after
// hwy/detect_targets.h defines them.
#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS (HWY_SSSE3 | HWY_SSE4 | HWY_AVX3_DL)
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/unary_math.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#ifndef FLUXION_KERNELS_UNARY_MATH_ONCE
#define FLUXION_KERNELS_UNARY_MATH_ONCE
namespace fluxion::kernels::detail {
// Which operand of a binary op is a single broadcast value.
enum class Broadcast { none, lhs, rhs };
}  // namespace fluxion::kernels::detail

// SLEEF functions used by every target, named without dtype/ISA suffix.
// (exp is used for float32 only; float64 exp is xla_exp.)
#define FLUXION_SLEEF_UNARY(X) \
  X(sin) X(cos) X(tan) X(tanh) X(sinh) X(cosh) X(asin) X(acos) X(atan) X(exp) X(expm1) \
  X(log) X(log1p)
#define FLUXION_SLEEF_BINARY(X) X(pow) X(atan2)

namespace fluxion::kernels::detail {
// SLEEF's sinh/cosh overflow to inf as soon as e^|x| does (|x| > 709.78,
// float: 88.72) although the result stays finite up to ~710.47 (89.41), and
// its log1p returns inf above 1e307 (1e38). Those rare lanes are recomputed
// with libm, which is accurate there; the thresholds sit inside the ranges
// SLEEF documents as accurate.
template <class T> struct Large {
  static constexpr T kHyperbolic = sizeof(T) == 8 ? T(709) : T(88);
  static constexpr T kLog1p = sizeof(T) == 8 ? T(1e307) : T(1e38);
};
template <class T> T LibmSinh(T x) { return static_cast<T>(std::sinh(static_cast<double>(x))); }
template <class T> T LibmCosh(T x) { return static_cast<T>(std::cosh(static_cast<double>(x))); }
template <class T> T LibmLog1p(T x) { return static_cast<T>(std::log1p(static_cast<double>(x))); }
}  // namespace fluxion::kernels::detail
#endif  // FLUXION_KERNELS_UNARY_MATH_ONCE

// SLEEF's AVX2 entry points also use FMA, so they need a target with FMA
// (HWY_DISABLE_BMI2_FMA builds an AVX2 target without it).
#undef FLUXION_SLEEF_SIMD
#if (HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX2) && HWY_NATIVE_FMA
#define FLUXION_SLEEF_SIMD 1
#else
#define FLUXION_SLEEF_SIMD 0
#endif

// Per-target SLEEF names. sleef.h declares the vector entry points only when
// the whole file is compiled for that ISA, so we declare them here, inside
// the target region where the vector types are usable.
#undef FLUXION_VD
#undef FLUXION_VF
#undef FLUXION_RAW_D
#undef FLUXION_RAW_F
#undef FLUXION_DECLARE_UNARY
#undef FLUXION_DECLARE_BINARY
#if FLUXION_SLEEF_SIMD && HWY_TARGET == HWY_AVX3
#define FLUXION_VD(fn) Sleef_##fn##d8_u10avx512f
#define FLUXION_VF(fn) Sleef_##fn##f16_u10avx512f
#define FLUXION_RAW_D __m512d
#define FLUXION_RAW_F __m512
#elif FLUXION_SLEEF_SIMD
#define FLUXION_VD(fn) Sleef_##fn##d4_u10avx2
#define FLUXION_VF(fn) Sleef_##fn##f8_u10avx2
#define FLUXION_RAW_D __m256d
#define FLUXION_RAW_F __m256
#else
#define FLUXION_VD(fn) Sleef_##fn##d1_u10purec
#define FLUXION_VF(fn) Sleef_##fn##f1_u10purec
#define FLUXION_RAW_D double
#define FLUXION_RAW_F float
#endif
#define FLUXION_DECLARE_UNARY(fn)                \
  FLUXION_RAW_D FLUXION_VD(fn)(FLUXION_RAW_D); \
  FLUXION_RAW_F FLUXION_VF(fn)(FLUXION_RAW_F);
#define FLUXION_DECLARE_BINARY(fn)                              \
  FLUXION_RAW_D FLUXION_VD(fn)(FLUXION_RAW_D, FLUXION_RAW_D); \
  FLUXION_RAW_F FLUXION_VF(fn)(FLUXION_RAW_F, FLUXION_RAW_F);

HWY_BEFORE_NAMESPACE();
namespace fluxion::kernels {
namespace HWY_NAMESPACE {

extern "C" {
FLUXION_SLEEF_UNARY(FLUXION_DECLARE_UNARY)
FLUXION_SLEEF_BINARY(FLUXION_DECLARE_BINARY)
}

using detail::Broadcast;

#if FLUXION_SLEEF_SIMD
namespace hn = hwy::HWY_NAMESPACE;

// Applies f to whole vectors, then to the last partial vector through a
// masked load (lanes past n read as zero, and never fault) and a masked store,
// so nothing past n is read or written. A small array is all tail: going
// through a stack buffer instead cost 25 ns per call for n < 8 (a failed
// store-to-load forward), three times the vector's own work. Each chunk is
// loaded before it is stored, which makes out == in safe.
template <class D, class F>
HWY_INLINE void Map1(D d, const hn::TFromD<D>* in, hn::TFromD<D>* out, size_t n, F f) {
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(f(hn::LoadU(d, in + i)), d, out + i);
  if (i == n) return;
  const auto m = hn::FirstN(d, n - i);
  hn::BlendedStore(f(hn::MaskedLoad(m, d, in + i)), m, d, out + i);
}

template <Broadcast kB, class D, class F>
HWY_INLINE void Map2(D d, const hn::TFromD<D>* a, const hn::TFromD<D>* b, hn::TFromD<D>* out,
                     size_t n, F f) {
  using T = hn::TFromD<D>;
  const size_t N = hn::Lanes(d);
  // A broadcast operand is the single value a[0] or b[0]; it is never indexed.
  auto load_a = [&](const T* chunk) HWY_ATTR {
    if constexpr (kB == Broadcast::lhs) return hn::Set(d, a[0]);
    else return hn::LoadU(d, chunk);
  };
  auto load_b = [&](const T* chunk) HWY_ATTR {
    if constexpr (kB == Broadcast::rhs) return hn::Set(d, b[0]);
    else return hn::LoadU(d, chunk);
  };
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto va = load_a(kB == Broadcast::lhs ? a : a + i);
    const auto vb = load_b(kB == Broadcast::rhs ? b : b + i);
    hn::StoreU(f(va, vb), d, out + i);
  }
  if (i == n) return;
  // The tail as in Map1; a broadcast operand fills every lane, which is
  // harmless: the masked store drops the lanes past n.
  const auto m = hn::FirstN(d, n - i);
  const auto va = kB == Broadcast::lhs ? hn::Set(d, a[0]) : hn::MaskedLoad(m, d, a + i);
  const auto vb = kB == Broadcast::rhs ? hn::Set(d, b[0]) : hn::MaskedLoad(m, d, b + i);
  hn::BlendedStore(f(va, vb), m, d, out + i);
}

// Replaces the lanes with |x| > threshold by exact(x); such lanes are rare,
// so the common path costs one compare.
template <class D, class V, class F>
HWY_INLINE V FixLargeLanes(D d, V x, V r, hn::TFromD<D> threshold, F exact) {
  using T = hn::TFromD<D>;
  if (HWY_LIKELY(hn::AllFalse(d, hn::Gt(hn::Abs(x), hn::Set(d, threshold))))) return r;
  HWY_ALIGN T xs[hn::MaxLanes(d)];
  HWY_ALIGN T rs[hn::MaxLanes(d)];
  hn::Store(x, d, xs);
  hn::Store(r, d, rs);
  for (size_t i = 0; i < hn::Lanes(d); ++i)
    if (std::fabs(xs[i]) > threshold) rs[i] = exact(xs[i]);
  return hn::Load(d, rs);
}

// 2^k for integral k in [-1022, 1023], built in the exponent field. Adding
// 1.5 * 2^52 leaves k, as a two's-complement integer, in the low mantissa
// bits, which avoids a float64 -> int64 conversion AVX2 does not have.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Pow2(D d, V k) {
  const hn::RebindToUnsigned<D> du;
  const auto bits = hn::BitCast(du, hn::Add(k, hn::Set(d, 0x1.8p52)));
  return hn::BitCast(d, hn::ShiftLeft<52>(hn::Add(bits, hn::Set(du, uint64_t{1023}))));
}

// XLA:CPU's float64 exp; must stay step-for-step equal to xla_exp() in
// xla_exp.cpp (the tests compare them bit for bit). Only MulAdd/NegMulAdd
// are fused; the plain Mul results below feed no Add except P, which also
// feeds the Div, so compiler contraction cannot fuse them either.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V XlaExp(D d, V x) {
  using namespace xla_exp_constants;
  const V lo = hn::Set(d, kLo);
  const V hi = hn::Set(d, kHi);
  // x86 min/max return the second operand for NaN; NaN is restored below.
  const V xc = hn::Min(hn::Max(x, lo), hi);
  const V n = hn::Floor(hn::MulAdd(xc, hn::Set(d, kLog2e), hn::Set(d, 0.5)));
  V g = hn::NegMulAdd(n, hn::Set(d, kC1), xc);
  g = hn::NegMulAdd(n, hn::Set(d, kC2), g);
  const V z = hn::Mul(g, g);
  const V p = hn::Mul(
      hn::MulAdd(hn::MulAdd(hn::Set(d, kP0), z, hn::Set(d, kP1)), z, hn::Set(d, kP2)), g);
  const V q = hn::MulAdd(
      hn::MulAdd(hn::MulAdd(hn::Set(d, kQ0), z, hn::Set(d, kQ1)), z, hn::Set(d, kQ2)), z,
      hn::Set(d, kQ3));
  V r = hn::MulAdd(hn::Div(p, hn::Sub(q, p)), hn::Set(d, 2.0), hn::Set(d, 1.0));
  // ldexp(r, n) for n in [-1022, 1024]: the first factor is exact, the second
  // rounds once, as XLA's multi-step scaling and std::ldexp do.
  const V n1 = hn::Floor(hn::Mul(n, hn::Set(d, 0.5)));
  r = hn::Mul(hn::Mul(r, Pow2(d, n1)), Pow2(d, hn::Sub(n, n1)));
  r = hn::IfThenElse(hn::Lt(x, lo), hn::Zero(d), r);
  r = hn::IfThenElse(hn::Gt(x, hi), hn::Set(d, HUGE_VAL), r);
  return hn::IfThenElse(hn::IsNaN(x), hn::Add(x, x), r);
}

#define FLUXION_CASE_D(fn) \
  case UnaryMath::fn:      \
    return Map1(d, in, out, n, [](V v) HWY_ATTR { return V{FLUXION_VD(fn)(v.raw)}; });
#define FLUXION_CASE_F(fn) \
  case UnaryMath::fn:      \
    return Map1(d, in, out, n, [](V v) HWY_ATTR { return V{FLUXION_VF(fn)(v.raw)}; });
#define FLUXION_CASE_FIXED(fn, NAME, limit, libm)                                  \
  case UnaryMath::fn:                                                              \
    return Map1(d, in, out, n, [d](V v) HWY_ATTR {                                 \
      using T = hn::TFromD<decltype(d)>;                                           \
      return FixLargeLanes(d, v, V{NAME(fn)(v.raw)}, detail::Large<T>::limit,      \
                           detail::libm<T>);                                       \
    });

void UnaryF64(UnaryMath op, const double* in, double* out, size_t n) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  switch (op) {
    FLUXION_CASE_D(sin) FLUXION_CASE_D(cos) FLUXION_CASE_D(tan) FLUXION_CASE_D(tanh)
    FLUXION_CASE_D(asin) FLUXION_CASE_D(acos) FLUXION_CASE_D(atan) FLUXION_CASE_D(expm1)
    FLUXION_CASE_D(log)
    FLUXION_CASE_FIXED(sinh, FLUXION_VD, kHyperbolic, LibmSinh)
    FLUXION_CASE_FIXED(cosh, FLUXION_VD, kHyperbolic, LibmCosh)
    FLUXION_CASE_FIXED(log1p, FLUXION_VD, kLog1p, LibmLog1p)
    case UnaryMath::exp:
      return Map1(d, in, out, n, [d](V v) HWY_ATTR { return XlaExp(d, v); });
    case UnaryMath::sqrt:
      return Map1(d, in, out, n, [](V v) HWY_ATTR { return hn::Sqrt(v); });
  }
}

void UnaryF32(UnaryMath op, const float* in, float* out, size_t n) {
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  switch (op) {
    FLUXION_CASE_F(sin) FLUXION_CASE_F(cos) FLUXION_CASE_F(tan) FLUXION_CASE_F(tanh)
    FLUXION_CASE_F(asin) FLUXION_CASE_F(acos) FLUXION_CASE_F(atan) FLUXION_CASE_F(exp)
    FLUXION_CASE_F(expm1) FLUXION_CASE_F(log)
    FLUXION_CASE_FIXED(sinh, FLUXION_VF, kHyperbolic, LibmSinh)
    FLUXION_CASE_FIXED(cosh, FLUXION_VF, kHyperbolic, LibmCosh)
    FLUXION_CASE_FIXED(log1p, FLUXION_VF, kLog1p, LibmLog1p)
    case UnaryMath::sqrt:
      return Map1(d, in, out, n, [](V v) HWY_ATTR { return hn::Sqrt(v); });
  }
}
#undef FLUXION_CASE_D
#undef FLUXION_CASE_F
#undef FLUXION_CASE_FIXED

template <class T, Broadcast kB>
void BinaryImpl(BinaryMath op, const T* a, const T* b, T* out, size_t n) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
#define FLUXION_CALL2(NAME, fn) \
  [](V x, V y) HWY_ATTR { return V{NAME(fn)(x.raw, y.raw)}; }
  switch (op) {
    case BinaryMath::add: return Map2<kB>(d, a, b, out, n, [](V x, V y) HWY_ATTR { return hn::Add(x, y); });
    case BinaryMath::sub: return Map2<kB>(d, a, b, out, n, [](V x, V y) HWY_ATTR { return hn::Sub(x, y); });
    case BinaryMath::mul: return Map2<kB>(d, a, b, out, n, [](V x, V y) HWY_ATTR { return hn::Mul(x, y); });
    case BinaryMath::div: return Map2<kB>(d, a, b, out, n, [](V x, V y) HWY_ATTR { return hn::Div(x, y); });
    default: break;
  }
  if constexpr (sizeof(T) == 8) {
    if (op == BinaryMath::pow) return Map2<kB>(d, a, b, out, n, FLUXION_CALL2(FLUXION_VD, pow));
    return Map2<kB>(d, a, b, out, n, FLUXION_CALL2(FLUXION_VD, atan2));
  } else {
    if (op == BinaryMath::pow) return Map2<kB>(d, a, b, out, n, FLUXION_CALL2(FLUXION_VF, pow));
    return Map2<kB>(d, a, b, out, n, FLUXION_CALL2(FLUXION_VF, atan2));
  }
#undef FLUXION_CALL2
}

#else  // !FLUXION_SLEEF_SIMD: plain loops over SLEEF's portable scalar code.

template <class T, class F>
void Map1(const T* in, T* out, size_t n, F f) {
  for (size_t i = 0; i < n; ++i) out[i] = f(in[i]);
}

#define FLUXION_CASE_D(fn) \
  case UnaryMath::fn:      \
    return Map1(in, out, n, FLUXION_VD(fn));
#define FLUXION_CASE_F(fn) \
  case UnaryMath::fn:      \
    return Map1(in, out, n, FLUXION_VF(fn));
#define FLUXION_CASE_FIXED(fn, NAME, limit, libm)                                          \
  case UnaryMath::fn:                                                                      \
    return Map1(in, out, n, [](auto x) {                                                   \
      using T = decltype(x);                                                               \
      return std::fabs(x) > detail::Large<T>::limit ? detail::libm<T>(x) : NAME(fn)(x); \
    });

void UnaryF64(UnaryMath op, const double* in, double* out, size_t n) {
  switch (op) {
    FLUXION_CASE_D(sin) FLUXION_CASE_D(cos) FLUXION_CASE_D(tan) FLUXION_CASE_D(tanh)
    FLUXION_CASE_D(asin) FLUXION_CASE_D(acos) FLUXION_CASE_D(atan) FLUXION_CASE_D(expm1)
    FLUXION_CASE_D(log)
    FLUXION_CASE_FIXED(sinh, FLUXION_VD, kHyperbolic, LibmSinh)
    FLUXION_CASE_FIXED(cosh, FLUXION_VD, kHyperbolic, LibmCosh)
    FLUXION_CASE_FIXED(log1p, FLUXION_VD, kLog1p, LibmLog1p)
    case UnaryMath::exp: return Map1(in, out, n, xla_exp);
    case UnaryMath::sqrt: return Map1(in, out, n, [](double x) { return std::sqrt(x); });
  }
}

void UnaryF32(UnaryMath op, const float* in, float* out, size_t n) {
  switch (op) {
    FLUXION_CASE_F(sin) FLUXION_CASE_F(cos) FLUXION_CASE_F(tan) FLUXION_CASE_F(tanh)
    FLUXION_CASE_F(asin) FLUXION_CASE_F(acos) FLUXION_CASE_F(atan) FLUXION_CASE_F(exp)
    FLUXION_CASE_F(expm1) FLUXION_CASE_F(log)
    FLUXION_CASE_FIXED(sinh, FLUXION_VF, kHyperbolic, LibmSinh)
    FLUXION_CASE_FIXED(cosh, FLUXION_VF, kHyperbolic, LibmCosh)
    FLUXION_CASE_FIXED(log1p, FLUXION_VF, kLog1p, LibmLog1p)
    case UnaryMath::sqrt: return Map1(in, out, n, [](float x) { return std::sqrt(x); });
  }
}
#undef FLUXION_CASE_D
#undef FLUXION_CASE_F
#undef FLUXION_CASE_FIXED

template <class T, Broadcast kB>
void BinaryImpl(BinaryMath op, const T* a, const T* b, T* out, size_t n) {
  auto run = [&](auto f) {
    for (size_t i = 0; i < n; ++i) out[i] = f(kB == Broadcast::lhs ? a[0] : a[i], kB == Broadcast::rhs ? b[0] : b[i]);
  };
  switch (op) {
    case BinaryMath::add: return run([](T x, T y) { return x + y; });
    case BinaryMath::sub: return run([](T x, T y) { return x - y; });
    case BinaryMath::mul: return run([](T x, T y) { return x * y; });
    case BinaryMath::div: return run([](T x, T y) { return x / y; });
    default: break;
  }
  T (*f)(T, T);
  if constexpr (sizeof(T) == 8) f = op == BinaryMath::pow ? FLUXION_VD(pow) : FLUXION_VD(atan2);
  else f = op == BinaryMath::pow ? FLUXION_VF(pow) : FLUXION_VF(atan2);
  for (size_t i = 0; i < n; ++i)
    out[i] = f(kB == Broadcast::lhs ? a[0] : a[i], kB == Broadcast::rhs ? b[0] : b[i]);
}

#endif  // FLUXION_SLEEF_SIMD

// The bare calls of UnaryF64/UnaryF32 above (their FLUXION_CASE_D/F lists):
// the SLEEF entry point each applies per vector (per element in the scalar
// fallback), for compiled code to call on its registers.
#undef FLUXION_LANES
#if FLUXION_SLEEF_SIMD
#define FLUXION_LANES(T) static_cast<int>(hn::Lanes(hn::ScalableTag<T>()))
#else
#define FLUXION_LANES(T) 1
#endif
#undef FLUXION_BARE
#undef FLUXION_BARE_BOTH
#define FLUXION_BARE(NAME, fn) \
  case UnaryMath::fn: return {reinterpret_cast<const void*>(&NAME(fn)), lanes};
#define FLUXION_BARE_BOTH(NAME)                                                                    \
  FLUXION_BARE(NAME, sin) FLUXION_BARE(NAME, cos) FLUXION_BARE(NAME, tan) FLUXION_BARE(NAME, tanh) \
  FLUXION_BARE(NAME, asin) FLUXION_BARE(NAME, acos) FLUXION_BARE(NAME, atan)                       \
  FLUXION_BARE(NAME, expm1) FLUXION_BARE(NAME, log)
VectorFunction UnaryVectorF64(UnaryMath op) {
  const int lanes = FLUXION_LANES(double);
  switch (op) {
    FLUXION_BARE_BOTH(FLUXION_VD)
    default: return {};
  }
}
VectorFunction UnaryVectorF32(UnaryMath op) {
  const int lanes = FLUXION_LANES(float);
  switch (op) {
    FLUXION_BARE_BOTH(FLUXION_VF)
    FLUXION_BARE(FLUXION_VF, exp)
    default: return {};
  }
}

template <class T>
void Binary(BinaryMath op, const T* a, const T* b, T* out, size_t n, Broadcast bc) {
  switch (bc) {
    case Broadcast::none: return BinaryImpl<T, Broadcast::none>(op, a, b, out, n);
    case Broadcast::lhs: return BinaryImpl<T, Broadcast::lhs>(op, a, b, out, n);
    case Broadcast::rhs: return BinaryImpl<T, Broadcast::rhs>(op, a, b, out, n);
  }
}

void BinaryF64(BinaryMath op, const double* a, const double* b, double* out, size_t n,
               Broadcast bc) {
  Binary(op, a, b, out, n, bc);
}
void BinaryF32(BinaryMath op, const float* a, const float* b, float* out, size_t n,
               Broadcast bc) {
  Binary(op, a, b, out, n, bc);
}

}  // namespace HWY_NAMESPACE
}  // namespace fluxion::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace fluxion::kernels {

HWY_EXPORT(UnaryF64);
HWY_EXPORT(UnaryF32);
HWY_EXPORT(BinaryF64);
HWY_EXPORT(BinaryF32);
HWY_EXPORT(UnaryVectorF64);
HWY_EXPORT(UnaryVectorF32);

using detail::Broadcast;

void unary_math(UnaryMath op, const double* in, double* out, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(UnaryF64)(op, in, out, size_t(n));
}
void unary_math(UnaryMath op, const float* in, float* out, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(UnaryF32)(op, in, out, size_t(n));
}

VectorFunction unary_vector_function(UnaryMath op, bool f32) {
  return f32 ? HWY_DYNAMIC_DISPATCH(UnaryVectorF32)(op) : HWY_DYNAMIC_DISPATCH(UnaryVectorF64)(op);
}

// A broadcast operand is passed as a pointer to its single value.
void binary_math(BinaryMath op, const double* a, const double* b, double* out, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(BinaryF64)(op, a, b, out, size_t(n), Broadcast::none);
}
void binary_math(BinaryMath op, const float* a, const float* b, float* out, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(BinaryF32)(op, a, b, out, size_t(n), Broadcast::none);
}
void binary_math_scalar_rhs(BinaryMath op, const double* a, double b, double* out, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(BinaryF64)(op, a, &b, out, size_t(n), Broadcast::rhs);
}
void binary_math_scalar_rhs(BinaryMath op, const float* a, float b, float* out, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(BinaryF32)(op, a, &b, out, size_t(n), Broadcast::rhs);
}
void binary_math_scalar_lhs(BinaryMath op, double a, const double* b, double* out, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(BinaryF64)(op, &a, b, out, size_t(n), Broadcast::lhs);
}
void binary_math_scalar_lhs(BinaryMath op, float a, const float* b, float* out, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(BinaryF32)(op, &a, b, out, size_t(n), Broadcast::lhs);
}

}  // namespace fluxion::kernels
#endif  // HWY_ONCE
