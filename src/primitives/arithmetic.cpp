// Arithmetic primitives: add, sub, mul, div, rem, max, min, pow, atan2, the
// bitwise and/or/xor/not, and the unary neg, abs, sign, floor, ceil, square,
// round, integer_pow. Integer arithmetic wraps around (two's complement) and integer
// division follows XLA: x / 0 is -1 (all ones unsigned), INT_MIN / -1 is
// INT_MIN, x % 0 is x.
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/unary_math.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"

namespace fluxion::prim {
namespace {

enum class Binary { add, sub, mul, div, rem, max, min, pow, atan2, bit_and, bit_or, bit_xor };
enum class Unary { neg, abs, sign, floor, ceil, square, bit_not, round };

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
template <class T> T integer_div(T a, T b) {
  if (b == 0) return T(-1);  // all bits set, as XLA
  if constexpr (std::is_signed_v<T>)
    if (a == std::numeric_limits<T>::min() && b == T(-1)) return a;
  return a / b;
}
template <class T> T integer_rem(T a, T b) {
  if (b == 0) return a;
  if constexpr (std::is_signed_v<T>)
    if (b == T(-1)) return 0;
  return a % b;
}
template <class T> T integer_pow_value(T base, T exponent) {
  if constexpr (std::is_signed_v<T>)
    if (exponent < 0) return base == 1 ? 1 : base == -1 ? ((exponent & 1) ? -1 : 1) : 0;
  T acc = 1;
  while (exponent != 0) {
    if (exponent & 1) acc = wrapping_mul(acc, base);
    exponent = T(exponent >> 1);
    base = wrapping_mul(base, base);
  }
  return acc;
}
template <class T> T max_value(T a, T b) {
  if constexpr (std::is_floating_point_v<T>)
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
  return a > b ? a : b;
}
template <class T> T min_value(T a, T b) {
  if constexpr (std::is_floating_point_v<T>)
    if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<T>::quiet_NaN();
  return a < b ? a : b;
}

template <class T>
void run_binary(Binary op, const Array& a, const Array& b, T* out, int64_t n) {
  const T* x = detail::data_as<T>(a);
  const T* y = detail::data_as<T>(b);
  const int64_t nx = a.size(), ny = b.size();
  auto map = [&](auto f) { map_binary(x, nx, y, ny, out, n, f); };
  if constexpr (std::is_same_v<T, double>) {
    // XLA:CPU lowers float64 pow to a libm call, so glibc's pow (correctly
    // rounded in practice) reproduces JAX's values; logspace relies on it.
    if (op == Binary::pow) return map([](double p, double q) { return std::pow(p, q); });
  }
  if constexpr (std::is_floating_point_v<T>) {
    if (op == Binary::pow || op == Binary::atan2) {
      const auto k = op == Binary::pow ? kernels::BinaryMath::pow : kernels::BinaryMath::atan2;
      if (nx == n && ny == n) kernels::binary_math(k, x, y, out, n);
      else if (ny == 1) kernels::binary_math_scalar_rhs(k, x, y[0], out, n);
      else kernels::binary_math_scalar_lhs(k, x[0], y, out, n);
      return;
    }
  }
  switch (op) {
    case Binary::add: return map([](T p, T q) { return wrapping_add(p, q); });
    case Binary::sub: return map([](T p, T q) { return wrapping_sub(p, q); });
    case Binary::mul: return map([](T p, T q) { return wrapping_mul(p, q); });
    case Binary::max: return map([](T p, T q) { return max_value(p, q); });
    case Binary::min: return map([](T p, T q) { return min_value(p, q); });
    default: break;
  }
  if constexpr (std::is_floating_point_v<T>) {
    switch (op) {
      case Binary::div: return map([](T p, T q) { return p / q; });
      case Binary::rem: return map([](T p, T q) { return std::fmod(p, q); });
      default: return;
    }
  } else {
    switch (op) {
      case Binary::div: return map([](T p, T q) { return integer_div(p, q); });
      case Binary::rem: return map([](T p, T q) { return integer_rem(p, q); });
      case Binary::pow: return map([](T p, T q) { return integer_pow_value(p, q); });
      case Binary::bit_and: return map([](T p, T q) { return T(p & q); });
      case Binary::bit_or: return map([](T p, T q) { return T(p | q); });
      case Binary::bit_xor: return map([](T p, T q) { return T(p ^ q); });
      default: return;
    }
  }
}

std::vector<AbstractValue> binary_aval(const Primitive& p, AvalRefs in, const Params&) {
  static constexpr DTypeSet accepted[] = {
      /*add*/ kNumbers, /*sub*/ kNumbers, /*mul*/ kNumbers, /*div*/ kNumbers, /*rem*/ kNumbers,
      /*max*/ kAllTypes, /*min*/ kAllTypes, /*pow*/ kNumbers, /*atan2*/ kFloats,
      /*and*/ kIntsAndBool, /*or*/ kIntsAndBool, /*xor*/ kIntsAndBool};
  return single(elementwise_aval(p.name, in, accepted[p.tag]));
}

std::vector<Array> binary_impl(const Primitive& p, std::span<const Array> operands,
                               std::span<const AbstractValue> out, const Params&) {
  const std::vector<Array> in = expand_operands(operands, out[0].shape);
  auto result = output(out[0]);
  visit_dtype(out[0].dtype, [&]<class T>() {
    if constexpr (std::is_same_v<T, bool>) {
      // Booleans only reach max/min/and/or/xor, all of which are logical here.
      const bool* x = detail::data_as<bool>(in[0]);
      const bool* y = detail::data_as<bool>(in[1]);
      bool* o = out_data<bool>(result);
      const auto op = static_cast<Binary>(p.tag);
      auto f = [op](bool a, bool b) {
        switch (op) {
          case Binary::max: case Binary::bit_or: return a || b;
          case Binary::min: case Binary::bit_and: return a && b;
          default: return a != b;
        }
      };
      map_binary(x, in[0].size(), y, in[1].size(), o, out[0].size(), f);
    } else {
      run_binary<T>(static_cast<Binary>(p.tag), in[0], in[1], out_data<T>(result), out[0].size());
    }
  });
  return single(Array(std::move(result)));
}

constexpr Primitive binary(std::string_view name, Binary op) {
  return Primitive{.name = name, .tag = static_cast<int>(op), .abstract_eval = binary_aval,
                   .impl = binary_impl};
}

template <class T> T sign_value(T x) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(x) || x == 0) return x;
    return x > 0 ? T(1) : T(-1);
  } else if constexpr (std::is_signed_v<T>) {
    return T((x > 0) - (x < 0));
  } else {
    return T(x != 0);
  }
}
template <class T> T abs_value(T x) {
  if constexpr (std::is_floating_point_v<T>) return std::fabs(x);
  else if constexpr (std::is_signed_v<T>) return x < 0 ? wrapping_sub(T(0), x) : x;
  else return x;
}

