// erf_inv exactly as JAX computes it on CPU: StableHLO's decomposition of
// chlo.erf_inv (stablehlo/transforms/ChloLegalizeToStablehlo.cpp, erfInv64
// and erfInv32: M. Giles' polynomial approximations in w = -log1p(-x^2)),
// with XLA:CPU's log1p (xla/codegen/intrinsic/log1p.cc: a Cephes rational
// form for |x| < sqrt(2) - 1, log(1 + x) otherwise).
//
// XLA:CPU contracts every `a*b + c` whose product has no other use into a
// fused multiply-add (as for exp, see xla_exp.hpp); the Horner steps and the
// `-0.5*x^2 + t` step of log1p are therefore fused here, on every CPU, and
// everything else is rounded step by step. `log` in the large branch is the
// C library's (XLA:CPU calls libm's log for float64 and logf for float32).
// float32 is computed in float32 throughout (JAX upcasts only narrower types).
// docs/NUMERICS.md records how this compares with SLEEF's log1p.
//
// erf_inv(+-1) = +-inf, |x| > 1 and NaN give NaN.
#pragma once

#include <cstdint>

namespace fluxion::kernels {

void erf_inv(const double* in, double* out, int64_t n);
void erf_inv(const float* in, float* out, int64_t n);

// Scalar references; the SIMD kernels are tested bit for bit against them.
double erf_inv_scalar(double x);
float erf_inv_scalar(float x);
double xla_log1p(double x);
float xla_log1p(float x);

}  // namespace fluxion::kernels
