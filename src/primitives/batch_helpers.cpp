#include "primitives/batch_helpers.hpp"

#include <algorithm>

#include "fluxion/errors.hpp"
#include "primitives/lax.hpp"

namespace fluxion::prim {

int64_t batch_size(std::span<const Array> values, std::span<const int> dims) {
  for (size_t i = 0; i < values.size(); ++i)
    if (dims[i] != not_mapped) return values[i].shape()[dims[i]];
  throw Error("vmap: internal error: a batching rule was called without a mapped operand");
}

Array move_batch_axis(const Array& x, int dim, int to, int64_t size) {
  if (dim == not_mapped) {
    Shape shape = x.shape();
    shape.insert(shape.begin() + to, size);
    std::vector<int64_t> kept;
    for (int64_t i = 0; i < x.ndim(); ++i) kept.push_back(i < to ? i : i + 1);
    return lax::broadcast_in_dim(x, shape, kept);
  }
  if (dim == to) return x;
  std::vector<int64_t> perm;
  for (int64_t i = 0; i < x.ndim(); ++i)
    if (i != dim) perm.push_back(i);
  perm.insert(perm.begin() + to, dim);
  return lax::transpose(x, perm);
}

namespace {

// The axis every mapped operand shares, or not_mapped when they differ.
int shared_axis(std::span<const int> dims) {
  int shared = not_mapped;
  for (int d : dims) {
    if (d == not_mapped) continue;
    if (shared != not_mapped && d != shared) return not_mapped;
    shared = d;
  }
  return shared;
}

int64_t example_rank(const Array& x, int dim) { return x.ndim() - (dim == not_mapped ? 0 : 1); }

BatchResult all_at(std::vector<Array> outputs, int dim) {
  std::vector<int> dims(outputs.size(), dim);
  return {std::move(outputs), std::move(dims)};
}

}  // namespace

BatchResult elementwise_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                              const Params& params) {
  int64_t rank = 0;  // the result's per-example rank
  for (size_t i = 0; i < values.size(); ++i) rank = std::max(rank, example_rank(values[i], dims[i]));
  // Common case (the whole computation is mapped alike, constants are 0-d):
  // the operands go in as they are.
  const int shared = shared_axis(dims);
  bool as_is = shared != not_mapped;
  for (size_t i = 0; i < values.size() && as_is; ++i)
    as_is = dims[i] == not_mapped ? values[i].ndim() == 0 : values[i].ndim() == rank + 1;
  if (as_is) return all_at(fluxion::bind(p, values, params), shared);

  const int64_t size = batch_size(values, dims);
  std::vector<Array> operands;
  operands.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const Array& x = values[i];
    if (dims[i] == not_mapped) {
      if (x.ndim() == 0) {
        operands.push_back(x);  // 0-d operands broadcast by the shape rule
      } else {
        Shape shape = x.shape();
        shape.insert(shape.begin(), 1);
        operands.push_back(lax::reshape(x, shape));
      }
      continue;
    }
    Array moved = move_batch_axis(x, dims[i], 0, size);
    if (moved.ndim() < rank + 1) {  // a per-example 0-d operand among ranked ones
      Shape shape(static_cast<size_t>(rank + 1), 1);
      shape[0] = size;
      moved = lax::reshape(moved, shape);
    }
    operands.push_back(std::move(moved));
  }
  return all_at(fluxion::bind(p, operands, params), 0);
}

AlignedOperands align_batch_axes(std::span<const Array> values, std::span<const int> dims) {
  const bool shared = std::all_of(dims.begin(), dims.end(), [&](int d) { return d == dims[0]; });
  if (shared) return {std::vector<Array>(values.begin(), values.end()), dims[0]};
  const int64_t size = batch_size(values, dims);
  std::vector<Array> operands;
  for (size_t i = 0; i < values.size(); ++i) operands.push_back(move_batch_axis(values[i], dims[i], 0, size));
  return {std::move(operands), 0};
}

BatchResult same_shape_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                             const Params& params) {
  AlignedOperands a = align_batch_axes(values, dims);
  return all_at(fluxion::bind(p, a.operands, params), a.axis);
}

}  // namespace fluxion::prim
