#include "primitives/special/family.hpp"

namespace fluxion::prim {

std::span<const Primitive* const> special_family() {
  static constexpr const Primitive* table[] = {&erf_p,     &erfc_p,    &lgamma_p,  &digamma_p,
                                               &polygamma_p, &nextafter_p, &cumsum_p, &cumprod_p,
                                               &cummax_p,  &cummin_p,  &argmax_p,  &argmin_p};
  return table;
}

}  // namespace fluxion::prim
