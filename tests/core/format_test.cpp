// Array printing against NumPy and JAX. The bulk of the cases come from
// tests/oracle/format_cases.py, which the build runs to write what NumPy
// prints for thousands of arrays (every dtype, ranks 0-4, empty, nan/inf/-0,
// all float magnitudes, wrapping, summarisation); each must match byte for
// byte. A few hand-written cases document the expected output.
#include "core/format.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fluxion/array.hpp"

#ifndef FLUXION_FORMAT_CASES
#define FLUXION_FORMAT_CASES "format_cases.txt"
#endif

namespace fluxion::detail {
namespace {

struct Case {
  std::string kind, name;
  DType dtype = DType::float64;
  Shape shape;
  bool weak = false;
  PrintOptions options;
  std::string separator, prefix, suffix;
  std::vector<uint64_t> storage;  // the element bytes, suitably aligned for any dtype
  const void* data() const { return storage.data(); }
  std::string expected;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == '\t') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
  }
  return out;
}

DType parse_dtype(const std::string& name) {
  static const std::map<std::string, DType> names = {
      {"bool", DType::bool_},     {"int32", DType::int32},     {"int64", DType::int64},
      {"uint32", DType::uint32},  {"uint64", DType::uint64},   {"float32", DType::float32},
      {"float64", DType::float64}};
  return names.at(name);
}

std::vector<Case> load_cases() {
  const char* env = std::getenv("FLUXION_FORMAT_CASES");
  std::ifstream in(env ? env : FLUXION_FORMAT_CASES);
  std::vector<Case> cases;
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split_tabs(line);
    if (f.size() != 14) {
      ADD_FAILURE() << "malformed case line: " << line.substr(0, 200);
      continue;
    }
    Case c;
    c.kind = f[0];
    c.name = f[1];
    c.dtype = parse_dtype(f[2]);
    std::stringstream dims(f[3]);
    for (std::string d; std::getline(dims, d, ',');) c.shape.push_back(std::stoll(d));
    c.weak = f[4] == "1";
    c.options.precision = std::stoi(f[5]);
    c.options.linewidth = std::stoi(f[6]);
    c.options.threshold = std::stoll(f[7]);
    c.options.edgeitems = std::stoi(f[8]);
    c.separator = unescape(f[9]);
    c.prefix = unescape(f[10]);
    c.suffix = unescape(f[11]);
    std::vector<unsigned char> bytes;
    for (size_t i = 0; i + 1 < f[12].size(); i += 2)
      bytes.push_back(static_cast<unsigned char>(std::stoi(f[12].substr(i, 2), nullptr, 16)));
    c.storage.resize((bytes.size() + 7) / 8 + 1);
    if (!bytes.empty()) std::memcpy(c.storage.data(), bytes.data(), bytes.size());
    c.expected = unescape(f[13]);
    cases.push_back(std::move(c));
  }
  return cases;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = load_cases();
  return all;
}

// Runs every case of `kind` through `print`, reporting the first mismatches in
// full and the totals.
template <class Fn> void check_kind(const std::string& kind, Fn print) {
  static_assert(std::endian::native == std::endian::little, "the case buffers are little-endian");
  ASSERT_FALSE(cases().empty()) << "no cases in " FLUXION_FORMAT_CASES
                                   " (run tests/oracle/format_cases.py or set FLUXION_FORMAT_CASES)";
  int checked = 0, failed = 0;
  for (const Case& c : cases()) {
    if (c.kind != kind) continue;
    ++checked;
    const std::string got = print(c);
    if (got != c.expected && ++failed <= 20) {
      ADD_FAILURE() << c.name << " (" << kind << ")\nexpected:\n" << c.expected << "\ngot:\n" << got;
    }
  }
  EXPECT_EQ(failed, 0) << failed << " of " << checked << " " << kind << " cases differ";
  EXPECT_GT(checked, 0);
  std::cout << "[ oracle   ] " << kind << ": " << checked - failed << "/" << checked << " match\n";
}

TEST(FormatOracle, NumpyStr) {
  check_kind("str", [](const Case& c) { return numpy_str(c.data(), c.dtype, c.shape); });
}

TEST(FormatOracle, JaxRepr) {
  check_kind("repr", [](const Case& c) { return jax_repr(c.data(), c.dtype, c.shape, c.weak); });
}

TEST(FormatOracle, Array2String) {
  check_kind("a2s", [](const Case& c) {
    return array2string(c.data(), c.dtype, c.shape, c.separator, c.prefix, c.suffix, c.options);
  });
}

