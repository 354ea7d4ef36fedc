// Jaxpr-level optimisation passes (see passes.hpp for what each one does).
//
// Passes that replace equations share one shape (Rewriter): a single forward
// sweep that renames uses as it goes. An equation whose outputs are all
// renamed (to an earlier variable, a literal or a new constvar) is dropped on
// the spot, so a pass never leaves a program with a dangling use, and chains
// (a copy of a copy, a CSE'd operand making the next equation a duplicate)
// resolve in one sweep.
#include "compiler/passes.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "fluxion/errors.hpp"
#include "interpreters/interpreter.hpp"
#include "primitives/pjit.hpp"
#include "primitives/primitives.hpp"

namespace fluxion::compiler {
namespace {

// ------------------------------------------------------------ the rewriter

class Rewriter {
 public:
  explicit Rewriter(Jaxpr& jaxpr) : jaxpr_(jaxpr) {}

  // What `a` stands for now. Renames are stored resolved, so one lookup.
  Atom resolve(const Atom& a) const {
    if (a.is_literal()) return a;
    auto it = renames_.find(a.var);
    return it == renames_.end() ? a : it->second;
  }
  void rename(int var, const Atom& to) { renames_.insert_or_assign(var, resolve(to)); }

  // The kept equation that defines `a`; null for literals, invars, constvars.
  const JaxprEqn* producer(const Atom& a) const {
    if (a.is_literal()) return nullptr;
    auto it = producer_.find(a.var);
    return it == producer_.end() ? nullptr : &kept_[it->second];
  }
  size_t num_kept() const { return kept_.size(); }
  JaxprEqn& kept(size_t i) { return kept_[i]; }

  // Calls rewrite(eqn) on each equation in order, its inputs already renamed.
  // rewrite returns true when it renamed every output: the equation goes.
  template <class F> bool run(F&& rewrite) {
    std::vector<JaxprEqn> eqns = std::move(jaxpr_.eqns);
    jaxpr_.eqns.clear();
    kept_.reserve(eqns.size());
    bool changed = false;
    for (JaxprEqn& e : eqns) {
      for (Atom& a : e.inputs) a = resolve(a);
      if (rewrite(e)) {
        changed = true;
        continue;
      }
      for (int v : e.outputs)
        if (v >= 0) producer_[v] = kept_.size();
      kept_.push_back(std::move(e));
    }
    jaxpr_.eqns = std::move(kept_);
    for (Atom& a : jaxpr_.outvars) a = resolve(a);
    return changed;
  }

