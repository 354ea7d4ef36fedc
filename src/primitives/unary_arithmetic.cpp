// Unary arithmetic primitives: neg, abs, sign, floor, ceil, square, round,
// the bitwise not, and integer_pow. Integer arithmetic wraps around (two's
// complement), as in arithmetic.cpp.
#include <cmath>
#include <type_traits>

#include "compiler/emitter.hpp"
#include "kernels/integer_pow.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"
#include "primitives/wrapping.hpp"

namespace fluxion::prim {
namespace {

enum class Unary { neg, abs, sign, floor, ceil, square, bit_not, round };

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

// neg is linear; abs flips the terms where the JVP does (x < 0); sign,
// floor, ceil, round and not are piecewise constant; square is the product.
TaylorResult unary_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                       const Params& params) {
  using namespace lax;
  const Array& x = primals[0];
  switch (static_cast<Unary>(p.tag)) {
    case Unary::neg: return taylor_linear(p, primals, series, params);
    case Unary::abs: {
      const Shape& shape = x.shape();
      const Array nonneg = bind1(prim::ge_p, {x, constant_like(x, 0.0)});
      const Array flip = select(nonneg, lax::broadcast_to(constant_like(x, 1.0), shape),
                                lax::broadcast_to(constant_like(x, -1.0), shape));
      Series out;
      for (const Array& t : series[0]) out.push_back(mul(t, flip));
      return {{bind1(p, {x})}, {std::move(out)}};
    }
    case Unary::square: {
      const Array ans = bind1(p, {x});
      return {{ans}, {integer_power_terms(x, series[0], 2, ans)}};
    }
    default: return taylor_constant(p, primals, series, params);
  }
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

// x^n: integer_power_terms (square and multiply on the series, exact at x0 = 0).
TaylorResult integer_pow_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                             const Params& params) {
  const int64_t n = params.get<int64_t>("y");
  const Array ans = bind1(p, {primals[0]}, params);
  return {{ans}, {integer_power_terms(primals[0], series[0], n, ans)}};
}

}  // namespace

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
                              .jet = integer_pow_jet, .lower = integer_pow_lower, .traits = kElementwise};

}  // namespace fluxion::prim
