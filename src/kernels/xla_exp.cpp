// Scalar reference for XLA:CPU's float64 exp; see xla_exp.hpp for the
// algorithm. The SIMD version in unary_math.cpp must stay step-for-step equal.
#include "kernels/xla_exp.hpp"

#include <cmath>
#include <limits>

namespace fluxion::kernels {

double xla_exp(double x) {
  using namespace xla_exp_constants;
  // XLA clamps with llvm.minimum/maximum, which propagate NaN; x + x returns
  // the same quiet NaN the SIMD path produces.
  if (std::isnan(x)) return x + x;
  if (x < kLo) return 0.0;
  if (x > kHi) return std::numeric_limits<double>::infinity();

  // std::fma spells out each contraction XLA's backend performs (and only
  // those), so the compiler's own -ffp-contract setting cannot change results.
  const double n = std::floor(std::fma(x, kLog2e, 0.5));
  double g = std::fma(-n, kC1, x);
  g = std::fma(-n, kC2, g);
  const double z = g * g;
  const double p = std::fma(std::fma(kP0, z, kP1), z, kP2) * g;
  const double q = std::fma(std::fma(std::fma(kQ0, z, kQ1), z, kQ2), z, kQ3);
  // p has two uses, so XLA rounds it before Q - P; a contracting compiler
  // cannot fuse it either, for the same reason.
  const double r = std::fma(p / (q - p), 2.0, 1.0);
  // n is in [-1022, 1024] here. XLA scales in several exact power-of-two
  // steps and rounds once at the end; ldexp rounds once too.
  return std::ldexp(r, static_cast<int>(n));
}

}  // namespace fluxion::kernels
