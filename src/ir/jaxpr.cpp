// Printing (JAX's pretty-printer layout), evaluation and dead-code
// elimination of jaxprs.
#include "fluxion/jaxpr.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <ostream>
#include <set>
#include <unordered_map>
#include <utility>
#include <variant>

#include "core/format.hpp"
#include "fluxion/errors.hpp"
#include "ir/pretty_printer.hpp"
#include "primitives/primitives.hpp"

namespace fluxion {
namespace {

namespace pp = detail::pp;

// JAX's variable names (_encode_digits_alphabetic): a..z, then ba, bb, ...
// (base 26 with digits a-z).
std::string var_name(int n) {
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('a' + n % 26));
    n /= 26;
  } while (n > 0);
  return s;
}

// JAX's pp_toplevel_jaxpr / pp_jaxpr / pp_eqn ... (jax/_src/core.py, JAX
// 0.11), building the same document JAX builds. One Printer is JAX's
// JaxprPpContext: variable names are handed out in the order the document
// is built (so first occurrence across the whole tree, constvars first, an
// equation's outputs before its parameters and inputs) and continue into
// sub-programs. Our variable ids are per program, so a name is keyed by the
// program and the id, where JAX keys it by the Var object.
class Printer {
 public:
  std::string print(const Jaxpr& top) {
    drop_unused_outputs(top);
    std::vector<pp::Doc> docs;
    share_programs(top, docs);
    docs.push_back(jaxpr(top));
    return pp::format(pp::concat(std::move(docs)), 80);
  }

 private:
  // JAX's _dropvars: an output of a top-level equation that nothing reads
  // prints as `_` (without taking a letter). Sub-programs keep theirs.
  void drop_unused_outputs(const Jaxpr& top) {
    const std::vector<bool> used = read_variables(top);
    for (const JaxprEqn& e : top.eqns)
      for (int v : e.outputs)
        if (v >= 0 && !used[static_cast<size_t>(v)]) slot(top, v) = "_";
  }

  // A program that occurs more than once in the tree (the same parameter
  // object, as JAX compares jaxprs by identity), or any sub-program of more
  // than ten equations, is printed once before the top-level one, `let f =
  // { lambda ... } in`, and referred to by that name: its equation's `name`
  // parameter (a jit's function), else "jaxpr", numbered when taken. Every
  // name is registered before any program prints, so fresh variable names
  // skip them all and a shared program inside another is referred to by its
  // name there. (JAX visits a
  // primitive's sub-programs in its keyword order, ours by name: the two
  // differ only for a while loop whose condition and body are both shared,
  // which are then numbered the other way round.)
  void share_programs(const Jaxpr& top, std::vector<pp::Doc>& docs) {
    std::vector<const Jaxpr*> order;  // by first visit, as Python's Counter
    std::map<const Jaxpr*, int> counts;
    std::map<const Jaxpr*, std::string> names;
    std::deque<const Jaxpr*> queue{&top};
    while (!queue.empty()) {
      const Jaxpr* j = queue.front();
      queue.pop_front();
      if (counts[j]++ == 0) order.push_back(j);
      if (j != &top && j->eqns.size() > 10) ++counts[j];
      for (const JaxprEqn& e : j->eqns) {
        // Of our primitives only jit has a `name` among its JAX parameters
        // (the custom calls' names are added by their printing rules).
        const std::string* name = nullptr;
        if (e.primitive == &prim::pjit_p) name = &e.params.get<std::string>("name");
        for (const auto& [key, value] : e.params.items()) {
          std::vector<const JaxprParam*> subs;
          if (const JaxprParam* sub = std::get_if<JaxprParam>(&value)) subs.push_back(sub);
          if (const JaxprParams* tuple = std::get_if<JaxprParams>(&value))
            for (const JaxprParam& sub : *tuple) subs.push_back(&sub);
          for (const JaxprParam* sub : subs) {
            if (!*sub) continue;
            queue.push_back(&(*sub)->jaxpr);
            if (name) names.emplace(&(*sub)->jaxpr, strip_angle_brackets(*name));
          }
        }
      }
    }
    std::map<std::string, int> name_counts;
    std::vector<std::pair<std::string, const Jaxpr*>> shared;
    for (const Jaxpr* j : order) {
      if (counts[j] == 1) continue;
      auto it = names.find(j);
      std::string name = it == names.end() ? "jaxpr" : it->second;
      if (const int count = name_counts[name]; count > 0) {
        ++name_counts[name];
        name += std::to_string(count);
      }
      ++name_counts[name];
      used_names_.insert(name);
      shared_.emplace(j, name);
      shared.emplace_back(std::move(name), j);
    }
    // pp_shared_jaxpr: printed after every name is registered.
    for (const auto& [name, j] : shared)
      docs.push_back(pp::concat({pp::text("let " + name + " = "), skeleton(*j), pp::text(" in"), pp::brk()}));
  }