 private:
  Jaxpr& jaxpr_;
  std::unordered_map<int, Atom> renames_;
  std::unordered_map<int, size_t> producer_;  // variable -> index in kept_
  std::vector<JaxprEqn> kept_;
};

// The equation's single output, renamed to `to` when the types are
// identical: replacing a strong value by a weak one (or the reverse) would
// change what later promotion does with it.
bool rename_output(Rewriter& r, const Jaxpr& jaxpr, const JaxprEqn& e, const std::optional<Atom>& to) {
  if (!to || e.outputs.size() != 1 || e.outputs[0] < 0) return false;
  if (jaxpr.type_of(*to) != jaxpr.var_types[e.outputs[0]]) return false;
  r.rename(e.outputs[0], *to);
  return true;
}

// ---------------------------------------------------------------- literals

std::span<const unsigned char> literal_bytes(const Array& v) {
  return {static_cast<const unsigned char*>(v.data()), itemsize(v.dtype())};
}

bool same_atom(const Atom& a, const Atom& b) {
  if (a.is_literal() != b.is_literal()) return false;
  if (!a.is_literal()) return a.var == b.var;
  const Array& x = a.literal;
  const Array& y = b.literal;
  if (x.dtype() != y.dtype() || x.weak_type() != y.weak_type()) return false;
  // By bits: 0.0 and -0.0 differ, and a NaN equals the same NaN.
  const auto bx = literal_bytes(x), by = literal_bytes(y);
  return std::memcmp(bx.data(), by.data(), bx.size()) == 0;
}

size_t hash_atom(const Atom& a) {
  if (!a.is_literal()) return std::hash<int>()(a.var);
  size_t h = static_cast<size_t>(a.literal.dtype()) * 31 + (a.literal.weak_type() ? 17 : 0);
  for (unsigned char c : literal_bytes(a.literal)) h = h * 131 + c;
  return h;
}

// The literal `a` is, or whose every element `a` holds: broadcast_in_dim is
// never folded, so an array of ones reaches these passes as a broadcast of
// 1.0, often reshaped or transposed since (which keeps it uniform).
const Array* constant_value(const Rewriter& r, const Atom& a) {
  const Atom* at = &a;
  for (int depth = 0; depth < 8 && !at->is_literal(); ++depth) {
    const JaxprEqn* p = r.producer(*at);
    if (!p || (p->primitive != &prim::broadcast_in_dim_p && p->primitive != &prim::reshape_p &&
               p->primitive != &prim::squeeze_p && p->primitive != &prim::transpose_p))
      return nullptr;
    at = &p->inputs[0];
  }
  return at->is_literal() ? &at->literal : nullptr;
}

bool is_number(const Array* v) { return v && v->dtype() != DType::bool_; }
bool is_one(const Array* v) { return is_number(v) && v->item<double>() == 1.0; }
// x + c == x for every x: integer 0, or -0.0 (x + +0.0 turns -0.0 into +0.0).
bool is_additive_identity(const Array* v) {
  if (!is_number(v) || v->item<double>() != 0.0) return false;
  return !is_floating(v->dtype()) || std::signbit(v->item<double>());
}
// x - c == x for every x: integer 0, or +0.0 (x - -0.0 is x + +0.0).
bool is_subtractive_identity(const Array* v) {
  if (!is_number(v) || v->item<double>() != 0.0) return false;
  return !is_floating(v->dtype()) || !std::signbit(v->item<double>());
}

// ------------------------------------------------------------ the rewrites

// The operand an arithmetic equation returns unchanged, if any.
std::optional<Atom> algebraic_identity(const Rewriter& r, const JaxprEqn& e) {
  const Primitive* p = e.primitive;
  auto value = [&](size_t i) { return constant_value(r, e.inputs[i]); };
  if (p == &prim::mul_p) {
    if (is_one(value(1))) return e.inputs[0];
    if (is_one(value(0))) return e.inputs[1];
  } else if (p == &prim::div_p) {
    if (is_one(value(1))) return e.inputs[0];
  } else if (p == &prim::add_p || p == &prim::add_any_p) {
    if (is_additive_identity(value(1))) return e.inputs[0];
    if (is_additive_identity(value(0))) return e.inputs[1];
  } else if (p == &prim::sub_p) {
    if (is_subtractive_identity(value(1))) return e.inputs[0];
  } else if (p == &prim::integer_pow_p) {
    if (e.params.get<int64_t>("y") == 1) return e.inputs[0];
  } else if (p == &prim::neg_p) {
    // Negation flips the sign bit, NaNs included, so twice is the identity.
    const JaxprEqn* inner = r.producer(e.inputs[0]);
    if (inner && inner->primitive == &prim::neg_p) return inner->inputs[0];
  }
  return std::nullopt;
}

// The operand an equation merely copies (same elements in the same order).
// The caller also requires identical types, which for these primitives makes
// them the identity: equal shapes force a reshape to keep the order, a
// broadcast_in_dim's strictly increasing dimensions to be 0..n-1, a squeeze
// to drop nothing.
std::optional<Atom> copied_operand(const JaxprEqn& e) {
  const Primitive* p = e.primitive;
  if (p == &prim::convert_element_type_p || p == &prim::broadcast_in_dim_p || p == &prim::squeeze_p)
    return e.inputs[0];
  if (p == &prim::reshape_p) {
    // A reshape with `dimensions` transposes first.
    if (!e.params.contains("dimensions") || std::holds_alternative<NoneParam>(e.params.at("dimensions")))
      return e.inputs[0];
  } else if (p == &prim::transpose_p) {
    const auto& perm = e.params.get<std::vector<int64_t>>("permutation");
    for (size_t i = 0; i < perm.size(); ++i)
      if (perm[i] != static_cast<int64_t>(i)) return std::nullopt;
    return e.inputs[0];
  }
  return std::nullopt;
}

// Params::operator== compares doubles by value; a primitive could tell 0.0
// from -0.0, so CSE also wants their bits equal.
bool same_params(const Params& a, const Params& b) {
  if (!(a == b)) return false;
  for (size_t i = 0; i < a.items().size(); ++i)
    if (const double* x = std::get_if<double>(&a.items()[i].second))
      if (std::bit_cast<uint64_t>(*x) != std::bit_cast<uint64_t>(std::get<double>(b.items()[i].second)))
        return false;
  return true;
}

// The small constvars by value, so that folding the same value twice (two
// inlined copies of one function, `exp a` next to `exp (mul a 1.0)`) gives
// one constvar, and CSE then sees the equations that read it as equal.
class ConstPool {
 public:
  explicit ConstPool(const ClosedJaxpr& program) {
    for (size_t i = 0; i < program.consts.size(); ++i) add(program.jaxpr.constvars[i], program.consts[i]);
  }
  void add(int var, const Array& value) {
    if (value.is_concrete() && value.size() <= kMaxFoldedElements) by_hash_.emplace(hash(value), Entry{var, value});
  }
  // A constvar holding the same type and bytes as `value`, or -1.
  int find(const Array& value) const {
    auto [begin, end] = by_hash_.equal_range(hash(value));
    for (auto it = begin; it != end; ++it)
      if (it->second.value.aval() == value.aval() &&
          std::memcmp(it->second.value.data(), value.data(), bytes(value)) == 0)
        return it->second.var;
    return -1;
  }

