// The interpreter interface. fx::bind hands each primitive application to the
// innermost active interpreter; with none active (no tracers among the
// inputs, no transformation running) that is the evaluation interpreter.
// Transformations (JVP, staging to a jaxpr, transposition's callers) subclass
// Interpreter and own tracers: Values whose owner() is the interpreter.
//
// Levels: each interpreter takes the next level of its thread when it is
// constructed and gives it back when destroyed, so transformations nest
// lexically (RAII) and a higher level is always an inner transformation. This
// is JAX's classic trace-level design, made thread-local.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "core/value.hpp"
#include "fluxion/primitive.hpp"

namespace fluxion::detail {

class Interpreter;

class Interpreter {
 public:
  Interpreter();
  virtual ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  int level() const { return level_; }
  const std::shared_ptr<TraceTag>& tag() const { return tag_; }
  virtual std::vector<Array> process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                               const Params& params) = 0;

 private:
  int level_;
  std::shared_ptr<TraceTag> tag_;
};

// A value owned by an interpreter.
class Tracer : public Value {
 public:
  Tracer(AbstractValue aval, std::shared_ptr<TraceTag> tag) : Value(std::move(aval)), tag_(std::move(tag)) {
    trace_tag_ = tag_.get();
  }

 private:
  std::shared_ptr<TraceTag> tag_;
};

// n values of T for one primitive application's operands: on the stack for
// the usual small arity (the dispatch path's hot case), on the heap beyond.
template <class T, size_t N = 8> class OperandBuffer {
 public:
  explicit OperandBuffer(size_t n) : n_(n) {
    if (n > N) large_.resize(n);
  }
  T* data() { return n_ > N ? large_.data() : small_.data(); }
  T& operator[](size_t i) { return data()[i]; }
  std::span<const T> span() { return {data(), n_}; }

 private:
  std::array<T, N> small_{};
  std::vector<T> large_;
  size_t n_;
};

// Evaluates a primitive on concrete inputs: shape rule, then kernel.
std::vector<Array> eval_primitive(const Primitive& prim, std::span<const Array> inputs,
                                  const Params& params);

// The interpreter a transformation installs for values created without
// touching its inputs (make_jaxpr of `zeros(...)` records the creation); null
// when none. Thread-local; set through DynamicScope.
Interpreter* dynamic_interpreter();
// Whether any transformation is running on this thread.
bool any_interpreter_active();

// Whether every value is a buffer (none is a transformation's tracer).
inline bool all_concrete(std::span<const Array> values) {
  for (const Array& x : values)
    if (x.value()->is_tracer()) return false;
  return true;
}

class DynamicScope {
 public:
  explicit DynamicScope(Interpreter* interp);
  ~DynamicScope();
  DynamicScope(const DynamicScope&) = delete;
  DynamicScope& operator=(const DynamicScope&) = delete;

 private:
  Interpreter* previous_;
};

// The equations one JVP rule records at once (its primal result and the
// residuals its derivative reads, such as 2x beside x**2) share a group, so
// that canonicalize_order keeps them together as JAX's evaluation order
// does. -1 outside any rule; a rule inside another joins the outer group.
inline thread_local int current_rule_group = -1;
class RuleGroupScope {
 public:
  RuleGroupScope() : outer_(current_rule_group < 0) {
    static thread_local int next = 0;
    if (outer_) current_rule_group = next++ & 0x3fffffff;
  }
  ~RuleGroupScope() {
    if (outer_) current_rule_group = -1;
  }
  RuleGroupScope(const RuleGroupScope&) = delete;
  RuleGroupScope& operator=(const RuleGroupScope&) = delete;

 private:
  bool outer_;
};

}  // namespace fluxion::detail
