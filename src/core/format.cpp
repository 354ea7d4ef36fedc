// Array printing: a port of NumPy 1.24's arrayprint (FloatingFormat,
// IntegerFormat, BoolFormat, _formatArray) and of the parts of its Dragon4
// (numpy/core/src/multiarray/dragon4.c) that those use, plus JAX's
// ArrayImpl.__repr__ (jax/_src/array.py).
//
// Dragon4 is ported digit for digit rather than approximated with
// std::to_chars: NumPy's "unique digits capped at a precision, padded to a
// minimum" mode does not always equal "shortest digits, else correctly rounded"
// (float32 99999992 prints as `[99999992.]` alone but `9.999999e+07` beside
// 1.5), and only the original big-integer loop reproduces every such case.
#include "core/format.hpp"

#include "core/dragon4.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include "fluxion/array.hpp"

namespace fluxion {
namespace detail {
namespace {

// str() of a NumPy float scalar (scalartypes.c: positional between 1e-4 and
// 1e16, shortest digits, `1.0` / `1e+16`).
template <class T> std::string scalar_str(T x) {
  const Decomposed v = decompose(x);
  if (v.nan) return "nan";
  if (v.inf) return v.negative ? "-inf" : "inf";
  const long double a = std::fabs(static_cast<long double>(x));
  if (x == 0 || (a < 1.e16L && a >= 1.e-4L)) return format_positional(v, {.trim = Trim::leave_one_zero});
  return format_scientific(v, {.trim = Trim::dpt_zeros});
}

// ---------------------------------------------------------------------------
// Element formatters (arrayprint's FloatingFormat, IntegerFormat, BoolFormat),
// built from the elements that will be shown.

template <class T> class FloatingFormat {
 public:
  FloatingFormat(const std::vector<T>& data, int precision) : precision_(precision) {
    std::vector<T> finite;
    for (T x : data)
      if (std::isfinite(x)) finite.push_back(x);
    // Scientific when the non-zero magnitudes are huge, tiny or far apart.
    T max_val = 0, min_val = std::numeric_limits<T>::infinity();
    for (T x : finite) {
      if (x == 0) continue;
      max_val = std::max(max_val, std::fabs(x));
      min_val = std::min(min_val, std::fabs(x));
    }
    if (max_val > 0) {
      // NumPy divides in the array's precision (float32 / float32 is float32)
      // and compares against Python floats, i.e. in double.
      const T ratio = max_val / min_val;
      exp_format_ = static_cast<double>(max_val) >= 1.e8 || static_cast<double>(min_val) < 0.0001 ||
                    static_cast<double>(ratio) > 1000.;
    }

    if (!finite.empty()) {
      // A first pass at full precision fixes the widths and, in scientific
      // mode, the digit count every element then gets.
      const FloatSpec f{.fractional = !exp_format_, .precision = precision_, .trim = Trim::zeros};
      int int_len = 0, frac_len = 0, exp_len = 0;
      for (T x : finite) {
        const std::string s = exp_format_ ? format_scientific(decompose(x), f) : format_positional(decompose(x), f);
        const int len = static_cast<int>(s.size()), dot = static_cast<int>(s.find('.'));
        const int e = exp_format_ ? static_cast<int>(s.find('e')) : len;
        int_len = std::max(int_len, dot);
        frac_len = std::max(frac_len, e - dot - 1);
        exp_len = std::max(exp_len, len - e - 1);
      }
      pad_left_ = int_len;
      if (exp_format_) {
        exp_size_ = exp_len - 1;
        trim_ = Trim::none;
        precision_ = min_digits_ = frac_len;
        pad_right_ = exp_size_ + 2 + precision_;
      } else {
        pad_right_ = frac_len;
        min_digits_ = 0;
      }
    }

    if (finite.size() != data.size()) {  // make room for nan / inf / -inf
      bool neg_inf = false;
      for (T x : data) neg_inf = neg_inf || (std::isinf(x) && x < 0);
      const int offset = pad_right_ + 1;
      pad_left_ = std::max({pad_left_, 3 - offset, 3 + (neg_inf ? 1 : 0) - offset});
    }
  }

  std::string operator()(T x) const {
    if (!std::isfinite(x)) {
      const std::string s = std::isnan(x) ? "nan" : x < 0 ? "-inf" : "inf";
      return repeat(pad_left_ + pad_right_ + 1 - static_cast<int>(s.size())) + s;
    }
    const FloatSpec f{.fractional = !exp_format_, .precision = precision_, .min_digits = min_digits_, .trim = trim_,
                      .pad_left = pad_left_, .pad_right = pad_right_, .exp_digits = exp_size_};
    return exp_format_ ? format_scientific(decompose(x), f) : format_positional(decompose(x), f);
  }

 private:
  int precision_;
  bool exp_format_ = false;
  int pad_left_ = 0, pad_right_ = 0, exp_size_ = -1, min_digits_ = -1;
  Trim trim_ = Trim::zeros;
};

using ElementFormatter = std::function<std::string(int64_t flat_index)>;

template <class T>
ElementFormatter make_formatter(const T* p, const std::vector<int64_t>& shown, bool zero_dim, int precision) {
  if constexpr (std::is_same_v<T, bool>) {
    // " True" lines up with "False", except in a 0-d array.
    const std::string true_str = zero_dim ? "True" : " True";
    return [p, true_str](int64_t i) { return p[i] ? true_str : std::string("False"); };
  } else if constexpr (std::is_integral_v<T>) {
    int64_t width = 0;
    if (!shown.empty()) {
      auto [lo, hi] = std::minmax_element(shown.begin(), shown.end(), [p](int64_t a, int64_t b) { return p[a] < p[b]; });
      width = static_cast<int64_t>(std::max(std::to_string(p[*lo]).size(), std::to_string(p[*hi]).size()));
    }
    return [p, width](int64_t i) {
      const std::string s = std::to_string(p[i]);
      return repeat(width - static_cast<int64_t>(s.size())) + s;
    };
  } else {
    std::vector<T> values;
    values.reserve(shown.size());
    for (int64_t i : shown) values.push_back(p[i]);
    return [p, fmt = FloatingFormat<T>(values, precision)](int64_t i) { return fmt(p[i]); };
  }
}

// ---------------------------------------------------------------------------
// Layout (arrayprint's _formatArray).

std::string rstrip(std::string_view s) {
  const size_t end = s.find_last_not_of(' ');
  return std::string(end == std::string_view::npos ? std::string_view() : s.substr(0, end + 1));
}

struct Layout {
  const Shape& shape;
  std::vector<int64_t> strides;
  bool summarize;
  int64_t edgeitems;
  std::string_view separator;
  ElementFormatter format;

