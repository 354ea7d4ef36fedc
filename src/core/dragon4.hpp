// NumPy's Dragon4 float-to-decimal conversion (numpy/core/src/multiarray/
// dragon4.c), ported digit for digit: the printing code needs its exact
// "shortest unique digits, capped and padded" behaviour.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

namespace fluxion::detail {

// NumPy's TrimMode: 'k', '.', '0', '-'.
enum class Trim { none, zeros, leave_one_zero, dpt_zeros };

// value = mantissa * 2^exponent, mantissa's top set bit at mantissa_bit.
struct Decomposed {
  uint64_t mantissa = 0;
  int exponent = 0, mantissa_bit = 0;
  bool unequal_margins = false, negative = false, nan = false, inf = false;
};

// Arguments of np.format_float_positional / np.format_float_scientific with
// unique=True (-1 = None). fractional, pad_right: positional only;
// exp_digits: scientific only.
struct FloatSpec {
  bool fractional = false;  // precision counts digits after the point
  int precision = -1, min_digits = -1;
  Trim trim = Trim::none;
  int pad_left = -1, pad_right = -1, exp_digits = -1;
};

// n copies of c; none when n <= 0 (Python's ' ' * n).
inline std::string repeat(int64_t n, char c = ' ') { return std::string(static_cast<size_t>(std::max<int64_t>(n, 0)), c); }

// Splits a finite or special float into Dragon4's representation.
template <class T> Decomposed decompose(T x);
extern template Decomposed decompose<float>(float);
extern template Decomposed decompose<double>(double);

// np.format_float_positional / np.format_float_scientific (unique=True) of a finite value.
std::string format_positional(const Decomposed& v, const FloatSpec& f);
std::string format_scientific(const Decomposed& v, const FloatSpec& f);

}  // namespace fluxion::detail
