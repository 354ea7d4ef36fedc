// Arithmetic primitives: add, sub, mul, div, rem, max, min, pow, atan2, the
// bitwise and/or/xor/not, and the unary neg, abs, sign, floor, ceil, square,
// round, integer_pow. Integer arithmetic wraps around (two's complement) and integer
// division follows XLA: x / 0 is -1 (all ones unsigned), INT_MIN / -1 is
// INT_MIN, x % 0 is x.
#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>

#include "compiler/emitter.hpp"
#include "kernels/integer_pow.hpp"
#include "kernels/unary_math.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

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
    // The SIMD kernels (run-time dispatched to AVX2/AVX-512); a few elements
    // (scalar code, the d = 3 gradients) are cheaper as the loops below.
    using K = kernels::BinaryMath;
    std::optional<K> k;
    const bool wide = n >= 16;
    switch (op) {
      case Binary::pow: k = K::pow; break;
      case Binary::atan2: k = K::atan2; break;
      case Binary::add: if (wide) k = K::add; break;
      case Binary::sub: if (wide) k = K::sub; break;
      case Binary::mul: if (wide) k = K::mul; break;
      case Binary::div: if (wide) k = K::div; break;
      default: break;
    }
    if (k) {
      if (nx == n && ny == n) kernels::binary_math(*k, x, y, out, n);
      else if (ny == 1) kernels::binary_math_scalar_rhs(*k, x, y[0], out, n);
      else kernels::binary_math_scalar_lhs(*k, x[0], y, out, n);
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

// JAX's _balanced_eq: where x attains the max/min z, 1 (or 0.5 on a tie
// with y), else 0; splits the derivative evenly between tied operands.
Array balanced_eq(const Array& x, const Array& z, const Array& y) {
  using namespace lax;
  const Array one = constant_like(z, 1.0), half = constant_like(z, 0.5), zero = constant_like(z, 0.0);
  const Array tie = bind1(prim::eq_p, {y, z});
  const Array hit = bind1(prim::eq_p, {x, z});
  const Shape& shape = z.shape();
  const Array weight = select(lax::broadcast_to(tie, shape), lax::broadcast_to(half, shape), lax::broadcast_to(one, shape));
  return select(lax::broadcast_to(hit, shape), weight, lax::broadcast_to(zero, shape));
}

JvpResult binary_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                     const Params&) {
  using namespace lax;
  const Array& x = primals[0];
  const Array& y = primals[1];
  const Array& tx = tangents[0];
  const Array& ty = tangents[1];
  Array ans = bind1(p, {x, y});
  if ((!tx.valid() && !ty.valid()) || !is_floating(ans.dtype())) return {{ans}, {Array()}};
  const Shape& shape = ans.shape();
  Array dx, dy;  // each input's contribution, zero when its tangent is
  switch (static_cast<Binary>(p.tag)) {
    case Binary::add:
      if (tx.valid() && ty.valid()) return {{ans}, {lax::add(tx, ty)}};
      return {{ans}, {lax::broadcast_to(tx.valid() ? tx : ty, shape)}};
    case Binary::sub:
      if (tx.valid() && ty.valid()) return {{ans}, {sub(tx, ty)}};
      return {{ans}, {lax::broadcast_to(tx.valid() ? tx : neg(ty), shape)}};
    case Binary::mul:
      if (tx.valid()) dx = mul(tx, y);
      if (ty.valid()) dy = mul(x, ty);
      break;
    case Binary::div:
      if (tx.valid()) dx = div(tx, y);
      if (ty.valid())
        dy = mul(mul(neg(ty), x), bind1(prim::integer_pow_p, {y}, {{"y", int64_t{-2}}}));
      break;
    case Binary::rem:
      if (tx.valid()) dx = lax::broadcast_to(tx, shape);
      if (ty.valid()) {
        const Array q = div(x, y);
        dy = mul(neg(ty), mul(bind1(prim::sign_p, {q}), bind1(prim::floor_p, {bind1(prim::abs_p, {q})})));
      }
      break;
    case Binary::max:
    case Binary::min:
      if (tx.valid()) dx = mul(tx, balanced_eq(x, ans, y));
      if (ty.valid()) dy = mul(ty, balanced_eq(y, ans, x));
      break;
    case Binary::pow: {
      const Array zero = constant_like(x, 0.0), one = constant_like(x, 1.0);
      if (tx.valid()) {
        // y * x^(y-1), with 0 where y == 0 (so 0^0 has derivative 0, as JAX).
        const Array jac = mul(y, bind1(prim::pow_p, {x, sub(y, one)}));
        const Array y_zero = lax::broadcast_to(bind1(prim::eq_p, {y, zero}), shape);
        dx = mul(tx, select(y_zero, lax::broadcast_to(zero, shape), lax::broadcast_to(jac, shape)));
      }
      if (ty.valid()) {
        // log(x) * x^y, with log(0) replaced by 0 (0^y is flat in y there).
        const Array x_zero = bind1(prim::eq_p, {x, zero});
        const Array safe_x = select(x_zero, lax::broadcast_to(one, x.shape()), x);
        dy = mul(ty, mul(bind1(prim::log_p, {safe_x}), ans));
      }
      break;
    }
    case Binary::atan2: {
      const auto sq = [](const Array& v) { return mul(v, v); };
      const Array denom = lax::add(sq(x), sq(y));
      if (tx.valid()) dx = mul(tx, div(y, denom));
      if (ty.valid()) dy = mul(ty, div(neg(x), denom));
      break;
    }
    default:
      return {{ans}, {Array()}};  // bitwise ops: integer and boolean only
  }
  Array t = add_tangents(dx.valid() ? lax::broadcast_to(dx, shape) : dx, dy.valid() ? lax::broadcast_to(dy, shape) : dy);
  return {{std::move(ans)}, {std::move(t)}};
}

