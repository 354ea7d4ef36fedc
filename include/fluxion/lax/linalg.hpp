/// \file
/// jax.lax.linalg: the linear-algebra primitives (cholesky, triangular_solve,
/// lu, qr, eigh, svd).
#pragma once

#include "fluxion/array.hpp"

namespace fluxion::lax::linalg {}  // namespace fluxion::lax::linalg
