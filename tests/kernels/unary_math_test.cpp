// Accuracy and plumbing tests for the SIMD math kernels.
//
// Accuracy is measured against the long double (x87, 64-bit mantissa) libm,
// whose own error is about 2^-11 ulp of a double. Every test runs once per
// Highway target this CPU supports (AVX-512, AVX2, scalar fallback), so the
// fallback and the AVX2 body are exercised on an AVX-512 machine too.
#include "kernels/unary_math.hpp"
#include "kernels/xla_exp.hpp"

#include <gtest/gtest.h>

// As in unary_math.cpp: also avoids Highway 1.0.3's "#error Logic error" when
// built with -march=native on a CPU whose baseline includes AVX3_DL.
#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS (HWY_SSSE3 | HWY_SSE4 | HWY_AVX3_DL)
#endif
#include <hwy/targets.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

// SLEEF's per-element entry points, for comparing against dispatched results.
// sleef.h declares the FMA ones only when compiled with -mavx2.
extern "C" {
double Sleef_sind1_u10purec(double);
double Sleef_sind1_u10purecfma(double);
double Sleef_logd1_u10purec(double);
double Sleef_logd1_u10purecfma(double);
double Sleef_tanhd1_u10purec(double);
double Sleef_tanhd1_u10purecfma(double);
double Sleef_powd1_u10purec(double, double);
double Sleef_powd1_u10purecfma(double, double);
float Sleef_sinf1_u10purec(float);
float Sleef_sinf1_u10purecfma(float);
float Sleef_expf1_u10purec(float);
float Sleef_expf1_u10purecfma(float);
}

