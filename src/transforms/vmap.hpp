// vmap's core for the other transformations (jacfwd/jacrev): f run under a
// batching interpreter, its outputs returned with their batch axes as they
// came out (no out_axes applied).
#pragma once

#include "fluxion/transforms.hpp"

namespace fluxion::detail {

struct BatchedOutputs {
  std::vector<Array> values;
  std::vector<int> dims;  // batch axis of each value, or not_mapped
  int64_t size;
};
BatchedOutputs vmap_batched(const Fn& f, const std::vector<Array>& args, const MapAxes& in_axes,
                            std::optional<int64_t> axis_size);

}  // namespace fluxion::detail
