// Floating-point functions: sin, cos, ..., sqrt. They share one shape rule and
// one kernel entry (the SIMD kernels in kernels/unary_math); the tag picks the
// function. Derivative rules join this table with the autodiff interpreters.
#include "kernels/unary_math.hpp"
#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

using kernels::UnaryMath;

// The public function over primitive p, which promotes integers itself: it has
// the primitive's name but for asin, acos and atan (NumPy's arcsin, ...).
std::string public_function(std::string_view prim) {
  if (prim == "asin") return "fx::arcsin";
  if (prim == "acos") return "fx::arccos";
  if (prim == "atan") return "fx::arctan";
  return "fx::" + std::string(prim);
}

std::vector<AbstractValue> float_unary_aval(const Primitive& p, AvalRefs in, const Params&) {
  if (!(kFloats & bit(in[0]->dtype)))
    throw_dtype_error(p.name, in[0]->dtype, kFloats, public_function(p.name) + " promotes integers to float64 itself");
  return single(*in[0]);
}

std::vector<Array> float_unary_impl(const Primitive& p, std::span<const Array> in,
                                    std::span<const AbstractValue> out, const Params&) {
  auto result = output(out[0]);
  const auto op = static_cast<UnaryMath>(p.tag);
  if (out[0].dtype == DType::float64)
    kernels::unary_math(op, detail::data_as<double>(in[0]), out_data<double>(result), out[0].size());
  else
    kernels::unary_math(op, detail::data_as<float>(in[0]), out_data<float>(result), out[0].size());
  return single(Array(std::move(result)));
}

// d/dx of each function, written with primitives (as jax/_src/lax/lax.py
// writes them), so derivatives of any order follow.
Array derivative_times(UnaryMath op, const Array& g, const Array& x, const Array& ans) {
  using namespace lax;
  const Array one = constant_like(x, 1.0);
  auto sq = [](const Array& v) { return bind1(prim::integer_pow_p, {v}, {{"y", int64_t{2}}}); };
  auto unary = [](const Primitive& p, const Array& v) { return bind1(p, {v}); };
  switch (op) {
    case UnaryMath::sin: return mul(g, unary(prim::cos_p, x));
    case UnaryMath::cos: return neg(mul(g, unary(prim::sin_p, x)));
    case UnaryMath::tan: return mul(g, lax::add(one, sq(ans)));
    case UnaryMath::tanh: return mul(lax::add(g, mul(g, ans)), sub(one, ans));
    case UnaryMath::sinh: return mul(g, unary(prim::cosh_p, x));
    case UnaryMath::cosh: return mul(g, unary(prim::sinh_p, x));
    case UnaryMath::asin: return div(g, unary(prim::sqrt_p, sub(one, sq(x))));
    case UnaryMath::acos: return neg(div(g, unary(prim::sqrt_p, sub(one, sq(x)))));
    case UnaryMath::atan: return div(g, lax::add(one, sq(x)));
    case UnaryMath::exp: return mul(g, ans);
    case UnaryMath::expm1: return mul(g, lax::add(ans, one));
    case UnaryMath::log: return div(g, x);
    case UnaryMath::log1p: return div(g, lax::add(x, one));
    case UnaryMath::sqrt: return div(g, mul(constant_like(x, 2.0), ans));
  }
  return Array();
}

JvpResult float_unary_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                          const Params&) {
  Array ans = bind1(p, {primals[0]});
  if (!tangents[0].valid()) return {{ans}, {Array()}};
  Array t = derivative_times(static_cast<UnaryMath>(p.tag), tangents[0], primals[0], ans);
  return {{std::move(ans)}, {std::move(t)}};
}

// Taylor rules: each function's ODE, v' = w u', turned into a recurrence
// on the normalised coefficients (taylor.hpp). jv_k = k ṽ_k is the
// coefficient k-1 of v' (= Σ_(j=1..k) j ũ_j w̃_(k-j)), from which both the
// output term, (k-1)! jv_k, and ṽ_k = jv_k / k follow with one multiplication
// each; ju_j = j ũ_j comes straight from the input terms. Rules compute only
// the coefficients a later step reads.

// sin/cos (sign -1) and sinh/cosh (+1) together: s' = c u', c' = sign s u'.
// Returns the terms of s when `want_s`, else of c.
Series sine_pair(const Series& ju, const Array& s0, const Array& c0, double sign, size_t order, bool want_s) {
  Series s(order + 1), c(order + 1), out;
  s[0] = s0;
  c[0] = c0;
  // The wanted series' term K needs the other's coefficients up to K-1, and
  // those need the wanted one's up to K-2 only.
  for (size_t k = 1; k <= order; ++k) {
    const bool last = k == order, next_to_last = k + 1 == order;
    if (!last || want_s) {
      const Array jv = convolve(ju, c, k, 1, k);
      if (want_s) out.push_back(term_from_weighted(jv, k));
      if (!last && !(next_to_last && want_s)) s[k] = scale(jv, 1.0 / static_cast<double>(k));
    }
    if (!last || !want_s) {
      const Array jv = convolve(ju, s, k, 1, k);
      if (!want_s) out.push_back(scale(jv, sign * factorial(k - 1)));
      if (!last && !(next_to_last && !want_s)) c[k] = scale(jv, sign / static_cast<double>(k));
    }
  }
  return out;
}

