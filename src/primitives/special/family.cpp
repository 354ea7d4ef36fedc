#include "primitives/special/family.hpp"

namespace fluxion::prim {

std::span<const Primitive* const> special_family() { return {}; }

}  // namespace fluxion::prim
