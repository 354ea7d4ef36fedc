// erf_inv and XLA's log1p, SIMD with run-time dispatch (see erf_inv.hpp).
#include "kernels/erf_inv.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS (HWY_SSSE3 | HWY_SSE4 | HWY_AVX3_DL)
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/erf_inv.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#ifndef FLUXION_KERNELS_ERF_INV_ONCE
#define FLUXION_KERNELS_ERF_INV_ONCE
namespace fluxion::kernels::erf_inv_constants {

// log1p's small-argument branch: x + (-0.5*x^2 + x^3 * N(x)/D(x)) for
// |x| < sqrt(2) - 1; coefficients highest power first, as XLA evaluates them.
inline constexpr double kLog1pThreshold = 0.41421356237309504880;
inline constexpr double kLog1pDen[7] = {
    1.,
    1.5062909083469192043167E1,
    8.3047565967967209469434E1,
    2.2176239823732856465394E2,
    3.0909872225312059774938E2,
    2.1642788614495947685003E2,
    6.0118660497603843919306E1,
};
inline constexpr double kLog1pNum[7] = {
    4.5270000862445199635215E-5, 4.9854102823193375972212E-1, 6.5787325942061044846969E0,
    2.9911919328553073277375E1,  6.0949667980987787057556E1,  5.7112963590585538103336E1,
    2.0039553499201281259648E1,
};

// erfInv64: w < 6.25 (23 terms), 6.25 <= w < 16 (19), w >= 16 (17).
inline constexpr double kW625[23] = {
    -3.6444120640178196996e-21, -1.685059138182016589e-19,  1.2858480715256400167e-18,
    1.115787767802518096e-17,   -1.333171662854620906e-16,  2.0972767875968561637e-17,
    6.6376381343583238325e-15,  -4.0545662729752068639e-14, -8.1519341976054721522e-14,
    2.6335093153082322977e-12,  -1.2975133253453532498e-11, -5.4154120542946279317e-11,
    1.051212273321532285e-09,   -4.1126339803469836976e-09, -2.9070369957882005086e-08,
    4.2347877827932403518e-07,  -1.3654692000834678645e-06, -1.3882523362786468719e-05,
    0.0001867342080340571352,   -0.00074070253416626697512, -0.0060336708714301490533,
    0.24015818242558961693,     1.6536545626831027356};
inline constexpr double kW16[19] = {
    2.2137376921775787049e-09,  9.0756561938885390979e-08,  -2.7517406297064545428e-07,
    1.8239629214389227755e-08,  1.5027403968909827627e-06,  -4.013867526981545969e-06,
    2.9234449089955446044e-06,  1.2475304481671778723e-05,  -4.7318229009055733981e-05,
    6.8284851459573175448e-05,  2.4031110387097893999e-05,  -0.0003550375203628474796,
    0.00095328937973738049703,  -0.0016882755560235047313,  0.0024914420961078508066,
    -0.0037512085075692412107,  0.005370914553590063617,    1.0052589676941592334,
    3.0838856104922207635};
inline constexpr double kWInf[17] = {
    -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
    -3.7894654401267369937e-09, 7.6157012080783393804e-09,  -1.4960026627149240478e-08,
    2.9147953450901080826e-08,  -6.7711997758452339498e-08, 2.2900482228026654717e-07,
    -9.9298272942317002539e-07, 4.5260625972231537039e-06,  -1.9681778105531670567e-05,
    7.5995277030017761139e-05,  -0.00021503011930044477347, -0.00013871931833623122026,
    1.0103004648645343977,      4.8499064014085844221};

// erfInv32: w < 5 and w >= 5, 9 terms each.
inline constexpr float kW5[9] = {2.81022636e-08f,  3.43273939e-07f, -3.5233877e-06f,
                                 -4.39150654e-06f, 0.00021858087f,  -0.00125372503f,
                                 -0.00417768164f,  0.246640727f,    1.50140941f};
inline constexpr float kWInf32[9] = {-0.000200214257f, 0.000100950558f, 0.00134934322f,
                                     -0.00367342844f,  0.00573950773f,  -0.0076224613f,
                                     0.00943887047f,   1.00167406f,     2.83297682f};

}  // namespace fluxion::kernels::erf_inv_constants
#endif  // FLUXION_KERNELS_ERF_INV_ONCE

