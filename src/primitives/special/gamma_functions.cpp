#include "primitives/special/gamma_functions.hpp"

#include <cmath>
#include <limits>

namespace fluxion::prim::special {
namespace {

constexpr double kPi = 3.141592653589793238462643383279502884;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// B_2k / (2k)!, k = 1..12: the Euler-Maclaurin coefficients.
constexpr double kBernoulliOverFactorial[] = {
    1.0 / 12.0,
    -1.0 / 720.0,
    1.0 / 30240.0,
    -1.0 / 1209600.0,
    1.0 / 47900160.0,
    -691.0 / 1307674368000.0,
    1.0 / 74724249600.0,
    -3617.0 / 10670622842880000.0,
    43867.0 / 5109094217170944000.0,
    -174611.0 / 802857662698291200000.0,
    77683.0 / 14101100039391805440000.0,
    -236364091.0 / 1693824136731743669452800000.0,
};

// More terms of the recurrence than this (a huge negative argument) would
// take unbounded time: such arguments give NaN.
constexpr double kMaxRecurrence = 1e6;

// zeta(s, q) = sum_k (q + k)^-s for an integer s >= 2 and q not a pole: the
// recurrence moves q up to a >= max(s, 12), where the Euler-Maclaurin tail
// a^(1-s)/(s-1) + a^-s/2 + sum_j B_2j/(2j)! s(s+1)...(s+2j-2) a^(-s-2j+1)
// converges quickly.
double hurwitz_zeta(double s, double q) {
  if (q == kInf) return 0.0;
  const double start = s > 12.0 ? s : 12.0;
  if (start - q > kMaxRecurrence) return kNaN;
  // Neumaier's compensated sum: for q < 0 the terms on either side of zero
  // nearly cancel (exactly, at half-integers), leaving the small ones.
  double sum = 0.0, lost = 0.0;
  while (q < start) {
    const double term = std::pow(q, -s);
    if (!std::isfinite(term)) return term;  // q near 0 with a large s: the term dominates
    const double t = sum + term;
    lost += std::abs(sum) >= std::abs(term) ? (sum - t) + term : (term - t) + sum;
    sum = t;
    // Past zero the terms decrease; once one is negligible so is the rest
    // (for a large s, long before q reaches the tail's start).
    if (q > 0.0 && term <= 1e-17 * sum) return sum + lost;
    q += 1.0;
  }
  sum += lost;
  const double a_s = std::pow(q, -s);
  double tail = q * a_s / (s - 1.0) + 0.5 * a_s;
  double rising = s;         // s (s+1) ... (s+2j-2)
  double power = a_s / q;    // a^(-s-2j+1)
  const double inv_q2 = 1.0 / (q * q);
  for (int j = 0; j < 12; ++j) {
    const double term = kBernoulliOverFactorial[j] * rising * power;
    tail += term;
    if (std::abs(term) <= 1e-18 * std::abs(tail)) break;
    rising *= (s + 2.0 * j + 1.0) * (s + 2.0 * j + 2.0);
    power *= inv_q2;
  }
  return sum + tail;
}

}  // namespace

double digamma(double x) {
  if (std::isnan(x)) return x;
  if (x <= 0.0 && x == std::floor(x)) return kNaN;  // poles, and -inf
  if (x == kInf) return kInf;
  double result = 0.0;
  if (x < 0.0) {
    // Reflection: psi(x) = psi(1 - x) - pi cot(pi x). cot has period 1, and
    // x - round(x) is exact, so pi * r loses nothing near the poles.
    const double r = x - std::round(x);
    result = -kPi / std::tan(kPi * r);
    x = 1.0 - x;
  }
  // Recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic
  // series ln x - 1/(2x) - sum_k B_2k / (2k x^2k), through k = 7.
  while (x < 10.0) {
    result -= 1.0 / x;
    x += 1.0;
  }
  const double z = 1.0 / (x * x);
  const double series =
      z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132 - z * (691.0 / 32760 - z / 12))))));
  return result + std::log(x) - 0.5 / x - series;
}

double polygamma(double m, double x) {
  if (std::isnan(m) || std::isnan(x) || m < 0.0 || m != std::floor(m)) return kNaN;
  if (m == 0.0) return digamma(x);
  if (x == -kInf) return kNaN;
  const bool odd = std::fmod(m, 2.0) == 1.0;
  if (x <= 0.0 && x == std::floor(x)) return odd ? kInf : kNaN;
  const double zeta = hurwitz_zeta(m + 1.0, x);
  const double sign = odd ? 1.0 : -1.0;
  // m! is exact through 22! and finite through 170!; beyond, the product
  // of a huge factorial and a tiny zeta is taken in logarithms.
  if (m <= 170.0) return sign * std::tgamma(m + 1.0) * zeta;
  if (zeta == 0.0) return sign * 0.0;
  return sign * std::copysign(std::exp(std::lgamma(m + 1.0) + std::log(std::abs(zeta))), zeta);
}

}  // namespace fluxion::prim::special
