/// \file
/// fx::scipy: jax.scipy.special (erf, erfc, erfinv, gammaln, digamma,
/// logsumexp, xlogy) and jax.scipy.stats.norm (pdf, cdf, logpdf).
#pragma once

#include "fluxion/array.hpp"

namespace fluxion::scipy {}  // namespace fluxion::scipy
