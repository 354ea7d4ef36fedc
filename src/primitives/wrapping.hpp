// Two's-complement integer arithmetic (wraps around as XLA's does) for the
// arithmetic primitives' kernels; for floating types the plain operations.
#pragma once

#include <type_traits>

namespace fluxion::prim {

template <class T> using Unsigned = std::make_unsigned_t<T>;

template <class T> T wrapping_add(T a, T b) {
  if constexpr (std::is_integral_v<T>) return T(Unsigned<T>(a) + Unsigned<T>(b));
  else return a + b;
}
template <class T> T wrapping_sub(T a, T b) {
  if constexpr (std::is_integral_v<T>) return T(Unsigned<T>(a) - Unsigned<T>(b));
  else return a - b;
}
template <class T> T wrapping_mul(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    // Promote so that e.g. uint32 * uint32 does not become a signed int overflow.
    using Wide = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, Unsigned<T>>;
    return T(Wide(a) * Wide(b));
  } else {
    return a * b;
  }
}

}  // namespace fluxion::prim
