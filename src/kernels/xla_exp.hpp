// float64 exp exactly as XLA:CPU computes it (xla/codegen/intrinsic/exp.cc),
// so that programs whose printed digits hinge on the last ulp of exp (see
// docs/NUMERICS.md) print JAX's numbers. libm and SLEEF are both more accurate
// in places and therefore *different*; do not "improve" this.
//
// Algorithm (Cephes exp, as XLA emits it):
//   x < kLo -> 0, x > kHi -> +inf, NaN -> NaN;
//   n = floor(x * log2(e) + 0.5)
//   g = (x - n*kC1) - n*kC2                      (Cody-Waite: kC1 has few bits)
//   P = ((kP0*g^2 + kP1)*g^2 + kP2) * g
//   Q = ((kQ0*g^2 + kQ1)*g^2 + kQ2)*g^2 + kQ3
//   exp(x) = ldexp(1 + 2*P/(Q - P), n)
// XLA's CPU backend compiles with FMA contraction on, so on FMA hardware every
// `a*b + c` whose product has no other use becomes one fused operation. That
// covers x*log2(e)+0.5, both reduction steps and the Horner steps, but not
// Q - P (P is also the dividend, so LLVM keeps it rounded). Our scalar and
// vector versions fuse exactly those steps, on every CPU, so results do not
// depend on the machine.
#pragma once

namespace fluxion::kernels {

namespace xla_exp_constants {
// Shared by the scalar definition and the SIMD one in unary_math.cpp.
inline constexpr double kHi = 709.782712893384;     // ~ log(DBL_MAX)
inline constexpr double kLo = -708.3964185322641;   // ~ log(DBL_MIN)
inline constexpr double kLog2e = 1.4426950408889634073599;
inline constexpr double kC1 = 0.693145751953125;
inline constexpr double kC2 = 1.42860682030941723212e-6;
inline constexpr double kP0 = 1.26177193074810590878e-4;
inline constexpr double kP1 = 3.02994407707441961300e-2;
inline constexpr double kP2 = 9.99999999999999999910e-1;
inline constexpr double kQ0 = 3.00198505138664455042e-6;
inline constexpr double kQ1 = 2.52448340349684104192e-3;
inline constexpr double kQ2 = 2.27265548208155028766e-1;
inline constexpr double kQ3 = 2.00000000000000000009e0;
}  // namespace xla_exp_constants

// Bit-identical to unary_math(UnaryMath::exp, ...) for float64 on every target.
double xla_exp(double x);

}  // namespace fluxion::kernels