// tan (sign +1) and tanh (-1): v' = z u' with z = 1 + sign v². The square's
// coefficients pair a low ṽ_i with a high d_j = 2 sign ṽ_j, so neither the
// doubling nor the sign costs an operation of its own:
// z̃_k = Σ_(i<k/2) ṽ_i d_(k-i) + sign ṽ_(k/2)² (k even).
Series square_ode(const Series& ju, const Array& v0, double sign, size_t order) {
  Series v(order + 1), d(order + 1), z(order + 1), out;
  v[0] = v0;
  const Array v0_sq = lax::mul(v0, v0), one = lax::constant_like(v0, 1.0);
  z[0] = sign > 0 ? lax::add(one, v0_sq) : lax::sub(one, v0_sq);
  for (size_t k = 1; k <= order; ++k) {
    const Array jv = convolve(ju, z, k, 1, k);
    out.push_back(term_from_weighted(jv, k));
    if (k == order) break;
    // d_k for every k below K; ṽ_k only where it is the low half of a pair.
    d[k] = scale(jv, 2.0 * sign / static_cast<double>(k));
    if (2 * k < order) v[k] = scale(jv, 1.0 / static_cast<double>(k));
    Array zk;
    for (size_t i = 0; 2 * i < k; ++i) zk = add_terms(zk, lax::mul(v[i], d[k - i]));
    if (k % 2 == 0) {
      const Array mid = lax::mul(v[k / 2], v[k / 2]);
      zk = sign > 0 ? lax::add(zk, mid) : lax::sub(zk, mid);
    }
    z[k] = zk;
  }
  return out;
}

// v' = u' / d with d(t) known coefficient by coefficient: jv_k = (ju_k -
// Σ_(j=1..k-1) jv_j d̃_(k-j)) / d̃_0, the terms out.
Series quotient_ode(const Series& ju, const Series& d, size_t order) {
  Series jv(order + 1), out;
  for (size_t k = 1; k <= order; ++k) {
    jv[k] = solve_step(ju[k], jv, d, k, 1);
    out.push_back(term_from_weighted(jv[k], k));
  }
  return out;
}

TaylorResult float_unary_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                             const Params&) {
  using namespace lax;
  const size_t order = order_of(series);
  const Array& x = primals[0];
  const Array y = bind1(p, {x});
  const auto op = static_cast<UnaryMath>(p.tag);
  // Every recurrence but sqrt's reads j ũ_j.
  const Series ju = op == UnaryMath::sqrt ? Series{} : index_weighted_terms(series[0], order);
  switch (op) {
    case UnaryMath::exp:
    case UnaryMath::expm1: {  // v' = (expm1: v + 1) u'
      Series w(order + 1), out;
      w[0] = op == UnaryMath::exp ? y : lax::add(y, constant_like(y, 1.0));
      for (size_t k = 1; k <= order; ++k) {
        const Array jv = convolve(ju, w, k, 1, k);
        out.push_back(term_from_weighted(jv, k));
        if (k < order) w[k] = scale(jv, 1.0 / static_cast<double>(k));
      }
      return {{y}, {out}};
    }
    case UnaryMath::sin: return {{y}, {sine_pair(ju, y, bind1(prim::cos_p, {x}), -1.0, order, true)}};
    case UnaryMath::cos: return {{y}, {sine_pair(ju, bind1(prim::sin_p, {x}), y, -1.0, order, false)}};
    case UnaryMath::sinh: return {{y}, {sine_pair(ju, y, bind1(prim::cosh_p, {x}), 1.0, order, true)}};
    case UnaryMath::cosh: return {{y}, {sine_pair(ju, bind1(prim::sinh_p, {x}), y, 1.0, order, false)}};
    case UnaryMath::tan: return {{y}, {square_ode(ju, y, 1.0, order)}};
    case UnaryMath::tanh: return {{y}, {square_ode(ju, y, -1.0, order)}};
    case UnaryMath::log:
    case UnaryMath::log1p: {  // v' = u' / u (log1p: / (1 + u))
      Series d = coefficients(x, series[0], order - 1);
      if (op == UnaryMath::log1p) d[0] = lax::add(x, constant_like(x, 1.0));
      return {{y}, {quotient_ode(ju, d, order)}};
    }
    case UnaryMath::atan: {  // v' = u' / (1 + u²)
      const Series u = coefficients(x, series[0], order - 1);
      Series d(order);
      d[0] = lax::add(constant_like(x, 1.0), mul(x, x));
      for (size_t k = 1; k < order; ++k) d[k] = square_convolve(u, k, 0);
      return {{y}, {quotient_ode(ju, d, order)}};
    }
    case UnaryMath::asin:
    case UnaryMath::acos: {
      // v' = u' / r with r = sign sqrt(1 - u²), whose own derivative is
      // r' = -u v': two interleaved recurrences, jv_k = (ju_k -
      // Σ_(j<k) jv_j r̃_(k-j)) / r̃_0 and r̃_k = -(1/k) Σ_(j<=k) jv_j ũ_(k-j).
      const double sign = op == UnaryMath::asin ? 1.0 : -1.0;
      const Series u = coefficients(x, series[0], order - 1);
      const Array r0 = bind1(prim::sqrt_p, {sub(constant_like(x, 1.0), mul(x, x))});
      Series r(order), jv(order + 1), out;
      r[0] = sign > 0 ? r0 : neg(r0);
      for (size_t k = 1; k <= order; ++k) {
        jv[k] = solve_step(ju[k], jv, r, k, 1);
        out.push_back(term_from_weighted(jv[k], k));
        if (k < order) r[k] = scale(convolve(jv, u, k, 1, k), -1.0 / static_cast<double>(k));
      }
      return {{y}, {out}};
    }
    case UnaryMath::sqrt: {  // v² = u: ṽ_k = (ũ_k - Σ_(j=1..k-1) ṽ_j ṽ_(k-j)) / (2 v0)
      const Series u = coefficients(x, series[0], order);
      Series v(order + 1);
      v[0] = y;
      const Array twice = lax::add(y, y);
      for (size_t k = 1; k <= order; ++k) {
        const Array rest = square_convolve(v, k, 1);
        v[k] = div(sub_terms(u[k], rest), twice);
      }
      return {{y}, {derivative_terms(v)}};
    }
  }
  throw Error("internal error: no Taylor rule for '" + std::string(p.name) + "'");
}

