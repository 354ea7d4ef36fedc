/// \file
/// NumPy's and JAX's indexing, and JAX's functional updates (`x.at[...]`).
///
/// | Python (JAX)                  | C++ (Fluxion)                                   |
/// |-------------------------------|-------------------------------------------------|
/// | `x[2]`, `x[-1]`               | `x(2)`, `x(-1)` (or `x[2]`)                     |
/// | `x[1:-1]`, `x[::2]`, `x[::-1]`| `x(fx::s(1, -1))`, `x(fx::s({}, {}, 2))`, `x(fx::s({}, {}, -1))` |
/// | `x[:, 0]`                     | `x(fx::all, 0)`                                 |
/// | `x[None]`, `x[..., 0]`        | `x(fx::newaxis)`, `x(fx::ellipsis, 0)`          |
/// | `x[idx]` (integer array)      | `x(idx)`                                        |
/// | `x[mask]` (boolean array)     | `x(mask)` (concrete masks only, as in JAX)      |
/// | `x.at[i].set(v)`              | `fx::at(x, i).set(v)`                           |
/// | `x.at[i, 1:].add(v)`          | `fx::at(x, i, fx::s(1)).add(v)`                 |
///
/// Out-of-bounds indices follow JAX: a static integer out of range raises
/// fx::IndexError; array indices are clamped when reading (mode
/// "promise_in_bounds", what XLA does) and their updates dropped when
/// writing (mode "fill"/"drop"); `IndexOptions::mode` chooses otherwise.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fluxion/array.hpp"

namespace fluxion {

struct AllFunction;  // fluxion/ops.hpp: fx::all, which as an index is `:`

/// Python's slice `start:stop:step`; an empty bound is an omitted one.
struct Slice {
  std::optional<int64_t> start, stop, step;
};

/// fx::s(1, -1) is `1:-1`, fx::s(2) is `2:`, fx::s({}, 3) is `:3`,
/// fx::s({}, {}, -1) is `::-1`, fx::s() is `:`.
inline Slice s(std::optional<int64_t> start = std::nullopt, std::optional<int64_t> stop = std::nullopt,
               std::optional<int64_t> step = std::nullopt) {
  return Slice{start, stop, step};
}

/// `None` / `np.newaxis` in an index: a new axis of extent 1.
struct NewAxis {};
inline constexpr NewAxis newaxis{};  ///< `None` in an index

/// `...` in an index: as many full slices as the other indices leave axes.
struct Ellipsis {};
inline constexpr Ellipsis ellipsis{};  ///< `...` in an index

/// One entry of an index expression: an integer, a Slice, fx::all,
/// fx::newaxis, fx::ellipsis, an integer Array (advanced indexing), a
/// boolean Array (a mask), or a list of integers, `fx::Index{0, 2}` (`x[[0, 2]]`).
class Index {
 public:
  using Value = std::variant<int64_t, Slice, NewAxis, Ellipsis, Array>;
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  Index(I i) : value_(static_cast<int64_t>(i)) {}
  Index(Slice slice) : value_(slice) {}               ///< `start:stop:step`
  Index(const AllFunction&) : value_(Slice{}) {}      ///< fx::all: `:`
  Index(NewAxis) : value_(NewAxis{}) {}               ///< `None`
  Index(Ellipsis) : value_(Ellipsis{}) {}             ///< `...`
  Index(const Array& array) : value_(array) {}        ///< an integer array or a boolean mask
  Index(std::initializer_list<int64_t> list);         ///< a list of integers, as an int64 array
  const Value& value() const { return value_; }

 private:
  Value value_;
};

/// JAX's keyword arguments of `x.at[...].get/set/...` and of jnp.take.
struct IndexOptions {
  /// "promise_in_bounds" (reads clamp, writes drop: XLA's behaviour), "clip"
  /// (indices clamped), "fill" or "drop" (out-of-bounds reads give
  /// fill_value, writes are dropped). Empty: JAX's default for the operation.
  std::optional<std::string> mode = std::nullopt;
  bool indices_are_sorted = false;
  bool unique_indices = false;
  /// The value of out-of-bounds reads in "fill" mode (default: NaN for
  /// floats, the most negative integer, the largest unsigned, true).
  std::optional<double> fill_value = std::nullopt;
};

namespace detail {
Array index_array(const Array& x, const std::vector<Index>& index, const IndexOptions& options = {});
}  // namespace detail

template <class... I> Array Array::operator()(const I&... index) const {
  return detail::index_array(*this, std::vector<Index>{Index(index)...});
}

/// JAX's `x.at[index]`: functional updates of the elements an index
/// expression selects. Every method returns a new array; x is unchanged.
/// Repeated indices accumulate for add/multiply/min/max; for set, the last
/// update wins (JAX leaves it unspecified).
class IndexUpdate {
 public:
  IndexUpdate(Array x, std::vector<Index> index) : x_(std::move(x)), index_(std::move(index)) {}
  Array get(const IndexOptions& options = {}) const;                       ///< x[index]
  Array set(const Array& values, const IndexOptions& options = {}) const;  ///< x[index] = values
  Array add(const Array& values, const IndexOptions& options = {}) const;  ///< x[index] += values
  Array subtract(const Array& values, const IndexOptions& options = {}) const;  ///< x[index] -= values
  Array multiply(const Array& values, const IndexOptions& options = {}) const;  ///< x[index] *= values
  Array divide(const Array& values, const IndexOptions& options = {}) const;    ///< x[index] /= values
  Array min(const Array& values, const IndexOptions& options = {}) const;  ///< minimum(x[index], values)
  Array max(const Array& values, const IndexOptions& options = {}) const;  ///< maximum(x[index], values)

 private:
  Array x_;
  std::vector<Index> index_;
};

/// `x.at[index...]`: fx::at(x, 0).set(1.0), fx::at(x, idx).add(v),
/// fx::at(x, fx::all, fx::s(1)).multiply(2.0).
template <class... I> IndexUpdate at(const Array& x, const I&... index) {
  return IndexUpdate(x, std::vector<Index>{Index(index)...});
}

/// jnp.take: elements of `a` at `indices` along `axis` (of the flattened
/// array when axis is empty). mode: "fill" (the default, as jnp: out of
/// bounds gives fill_value, NaN for floats), "clip", "promise_in_bounds".
Array take(const Array& a, const Array& indices, std::optional<int64_t> axis = std::nullopt,
           const IndexOptions& options = {});

/// jnp.take_along_axis: arr[..., indices[..., i, ...], ...] along `axis`,
/// indices broadcast against arr's other axes (argsort's result, for one).
/// mode as take's ("fill" by default).
Array take_along_axis(const Array& arr, const Array& indices, int64_t axis, const IndexOptions& options = {});

/// jnp.flip: x with the given axes reversed (all of them when empty).
Array flip(const Array& x, const std::vector<int64_t>& axes = {});

}  // namespace fluxion
