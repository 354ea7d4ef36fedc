/// @file
/// NumPy-like operations ([docs/ARCHITECTURE.md](docs/ARCHITECTURE.md), "Arrays
/// and operations"). Each lowers to JAX-named primitives through fx::bind, so
/// every transformation sees it.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fluxion/array.hpp"

namespace fluxion {

inline constexpr double pi = 3.141592653589793;
inline constexpr double e = 2.718281828459045;
inline constexpr double inf = __builtin_inf();
inline constexpr double nan = __builtin_nan("");

/// Reduction axes: omitted or `{}` means every axis, as NumPy's axis=None.
/// Negative axes count from the end.
class Axes {
 public:
  Axes() = default;
  Axes(int64_t axis) : axes_{{axis}} {}
  Axes(int axis) : axes_{{axis}} {}
  Axes(std::initializer_list<int64_t> axes) : axes_(std::vector<int64_t>(axes)) {}
  Axes(std::vector<int64_t> axes) : axes_(std::move(axes)) {}
  bool all() const { return !axes_.has_value(); }
  const std::vector<int64_t>& list() const { return *axes_; }

 private:
  std::optional<std::vector<int64_t>> axes_;
};

/// @name Elementwise math
/// Integers and bools are promoted to the default float.
/// @{

Array sin(const Array& x);
Array cos(const Array& x);
Array tan(const Array& x);
Array tanh(const Array& x);
Array sinh(const Array& x);
Array cosh(const Array& x);
Array arcsin(const Array& x);
Array arccos(const Array& x);
Array arctan(const Array& x);
Array arctan2(const Array& y, const Array& x);
Array exp(const Array& x);
Array log(const Array& x);
Array log1p(const Array& x);
Array expm1(const Array& x);
Array sqrt(const Array& x);
Array floor(const Array& x);
Array ceil(const Array& x);
Array abs(const Array& x);
Array sign(const Array& x);
Array square(const Array& x);
Array negative(const Array& x);
Array isfinite(const Array& x);

/// x**n for a C++ integer n: the primitive integer_pow[y=n] (what JAX emits for x**2).
Array integer_pow(const Array& x, int64_t n);
template <std::integral I>
Array pow(const Array& x, I n) { return integer_pow(x, static_cast<int64_t>(n)); }
Array pow(const Array& x, double y);
Array pow(const Array& x, const Array& y);
/// pow in a floating dtype: integers promote to float64, float32 stays float32 (jnp.float_power).
Array float_power(const Array& x, const Array& y);

Array add(const Array& a, const Array& b);
Array subtract(const Array& a, const Array& b);
Array multiply(const Array& a, const Array& b);
Array divide(const Array& a, const Array& b);      ///< true division: ints give floats
Array floor_divide(const Array& a, const Array& b);
Array remainder(const Array& a, const Array& b);   ///< sign of the divisor, as NumPy
Array maximum(const Array& a, const Array& b);
Array minimum(const Array& a, const Array& b);
Array equal(const Array& a, const Array& b);
Array not_equal(const Array& a, const Array& b);
Array less(const Array& a, const Array& b);
Array less_equal(const Array& a, const Array& b);
Array greater(const Array& a, const Array& b);
Array greater_equal(const Array& a, const Array& b);
Array logical_and(const Array& a, const Array& b);
Array logical_or(const Array& a, const Array& b);
Array logical_not(const Array& x);

/// Elements of x where cond is true, else of y (NumPy broadcasting over all three).
Array where(const Array& cond, const Array& x, const Array& y);
Array clip(const Array& x, const Array& lo, const Array& hi);
/// @}

/// @name Reductions
/// @{

Array sum(const Array& x, const Axes& axes = {}, bool keepdims = false);
Array mean(const Array& x, const Axes& axes = {}, bool keepdims = false);
Array prod(const Array& x, const Axes& axes = {}, bool keepdims = false);
Array max(const Array& x, const Axes& axes = {}, bool keepdims = false);
Array min(const Array& x, const Axes& axes = {}, bool keepdims = false);
Array any(const Array& x, const Axes& axes = {}, bool keepdims = false);
/// fx::all is a function object: fx::all(x, axes, keepdims) is jnp.all, and
/// fx::all as an index is the full slice `:` (x(fx::all, 0) is x[:, 0]).
struct AllFunction {
  Array operator()(const Array& x, const Axes& axes = {}, bool keepdims = false) const;
};
inline constexpr AllFunction all{};
/// @}

/// @name Linear algebra
/// @{

Array dot(const Array& a, const Array& b);     ///< NumPy's dot
Array matmul(const Array& a, const Array& b);  ///< NumPy's matmul, batch dims broadcast
Array outer(const Array& a, const Array& b);
Array einsum(std::string_view spec, const std::vector<Array>& operands);
template <class... A>
  requires(sizeof...(A) >= 1 && (std::convertible_to<const A&, Array> && ...))
Array einsum(std::string_view spec, const A&... operands) {
  return einsum(spec, std::vector<Array>{Array(operands)...});
}
/// @}

/// @name Shapes
/// @{

/// A -1 extent is inferred, as in NumPy.
Array reshape(const Array& x, const Shape& shape);
/// Permutes axes; omitted means reversed.
Array transpose(const Array& x, std::vector<int64_t> axes = {});
Array broadcast_to(const Array& x, const Shape& shape);
Array expand_dims(const Array& x, int64_t axis);
Array squeeze(const Array& x, const Axes& axes = {});
Array concatenate(const std::vector<Array>& arrays, int64_t axis = 0);
Array stack(const std::vector<Array>& arrays, int64_t axis = 0);
/// The shape NumPy broadcasting gives, or fx::ShapeError naming `op`.
Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view op = "broadcast_shapes");
/// @}

