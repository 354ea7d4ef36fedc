// Helpers that make a primitive's common rules one line each (in the spirit of
// jax/_src/lax/lax.py's naryop / unop helpers).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/shape_util.hpp"
#include "core/value.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/primitive.hpp"

namespace fluxion::prim {

// Sets of dtypes a primitive accepts, as bit masks over DType.
using DTypeSet = uint32_t;
constexpr DTypeSet bit(DType t) { return 1u << static_cast<unsigned>(t); }
inline constexpr DTypeSet kFloats = bit(DType::float32) | bit(DType::float64);
inline constexpr DTypeSet kSignedInts = bit(DType::int32) | bit(DType::int64);
inline constexpr DTypeSet kInts = kSignedInts | bit(DType::uint32) | bit(DType::uint64);
inline constexpr DTypeSet kNumbers = kFloats | kInts;
inline constexpr DTypeSet kBool = bit(DType::bool_);
inline constexpr DTypeSet kAllTypes = kNumbers | kBool;
inline constexpr DTypeSet kIntsAndBool = kInts | kBool;

std::string describe(DTypeSet set);  // "floating (float32, float64)"

[[noreturn]] void throw_dtype_error(std::string_view op, DType given, DTypeSet accepted,
                                    std::string_view hint = "");

// Elementwise ops: operands of one dtype (in `accepted`); 0-d operands
// broadcast (as `mul c 3.0:f32[]` in jaxprs) and the others share a rank with
// extents equal or 1 (JAX's broadcasting_shape_rule). The result is weak only
// when every operand is.
AbstractValue elementwise_aval(std::string_view op, AvalRefs in, DTypeSet accepted);

// For kernels: each operand either of `shape` or a single element, size-1
// extents materialised, so loops see only the two cases map_binary handles.
std::vector<Array> expand_operands(std::span<const Array> in, const Shape& shape);

inline std::vector<AbstractValue> single(AbstractValue aval) {
  std::vector<AbstractValue> v;
  v.push_back(std::move(aval));
  return v;
}
inline std::vector<Array> single(Array a) {
  std::vector<Array> v;
  v.push_back(std::move(a));
  return v;
}

// Output buffer for an impl rule.
inline std::shared_ptr<detail::ConcreteValue> output(const AbstractValue& aval) {
  return detail::allocate(aval);
}
template <class T> T* out_data(const std::shared_ptr<detail::ConcreteValue>& v) {
  return static_cast<T*>(v->mutable_data());
}

// Applies f elementwise over operands of equal size, or where one side is a
// single value broadcast against the other.
template <class A, class B, class R, class F>
void map_binary(const A* a, int64_t na, const B* b, int64_t nb, R* out, int64_t n, F f) {
  if (na == n && nb == n) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
  } else if (na == 1) {
    const A s = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(s, b[i]);
  } else {
    const B s = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], s);
  }
}

template <class A, class R, class F>
void map_unary(const A* a, R* out, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) out[i] = f(a[i]);
}

// JVP of a primitive whose outputs carry no derivative (comparisons,
// bitwise ops, iota, ...): the primal result and zero tangents.
JvpResult zero_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                   const Params& params);
// JVP of a primitive linear in its single input: the same primitive on the tangent.
JvpResult linear_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                     const Params& params);

// Printing rules (PrintRule): every parameter, sorted by name, as an
// equation without a rule prints; rules start from it and edit.
PrintedEqn printed_params(const Params& params);
// Removes `key` from what prints.
void hide_param(PrintedEqn& printed, std::string_view key);
// Adds `key=None` in sorted place: a parameter JAX keeps and prints but
// Fluxion has no use for (sharding: Fluxion runs on one device).
void show_none_param(PrintedEqn& printed, std::string_view key);
// Moves `name` to the front (jit's and the custom calls' rules: "to make the
// resulting equation easier to scan").
void show_name_first(PrintedEqn& printed);
// The rule of reduce_sum/max/min, reshape and iota: their JAX parameters
// include an output sharding, printed as None.
PrintedEqn print_with_out_sharding(const Params& params);
PrintedEqn print_with_sharding(const Params& params);

}  // namespace fluxion::prim
