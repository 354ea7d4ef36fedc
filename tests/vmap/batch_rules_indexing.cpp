// Batching checks (vmap against stacked per-example results) of pad, rev,
// dynamic_slice, dynamic_update_slice, gather and the scatters, with index
// arrays and start indices among the mapped arguments.
#include "../autodiff/autodiff_util.hpp"
#include "batch_rules_cases.hpp"
#include "fluxion/lax.hpp"

namespace batch_rules {
namespace {

using autodiff_test::uniform;

// Integers in [lo, hi): the per-example indices.
fx::Array indices(uint64_t seed, const fx::Shape& shape, double lo, double hi) {
  return fx::floor(uniform(seed, shape, lo, hi)).astype(fx::int32);
}

}  // namespace

void add_indexing_cases(Cases& c) {
  c["pad"] = {[](const Arrays& a) { return fx::lax::pad(a[0], a[1], {{1, -1, 1}, {2, 0, 0}}); },
              [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {})}; }};
  c["rev"] = {[](const Arrays& a) { return fx::lax::rev(a[0], {1}); },
              [](uint64_t s) { return Arrays{uniform(s, {2, 3})}; }};
  c["dynamic_slice"] = {[](const Arrays& a) { return fx::lax::dynamic_slice(a[0], {a[1], fx::Array(0)}, {2, 3}); },
                        [](uint64_t s) { return Arrays{uniform(s, {4, 3}), indices(s + 7, {}, -5, 5)}; },
                        // JAX's rule: a batched dynamic slice is a gather.
                        [](const std::vector<std::optional<int>>&) { return std::string("gather"); }};
  c["dynamic_update_slice"] = {
      [](const Arrays& a) { return fx::lax::dynamic_update_slice(a[0], a[1], {a[2], fx::Array(1)}); },
      [](uint64_t s) { return Arrays{uniform(s, {4, 3}), uniform(s + 5, {2, 2}), indices(s + 7, {}, -5, 5)}; },
      [](const std::vector<std::optional<int>>&) { return std::string("scatter"); }};
  c["gather"] = {[](const Arrays& a) { return a[0](a[1]); },
                 [](uint64_t s) { return Arrays{uniform(s, {5, 3}), indices(s + 7, {4}, -5, 5)}; }};
  c["gather/mixed"] = {[](const Arrays& a) { return a[0](fx::s(1), a[1], fx::newaxis); },
                       [](uint64_t s) { return Arrays{uniform(s, {5, 3}), indices(s + 7, {2, 2}, -3, 3)}; }};
  c["scatter"] = {[](const Arrays& a) { return fx::at(a[0], a[1]).set(a[2]); },
                  [](uint64_t s) { return Arrays{uniform(s, {5}), indices(s + 7, {3}, -5, 5), uniform(s + 9, {3})}; }};
  c["scatter-add"] = {[](const Arrays& a) { return fx::at(a[0], a[1], fx::all).add(a[2]); },
                      [](uint64_t s) {
                        return Arrays{uniform(s, {5, 2}), indices(s + 7, {3}, -7, 7), uniform(s + 9, {3, 2})};
                      }};
  c["scatter-mul"] = {[](const Arrays& a) { return fx::at(a[0], a[1]).multiply(a[2]); },
                      [](uint64_t s) { return Arrays{uniform(s, {5}), indices(s + 7, {3}, 0, 5), uniform(s + 9, {3})}; }};
  c["scatter-min"] = {[](const Arrays& a) { return fx::at(a[0], a[1]).min(a[2]); },
                      [](uint64_t s) { return Arrays{uniform(s, {5}), indices(s + 7, {3}, 0, 5), uniform(s + 9, {3})}; }};
  c["scatter-max"] = {[](const Arrays& a) { return fx::at(a[0], a[1]).max(a[2]); },
                      [](uint64_t s) { return Arrays{uniform(s, {5}), indices(s + 7, {3}, 0, 5), uniform(s + 9, {3})}; }};
}

}  // namespace batch_rules