 private:
  struct Entry {
    int var;
    Array value;
  };
  static size_t bytes(const Array& v) { return static_cast<size_t>(v.size()) * itemsize(v.dtype()); }
  static size_t hash(const Array& v) {
    return std::hash<std::string_view>()(std::string_view(static_cast<const char*>(v.data()), bytes(v)));
  }
  std::unordered_multimap<size_t, Entry> by_hash_;
};

// ---------------------------------------------------------------- inlining

class Inliner {
 public:
  explicit Inliner(ClosedJaxpr& program) : program_(program), out_(program.jaxpr) {
    for (size_t i = 0; i < out_.constvars.size(); ++i)
      if (program_.consts[i].valid()) const_var_.emplace(program_.consts[i].value().get(), out_.constvars[i]);
  }

  bool run() {
    std::vector<JaxprEqn> eqns = std::move(out_.eqns);
    out_.eqns.clear();
    // The outer program keeps its variable ids; env holds only the outputs
    // of inlined calls.
    Env env(out_.var_types.size());
    for (JaxprEqn& e : eqns) emit(std::move(e), env, /*source=*/nullptr);
    for (Atom& a : out_.outvars) a = env.read(a);
    return inlined_;
  }

 private:
  // Variables of the program being copied -> atoms of the outer program.
  struct Env {
    explicit Env(size_t n) : atoms(n), set(n, false) {}
    std::vector<Atom> atoms;
    std::vector<bool> set;
    Atom read(const Atom& a) const { return a.is_literal() || !set[a.var] ? a : atoms[a.var]; }
    void bind(int var, Atom a) {
      atoms[var] = std::move(a);
      set[var] = true;
    }
  };

  // Appends `e` (variables per env) to the outer program; `source` is the
  // program e belongs to when its outputs need fresh ids (an inlined one).
  void emit(JaxprEqn e, Env& env, const Jaxpr* source) {
    for (Atom& a : e.inputs) a = env.read(a);
    if (e.primitive == &prim::pjit_p) {
      const std::vector<Atom> results = inline_program(*prim::pjit_jaxpr(e.params), e.inputs);
      for (size_t i = 0; i < e.outputs.size(); ++i)
        if (e.outputs[i] >= 0) env.bind(e.outputs[i], results[i]);
      inlined_ = true;
      return;
    }
    if (source)
      for (int& v : e.outputs)
        if (v >= 0) {
          const int fresh = out_.new_var(source->var_types[v]);
          env.bind(v, Atom::variable(fresh));
          v = fresh;
        }
    out_.eqns.push_back(std::move(e));
  }