/// @name Creation
/// Default dtype float64.
/// @{

Array array(const std::vector<double>& data, const Shape& shape, DType dtype = float64);
Array array(std::initializer_list<double> data, DType dtype = float64);
Array array(std::initializer_list<std::initializer_list<double>> data, DType dtype = float64);
Array array(std::initializer_list<std::initializer_list<std::initializer_list<double>>> data,
            DType dtype = float64);
/// Typed creation from any supported C++ element type (bool, int32_t, ..., double).
template <class T>
Array array_of(const std::vector<T>& data, const Shape& shape);
Array zeros(const Shape& shape, DType dtype = float64);
Array ones(const Shape& shape, DType dtype = float64);
/// `fill` takes `dtype` when given, else its own (a weak C++ double gives float64).
Array full(const Shape& shape, const Array& fill, std::optional<DType> dtype = std::nullopt);
Array zeros_like(const Array& x, std::optional<DType> dtype = std::nullopt);
Array ones_like(const Array& x, std::optional<DType> dtype = std::nullopt);
Array full_like(const Array& x, const Array& fill, std::optional<DType> dtype = std::nullopt);
/// Values start, start+step, ... below stop. Integer arguments give int32,
/// as `jnp.arange(4)`; a floating argument gives float64.
Array arange(const Array& stop);
Array arange(const Array& start, const Array& stop, const Array& step = 1,
             std::optional<DType> dtype = std::nullopt);
/// `num` points from start to stop; with endpoint the last one is exactly stop.
Array linspace(double start, double stop, int64_t num = 50, bool endpoint = true,
               DType dtype = float64);
/// base ** linspace(start, stop, ...): logspace(-1, -5, 5) is exactly 10^-k.
Array logspace(double start, double stop, int64_t num = 50, bool endpoint = true,
               double base = 10.0, DType dtype = float64);
Array eye(int64_t n, std::optional<int64_t> m = std::nullopt, int64_t k = 0, DType dtype = float64);
/// Coordinate matrices; indexing "xy" (default, Cartesian) or "ij" (matrix).
std::vector<Array> meshgrid(const std::vector<Array>& xs, std::string_view indexing = "xy");
/// @}

Array astype(const Array& x, DType dtype);
/// Blocks derivatives (identity on values).
Array stop_gradient(const Array& x);


// ---- special family (issue 10)
/// @name Cumulative reductions and arg-extrema (jnp.cumsum, jnp.argmax, ...)
/// @{
/// jnp.cumsum: running sums along `axis` (over the flattened array when
/// omitted); bools accumulate in the default int, as fx::sum does, unless
/// `dtype` says otherwise.
Array cumsum(const Array& x, std::optional<int64_t> axis = std::nullopt, std::optional<DType> dtype = std::nullopt);
/// jnp.cumprod: running products, with fx::cumsum's axis and dtype rules.
Array cumprod(const Array& x, std::optional<int64_t> axis = std::nullopt, std::optional<DType> dtype = std::nullopt);
/// jnp.argmax: index (default int) of the largest element along `axis`, or in
/// the flattened array when omitted; NaN counts as the largest, the first of
/// equal elements wins; an empty axis is an fx::ShapeError.
Array argmax(const Array& x, std::optional<int64_t> axis = std::nullopt, bool keepdims = false);
/// jnp.argmin: index (default int) of the smallest element, as fx::argmax.
Array argmin(const Array& x, std::optional<int64_t> axis = std::nullopt, bool keepdims = false);
/// jnp.nextafter: the next float after x1 towards x2 (integers promoted to the default float).
Array nextafter(const Array& x1, const Array& x2);
/// @}

