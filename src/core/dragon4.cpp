#include "core/dragon4.hpp"

#include <bit>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

namespace fluxion::detail {
namespace {

// ---------------------------------------------------------------------------
// Arbitrary-precision unsigned integer, only as much as Dragon4 needs.

class BigInt {
 public:
  explicit BigInt(uint64_t v = 0, int shift = 0) {
    for (; v; v >>= 32) b_.push_back(static_cast<uint32_t>(v));
    shift_left(shift);
  }
  bool is_zero() const { return b_.empty(); }

  void shift_left(int n) {
    if (b_.empty() || n <= 0) return;
    const size_t words = static_cast<size_t>(n / 32);
    std::vector<uint32_t> r(b_.size() + words + 1, 0);
    for (size_t i = 0; i < b_.size(); ++i) {
      const uint64_t v = static_cast<uint64_t>(b_[i]) << (n % 32);
      r[i + words] |= static_cast<uint32_t>(v);
      r[i + words + 1] |= static_cast<uint32_t>(v >> 32);
    }
    b_ = std::move(r);
    trim();
  }
  void mul(uint32_t m) {
    uint64_t carry = 0;
    for (uint32_t& w : b_) {
      carry += static_cast<uint64_t>(w) * m;
      w = static_cast<uint32_t>(carry);
      carry >>= 32;
    }
    if (carry) b_.push_back(static_cast<uint32_t>(carry));
  }
  void mul_pow10(int n) {
    for (; n >= 9; n -= 9) mul(1000000000u);
    for (; n > 0; --n) mul(10);
  }
  void add(const BigInt& o) {
    b_.resize(std::max(b_.size(), o.b_.size()) + 1, 0);
    uint64_t carry = 0;
    for (size_t i = 0; i < b_.size(); ++i) {
      carry += static_cast<uint64_t>(b_[i]) + (i < o.b_.size() ? o.b_[i] : 0);
      b_[i] = static_cast<uint32_t>(carry);
      carry >>= 32;
    }
    trim();
  }
  void sub(const BigInt& o) {  // requires *this >= o
    uint32_t borrow = 0;
    for (size_t i = 0; i < b_.size(); ++i) {
      const uint64_t rhs = static_cast<uint64_t>(i < o.b_.size() ? o.b_[i] : 0) + borrow;
      borrow = b_[i] < rhs;
      b_[i] = static_cast<uint32_t>(b_[i] - rhs);  // modulo 2^32
    }
    trim();
  }
  friend int compare(const BigInt& a, const BigInt& b) {
    if (a.b_.size() != b.b_.size()) return a.b_.size() < b.b_.size() ? -1 : 1;
    for (size_t i = a.b_.size(); i-- > 0;)
      if (a.b_[i] != b.b_[i]) return a.b_[i] < b.b_[i] ? -1 : 1;
    return 0;
  }
  // Replaces *this by *this mod d and returns the quotient, which Dragon4's
  // scaling keeps below 10.
  uint32_t divmod_digit(const BigInt& d) {
    uint32_t q = 0;
    for (; compare(*this, d) >= 0; ++q) sub(d);
    return q;
  }

