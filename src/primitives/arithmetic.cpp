// Binary arithmetic primitives: add, sub, mul, div, rem, max, min, pow,
// atan2, the bitwise and/or/xor, and add_any (the unary ones are in
// unary_arithmetic.cpp). Integer arithmetic wraps around (two's complement)
// and integer division follows XLA: x / 0 is -1 (all ones unsigned),
// INT_MIN / -1 is INT_MIN, x % 0 is x.
#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>

#include "compiler/emitter.hpp"
#include "kernels/unary_math.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"
#include "primitives/wrapping.hpp"

namespace fluxion::prim {
namespace {

enum class Binary { add, sub, mul, div, rem, max, min, pow, atan2, bit_and, bit_or, bit_xor };

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

bool same_value(const Array& a, const Array& b) { return a.value().get() == b.value().get(); }
bool same_series(const Series& a, const Series& b) {
  for (size_t k = 0; k < a.size(); ++k)
    if (!same_value(a[k], b[k])) return false;
  return true;
}

// y's value when it is concrete and every element is one integer of at most
// 64 in magnitude (square and multiply stays short).
std::optional<int64_t> small_integer(const Array& y) {
  if (!y.is_concrete()) return std::nullopt;
  const std::vector<double> v = y.astype(DType::float64).to_vector<double>();
  if (v.empty() || !(std::abs(v[0]) <= 64.0) || v[0] != std::floor(v[0])) return std::nullopt;
  for (double e : v)
    if (e != v[0]) return std::nullopt;
  return static_cast<int64_t>(v[0]);
}

// Terms of a binary primitive. Where one operand does not move, products
// and quotients are linear in the other and need no recurrence; the
// piecewise ones (rem, max, min) take the JVP rule's weights, which are
// constant between the kinks, ties split as the JVP splits them.
Series pow_terms(const Array& x, const Array& y, const Array& ans, const Series& sx, const Series& sy, size_t order);
Series atan2_terms(const Array& x, const Array& y, const Series& sx, const Series& sy, size_t order);

TaylorResult binary_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                        const Params& params) {
  using namespace lax;
  const auto op = static_cast<Binary>(p.tag);
  if (op == Binary::bit_and || op == Binary::bit_or || op == Binary::bit_xor)
    return taylor_constant(p, primals, series, params);
  const size_t order = order_of(series);
  const Array &x = primals[0], &y = primals[1];
  const Series &sx = series[0], &sy = series[1];
  const Array ans = bind1(p, {x, y});
  const Shape& shape = ans.shape();
  Series out(order);
  switch (op) {
    case Binary::add:
    case Binary::sub:
      for (size_t k = 0; k < order; ++k) {
        const Array tx = sx.empty() ? Array() : sx[k], ty = sy.empty() ? Array() : sy[k];
        out[k] = op == Binary::add ? add_terms(tx, ty) : sub_terms(tx, ty);
      }
      break;
    case Binary::mul:
      if (sx.empty() || sy.empty()) {
        for (size_t k = 0; k < order; ++k) out[k] = sx.empty() ? mul(x, sy[k]) : mul(sx[k], y);
      } else if (same_value(x, y) && same_series(sx, sy)) {
        out = integer_power_terms(x, sx, 2, ans);  // x * x: the square, half the products
      } else {
        const Series a = coefficients(x, sx, order), b = coefficients(y, sy, order);
        Series c(order + 1);
        c[0] = ans;
        for (size_t k = 1; k <= order; ++k) c[k] = convolve(a, b, k);
        out = derivative_terms(c);
      }
      break;
    case Binary::div:
      if (sy.empty()) {
        for (size_t k = 0; k < order; ++k) out[k] = div(sx[k], y);
      } else {
        // c * y = x: c̃_k = (x̃_k - Σ_(j<k) c̃_j ỹ_(k-j)) / y0.
        const Series a = coefficients(x, sx, order), b = coefficients(y, sy, order);
        Series c(order + 1);
        c[0] = ans;
        const Array minus_y = sx.empty() ? neg(y) : Array();
        for (size_t k = 1; k <= order; ++k)
          c[k] = sx.empty() ? reciprocal_step(c, b, k, 0, minus_y) : solve_step(a[k], c, b, k, 0);
        out = derivative_terms(c);
      }
      break;
    case Binary::rem: {
      // x - y trunc(x / y), the quotient constant between its jumps; the
      // JVP's trunc, sign(q) floor(|q|).
      Array trunc;
      if (!sy.empty()) {
        const Array q = div(x, y);
        trunc = mul(bind1(prim::sign_p, {q}), bind1(prim::floor_p, {bind1(prim::abs_p, {q})}));
      }
      for (size_t k = 0; k < order; ++k)
        out[k] = sub_terms(sx.empty() ? Array() : sx[k], sy.empty() ? Array() : mul(sy[k], trunc));
      break;
    }
    case Binary::max:
    case Binary::min: {
      const Array wx = sx.empty() ? Array() : balanced_eq(x, ans, y);
      const Array wy = sy.empty() ? Array() : balanced_eq(y, ans, x);
      for (size_t k = 0; k < order; ++k)
        out[k] = add_terms(sx.empty() ? Array() : mul(sx[k], wx), sy.empty() ? Array() : mul(sy[k], wy));
      break;
    }
    case Binary::pow: out = pow_terms(x, y, ans, sx, sy, order); break;
    case Binary::atan2: out = atan2_terms(x, y, sx, sy, order); break;
    default: break;
  }
  return {{ans}, {broadcast_terms(std::move(out), shape)}};
}

// x^y. An exponent known when tracing that is one small integer n, the
// same everywhere (x ** 2.0): x^n's series, square and multiply. Else, only
// x moving: Faà di Bruno with f^(m)(x0) = y (y-1)...(y-m+1) x0^(y-m), zero
// once a factor y - i is zero (as the JVP's `y == 0` mask makes nested
// JVPs): exact wherever the derivatives exist, x0 = 0 and x0 < 0 with
// integer exponents included, where exp(y log x) would divide by zero or
// take the log of a negative number. Only y moving: v' = log(x0) v y',
// log(0) read as 0 as in the JVP. Both: exp(y log x), for x0 > 0
// (elsewhere NaN, as the JVP's log term).
Series pow_terms(const Array& x, const Array& y, const Array& ans, const Series& sx, const Series& sy, size_t order) {
  using namespace lax;
  const Array zero = constant_like(x, 0.0), one = constant_like(x, 1.0);
  if (sy.empty()) {
    if (const std::optional<int64_t> n = small_integer(y)) return integer_power_terms(x, sx, *n, ans);
    const Series u = coefficients(x, sx, order);
    Series derivs;
    Array falling = y;
    for (size_t m = 1; m <= order; ++m) {
      if (m > 1) falling = mul(falling, sub(y, constant_like(y, static_cast<double>(m - 1))));
      const Array d = mul(falling, bind1(prim::pow_p, {x, sub(y, constant_like(y, static_cast<double>(m)))}));
      const Shape& s = d.shape();
      derivs.push_back(select(lax::broadcast_to(bind1(prim::eq_p, {falling, constant_like(y, 0.0)}), s),
                              lax::broadcast_to(zero, s), d));
    }
    return derivative_terms(compose_univariate(derivs, u));
  }
  Series jw(order + 1);  // j w̃_j, w = y log x: v' = v w'
  if (sx.empty()) {
    const Array safe_x = select(bind1(prim::eq_p, {x, zero}), lax::broadcast_to(one, x.shape()), x);
    const Array log_x = bind1(prim::log_p, {safe_x});
    const Series jy = index_weighted_terms(sy, order);
    for (size_t j = 1; j <= order; ++j) jw[j] = mul(jy[j], log_x);
  } else {
    // log x by its quotient recurrence, then the product with y.
    const Series u = coefficients(x, sx, order), b = coefficients(y, sy, order);
    const Series ju = index_weighted(u);
    Series l(order + 1), jl(order + 1);
    l[0] = bind1(prim::log_p, {x});
    for (size_t k = 1; k <= order; ++k) {
      jl[k] = solve_step(ju[k], jl, u, k, 1);
      l[k] = scale(jl[k], 1.0 / static_cast<double>(k));
    }
    for (size_t k = 1; k <= order; ++k) jw[k] = scale(convolve(l, b, k), static_cast<double>(k));
  }
  Series v(order + 1);
  v[0] = ans;
  for (size_t k = 1; k <= order; ++k) v[k] = integrate_product(jw, v, k);
  return derivative_terms(v);
}

// atan2(x, y)' = (y x' - x y') / (x² + y²): the numerator's coefficients,
// then the quotient recurrence jv_k = (n_k - Σ_(j<k) jv_j d̃_(k-j)) / d̃_0.
Series atan2_terms(const Array& x, const Array& y, const Series& sx, const Series& sy, size_t order) {
  using namespace lax;
  const Series a = coefficients(x, sx, order), b = coefficients(y, sy, order);
  const Series ja = index_weighted(a), jb = index_weighted(b);
  Series d(order);
  d[0] = lax::add(mul(x, x), mul(y, y));
  for (size_t k = 1; k < order; ++k) d[k] = add_terms(square_convolve(a, k, 0), square_convolve(b, k, 0));
  Series jv(order + 1), out;
  for (size_t k = 1; k <= order; ++k) {
    const Array n = sub_terms(convolve(ja, b, k, 1, k), convolve(jb, a, k, 1, k));
    jv[k] = solve_step(n, jv, d, k, 1);
    out.push_back(term_from_weighted(jv[k], k));
  }
  return out;
}

constexpr Primitive binary(std::string_view name, Binary op) {
  const bool linear = op == Binary::add || op == Binary::sub || op == Binary::mul || op == Binary::div;
  return Primitive{.name = name, .tag = static_cast<int>(op), .abstract_eval = binary_aval,
                   .impl = binary_impl, .jvp = binary_jvp, .transpose = linear ? binary_transpose : nullptr,
                   .batch = elementwise_batch, .jet = binary_jet, .lower = binary_lower, .traits = kElementwise};
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

TaylorResult add_any_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                         const Params&) {
  Series out(order_of(series));
  for (size_t k = 0; k < out.size(); ++k)
    out[k] = add_terms(series[0].empty() ? Array() : series[0][k], series[1].empty() ? Array() : series[1][k]);
  return {{bind1(p, {primals[0], primals[1]})}, {std::move(out)}};
}

}  // namespace

const Primitive add_any_p{.name = "add_any", .abstract_eval = add_any_aval, .impl = add_any_impl,
                          .jvp = add_any_jvp, .transpose = add_any_transpose, .batch = same_shape_batch,
                          .jet = add_any_jet, .lower = add_any_lower, .traits = kElementwise};

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

}  // namespace fluxion::prim