// ---- jnp functions composed of primitives (issue 10)
/// @name Statistics (jnp.var, std, average, median, quantile, percentile, cov, corrcoef)
/// Integers and bools compute in the default float, as jnp does.
/// @{
/// jnp.var: mean squared deviation from the mean over `axes`, divided by
/// N - ddof; NaN (not an error) where N - ddof <= 0, as in JAX.
Array var(const Array& x, const Axes& axes = {}, double ddof = 0, bool keepdims = false);
/// jnp.std: the square root of fx::var.
Array std(const Array& x, const Axes& axes = {}, double ddof = 0, bool keepdims = false);
/// jnp.average: fx::mean without weights; with them sum(x * w) / sum(w) over
/// `axes`, where `weights` has x's shape or, with axes given, the shape of x
/// along those axes (in the order given).
Array average(const Array& x, const Axes& axes = {}, const std::optional<Array>& weights = std::nullopt,
              bool keepdims = false);
/// jnp.quantile: the q-th quantiles (q in [0, 1], 0-d or 1-D; a 1-D q adds a
/// leading axis) over `axes` (all: the flattened array). `method` is
/// "linear", "lower", "higher", "midpoint" or "nearest"; a NaN anywhere along
/// the reduced axes gives NaN. q must be concrete: the positions it selects
/// are fixed when the function is traced (jnp gathers at traced positions),
/// so differentiating with respect to q is an fx::ConcretizationError.
Array quantile(const Array& x, const Array& q, const Axes& axes = {}, std::string_view method = "linear",
               bool keepdims = false);
/// jnp.percentile: fx::quantile of q / 100.
Array percentile(const Array& x, const Array& q, const Axes& axes = {}, std::string_view method = "linear",
                 bool keepdims = false);
/// jnp.median: fx::quantile at 0.5 with method "midpoint".
Array median(const Array& x, const Axes& axes = {}, bool keepdims = false);
/// jnp.cov: covariance of the rows of a 1-D or 2-D `m` (its columns when
/// `rowvar` is false), normalised by N - 1, by N when `bias`, or by N - ddof
/// when given; one variable gives a 0-d result.
Array cov(const Array& m, bool rowvar = true, bool bias = false, std::optional<int64_t> ddof = std::nullopt);
/// jnp.corrcoef: fx::cov scaled to correlations, clipped to [-1, 1].
Array corrcoef(const Array& x, bool rowvar = true);
/// @}

/// @name Triangles, diagonals and polynomials (jnp.tri, tril, triu, diagonal, diag, trace, polyval)
/// @{
/// jnp.tri: an (n, m) array, 1 where column <= row + k. The default dtype is
/// float32, as jnp.tri's, even though Fluxion's other creation functions
/// default to float64.
Array tri(int64_t n, std::optional<int64_t> m = std::nullopt, int64_t k = 0, DType dtype = float32);
/// jnp.tril: x with the elements above the k-th diagonal of its last two axes zeroed.
Array tril(const Array& x, int64_t k = 0);
/// jnp.triu: x with the elements below the k-th diagonal of its last two axes zeroed.
Array triu(const Array& x, int64_t k = 0);
/// jnp.diagonal: the offset diagonal of the matrices on axes (axis1, axis2),
/// as the last axis of the result (the other axes kept in order).
Array diagonal(const Array& x, int64_t offset = 0, int64_t axis1 = 0, int64_t axis2 = 1);
/// jnp.diag: a 1-D v becomes the square matrix with v on its k-th diagonal;
/// a 2-D v gives its k-th diagonal.
Array diag(const Array& v, int64_t k = 0);
/// jnp.trace: the sum of fx::diagonal's elements (dtype as fx::sum's).
Array trace(const Array& x, int64_t offset = 0, int64_t axis1 = 0, int64_t axis2 = 1);
/// jnp.polyval: the polynomial with coefficients p (highest power first,
/// along p's first axis) at x, by Horner's rule from 0 as jnp computes it.
Array polyval(const Array& p, const Array& x);
/// @}

