// convert_element_type[new_dtype, weak_type]. Float to integer conversion
// truncates toward zero and saturates at the integer range, NaN giving 0 (as
// XLA:CPU does; NumPy's result there is undefined). Float to bool is x != 0.
#include <cmath>
#include <limits>

#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> convert_aval(const Primitive&, AvalRefs in, const Params& params) {
  return single(AbstractValue{in[0]->shape, params.get<DType>("new_dtype"), params.get<bool>("weak_type")});
}

template <class To, class From> To convert(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    if (std::isnan(v)) return To(0);
    // Compare in long double, which holds every int64/uint64 bound exactly enough.
    const long double x = std::trunc(static_cast<long double>(v));
    if (x <= static_cast<long double>(std::numeric_limits<To>::lowest())) return std::numeric_limits<To>::lowest();
    if (x >= static_cast<long double>(std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
    return static_cast<To>(x);
  } else {
    return static_cast<To>(v);  // integer narrowing wraps (defined in C++20)
  }
}

std::vector<Array> convert_impl(const Primitive&, std::span<const Array> in,
                                std::span<const AbstractValue> out, const Params&) {
  const DType from = in[0].dtype(), to = out[0].dtype;
  if (from == to) {
    auto base = std::static_pointer_cast<const detail::ConcreteValue>(in[0].value());
    return single(Array(detail::ConcreteValue::alias(out[0], base)));
  }
  auto result = output(out[0]);
  const int64_t n = out[0].size();
  visit_dtype(from, [&]<class F>() {
    visit_dtype(to, [&]<class T>() {
      map_unary(detail::data_as<F>(in[0]), out_data<T>(result), n, [](F v) { return convert<T, F>(v); });
    });
  });
  return single(Array(std::move(result)));
}

// Converting between float types carries the tangent along; to or from an
// integer or bool there is no derivative.
JvpResult convert_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                      const Params& params) {
  Array ans = bind1(p, primals, params);
  if (!tangents[0].valid() || !is_floating(primals[0].dtype()) || !is_floating(ans.dtype())) return {{ans}, {}};
  return {{std::move(ans)}, {bind1(p, tangents.first(1), params)}};
}

// Linear between floating types; an integer or boolean result does not move.
TaylorResult convert_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                         const Params& params) {
  if (!is_floating(params.get<DType>("new_dtype"))) return taylor_constant(p, primals, series, params);
  return taylor_linear(p, primals, series, params);
}

std::vector<Array> convert_transpose(const Primitive&, std::span<const Array> cts,
                                     std::span<const TransposeInput> in, const Params&) {
  return {lax::convert(cts[0], in[0].aval.dtype)};
}

// convert<To, From> per element: saturating float -> integer through the
// preamble's fx_f2i (the same long double comparisons), casts otherwise.
void convert_lower(const Primitive&, compiler::Emitter& e) {
  const DType from = e.in_type(0).dtype, to = e.out_type().dtype;
  const std::string x = e.in(0), ct = compiler::ctype(to);
  if (to == DType::bool_) return e.assign("(" + x + " != 0)");
  if (is_floating(from) && !is_floating(to)) {
    std::string lo, hi;
    visit_dtype(to, [&]<class T>() {
      lo = std::to_string(std::numeric_limits<T>::lowest()) + ".0L";
      hi = std::to_string(std::numeric_limits<T>::max()) + ".0L";
    });
    return e.assign("fx_f2i<" + ct + ">((long double)" + x + ", " + lo + ", " + hi + ")");
  }
  e.assign("((" + ct + ")" + x + ")");
}

}  // namespace

const Primitive convert_element_type_p{.name = "convert_element_type", .abstract_eval = convert_aval,
                                       .impl = convert_impl, .jvp = convert_jvp,
                                       .transpose = convert_transpose, .batch = elementwise_batch, .jet = convert_jet,
                                       .lower = convert_lower, .traits = kElementwise};

}  // namespace fluxion::prim