  std::vector<Atom> inline_program(const ClosedJaxpr& callee, const std::vector<Atom>& args) {
    const Jaxpr& inner = callee.jaxpr;
    Env env(inner.var_types.size());
    for (size_t i = 0; i < inner.constvars.size(); ++i)
      env.bind(inner.constvars[i], const_atom(callee.consts[i], inner.var_types[inner.constvars[i]]));
    for (size_t i = 0; i < inner.invars.size(); ++i)
      env.bind(inner.invars[i], retyped(args[i], inner.var_types[inner.invars[i]]));
    for (const JaxprEqn& e : inner.eqns) emit(e, env, &inner);
    std::vector<Atom> results;
    for (const Atom& a : inner.outvars) results.push_back(env.read(a));
    return results;
  }

  // A constvar of the outer program holding `value` (one per distinct value:
  // a function called twice shares its constants).
  Atom const_atom(const Array& value, const AbstractValue& type) {
    auto [it, inserted] = const_var_.emplace(value.value().get(), -1);
    if (inserted || out_.var_types[it->second] != type) {
      const int v = out_.new_var(type);
      out_.constvars.push_back(v);
      program_.consts.push_back(value);
      it->second = v;
    }
    return Atom::variable(it->second);
  }

  // `arg` as a value of `type`. pjit checks shape and dtype but lets
  // weak_type differ; a convert_element_type keeps the callee's variables
  // the types they were traced with (simplify passes leave it: the types differ).
  Atom retyped(const Atom& arg, const AbstractValue& type) {
    const AbstractValue& have = out_.type_of(arg);
    if (have == type) return arg;
    if (have.shape != type.shape || have.dtype != type.dtype)
      throw Error("inline_calls: a pjit argument of type " + to_string(have) + " for a parameter of type " +
                  to_string(type));
    JaxprEqn convert;
    convert.primitive = &prim::convert_element_type_p;
    convert.inputs.push_back(arg);
    convert.outputs.push_back(out_.new_var(type));
    convert.params = Params{{"new_dtype", type.dtype}, {"weak_type", type.weak_type}};
    out_.eqns.push_back(std::move(convert));
    return Atom::variable(out_.eqns.back().outputs[0]);
  }

