#include "primitives/linalg/family.hpp"

namespace fluxion::prim {

std::span<const Primitive* const> linalg_family() { return {}; }

}  // namespace fluxion::prim
