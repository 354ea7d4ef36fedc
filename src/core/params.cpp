#include <algorithm>
#include <cstdio>
#include <string>

#include "core/shape_util.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/primitive.hpp"

namespace fluxion {

Params::Params(std::initializer_list<Item> items) : items_(items) {
  std::sort(items_.begin(), items_.end(),
            [](const Item& a, const Item& b) { return a.first < b.first; });
}

bool Params::contains(std::string_view key) const {
  return std::any_of(items_.begin(), items_.end(), [&](const Item& i) { return i.first == key; });
}

const ParamValue& Params::at(std::string_view key) const {
  for (const Item& i : items_)
    if (i.first == key) return i.second;
  throw Error("primitive parameter '" + std::string(key) + "' is missing");
}

void Params::throw_wrong_type(std::string_view key) {
  throw Error("primitive parameter '" + std::string(key) + "' has an unexpected type");
}

namespace {
std::string tuple_string(const std::vector<int64_t>& v) {
  if (v.size() == 1) return "(" + std::to_string(v[0]) + ",)";
  return "(" + detail::join(v) + ")";
}

std::string double_string(double d) {
  // Python's repr of a float: shortest round-trip digits, always with a '.' or exponent.
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}
}  // namespace

std::string param_to_string(const ParamValue& value) {
  struct Visitor {
    std::string operator()(NoneParam) const { return "None"; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return double_string(d); }
    std::string operator()(DType t) const { return std::string(dtype_name(t)); }
    std::string operator()(const std::vector<int64_t>& v) const { return tuple_string(v); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const DotDimensionNumbers& d) const {
      // JAX prints the four axis groups as lists.
      auto list = [](const std::vector<int64_t>& v) { return "[" + detail::join(v) + "]"; };
      return "((" + list(d.lhs_contracting) + ", " + list(d.rhs_contracting) + "), (" +
             list(d.lhs_batch) + ", " + list(d.rhs_batch) + "))";
    }
  };
  return std::visit(Visitor{}, value);
}

}  // namespace fluxion