// add, sub, and mul/div by a known factor are linear.
std::vector<Array> binary_transpose(const Primitive& p, std::span<const Array> cts,
                                    std::span<const TransposeInput> in, const Params&) {
  using namespace lax;
  const Array& ct = cts[0];
  std::vector<Array> out(2);
  switch (static_cast<Binary>(p.tag)) {
    case Binary::add:
      for (int i = 0; i < 2; ++i)
        if (in[i].is_linear()) out[i] = unbroadcast(ct, in[i].aval);
      break;
    case Binary::sub:
      if (in[0].is_linear()) out[0] = unbroadcast(ct, in[0].aval);
      if (in[1].is_linear()) out[1] = unbroadcast(neg(ct), in[1].aval);
      break;
    case Binary::mul:
      if (in[0].is_linear() && in[1].is_linear())
        throw Error("mul: transpose of a product of two linear values (the program is not linear)");
      if (in[0].is_linear()) out[0] = unbroadcast(mul(ct, in[1].known), in[0].aval);
      else out[1] = unbroadcast(mul(in[0].known, ct), in[1].aval);
      break;
    case Binary::div:
      if (in[1].is_linear()) throw Error("div: transpose with respect to the divisor (the program is not linear)");
      out[0] = unbroadcast(div(ct, in[1].known), in[0].aval);
      break;
    default:
      throw Error(std::string(p.name) + " is not linear; it has no transpose rule");
  }
  return out;
}

// The same operations as run_binary, per element. Floating pow (float32)
// and atan2 call eager's SIMD kernels on the block; float64 pow is libm's, as
// eager's.
void binary_lower(const Primitive& p, compiler::Emitter& e) {
  const DType t = e.out_type().dtype;
  const std::string a = e.in(0), b = e.in(1);
  const auto op = static_cast<Binary>(p.tag);
  if (t == DType::bool_) {
    switch (op) {
      case Binary::max: case Binary::bit_or: return e.assign("(" + a + " || " + b + ")");
      case Binary::min: case Binary::bit_and: return e.assign("(" + a + " && " + b + ")");
      default: return e.assign("(" + a + " != " + b + ")");
    }
  }
  if (is_floating(t)) {
    const bool f32 = t == DType::float32;
    switch (op) {
      case Binary::add: return e.assign("(" + a + " + " + b + ")");
      case Binary::sub: return e.assign("(" + a + " - " + b + ")");
      case Binary::mul: return e.assign("(" + a + " * " + b + ")");
      case Binary::div: return e.assign("(" + a + " / " + b + ")");
      case Binary::rem: return e.assign(std::string(f32 ? "__builtin_fmodf(" : "__builtin_fmod(") + a + ", " + b + ")");
      case Binary::max: return e.assign("fx_max(" + a + ", " + b + ")");
      case Binary::min: return e.assign("fx_min(" + a + ", " + b + ")");
      case Binary::pow:
        if (!f32) return e.assign("pow(" + a + ", " + b + ")");  // libm's (see the preamble)
        [[fallthrough]];
      case Binary::atan2: {
        const int k = static_cast<int>(op == Binary::pow ? kernels::BinaryMath::pow : kernels::BinaryMath::atan2);
        const std::string x = e.in_pointer(0), y = e.in_pointer(1);
        return e.kernel("fx_rt->binary(" + std::to_string(k) + ", " + (f32 ? "1" : "0") + ", " + x + ", " + y +
                        ", " + e.out_block() + ", n, " + (e.in_scalar(0) ? "1" : "0") + ", " +
                        (e.in_scalar(1) ? "1" : "0") + ");");
      }
      default: break;
    }
  }
  const std::string ct = compiler::ctype(t);
  switch (op) {
    case Binary::add: return e.assign("fx_add<" + ct + ">(" + a + ", " + b + ")");
    case Binary::sub: return e.assign("fx_sub<" + ct + ">(" + a + ", " + b + ")");
    case Binary::mul: return e.assign("fx_mul<" + ct + ">(" + a + ", " + b + ")");
    case Binary::div: return e.assign("fx_div<" + ct + ">(" + a + ", " + b + ")");
    case Binary::rem: return e.assign("fx_rem<" + ct + ">(" + a + ", " + b + ")");
    case Binary::max: return e.assign("fx_max<" + ct + ">(" + a + ", " + b + ")");
    case Binary::min: return e.assign("fx_min<" + ct + ">(" + a + ", " + b + ")");
    case Binary::bit_and: return e.assign("(" + ct + ")(" + a + " & " + b + ")");
    case Binary::bit_or: return e.assign("(" + ct + ")(" + a + " | " + b + ")");
    case Binary::bit_xor: return e.assign("(" + ct + ")(" + a + " ^ " + b + ")");
    case Binary::pow: return e.assign("fx_ipow<" + ct + ">(" + a + ", " + b + ")");
    default: return;
  }
}