HWY_BEFORE_NAMESPACE();
namespace fluxion::kernels {
namespace HWY_NAMESPACE {

// Only targets with hardware FMA get vector code: a vector MulAdd without it
// would round twice and break bit-compatibility. Others run the scalar
// reference (std::fma, exact everywhere).
#if (HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX2) && HWY_NATIVE_FMA
namespace hn = hwy::HWY_NAMESPACE;
using namespace erf_inv_constants;

// XLA's log1p; lanes outside the rational branch (|x| >= sqrt(2) - 1, NaN)
// call the C library's log on fl(1 + x), one lane at a time, as XLA does.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Log1p(D d, V x) {
  using T = hn::TFromD<D>;
  const T threshold = T(kLog1pThreshold);
  const V x2 = hn::Mul(x, x);
  V den = hn::Set(d, T(kLog1pDen[0])), num = hn::Set(d, T(kLog1pNum[0]));
  for (int i = 1; i < 7; ++i) {
    den = hn::MulAdd(den, x, hn::Set(d, T(kLog1pDen[i])));
    num = hn::MulAdd(num, x, hn::Set(d, T(kLog1pNum[i])));
  }
  const V t = hn::Mul(hn::Mul(x, x2), hn::Div(num, den));
  V r = hn::Add(x, hn::MulAdd(hn::Set(d, T(-0.5)), x2, t));
  if (HWY_UNLIKELY(!hn::AllTrue(d, hn::Lt(hn::Abs(x), hn::Set(d, threshold))))) {
    HWY_ALIGN T xs[hn::MaxLanes(d)];
    HWY_ALIGN T rs[hn::MaxLanes(d)];
    hn::Store(x, d, xs);
    hn::Store(r, d, rs);
    for (size_t i = 0; i < hn::Lanes(d); ++i)
      if (!(std::fabs(xs[i]) < threshold)) rs[i] = std::log(xs[i] + T(1));
    r = hn::Load(d, rs);
  }
  return r;
}

// erfInv64: the coefficient of step i is chosen per lane by w's range.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V ErfInv(D d, V x, double) {
  const V w0 = hn::Neg(Log1p(d, hn::Mul(x, hn::Neg(x))));
  const auto lt625 = hn::Lt(w0, hn::Set(d, 6.25));
  const auto lt16 = hn::Lt(w0, hn::Set(d, 16.0));
  const V shifted = hn::Sub(hn::Sqrt(w0), hn::IfThenElse(lt16, hn::Set(d, 3.25), hn::Set(d, 5.0)));
  const V w = hn::IfThenElse(lt625, hn::Sub(w0, hn::Set(d, 3.125)), shifted);
  auto coefficient = [&](int i) HWY_ATTR {
    V c = hn::Set(d, kW625[i]);
    if (i < 19) c = hn::IfThenElse(lt625, c, hn::Set(d, kW16[i]));
    if (i < 17) c = hn::IfThenElse(lt16, c, hn::Set(d, kWInf[i]));
    return c;
  };
  V p = coefficient(0);
  for (int i = 1; i < 17; ++i) p = hn::MulAdd(p, w, coefficient(i));
  for (int i = 17; i < 19; ++i) p = hn::IfThenElse(lt16, hn::MulAdd(p, w, coefficient(i)), p);
  for (int i = 19; i < 23; ++i) p = hn::IfThenElse(lt625, hn::MulAdd(p, w, coefficient(i)), p);
  const V result = hn::Mul(p, x);
  const auto unit = hn::Eq(hn::Abs(x), hn::Set(d, 1.0));
  return hn::IfThenElse(unit, hn::Mul(x, hn::Set(d, std::numeric_limits<double>::infinity())), result);
}

