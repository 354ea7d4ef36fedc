#include "interpreters/jet.hpp"

#include <string>

#include "core/alloc.hpp"
#include "fluxion/errors.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::detail {
namespace {

class JetTracer final : public Tracer {
 public:
  JetTracer(std::shared_ptr<TraceTag> tag, Array primal, std::vector<Array> series)
      : Tracer(primal.aval(), std::move(tag)), primal_(std::move(primal)), series_(std::move(series)) {}
  // A concrete primal is this value: native control flow on it works under jet.
  const void* data() const override { return primal_.value()->data(); }
  const Array& primal() const { return primal_; }
  const std::vector<Array>& series() const { return series_; }

 private:
  Array primal_;
  std::vector<Array> series_;
};

}  // namespace

Array JetInterpreter::make_tracer(Array primal, std::vector<Array> series) {
  if (series.empty() || !is_floating(primal.dtype())) return primal;
  return Array(std::allocate_shared<JetTracer>(PoolAllocator<JetTracer>{}, tag(), std::move(primal),
                                               std::move(series)));
}

std::pair<Array, std::vector<Array>> JetInterpreter::unpack(const Array& x) const {
  const Value* v = x.value().get();
  if (v->is_tracer() && v->owner() == this) {
    const auto* t = static_cast<const JetTracer*>(v);
    return {t->primal(), t->series()};
  }
  return {x, {}};
}

std::vector<Array> JetInterpreter::process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                                     const Params& params) {
  std::vector<Array> primals(inputs.size());
  std::vector<std::vector<Array>> series(inputs.size());
  bool moving = false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto [p, s] = unpack(inputs[i]);
    primals[i] = std::move(p);
    series[i] = std::move(s);
    moving = moving || !series[i].empty();
  }
  // Nothing moves (a value created inside the function, a constant): the
  // primitive itself, one level down.
  if (!moving) return fluxion::bind(prim, primals, params);
  // Every registered primitive has a rule (tests/core/registry_test.cpp); a
  // user's own primitive without one gets its terms from its JVP rule.
  if (!prim.jet && !prim.jvp)
    throw Error("Taylor rule (jet) for '" + std::string(prim.name) + "' not implemented");
  const TaylorRule rule = prim.jet ? prim.jet : &prim::taylor_via_jvp;
  TaylorResult r;
  {
    RuleGroupScope group;
    r = rule(prim, primals, series, params);
  }
  std::vector<Array> outs;
  outs.reserve(r.primals_out.size());
  for (size_t i = 0; i < r.primals_out.size(); ++i) {
    std::vector<Array> s = i < r.series_out.size() ? std::move(r.series_out[i]) : std::vector<Array>{};
    if (!s.empty() && s.size() != order_)
      throw Error("internal error: the Taylor rule of '" + std::string(prim.name) + "' returned " +
                  std::to_string(s.size()) + " terms for a jet of order " + std::to_string(order_));
    outs.push_back(make_tracer(std::move(r.primals_out[i]), std::move(s)));
  }
  return outs;
}

}  // namespace fluxion::detail
