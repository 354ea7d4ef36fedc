// vmap: runs f once under a batching interpreter. The mapped arguments become
// batch tracers (their per-example aval is what f sees); each primitive f
// applies is computed for the whole batch by its batching rule; the outputs'
// batch axes are moved to out_axes.
#include <string>
#include <string_view>

#include "fluxion/errors.hpp"
#include "fluxion/transforms.hpp"
#include "interpreters/batching.hpp"
#include "transforms/vmap.hpp"
#include "primitives/batch_helpers.hpp"

namespace fluxion {

std::optional<int> MapAxes::at(size_t i, size_t n, const char* what) const {
  if (all_) return all_->axis();
  if (entries_.size() != n)
    throw Error(std::string("vmap ") + what + " must be an int, fx::none, or a list with one entry per " +
                (what == std::string_view("in_axes") ? "positional argument" : "output") +
                " of the function, but got " + std::to_string(entries_.size()) + " entries for " + std::to_string(n));
  return entries_[i].axis();
}

namespace detail {
namespace {

// The axis `axis` (possibly negative) of an array of rank `rank`, checked.
int normalize(int axis, int64_t rank, const std::string& what, const Shape& shape) {
  const int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw Error("vmap was requested to map " + what + " along axis " + std::to_string(axis) +
                ", which implies that its rank should be at least " + std::to_string(axis < 0 ? -axis : axis + 1) +
                ", but is only " + std::to_string(rank) + " (its shape is " + shape_to_string(shape) + ")");
  return static_cast<int>(a);
}

int64_t mapped_size(const std::vector<Array>& args, const std::vector<int>& axes, std::optional<int64_t> axis_size) {
  std::optional<int64_t> size = axis_size;
  bool agree = true;
  for (size_t i = 0; i < args.size(); ++i) {
    if (axes[i] == not_mapped) continue;
    const int64_t n = args[i].shape()[axes[i]];
    if (size && *size != n) agree = false;
    if (!size) size = n;
  }
  if (!agree) {
    std::string msg = "vmap got inconsistent sizes for the array axes to be mapped:";
    if (axis_size) msg += "\n  * axis_size is " + std::to_string(*axis_size);
    for (size_t i = 0; i < args.size(); ++i)
      if (axes[i] != not_mapped)
        msg += "\n  * argument " + std::to_string(i) + " has shape " + shape_to_string(args[i].shape()) +
               " and axis " + std::to_string(axes[i]) + " (size " + std::to_string(args[i].shape()[axes[i]]) +
               ") is to be mapped";
    throw Error(msg);
  }
  if (!size)
    throw Error("vmap must have at least one non-None value in in_axes, or be given an explicit axis_size "
                "(no argument is mapped, so the batch size is unknown)");
  if (*size < 0) throw Error("vmap: axis_size must be non-negative, got " + std::to_string(*size));
  return *size;
}

}  // namespace

BatchedOutputs vmap_batched(const Fn& f, const std::vector<Array>& args, const MapAxes& in_axes,
                            std::optional<int64_t> axis_size) {
  std::vector<int> axes;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::optional<int> axis = in_axes.at(i, args.size(), "in_axes");
    axes.push_back(axis ? normalize(*axis, args[i].ndim(), "argument " + std::to_string(i), args[i].shape())
                        : not_mapped);
  }
  BatchedOutputs result{{}, {}, mapped_size(args, axes, axis_size)};
  BatchInterpreter batch(result.size);
  std::vector<Array> tracers;
  for (size_t i = 0; i < args.size(); ++i) tracers.push_back(batch.make_tracer(args[i], axes[i]));
  for (const Array& out : f(tracers)) {
    auto [value, dim] = batch.unpack(out);
    result.values.push_back(std::move(value));
    result.dims.push_back(dim);
  }
  return result;
}

std::vector<Array> vmap_core(const Fn& f, const std::vector<Array>& args, const MapAxes& in_axes,
                             const MapAxes& out_axes, std::optional<int64_t> axis_size) {
  BatchedOutputs batched = vmap_batched(f, args, in_axes, axis_size);
  const size_t n = batched.values.size();
  std::vector<Array> results;
  for (size_t i = 0; i < n; ++i) {
    const Array& value = batched.values[i];
    const int dim = batched.dims[i];
    const std::optional<int> axis = out_axes.at(i, n, "out_axes");
    if (!axis) {
      if (dim != not_mapped)
        throw Error("vmap has mapped output " + std::to_string(i) +
                    " but out_axes is fx::none for it (only outputs that do not depend on a mapped argument can be "
                    "unmapped)");
      results.push_back(value);
      continue;
    }
    const int64_t rank = value.ndim() + (dim == not_mapped ? 1 : 0);  // with the batch axis
    const int64_t to = *axis < 0 ? *axis + rank : *axis;
    if (to < 0 || to >= rank)
      throw Error("vmap out_axes " + std::to_string(*axis) + " is out of range for output " + std::to_string(i) +
                  ", which has rank " + std::to_string(rank) + " with the batch axis");
    results.push_back(prim::move_batch_axis(value, dim, static_cast<int>(to), batched.size));
  }
  return results;
}

}  // namespace detail
}  // namespace fluxion
