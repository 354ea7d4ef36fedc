#include "oracle_cases.hpp"

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <type_traits>

namespace oracle {

namespace {

uint64_t parse_value(const std::string& tok, fx::DType t) {
  if (fx::is_floating(t)) {
    char* end = nullptr;
    const double d = std::strtod(tok.c_str(), &end);
    if (end == tok.c_str() || *end) throw std::runtime_error("bad float token '" + tok + "'");
    return std::bit_cast<uint64_t>(d);
  }
  if (t == fx::uint64 || t == fx::uint32) return std::stoull(tok);
  return static_cast<uint64_t>(std::stoll(tok));
}

fx::Shape parse_shape(const std::string& s) {
  if (s.size() < 2 || s.front() != '[' || s.back() != ']')
    throw std::runtime_error("bad shape '" + s + "'");
  fx::Shape out;
  std::stringstream in(s.substr(1, s.size() - 2));
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoll(item));
  return out;
}

OracleArray parse_array(std::istringstream& in) {
  OracleArray a;
  std::string dtype, shape, tok;
  int weak = 0;
  in >> dtype >> weak >> shape;
  a.dtype = parse_dtype(dtype);
  a.weak = weak != 0;
  a.shape = parse_shape(shape);
  while (in >> tok) a.bits.push_back(parse_value(tok, a.dtype));
  int64_t size = 1;
  for (int64_t d : a.shape) size *= d;
  if (static_cast<int64_t>(a.bits.size()) != size)
    throw std::runtime_error("value count does not match shape " + shape);
  return a;
}

std::vector<Case> load(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot open oracle cases file " + path);
  std::vector<Case> cases;
  Case cur;
  std::string line;
  int lineno = 0;
  while (std::getline(file, line)) {
    ++lineno;
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    try {
      if (tag == "case") {
        cur = Case{};
        in >> cur.op >> cur.id;
      } else if (tag == "p") {
        std::string k, v;
        in >> k >> v;
        cur.params[k] = v;
      } else if (tag == "in") {
        cur.inputs.push_back(parse_array(in));
      } else if (tag == "out") {
        cur.outputs.push_back(parse_array(in));
      } else if (tag == "tol") {
        int sz = 1;
        in >> cur.tol.ulp >> cur.tol.rtol >> cur.tol.atol >> sz;
        cur.tol.signed_zero = sz != 0;
      } else if (tag == "end") {
        cases.push_back(std::move(cur));
      } else if (!tag.empty()) {
        throw std::runtime_error("unknown record '" + tag + "'");
      }
    } catch (const std::exception& e) {
      throw std::runtime_error(path + ":" + std::to_string(lineno) + ": " + e.what());
    }
  }
  return cases;
}

std::string format_value(uint64_t bits, fx::DType t) {
  char buf[96];
  if (fx::is_floating(t)) {
    const double d = std::bit_cast<double>(bits);
    std::snprintf(buf, sizeof buf, "%.17g (%a)", d, d);
    return buf;
  }
  if (t == fx::bool_) return bits ? "true" : "false";
  if (fx::is_unsigned_integer(t)) return std::to_string(bits);
  return std::to_string(static_cast<int64_t>(bits));
}

// The got values as bit patterns in the expected dtype's representation.
std::vector<uint64_t> bits_of(const fx::Array& a) {
  return fx::visit_dtype(a.dtype(), [&]<class T>() {
    std::vector<uint64_t> out;
    for (T v : a.to_vector<T>()) {
      if constexpr (std::is_floating_point_v<T>)
        out.push_back(std::bit_cast<uint64_t>(static_cast<double>(v)));
      else if constexpr (std::is_signed_v<T>)
        out.push_back(static_cast<uint64_t>(static_cast<int64_t>(v)));
      else
        out.push_back(static_cast<uint64_t>(v));
    }
    return out;
  });
}

// Distance in units in the last place of `t` (float32 values are exact doubles).
uint64_t ulp_distance(double a, double b, fx::DType t) {
  auto ordered = [&](double x) -> int64_t {
    const int64_t i = t == fx::float32 ? std::bit_cast<int32_t>(static_cast<float>(x))
                                       : std::bit_cast<int64_t>(x);
    const int64_t lowest = t == fx::float32 ? INT32_MIN : INT64_MIN;
    return i < 0 ? lowest - i : i;
  };
  const int64_t x = ordered(a), y = ordered(b);
  return x > y ? static_cast<uint64_t>(x) - static_cast<uint64_t>(y)
               : static_cast<uint64_t>(y) - static_cast<uint64_t>(x);
}

bool float_close(double got, double want, const Tolerance& tol, fx::DType t) {
  if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got);
  if (std::isinf(want) || std::isinf(got)) return got == want;
  if (got == 0 && want == 0) return !tol.signed_zero || std::signbit(got) == std::signbit(want);
  if (got == want) return true;
  if (ulp_distance(got, want, t) <= static_cast<uint64_t>(tol.ulp)) return true;
  return std::fabs(got - want) <= tol.atol + tol.rtol * std::fabs(want);
}

}  // namespace

