// The special family of primitives: special functions (erf, erfc, lgamma, digamma, nextafter), cumulative
// reductions (cumsum, cumprod, cummax, cummin) and argmax/argmin.
// Each primitive's rules live in its own file here; family.cpp lists them
// for the registry.
#pragma once

#include <span>

#include "fluxion/primitive.hpp"

namespace fluxion::prim {

// Every primitive of the family, for all_primitives().
std::span<const Primitive* const> special_family();

}  // namespace fluxion::prim
