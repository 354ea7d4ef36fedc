// Bit-level primitives: shift_left, shift_right_logical,
// shift_right_arithmetic and bitcast_convert_type. The PRNG is built from
// them (threefry's rotations, random bits to floats), as in jax.random.
//
// Shifts follow XLA: the amount is read as unsigned, and an amount of at
// least the bit width gives 0 (left, logical right) or the sign fill
// (arithmetic right: 0 or -1) instead of C++'s undefined behaviour. A
// negative signed amount is therefore "too large" too. All three are
// elementwise with JAX's broadcasting rule and have no derivative (integers).
//
// bitcast_convert_type[new_dtype] reinterprets each element's bytes; only
// same-width pairs exist here (32-bit: int32/uint32/float32, 64-bit:
// int64/uint64/float64), so it is elementwise too. JAX defines its JVP as
// zero (defjvp_zero), and so do we.
#include <cstring>
#include <type_traits>

#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

enum class Shift { left, right_logical, right_arithmetic };

template <class T> T shift_value(Shift op, T x, T amount) {
  using U = std::make_unsigned_t<T>;
  constexpr U kBits = sizeof(T) * 8;
  const U a = static_cast<U>(amount);
  const U ux = static_cast<U>(x);
  switch (op) {
    case Shift::left: return a >= kBits ? T(0) : T(U(ux << a));
    case Shift::right_logical: return a >= kBits ? T(0) : T(ux >> a);
    case Shift::right_arithmetic:
      if constexpr (std::is_signed_v<T>) {
        if (a >= kBits) return x < 0 ? T(-1) : T(0);
        return T(x >> a);  // arithmetic for signed types since C++20
      } else {
        // The sign bit of the unsigned pattern is replicated, as XLA's ashr.
        using S = std::make_signed_t<T>;
        const S sx = static_cast<S>(x);
        if (a >= kBits) return sx < 0 ? T(~U(0)) : T(0);
        return T(static_cast<U>(S(sx >> a)));
      }
  }
  return x;
}

std::vector<AbstractValue> shift_aval(const Primitive& p, AvalRefs in, const Params&) {
  AbstractValue out = elementwise_aval(p.name, in, kInts);
  return single(std::move(out));
}

std::vector<Array> shift_impl(const Primitive& p, std::span<const Array> operands,
                              std::span<const AbstractValue> out, const Params&) {
  const std::vector<Array> in = expand_operands(operands, out[0].shape);
  auto result = output(out[0]);
  const auto op = static_cast<Shift>(p.tag);
  visit_dtype(out[0].dtype, [&]<class T>() {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      map_binary(detail::data_as<T>(in[0]), in[0].size(), detail::data_as<T>(in[1]), in[1].size(),
                 out_data<T>(result), out[0].size(), [op](T x, T a) { return shift_value(op, x, a); });
    }
  });
  return single(Array(std::move(result)));
}

constexpr Primitive shift(std::string_view name, Shift op) {
  return Primitive{.name = name, .tag = static_cast<int>(op), .abstract_eval = shift_aval,
                   .impl = shift_impl, .jvp = zero_jvp, .batch = elementwise_batch, .jet = taylor_constant,
                   .lower = compiler::lower_via_eager};
}

constexpr DTypeSet kBitcastable = kNumbers;  // bool has no same-width partner here

std::vector<AbstractValue> bitcast_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const DType from = in[0]->dtype, to = params.get<DType>("new_dtype");
  if (!(kBitcastable & bit(from))) throw_dtype_error(p.name, from, kBitcastable);
  if (!(kBitcastable & bit(to))) throw_dtype_error(p.name, to, kBitcastable, "as new_dtype");
  if (itemsize(from) != itemsize(to))
    throw TypeError("bitcast_convert_type: " + std::string(dtype_name(from)) + " (" +
                    std::to_string(itemsize(from) * 8) + " bits) cannot be reinterpreted as " +
                    std::string(dtype_name(to)) + " (" + std::to_string(itemsize(to) * 8) +
                    " bits); only types of the same width are supported");
  return single(AbstractValue{in[0]->shape, to, false});
}

std::vector<Array> bitcast_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                                const Params&) {
  auto result = output(out[0]);
  const size_t bytes = static_cast<size_t>(out[0].size()) * itemsize(out[0].dtype);
  if (bytes > 0) std::memcpy(result->mutable_data(), in[0].data(), bytes);
  return single(Array(std::move(result)));
}

}  // namespace

const Primitive shift_left_p = shift("shift_left", Shift::left);
const Primitive shift_right_logical_p = shift("shift_right_logical", Shift::right_logical);
const Primitive shift_right_arithmetic_p = shift("shift_right_arithmetic", Shift::right_arithmetic);

const Primitive bitcast_convert_type_p{.name = "bitcast_convert_type", .abstract_eval = bitcast_aval,
                                       .impl = bitcast_impl, .jvp = zero_jvp, .batch = elementwise_batch, .jet = taylor_constant,
                                       .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
