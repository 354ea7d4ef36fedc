/// @file
/// Element types and JAX's type-promotion lattice.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace fluxion {

/// Array shapes are plain vectors of extents, NumPy's shape tuples
/// ([docs/ARCHITECTURE.md](docs/ARCHITECTURE.md), "Arrays and operations").
using Shape = std::vector<int64_t>;

enum class DType : uint8_t { bool_, int32, int64, uint32, uint64, float32, float64 };

inline constexpr DType bool_ = DType::bool_;
inline constexpr DType int32 = DType::int32;
inline constexpr DType int64 = DType::int64;
inline constexpr DType uint32 = DType::uint32;
inline constexpr DType uint64 = DType::uint64;
inline constexpr DType float32 = DType::float32;
inline constexpr DType float64 = DType::float64;

inline constexpr int kNumDTypes = 7;
inline constexpr int kMaxRank = 8;

/// JAX's dtype name ("float64", "bool", ...), as printed in reprs.
std::string_view dtype_name(DType t);
/// JAX's short name used in jaxprs and shapes ("f64", "bool", "i32", "u32").
std::string_view dtype_short_name(DType t);
size_t itemsize(DType t);

constexpr bool is_floating(DType t) { return t == DType::float32 || t == DType::float64; }
constexpr bool is_signed_integer(DType t) { return t == DType::int32 || t == DType::int64; }
constexpr bool is_unsigned_integer(DType t) { return t == DType::uint32 || t == DType::uint64; }
constexpr bool is_integer(DType t) { return is_signed_integer(t) || is_unsigned_integer(t); }
constexpr bool is_bool(DType t) { return t == DType::bool_; }

/// The default dtypes (JAX with jax_enable_x64: float64 for floats).
inline constexpr DType default_float = DType::float64;
inline constexpr DType default_int = DType::int32;

/// A dtype plus JAX's weak-type flag: a C++ scalar is weakly typed, so it takes
/// the dtype of the array it meets (`x * 2.0` keeps x's float32).
struct TypedDType {
  DType dtype;
  bool weak = false;
  bool operator==(const TypedDType&) const = default;
};

/// The result of JAX's lattice join over several operands (jnp.result_type).
/// Documented as a table in [docs/TYPE_PROMOTION.md](docs/TYPE_PROMOTION.md).
TypedDType promote_types(const std::vector<TypedDType>& operands);
TypedDType promote_types(TypedDType a, TypedDType b);

/// The dtype a float-only function (sin, exp, true division...) computes in:
/// floats stay, bools and integers become the default float.
TypedDType to_inexact(TypedDType t);

/// C++ type <-> DType.
template <class T> struct dtype_of;
template <> struct dtype_of<bool> { static constexpr DType value = DType::bool_; };
template <> struct dtype_of<int32_t> { static constexpr DType value = DType::int32; };
template <> struct dtype_of<int64_t> { static constexpr DType value = DType::int64; };
template <> struct dtype_of<uint32_t> { static constexpr DType value = DType::uint32; };
template <> struct dtype_of<uint64_t> { static constexpr DType value = DType::uint64; };
template <> struct dtype_of<float> { static constexpr DType value = DType::float32; };
template <> struct dtype_of<double> { static constexpr DType value = DType::float64; };
template <class T> inline constexpr DType dtype_of_v = dtype_of<T>::value;

/// Calls `fn.template operator()<T>()` with T the C++ type of `t`.
template <class Fn> decltype(auto) visit_dtype(DType t, Fn&& fn) {
  switch (t) {
    case DType::bool_: return fn.template operator()<bool>();
    case DType::int32: return fn.template operator()<int32_t>();
    case DType::int64: return fn.template operator()<int64_t>();
    case DType::uint32: return fn.template operator()<uint32_t>();
    case DType::uint64: return fn.template operator()<uint64_t>();
    case DType::float32: return fn.template operator()<float>();
    case DType::float64: break;
  }
  return fn.template operator()<double>();
}

}  // namespace fluxion
