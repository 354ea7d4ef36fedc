// What an Array handle points at. Concrete values own (or share) a buffer;
// tracers, added by the transformation interpreters, subclass Value too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "fluxion/array.hpp"

namespace fluxion::detail {

class Interpreter;

// Shared by an interpreter and its tracers; cleared when the interpreter ends,
// so a tracer that escapes its transformation is reported, never dangling.
struct TraceTag {
  Interpreter* interpreter;
};

class Value {
 public:
  explicit Value(AbstractValue aval) : aval_(std::move(aval)) {}
  virtual ~Value() = default;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;

  const AbstractValue& aval() const { return aval_; }
  // True for a transformation's tracer (abstract, or concrete-but-wrapped).
  // Not virtual, nor is owner(): fx::bind asks both of every input of every
  // operation, and JVP and staging ask them again.
  bool is_tracer() const { return trace_tag_ != nullptr; }
  // The interpreter that owns this tracer: nullptr for a concrete value, and
  // for a tracer whose transformation has ended (it escaped).
  Interpreter* owner() const { return trace_tag_ ? trace_tag_->interpreter : nullptr; }
  // Row-major elements, or nullptr when the value is abstract. A tracer whose
  // value is known (forward mode over a concrete primal) returns that value's
  // elements, which is what lets native C++ `if` work under grad.
  virtual const void* data() const { return nullptr; }

 protected:
  // Set by Tracer, which keeps the tag alive.
  const TraceTag* trace_tag_ = nullptr;

 private:
  AbstractValue aval_;
};

// A buffer-backed value. Small values (up to 8 doubles: scalars, the short
// vectors of low-dimensional problems) live inline, so a result costs a single
// block from the small-object pool (core/alloc.hpp); larger ones share a
// 64-byte aligned buffer (buffer_allocate, which caches large ones), which
// reshape and squeeze reuse without copying.
class ConcreteValue final : public Value {
 public:
  static constexpr size_t kInlineBytes = 64;

  // Uninitialised storage for `aval`; fill it through mutable_data() before
  // handing the value out (values are immutable once shared).
  static std::shared_ptr<ConcreteValue> allocate(AbstractValue aval);
  // A new view of `base`'s elements with another shape or weak flag (same dtype, same size).
  static std::shared_ptr<ConcreteValue> alias(AbstractValue aval,
                                              const std::shared_ptr<const ConcreteValue>& base);

  ConcreteValue(AbstractValue aval, std::shared_ptr<void> heap, void* data);

  const void* data() const override { return data_; }
  void* mutable_data() { return data_; }

 private:
  alignas(16) unsigned char inline_[kInlineBytes];
  std::shared_ptr<void> heap_;  // owner of data_ when not inline
  void* data_;
};

// Allocation helpers used by kernels.
std::shared_ptr<ConcreteValue> allocate(const AbstractValue& aval);

// A C++ scalar converted to `dtype` on the spot, as convert_element_type
// would (a copy for the same dtype, a static_cast to a floating type), but
// without its rules: for a literal such as the 2.0 of `x * 2.0` those cost a
// Params, two result vectors and a shape check around one static_cast. An
// empty handle when `x` is not a 0-d concrete value or the target is an
// integer or bool (those conversions saturate or compare: take the primitive).
Array convert_scalar(const Array& x, DType dtype, bool weak);
inline Array to_array(std::shared_ptr<ConcreteValue> v) { return Array(std::move(v)); }

template <class T> const T* data_as(const Array& a) { return static_cast<const T*>(a.data()); }

}  // namespace fluxion::detail
