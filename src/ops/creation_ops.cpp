// Array creation. Literal data becomes a constant directly (as NumPy data
// does in JAX); computed ranges (linspace, eye, ...) are built from
// primitives with JAX's formulas so their values match JAX's bit for bit.
#include <cmath>
#include <cstring>
#include <limits>

#include "core/shape_util.hpp"
#include "core/value.hpp"
#include "fluxion/errors.hpp"
#include "ops/internal.hpp"

namespace fluxion {
namespace {

template <class T, class Src>
Array constant(const Src* data, int64_t n, const Shape& shape, DType dtype) {
  auto value = detail::allocate(AbstractValue{shape, dtype, false});
  T* out = static_cast<T*>(value->mutable_data());
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (std::is_floating_point_v<Src> && std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      // Route through convert_element_type's saturating rule rather than UB.
      const Src v = data[i];
      if (std::isnan(v)) out[i] = 0;
      else if (v <= static_cast<Src>(std::numeric_limits<T>::lowest())) out[i] = std::numeric_limits<T>::lowest();
      else if (v >= static_cast<Src>(std::numeric_limits<T>::max())) out[i] = std::numeric_limits<T>::max();
      else out[i] = static_cast<T>(v);
    } else {
      out[i] = static_cast<T>(data[i]);
    }
  }
  return Array(std::move(value));
}

Array from_doubles(const double* data, int64_t n, const Shape& shape, DType dtype) {
  detail::check_shape(shape, "array");
  if (detail::shape_size(shape) != n)
    throw ShapeError("array: " + std::to_string(n) + " values do not fill shape " + shape_to_string(shape) +
                     " (size " + std::to_string(detail::shape_size(shape)) + ")");
  return visit_dtype(dtype, [&]<class T>() { return constant<T>(data, n, shape, dtype); });
}

}  // namespace

Array array(const std::vector<double>& data, const Shape& shape, DType dtype) {
  return from_doubles(data.data(), static_cast<int64_t>(data.size()), shape, dtype);
}

Array array(std::initializer_list<double> data, DType dtype) {
  return from_doubles(data.begin(), static_cast<int64_t>(data.size()), {static_cast<int64_t>(data.size())}, dtype);
}

Array array(std::initializer_list<std::initializer_list<double>> data, DType dtype) {
  std::vector<double> flat;
  const int64_t cols = data.size() ? static_cast<int64_t>(data.begin()->size()) : 0;
  for (const auto& row : data) {
    if (static_cast<int64_t>(row.size()) != cols)
      throw ShapeError("array: nested lists must be rectangular; got rows of lengths " + std::to_string(cols) +
                       " and " + std::to_string(row.size()));
    flat.insert(flat.end(), row.begin(), row.end());
  }
  return array(flat, {static_cast<int64_t>(data.size()), cols}, dtype);
}

Array array(std::initializer_list<std::initializer_list<std::initializer_list<double>>> data, DType dtype) {
  std::vector<double> flat;
  int64_t rows = -1, cols = -1;
  for (const auto& plane : data) {
    for (const auto& row : plane) {
      if (cols >= 0 && static_cast<int64_t>(row.size()) != cols)
        throw ShapeError("array: nested lists must be rectangular (inner lengths differ)");
      cols = static_cast<int64_t>(row.size());
      flat.insert(flat.end(), row.begin(), row.end());
    }
    if (rows >= 0 && static_cast<int64_t>(plane.size()) != rows)
      throw ShapeError("array: nested lists must be rectangular (middle lengths differ)");
    rows = static_cast<int64_t>(plane.size());
  }
  return array(flat, {static_cast<int64_t>(data.size()), std::max<int64_t>(rows, 0), std::max<int64_t>(cols, 0)}, dtype);
}

