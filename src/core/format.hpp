// Printing arrays exactly as NumPy 1.24 (numpy/core/arrayprint.py plus its
// Dragon4 float formatter) and JAX (ArrayImpl.__repr__) print them, so that a
// Fluxion program's output can be compared with a Python reference
// character for character.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "fluxion/dtype.hpp"

namespace fluxion::detail {

// NumPy's print options that matter for the dtypes Fluxion has (floatmode is
// always 'maxprec', sign '-', suppress False, legacy off).
struct PrintOptions {
  int precision = 8;
  int linewidth = 75;
  int64_t threshold = 1000;
  int edgeitems = 3;
};

// np.array2string(a, separator=separator, prefix=prefix, suffix=suffix,
// max_line_width=options.linewidth, precision=..., threshold=..., edgeitems=...)
// for a row-major buffer of `dtype` elements.
std::string array2string(const void* data, DType dtype, const Shape& shape,
                         std::string_view separator, std::string_view prefix,
                         std::string_view suffix = "", const PrintOptions& options = {});

// str(numpy_array), what print() shows: a 0-d array prints as its scalar.
std::string numpy_str(const void* data, DType dtype, const Shape& shape);

// repr(jax_array): `Array([1., 2.], dtype=float64)`.
std::string jax_repr(const void* data, DType dtype, const Shape& shape, bool weak_type);

}  // namespace fluxion::detail