  // Python's str.strip("<>"): `<lambda>` -> `lambda`.
  static std::string strip_angle_brackets(const std::string& s) {
    const size_t first = s.find_first_not_of("<>");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of("<>") - first + 1);
  }

  std::string& slot(const Jaxpr& j, int var) {
    std::vector<std::string>& names = names_[&j];
    if (names.empty()) names.resize(j.var_types.size());
    return names[static_cast<size_t>(var)];
  }
  const std::string& name(const Jaxpr& j, int var) {
    std::string& n = slot(j, var);
    if (n.empty()) {
      do n = var_name(next_name_++);
      while (used_names_.count(n));
    }
    return n;
  }

  // JAX's suggest_same_var_names: each variable of `sub` in `for_vars`
  // takes the name of the equation's atom in the same place in `like`,
  // unless that is a literal or was already lent, or the variable already
  // has a name. The equation's atoms are named now if they were not yet.
  // Both lists hold variable ids, kLiteral for a literal; in `like`, -1 is
  // a dropped output, which lends its `_`.
  static constexpr int kLiteral = -2;
  static std::vector<int> ids(const std::vector<Atom>& atoms) {
    std::vector<int> out;
    for (const Atom& a : atoms) out.push_back(a.is_literal() ? kLiteral : a.var);
    return out;
  }
  void suggest_same_names(const Jaxpr& sub, const std::vector<int>& for_vars, const Jaxpr& j,
                          const std::vector<int>& like) {
    if (for_vars.size() != like.size()) return;
    std::set<int> lent;
    for (size_t i = 0; i < like.size(); ++i) {
      if (for_vars[i] < 0 || like[i] == kLiteral) continue;
      if (like[i] >= 0 && !lent.insert(like[i]).second) continue;
      if (!slot(sub, for_vars[i]).empty()) continue;
      slot(sub, for_vars[i]) = like[i] >= 0 ? name(j, like[i]) : "_";
    }
  }

  // pp_vars: `sep` then a space between items, each space its own group, so
  // a list too long for its line fills lines rather than taking one each.
  static pp::Doc vars(std::vector<pp::Doc> items, bool commas = false) {
    // Only breaks make groups and nests matter, so a list of one lays out
    // as its item alone: leaving the wrappers out saves most of the nodes of
    // a long program's document.
    if (items.size() <= 1) return items.empty() ? pp::nil() : std::move(items.front());
    // Documents are immutable: the two separators are built once.
    static const pp::Doc space = pp::text("") + pp::group(pp::brk());
    static const pp::Doc comma = pp::text(",") + pp::group(pp::brk());
    return pp::nest(2, pp::group(pp::join(commas ? comma : space, std::move(items))));
  }
  // pp_vars(print_shapes=True) for the variables an equation or program
  // binds; -1 is a dropped output, which JAX prints `_` with its type.
  pp::Doc binders(const Jaxpr& j, const std::vector<int>& ids, const std::vector<AbstractValue>* types = nullptr) {
    std::vector<pp::Doc> items;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] >= 0) items.push_back(pp::text(name(j, ids[i]) + ":" + to_string(j.var_types[ids[i]])));
      else items.push_back(pp::text(types ? "_:" + to_string((*types)[i]) : "_"));
    }
    return vars(std::move(items));
  }
  // Literal.pretty_print: `str(np.asarray(val).item())`, so a floating
  // literal of any width prints as the Python float (a double) it converts
  // to: 0.1 in float32 prints 0.10000000149011612.
  pp::Doc atom(const Jaxpr& j, const Atom& a) {
    if (!a.is_literal()) return pp::text(name(j, a.var));
    const Array& v = a.literal;
    const Array shown = is_floating(v.dtype()) ? v.astype(float64) : v;
    return pp::text(detail::numpy_str(shown.data(), shown.dtype(), {}) + ":" + to_string(AbstractValue{{}, v.dtype()}));
  }
  pp::Doc atoms(const Jaxpr& j, const std::vector<Atom>& as, bool commas = false) {
    std::vector<pp::Doc> items;
    items.reserve(as.size());
    for (const Atom& a : as) items.push_back(atom(j, a));
    return vars(std::move(items), commas);
  }

  // A dropped output keeps no variable, hence no type: its primitive's shape
  // rule gives it again. A rule that rejects the inputs (a malformed program)
  // leaves the bare `_` rather than making printing throw.
  static std::vector<AbstractValue> output_types(const Jaxpr& j, const JaxprEqn& e) {
    if (!e.primitive->abstract_eval) return {};
    std::vector<const AbstractValue*> in;
    for (const Atom& a : e.inputs) in.push_back(&j.type_of(a));
    try {
      std::vector<AbstractValue> out = e.primitive->abstract_eval(*e.primitive, in, e.params);
      if (out.size() == e.outputs.size()) return out;
    } catch (const std::exception&) {
    }
    return {};
  }

  // pp_eqn: the primitive's printing rule (its pp_eqn_rules entry), then
  // _pp_eqn, built in JAX's order, which is the order names are handed
  // out: the rule's name suggestions, outputs, parameters (sub-programs),
  // inputs.
  pp::Doc eqn(const Jaxpr& j, const JaxprEqn& e) {
    static const pp::Doc equals = pp::text(" = "), space = pp::text(" ");
    PrintedEqn printed;
    if (e.primitive->print) {
      printed = e.primitive->print(e.params);
    } else {
      for (const Params::Item& item : e.params.items()) printed.params.emplace_back(item.first, item.second);
    }
    if (const ClosedJaxpr* sub = printed.same_names_as_equation; sub && !shared_.contains(&sub->jaxpr)) {
      suggest_same_names(sub->jaxpr, sub->jaxpr.invars, j, ids(e.inputs));
      suggest_same_names(sub->jaxpr, ids(sub->jaxpr.outvars), j, e.outputs);
    }
    std::vector<pp::Doc> parts;
    parts.reserve(6);
    if (!e.outputs.empty()) {
      std::vector<AbstractValue> types;
      if (std::any_of(e.outputs.begin(), e.outputs.end(), [](int v) { return v < 0; })) types = output_types(j, e);
      parts.push_back(binders(j, e.outputs, types.empty() ? nullptr : &types));
      parts.push_back(equals);
    }
    parts.push_back(pp::text(std::string(e.primitive->name)));
    parts.push_back(kv_pairs(printed));
    // JAX's `text(" ") + pp_vars(invars)`, flattened into this concat (the
    // same layout); JAX writes the space even before an empty input list.
    parts.push_back(space);
    parts.push_back(atoms(j, e.inputs));
    return pp::concat(std::move(parts));
  }

  // pp_kv_pairs.
  pp::Doc kv_pairs(const PrintedEqn& printed) {
    if (printed.params.empty()) return pp::nil();
    std::vector<pp::Doc> kvs;
    for (const auto& [key, value] : printed.params) kvs.push_back(kv_pair(key, value));
    return pp::group(pp::concat({pp::nest(2, pp::concat({pp::text("["), pp::brk(""), pp::join(pp::brk(), std::move(kvs))})),
                                 pp::brk(""), pp::text("]")}));
  }
  // pp_kv_pair: a sub-program is printed in this context, every other value
  // as its text.
  pp::Doc kv_pair(std::string_view key, const ParamValue& value) {
    pp::Doc v;
    const JaxprParam* sub = std::get_if<JaxprParam>(&value);
    const JaxprParams* tuple = std::get_if<JaxprParams>(&value);
    if (sub && *sub) v = jaxpr((*sub)->jaxpr);
    else if (tuple) v = jaxprs(*tuple);
    else v = pp::text(param_to_string(value));
    return pp::text(std::string(key) + "=") + std::move(v);
  }

  // pp_jaxprs: a tuple of programs, one per line unless all fit on one.
  pp::Doc jaxprs(const JaxprParams& tuple) {
    std::vector<pp::Doc> docs;
    for (const JaxprParam& j : tuple) docs.push_back(j ? jaxpr(j->jaxpr) : pp::text("None"));
    return pp::group(pp::concat({pp::nest(2, pp::concat({pp::text("("), pp::brk(""), pp::join(pp::brk(), std::move(docs))})),
                                 pp::brk(""), pp::text(")")}));
  }

  // pp_jaxpr: a shared program by its name, any other in full.
  pp::Doc jaxpr(const Jaxpr& j) {
    if (auto it = shared_.find(&j); it != shared_.end()) return pp::text(it->second);
    return skeleton(j);
  }

  // pp_jaxpr_skeleton: one group, so a program that fits on the rest of its
  // line stays on it; otherwise `let`, each equation and `in` start lines.
  pp::Doc skeleton(const Jaxpr& j) {
    pp::Doc constvars = binders(j, j.constvars);
    pp::Doc invars = binders(j, j.invars);
    std::vector<pp::Doc> eqns;
    for (const JaxprEqn& e : j.eqns) eqns.push_back(eqn(j, e));
    pp::Doc eqns_doc = pp::join(pp::brk("; "), std::move(eqns));
    pp::Doc outvars = pp::concat(
        {pp::text("("), atoms(j, j.outvars, /*commas=*/true), pp::text(j.outvars.size() == 1 ? ",)" : ")")});
    return pp::group(pp::concat(
        {pp::nest(2, pp::concat({pp::text("{ "), pp::text("lambda "), std::move(constvars), pp::text("; "),
                                 std::move(invars), pp::text(". "), pp::text("let"),
                                 pp::nest(2, pp::brk() + std::move(eqns_doc)), pp::brk(), pp::text("in "),
                                 std::move(outvars)})),
         pp::text(" }")}));
  }

  // Variable names by program, then by variable id ("" until named).
  std::unordered_map<const Jaxpr*, std::vector<std::string>> names_;
  int next_name_ = 0;
  std::set<std::string> used_names_;            // shared programs' names
  std::map<const Jaxpr*, std::string> shared_;  // programs printed before the top-level one
};

}  // namespace

