// integer_pow's per-element algorithm, shared by the primitive's kernel and
// the fused elementwise evaluator so both give the same bits: XLA's
// square-and-multiply chain, then one reciprocal for a negative exponent
// (x**3 is x * (x * x), x**-2 is 1 / (x * x)).
#pragma once

#include <cstdint>
#include <type_traits>

namespace fluxion::kernels {

// `mul` multiplies two T (wrapping for integers).
template <class T, class Mul> T integer_pow_chain(T x, int64_t y, Mul mul) {
  const bool reciprocal = y < 0;
  uint64_t e = reciprocal ? uint64_t(0) - uint64_t(y) : uint64_t(y);
  if (e == 0) return T(1);
  bool have = false;
  T acc = T(1);
  while (e > 0) {
    if (e & 1) {
      acc = have ? mul(acc, x) : x;
      have = true;
    }
    e >>= 1;
    if (e > 0) x = mul(x, x);
  }
  if constexpr (std::is_floating_point_v<T>)
    if (reciprocal) return T(1) / acc;
  return acc;
}

// out[i] = x[i]**y for n elements: the common small powers as straight-line
// loops the compiler vectorises (the chain's multiplications, in its order),
// the rest by the chain. y = -1 and -2 are what derivatives of 1/x emit.
template <class T, class Mul> void integer_pow(const T* x, T* out, int64_t n, int64_t y, Mul mul) {
  auto each = [&](auto f) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(x[i]);
  };
  switch (y) {
    case 1: return each([](T v) { return v; });
    case 2: return each([&](T v) { return mul(v, v); });
    case 3: return each([&](T v) { return mul(v, mul(v, v)); });
    case 4: return each([&](T v) { const T s = mul(v, v); return mul(s, s); });
    default: break;
  }
  if constexpr (std::is_floating_point_v<T>) {
    if (y == -1) return each([](T v) { return T(1) / v; });
    if (y == -2) return each([&](T v) { return T(1) / mul(v, v); });
  }
  each([&](T v) { return integer_pow_chain(v, y, mul); });
}

}  // namespace fluxion::kernels
