// The Taylor-mode (jet) interpreter: each tracer carries a primal and its K
// Taylor terms along one path x(t) = x0 + Σ_k x_k t^k / k! (JAX's jet
// convention: term k-1 is the k-th derivative in t at 0). Primitives apply
// their Taylor rules (Primitive::jet), which propagate all K terms at once
// with the convolution recurrences of Griewank & Walther, ch. 13: O(K²)
// work where nesting jvp K times costs O(2^K). The rules compute with
// Fluxion operations, so an outer transformation (vmap, jit, grad, another
// jet) records or transforms what they do.
#pragma once

#include <utility>
#include <vector>

#include "interpreters/interpreter.hpp"

namespace fluxion::detail {

class JetInterpreter final : public Interpreter {
 public:
  explicit JetInterpreter(size_t order) : order_(order) {}
  size_t order() const { return order_; }
  // A tracer for `primal` with these K terms (empty = it does not move: the
  // primal itself is returned).
  Array make_tracer(Array primal, std::vector<Array> series);
  // (primal, terms) of any value; values this interpreter does not own have
  // no terms.
  std::pair<Array, std::vector<Array>> unpack(const Array& x) const;
  std::vector<Array> process_primitive(const Primitive& prim, std::span<const Array> inputs,
                                       const Params& params) override;

 private:
  size_t order_;
};

}  // namespace fluxion::detail
