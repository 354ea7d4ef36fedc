// Helpers for batching (vmap) rules, in the spirit of jax/_src/interpreters/
// batching.py: moving a batch axis, and the generic rules that most primitive
// families share. A batching rule sees the operands with their batch axes
// (dims[i], or not_mapped) and returns outputs with theirs.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "fluxion/primitive.hpp"

namespace fluxion::prim {

// The batch size: the extent of the first mapped operand's batch axis.
int64_t batch_size(std::span<const Array> values, std::span<const int> dims);

// x with its batch axis at `to`; an unmapped x is broadcast to `size` there.
Array move_batch_axis(const Array& x, int dim, int to, int64_t size);

// Where per-example axis `axis` of an operand mapped at `dim` sits in the batched array.
inline int64_t batched_axis(int64_t axis, int dim) {
  return dim == not_mapped || axis < dim ? axis : axis + 1;
}

// Elementwise primitives (any number of operands and outputs) whose shape rule
// broadcasts 0-d operands and size-1 extents: operands keep a common batch
// axis when they share one; otherwise the batch axis moves to the front and
// unmapped operands gain a size-1 axis there.
BatchResult elementwise_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                              const Params& params);

// Operands that must keep one shape (add_any, concatenate, sort): returned as
// they are when every one is mapped along one axis, else each with the batch
// axis at the front (unmapped ones broadcast). `axis` is where it is.
struct AlignedOperands {
  std::vector<Array> operands;
  int axis;
};
AlignedOperands align_batch_axes(std::span<const Array> values, std::span<const int> dims);

// Primitives whose operands must all have one shape (add_any): every operand
// gets the batch axis, at the front unless they already share one.
BatchResult same_shape_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                             const Params& params);

// Primitives of one operand whose rule only needs the batch axis in front:
// the operand is moved there and `adjust(params)` gives the parameters for
// the batched operand. The output's batch axis is 0.
template <class Adjust>
BatchResult leading_axis_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                               Adjust adjust) {
  const Array x = move_batch_axis(values[0], dims[0], 0, values[0].shape()[dims[0]]);
  return {{bind1(p, {x}, adjust(x.shape()[0]))}, {0}};
}

}  // namespace fluxion::prim