  Layout(const Shape& s, bool summ, int64_t edge, std::string_view sep)
      : shape(s), strides(s.size(), 1), summarize(summ), edgeitems(edge), separator(sep) {
    for (size_t i = s.size(); i-- > 1;) strides[i - 1] = strides[i] * s[i];
  }

  bool show_summary(size_t axis) const { return summarize && 2 * edgeitems < shape[axis]; }

  // The flat indices of the elements the formatter is fitted to: the corners
  // NumPy's _leading_trailing keeps. With edgeitems 0 its a[-0:] keeps whole
  // axes even though only their last element is printed.
  void shown(size_t axis, int64_t offset, std::vector<int64_t>& out) const {
    if (axis == shape.size()) {
      out.push_back(offset);
      return;
    }
    const int64_t n = shape[axis];
    for (int64_t i = 0; i < n; ++i) {
      if (show_summary(axis) && i == edgeitems && edgeitems > 0) i = n - edgeitems;
      shown(axis + 1, offset + i * strides[axis], out);
    }
  }

  static void extend_line(std::string& s, std::string& line, const std::string& word, int64_t line_width,
                          const std::string& next_line_prefix) {
    const auto len = [](const std::string& x) { return static_cast<int64_t>(x.size()); };
    // Wrapping a line that holds nothing but the indent would not help.
    if (len(line) + len(word) > line_width && len(line) > len(next_line_prefix)) {
      s += rstrip(line) + "\n";
      line = next_line_prefix;
    }
    line += word;
  }

