// Ackley written with Fluxion as a JAX user writes it (the seed program), over
// a whole array; shared by autodiff_bench and alloc_count so that both
// measure the same program.
#pragma once

#include <cstddef>

#include "ackley.hpp"
#include "fluxion/fluxion.hpp"

namespace ackley {

inline fluxion::Array ackley_fx(const fluxion::Array& x) {
  namespace fx = fluxion;
  const double d = static_cast<double>(x.size());
  const fx::Array t1 = -20.0 * fx::exp(-0.2 * fx::sqrt(fx::sum(fx::pow(x, 2)) / d));
  const fx::Array t2 = fx::exp(fx::sum(fx::cos(2.0 * fx::pi * x)) / d);
  return t1 - t2 + 20.0 + fx::e;
}

inline fluxion::Array fx_point(size_t d) {
  return fluxion::array(point(d), {static_cast<int64_t>(d)});
}

}  // namespace ackley
