#include "interpreters/batching.hpp"

#include <string>

#include "core/alloc.hpp"
#include "fluxion/errors.hpp"

namespace fluxion::detail {
namespace {

AbstractValue per_example(const AbstractValue& batched, int dim) {
  AbstractValue aval = batched;
  aval.shape.erase(aval.shape.begin() + dim);
  return aval;
}

// Abstract by design: its elements differ from example to example, so it has
// no data() and a C++ `if` on it raises fx::ConcretizationError.
class BatchTracer final : public Tracer {
 public:
  BatchTracer(std::shared_ptr<TraceTag> tag, Array value, int dim)
      : Tracer(per_example(value.aval(), dim), std::move(tag)), value_(std::move(value)), dim_(dim) {}
  const Array& value() const { return value_; }
  int dim() const { return dim_; }

 private:
  Array value_;
  int dim_;
};

}  // namespace

Array BatchInterpreter::make_tracer(Array value, int dim) {
  if (dim == not_mapped) return value;
  if (dim < 0 || dim >= value.ndim() || value.shape()[dim] != axis_size_)
    throw Error("vmap: internal error: a batching rule returned batch axis " + std::to_string(dim) +
                " for a value of shape " + shape_to_string(value.shape()) + " (batch size " +
                std::to_string(axis_size_) + ")");
  return Array(std::allocate_shared<BatchTracer>(PoolAllocator<BatchTracer>{}, tag(), std::move(value), dim));
}

std::pair<Array, int> BatchInterpreter::unpack(const Array& x) const {
  const Value* v = x.value().get();
  if (v->is_tracer() && v->owner() == this) {
    const auto* t = static_cast<const BatchTracer*>(v);
    return {t->value(), t->dim()};
  }
  return {x, not_mapped};
}

std::vector<Array> BatchInterpreter::process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                                       const Params& params) {
  OperandBuffer<Array, 4> values(inputs.size());
  OperandBuffer<int, 4> dims(inputs.size());
  bool any_mapped = false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto [value, dim] = unpack(inputs[i]);
    values[i] = std::move(value);
    dims[i] = dim;
    any_mapped = any_mapped || dim != not_mapped;
  }
  if (!any_mapped) return fluxion::bind(prim, values.span(), params);
  if (!prim.batch) throw Error("vmap: batching rule for '" + std::string(prim.name) + "' not implemented");
  BatchResult r = prim.batch(prim, values.span(), dims.span(), params);
  std::vector<Array> outs;
  outs.reserve(r.outputs.size());
  for (size_t i = 0; i < r.outputs.size(); ++i) outs.push_back(make_tracer(std::move(r.outputs[i]), r.dims[i]));
  return outs;
}

}  // namespace fluxion::detail
