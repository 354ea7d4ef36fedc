/// \file
/// special functions and cumulative reductions: jax.lax.erf, erfc, lgamma,
/// digamma, nextafter, cumsum, cumprod, cummax, cummin, argmax, argmin.
#pragma once

#include "fluxion/array.hpp"

namespace fluxion::lax {}  // namespace fluxion::lax
