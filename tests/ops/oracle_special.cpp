// The C++ spellings of the special family's operations, for the cases
// tests/oracle/cases_special.py writes.
#include "oracle_table.hpp"

namespace oracle {

namespace {

std::optional<int64_t> axis_param(const Case& c) {
  if (c.param("axis") == "none") return std::nullopt;
  return c.int_param("axis");
}

}  // namespace

void add_special_ops(Table& t) {
  t["cumsum"] = {{"fx::cumsum", [](const Case& c, const Arrays& in) { return one(fx::cumsum(in[0], axis_param(c))); }}};
  t["cumprod"] = {
      {"fx::cumprod", [](const Case& c, const Arrays& in) { return one(fx::cumprod(in[0], axis_param(c))); }}};
  const auto lax_cumulative = [](fx::Array (*f)(const fx::Array&, int64_t, bool)) {
    return [f](const Case& c, const Arrays& in) { return one(f(in[0], c.int_param("axis"), c.int_param("reverse") != 0)); };
  };
  t["lax_cumsum"] = {{"fx::lax::cumsum", lax_cumulative(&fx::lax::cumsum)}};
  t["lax_cumprod"] = {{"fx::lax::cumprod", lax_cumulative(&fx::lax::cumprod)}};
  t["lax_cummax"] = {{"fx::lax::cummax", lax_cumulative(&fx::lax::cummax)}};
  t["lax_cummin"] = {{"fx::lax::cummin", lax_cumulative(&fx::lax::cummin)}};
  t["argmax"] = {{"fx::argmax", [](const Case& c, const Arrays& in) {
                    return one(fx::argmax(in[0], axis_param(c), c.int_param("keepdims") != 0));
                  }}};
  t["argmin"] = {{"fx::argmin", [](const Case& c, const Arrays& in) {
                    return one(fx::argmin(in[0], axis_param(c), c.int_param("keepdims") != 0));
                  }}};
  t["erf"] = {{"fx::scipy::special::erf", [](const Case&, const Arrays& in) { return one(fx::scipy::special::erf(in[0])); }}};
  t["erfc"] = {
      {"fx::scipy::special::erfc", [](const Case&, const Arrays& in) { return one(fx::scipy::special::erfc(in[0])); }}};
  t["gammaln"] = {{"fx::scipy::special::gammaln",
                   [](const Case&, const Arrays& in) { return one(fx::scipy::special::gammaln(in[0])); }}};
  t["digamma"] = {{"fx::scipy::special::digamma",
                   [](const Case&, const Arrays& in) { return one(fx::scipy::special::digamma(in[0])); }}};
  t["nextafter"] = {
      {"fx::nextafter", [](const Case&, const Arrays& in) { return one(fx::nextafter(in[0], in[1])); }},
      {"fx::lax::nextafter", [](const Case&, const Arrays& in) { return one(fx::lax::nextafter(in[0], in[1])); }}};
  t["xlogy"] = {{"fx::scipy::special::xlogy",
                 [](const Case&, const Arrays& in) { return one(fx::scipy::special::xlogy(in[0], in[1])); }}};
}

}  // namespace oracle
