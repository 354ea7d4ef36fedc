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


}  // namespace fluxion