 private:
  void trim() {
    while (!b_.empty() && b_.back() == 0) b_.pop_back();
  }
  std::vector<uint32_t> b_;  // little-endian 32-bit blocks, no leading zeros
};

// ---------------------------------------------------------------------------
// Dragon4 (Steele & White / Burger & Dybvig as written by Ryan Juckett and
// extended by NumPy).




}  // namespace

template <class T> Decomposed decompose(T x) {
  using Bits = std::conditional_t<std::is_same_v<T, float>, uint32_t, uint64_t>;
  constexpr int kMantBits = std::is_same_v<T, float> ? 23 : 52;
  constexpr int kBias = std::is_same_v<T, float> ? 127 : 1023;
  constexpr Bits kExpMask = std::is_same_v<T, float> ? 0xff : 0x7ff;
  const Bits bits = std::bit_cast<Bits>(x);
  const uint64_t frac = bits & ((Bits{1} << kMantBits) - 1);
  const Bits e = (bits >> kMantBits) & kExpMask;
  Decomposed d;
  d.negative = (bits >> (sizeof(Bits) * 8 - 1)) != 0;
  if (e == kExpMask) {
    (frac == 0 ? d.inf : d.nan) = true;
  } else if (e != 0) {
    d.mantissa = (uint64_t{1} << kMantBits) | frac;
    d.exponent = static_cast<int>(e) - kBias - kMantBits;
    d.mantissa_bit = kMantBits;
    // The gap below a power of two is half the gap above it.
    d.unequal_margins = e != 1 && frac == 0;
  } else {
    d.mantissa = frac;
    d.exponent = 1 - kBias - kMantBits;
    d.mantissa_bit = frac ? std::bit_width(frac) - 1 : 0;
  }
  return d;
}

struct Digits {
  std::string digits;  // significant digits, first one at 10^exponent
  int exponent = 0;
};

// NumPy's Dragon4() in its shortest-unique digit mode (the only one array
// printing uses): cutoff_max / cutoff_min count total digits (fractional
// false) or digits after the point (fractional true); -1 means none.
Digits dragon4(const Decomposed& v, bool fractional, int cutoff_max, int cutoff_min) {
  constexpr int kBufferSize = 16384;  // NumPy's scratch buffer bounds the digits
  if (v.mantissa == 0) return {"0", 0};
  const bool is_even = (v.mantissa & 1) == 0;
  const int ex = v.exponent;
  // value = scaled_value / scale; margins are half the gaps to the neighbours.
  BigInt scaled_value(v.mantissa), scale, margin_low;
  const int extra = v.unequal_margins ? 2 : 1;
  if (ex > 0) {
    scaled_value.shift_left(ex + extra);
    scale = BigInt(1, extra);
    margin_low = BigInt(1, ex);
  } else {
    scaled_value.shift_left(extra);
    scale = BigInt(1, -ex + extra);
    margin_low = BigInt(1);
  }
  auto margin_high = [&] {
    BigInt h = margin_low;
    if (v.unequal_margins) h.shift_left(1);
    return h;
  };

  const double log10_2 = 0.30102999566398119521373889472449;
  int digit_exp = static_cast<int>(std::ceil(static_cast<double>(v.mantissa_bit + ex) * log10_2 - 0.69));
  if (cutoff_max >= 0 && fractional && digit_exp <= -cutoff_max) digit_exp = -cutoff_max + 1;
  if (digit_exp > 0) {
    scale.mul_pow10(digit_exp);
  } else if (digit_exp < 0) {
    scaled_value.mul_pow10(-digit_exp);
    margin_low.mul_pow10(-digit_exp);
  }
  if (compare(scaled_value, scale) >= 0) {
    ++digit_exp;  // the estimate was one too low
  } else {
    scaled_value.mul(10);
    margin_low.mul(10);
  }

  int cutoff_max_exp = digit_exp - kBufferSize;
  if (cutoff_max >= 0) cutoff_max_exp = std::max(cutoff_max_exp, fractional ? -cutoff_max : digit_exp - cutoff_max);
  int cutoff_min_exp = digit_exp;
  if (cutoff_min >= 0) cutoff_min_exp = std::min(cutoff_min_exp, fractional ? -cutoff_min : digit_exp - cutoff_min);

  Digits out;
  out.exponent = digit_exp - 1;
  bool low = false, high = false;
  uint32_t digit = 0;
  for (;;) {
    --digit_exp;
    digit = scaled_value.divmod_digit(scale);
    // Stop once the digits identify the value (margins are inclusive when an
    // even mantissa would win the round-to-even tie) or at the cutoff.
    BigInt value_high = scaled_value;
    value_high.add(margin_high());
    const int cl = compare(scaled_value, margin_low), ch = compare(value_high, scale);
    low = is_even ? cl <= 0 : cl < 0;
    high = is_even ? ch >= 0 : ch > 0;
    if (((low || high) && digit_exp <= cutoff_min_exp) || digit_exp == cutoff_max_exp) break;
    out.digits.push_back(static_cast<char>('0' + digit));
    scaled_value.mul(10);
    margin_low.mul(10);
  }

  bool round_down = low;
  if (low == high) {  // either rounding is unique, or the cutoff was hit: nearest, ties to even
    scaled_value.shift_left(1);
    const int c = compare(scaled_value, scale);
    round_down = c < 0 || (c == 0 && (digit & 1) == 0);
  }
  if (round_down) {
    out.digits.push_back(static_cast<char>('0' + digit));
  } else if (digit < 9) {
    out.digits.push_back(static_cast<char>('0' + digit + 1));
  } else {  // carry: NumPy drops the trailing nines rather than zeroing them
    while (!out.digits.empty() && out.digits.back() == '9') out.digits.pop_back();
    if (out.digits.empty()) {  // 9.99 -> 10: digit 1 at the next power
      out.digits = "0";
      ++out.exponent;
    }
    ++out.digits.back();
  }
  return out;
}




template Decomposed decompose<float>(float);
template Decomposed decompose<double>(double);

// NumPy's FormatPositional for a finite value.
std::string format_positional(const Decomposed& v, const FloatSpec& f) {
  std::string buf = v.negative ? "-" : "";
  const int has_sign = v.negative ? 1 : 0;
  const Digits d = dragon4(v, f.fractional, f.precision, f.min_digits);
  const int num_digits = static_cast<int>(d.digits.size());
  int whole = 0, frac = 0;
  if (d.exponent >= 0) {
    whole = d.exponent + 1;
    if (num_digits <= whole) {
      buf += d.digits + repeat(whole - num_digits, '0');
    } else {
      frac = num_digits - whole;
      buf += d.digits.substr(0, static_cast<size_t>(whole)) + "." + d.digits.substr(static_cast<size_t>(whole));
    }
  } else {
    const int zeros = -(d.exponent + 1);
    buf += "0." + repeat(zeros, '0') + d.digits;
    frac = num_digits + zeros;
    whole = 1;
  }
  if (f.trim != Trim::dpt_zeros && frac == 0) buf += '.';

  // Trailing zeros: one for '0' trimming, up to min_digits for 'k'.
  const int desired = f.trim == Trim::leave_one_zero ? 1
                      : f.trim != Trim::none          ? 0
                      : f.fractional                  ? std::max(f.min_digits, 0)
                                                      : f.min_digits - whole;
  if (desired > frac) {
    buf += repeat(desired - frac, '0');
    frac = desired;
  }
  if (f.trim != Trim::none && frac > 0) {  // rounding can still leave trailing zeros
    while (buf.back() == '0') {
      buf.pop_back();
      --frac;
    }
    if (buf.back() == '.') {
      if (f.trim == Trim::leave_one_zero) {
        buf += '0';
        ++frac;
      } else if (f.trim == Trim::dpt_zeros) {
        buf.pop_back();
      }
    }
  }
  if (f.pad_right >= frac) {
    if (f.trim == Trim::dpt_zeros && frac == 0) buf += ' ';
    buf += repeat(f.pad_right - frac);
  }
  if (f.pad_left > whole + has_sign) buf = repeat(f.pad_left - (whole + has_sign)) + buf;
  return buf;
}

// NumPy's FormatScientific for a finite value.
std::string format_scientific(const Decomposed& v, const FloatSpec& f) {
  const int has_sign = v.negative ? 1 : 0;
  std::string buf = repeat(f.pad_left - (1 + has_sign));
  if (v.negative) buf += '-';
  const Digits d = dragon4(v, false, f.precision < 0 ? -1 : f.precision + 1, f.min_digits < 0 ? -1 : f.min_digits + 1);
  buf += d.digits[0];
  int frac = static_cast<int>(d.digits.size()) - 1;
  if (frac > 0) buf += "." + d.digits.substr(1);
  if (f.trim != Trim::dpt_zeros && frac == 0) buf += '.';

  const int desired = f.trim == Trim::leave_one_zero ? 1 : f.trim == Trim::none ? std::max(f.min_digits, 0) : 0;
  if (desired > frac) {
    buf += repeat(desired - frac, '0');
    frac = desired;
  }
  if (f.trim != Trim::none && frac > 0) {
    while (buf.back() == '0') buf.pop_back();
    if (f.trim == Trim::leave_one_zero && buf.back() == '.') buf += '0';
  }

  const std::string e = std::to_string(std::abs(d.exponent));
  const int exp_digits = f.exp_digits < 0 ? 2 : std::min(f.exp_digits, 5);
  buf += d.exponent >= 0 ? "e+" : "e-";
  return buf + repeat(exp_digits - static_cast<int64_t>(e.size()), '0') + e;
}

}  // namespace fluxion::detail
