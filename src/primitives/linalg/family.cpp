#include "primitives/linalg/family.hpp"

namespace fluxion::prim {

std::span<const Primitive* const> linalg_family() {
  static const Primitive* const family[] = {&cholesky_p, &triangular_solve_p, &lu_p, &eigh_p, &qr_p, &svd_p};
  return family;
}

}  // namespace fluxion::prim