namespace fluxion::kernels {
namespace {

using LD = long double;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------- targets

// The targets unary_math.cpp compiles (this file sees the same HWY_TARGETS,
// being built with the same flags and disabled set) that this CPU can run.
std::vector<int64_t> TargetsToTest() {
  std::vector<int64_t> out;
  for (int64_t t : {int64_t{HWY_AVX3}, int64_t{HWY_AVX2}})
    if ((HWY_TARGETS & t) && (hwy::SupportedTargets() & t)) out.push_back(t);
  if (HWY_TARGETS & HWY_BASELINE_SCALAR) out.push_back(HWY_BASELINE_SCALAR);
  return out;
}

bool IsFmaTarget(int64_t t) { return t == HWY_AVX3 || t == HWY_AVX2; }

// Forces HWY_DYNAMIC_DISPATCH to pick `target` for the guard's lifetime.
class ForceTarget {
 public:
  explicit ForceTarget(int64_t target) { hwy::SetSupportedTargetsForTest(target); }
  ~ForceTarget() { hwy::SetSupportedTargetsForTest(0); }
  ForceTarget(const ForceTarget&) = delete;
  ForceTarget& operator=(const ForceTarget&) = delete;
};

template <class Body>
void ForEachTarget(Body body) {
  for (int64_t t : TargetsToTest()) {
    SCOPED_TRACE(hwy::TargetName(t));
    ForceTarget force(t);
    body(t);
  }
}

// ---------------------------------------------------------------- helpers

template <class T>
bool SameBits(T a, T b) {
  using U = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
  return std::bit_cast<U>(a) == std::bit_cast<U>(b);
}

// |got - ref| in units of the last place of ref rounded to T (subnormal ulp
// below the normal range). Specials must match exactly: NaN for NaN, and
// when ref rounds to 0 or inf, the same signed value.
template <class T>
double UlpError(T got, LD ref) {
  if (std::isnan(ref)) return std::isnan(got) ? 0.0 : kInf;
  if (std::isnan(got)) return kInf;
  const T rounded = static_cast<T>(ref);
  if (std::isinf(got) || (got == 0 && rounded == 0)) return SameBits(got, rounded) ? 0.0 : kInf;
  int e = 0;
  std::frexp(ref, &e);
  const int exp = std::max(e, std::numeric_limits<T>::min_exponent);
  const LD ulp = std::ldexp(LD{1}, exp - std::numeric_limits<T>::digits);
  return static_cast<double>(std::fabs(static_cast<LD>(got) - ref) / ulp);
}

std::mt19937_64& Rng() {
  static std::mt19937_64 rng(20240611);
  return rng;
}
double Uniform(double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(Rng());
}
// Magnitude 2^u with u uniform in [e_lo, e_hi] and a random sign.
double LogUniform(double e_lo, double e_hi, bool allow_negative) {
  const double m = std::exp2(Uniform(e_lo, e_hi));
  return allow_negative && (Rng()() & 1) ? -m : m;
}

// ---------------------------------------------------------------- unary table

struct UnaryCase {
  UnaryMath op;
  const char* name;
  LD (*ref)(LD);
  // Random inputs for each dtype; a sampler returns a value inside the
  // function's domain and representable in that dtype's range.
  std::function<double()> sample64, sample32;
  double bound64, bound32;  // max ulp error asserted
};

LD RefSin(LD x) { return std::sin(x); }
LD RefCos(LD x) { return std::cos(x); }
LD RefTan(LD x) { return std::tan(x); }
LD RefTanh(LD x) { return std::tanh(x); }
LD RefSinh(LD x) { return std::sinh(x); }
LD RefCosh(LD x) { return std::cosh(x); }
LD RefAsin(LD x) { return std::asin(x); }
LD RefAcos(LD x) { return std::acos(x); }
LD RefAtan(LD x) { return std::atan(x); }
LD RefExp(LD x) { return std::exp(x); }
LD RefExpm1(LD x) { return std::expm1(x); }
LD RefLog(LD x) { return std::log(x); }
LD RefLog1p(LD x) { return std::log1p(x); }
LD RefSqrt(LD x) { return std::sqrt(x); }

// Mixes uniform draws over [lo, hi] with log-uniform magnitudes inside it,
// so both the bulk and tiny arguments are covered.
std::function<double()> Mixed(double lo, double hi, double e_lo = -60) {
  return [=] {
    for (;;) {
      const double x = (Rng()() & 1) ? Uniform(lo, hi)
                                     : LogUniform(e_lo, std::log2(std::max(-lo, hi)), lo < 0);
      if (x >= lo && x <= hi) return x;
    }
  };
}

// log1p's interesting range is (-1, 1); also cover tiny and huge arguments.
std::function<double()> Log1pInputs(double hi) {
  return [=] {
    switch (Rng()() % 3) {
      case 0: return Uniform(-1, 1);
      case 1: return LogUniform(-60, -1, true);
      default: return LogUniform(0, std::log2(hi), false);
    }
  };
}

// float64 exp is XLA's: 0 below its clamp, however representable the result.
LD RefXlaExp(LD x) { return x < xla_exp_constants::kLo ? LD{0} : std::exp(x); }

// Asserted error bounds, in ulps. SLEEF documents 1.0 for its u10 functions;
// the measured worst case reaches 1.0 exactly (tanh of tiny x returns x plus
// one ulp), so the bound leaves room for the reference's own last bits.
// XLA's exp is Cephes' rational form, measured up to ~1.7 ulp.
constexpr double kSleef = 1.01;
constexpr double kXlaExp = 2.0;
constexpr double kSqrt = 0.5001;  // correctly rounded

const std::vector<UnaryCase>& UnaryCases() {
  constexpr double kMax64 = 1023.9, kMax32 = 127.9;
  static const std::vector<UnaryCase> cases = {
      {UnaryMath::sin, "sin", RefSin, Mixed(-1e5, 1e5), Mixed(-1e4, 1e4), kSleef, kSleef},
      {UnaryMath::cos, "cos", RefCos, Mixed(-1e5, 1e5), Mixed(-1e4, 1e4), kSleef, kSleef},
      {UnaryMath::tan, "tan", RefTan, Mixed(-1e5, 1e5), Mixed(-1e4, 1e4), kSleef, kSleef},
      {UnaryMath::tanh, "tanh", RefTanh, Mixed(-25, 25), Mixed(-12, 12), kSleef, kSleef},
      {UnaryMath::sinh, "sinh", RefSinh, Mixed(-710, 710), Mixed(-89, 89), kSleef, kSleef},
      {UnaryMath::cosh, "cosh", RefCosh, Mixed(-710, 710), Mixed(-89, 89), kSleef, kSleef},
      {UnaryMath::asin, "asin", RefAsin, Mixed(-1, 1), Mixed(-1, 1), kSleef, kSleef},
      {UnaryMath::acos, "acos", RefAcos, Mixed(-1, 1), Mixed(-1, 1), kSleef, kSleef},
      {UnaryMath::atan, "atan", RefAtan, Mixed(-1e20, 1e20), Mixed(-1e20, 1e20), kSleef, kSleef},
      {UnaryMath::exp, "exp", RefExp, Mixed(xla_exp_constants::kLo, xla_exp_constants::kHi),
       Mixed(-103, 88.7), kXlaExp, kSleef},
      {UnaryMath::expm1, "expm1", RefExpm1, Mixed(-40, 709), Mixed(-20, 88), kSleef, kSleef},
      {UnaryMath::log, "log", RefLog, Mixed(0, 1e300, -1074), Mixed(0, 3e38, -149), kSleef, kSleef},
      {UnaryMath::log1p, "log1p", RefLog1p, Log1pInputs(1e300), Log1pInputs(3e38), kSleef, kSleef},
      {UnaryMath::sqrt, "sqrt", RefSqrt, Mixed(0, std::exp2(kMax64), -1074),
       Mixed(0, std::exp2(kMax32), -149), kSqrt, kSqrt},
  };
  return cases;
}

// Arguments where libm's conventions (C99 Annex F) decide the answer.
template <class T>
std::vector<T> EdgeInputs() {
  using L = std::numeric_limits<T>;
  return {T(kNaN), L::infinity(), -L::infinity(), T(0), T(-0.0), T(1), T(-1), T(2), T(-2),
          T(0.5), T(-0.5), T(1e-5), L::denorm_min(), -L::denorm_min(), L::min(), -L::min(),
          L::max(), -L::max(), T(1e22), T(-1e22), T(88.8), T(-104), T(710), T(-746), T(3e38),
          std::nextafter(T(1), T(2)), std::nextafter(T(-1), T(-2))};
}

template <class T>
std::vector<T> Apply(UnaryMath op, const std::vector<T>& in) {
  std::vector<T> out(in.size());
  unary_math(op, in.data(), out.data(), static_cast<int64_t>(in.size()));
  return out;
}

template <class T>
void CheckUnaryAccuracy(const UnaryCase& c, int64_t target) {
  constexpr bool k64 = sizeof(T) == 8;
  const double bound = k64 ? c.bound64 : c.bound32;
  auto ref = [&](T x) { return k64 && c.op == UnaryMath::exp ? RefXlaExp(x) : c.ref(x); };

  std::vector<T> in(20000);
  for (T& x : in) x = static_cast<T>(k64 ? c.sample64() : c.sample32());
  const std::vector<T> out = Apply(c.op, in);
  double worst = 0;
  T worst_x = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const double err = UlpError(out[i], ref(in[i]));
    if (err > worst) worst = err, worst_x = in[i];
  }
  EXPECT_LE(worst, bound) << c.name << " at x = " << worst_x;
  std::printf("  %-6s %s %-8s max error %.4f ulp (x = %.17g)\n", c.name, k64 ? "f64" : "f32",
              hwy::TargetName(target), worst, static_cast<double>(worst_x));

