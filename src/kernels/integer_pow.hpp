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

}  // namespace fluxion::kernels