std::vector<AbstractValue> unary_aval(const Primitive& p, AvalRefs in, const Params&) {
  static constexpr DTypeSet accepted[] = {/*neg*/ kNumbers, /*abs*/ kNumbers, /*sign*/ kNumbers,
                                          /*floor*/ kFloats, /*ceil*/ kFloats, /*square*/ kNumbers,
                                          /*not*/ kIntsAndBool, /*round*/ kFloats};
  return single(elementwise_aval(p.name, in, accepted[p.tag]));
}

std::vector<Array> unary_impl(const Primitive& p, std::span<const Array> in,
                              std::span<const AbstractValue> out, const Params&) {
  auto result = output(out[0]);
  const int64_t n = out[0].size();
  const auto op = static_cast<Unary>(p.tag);
  visit_dtype(out[0].dtype, [&]<class T>() {
    const T* x = detail::data_as<T>(in[0]);
    T* o = out_data<T>(result);
    if constexpr (std::is_same_v<T, bool>) {
      map_unary(x, o, n, [](bool v) { return !v; });  // only `not` accepts bool
    } else {
      switch (op) {
        case Unary::neg: return map_unary(x, o, n, [](T v) { return wrapping_sub(T(0), v); });
        case Unary::abs: return map_unary(x, o, n, [](T v) { return abs_value(v); });
        case Unary::sign: return map_unary(x, o, n, [](T v) { return sign_value(v); });
        case Unary::square: return map_unary(x, o, n, [](T v) { return wrapping_mul(v, v); });
        default: break;
      }
      if constexpr (std::is_floating_point_v<T>) {
        if (op == Unary::floor) return map_unary(x, o, n, [](T v) { return std::floor(v); });
        if (op == Unary::ceil) return map_unary(x, o, n, [](T v) { return std::ceil(v); });
        // Halves away from zero: lax.round's default rounding_method.
        if (op == Unary::round) return map_unary(x, o, n, [](T v) { return std::round(v); });
      } else {
        if (op == Unary::bit_not) return map_unary(x, o, n, [](T v) { return T(~v); });
      }
    }
  });
  return single(Array(std::move(result)));
}