  const std::vector<T> edges = EdgeInputs<T>();
  const std::vector<T> edge_out = Apply(c.op, edges);
  for (size_t i = 0; i < edges.size(); ++i)
    EXPECT_LE(UlpError(edge_out[i], ref(edges[i])), bound)
        << c.name << "(" << edges[i] << ") = " << edge_out[i];
}

TEST(UnaryMath, AccuracyFloat64) {
  ForEachTarget([](int64_t t) {
    for (const auto& c : UnaryCases()) CheckUnaryAccuracy<double>(c, t);
  });
}

TEST(UnaryMath, AccuracyFloat32) {
  ForEachTarget([](int64_t t) {
    for (const auto& c : UnaryCases()) CheckUnaryAccuracy<float>(c, t);
  });
}

TEST(UnaryMath, DomainErrorsAndSpecials) {
  ForEachTarget([](int64_t) {
    auto one = [](UnaryMath op, double x) { return Apply(op, std::vector<double>{x})[0]; };
    auto onef = [](UnaryMath op, float x) { return Apply(op, std::vector<float>{x})[0]; };
    EXPECT_TRUE(std::isnan(one(UnaryMath::log, -1)));
    EXPECT_TRUE(std::isnan(one(UnaryMath::asin, 2)));
    EXPECT_TRUE(std::isnan(one(UnaryMath::acos, -2)));
    EXPECT_TRUE(std::isnan(one(UnaryMath::sqrt, -1)));
    EXPECT_TRUE(std::isnan(one(UnaryMath::log1p, -2)));
    EXPECT_TRUE(std::isnan(one(UnaryMath::sin, kInf)));
    EXPECT_EQ(one(UnaryMath::log, 0), -kInf);
    EXPECT_EQ(one(UnaryMath::log1p, -1), -kInf);
    EXPECT_EQ(one(UnaryMath::exp, 1000), kInf);
    EXPECT_EQ(one(UnaryMath::exp, -kInf), 0.0);
    EXPECT_EQ(one(UnaryMath::expm1, -kInf), -1.0);
    EXPECT_EQ(one(UnaryMath::cosh, -1000), kInf);
    EXPECT_EQ(one(UnaryMath::tanh, -kInf), -1.0);
    EXPECT_TRUE(SameBits(one(UnaryMath::sin, -0.0), -0.0));
    EXPECT_TRUE(SameBits(one(UnaryMath::sqrt, -0.0), -0.0));
    EXPECT_TRUE(std::isnan(onef(UnaryMath::log, -1.0f)));
    EXPECT_TRUE(std::isnan(onef(UnaryMath::asin, 2.0f)));
    EXPECT_EQ(onef(UnaryMath::exp, 100.0f), std::numeric_limits<float>::infinity());
    EXPECT_TRUE(SameBits(onef(UnaryMath::tanh, -0.0f), -0.0f));
  });
}

// ---------------------------------------------------------------- tails, aliasing

const int64_t kLengths[] = {0, 1, 3, 7, 8, 9, 15, 16, 17, 1000};

// Results must not depend on an element's position (vector body or padded
// tail), nothing past n may be written, and out == in must work.
template <class T>
void CheckTailsAndAliasing(const UnaryCase& c) {
  constexpr bool k64 = sizeof(T) == 8;
  std::vector<T> full_in(1000);
  for (T& x : full_in) x = static_cast<T>(k64 ? c.sample64() : c.sample32());
  const std::vector<T> full_out = Apply(c.op, full_in);
  const T canary = static_cast<T>(-12345.5);
  for (int64_t n : kLengths) {
    SCOPED_TRACE(std::string(c.name) + " n=" + std::to_string(n));
    // Exact-size heap buffers let AddressSanitizer catch any over-read.
    const std::vector<T> in(full_in.begin(), full_in.begin() + n);
    std::vector<T> out(static_cast<size_t>(n) + 16, canary);
    unary_math(c.op, in.data(), out.data(), n);
    for (int64_t i = 0; i < n; ++i) ASSERT_TRUE(SameBits(out[i], full_out[i])) << "i=" << i;
    for (size_t i = n; i < out.size(); ++i) ASSERT_TRUE(SameBits(out[i], canary)) << "wrote past n";
    std::vector<T> inplace = in;
    unary_math(c.op, inplace.data(), inplace.data(), n);
    for (int64_t i = 0; i < n; ++i) ASSERT_TRUE(SameBits(inplace[i], full_out[i])) << "in place";
  }
}

TEST(UnaryMath, TailsAndInPlace) {
  ForEachTarget([](int64_t) {
    for (const auto& c : UnaryCases()) {
      CheckTailsAndAliasing<double>(c);
      CheckTailsAndAliasing<float>(c);
    }
  });
}

// ---------------------------------------------------------------- binary ops

struct BinaryCase {
  BinaryMath op;
  const char* name;
  LD (*ref)(LD, LD);
};
LD RefPow(LD a, LD b) { return std::pow(a, b); }
LD RefAtan2(LD a, LD b) { return std::atan2(a, b); }
const BinaryCase kBinaryCases[] = {{BinaryMath::pow, "pow", RefPow},
                                   {BinaryMath::atan2, "atan2", RefAtan2}};

template <class T>
void SampleBinary(BinaryMath op, std::vector<T>& a, std::vector<T>& b) {
  const double max_e = sizeof(T) == 8 ? 1000 : 120;
  for (size_t i = 0; i < a.size(); ++i) {
    if (op == BinaryMath::pow) {
      // Positive bases over many magnitudes; negative bases with integral exponents.
      const double base = LogUniform(-30, 30, false);
      double e = Uniform(-max_e, max_e) / std::max(1.0, std::fabs(std::log2(base)));
      const bool negative = (Rng()() % 4) == 0;
      if (negative) e = std::round(e);
      a[i] = static_cast<T>(negative ? -base : base);
      b[i] = static_cast<T>(e);
    } else {
      a[i] = static_cast<T>(Mixed(-1e3, 1e3)());
      b[i] = static_cast<T>(Mixed(-1e3, 1e3)());
    }
  }
}

template <class T>
void CheckBinary(const BinaryCase& c, int64_t target) {
  std::vector<T> a(20000), b(20000), out(20000);
  SampleBinary(c.op, a, b);
  binary_math(c.op, a.data(), b.data(), out.data(), static_cast<int64_t>(a.size()));
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, UlpError(out[i], c.ref(a[i], b[i])));
  EXPECT_LE(worst, kSleef) << c.name;
  std::printf("  %-6s %s %-8s max error %.3f ulp\n", c.name, sizeof(T) == 8 ? "f64" : "f32",
              hwy::TargetName(target), worst);