/// @name Rearranging (jnp.roll, tile, repeat, split, array_split, diff)
/// Counts, shifts and indices are C++ integers, fixed when traced.
/// @{
/// jnp.roll: elements shifted by `shift` along `axis`, wrapping around;
/// along the flattened array when `axis` is omitted.
Array roll(const Array& x, int64_t shift, std::optional<int64_t> axis = std::nullopt);
/// jnp.roll with several axes: shifts[i] along axes[i] (either may have one
/// element, which applies to every entry of the other).
Array roll(const Array& x, const std::vector<int64_t>& shifts, const std::vector<int64_t>& axes);
/// jnp.tile: x repeated reps[d] times along each axis d (reps aligned with x's last axes).
Array tile(const Array& x, const std::vector<int64_t>& reps);
/// jnp.tile with one count, for the last axis.
Array tile(const Array& x, int64_t reps);
/// jnp.repeat: each element repeated `repeats` times along `axis` (the
/// flattened array when omitted).
Array repeat(const Array& x, int64_t repeats, std::optional<int64_t> axis = std::nullopt);
/// jnp.repeat with one count per element along `axis`.
Array repeat(const Array& x, const std::vector<int64_t>& repeats, std::optional<int64_t> axis = std::nullopt);
/// jnp.split. A function object rather than functions, so argument-dependent
/// lookup never pits it against fx::random::split (jax.random.split), whose
/// arguments look alike.
struct SplitFunction {
  /// `sections` equal parts along `axis`; fx::ValueError if they cannot be equal.
  std::vector<Array> operator()(const Array& x, int64_t sections, int64_t axis = 0) const;
  /// Parts between the given increasing indices along `axis`.
  std::vector<Array> operator()(const Array& x, const std::vector<int64_t>& indices, int64_t axis = 0) const;
  /// Same as the vector overload, so a braced `{3}` means the index 3, not 3 sections.
  std::vector<Array> operator()(const Array& x, std::initializer_list<int64_t> indices, int64_t axis = 0) const;
};
/// jnp.split: fx::split(x, 3) into three equal parts, fx::split(x, {2, 5}) at indices 2 and 5.
inline constexpr SplitFunction split{};
/// jnp.array_split: as fx::split, but `sections` need not divide the axis
/// (the first parts get one element more).
std::vector<Array> array_split(const Array& x, int64_t sections, int64_t axis = 0);
/// jnp.array_split at indices: the same as fx::split at indices.
std::vector<Array> array_split(const Array& x, const std::vector<int64_t>& indices, int64_t axis = 0);
/// Same as the vector overload, so a braced `{3}` means the indices (3).
std::vector<Array> array_split(const Array& x, std::initializer_list<int64_t> indices, int64_t axis = 0);
/// jnp.diff: the n-th forward difference along `axis` (not-equal for bools),
/// after concatenating `prepend` and `append` (0-d ones span the other axes).
Array diff(const Array& x, int64_t n = 1, int64_t axis = -1, const std::optional<Array>& prepend = std::nullopt,
           const std::optional<Array>& append = std::nullopt);
/// @}

/// @name Sorting and searching (jnp.argsort, searchsorted)
/// @{
/// jnp.argsort: the indices (default int) that sort x along `axis` (the
/// flattened array when std::nullopt); NaNs sort last (first when
/// `descending`). Equal elements always keep their original order, which is
/// also a valid result when `stable` is false.
Array argsort(const Array& x, std::optional<int64_t> axis = -1, bool stable = true, bool descending = false);
/// jnp.searchsorted: for each element of v, the index (int32) where it would
/// be inserted into the sorted 1-D `a` ("left": before equal elements,
/// "right": after), in sort order (NaN last). Computed as jnp's
/// method='compare_all', a sum of comparisons: memory len(a) * v.size.
Array searchsorted(const Array& a, const Array& v, std::string_view side = "left");
/// jnp.interp: the piecewise-linear interpolant through (xp, fp) (xp
/// increasing, 1-D) at x; `left`/`right` (default fp[0], fp[-1]) outside
/// [xp[0], xp[-1]]. Differentiable in x, xp and fp, as jnp's (a zero-width
/// interval gives fp's left value, not NaN).
Array interp(const Array& x, const Array& xp, const Array& fp, const std::optional<Array>& left = std::nullopt,
             const std::optional<Array>& right = std::nullopt);
/// @}

}  // namespace fluxion