std::string Jaxpr::str() const { return Printer().print(*this); }

std::ostream& operator<<(std::ostream& os, const Jaxpr& jaxpr) { return os << jaxpr.str(); }
std::ostream& operator<<(std::ostream& os, const ClosedJaxpr& jaxpr) { return os << jaxpr.str(); }

std::vector<Array> eval_jaxpr(const Jaxpr& jaxpr, std::span<const Array> consts, std::span<const Array> args) {
  std::vector<Array> env(jaxpr.var_types.size());
  for (size_t i = 0; i < jaxpr.constvars.size(); ++i) env[jaxpr.constvars[i]] = consts[i];
  for (size_t i = 0; i < jaxpr.invars.size(); ++i) env[jaxpr.invars[i]] = args[i];
  auto read = [&](const Atom& a) -> const Array& { return a.is_literal() ? a.literal : env[a.var]; };
  std::vector<Array> inputs;
  for (const JaxprEqn& e : jaxpr.eqns) {
    inputs.clear();
    for (const Atom& a : e.inputs) inputs.push_back(read(a));
    std::vector<Array> outs = fluxion::bind(*e.primitive, inputs, e.params);
    for (size_t i = 0; i < e.outputs.size(); ++i)
      if (e.outputs[i] >= 0) env[e.outputs[i]] = std::move(outs[i]);
  }
  std::vector<Array> result;
  for (const Atom& a : jaxpr.outvars) result.push_back(read(a));
  return result;
}

