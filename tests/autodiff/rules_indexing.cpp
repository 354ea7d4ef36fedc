// Derivative checks (finite differences and the JVP/VJP identity, orders 1
// and 2) of pad, rev, dynamic_slice, dynamic_update_slice, gather and the
// scatters, through the functions users call (indexing, fx::at, fx::lax).
// Index arrays repeat entries where the primitive accumulates them.
#include "autodiff_util.hpp"
#include "rules_registry_cases.hpp"

namespace rules_registry {

void add_indexing_cases(Cases& c) {
  using autodiff_test::uniform;
  const fx::Array x = uniform(830, {4, 3}), v = uniform(831, {3}), s = uniform(832, {});
  const fx::Array repeated = fx::array_of<int32_t>({2, 0, 2}, {3});  // a repeated and a negative-free index
  const fx::Array unique = fx::array_of<int32_t>({3, -4, 1}, {3});   // -4 is 0: distinct positions
  c["pad"] = {[](const Arrays& a) { return fx::lax::pad(a[0] * a[0], a[1], {{1, -1, 1}, {0, 2, 2}}); }, {x, s}};
  c["rev"] = {[](const Arrays& a) { return fx::lax::rev(fx::sin(a[0]), {0, 1}) * a[0]; }, {x}};
  c["dynamic_slice"] = {[](const Arrays& a) {
                          return fx::lax::dynamic_slice(a[0] * a[0], {fx::Array(1), fx::Array(-2)}, {2, 2});
                        },
                        {x}};
  c["dynamic_update_slice"] = {[](const Arrays& a) {
                                 return fx::lax::dynamic_update_slice(a[0] * a[0], fx::sin(a[1]).reshape({1, 3}),
                                                                      {fx::Array(2), fx::Array(0)});
                               },
                               {x, v}};
  c["gather"] = {[repeated](const Arrays& a) { return fx::sin(a[0](repeated, fx::s(1))) * a[0](repeated, 0).reshape({3, 1}); }, {x}};
  // scatter: the repeated position keeps the last update; the others get none.
  c["scatter"] = {[repeated](const Arrays& a) { return fx::at(a[0], repeated).set(fx::exp(a[1]).reshape({3, 1}) * a[0](fx::s(0, 3))); },
                  {x, v}};
  c["scatter-add"] = {[repeated](const Arrays& a) { return fx::at(a[0] * a[0], repeated, 1).add(fx::sin(a[1])); }, {x, v}};
  c["scatter-mul"] = {[unique](const Arrays& a) {
                        return fx::at(a[0], unique, fx::all).multiply(fx::cos(a[0](fx::s(0, 3))), {.unique_indices = true});
                      },
                      {x}};
  c["scatter-min"] = {[repeated](const Arrays& a) { return fx::at(a[0], repeated, 1).min(a[1] * 1.5); }, {x, v}};
  c["scatter-max"] = {[repeated](const Arrays& a) { return fx::at(a[0], repeated, 2).max(a[1] * 1.5); }, {x, v}};
}

}  // namespace rules_registry