// erfInv32, in float32.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V ErfInv(D d, V x, float) {
  const V w0 = hn::Neg(Log1p(d, hn::Mul(x, hn::Neg(x))));
  const auto lt5 = hn::Lt(w0, hn::Set(d, 5.0f));
  const V w = hn::IfThenElse(lt5, hn::Sub(w0, hn::Set(d, 2.5f)), hn::Sub(hn::Sqrt(w0), hn::Set(d, 3.0f)));
  V p = hn::IfThenElse(lt5, hn::Set(d, kW5[0]), hn::Set(d, kWInf32[0]));
  for (int i = 1; i < 9; ++i) p = hn::MulAdd(p, w, hn::IfThenElse(lt5, hn::Set(d, kW5[i]), hn::Set(d, kWInf32[i])));
  const V result = hn::Mul(p, x);
  const auto unit = hn::Eq(hn::Abs(x), hn::Set(d, 1.0f));
  return hn::IfThenElse(unit, hn::Mul(x, hn::Set(d, std::numeric_limits<float>::infinity())), result);
}

template <class T>
void ErfInvImpl(const T* in, T* out, size_t n) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  size_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(ErfInv(d, hn::LoadU(d, in + i), T()), d, out + i);
  if (i == n) return;
  HWY_ALIGN T buf[hn::MaxLanes(d)] = {};
  std::copy(in + i, in + n, buf);
  hn::Store(ErfInv(d, hn::Load(d, buf), T()), d, buf);
  std::copy(buf, buf + (n - i), out + i);
}

#else  // no hardware FMA: the scalar reference, element by element

template <class T>
void ErfInvImpl(const T* in, T* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = erf_inv_scalar(in[i]);
}

#endif

void ErfInvF64(const double* in, double* out, size_t n) { ErfInvImpl(in, out, n); }
void ErfInvF32(const float* in, float* out, size_t n) { ErfInvImpl(in, out, n); }

}  // namespace HWY_NAMESPACE
}  // namespace fluxion::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace fluxion::kernels {

HWY_EXPORT(ErfInvF64);
HWY_EXPORT(ErfInvF32);

void erf_inv(const double* in, double* out, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(ErfInvF64)(in, out, static_cast<size_t>(n));
}
void erf_inv(const float* in, float* out, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(ErfInvF32)(in, out, static_cast<size_t>(n));
}

namespace {
using namespace erf_inv_constants;

// std::fma spells out exactly the contractions XLA performs, whatever the
// compiler's -ffp-contract setting.
template <class T> T log1p_impl(T x) {
  if (!(std::fabs(x) < T(kLog1pThreshold))) return std::log(x + T(1));
  const T x2 = x * x;
  T den = T(kLog1pDen[0]), num = T(kLog1pNum[0]);
  for (int i = 1; i < 7; ++i) {
    den = std::fma(den, x, T(kLog1pDen[i]));
    num = std::fma(num, x, T(kLog1pNum[i]));
  }
  const T t = (x * x2) * (num / den);
  return x + std::fma(T(-0.5), x2, t);
}
}  // namespace

double xla_log1p(double x) { return log1p_impl(x); }
float xla_log1p(float x) { return log1p_impl(x); }

double erf_inv_scalar(double x) {
  const double w0 = -xla_log1p(x * -x);
  const bool lt625 = w0 < 6.25, lt16 = w0 < 16.0;
  const double w = lt625 ? w0 - 3.125 : std::sqrt(w0) - (lt16 ? 3.25 : 5.0);
  const double* c = lt625 ? kW625 : lt16 ? kW16 : kWInf;
  const int terms = lt625 ? 23 : lt16 ? 19 : 17;
  double p = c[0];
  for (int i = 1; i < terms; ++i) p = std::fma(p, w, c[i]);
  if (std::fabs(x) == 1.0) return x * std::numeric_limits<double>::infinity();
  return p * x;
}

float erf_inv_scalar(float x) {
  const float w0 = -xla_log1p(x * -x);
  const bool lt5 = w0 < 5.0f;
  const float w = lt5 ? w0 - 2.5f : std::sqrt(w0) - 3.0f;
  const float* c = lt5 ? kW5 : kWInf32;
  float p = c[0];
  for (int i = 1; i < 9; ++i) p = std::fma(p, w, c[i]);
  if (std::fabs(x) == 1.0f) return x * std::numeric_limits<float>::infinity();
  return p * x;
}

}  // namespace fluxion::kernels
#endif  // HWY_ONCE