constexpr Primitive unary(std::string_view name, Unary op) {
  return Primitive{.name = name, .tag = static_cast<int>(op), .abstract_eval = unary_aval,
                   .impl = unary_impl};
}

// integer_pow[y=n]: XLA's multiplication chain (square-and-multiply, then one
// reciprocal for negative n), so x**2 is exactly x*x as in JAX.
std::vector<AbstractValue> integer_pow_aval(const Primitive& p, AvalRefs in, const Params& params) {
  AbstractValue out = elementwise_aval(p.name, in, kNumbers);
  if (params.get<int64_t>("y") < 0 && !is_floating(out.dtype))
    throw TypeError("integer_pow: integers to negative integer powers are not allowed (got " +
                    std::string(dtype_name(out.dtype)) + " base and y=" +
                    std::to_string(params.get<int64_t>("y")) + "); use a floating base");
  return single(std::move(out));
}

template <class T> T integer_pow_chain(T x, int64_t y) {
  const bool reciprocal = y < 0;
  uint64_t e = reciprocal ? uint64_t(0) - uint64_t(y) : uint64_t(y);
  if (e == 0) return T(1);
  bool have = false;
  T acc = T(1);
  while (e > 0) {
    if (e & 1) {
      acc = have ? wrapping_mul(acc, x) : x;
      have = true;
    }
    e >>= 1;
    if (e > 0) x = wrapping_mul(x, x);
  }
  if constexpr (std::is_floating_point_v<T>)
    if (reciprocal) return T(1) / acc;
  return acc;
}

std::vector<Array> integer_pow_impl(const Primitive&, std::span<const Array> in,
                                    std::span<const AbstractValue> out, const Params& params) {
  auto result = output(out[0]);
  const int64_t y = params.get<int64_t>("y");
  visit_dtype(out[0].dtype, [&]<class T>() {
    if constexpr (!std::is_same_v<T, bool>)
      map_unary(detail::data_as<T>(in[0]), out_data<T>(result), out[0].size(),
                [y](T v) { return integer_pow_chain(v, y); });
  });
  return single(Array(std::move(result)));
}

}  // namespace

const Primitive add_p = binary("add", Binary::add);
const Primitive sub_p = binary("sub", Binary::sub);
const Primitive mul_p = binary("mul", Binary::mul);
const Primitive div_p = binary("div", Binary::div);
const Primitive rem_p = binary("rem", Binary::rem);
const Primitive max_p = binary("max", Binary::max);
const Primitive min_p = binary("min", Binary::min);
const Primitive pow_p = binary("pow", Binary::pow);
const Primitive atan2_p = binary("atan2", Binary::atan2);
const Primitive and_p = binary("and", Binary::bit_and);
const Primitive or_p = binary("or", Binary::bit_or);
const Primitive xor_p = binary("xor", Binary::bit_xor);

const Primitive neg_p = unary("neg", Unary::neg);
const Primitive abs_p = unary("abs", Unary::abs);
const Primitive sign_p = unary("sign", Unary::sign);
const Primitive floor_p = unary("floor", Unary::floor);
const Primitive ceil_p = unary("ceil", Unary::ceil);
const Primitive square_p = unary("square", Unary::square);
const Primitive not_p = unary("not", Unary::bit_not);
const Primitive round_p = unary("round", Unary::round);

const Primitive integer_pow_p{.name = "integer_pow", .abstract_eval = integer_pow_aval,
                              .impl = integer_pow_impl};

}  // namespace fluxion::prim
