// The batching interpreter (vmap): each tracer stands for a stack of
// per-example values, held as one array with an extra axis. Primitives apply
// their batching rules, which compute the whole stack at once; the tracer's
// aval is the per-example one, so the function being mapped sees exactly the
// shapes it would see unbatched (JAX's BatchTrace).
#pragma once

#include <utility>

#include "interpreters/interpreter.hpp"

namespace fluxion::detail {

class BatchInterpreter final : public Interpreter {
 public:
  explicit BatchInterpreter(int64_t axis_size) : axis_size_(axis_size) {}
  int64_t axis_size() const { return axis_size_; }
  // A tracer for `value` mapped along `dim` (not_mapped: the value itself).
  Array make_tracer(Array value, int dim);
  // (value, batch axis) of any value; values this interpreter does not own
  // are not mapped.
  std::pair<Array, int> unpack(const Array& x) const;
  std::vector<Array> process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                       const Params& params) override;

 private:
  int64_t axis_size_;
};

}  // namespace fluxion::detail