TaylorResult binary_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                        const Params& params) {
  switch (static_cast<Binary>(p.tag)) {
    case Binary::add:
    case Binary::sub: return taylor_linear(p, primals, series, params);
    case Binary::mul: {
      const size_t order = order_of(series);
      const Series a = coefficients(primals[0], series[0], order), b = coefficients(primals[1], series[1], order);
      Series c(order + 1);
      c[0] = lax::mul(primals[0], primals[1]);
      for (size_t k = 1; k <= order; ++k) c[k] = convolve(a, b, k);
      return {{c[0]}, {derivative_terms(c)}};
    }
    default: return taylor_via_jvp(p, primals, series, params);
  }
}

constexpr Primitive binary(std::string_view name, Binary op) {
  const bool linear = op == Binary::add || op == Binary::sub || op == Binary::mul || op == Binary::div;
  return Primitive{.name = name, .tag = static_cast<int>(op), .abstract_eval = binary_aval,
                   .impl = binary_impl, .jvp = binary_jvp, .transpose = linear ? binary_transpose : nullptr,
                   .batch = elementwise_batch, .jet = binary_jet, .lower = binary_lower, .traits = kElementwise};
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

// round's rounding_method, as lax.RoundingMethod numbers it: 0 rounds
// halves away from zero (lax.round's default, what jnp.floor_divide uses),
// 1 to the nearest even (jnp.round's). Absent means 0.
bool rounds_to_even(const Params& params) {
  if (!params.contains("rounding_method")) return false;
  const int64_t method = params.get<int64_t>("rounding_method");
  if (method != 0 && method != 1)
    throw ValueError("round: rounding_method must be 0 (AWAY_FROM_ZERO) or 1 (TO_NEAREST_EVEN), got " +
                     std::to_string(method));
  return method == 1;
}

std::vector<AbstractValue> unary_aval(const Primitive& p, AvalRefs in, const Params& params) {
  static constexpr DTypeSet accepted[] = {/*neg*/ kNumbers, /*abs*/ kNumbers, /*sign*/ kNumbers,
                                          /*floor*/ kFloats, /*ceil*/ kFloats, /*square*/ kNumbers,
                                          /*not*/ kIntsAndBool, /*round*/ kFloats};
  if (static_cast<Unary>(p.tag) == Unary::round) rounds_to_even(params);  // validates
  return single(elementwise_aval(p.name, in, accepted[p.tag]));
}

std::vector<Array> unary_impl(const Primitive& p, std::span<const Array> in,
                              std::span<const AbstractValue> out, const Params& params) {
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
        case Unary::neg:  // -v for floats: 0 - v would turn +0.0 into +0.0, not -0.0
          if constexpr (std::is_floating_point_v<T>) return map_unary(x, o, n, [](T v) { return -v; });
          else return map_unary(x, o, n, [](T v) { return wrapping_sub(T(0), v); });
        case Unary::abs: return map_unary(x, o, n, [](T v) { return abs_value(v); });
        case Unary::sign: return map_unary(x, o, n, [](T v) { return sign_value(v); });
        case Unary::square: return map_unary(x, o, n, [](T v) { return wrapping_mul(v, v); });
        default: break;
      }
      if constexpr (std::is_floating_point_v<T>) {
        if (op == Unary::floor) return map_unary(x, o, n, [](T v) { return std::floor(v); });
        if (op == Unary::ceil) return map_unary(x, o, n, [](T v) { return std::ceil(v); });
        if (op == Unary::round) {
          // nearbyint rounds as the current mode, which the library leaves at
          // its default, to nearest even.
          if (rounds_to_even(params)) return map_unary(x, o, n, [](T v) { return std::nearbyint(v); });
          return map_unary(x, o, n, [](T v) { return std::round(v); });
        }
      } else {
        if (op == Unary::bit_not) return map_unary(x, o, n, [](T v) { return T(~v); });
      }
    }
  });
  return single(Array(std::move(result)));
}

