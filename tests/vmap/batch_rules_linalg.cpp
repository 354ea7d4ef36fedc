// Batching checks (vmap against stacked per-example results) of the
// LAPACK-backed linear-algebra primitives. Every rule moves the batch axis to
// the front, where it is one more batch axis of the kernel's loop; the random
// in_axes also put it between or after the matrix axes.
#include "../autodiff/autodiff_util.hpp"
#include "batch_rules_cases.hpp"

namespace batch_rules {
namespace {

using autodiff_test::uniform;
namespace la = fx::lax::linalg;

fx::Array spd(uint64_t seed, int64_t n) {
  const fx::Array a = uniform(seed, {n, n}, -1.0, 1.0);
  return fx::matmul(a, fx::transpose(a)) + fx::eye(n) * static_cast<double>(n);
}

}  // namespace

void add_linalg_cases(Cases& c) {
  c["cholesky"] = {[](const Arrays& a) { return la::cholesky(a[0], false); },
                   [](uint64_t s) { return Arrays{spd(s, 3)}; }};
  c["triangular_solve"] = {[](const Arrays& a) { return la::triangular_solve(a[0], a[1], true, true); },
                           [](uint64_t s) {
                             return Arrays{uniform(s, {3, 3}, -0.5, 0.5) + fx::eye(3) * 3.0, uniform(s + 7, {3, 2})};
                           }};
  c["triangular_solve/right_upper"] = {
      [](const Arrays& a) { return la::triangular_solve(a[0], a[1], false, false, true, false, true); },
      [](uint64_t s) { return Arrays{uniform(s, {3, 3}) + fx::eye(3) * 3.0, uniform(s + 7, {2, 3})}; }};
  c["lu"] = {[](const Arrays& a) { return std::get<0>(la::lu(a[0])); },
             [](uint64_t s) { return Arrays{uniform(s, {3, 3})}; }};
  c["lu/permutation"] = {[](const Arrays& a) { return std::get<2>(la::lu(a[0])); },
                         [](uint64_t s) { return Arrays{uniform(s, {4, 3})}; }};
  c["eigh"] = {[](const Arrays& a) { return la::eigh(a[0], true, false).first; },
               [](uint64_t s) { return Arrays{spd(s, 3)}; }};
  c["eigh/values"] = {[](const Arrays& a) { return la::eigh(a[0], false, false).second; },
                      [](uint64_t s) { return Arrays{uniform(s, {3, 3})}; }};
  c["qr"] = {[](const Arrays& a) { return la::qr(a[0], true).first; },
             [](uint64_t s) { return Arrays{uniform(s, {3, 2})}; }};
  c["qr/r"] = {[](const Arrays& a) { return la::qr(a[0], false).second; },
               [](uint64_t s) { return Arrays{uniform(s, {2, 3})}; }};
  c["svd"] = {[](const Arrays& a) { return std::get<0>(la::svd(a[0], true)); },
              [](uint64_t s) { return Arrays{uniform(s, {3, 2})}; }};
  c["svd/values"] = {[](const Arrays& a) { return la::singular_values(a[0]); },
                     [](uint64_t s) { return Arrays{uniform(s, {2, 4})}; }};
}

}  // namespace batch_rules
