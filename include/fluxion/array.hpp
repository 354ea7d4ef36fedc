/// @file
/// `fx::Array`: a cheap-to-copy handle on an immutable value. The value is either
/// concrete (a buffer) or abstract (a tracer owned by a transformation); user
/// code cannot tell the difference, which is what lets one function be
/// evaluated, differentiated, batched and compiled.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "fluxion/dtype.hpp"

namespace fluxion {

/// Shape, dtype and weak-type flag: what every transformation knows of a value
/// (JAX's ShapedArray).
struct AbstractValue {
  Shape shape;
  DType dtype = DType::float64;
  bool weak_type = false;

  int64_t ndim() const { return static_cast<int64_t>(shape.size()); }
  int64_t size() const;
  bool operator==(const AbstractValue&) const = default;
};

/// "f64[3,2]", as jaxprs and error messages print it.
std::string to_string(const AbstractValue& aval);
std::string shape_to_string(const Shape& shape);  ///< "(3, 2)", NumPy's tuple form

namespace detail {
class Value;
class Interpreter;
}  // namespace detail

class Array {
 public:
  /// An empty handle, for containers; every operation on it throws fx::Error.
  Array() = default;

  /// C++ scalars become weakly typed 0-d arrays, as Python scalars do in JAX.
  Array(double v);
  Array(float v);
  Array(int v);
  Array(long v);
  Array(long long v);
  Array(unsigned v);
  Array(unsigned long v);
  Array(unsigned long long v);
  Array(bool v);

  explicit Array(std::shared_ptr<const detail::Value> value) : value_(std::move(value)) {}

  bool valid() const { return value_ != nullptr; }
  const AbstractValue& aval() const;
  const Shape& shape() const { return aval().shape; }
  int64_t ndim() const { return aval().ndim(); }
  int64_t size() const { return aval().size(); }
  DType dtype() const { return aval().dtype; }
  bool weak_type() const { return aval().weak_type; }

  /// True when the value is a buffer (not a transformation's tracer).
  bool is_concrete() const;

  /// The single element, converted to T. fx::ShapeError unless size() == 1;
  /// fx::ConcretizationError when the value is abstract.
  template <class T> T item() const;
  /// All elements in row-major order, converted to T.
  template <class T> std::vector<T> to_vector() const;

  /// Indexes axis 0 (negative counts from the end), as x[i] in NumPy.
  Array operator[](int64_t i) const;
  /// NumPy's and JAX's indexing, `x[i, 1:-1, None, ..., idx]` spelled
  /// `x(i, fx::s(1, -1), fx::newaxis, fx::ellipsis, idx)`: integers, slices
  /// (fx::s, fx::all), fx::newaxis, fx::ellipsis, integer arrays (advanced
  /// indexing) and boolean masks. See fluxion/indexing.hpp.
  template <class... I> Array operator()(const I&... index) const;

  /// Truth of a concrete 0-d (or size-1) value, for native C++ control flow.
  explicit operator bool() const;

  Array astype(DType dtype) const;
  Array reshape(const Shape& shape) const;
  Array T() const;  ///< reversed axes

  /// Raw row-major elements of a concrete value (fx::ConcretizationError otherwise).
  const void* data() const;
  const std::shared_ptr<const detail::Value>& value() const { return value_; }

 private:
  std::shared_ptr<const detail::Value> value_;
};

Array operator+(const Array& a, const Array& b);
Array operator-(const Array& a, const Array& b);
Array operator*(const Array& a, const Array& b);
Array operator/(const Array& a, const Array& b);
Array operator-(const Array& a);
Array operator==(const Array& a, const Array& b);
Array operator!=(const Array& a, const Array& b);
Array operator<(const Array& a, const Array& b);
Array operator<=(const Array& a, const Array& b);
Array operator>(const Array& a, const Array& b);
Array operator>=(const Array& a, const Array& b);
Array operator!(const Array& a);  ///< logical_not (bool) / bitwise not (integers)
Array operator&(const Array& a, const Array& b);
Array operator|(const Array& a, const Array& b);
Array operator^(const Array& a, const Array& b);
Array& operator+=(Array& a, const Array& b);
Array& operator-=(Array& a, const Array& b);
Array& operator*=(Array& a, const Array& b);
Array& operator/=(Array& a, const Array& b);

/// JAX's repr: `Array([1., 2.], dtype=float64)`.
std::ostream& operator<<(std::ostream& os, const Array& x);
std::string repr(const Array& x);
/// NumPy's str(): `[1. 2.]`, what print(numpy_array) shows.
std::string to_string(const Array& x);

}  // namespace fluxion

// Array::operator() needs Index, which holds an Array.
#include "fluxion/indexing.hpp"
