// Floating-point functions: sin, cos, ..., sqrt. They share one shape rule and
// one kernel entry (the SIMD kernels in kernels/unary_math); the tag picks the
// function. Derivative rules join this table with the autodiff interpreters.
#include "kernels/unary_math.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"

namespace fluxion::prim {
namespace {

using kernels::UnaryMath;

std::vector<AbstractValue> float_unary_aval(const Primitive& p, AvalRefs in, const Params&) {
  if (!(kFloats & bit(in[0]->dtype)))
    throw_dtype_error(p.name, in[0]->dtype, kFloats,
                      "fx::" + std::string(p.name) + " promotes integers to float64 itself");
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

constexpr Primitive float_unary(std::string_view name, UnaryMath op) {
  return Primitive{.name = name, .tag = static_cast<int>(op),
                   .abstract_eval = float_unary_aval, .impl = float_unary_impl};
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
