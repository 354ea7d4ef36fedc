// What gather and scatter share: XLA's index geometry (which operand axes a
// window spans, where each index vector starts it, the out-of-bounds
// policy), the dimension numbers of one written as the other's (gather's
// transpose is a scatter-add, scatter's a gather), and the batching of both
// through batching dimensions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fluxion/primitive.hpp"

namespace fluxion::prim {

extern const Primitive gather_p, scatter_p, scatter_add_p, scatter_mul_p, scatter_min_p, scatter_max_p;

// The dimension numbers of the gather that reads back what a scatter with
// `d` wrote (and of the scatter that is a gather's transpose).
GatherDimensionNumbers gather_dnums_of(const ScatterDimensionNumbers& d);
ScatterDimensionNumbers scatter_dnums_of(const GatherDimensionNumbers& d);

// A gather or scatter over one operand of shape `operand`: index vectors
// (the last axis of `indices`) pick where each window starts; the window
// spans `window_sizes` (1 along collapsed/inserted and batching axes).
struct IndexGeometry {
  Shape operand, indices;                 // shapes
  std::vector<int64_t> window_sizes;      // per operand axis
  std::vector<int64_t> window_axes;       // operand axes a window spans, in order (not collapsed or batching)
  std::vector<int64_t> start_index_map;   // operand axis of index component k
  std::vector<int64_t> operand_batching;  // operand axis paired with ...
  std::vector<int64_t> indices_batching;  // ... this axis of indices

  int64_t num_batch() const;  // index vectors: the product of indices' leading axes
  int64_t window_size() const;
  // Operand offset of window element w (row-major over window_axes).
  std::vector<int64_t> window_offsets() const;
};

// Reads the index vectors of any integer dtype as int64.
std::vector<int64_t> index_vectors(const Array& indices);
// The operand offset where index vector b's window starts, or -1 when the
// window is out of bounds and `mode` fills (gather) or drops (scatter) it:
// clip clamps; promise_in_bounds clamps for a gather and drops for a
// scatter, as XLA's CPU code does.
int64_t window_start(const IndexGeometry& g, const std::vector<int64_t>& indices, int64_t b, GatherScatterMode mode,
                     bool scatter);

// Where each index vector's window (batch) and each window element (window)
// sit in an array of shape `shape` whose axes `window_dims` hold the window
// (gather's output, scatter's updates) and the others the index batch.
struct WindowLayout {
  std::vector<int64_t> batch, window;
};
WindowLayout window_layout(const Shape& shape, const std::vector<int64_t>& window_dims, const Shape& batch_extents,
                           const std::vector<int64_t>& window_extents);

// The dimension numbers once every operand has a batch axis in front: it
// becomes a batching-dimension pair (operand axis 0 with indices axis 0,
// also the first non-window axis of the output or updates); the others
// shift by one. Both batching rules use it (gather's through
// scatter_dnums_of).
ScatterDimensionNumbers with_leading_batch_pair(const ScatterDimensionNumbers& d);

// "(1, 2)", "(1,)": a tuple of axes as messages show it.
std::string axes_tuple(const std::vector<int64_t>& axes);
bool has_axis(const std::vector<int64_t>& axes, int64_t axis);

// Checks shared by both shape rules (op names the primitive).
void check_index_operand(std::string_view op, const AbstractValue& indices, size_t index_vector_size);
void check_batching_dims(std::string_view op, const AbstractValue& operand, const AbstractValue& indices,
                         const std::vector<int64_t>& operand_batching, const std::vector<int64_t>& indices_batching);

}  // namespace fluxion::prim
