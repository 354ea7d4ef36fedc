// The special family of primitives: special functions (erf, erfc, lgamma,
// digamma, polygamma, nextafter), cumulative reductions (cumsum, cumprod,
// cummax, cummin) and argmax/argmin, with jax.lax's names and parameters.
// Each file here holds a few of them with all their rules; family.cpp lists
// them for the registry.
#pragma once

#include <span>

#include "fluxion/primitive.hpp"

namespace fluxion::prim {

// elementwise.cpp: float-only elementwise functions (nextafter and
// polygamma binary).
extern const Primitive erf_p, erfc_p, lgamma_p, digamma_p, polygamma_p, nextafter_p;
// cumulative.cpp: cumulative reductions along `axis`, `reverse` from the end.
extern const Primitive cumsum_p, cumprod_p, cummax_p, cummin_p;
// argminmax.cpp: the index of the extremum along `axes` (one axis).
extern const Primitive argmax_p, argmin_p;

// Every primitive of the family, for all_primitives().
std::span<const Primitive* const> special_family();

}  // namespace fluxion::prim