void dead_code_elimination(Jaxpr& jaxpr) {
  std::vector<bool> live(jaxpr.var_types.size(), false);
  for (const Atom& a : jaxpr.outvars)
    if (!a.is_literal()) live[a.var] = true;
  std::vector<JaxprEqn> kept;
  for (auto it = jaxpr.eqns.rbegin(); it != jaxpr.eqns.rend(); ++it) {
    bool used = false;
    for (int v : it->outputs) used = used || (v >= 0 && live[v]);
    if (!used) continue;  // every primitive is pure, so an unused equation can go
    for (int& v : it->outputs)
      if (v >= 0 && !live[v]) v = -1;
    for (const Atom& a : it->inputs)
      if (!a.is_literal()) live[a.var] = true;
    kept.push_back(std::move(*it));
  }
  jaxpr.eqns.assign(std::make_move_iterator(kept.rbegin()), std::make_move_iterator(kept.rend()));
}

std::vector<bool> read_variables(const Jaxpr& jaxpr) {
  std::vector<bool> read(jaxpr.var_types.size(), false);
  for (const JaxprEqn& e : jaxpr.eqns)
    for (const Atom& a : e.inputs)
      if (!a.is_literal()) read[static_cast<size_t>(a.var)] = true;
  for (const Atom& a : jaxpr.outvars)
    if (!a.is_literal()) read[static_cast<size_t>(a.var)] = true;
  return read;
}

