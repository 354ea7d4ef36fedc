// The C++ spellings of the jnp functions built from existing primitives
// (statistics, triangles and diagonals, rolls and tiles, ...), for the cases
// tests/oracle/cases_numpy.py writes.
#include "oracle_table.hpp"

namespace oracle {
namespace {

std::optional<int64_t> optional_int(const Case& c, const std::string& key) {
  if (c.param(key) == "none") return std::nullopt;
  return c.int_param(key);
}

std::vector<int64_t> ints(const Case& c, const std::string& key) {
  const fx::Shape s = c.shape_param(key);
  return {s.begin(), s.end()};
}

bool flag(const Case& c, const std::string& key) { return c.int_param(key) != 0; }

}  // namespace

void add_numpy_ops(Table& t) {
  t["var"] = {{"fx::var", [](const Case& c, const Arrays& in) {
                 return one(fx::var(in[0], c.axes_param("axes"), c.int_param("ddof"), flag(c, "keepdims")));
               }}};
  t["std"] = {{"fx::std", [](const Case& c, const Arrays& in) {
                 return one(fx::std(in[0], c.axes_param("axes"), c.int_param("ddof"), flag(c, "keepdims")));
               }}};
  t["average"] = {{"fx::average", [](const Case& c, const Arrays& in) {
                     std::optional<fx::Array> w;
                     if (flag(c, "weighted")) w = in[1];
                     return one(fx::average(in[0], c.axes_param("axes"), w, flag(c, "keepdims")));
                   }}};
  t["quantile"] = {{"fx::quantile", [](const Case& c, const Arrays& in) {
                      return one(fx::quantile(in[0], in[1], c.axes_param("axes"), c.param("method"), flag(c, "keepdims")));
                    }}};
  t["percentile"] = {{"fx::percentile", [](const Case& c, const Arrays& in) {
                        return one(
                            fx::percentile(in[0], in[1], c.axes_param("axes"), c.param("method"), flag(c, "keepdims")));
                      }}};
  t["median"] = {{"fx::median", [](const Case& c, const Arrays& in) {
                    return one(fx::median(in[0], c.axes_param("axes"), flag(c, "keepdims")));
                  }}};
  t["cov"] = {{"fx::cov", [](const Case& c, const Arrays& in) {
                 return one(fx::cov(in[0], flag(c, "rowvar"), flag(c, "bias"), optional_int(c, "ddof")));
               }}};
  t["corrcoef"] = {{"fx::corrcoef", [](const Case& c, const Arrays& in) {
                      return one(fx::corrcoef(in[0], flag(c, "rowvar")));
                    }}};
  t["polyval"] = {{"fx::polyval", [](const Case&, const Arrays& in) { return one(fx::polyval(in[0], in[1])); }}};
  t["tri"] = {{"fx::tri", [](const Case& c, const Arrays&) {
                 return one(fx::tri(c.int_param("n"), optional_int(c, "m"), c.int_param("k"), *c.dtype_param("dtype")));
               }}};
  t["tril"] = {{"fx::tril", [](const Case& c, const Arrays& in) { return one(fx::tril(in[0], c.int_param("k"))); }}};
  t["triu"] = {{"fx::triu", [](const Case& c, const Arrays& in) { return one(fx::triu(in[0], c.int_param("k"))); }}};
  t["diagonal"] = {{"fx::diagonal", [](const Case& c, const Arrays& in) {
                      return one(fx::diagonal(in[0], c.int_param("offset"), c.int_param("axis1"), c.int_param("axis2")));
                    }}};
  t["trace"] = {{"fx::trace", [](const Case& c, const Arrays& in) {
                   return one(fx::trace(in[0], c.int_param("offset"), c.int_param("axis1"), c.int_param("axis2")));
                 }}};
  t["diag"] = {{"fx::diag", [](const Case& c, const Arrays& in) { return one(fx::diag(in[0], c.int_param("k"))); }}};
  t["roll"] = {{"fx::roll", [](const Case& c, const Arrays& in) {
                  if (c.params.count("shifts")) return one(fx::roll(in[0], ints(c, "shifts"), ints(c, "axes")));
                  return one(fx::roll(in[0], c.int_param("shift"), optional_int(c, "axis")));
                }}};
  t["tile"] = {{"fx::tile", [](const Case& c, const Arrays& in) { return one(fx::tile(in[0], ints(c, "reps"))); }},
               {"fx::tile(x, int)", [](const Case& c, const Arrays& in) {
                  const auto reps = ints(c, "reps");
                  return reps.size() == 1 ? one(fx::tile(in[0], reps[0])) : Arrays{};
                }}};
  t["repeat"] = {{"fx::repeat", [](const Case& c, const Arrays& in) {
                    const auto axis = optional_int(c, "axis");
                    if (c.param("repeats").front() == '[') return one(fx::repeat(in[0], ints(c, "repeats"), axis));
                    return one(fx::repeat(in[0], c.int_param("repeats"), axis));
                  }}};
  t["split"] = {{"fx::split", [](const Case& c, const Arrays& in) {
                   if (c.params.count("sections")) return fx::split(in[0], c.int_param("sections"), c.int_param("axis"));
                   return fx::split(in[0], ints(c, "indices"), c.int_param("axis"));
                 }}};
  t["array_split"] = {{"fx::array_split", [](const Case& c, const Arrays& in) {
                         if (c.params.count("sections"))
                           return fx::array_split(in[0], c.int_param("sections"), c.int_param("axis"));
                         return fx::array_split(in[0], ints(c, "indices"), c.int_param("axis"));
                       }}};
  t["diff"] = {{"fx::diff", [](const Case& c, const Arrays& in) {
                  std::optional<fx::Array> prepend, append;
                  size_t next = 1;
                  if (flag(c, "prepend")) prepend = in[next++];
                  if (flag(c, "append")) append = in[next++];
                  return one(fx::diff(in[0], c.int_param("n"), c.int_param("axis"), prepend, append));
                }}};
  t["argsort"] = {{"fx::argsort", [](const Case& c, const Arrays& in) {
                     return one(fx::argsort(in[0], optional_int(c, "axis"), true, flag(c, "descending")));
                   }},
                  {"fx::argsort(stable=false)", [](const Case& c, const Arrays& in) {
                     return one(fx::argsort(in[0], optional_int(c, "axis"), false, flag(c, "descending")));
                   }}};
  t["interp"] = {{"fx::interp", [](const Case&, const Arrays& in) { return one(fx::interp(in[0], in[1], in[2])); }}};
  t["searchsorted"] = {{"fx::searchsorted", [](const Case& c, const Arrays& in) {
                          return one(fx::searchsorted(in[0], in[1], c.param("side")));
                        }}};
}

}  // namespace oracle