// initializer_list rather than vector so that bool elements are real bools.
template <class T> std::string str(std::initializer_list<T> v, Shape shape) {
  return numpy_str(v.begin(), dtype_of_v<T>, shape);
}
template <class T> std::string str(const std::vector<T>& v, Shape shape) {
  return numpy_str(v.data(), dtype_of_v<T>, shape);
}
template <class T> std::string jrepr(std::initializer_list<T> v, Shape shape, bool weak = false) {
  return jax_repr(v.begin(), dtype_of_v<T>, shape, weak);
}
template <class T> std::string jrepr(const std::vector<T>& v, Shape shape) {
  return jax_repr(v.data(), dtype_of_v<T>, shape, false);
}

TEST(Format, NumpyStrExamples) {
  EXPECT_EQ(str<double>({1.01747675e-03, 1.03140167e-06, 1.03225695e-09, 1.03295150e-12, 8.88178420e-16}, {5}),
            "[1.01747675e-03 1.03140167e-06 1.03225695e-09 1.03295150e-12\n 8.88178420e-16]");
  EXPECT_EQ(str<double>({1.5, 2.25}, {2}), "[1.5  2.25]");  // 'maxprec' pads with spaces
  EXPECT_EQ(str<double>({1.0}, {}), "1.0");                  // 0-d prints as the scalar
  EXPECT_EQ(str<double>({1.0 / 3}, {1}), "[0.33333333]");
  EXPECT_EQ(str<double>({1.0 / 3}, {}), "0.3333333333333333");
  EXPECT_EQ(str<float>({1e-4f, 1.0f}, {2}), "[1.e-04 1.e+00]");
  EXPECT_EQ(str<float>({99999992.0f}, {1}), "[99999992.]");
  EXPECT_EQ(str<double>({0.0, -0.0}, {2}), "[ 0. -0.]");
  EXPECT_EQ(str<bool>({true, false}, {2}), "[ True False]");
  EXPECT_EQ(str<int64_t>({-5, 100, 7}, {3}), "[ -5 100   7]");
  EXPECT_EQ(str<uint64_t>({18446744073709551615ull}, {}), "18446744073709551615");
  EXPECT_EQ(str<double>({}, {0, 3}), "[]");
  EXPECT_EQ(str<int32_t>({0, 1, 2, 3, 4, 5, 6, 7}, {2, 2, 2}), "[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]");
}

TEST(Format, JaxReprExamples) {
  EXPECT_EQ(jrepr<double>({1, 2, 3}, {3}), "Array([1., 2., 3.], dtype=float64)");
  EXPECT_EQ(jrepr<double>({2}, {}), "Array(2., dtype=float64)");
  EXPECT_EQ(jrepr<double>({2}, {}, true), "Array(2., dtype=float64, weak_type=True)");
  EXPECT_EQ(jrepr<bool>({true, false}, {2}), "Array([ True, False], dtype=bool)");
  EXPECT_EQ(jrepr<int32_t>({1, 2, 3}, {3}), "Array([1, 2, 3], dtype=int32)");
  EXPECT_EQ(jrepr<double>({}, {0}), "Array([], shape=(0,), dtype=float64)");
  EXPECT_EQ(jrepr<float>({}, {2, 0}), "Array([], shape=(2, 0), dtype=float32)");
  EXPECT_EQ(jrepr<int32_t>({0, 0, 0, 0, 0, 1, 2, 3}, {2, 4}),
            "Array([[0, 0, 0, 0],\n       [0, 1, 2, 3]], dtype=int32)");
  // A dtype that does not fit on the last line is moved right by
  // len("Array(") spaces: JAX's code does that rather than wrap it.
  std::vector<double> v(10);
  for (int i = 0; i < 10; ++i) v[i] = i / 9.0;
  EXPECT_EQ(jrepr<double>(v, {10}),
            "Array([0.        , 0.11111111, 0.22222222, 0.33333333, 0.44444444,\n"
            "       0.55555556, 0.66666667, 0.77777778, 0.88888889, 1.        ],      dtype=float64)");
}

TEST(Format, Summarisation) {
  std::vector<int32_t> v(1001);
  for (int i = 0; i < 1001; ++i) v[i] = i;
  EXPECT_EQ(str<int32_t>(v, {1001}), "[   0    1    2 ...  998  999 1000]");
}

TEST(Format, ShapeAndAvalStrings) {
  EXPECT_EQ(shape_to_string({3, 2}), "(3, 2)");
  EXPECT_EQ(shape_to_string({3}), "(3,)");
  EXPECT_EQ(shape_to_string({}), "()");
  EXPECT_EQ(to_string(AbstractValue{{3, 2}, DType::float64, false}), "f64[3,2]");
  EXPECT_EQ(to_string(AbstractValue{{}, DType::int32, true}), "i32[]");
  EXPECT_EQ(to_string(AbstractValue{{0}, DType::bool_, false}), "bool[0]");
}

}  // namespace
}  // namespace fluxion::detail
