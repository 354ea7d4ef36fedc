#include "interpreters/staging.hpp"

#include "core/alloc.hpp"

namespace fluxion::detail {
namespace {

class StagedTracer final : public Tracer {
 public:
  StagedTracer(AbstractValue aval, std::shared_ptr<TraceTag> tag, int var)
      : Tracer(std::move(aval), std::move(tag)), var_(var) {}
  int var() const { return var_; }

 private:
  int var_;
};

// The storage of the last program handed to recycle() on this thread.
struct RecycleBin {
  Jaxpr jaxpr;
  bool full = false;
  ~RecycleBin();
};
// Set when the bin is destroyed at thread exit, for programs dropped later.
thread_local bool t_bin_gone = false;
thread_local RecycleBin t_bin;
RecycleBin::~RecycleBin() { t_bin_gone = true; }

// Programs longer than this are not kept (their storage would stay pinned).
constexpr size_t kMaxRecycledEqns = 256;

}  // namespace

void StagingInterpreter::recycle(Jaxpr&& jaxpr) noexcept {
  if (t_bin_gone || t_bin.full || jaxpr.eqns.size() > kMaxRecycledEqns) return;
  // Release every value the program refers to (literals, parameters); keep
  // the vectors and their capacity.
  for (JaxprEqn& e : jaxpr.eqns) {
    e.primitive = nullptr;
    e.inputs.clear();
    e.outputs.clear();
    e.params = Params();
  }
  jaxpr.var_types.clear();
  jaxpr.constvars.clear();
  jaxpr.invars.clear();
  jaxpr.outvars.clear();
  t_bin.jaxpr = std::move(jaxpr);
  t_bin.full = true;
}

// Reverse mode records and drops one linear program per gradient: start from
// the last one's storage when there is one (its equations are reused in
// place, see process_primitive), else with room for a small program. The
// reservations stay under 1 KiB: glibc serves larger requests from its
// unsorted bins after consolidating the fast ones, which measured slower
// than the reallocations saved.
StagingInterpreter::StagingInterpreter() {
  if (!t_bin_gone && t_bin.full) {
    jaxpr_ = std::move(t_bin.jaxpr);
    t_bin.full = false;
  }
  jaxpr_.eqns.reserve(8);
  jaxpr_.var_types.reserve(16);
  jaxpr_.constvars.reserve(8);
  consts_.reserve(8);
}

Array StagingInterpreter::new_input(const AbstractValue& aval) {
  const int var = jaxpr_.new_var(aval);
  jaxpr_.invars.push_back(var);
  return Array(std::allocate_shared<StagedTracer>(PoolAllocator<StagedTracer>{}, aval, tag(), var));
}

Atom StagingInterpreter::atom_of(const Array& x) {
  const Value* v = x.value().get();
  if (v->is_tracer() && v->owner() == this) return Atom::variable(static_cast<const StagedTracer*>(v)->var());
  if (!v->is_tracer() && x.ndim() == 0) return Atom::constant(x);
  // Is v a constant already? A linear scan while there are few (a gradient's
  // linear program closes over a dozen primal values; a hash map cost a node
  // allocation per constant), a hash map once there are more.
  constexpr size_t kScanned = 32;
  if (consts_.size() <= kScanned) {
    for (size_t i = 0; i < consts_.size(); ++i)
      if (consts_[i].value().get() == v) return Atom::variable(jaxpr_.constvars[i]);
  } else {
    if (const_vars_.empty())
      for (size_t i = 0; i < consts_.size(); ++i) const_vars_.emplace(consts_[i].value().get(), jaxpr_.constvars[i]);
    if (auto it = const_vars_.find(v); it != const_vars_.end()) return Atom::variable(it->second);
  }
  const int var = jaxpr_.new_var(x.aval());
  jaxpr_.constvars.push_back(var);
  consts_.push_back(x);  // keeps v alive, so its address stays a valid key
  if (!const_vars_.empty()) const_vars_.emplace(v, var);
  return Atom::variable(var);
}

std::vector<Array> StagingInterpreter::process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                                         const Params& params) {
  // The equation's slot: one left by a recycled program (its vectors keep
  // their capacity), or a new one. It counts only once the shape rule passed.
  if (n_eqns_ == jaxpr_.eqns.size()) jaxpr_.eqns.emplace_back();
  JaxprEqn& eqn = jaxpr_.eqns[n_eqns_];
  eqn.primitive = &prim;
  eqn.params = params;
  eqn.group = current_rule_group;
  eqn.inputs.clear();
  eqn.outputs.clear();
  eqn.inputs.reserve(inputs.size());
  OperandBuffer<const AbstractValue*> avals(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    eqn.inputs.push_back(atom_of(inputs[i]));
    avals[i] = &inputs[i].aval();
  }
  std::vector<AbstractValue> out_avals = prim.abstract_eval(prim, avals.span(), params);
  std::vector<Array> outs;
  for (AbstractValue& aval : out_avals) {
    const int var = jaxpr_.new_var(aval);
    eqn.outputs.push_back(var);
    outs.push_back(Array(std::allocate_shared<StagedTracer>(PoolAllocator<StagedTracer>{}, std::move(aval), tag(), var)));
  }
  ++n_eqns_;
  return outs;
}

ClosedJaxpr StagingInterpreter::finish(std::span<const Array> outputs) {
  for (const Array& x : outputs) jaxpr_.outvars.push_back(atom_of(x));
  jaxpr_.eqns.resize(n_eqns_);  // drops unused recycled slots
  return ClosedJaxpr{std::move(jaxpr_), std::move(consts_), nullptr};
}

}  // namespace fluxion::detail
