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

TaylorResult float_unary_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                             const Params& params) {
  switch (static_cast<UnaryMath>(p.tag)) {
    case UnaryMath::exp: {
      const size_t order = order_of(series);
      const Series ju = index_weighted(coefficients(primals[0], series[0], order));
      Series v(order + 1);
      v[0] = bind1(p, {primals[0]});
      for (size_t k = 1; k <= order; ++k) v[k] = integrate_product(ju, v, k);
      return {{v[0]}, {derivative_terms(v)}};
    }
    default: return taylor_via_jvp(p, primals, series, params);
  }
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
