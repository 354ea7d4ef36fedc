/// @file
/// Jaxprs: the program a transformation records, in JAX's IR and syntax.
/// `fx::make_jaxpr(f)(args...)` returns one; reverse mode transposes one; jit
/// will compile one. Printing gives JAX's text:
/// ```
///   { lambda ; a:f64[]. let b:f64[] = integer_pow[y=2] a; ... in (d,) }
/// ```
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "fluxion/array.hpp"
#include "fluxion/primitive.hpp"

namespace fluxion {

/// An equation operand: a variable (by id) or an inlined 0-d constant.
struct Atom {
  int var = -1;
  Array literal;
  bool is_literal() const { return var < 0; }
  static Atom variable(int id) { return Atom{id, Array()}; }
  static Atom constant(Array value) { return Atom{-1, std::move(value)}; }
};

struct JaxprEqn {
  const Primitive* primitive = nullptr;
  std::vector<Atom> inputs;
  std::vector<int> outputs;  ///< variable ids; -1 is a dropped output (printed `_`)
  Params params;
  /// Equations recorded by one JVP rule share a group (-1: none), which
  /// canonicalize_order keeps together.
  int group = -1;
};

struct Jaxpr {
  std::vector<AbstractValue> var_types;  ///< indexed by variable id
  std::vector<int> constvars, invars;
  std::vector<JaxprEqn> eqns;
  std::vector<Atom> outvars;

  int new_var(AbstractValue type) {
    var_types.push_back(std::move(type));
    return static_cast<int>(var_types.size()) - 1;
  }
  const AbstractValue& type_of(const Atom& a) const { return a.is_literal() ? a.literal.aval() : var_types[a.var]; }
  std::string str() const;
};

namespace detail {
struct JaxprMemo;  // src/primitives/pjit.cpp
}

/// A jaxpr with the values of its constvars.
struct ClosedJaxpr {
  Jaxpr jaxpr;
  std::vector<Array> consts;
  std::string str() const { return jaxpr.str(); }
  /// What jit derives from the program once it is a parameter (its JVP and
  /// batched forms, its compiled code), created with it by make_jaxpr_param;
  /// empty for a program that is not a parameter.
  std::shared_ptr<detail::JaxprMemo> memo;
};

/// `closed` as an immutable sub-program parameter (pjit's `jaxpr`), with an
/// empty memo of derived programs.
JaxprParam make_jaxpr_param(ClosedJaxpr closed);

std::ostream& operator<<(std::ostream& os, const Jaxpr& jaxpr);
std::ostream& operator<<(std::ostream& os, const ClosedJaxpr& jaxpr);

/// Runs the program under whatever transformations are active (each equation
/// is bound, so evaluating a jaxpr inside grad differentiates it).
std::vector<Array> eval_jaxpr(const Jaxpr& jaxpr, std::span<const Array> consts,
                              std::span<const Array> args);

/// Whether each variable is read: by an equation or as an output.
std::vector<bool> read_variables(const Jaxpr& jaxpr);

/// Removes equations whose outputs no output depends on; unused outputs of
/// kept multi-output equations become `_`.
void dead_code_elimination(Jaxpr& jaxpr);

/// Orders equations as a left-to-right evaluation of the outputs would (each
/// equation after its inputs' producers, taken in argument order). C++ leaves
/// the evaluation order of `f(x) + g(x)`'s operands unspecified (GCC goes right
/// to left); this makes printed programs read like the source, identically on
/// every compiler. An equation whose results nothing reads is a root too,
/// placed among the outputs by when it was recorded.
void canonicalize_order(Jaxpr& jaxpr);

}  // namespace fluxion