template <class T>
Array array_of(const std::vector<T>& data, const Shape& shape) {
  detail::check_shape(shape, "array_of");
  if (detail::shape_size(shape) != static_cast<int64_t>(data.size()))
    throw ShapeError("array_of: " + std::to_string(data.size()) + " values do not fill shape " + shape_to_string(shape));
  auto value = detail::allocate(AbstractValue{shape, dtype_of_v<T>, false});
  T* out = static_cast<T*>(value->mutable_data());
  for (size_t i = 0; i < data.size(); ++i) out[i] = data[i];  // vector<bool> has no data()
  return Array(std::move(value));
}
template Array array_of<bool>(const std::vector<bool>&, const Shape&);
template Array array_of<int32_t>(const std::vector<int32_t>&, const Shape&);
template Array array_of<int64_t>(const std::vector<int64_t>&, const Shape&);
template Array array_of<uint32_t>(const std::vector<uint32_t>&, const Shape&);
template Array array_of<uint64_t>(const std::vector<uint64_t>&, const Shape&);
template Array array_of<float>(const std::vector<float>&, const Shape&);
template Array array_of<double>(const std::vector<double>&, const Shape&);

Array full(const Shape& shape, const Array& fill, std::optional<DType> dtype) {
  detail::check_shape(shape, "full");
  if (fill.ndim() != 0) return broadcast_to(dtype ? astype(fill, *dtype) : fill, shape);
  // Without a dtype a C++ scalar fill stays weakly typed, as lax.full.
  const Array value = dtype ? detail::convert(fill, *dtype) : fill;
  return detail::broadcast_in_dim(value, shape, {});
}
Array zeros(const Shape& shape, DType dtype) { return full(shape, 0, dtype); }
Array ones(const Shape& shape, DType dtype) { return full(shape, 1, dtype); }
// Without a dtype the result has x's dtype and weak flag (lax.full_like).
Array full_like(const Array& x, const Array& fill, std::optional<DType> dtype) {
  if (dtype) return full(x.shape(), fill, dtype);
  const Array value = detail::convert(fill.ndim() == 0 ? fill : astype(fill, x.dtype()), x.dtype(), x.weak_type());
  return fill.ndim() == 0 ? detail::broadcast_in_dim(value, x.shape(), {}) : broadcast_to(value, x.shape());
}
Array zeros_like(const Array& x, std::optional<DType> dtype) { return full_like(x, 0, dtype); }
Array ones_like(const Array& x, std::optional<DType> dtype) { return full_like(x, 1, dtype); }

Array arange(const Array& stop) { return arange(0, stop, 1); }

// NumPy's arange: length ceil((stop - start) / step), values start + i * delta
// with delta = (start + step) - start, computed in double (or exactly for
// integers) and then cast, as jnp.arange does through NumPy for constants.
Array arange(const Array& start, const Array& stop, const Array& step, std::optional<DType> dtype) {
  for (const Array* a : {&start, &stop, &step})
    if (a->ndim() != 0) throw ShapeError("arange: start, stop and step must be scalars, got shape " + shape_to_string(a->shape()));
  const DType out = dtype.value_or(promote_types({detail::typed(start), detail::typed(stop), detail::typed(step)}).dtype);
  if (is_floating(out) || is_floating(start.dtype()) || is_floating(stop.dtype()) || is_floating(step.dtype())) {
    const double b = start.item<double>(), e = stop.item<double>(), s = step.item<double>();
    if (s == 0 || std::isnan(s)) throw ValueError("arange: step must be a non-zero number, got " + std::to_string(s));
    const double len = std::ceil((e - b) / s);
    if (!(len < 1e12)) throw ValueError("arange: the range is too large (" + std::to_string(len) + " elements)");
    const int64_t n = len > 0 ? static_cast<int64_t>(len) : 0;
    const double delta = (b + s) - b;
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[i] = i == 0 ? b : b + static_cast<double>(i) * delta;
    return array(v, {n}, out);
  }
  const long long b = start.item<long long>(), e = stop.item<long long>(), s = step.item<long long>();
  if (s == 0) throw ValueError("arange: step must be non-zero");
  const long long n = (s > 0 ? (e > b ? (e - b + s - 1) / s : 0) : (b > e ? (b - e - s - 1) / -s : 0));
  if (out == default_int && b == 0 && s == 1)
    return bind1(prim::iota_p, {}, {{"dtype", out}, {"shape", Shape{n}}, {"dimension", int64_t{0}}});
  std::vector<double> v(static_cast<size_t>(n));
  for (long long i = 0; i < n; ++i) v[i] = static_cast<double>(b + i * s);
  return array(v, {n}, out);
}

