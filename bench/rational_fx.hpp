// Seed 001's rational function written with Fluxion in Horner form, and the
// coefficient arrays: shared by vmap_bench and jit_bench so that both measure
// the same program (the seed's own form is seeds::rational_function).
#pragma once

#include <cstdint>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace rational {

inline fluxion::Array horner(const fluxion::Array& x, const fluxion::Array& num_par, const fluxion::Array& denom_par) {
  fluxion::Array p = num_par[num_par.size() - 1], q = denom_par[denom_par.size() - 1];
  for (int64_t i = num_par.size() - 2; i >= 0; --i) p = p * x + num_par[i];
  for (int64_t j = denom_par.size() - 2; j >= 0; --j) q = q * x + denom_par[j];
  return p / (1.0 + fluxion::pow(q, 2));
}

using Rational = fluxion::Array (*)(const fluxion::Array&, const fluxion::Array&, const fluxion::Array&);

inline fluxion::Array coefficients(const double (&c)[6]) {
  return fluxion::array(std::vector<double>(c, c + 6), {6});
}

}  // namespace rational