  // Every pair of special operands against C99's rules.
  const std::vector<T> edges = {T(kNaN), T(kInf), T(-kInf), T(0), T(-0.0), T(1), T(-1), T(0.5),
                                T(-0.5), T(2), T(-2), T(3), T(-3), T(2.5), T(-2.5)};
  std::vector<T> ea, eb;
  for (T x : edges)
    for (T y : edges) ea.push_back(x), eb.push_back(y);
  std::vector<T> eo(ea.size());
  binary_math(c.op, ea.data(), eb.data(), eo.data(), static_cast<int64_t>(ea.size()));
  for (size_t i = 0; i < ea.size(); ++i)
    EXPECT_LE(UlpError(eo[i], c.ref(ea[i], eb[i])), kSleef)
        << c.name << "(" << ea[i] << ", " << eb[i] << ") = " << eo[i];
}

template <class T>
void CheckBinaryPlumbing(const BinaryCase& c) {
  std::vector<T> a(1000), b(1000);
  SampleBinary(c.op, a, b);
  std::vector<T> full(1000);
  binary_math(c.op, a.data(), b.data(), full.data(), 1000);
  const T s = b[3];
  const std::vector<T> s_vec(1000, s);
  std::vector<T> full_rhs(1000), full_lhs(1000);
  binary_math(c.op, a.data(), s_vec.data(), full_rhs.data(), 1000);
  binary_math(c.op, s_vec.data(), a.data(), full_lhs.data(), 1000);
  for (int64_t n : kLengths) {
    SCOPED_TRACE(std::string(c.name) + " n=" + std::to_string(n));
    const std::vector<T> an(a.begin(), a.begin() + n), bn(b.begin(), b.begin() + n);
    std::vector<T> out(n), rhs(n), lhs(n);
    binary_math(c.op, an.data(), bn.data(), out.data(), n);
    binary_math_scalar_rhs(c.op, an.data(), s, rhs.data(), n);
    binary_math_scalar_lhs(c.op, s, an.data(), lhs.data(), n);
    std::vector<T> in_a = an, in_b = bn, in_rhs = an, in_lhs = an;
    binary_math(c.op, in_a.data(), bn.data(), in_a.data(), n);
    binary_math(c.op, an.data(), in_b.data(), in_b.data(), n);
    binary_math_scalar_rhs(c.op, in_rhs.data(), s, in_rhs.data(), n);
    binary_math_scalar_lhs(c.op, s, in_lhs.data(), in_lhs.data(), n);
    for (int64_t i = 0; i < n; ++i) {
      ASSERT_TRUE(SameBits(out[i], full[i])) << i;
      ASSERT_TRUE(SameBits(rhs[i], full_rhs[i])) << i;
      ASSERT_TRUE(SameBits(lhs[i], full_lhs[i])) << i;
      ASSERT_TRUE(SameBits(in_a[i], full[i]) && SameBits(in_b[i], full[i])) << i;
      ASSERT_TRUE(SameBits(in_rhs[i], full_rhs[i]) && SameBits(in_lhs[i], full_lhs[i])) << i;
    }
  }
}