JvpResult unary_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                    const Params&) {
  using namespace lax;
  const Array& x = primals[0];
  const Array& t = tangents[0];
  Array ans = bind1(p, {x});
  if (!t.valid() || !is_floating(ans.dtype())) return {{ans}, {Array()}};
  switch (static_cast<Unary>(p.tag)) {
    case Unary::neg: return {{ans}, {neg(t)}};
    case Unary::abs: {
      const Array nonneg = bind1(prim::ge_p, {x, constant_like(x, 0.0)});
      return {{ans}, {select(nonneg, t, neg(t))}};
    }
    case Unary::square: return {{ans}, {mul(t, mul(constant_like(x, 2.0), x))}};
    default: return {{ans}, {Array()}};  // sign, floor, ceil, round: piecewise constant
  }
}

std::vector<Array> neg_transpose(const Primitive&, std::span<const Array> cts, std::span<const TransposeInput>,
                                 const Params&) {
  return {lax::neg(cts[0])};
}

// The same operations as unary_impl, per element.
void unary_lower(const Primitive& p, compiler::Emitter& e) {
  const DType t = e.out_type().dtype;
  const std::string x = e.in(0), ct = compiler::ctype(t);
  const bool f32 = t == DType::float32;
  const std::string suffix = f32 ? "f(" : "(";
  if (t == DType::bool_) return e.assign("!" + x);
  switch (static_cast<Unary>(p.tag)) {
    case Unary::neg: return e.assign(is_floating(t) ? "(-" + x + ")" : "fx_neg<" + ct + ">(" + x + ")");
    case Unary::abs:
      if (is_floating(t)) return e.assign("__builtin_fabs" + suffix + x + ")");
      if (t == DType::int32 || t == DType::int64) return e.assign("(" + x + " < 0 ? fx_neg<" + ct + ">(" + x + ") : " + x + ")");
      return e.assign(x);
    case Unary::sign: return e.assign("fx_sign<" + ct + ">(" + x + ")");
    // A NaN passes through unchanged, signalling ones included, as eager's
    // std::floor/ceil (GCC's SSE2 expansion returns x for |x| >= 2^52 and
    // NaN); the roundsd of -march=native would quiet a signalling NaN.
    case Unary::floor: return e.assign("(" + x + " != " + x + " ? " + x + " : __builtin_floor" + suffix + x + "))");
    case Unary::ceil: return e.assign("(" + x + " != " + x + " ? " + x + " : __builtin_ceil" + suffix + x + "))");
    case Unary::round:
      return e.assign((rounds_to_even(e.params()) ? "__builtin_nearbyint" : "__builtin_round") + suffix + x + ")");
    case Unary::square: return e.assign(is_floating(t) ? "(" + x + " * " + x + ")" : "fx_mul<" + ct + ">(" + x + ", " + x + ")");
    case Unary::bit_not: return e.assign("(" + ct + ")(~" + x + ")");
  }
}

TaylorResult unary_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                       const Params& params) {
  if (static_cast<Unary>(p.tag) == Unary::neg) return taylor_linear(p, primals, series, params);
  return taylor_via_jvp(p, primals, series, params);
}

