// Large eager vmaps (src/transforms/vmap.cpp) evaluate one traced chunk
// program many times. When that program is a chain of elementwise float
// operations over the batch (what vmap(grad(f)) of a scalar function is),
// this evaluator runs it in L1-sized blocks: every equation on 512 elements,
// then the next block, so intermediates live in a few KB of scratch and each
// chunk costs one pass over its inputs and outputs instead of one per
// equation. The same kernels compute each element, so results are bit for
// bit those of equation-by-equation evaluation. Anything else (reductions,
// layout changes, other dtypes) keeps the equation-by-equation path.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "fluxion/jaxpr.hpp"

namespace fluxion::detail {

class FusedElementwise {
 public:
  // Null when `program` is not an elementwise float program over inputs and
  // outputs of one 1-d shape (0-d constants allowed).
  static std::unique_ptr<FusedElementwise> prepare(const ClosedJaxpr& program);
  std::vector<Array> run(std::span<const Array> args) const;

  struct Step;  // one equation: operation and operand slots
  ~FusedElementwise();

 private:
  FusedElementwise() = default;
  DType dtype_ = DType::float64;
  int64_t length_ = 0;
  int num_slots_ = 0;        // scratch blocks for intermediates
  std::vector<Step> steps_;
  std::vector<double> scalars_;  // 0-d constants, as double (exact for float32 too)
  // Per output: its weak flag, and the input (>= 0) or earlier output
  // (-2 - index) it copies, or -1 when a step writes it.
  std::vector<bool> output_weak_;
  std::vector<int> output_sources_;
};

}  // namespace fluxion::detail