TEST(BinaryMath, AccuracyAndSpecials) {
  ForEachTarget([](int64_t t) {
    for (const auto& c : kBinaryCases) {
      CheckBinary<double>(c, t);
      CheckBinary<float>(c, t);
    }
  });
}

TEST(BinaryMath, TailsBroadcastAndInPlace) {
  ForEachTarget([](int64_t) {
    for (const auto& c : kBinaryCases) {
      CheckBinaryPlumbing<double>(c);
      CheckBinaryPlumbing<float>(c);
    }
  });
}

// The IEEE operations: bit for bit the C++ operator on every target (the
// only rounding is the operation's own), NaN, infinities, signed zeros and
// subnormals included; and the same tail/broadcast/in-place plumbing.
template <class T> void CheckArithmetic() {
  const std::vector<T> specials = {T(kNaN), T(kInf), T(-kInf), T(0), T(-0.0), T(1), T(-1),
                                   std::numeric_limits<T>::denorm_min(), std::numeric_limits<T>::max(),
                                   std::numeric_limits<T>::min(), T(3), T(-0.1)};
  std::vector<T> a, b;
  for (T x : specials)
    for (T y : specials) a.push_back(x), b.push_back(y);
  for (int i = 0; i < 5000; ++i) {
    a.push_back(static_cast<T>(Mixed(-1e3, 1e3)()));
    b.push_back(static_cast<T>(Mixed(-1e3, 1e3)()));
  }
  const std::pair<BinaryMath, T (*)(T, T)> ops[] = {
      {BinaryMath::add, [](T x, T y) { return x + y; }}, {BinaryMath::sub, [](T x, T y) { return x - y; }},
      {BinaryMath::mul, [](T x, T y) { return x * y; }}, {BinaryMath::div, [](T x, T y) { return x / y; }}};
  for (const auto& [op, ref] : ops) {
    std::vector<T> out(a.size());
    binary_math(op, a.data(), b.data(), out.data(), static_cast<int64_t>(a.size()));
    for (size_t i = 0; i < a.size(); ++i) {
      const T want = ref(a[i], b[i]);
      ASSERT_TRUE(std::isnan(want) ? std::isnan(out[i]) : SameBits(out[i], want))
          << static_cast<int>(op) << " " << a[i] << " " << b[i] << " -> " << out[i];
    }
  }
}

