// Comparisons (eq, ne, lt, le, gt, ge) and is_finite: boolean results.
// NaN compares unequal to everything, as IEEE 754 and XLA define.
#include <cmath>

#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

enum class Compare { eq, ne, lt, le, gt, ge };

std::vector<AbstractValue> compare_aval(const Primitive& p, AvalRefs in, const Params&) {
  AbstractValue out = elementwise_aval(p.name, in, kAllTypes);
  out.dtype = DType::bool_;
  out.weak_type = false;
  return single(std::move(out));
}

std::vector<Array> compare_impl(const Primitive& p, std::span<const Array> operands,
                                std::span<const AbstractValue> out, const Params&) {
  const std::vector<Array> in = expand_operands(operands, out[0].shape);
  auto result = output(out[0]);
  bool* o = out_data<bool>(result);
  const int64_t n = out[0].size();
  visit_dtype(in[0].dtype(), [&]<class T>() {
    const T* x = detail::data_as<T>(in[0]);
    const T* y = detail::data_as<T>(in[1]);
    const int64_t nx = in[0].size(), ny = in[1].size();
    auto map = [&](auto f) { map_binary(x, nx, y, ny, o, n, f); };
    switch (static_cast<Compare>(p.tag)) {
      case Compare::eq: return map([](T a, T b) { return a == b; });
      case Compare::ne: return map([](T a, T b) { return a != b; });
      case Compare::lt: return map([](T a, T b) { return a < b; });
      case Compare::le: return map([](T a, T b) { return a <= b; });
      case Compare::gt: return map([](T a, T b) { return a > b; });
      case Compare::ge: return map([](T a, T b) { return a >= b; });
    }
  });
  return single(Array(std::move(result)));
}

void compare_lower(const Primitive& p, compiler::Emitter& e) {
  static constexpr const char* op[] = {" == ", " != ", " < ", " <= ", " > ", " >= "};
  e.assign("(" + e.in(0) + op[p.tag] + e.in(1) + ")");
}

constexpr Primitive compare(std::string_view name, Compare op) {
  return Primitive{.name = name, .tag = static_cast<int>(op), .abstract_eval = compare_aval,
                   .impl = compare_impl, .jvp = zero_jvp, .batch = elementwise_batch, .jet = taylor_constant, .lower = compare_lower,
                   .traits = kElementwise};
}

std::vector<AbstractValue> is_finite_aval(const Primitive& p, AvalRefs in, const Params&) {
  AbstractValue out = elementwise_aval(p.name, in, kFloats);
  out.dtype = DType::bool_;
  out.weak_type = false;
  return single(std::move(out));
}

std::vector<Array> is_finite_impl(const Primitive&, std::span<const Array> in,
                                  std::span<const AbstractValue> out, const Params&) {
  auto result = output(out[0]);
  visit_dtype(in[0].dtype(), [&]<class T>() {
    if constexpr (std::is_floating_point_v<T>)
      map_unary(detail::data_as<T>(in[0]), out_data<bool>(result), out[0].size(),
                [](T v) { return static_cast<bool>(std::isfinite(v)); });
  });
  return single(Array(std::move(result)));
}

void is_finite_lower(const Primitive&, compiler::Emitter& e) { e.assign("(bool)__builtin_isfinite(" + e.in(0) + ")"); }

}  // namespace

const Primitive eq_p = compare("eq", Compare::eq);
const Primitive ne_p = compare("ne", Compare::ne);
const Primitive lt_p = compare("lt", Compare::lt);
const Primitive le_p = compare("le", Compare::le);
const Primitive gt_p = compare("gt", Compare::gt);
const Primitive ge_p = compare("ge", Compare::ge);
const Primitive is_finite_p{.name = "is_finite", .abstract_eval = is_finite_aval,
                            .impl = is_finite_impl, .jvp = zero_jvp, .batch = elementwise_batch, .jet = taylor_constant,
                            .lower = is_finite_lower, .traits = kElementwise};

}  // namespace fluxion::prim
