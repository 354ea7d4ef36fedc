#include "fluxion/dtype.hpp"

#include <array>
#include <cstdint>

namespace fluxion {

std::string_view dtype_name(DType t) {
  static constexpr std::array<std::string_view, kNumDTypes> names = {
      "bool", "int32", "int64", "uint32", "uint64", "float32", "float64"};
  return names[static_cast<size_t>(t)];
}

std::string_view dtype_short_name(DType t) {
  static constexpr std::array<std::string_view, kNumDTypes> names = {
      "bool", "i32", "i64", "u32", "u64", "f32", "f64"};
  return names[static_cast<size_t>(t)];
}

size_t itemsize(DType t) {
  static constexpr std::array<size_t, kNumDTypes> sizes = {1, 4, 8, 4, 8, 4, 8};
  return sizes[static_cast<size_t>(t)];
}

namespace {

// JAX's promotion lattice restricted to Fluxion's dtypes, plus the two weak
// categories (a C++ int or double that has not met an array yet).
enum Node : uint8_t { kB, kWeakInt, kWeakFloat, kU32, kU64, kI32, kI64, kF32, kF64, kNumNodes };
using NodeSet = uint16_t;

// Direct successors: b -> i*; i* -> u32, i32; u32 -> u64, i64; i32 -> i64;
// u64 -> f*; i64 -> f*; f* -> f32 -> f64.
constexpr std::array<NodeSet, kNumNodes> kSuccessors = {
    /*kB*/ 1u << kWeakInt,
    /*kWeakInt*/ (1u << kU32) | (1u << kI32),
    /*kWeakFloat*/ 1u << kF32,
    /*kU32*/ (1u << kU64) | (1u << kI64),
    /*kU64*/ 1u << kWeakFloat,
    /*kI32*/ 1u << kI64,
    /*kI64*/ 1u << kWeakFloat,
    /*kF32*/ 1u << kF64,
    /*kF64*/ 0,
};

constexpr NodeSet upper_set(Node n) {
  NodeSet set = NodeSet(1u << n), frontier = set;
  while (frontier) {
    NodeSet next = 0;
    for (int i = 0; i < kNumNodes; ++i)
      if (frontier & (1u << i)) next |= kSuccessors[i];
    frontier = NodeSet(next & ~set);
    set |= next;
  }
  return set;
}

Node strong_node(DType t) {
  switch (t) {
    case DType::bool_: return kB;
    case DType::int32: return kI32;
    case DType::int64: return kI64;
    case DType::uint32: return kU32;
    case DType::uint64: return kU64;
    case DType::float32: return kF32;
    case DType::float64: return kF64;
  }
  return kF64;
}

Node node_of(TypedDType t) {
  if (!t.weak || t.dtype == DType::bool_) return strong_node(t.dtype);
  return is_floating(t.dtype) ? kWeakFloat : kWeakInt;
}

DType dtype_of_node(Node n) {
  switch (n) {
    case kB: return DType::bool_;
    case kWeakInt: return default_int;
    case kWeakFloat: return default_float;
    case kU32: return DType::uint32;
    case kU64: return DType::uint64;
    case kI32: return DType::int32;
    case kI64: return DType::int64;
    case kF32: return DType::float32;
    default: return DType::float64;
  }
}

// The least node above all of `nodes`: the one in the common upper set whose
// own upper set is that whole common set.
Node least_upper_bound(NodeSet nodes) {
  NodeSet common = NodeSet((1u << kNumNodes) - 1);
  for (int i = 0; i < kNumNodes; ++i)
    if (nodes & (1u << i)) common &= upper_set(Node(i));
  for (int i = 0; i < kNumNodes; ++i)
    if ((common & (1u << i)) && upper_set(Node(i)) == common) return Node(i);
  return kF64;  // unreachable: f64 tops the lattice
}

}  // namespace

TypedDType promote_types(TypedDType a, TypedDType b) {
  if (a.dtype == b.dtype) return {a.dtype, a.weak && b.weak && a.dtype != DType::bool_};
  if (a.weak && b.weak) {
    Node n = least_upper_bound(NodeSet((1u << strong_node(a.dtype)) | (1u << strong_node(b.dtype))));
    return {dtype_of_node(n), dtype_of_node(n) != DType::bool_};
  }
  Node n = least_upper_bound(NodeSet((1u << node_of(a)) | (1u << node_of(b))));
  return {dtype_of_node(n), n == kWeakInt || n == kWeakFloat};
}

TypedDType promote_types(const std::vector<TypedDType>& operands) {
  if (operands.empty()) return {default_float, false};
  bool all_weak = true, all_same = true;
  for (const auto& t : operands) {
    all_weak = all_weak && t.weak;
    all_same = all_same && t.dtype == operands[0].dtype;
  }
  if (operands.size() == 1) return operands[0];
  if (all_same) return {operands[0].dtype, all_weak && operands[0].dtype != DType::bool_};
  NodeSet nodes = 0;
  for (const auto& t : operands) nodes |= NodeSet(1u << (all_weak ? strong_node(t.dtype) : node_of(t)));
  Node n = least_upper_bound(nodes);
  DType d = dtype_of_node(n);
  bool weak = all_weak ? d != DType::bool_ : (n == kWeakInt || n == kWeakFloat);
  return {d, weak};
}

TypedDType to_inexact(TypedDType t) {
  if (is_floating(t.dtype)) return t;
  return {default_float, t.weak};
}

}  // namespace fluxion