TEST(BinaryArithmetic, ExactOnEveryTarget) {
  ForEachTarget([](int64_t) {
    CheckArithmetic<double>();
    CheckArithmetic<float>();
    for (BinaryMath op : {BinaryMath::add, BinaryMath::sub, BinaryMath::mul, BinaryMath::div}) {
      const BinaryCase c{op, "arithmetic", nullptr};
      CheckBinaryPlumbing<double>(c);
      CheckBinaryPlumbing<float>(c);
    }
  });
}

// ---------------------------------------------------------------- dispatch

// The SIMD bodies call SLEEF's vector code directly; its results must be
// those of SLEEF's own per-element function for the same arithmetic (FMA on
// AVX2/AVX-512, none in the fallback), i.e. no lane or register mix-ups.
TEST(UnaryMath, MatchesPerElementSleef) {
  std::vector<double> x(4099), pos(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = Uniform(-50, 50);
    pos[i] = std::fabs(x[i]) + 1e-3;
  }
  std::vector<float> xf(x.begin(), x.end());
  ForEachTarget([&](int64_t t) {
    const bool fma = IsFmaTarget(t);
    auto check = [&](UnaryMath op, const auto& in, auto fma_f, auto plain_f) {
      const auto got = Apply(op, in);
      for (size_t i = 0; i < in.size(); ++i)
        ASSERT_TRUE(SameBits(got[i], (fma ? fma_f : plain_f)(in[i]))) << in[i];
    };
    check(UnaryMath::sin, x, Sleef_sind1_u10purecfma, Sleef_sind1_u10purec);
    check(UnaryMath::tanh, x, Sleef_tanhd1_u10purecfma, Sleef_tanhd1_u10purec);
    check(UnaryMath::log, pos, Sleef_logd1_u10purecfma, Sleef_logd1_u10purec);
    check(UnaryMath::sin, xf, Sleef_sinf1_u10purecfma, Sleef_sinf1_u10purec);
    check(UnaryMath::exp, xf, Sleef_expf1_u10purecfma, Sleef_expf1_u10purec);
    std::vector<double> out(x.size());
    binary_math_scalar_rhs(BinaryMath::pow, pos.data(), 1.7, out.data(),
                           static_cast<int64_t>(x.size()));
    for (size_t i = 0; i < x.size(); ++i)
      ASSERT_TRUE(SameBits(out[i], fma ? Sleef_powd1_u10purecfma(pos[i], 1.7)
                                       : Sleef_powd1_u10purec(pos[i], 1.7)));
  });
}