// jnp.linspace: start * (1 - t) + stop * t with t = i / div, and the endpoint
// appended exactly (jax/_src/numpy/array_creation.py).
Array linspace(double start, double stop, int64_t num, bool endpoint, DType dtype) {
  if (num < 0) throw ShapeError("linspace: number of samples, " + std::to_string(num) + ", must be non-negative");
  const DType ct = is_floating(dtype) ? dtype : default_float;
  const Array lo = detail::convert(Array(start), ct), hi = detail::convert(Array(stop), ct);
  Array out;
  if (num > 1) {
    const int64_t div = endpoint ? num - 1 : num;
    const Array iota = bind1(prim::iota_p, {}, {{"dtype", ct}, {"shape", Shape{div}}, {"dimension", int64_t{0}}});
    const Array t = bind1(prim::div_p, {iota, detail::convert(Array(static_cast<double>(div)), ct)});
    const Array one_minus_t = bind1(prim::sub_p, {detail::convert(Array(1.0), ct), t});
    out = bind1(prim::add_p, {bind1(prim::mul_p, {lo, one_minus_t}), bind1(prim::mul_p, {hi, t})});
    if (endpoint) out = bind1(prim::concatenate_p, {out, reshape(hi, {1})}, {{"dimension", int64_t{0}}});
  } else if (num == 1) {
    out = reshape(lo, {1});
  } else {
    out = zeros({0}, ct);
  }
  if (is_integer(dtype)) out = bind1(prim::floor_p, {out});
  return detail::convert(out, dtype);
}

Array logspace(double start, double stop, int64_t num, bool endpoint, double base, DType dtype) {
  const DType ct = is_floating(dtype) ? dtype : default_float;
  const Array lin = linspace(start, stop, num, endpoint, ct);
  return detail::convert(pow(Array(base), lin), dtype);
}

// JAX's _eye: iota(rows) + k == iota(cols), converted.
Array eye(int64_t n, std::optional<int64_t> m, int64_t k, DType dtype) {
  const int64_t cols = m.value_or(n);
  if (n < 0 || cols < 0) throw ShapeError("eye: negative dimensions (" + std::to_string(n) + ", " + std::to_string(cols) + ")");
  const Shape shape{n, cols};
  const Array rows = bind1(prim::iota_p, {}, {{"dtype", DType::int32}, {"shape", shape}, {"dimension", int64_t{0}}});
  const Array columns = bind1(prim::iota_p, {}, {{"dtype", DType::int32}, {"shape", shape}, {"dimension", int64_t{1}}});
  const Array shifted = k == 0 ? rows : bind1(prim::add_p, {rows, detail::convert(Array(static_cast<int>(k)), DType::int32)});
  return detail::convert(bind1(prim::eq_p, {shifted, columns}), dtype);
}

std::vector<Array> meshgrid(const std::vector<Array>& xs, std::string_view indexing) {
  if (indexing != "xy" && indexing != "ij")
    throw ValueError("meshgrid: indexing must be \"xy\" or \"ij\", got \"" + std::string(indexing) + "\"");
  for (const Array& x : xs)
    if (x.ndim() != 1) throw ShapeError("meshgrid: arguments must be 1-D, got shape " + shape_to_string(x.shape()));
  std::vector<Array> args = xs;
  const bool swap = indexing == "xy" && args.size() >= 2;
  if (swap) std::swap(args[0], args[1]);
  Shape shape;
  for (const Array& a : args) shape.push_back(a.shape()[0]);
  std::vector<Array> out;
  for (size_t i = 0; i < args.size(); ++i)
    out.push_back(detail::broadcast_in_dim(args[i], shape, {static_cast<int64_t>(i)}));
  if (swap) std::swap(out[0], out[1]);
  return out;
}

}  // namespace fluxion
