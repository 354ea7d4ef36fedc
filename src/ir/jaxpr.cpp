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

// JAX's pp_toplevel_jaxpr / pp_jaxpr / pp_eqn ... (jax/_src/core.py, 0.4.x),
// building the same document JAX builds. One Printer is JAX's
// JaxprPpContext: variable names are handed out in the order the document
// is built (so first occurrence across the whole tree, constvars first, an
// equation's outputs before its parameters and inputs) and continue into
// sub-programs. Our variable ids are per program, so a name is keyed by the
// program and the id, where JAX keys it by the Var object.
class Printer {
 public:
  std::string print(const Jaxpr& top) {
    std::vector<pp::Doc> docs;
    share_repeated_programs(top, docs);
    docs.push_back(jaxpr(top));
    return pp::format(pp::concat(std::move(docs)), 80);
  }

 private:
  // A program that occurs more than once in the tree (the same parameter
  // object, as JAX compares jaxprs by identity) is printed once before the
  // top-level one, `let f = { lambda ... } in`, named after its equation's
  // `name` parameter, and referred to by that name. This follows JAX's
  // order of operations exactly, quirks included: a shared program's body
  // is printed before its name is registered (a shared program inside an
  // earlier shared one is printed inline there), and fresh variable names
  // skip only names registered so far.
  void share_repeated_programs(const Jaxpr& top, std::vector<pp::Doc>& docs) {
    std::vector<const Jaxpr*> order;  // by first visit, as Python's Counter
    std::map<const Jaxpr*, int> counts;
    std::map<const Jaxpr*, std::string> names;
    std::deque<const Jaxpr*> queue{&top};
    while (!queue.empty()) {
      const Jaxpr* j = queue.front();
      queue.pop_front();
      if (counts[j]++ == 0) order.push_back(j);
      for (const JaxprEqn& e : j->eqns) {
        const std::string* name = nullptr;
        if (e.params.contains("name")) name = std::get_if<std::string>(&e.params.at("name"));
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
    for (const Jaxpr* j : order) {
      if (counts[j] == 1) continue;
      auto it = names.find(j);
      std::string name = it == names.end() ? "jaxpr" : it->second;
      if (const int count = name_counts[name]; count > 0) {
        ++name_counts[name];
        name += std::to_string(count);
      }
      ++name_counts[name];
      docs.push_back(pp::concat({pp::text("let " + name + " = "), jaxpr(*j), pp::text(" in"), pp::brk()}));
      used_names_.insert(name);
      shared_.emplace(j, std::move(name));
    }
  }

  // Python's str.strip("<>"): `<lambda>` -> `lambda`.
  static std::string strip_angle_brackets(const std::string& s) {
    const size_t first = s.find_first_not_of("<>");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of("<>") - first + 1);
  }

  const std::string& name(const Jaxpr& j, int var) {
    std::vector<std::string>& names = names_[&j];
    if (names.empty()) names.resize(j.var_types.size());
    std::string& n = names[static_cast<size_t>(var)];
    if (n.empty()) {
      do n = var_name(next_name_++);
      while (used_names_.count(n));
    }
    return n;
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
  pp::Doc atom(const Jaxpr& j, const Atom& a) {
    if (!a.is_literal()) return pp::text(name(j, a.var));
    const Array& v = a.literal;
    return pp::text(detail::numpy_str(v.data(), v.dtype(), {}) + ":" + to_string(AbstractValue{{}, v.dtype()}));
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

  // _pp_eqn. Built in JAX's order, which is the order names are handed out:
  // outputs, then parameters (sub-programs), then inputs.
  pp::Doc eqn(const Jaxpr& j, const JaxprEqn& e) {
    static const pp::Doc equals = pp::text(" = "), space = pp::text(" ");
    std::vector<pp::Doc> parts;
    parts.reserve(6);
    if (!e.outputs.empty()) {
      std::vector<AbstractValue> types;
      if (std::any_of(e.outputs.begin(), e.outputs.end(), [](int v) { return v < 0; })) types = output_types(j, e);
      parts.push_back(binders(j, e.outputs, types.empty() ? nullptr : &types));
      parts.push_back(equals);
    }
    parts.push_back(pp::text(std::string(e.primitive->name)));
    parts.push_back(kv_pairs(e));
    // JAX's `text(" ") + pp_vars(invars)`, flattened into this concat (the
    // same layout); JAX writes the space even before an empty input list.
    parts.push_back(space);
    parts.push_back(atoms(j, e.inputs));
    return pp::concat(std::move(parts));
  }

  // pp_kv_pairs: sorted by key, except that pjit's rule (_pjit_pp_rule)
  // moves `name` to the front "to make the resulting equation easier to
  // scan".
  pp::Doc kv_pairs(const JaxprEqn& e) {
    if (e.params.items().empty()) return pp::nil();
    std::vector<const Params::Item*> items;
    for (const Params::Item& item : e.params.items()) items.push_back(&item);
    // The custom-derivative calls print the same way and hide num_consts
    // (their _custom_jvp_call_pp / _custom_vjp_call_pp rules).
    const bool custom = e.primitive == &prim::custom_jvp_call_p || e.primitive == &prim::custom_vjp_call_p;
    if (custom) std::erase_if(items, [](const Params::Item* i) { return i->first == "num_consts"; });
    // scan's rule (_scan_pp_rule) hides `linear`, and `_split_transpose` when False.
    if (e.primitive == &prim::scan_p)
      std::erase_if(items, [](const Params::Item* i) {
        return i->first == "linear" || (i->first == "_split_transpose" && std::get_if<bool>(&i->second) &&
                                        !std::get<bool>(i->second));
      });
    if (e.primitive == &prim::pjit_p || custom)
      std::stable_partition(items.begin(), items.end(), [](const Params::Item* i) { return i->first == "name"; });
    std::vector<pp::Doc> kvs;
    for (const Params::Item* item : items) kvs.push_back(kv_pair(item->first, item->second));
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
    else if (key == "in_zeros") v = pp::text(bool_list(std::get<std::vector<bool>>(value)));  // custom_lin's is a list
    else v = pp::text(param_to_string(value));
    return pp::text(std::string(key) + "=") + std::move(v);
  }

  static std::string bool_list(const std::vector<bool>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += std::string(i ? ", " : "") + (v[i] ? "True" : "False");
    return s + "]";
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
  for (const Atom& out : jaxpr.outvars) {
    push(out);
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next < f.children.size()) {
        const Atom child = f.children[f.next++];
        push(child);
      } else {
        order.push_back(f.eqn);
        stack.pop_back();
      }
    }
  }
  for (size_t i = 0; i < jaxpr.eqns.size(); ++i)  // anything left (not live) keeps its place at the end
    if (!emitted[i]) order.push_back(static_cast<int>(i));
  std::vector<JaxprEqn> sorted;
  sorted.reserve(order.size());
  for (int i : order) sorted.push_back(std::move(jaxpr.eqns[i]));
  jaxpr.eqns = std::move(sorted);
}

}  // namespace fluxion
