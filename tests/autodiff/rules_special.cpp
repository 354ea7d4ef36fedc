// Derivative checks (finite differences and the JVP/VJP identity, orders 1
// and 2) of special functions, cumulative ops, argmin/argmax.
#include "autodiff_util.hpp"
#include "rules_registry_cases.hpp"
#include "primitives/special/family.hpp"

namespace rules_registry {

namespace {

namespace prim = fx::prim;
using autodiff_test::uniform;

fx::Array un(const fx::Primitive& p, const fx::Array& x) { return fx::bind1(p, {x}); }
fx::Array cum(const fx::Primitive& p, const fx::Array& x, int64_t axis, bool reverse) {
  return fx::bind1(p, {x}, {{"axis", axis}, {"reverse", reverse}});
}

}  // namespace

void add_special_cases(Cases& c) {
  const fx::Array x = uniform(900, {2, 3}), pos = uniform(901, {2, 3}, 0.3, 2.5);
  // Negative non-integers too: the reflection branch of digamma and polygamma.
  const fx::Array mixed = uniform(902, {2, 3}, 0.2, 0.8) + fx::array({{-3.0, -1.0, 0.0}, {1.0, 2.0, -2.0}});
  c["erf"] = {[](const Arrays& a) { return un(prim::erf_p, a[0]); }, {x}};
  c["erfc"] = {[](const Arrays& a) { return un(prim::erfc_p, a[0]); }, {x}};
  c["lgamma"] = {[](const Arrays& a) { return un(prim::lgamma_p, a[0]); }, {mixed}};
  c["digamma"] = {[](const Arrays& a) { return un(prim::digamma_p, a[0]); }, {mixed}};
  // polygamma in x (m fixed: JAX does not differentiate in m), orders 1 and 2
  // reaching polygamma(3, .) and (4, .).
  c["polygamma"] = {[](const Arrays& a) {
                      return fx::bind1(prim::polygamma_p, {fx::full({2, 3}, 2.0), a[0]}) +
                             fx::bind1(prim::polygamma_p, {fx::Array(1.0).astype(fx::float64), a[0] * 0.5});
                    },
                    {pos}};
  c["nextafter"] = {[](const Arrays& a) { return fx::bind1(prim::nextafter_p, {a[0] * a[0], a[1]}); },
                    {x, uniform(903, {2, 3})}};
  // Cumulative ops along each axis, forwards and reversed. cumprod with a
  // zero factor (its derivative needs no division); cummax/cummin on
  // distinct values (no ties: finite differences see one argmax).
  const fx::Array with_zero = x * fx::array({{1.0, 0.0, 1.0}, {1.0, 1.0, 1.0}});
  c["cumsum"] = {[](const Arrays& a) {
                   return cum(prim::cumsum_p, a[0] * a[0], 1, false) + cum(prim::cumsum_p, a[0], 0, true);
                 },
                 {x}};
  c["cumprod"] = {[](const Arrays& a) {
                    return cum(prim::cumprod_p, a[0], 1, false) + cum(prim::cumprod_p, a[0] * a[1], 1, true) +
                           cum(prim::cumprod_p, a[1], 0, false);
                  },
                  {with_zero, x}};
  const fx::Array distinct = fx::array({{0.3, -1.2, 1.7, 0.9, -0.4}, {2.1, 0.6, -0.8, 1.1, 1.9}});
  c["cummax"] = {[](const Arrays& a) {
                   return cum(prim::cummax_p, a[0], 1, false) + cum(prim::cummax_p, a[0] * 0.5, 1, true);
                 },
                 {distinct}};
  c["cummin"] = {[](const Arrays& a) {
                   return cum(prim::cummin_p, a[0], 1, true) + cum(prim::cummin_p, a[0], 1, false);
                 },
                 {distinct}};
  // Integer-valued: zero derivative (x scaled by the piecewise-constant index).
  const auto arg = [distinct](const fx::Primitive& p) {
    return Case{[&p](const Arrays& a) {
                  const fx::Array i = fx::bind1(p, {a[1]}, {{"axes", std::vector<int64_t>{1}}, {"index_dtype", fx::int32}});
                  return a[0] * fx::reshape(i.astype(fx::float64), {2, 1});
                },
                {uniform(904, {2, 3}), distinct}};
  };
  c["argmax"] = arg(prim::argmax_p);
  c["argmin"] = arg(prim::argmin_p);
}

}  // namespace rules_registry