// Eager's own SIMD kernel on each block (the same bits), except sqrt (the
// correctly rounded instruction either way) and float64 exp (XLA's
// algorithm, operation for operation as eager's kernel: the preamble's
// fx_exp_f64), which are expressions the compiler vectorises in the loop.
void float_unary_lower(const Primitive& p, compiler::Emitter& e) {
  const bool f32 = e.out_type().dtype == DType::float32;
  if (static_cast<UnaryMath>(p.tag) == UnaryMath::sqrt)
    return e.assign(std::string(f32 ? "__builtin_sqrtf(" : "__builtin_sqrt(") + e.in(0) + ")");
  if (static_cast<UnaryMath>(p.tag) == UnaryMath::exp && !f32) return e.assign("fx_exp_f64(" + e.in(0) + ")");
  const auto op = static_cast<UnaryMath>(p.tag);
  const std::string blocks = e.in_block(0) + ", " + e.out_block() + ", n";
  // Where eager's kernel is one SLEEF call per vector, the loop makes that
  // call on its registers (kernels::unary_vector_function); else it calls the kernel.
  if (kernels::unary_vector_function(op, f32).fn)
    return e.kernel(std::string(f32 ? "fx_unary_vector_f32(" : "fx_unary_vector_f64(") + std::to_string(p.tag) +
                    ", " + blocks + ", fx_rt);");
  e.kernel("fx_rt->unary(" + std::to_string(p.tag) + ", " + (f32 ? "1" : "0") + ", " + blocks + ");");
}

constexpr Primitive float_unary(std::string_view name, UnaryMath op) {
  return Primitive{.name = name, .tag = static_cast<int>(op), .abstract_eval = float_unary_aval,
                   .impl = float_unary_impl, .jvp = float_unary_jvp, .batch = elementwise_batch, .jet = float_unary_jet,
                   .lower = float_unary_lower, .traits = kElementwise};
}

}  // namespace

const Primitive sin_p = float_unary("sin", UnaryMath::sin);
const Primitive cos_p = float_unary("cos", UnaryMath::cos);
const Primitive tan_p = float_unary("tan", UnaryMath::tan);
const Primitive tanh_p = float_unary("tanh", UnaryMath::tanh);
const Primitive sinh_p = float_unary("sinh", UnaryMath::sinh);
const Primitive cosh_p = float_unary("cosh", UnaryMath::cosh);
const Primitive asin_p = float_unary("asin", UnaryMath::asin);
const Primitive acos_p = float_unary("acos", UnaryMath::acos);
const Primitive atan_p = float_unary("atan", UnaryMath::atan);
const Primitive exp_p = float_unary("exp", UnaryMath::exp);
const Primitive expm1_p = float_unary("expm1", UnaryMath::expm1);
const Primitive log_p = float_unary("log", UnaryMath::log);
const Primitive log1p_p = float_unary("log1p", UnaryMath::log1p);
const Primitive sqrt_p = float_unary("sqrt", UnaryMath::sqrt);

}  // namespace fluxion::prim
