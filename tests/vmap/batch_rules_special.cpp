// Batching checks (vmap against stacked per-example results) of special functions, cumulative ops, argmin/argmax.
#include "../autodiff/autodiff_util.hpp"
#include "batch_rules_cases.hpp"
#include "primitives/special/family.hpp"

namespace batch_rules {

namespace {

namespace prim = fx::prim;
using autodiff_test::uniform;

fx::Array cum(const fx::Primitive& p, const fx::Array& x, int64_t axis, bool reverse) {
  return fx::bind1(p, {x}, {{"axis", axis}, {"reverse", reverse}});
}

}  // namespace

void add_special_cases(Cases& c) {
  const auto unary = [&](const std::string& name, const fx::Primitive& p, double lo, double hi) {
    c[name] = {[&p](const Arrays& a) { return fx::bind1(p, {a[0]}); },
               [lo, hi](uint64_t s) { return Arrays{uniform(s, {2, 3}, lo, hi)}; }};
  };
  unary("erf", prim::erf_p, -2, 2);
  unary("erfc", prim::erfc_p, -2, 2);
  unary("lgamma", prim::lgamma_p, 0.1, 4);
  unary("digamma", prim::digamma_p, 0.1, 4);
  // Binary: a 0-d order against a batch of x, and both mapped.
  c["polygamma"] = {[](const Arrays& a) { return fx::bind1(prim::polygamma_p, {a[0], a[1]}); },
                    [](uint64_t s) { return Arrays{fx::floor(uniform(s, {}, 0, 4)), uniform(s + 7, {2, 3}, 0.2, 3)}; }};
  c["polygamma/same_shape"] = {
      [](const Arrays& a) { return fx::bind1(prim::polygamma_p, {a[0], a[1]}); },
      [](uint64_t s) { return Arrays{fx::floor(uniform(s, {2, 3}, 0, 4)), uniform(s + 7, {2, 3}, 0.2, 3)}; }};
  c["nextafter"] = {[](const Arrays& a) { return fx::bind1(prim::nextafter_p, {a[0], a[1]}); },
                    [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {2, 3})}; }};
  const auto cumulative = [&](const std::string& name, const fx::Primitive& p) {
    c[name] = {[&p](const Arrays& a) { return cum(p, a[0], 1, false); },
               [](uint64_t s) { return Arrays{uniform(s, {2, 3, 4})}; }};
    c[name + "/reverse"] = {[&p](const Arrays& a) { return cum(p, a[0], 0, true); },
                            [](uint64_t s) { return Arrays{uniform(s, {3, 4})}; }};
  };
  cumulative("cumsum", prim::cumsum_p);
  cumulative("cumprod", prim::cumprod_p);
  cumulative("cummax", prim::cummax_p);
  cumulative("cummin", prim::cummin_p);
  const auto arg = [&](const std::string& name, const fx::Primitive& p) {
    for (int64_t axis : {0, 2})
      c[name + (axis ? "/last" : "")] = {
          [&p, axis](const Arrays& a) {
            return fx::bind1(p, {a[0]}, {{"axes", std::vector<int64_t>{axis}}, {"index_dtype", fx::int32}});
          },
          [](uint64_t s) { return Arrays{uniform(s, {2, 3, 4})}; }};
  };
  arg("argmax", prim::argmax_p);
  arg("argmin", prim::argmin_p);
}

}  // namespace batch_rules
