// Scalar kernels of digamma and polygamma (and the Hurwitz zeta function the
// latter needs), in double precision; float32 callers round the result once.
// Poles follow JAX (XLA's chlo lowerings): digamma is NaN at 0 and the
// negative integers; polygamma(m, x) is NaN unless m is a non-negative
// integer, and at a pole +inf for odd m (zeta(m + 1, q) -> +inf from both
// sides) and NaN for even m (the two sides disagree).
#pragma once

namespace fluxion::prim::special {

double digamma(double x);
// psi^(m)(x) = (-1)^(m+1) m! zeta(m + 1, x) for m >= 1; digamma for m = 0.
double polygamma(double m, double x);

}  // namespace fluxion::prim::special