  ClosedJaxpr& program_;
  Jaxpr& out_;
  std::unordered_map<const detail::Value*, int> const_var_;
  bool inlined_ = false;
};

}  // namespace

// ------------------------------------------------------------------ passes

bool inline_calls(ClosedJaxpr& program) { return Inliner(program).run(); }

bool eliminate_common_subexpressions(Jaxpr& jaxpr) {
  Rewriter r(jaxpr);
  std::unordered_multimap<size_t, size_t> seen;  // hash -> index of a kept equation
  return r.run([&](JaxprEqn& e) {
    size_t h = std::hash<const void*>()(e.primitive);
    for (const Atom& a : e.inputs) h = h * 1000003 + hash_atom(a);
    auto [begin, end] = seen.equal_range(h);
    for (auto it = begin; it != end; ++it) {
      JaxprEqn& first = r.kept(it->second);
      if (first.primitive != e.primitive || first.inputs.size() != e.inputs.size() ||
          first.outputs.size() != e.outputs.size() || !same_params(first.params, e.params))
        continue;
      bool same = true;
      for (size_t i = 0; same && i < e.inputs.size(); ++i) same = same_atom(first.inputs[i], e.inputs[i]);
      if (!same) continue;
      for (size_t i = 0; i < e.outputs.size(); ++i) {
        if (e.outputs[i] < 0) continue;
        // An output the first equation dropped (dead code elimination made
        // it `_`) is adopted: it is defined there, earlier, with one type.
        if (first.outputs[i] < 0) first.outputs[i] = e.outputs[i];
        else r.rename(e.outputs[i], Atom::variable(first.outputs[i]));
      }
      return true;
    }
    seen.emplace(h, r.num_kept());
    return false;
  });
}

bool fold_constants(ClosedJaxpr& program) {
  Jaxpr& jaxpr = program.jaxpr;
  std::unordered_map<int, size_t> const_index;  // constvar -> index in consts
  for (size_t i = 0; i < jaxpr.constvars.size(); ++i) const_index.emplace(jaxpr.constvars[i], i);
  ConstPool pool(program);
  Rewriter r(jaxpr);
  return r.run([&](JaxprEqn& e) {
    const Primitive& p = *e.primitive;
    if (e.inputs.empty() || &p == &prim::pjit_p || &p == &prim::broadcast_in_dim_p) return false;
    std::vector<Array> args;
    std::vector<const AbstractValue*> avals;
    for (const Atom& a : e.inputs) {
      if (a.is_literal()) {
        args.push_back(a.literal);
      } else {
        auto it = const_index.find(a.var);
        if (it == const_index.end()) return false;
        args.push_back(program.consts[it->second]);
      }
      // A constant of an enclosing transformation (a tracer) has no value yet.
      if (!args.back().is_concrete()) return false;
      avals.push_back(&args.back().aval());
    }
    // The size check comes before evaluating, from the shape rule: dropped
    // outputs (`_`) have no type in the program but are computed all the same.
    int64_t elements = 0;
    for (const AbstractValue& t : p.abstract_eval(p, avals, e.params)) elements += t.size();
    if (elements > kMaxFoldedElements) return false;
    std::vector<Array> outs;
    try {
      // The evaluation interpreter itself, not bind: a compile that runs
      // while a transformation is tracing must not record these.
      outs = detail::eval_primitive(p, args, e.params);
    } catch (const Error&) {
      return false;  // left for run time, which reports it as eager evaluation does
    }
    for (size_t i = 0; i < e.outputs.size(); ++i)
      if (e.outputs[i] >= 0 && outs[i].aval() != jaxpr.var_types[e.outputs[i]]) return false;
    for (size_t i = 0; i < e.outputs.size(); ++i) {
      if (e.outputs[i] < 0) continue;
      if (outs[i].ndim() == 0) {
        r.rename(e.outputs[i], Atom::constant(outs[i]));
        continue;
      }
      if (const int same = pool.find(outs[i]); same >= 0) {
        r.rename(e.outputs[i], Atom::variable(same));
        continue;
      }
      const int v = jaxpr.new_var(outs[i].aval());
      jaxpr.constvars.push_back(v);
      program.consts.push_back(outs[i]);
      const_index.emplace(v, program.consts.size() - 1);
      pool.add(v, outs[i]);
      r.rename(e.outputs[i], Atom::variable(v));
    }
    return true;
  });
}

bool simplify_algebra(Jaxpr& jaxpr) {
  Rewriter r(jaxpr);
  return r.run([&](JaxprEqn& e) { return rename_output(r, jaxpr, e, algebraic_identity(r, e)); });
}

bool forward_substitute(Jaxpr& jaxpr) {
  Rewriter r(jaxpr);
  return r.run([&](JaxprEqn& e) { return rename_output(r, jaxpr, e, copied_operand(e)); });
}

bool drop_unused_constvars(ClosedJaxpr& program) {
  Jaxpr& jaxpr = program.jaxpr;
  const std::vector<bool> used = read_variables(jaxpr);
  std::vector<int> constvars;
  std::vector<Array> consts;
  for (size_t i = 0; i < jaxpr.constvars.size(); ++i)
    if (used[jaxpr.constvars[i]]) {
      constvars.push_back(jaxpr.constvars[i]);
      consts.push_back(std::move(program.consts[i]));
    }
  const bool changed = constvars.size() != jaxpr.constvars.size();
  jaxpr.constvars = std::move(constvars);
  program.consts = std::move(consts);
  return changed;
}

void optimize(ClosedJaxpr& program) {
  inline_calls(program);
  // Each pass can enable the others (a fold makes `mul x 1.0`, a
  // simplification makes two equations alike); a few rounds reach the fixed
  // point in practice, the bound keeps compile time predictable.
  constexpr int kMaxRounds = 8;
  for (int round = 0; round < kMaxRounds; ++round) {
    bool changed = fold_constants(program);
    changed |= simplify_algebra(program.jaxpr);
    changed |= forward_substitute(program.jaxpr);
    changed |= eliminate_common_subexpressions(program.jaxpr);
    const size_t before = program.jaxpr.eqns.size();
    dead_code_elimination(program.jaxpr);
    changed |= program.jaxpr.eqns.size() != before;
    if (!changed) break;
  }
  drop_unused_constvars(program);
}

}  // namespace fluxion::compiler