  std::string recurse(size_t axis, int64_t offset, const std::string& hanging_indent, int64_t curr_width) const {
    if (axis == shape.size()) return format(offset);
    const std::string next_indent = hanging_indent + " ";
    const int64_t next_width = curr_width - 1;  // room for the closing ']'
    const int64_t n = shape[axis];
    const bool summary = show_summary(axis);
    // The indices printed along this axis, -1 standing for "...". NumPy
    // prints the last element on its own, so even edgeitems 0 shows it.
    std::vector<int64_t> items;
    for (int64_t i = 0; summary && i < edgeitems; ++i) items.push_back(i);
    if (summary) items.push_back(-1);
    for (int64_t i = summary ? std::max<int64_t>(edgeitems, 1) : n; i >= 1; --i) items.push_back(n - i);
    auto word = [&](int64_t i) {
      return i < 0 ? std::string("...") : recurse(axis + 1, offset + i * strides[axis], next_indent, next_width);
    };

    std::string s;
    const size_t axes_left = shape.size() - axis;
    if (axes_left == 1) {
      const int64_t elem_width = curr_width - std::max<int64_t>(static_cast<int64_t>(rstrip(separator).size()), 1);
      std::string line = hanging_indent;
      for (size_t k = 0; k < items.size(); ++k) {
        extend_line(s, line, word(items[k]), elem_width, hanging_indent);
        if (k + 1 < items.size()) line += separator;
      }
      s += line;
    } else {
      // Rows end with the separator and one blank line per extra dimension.
      const std::string line_sep = rstrip(separator) + std::string(axes_left - 1, '\n');
      for (size_t k = 0; k < items.size(); ++k)
        s += hanging_indent + word(items[k]) + (k + 1 < items.size() ? line_sep : "");
    }
    return "[" + s.substr(hanging_indent.size()) + "]";
  }
};

int64_t num_elements(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

}  // namespace

std::string array2string(const void* data, DType dtype, const Shape& shape, std::string_view separator,
                         std::string_view prefix, std::string_view suffix, const PrintOptions& options) {
  const int64_t size = num_elements(shape);
  if (size == 0) return "[]";
  const int64_t line_width = options.linewidth - static_cast<int64_t>(suffix.size());
  Layout layout(shape, size > options.threshold, options.edgeitems, separator);
  std::vector<int64_t> shown;
  layout.shown(0, 0, shown);
  layout.format = visit_dtype(dtype, [&]<class T>() {
    return make_formatter<T>(static_cast<const T*>(data), shown, shape.empty(), options.precision);
  });
  // Continuation lines are indented past the prefix and the opening '['.
  return layout.recurse(0, 0, std::string(1 + prefix.size(), ' '), line_width);
}

std::string numpy_str(const void* data, DType dtype, const Shape& shape) {
  if (!shape.empty()) return array2string(data, dtype, shape, " ", "");
  // A 0-d array prints as its scalar: no precision cap, `1.0` not `1.`.
  return visit_dtype(dtype, [&]<class T>() -> std::string {
    const T x = *static_cast<const T*>(data);
    if constexpr (std::is_same_v<T, bool>) {
      return x ? "True" : "False";
    } else if constexpr (std::is_integral_v<T>) {
      return std::to_string(x);
    } else {
      return scalar_str(x);
    }
  });
}

std::string jax_repr(const void* data, DType dtype, const Shape& shape, bool weak_type) {
  const std::string prefix = "Array(";
  const int64_t line_width = PrintOptions{}.linewidth;
  std::string dtype_str = "dtype=" + std::string(dtype_name(dtype));
  if (weak_type) dtype_str += ", weak_type=True";
  const std::string s = num_elements(shape) == 0 ? "[], shape=" + shape_to_string(shape)
                                                  : array2string(data, dtype, shape, ", ", prefix, ",");
  // JAX's arithmetic, quirks included: without a newline rfind is -1, and a
  // dtype that does not fit is pushed right by len(prefix) spaces, not wrapped.
  const size_t nl = s.rfind('\n');
  const int64_t last_line_len = static_cast<int64_t>(s.size()) - (nl == std::string::npos ? -1 : static_cast<int64_t>(nl)) + 1;
  const bool too_long = last_line_len + static_cast<int64_t>(dtype_str.size()) + 2 > line_width;
  const std::string sep = too_long ? std::string(prefix.size(), ' ') : " ";
  return prefix + s + "," + sep + dtype_str + ")";
}

}  // namespace detail

// ---------------------------------------------------------------------------
// Public printing API (fluxion/array.hpp); shape_to_string lives in
// core/shape_util.cpp.

namespace {
std::string join_dims(const Shape& shape, const char* sep) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += sep;
    s += std::to_string(shape[i]);
  }
  return s;
}
// What JAX prints for a tracer: Traced<ShapedArray(float64[3])>.
std::string tracer_repr(const Array& x) {
  return "Traced<ShapedArray(" + std::string(dtype_name(x.dtype())) + "[" + join_dims(x.shape(), ",") + "]" +
         (x.weak_type() ? ", weak_type=True" : "") + ")>";
}
constexpr const char* kEmptyHandle = "Array(<empty handle>)";
}  // namespace

std::string repr(const Array& x) {
  if (!x.valid()) return kEmptyHandle;
  if (!x.is_concrete()) return tracer_repr(x);
  return detail::jax_repr(x.data(), x.dtype(), x.shape(), x.weak_type());
}

std::string to_string(const Array& x) {
  if (!x.valid()) return kEmptyHandle;
  if (!x.is_concrete()) return tracer_repr(x);
  return detail::numpy_str(x.data(), x.dtype(), x.shape());
}

std::ostream& operator<<(std::ostream& os, const Array& x) { return os << repr(x); }

std::string to_string(const AbstractValue& aval) {
  return std::string(dtype_short_name(aval.dtype)) + "[" + join_dims(aval.shape, ",") + "]";
}

}  // namespace fluxion