fx::Array OracleArray::to_array() const {
  if (weak) {
    if (!shape.empty()) throw std::runtime_error("a weak input must be 0-d");
    const uint64_t v = bits.at(0);
    switch (dtype) {
      case fx::DType::float64: return fx::Array(std::bit_cast<double>(v));
      case fx::DType::float32: return fx::Array(static_cast<float>(std::bit_cast<double>(v)));
      case fx::DType::int32: return fx::Array(static_cast<int>(static_cast<int64_t>(v)));
      case fx::DType::int64: return fx::Array(static_cast<long>(static_cast<int64_t>(v)));
      default: throw std::runtime_error("no C++ scalar makes a weak " +
                                        std::string(fx::dtype_name(dtype)));
    }
  }
  return fx::visit_dtype(dtype, [&]<class T>() {
    std::vector<T> data;
    data.reserve(bits.size());
    for (uint64_t b : bits) {
      if constexpr (std::is_floating_point_v<T>)
        data.push_back(static_cast<T>(std::bit_cast<double>(b)));
      else
        data.push_back(static_cast<T>(b));
    }
    return fx::array_of<T>(data, shape);
  });
}

const std::string& Case::param(const std::string& key) const {
  auto it = params.find(key);
  if (it == params.end()) throw std::runtime_error("case " + op + " " + std::to_string(id) +
                                                   " has no parameter " + key);
  return it->second;
}
int64_t Case::int_param(const std::string& key) const { return std::stoll(param(key)); }
double Case::double_param(const std::string& key) const {
  return std::strtod(param(key).c_str(), nullptr);
}
fx::Shape Case::shape_param(const std::string& key) const { return parse_shape(param(key)); }
fx::Axes Case::axes_param(const std::string& key) const {
  if (param(key) == "all") return fx::Axes();
  return fx::Axes(std::vector<int64_t>(parse_shape(param(key))));
}
std::optional<fx::DType> Case::dtype_param(const std::string& key) const {
  if (param(key) == "none") return std::nullopt;
  return parse_dtype(param(key));
}

std::string Case::describe() const {
  std::ostringstream s;
  s << "case " << op << " " << id;
  for (const auto& [k, v] : params) s << " " << k << "=" << v;
  auto arr = [&](const char* tag, const OracleArray& a) {
    s << "\n  " << tag << " " << fx::dtype_name(a.dtype) << (a.weak ? " (weak)" : "") << " "
      << fx::shape_to_string(a.shape) << ":";
    for (size_t i = 0; i < a.bits.size() && i < 12; ++i) s << " " << format_value(a.bits[i], a.dtype);
    if (a.bits.size() > 12) s << " ...";
  };
  for (const auto& a : inputs) arr("in", a);
  for (const auto& a : outputs) arr("want", a);
  return s.str();
}

const std::vector<Case>& all_cases() {
  static const std::vector<Case> cases = load(FLUXION_OP_CASES);
  return cases;
}

fx::DType parse_dtype(const std::string& name) {
  for (int i = 0; i < fx::kNumDTypes; ++i) {
    const auto t = static_cast<fx::DType>(i);
    if (fx::dtype_name(t) == name) return t;
  }
  throw std::runtime_error("unknown dtype '" + name + "'");
}

::testing::AssertionResult matches(const fx::Array& got, const OracleArray& want,
                                   const Tolerance& tol) {
  if (got.dtype() != want.dtype)
    return ::testing::AssertionFailure() << "dtype " << fx::dtype_name(got.dtype()) << ", want "
                                         << fx::dtype_name(want.dtype);
  if (want.dtype != fx::bool_ && got.weak_type() != want.weak)
    return ::testing::AssertionFailure() << "weak_type " << got.weak_type() << ", want " << want.weak
                                         << " (dtype " << fx::dtype_name(want.dtype) << ")";
  if (got.shape() != want.shape)
    return ::testing::AssertionFailure() << "shape " << fx::shape_to_string(got.shape())
                                         << ", want " << fx::shape_to_string(want.shape);
  const std::vector<uint64_t> g = bits_of(got);
  if (g.size() != want.bits.size())
    return ::testing::AssertionFailure() << g.size() << " values, want " << want.bits.size();
  auto failure = ::testing::AssertionFailure();
  int bad = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    const bool ok = fx::is_floating(want.dtype)
                        ? float_close(std::bit_cast<double>(g[i]), std::bit_cast<double>(want.bits[i]),
                                      tol, want.dtype)
                        : g[i] == want.bits[i];
    if (ok) continue;
    if (++bad <= 4)
      failure << "\n    [" << i << "] got " << format_value(g[i], want.dtype) << ", want "
              << format_value(want.bits[i], want.dtype);
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return failure << "\n    " << bad << " of " << g.size() << " values differ (tolerance "
                 << tol.ulp << " ulp, rtol " << tol.rtol << ", atol " << tol.atol << ")";
}

}  // namespace oracle
