// The linalg family of primitives: linear algebra through LAPACK (cholesky,
// triangular_solve, lu, qr, eigh, svd), with jax.lax.linalg's names,
// parameters and derivative rules. Each primitive's rules live in its own
// file here; family.cpp lists them for the registry.
#pragma once

#include <span>

#include "fluxion/primitive.hpp"

namespace fluxion::prim {

extern const Primitive cholesky_p, triangular_solve_p, lu_p, eigh_p, qr_p, svd_p;

// Every primitive of the family, for all_primitives().
std::span<const Primitive* const> linalg_family();

}  // namespace fluxion::prim
