// Printing (JAX's pretty-printer layout), evaluation and dead-code
// elimination of jaxprs.
#include "fluxion/jaxpr.hpp"

#include <ostream>
#include <unordered_map>

#include "core/format.hpp"

namespace fluxion {
namespace {

// JAX's variable names: a..z, then ba, bb, ... (base 26 with digits a-z).
std::string var_name(int n) {
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('a' + n % 26));
    n /= 26;
  } while (n > 0);
  return s;
}

class Printer {
 public:
  explicit Printer(const Jaxpr& j) : j_(j) {}

  std::string binder(int var) { return name(var) + ":" + to_string(j_.var_types[var]); }
  std::string atom(const Atom& a) {
    if (!a.is_literal()) return name(a.var);
    const Array& v = a.literal;
    return detail::numpy_str(v.data(), v.dtype(), {}) + ":" + to_string(AbstractValue{{}, v.dtype()});
  }
  std::string binders(const std::vector<int>& vars) {
    std::string s;
    for (size_t i = 0; i < vars.size(); ++i) s += (i ? " " : "") + binder(vars[i]);
    return s;
  }
  std::string eqn(const JaxprEqn& e) {
    std::string lhs;
    for (size_t i = 0; i < e.outputs.size(); ++i) {
      if (i) lhs += " ";
      lhs += e.outputs[i] < 0 ? "_" : binder(e.outputs[i]);
    }
    std::string rhs(e.primitive->name);
    if (!e.params.items().empty()) {
      rhs += "[";
      bool first = true;
      for (const auto& [k, v] : e.params.items()) {
        rhs += (first ? "" : " ") + std::string(k) + "=" + param_to_string(v);
        first = false;
      }
      rhs += "]";
    }
    for (const Atom& a : e.inputs) rhs += " " + atom(a);
    return lhs + " = " + rhs;
  }

 private:
  std::string name(int var) {
    auto [it, inserted] = names_.emplace(var, std::string());
    if (inserted) it->second = var_name(next_++);
    return it->second;
  }
  const Jaxpr& j_;
  std::unordered_map<int, std::string> names_;
  int next_ = 0;
};

}  // namespace

// JAX's pp_jaxpr_skeleton is one group: on a single line when it fits in 80
// columns, otherwise every break opens a new line (equations indented four,
// `in` two).
std::string Jaxpr::str() const {
  Printer p(*this);
  // Names are handed out in order of first use, constvars first as in JAX
  // (two statements: C++ leaves the order of a + b's operands unspecified).
  const std::string const_binders = p.binders(constvars);
  const std::string head = "{ lambda " + const_binders + "; " + p.binders(invars) + ". let";
  std::vector<std::string> lines;
  for (const JaxprEqn& e : eqns) lines.push_back(p.eqn(e));
  std::string outs;
  for (size_t i = 0; i < outvars.size(); ++i) outs += (i ? " " : "") + p.atom(outvars[i]);
  const std::string tail = "in (" + outs + (outvars.size() == 1 ? ",)" : ")") + " }";
  std::string flat = head + " ";  // no equations leave JAX's two spaces: `let  in`
  for (size_t i = 0; i < lines.size(); ++i) flat += (i ? "; " : "") + lines[i];
  flat += " " + tail;
  if (flat.size() <= 80) return flat;
  std::string broken = head;
  for (const std::string& l : lines) broken += "\n    " + l;
  return broken + "\n  " + tail;
}

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
    std::vector<Array> outs = bind(*e.primitive, inputs, e.params);
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
  std::vector<bool> emitted(jaxpr.eqns.size(), false);
  std::vector<int> order;
  // Iterative post-order DFS (programs can be long): (equation, next input).
  std::vector<std::pair<int, size_t>> stack;
  auto visit = [&](const Atom& a) {
    if (a.is_literal() || producer[a.var] < 0 || emitted[producer[a.var]]) return;
    emitted[producer[a.var]] = true;  // claimed now, emitted after its inputs
    stack.emplace_back(producer[a.var], 0);
    while (!stack.empty()) {
      auto& [eqn, next] = stack.back();
      const auto& inputs = jaxpr.eqns[eqn].inputs;
      if (next < inputs.size()) {
        const Atom& in = inputs[next++];
        if (!in.is_literal() && producer[in.var] >= 0 && !emitted[producer[in.var]]) {
          emitted[producer[in.var]] = true;
          stack.emplace_back(producer[in.var], 0);
        }
      } else {
        order.push_back(eqn);
        stack.pop_back();
      }
    }
  };
  for (const Atom& a : jaxpr.outvars) visit(a);
  for (size_t i = 0; i < jaxpr.eqns.size(); ++i)  // anything left (not live) keeps its place at the end
    if (!emitted[i]) order.push_back(static_cast<int>(i));
  std::vector<JaxprEqn> sorted;
  sorted.reserve(order.size());
  for (int i : order) sorted.push_back(std::move(jaxpr.eqns[i]));
  jaxpr.eqns = std::move(sorted);
}

}  // namespace fluxion
