#include "interpreters/jvp.hpp"

#include <string>

#include "core/alloc.hpp"
#include "fluxion/errors.hpp"

namespace fluxion::detail {
namespace {

class JvpTracer final : public Tracer {
 public:
  JvpTracer(std::shared_ptr<TraceTag> tag, Array primal, Array tangent)
      : Tracer(primal.aval(), std::move(tag)), primal_(std::move(primal)), tangent_(std::move(tangent)) {}
  // A concrete primal is this value: native control flow on it works under grad.
  const void* data() const override { return primal_.value()->data(); }
  const Array& primal() const { return primal_; }
  const Array& tangent() const { return tangent_; }

 private:
  Array primal_, tangent_;
};

}  // namespace

Array JvpInterpreter::make_tracer(Array primal, Array tangent) {
  if (!tangent.valid()) return primal;
  return Array(std::allocate_shared<JvpTracer>(PoolAllocator<JvpTracer>{}, tag(), std::move(primal), std::move(tangent)));
}

std::pair<Array, Array> JvpInterpreter::unpack(const Array& x) const {
  const Value* v = x.value().get();
  if (v->is_tracer() && v->owner() == this) {
    const auto* t = static_cast<const JvpTracer*>(v);
    return {t->primal(), t->tangent()};
  }
  return {x, Array()};
}

std::vector<Array> JvpInterpreter::process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                                     const Params& params) {
  if (!prim.jvp)
    throw Error("Differentiation rule for '" + std::string(prim.name) + "' not implemented");
  OperandBuffer<Array, 4> primals(inputs.size()), tangents(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto [p, t] = unpack(inputs[i]);
    primals[i] = std::move(p);
    tangents[i] = std::move(t);
  }
  JvpResult r;
  {
    RuleGroupScope group;
    r = prim.jvp(prim, primals.span(), tangents.span(), params);
  }
  std::vector<Array> outs;
  outs.reserve(r.primals_out.size());
  for (size_t i = 0; i < r.primals_out.size(); ++i) {
    Array tangent = i < r.tangents_out.size() ? std::move(r.tangents_out[i]) : Array();
    // Integer and boolean values carry no tangent (JAX's float0).
    if (tangent.valid() && !is_floating(r.primals_out[i].dtype())) tangent = Array();
    outs.push_back(make_tracer(std::move(r.primals_out[i]), std::move(tangent)));
  }
  return outs;
}

}  // namespace fluxion::detail
