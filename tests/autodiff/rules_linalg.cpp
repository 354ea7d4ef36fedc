// Derivative checks (finite differences and the JVP/VJP identity, orders 1
// and 2) of the LAPACK-backed linear-algebra primitives. Inputs are well
// conditioned (SPD matrices A A^T + n I, triangular matrices with a heavy
// diagonal, distinct eigenvalues and singular values) so that finite
// differences are accurate; outputs whose sign LAPACK chooses (eigenvectors,
// singular vectors) enter through sign-invariant functions, as in JAX's tests.
#include "autodiff_util.hpp"
#include "rules_registry_cases.hpp"

namespace rules_registry {
namespace {

using autodiff_test::uniform;
namespace la = fx::lax::linalg;

fx::Array flat(const fx::Array& x) { return fx::reshape(x, {x.size()}); }
fx::Array join(const Arrays& xs) {
  Arrays flats;
  for (const fx::Array& x : xs) flats.push_back(flat(x));
  return fx::concatenate(flats);
}

// A batch of SPD matrices [batch..., n, n]: A A^T + n I.
fx::Array spd(uint64_t seed, const fx::Shape& batch, int64_t n) {
  fx::Shape s = batch;
  s.push_back(n);
  s.push_back(n);
  const fx::Array a = uniform(seed, s, -1.0, 1.0);
  return fx::matmul(a, fx::transpose(a, batch.empty() ? std::vector<int64_t>{1, 0} : std::vector<int64_t>{0, 2, 1})) +
         fx::eye(n) * static_cast<double>(n);
}

}  // namespace

void add_linalg_cases(Cases& c) {
  // cholesky through lax.linalg.cholesky's symmetrization: its rule assumes
  // a symmetric tangent, which (x + x^T) / 2 makes of any perturbation.
  c["cholesky"] = {[](const Arrays& a) { return la::cholesky(a[0]); }, {spd(900, {2}, 3)}};
  // Four flag combinations; the triangle the solve does not read gets zero derivative.
  c["triangular_solve"] = {[](const Arrays& a) {
                             const fx::Array& t = a[0];
                             return join({la::triangular_solve(t, a[1], true, true),
                                          la::triangular_solve(t, fx::transpose(a[1]), false, false, true),
                                          la::triangular_solve(t, a[1], true, false, true, false, true),
                                          la::triangular_solve(t, a[2], true, true)});
                           },
                           {uniform(901, {3, 3}, -0.5, 0.5) + fx::eye(3) * 3.0, uniform(902, {3, 2}),
                            uniform(903, {3})}};
  // Square, tall and wide matrices (the padded L and U of the rule).
  c["lu"] = {[](const Arrays& a) {
               return join({std::get<0>(la::lu(a[0])), std::get<0>(la::lu(a[1])), std::get<0>(la::lu(a[2]))});
             },
             {uniform(904, {2, 3, 3}), uniform(905, {4, 2}), uniform(906, {2, 4})}};
  // Eigenvalues of a symmetric matrix with well-separated spectrum, and
  // eigenvectors squared (each column's sign is LAPACK's choice).
  c["eigh"] = {[](const Arrays& a) {
                 auto [v, w] = la::eigh(a[0]);
                 return join({w, v * v});
               },
               {spd(907, {}, 3) + fx::array({{3.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, {0.0, 0.0, -3.0}})}};
  // Householder signs are continuous in the input: q and r directly, for
  // tall (reduced), square (full) and wide matrices.
  c["qr"] = {[](const Arrays& a) {
               auto [q1, r1] = la::qr(a[0], false);
               auto [q2, r2] = la::qr(a[1], true);
               auto [q3, r3] = la::qr(a[2], false);
               return join({q1, r1, q2, r2, q3, r3});
             },
             {uniform(908, {4, 3}), uniform(909, {3, 3}), uniform(910, {2, 4})}};
  // Singular values, and u, vt squared (a singular pair's sign is LAPACK's
  // choice); tall and wide matrices exercise the rule's corrections.
  c["svd"] = {[](const Arrays& a) {
                auto [u1, s1, v1] = la::svd(a[0], false);
                auto [u2, s2, v2] = la::svd(a[1], false);
                return join({s1, u1 * u1, v1 * v1, s2, u2 * u2, v2 * v2, la::singular_values(a[2])});
              },
              {uniform(911, {4, 3}), uniform(912, {2, 3}), uniform(913, {3, 3})}};
}

}  // namespace rules_registry