void canonicalize_order(Jaxpr& jaxpr) {
  std::vector<int> producer(jaxpr.var_types.size(), -1);
  for (size_t i = 0; i < jaxpr.eqns.size(); ++i)
    for (int v : jaxpr.eqns[i].outputs)
      if (v >= 0) producer[v] = static_cast<int>(i);
  // A convert that makes a weakly typed operand strong (jnp's promotion of
  // `carry + x * y` when carry is weak) happens, in Python, after every
  // operand of the operation has been computed: its input is visited in the
  // operand's turn, the convert itself after all operands.
  auto promotion_convert = [&](const Atom& a) {
    if (a.is_literal() || producer[a.var] < 0) return false;
    const JaxprEqn& e = jaxpr.eqns[producer[a.var]];
    if (e.primitive != &prim::convert_element_type_p || e.inputs.empty()) return false;
    const AbstractValue& in = jaxpr.type_of(e.inputs[0]);
    const AbstractValue& out = jaxpr.var_types[a.var];
    return in.weak_type && !out.weak_type && in.dtype == out.dtype;
  };
  auto children = [&](int eqn) {
    std::vector<Atom> first, last;
    for (const Atom& in : jaxpr.eqns[eqn].inputs) {
      if (promotion_convert(in)) {
        first.push_back(jaxpr.eqns[producer[in.var]].inputs[0]);
        last.push_back(in);
      } else {
        first.push_back(in);
      }
    }
    first.insert(first.end(), last.begin(), last.end());
    return first;
  };
  std::vector<bool> emitted(jaxpr.eqns.size(), false);
  std::vector<int> order;
  // Iterative post-order DFS (programs can be long): (equation, its children, next child).
  struct Frame {
    int eqn;
    std::vector<Atom> children;
    size_t next = 0;
  };
  std::vector<Frame> stack;
  auto push = [&](const Atom& a) {
    if (a.is_literal() || producer[a.var] < 0 || emitted[producer[a.var]]) return;
    emitted[producer[a.var]] = true;  // claimed now, emitted after its inputs
    stack.push_back(Frame{producer[a.var], children(producer[a.var])});
  };
  // An equation emitted brings along the ones its JVP rule recorded with
  // it, once they are ready (their inputs emitted): the residuals a
  // derivative reads later, such as 2x beside x**2, which JAX evaluates at
  // that point too.
  std::vector<bool> done(jaxpr.eqns.size(), false);
  auto ready = [&](size_t i) {
    for (const Atom& a : jaxpr.eqns[i].inputs)
      if (!a.is_literal() && producer[a.var] >= 0 && !done[producer[a.var]]) return false;
    return true;
  };
  auto emit = [&](int eqn) {
    order.push_back(eqn);
    done[eqn] = true;
    const int group = jaxpr.eqns[eqn].group;
    if (group < 0) return;
    for (size_t next = static_cast<size_t>(eqn) + 1;
         next < jaxpr.eqns.size() && jaxpr.eqns[next].group == group && !emitted[next] && ready(next); ++next) {
      emitted[next] = done[next] = true;
      order.push_back(static_cast<int>(next));
    }
  };
  auto drain = [&] {
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next < f.children.size()) {
        const Atom child = f.children[f.next++];
        push(child);
      } else {
        const int eqn = f.eqn;
        stack.pop_back();
        emit(eqn);
      }
    }
  };
  auto walk = [&](int eqn) {
    if (emitted[eqn]) return;  // an earlier equation brought it along
    emitted[eqn] = true;
    stack.push_back(Frame{eqn, children(eqn)});
    drain();
  };
  // The roots are the outputs, in order, and the equations whose results
  // nothing reads (what f computed and dropped, such as the value in
  // grad's forward pass), in the order they were recorded. The two lists
  // merge by when each root was recorded, so a dropped value computed
  // before the outputs (grad's forward pass before its backward pass)
  // prints before them, as JAX's evaluation order has it.
  const std::vector<bool> used = read_variables(jaxpr);
  std::vector<int> dead;
  for (size_t i = 0; i < jaxpr.eqns.size(); ++i) {
    const auto& outs = jaxpr.eqns[i].outputs;
    if (std::none_of(outs.begin(), outs.end(), [&](int v) { return v >= 0 && used[v]; }))
      dead.push_back(static_cast<int>(i));
  }
  auto recorded_at = [&](const Atom& a) { return a.is_literal() ? -1 : producer[a.var]; };
  size_t next_dead = 0;
  for (const Atom& out : jaxpr.outvars) {
    for (; next_dead < dead.size() && dead[next_dead] < recorded_at(out); ++next_dead) walk(dead[next_dead]);
    if (recorded_at(out) >= 0) walk(recorded_at(out));
  }
  for (; next_dead < dead.size(); ++next_dead) walk(dead[next_dead]);
  if (order.size() != jaxpr.eqns.size()) throw Error("canonicalize_order: internal error, equations lost or repeated");
  std::vector<JaxprEqn> sorted;
  sorted.reserve(order.size());
  for (int i : order) sorted.push_back(std::move(jaxpr.eqns[i]));
  jaxpr.eqns = std::move(sorted);
}

}  // namespace fluxion