constexpr Primitive unary(std::string_view name, Unary op) {
  return Primitive{.name = name, .tag = static_cast<int>(op), .abstract_eval = unary_aval, .impl = unary_impl,
                   .jvp = unary_jvp, .transpose = op == Unary::neg ? neg_transpose : nullptr,
                   .batch = elementwise_batch, .jet = unary_jet, .lower = unary_lower, .traits = kElementwise};
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

std::vector<Array> integer_pow_impl(const Primitive&, std::span<const Array> in,
                                    std::span<const AbstractValue> out, const Params& params) {
  auto result = output(out[0]);
  const int64_t y = params.get<int64_t>("y");
  visit_dtype(out[0].dtype, [&]<class T>() {
    if constexpr (!std::is_same_v<T, bool>) {
      const T* x = detail::data_as<T>(in[0]);
      T* o = out_data<T>(result);
      const int64_t n = out[0].size();
      kernels::integer_pow(x, o, n, y, [](T p, T q) { return wrapping_mul(p, q); });
    }
  });
  return single(Array(std::move(result)));
}

// The exponent is known when compiling: the chain of kernels::integer_pow
// written out, the same multiplications in the same order.
void integer_pow_lower(const Primitive&, compiler::Emitter& e) {
  const DType t = e.out_type().dtype;
  const std::string ct = compiler::ctype(t);
  const int64_t y = e.params().get<int64_t>("y");
  auto mul = [&](const std::string& a, const std::string& b) {
    return is_floating(t) ? "(" + a + " * " + b + ")" : "fx_mul<" + ct + ">(" + a + ", " + b + ")";
  };
  std::string x = e.in(0), acc;
  uint64_t n = y < 0 ? uint64_t(0) - uint64_t(y) : uint64_t(y);
  if (n == 0) return e.assign("((" + ct + ")1)");
  // Powers of x are named once per element: the chain squares repeatedly.
  std::string body = "{ " + ct + " p = " + x + "; ";
  std::string have;
  while (n > 0) {
    if (n & 1) have = have.empty() ? "p" : mul(have, "p");
    n >>= 1;
    if (n > 0) {
      if (!have.empty() && have != "p") {
        const std::string a = e.fresh("a");
        body += ct + " " + a + " = " + have + "; ";
        have = a;
      } else if (have == "p") {
        const std::string a = e.fresh("a");
        body += ct + " " + a + " = p; ";
        have = a;
      }
      body += "p = " + mul("p", "p") + "; ";
    }
  }
  if (is_floating(t) && y < 0) have = "((" + ct + ")1 / " + have + ")";
  body += have + "; })";
  e.assign("(" + body);
}

JvpResult integer_pow_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                          const Params& params) {
  using namespace lax;
  const Array& x = primals[0];
  const int64_t y = params.get<int64_t>("y");
  Array ans = bind1(p, {x}, params);
  if (!tangents[0].valid() || !is_floating(x.dtype())) return {{ans}, {Array()}};
  if (y == 0) return {{ans}, {Array()}};
  // JAX's form: g * (y * x^(y-1)), so x**2 differentiates to `mul 2.0 (x**1)`.
  const Array jac = mul(constant_like(x, static_cast<double>(y)), bind1(p, {x}, {{"y", y - 1}}));
  return {{std::move(ans)}, {mul(tangents[0], jac)}};
}

// add_any: the sum of tangents (or cotangents) from different paths.
std::vector<AbstractValue> add_any_aval(const Primitive& p, AvalRefs in, const Params&) {
  if (in[0]->shape != in[1]->shape || in[0]->dtype != in[1]->dtype)
    throw TypeError("add_any: operands must have one type, got " + to_string(*in[0]) + " and " + to_string(*in[1]));
  return single(elementwise_aval(p.name, in, kNumbers));
}
std::vector<Array> add_any_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                                const Params& params) {
  return binary_impl(add_p, in, out, params);
}
JvpResult add_any_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                      const Params&) {
  return {{bind1(p, {primals[0], primals[1]})}, {lax::add_tangents(tangents[0], tangents[1])}};
}
std::vector<Array> add_any_transpose(const Primitive&, std::span<const Array> cts,
                                     std::span<const TransposeInput> in, const Params&) {
  return {in[0].is_linear() ? cts[0] : Array(), in[1].is_linear() ? cts[0] : Array()};
}


void add_any_lower(const Primitive&, compiler::Emitter& e) { binary_lower(add_p, e); }

}  // namespace

const Primitive add_any_p{.name = "add_any", .abstract_eval = add_any_aval, .impl = add_any_impl,
                          .jvp = add_any_jvp, .transpose = add_any_transpose, .batch = same_shape_batch,
                          .lower = add_any_lower, .traits = kElementwise};

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
                              .impl = integer_pow_impl, .jvp = integer_pow_jvp, .batch = elementwise_batch,
                              .lower = integer_pow_lower, .traits = kElementwise};

}  // namespace fluxion::prim
