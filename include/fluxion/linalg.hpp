/// \file
/// fx::linalg: jax.numpy.linalg (cholesky, solve, inv, det, slogdet, eigh,
/// qr, svd, norm, matrix_power, ...), differentiable and batchable.
#pragma once

#include "fluxion/array.hpp"

namespace fluxion::linalg {}  // namespace fluxion::linalg