// ---------------------------------------------------------------- xla_exp

TEST(XlaExp, KnownValues) {
  EXPECT_EQ(xla_exp(1.0), 2.7182818284590455);  // libm gives ...451
  EXPECT_EQ(xla_exp(0.0), 1.0);
  EXPECT_EQ(xla_exp(-0.0), 1.0);
  EXPECT_EQ(xla_exp(kInf), kInf);
  EXPECT_EQ(xla_exp(-kInf), 0.0);
  EXPECT_TRUE(std::isnan(xla_exp(kNaN)));
  // XLA flushes everything below its clamp to 0, unlike libm.
  EXPECT_EQ(xla_exp(std::nextafter(xla_exp_constants::kLo, -kInf)), 0.0);
  EXPECT_GT(std::exp(std::nextafter(xla_exp_constants::kLo, -kInf)), 0.0);
  EXPECT_EQ(xla_exp(std::nextafter(xla_exp_constants::kHi, kInf)), kInf);
}

// Inputs that stress each step: the clamps, the rounding of n, the whole
// ldexp range, specials, and a million ordinary arguments.
std::vector<double> XlaExpProbeInputs() {
  using namespace xla_exp_constants;
  std::vector<double> v = {0.0, -0.0, kInf, -kInf, kNaN, -kNaN, 1e300, -1e300, 1e-300, -1e-300,
                           4.9e-324, -4.9e-324, 2.2250738585072014e-308, 709.0, -708.0, 1.0};
  // 32 neighbours on each side of `center`.
  auto around = [&](double center) {
    double x = center;
    for (int k = 0; k < 32; ++k) x = std::nextafter(x, -kInf);
    for (int k = 0; k < 65; ++k, x = std::nextafter(x, kInf)) v.push_back(x);
  };
  for (double edge : {kLo, kHi, -745.1332191019412, 0.0}) around(edge);
  // x = (n - 1/2) ln 2 puts x*log2(e) + 1/2 next to the integer n, where n flips.
  for (int n = -1022; n <= 1025; ++n) around((n - 0.5) * 0.6931471805599453);
  for (int i = 0; i < 1000000; ++i) v.push_back(Uniform(kLo - 5, kHi + 5));
  for (int i = 0; i < 100000; ++i) v.push_back(LogUniform(-1074, 9.5, true));
  return v;
}

TEST(XlaExp, VectorMatchesScalarBitForBit) {
  const std::vector<double> in = XlaExpProbeInputs();
  ForEachTarget([&](int64_t) {
    const std::vector<double> out = Apply(UnaryMath::exp, in);
    for (size_t i = 0; i < in.size(); ++i) {
      const double want = xla_exp(in[i]);
      ASSERT_TRUE(SameBits(out[i], want) || (std::isnan(out[i]) && std::isnan(want)))
          << std::hexfloat << "x = " << in[i] << " vector " << out[i] << " scalar " << want;
    }
  });
}

TEST(XlaExp, Accuracy) {
  const std::vector<double> in = XlaExpProbeInputs();
  double worst = 0;
  for (double x : in) worst = std::max(worst, UlpError(xla_exp(x), RefXlaExp(x)));
  std::printf("  xla_exp max error %.3f ulp\n", worst);
  EXPECT_LE(worst, kXlaExp);
}

}  // namespace
}  // namespace fluxion::kernels
