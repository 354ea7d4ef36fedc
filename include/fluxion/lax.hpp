/// \file
/// jax.lax's functions, with jax.lax's names and signatures: the primitives
/// themselves, for code that wants exactly one primitive per call (no dtype
/// promotion, no broadcasting of operands). The special functions and
/// cumulative reductions are in lax/special.hpp, linear algebra
/// (jax.lax.linalg) in lax/linalg.hpp; both are included here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fluxion/array.hpp"
#include "fluxion/lax/linalg.hpp"
#include "fluxion/lax/special.hpp"
#include "fluxion/primitive.hpp"

namespace fluxion::lax {

/// lax.slice: elements start_indices[d], + strides[d], ... below
/// limit_indices[d] along each dimension d (strides omitted: 1). Indices are
/// not clamped: out of range is an fx::ShapeError, as in JAX.
Array slice(const Array& x, const std::vector<int64_t>& start_indices, const std::vector<int64_t>& limit_indices,
            const std::optional<std::vector<int64_t>>& strides = std::nullopt);

/// lax.clamp: min(max(x, min), max) elementwise; `min` and `max` are 0-d or
/// of x's shape, and all three share one dtype (no promotion, as in JAX).
Array clamp(const Array& min, const Array& x, const Array& max);

/// lax.is_finite: true where a float is neither infinite nor NaN.
Array is_finite(const Array& x);

/// lax.pad: `padding_value` (a scalar of x's dtype) added before, after and
/// between the elements of each dimension, by one (low, high, interior)
/// triple per dimension; negative low/high crop.
Array pad(const Array& x, const Array& padding_value, const std::vector<std::vector<int64_t>>& padding_config);

/// lax.rev: x with the axes `dimensions` reversed.
Array rev(const Array& x, const std::vector<int64_t>& dimensions);

/// lax.dynamic_slice: the window of `slice_sizes` starting at
/// `start_indices` (scalar integer arrays, known at run time). Negative
/// starts count from the end; starts are clamped so the window fits.
Array dynamic_slice(const Array& x, const std::vector<Array>& start_indices, const std::vector<int64_t>& slice_sizes);

/// lax.dynamic_update_slice: x with the window at `start_indices` replaced by
/// `update` (same clamping as dynamic_slice).
Array dynamic_update_slice(const Array& x, const Array& update, const std::vector<Array>& start_indices);

/// lax.dynamic_index_in_dim: x[..., index, ...] along `axis`, the axis kept
/// when keepdims.
Array dynamic_index_in_dim(const Array& x, const Array& index, int64_t axis = 0, bool keepdims = true);

/// lax.gather: XLA's Gather (see GatherDimensionNumbers). mode: empty is
/// "promise_in_bounds" (clamped, as XLA does), or "clip", "fill"; fill_value
/// for "fill" (default NaN, the most negative integer, ...).
Array gather(const Array& operand, const Array& start_indices, const GatherDimensionNumbers& dimension_numbers,
             const std::vector<int64_t>& slice_sizes, bool unique_indices = false, bool indices_are_sorted = false,
             const std::optional<std::string>& mode = std::nullopt, std::optional<double> fill_value = std::nullopt);

/// lax.scatter: operand with the windows of `updates` written at the starts
/// the index vectors give (the last write wins where indices repeat). mode:
/// empty is "fill"/"drop" (out-of-bounds updates dropped), or "clip",
/// "promise_in_bounds".
Array scatter(const Array& operand, const Array& scatter_indices, const Array& updates,
              const ScatterDimensionNumbers& dimension_numbers, bool indices_are_sorted = false,
              bool unique_indices = false, const std::optional<std::string>& mode = std::nullopt);
/// lax.scatter_add: as scatter, the updates added (repeated indices accumulate).
Array scatter_add(const Array& operand, const Array& scatter_indices, const Array& updates,
                  const ScatterDimensionNumbers& dimension_numbers, bool indices_are_sorted = false,
                  bool unique_indices = false, const std::optional<std::string>& mode = std::nullopt);
/// lax.scatter_mul: as scatter, the operand multiplied by the updates.
Array scatter_mul(const Array& operand, const Array& scatter_indices, const Array& updates,
                  const ScatterDimensionNumbers& dimension_numbers, bool indices_are_sorted = false,
                  bool unique_indices = false, const std::optional<std::string>& mode = std::nullopt);
/// lax.scatter_min: as scatter, the minimum of the operand and the updates.
Array scatter_min(const Array& operand, const Array& scatter_indices, const Array& updates,
                  const ScatterDimensionNumbers& dimension_numbers, bool indices_are_sorted = false,
                  bool unique_indices = false, const std::optional<std::string>& mode = std::nullopt);
/// lax.scatter_max: as scatter, the maximum of the operand and the updates.
Array scatter_max(const Array& operand, const Array& scatter_indices, const Array& updates,
                  const ScatterDimensionNumbers& dimension_numbers, bool indices_are_sorted = false,
                  bool unique_indices = false, const std::optional<std::string>& mode = std::nullopt);

}  // namespace fluxion::lax
