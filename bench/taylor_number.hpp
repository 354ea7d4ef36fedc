// A Taylor number of fixed order N, written the way operator-overloading
// libraries write theirs (autodiff's Real<N, T>, Sacado's Tay::Taylor): the
// normalised coefficients x_0..x_N of t^0..t^N, and each operation a
// truncated power-series recurrence over the whole array. The contender
// "taylor_number" of bench/jet_bench.cpp: what a C++ user gets from a
// generic Taylor type, compiled per point.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>

namespace bench_taylor {

template <size_t N> struct TaylorNumber {
  std::array<double, N + 1> c{};

  static TaylorNumber variable(double x0) {
    TaylorNumber v;
    v.c[0] = x0;
    if constexpr (N > 0) v.c[1] = 1.0;
    return v;
  }
  friend TaylorNumber operator+(const TaylorNumber& a, const TaylorNumber& b) {
    TaylorNumber r;
    for (size_t k = 0; k <= N; ++k) r.c[k] = a.c[k] + b.c[k];
    return r;
  }
  friend TaylorNumber operator-(const TaylorNumber& a, const TaylorNumber& b) {
    TaylorNumber r;
    for (size_t k = 0; k <= N; ++k) r.c[k] = a.c[k] - b.c[k];
    return r;
  }
  friend TaylorNumber operator-(const TaylorNumber& a) {
    TaylorNumber r;
    for (size_t k = 0; k <= N; ++k) r.c[k] = -a.c[k];
    return r;
  }
  friend TaylorNumber operator+(double s, const TaylorNumber& a) {
    TaylorNumber r = a;
    r.c[0] += s;
    return r;
  }
  friend TaylorNumber operator-(double s, const TaylorNumber& a) {
    TaylorNumber r = -a;
    r.c[0] += s;
    return r;
  }
  // q = a / b: b q = a, so q_k = (a_k - Σ_{j=1..k} b_j q_{k-j}) / b_0.
  friend TaylorNumber operator/(const TaylorNumber& a, const TaylorNumber& b) {
    TaylorNumber q;
    for (size_t k = 0; k <= N; ++k) {
      double s = a.c[k];
      for (size_t j = 1; j <= k; ++j) s -= b.c[j] * q.c[k - j];
      q.c[k] = s / b.c[0];
    }
    return q;
  }
  // v = exp(u): v' = v u', so v_k = (1/k) Σ_{j=1..k} j u_j v_{k-j}.
  friend TaylorNumber exp(const TaylorNumber& u) {
    TaylorNumber v;
    v.c[0] = std::exp(u.c[0]);
    for (size_t k = 1; k <= N; ++k) {
      double s = 0;
      for (size_t j = 1; j <= k; ++j) s += static_cast<double>(j) * u.c[j] * v.c[k - j];
      v.c[k] = s / static_cast<double>(k);
    }
    return v;
  }
};

}  // namespace bench_taylor
