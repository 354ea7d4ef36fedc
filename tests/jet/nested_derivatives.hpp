// The oracle of the Taylor-rule tests: the derivatives d^k/dt^k f(x(t)) at
// t = 0, k = 1..order, along the path x(t) = x0 + Σ_k h_k t^k / k!, by
// nesting jvp once per order (jacrev for a function that has reverse mode
// only). It knows nothing of Taylor rules, only of the JVP rules, which the
// derivative walk checks against finite differences.
#pragma once

#include <functional>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace jet_test {

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;

inline double factorial(size_t k) { return k <= 1 ? 1.0 : static_cast<double>(k) * factorial(k - 1); }

// series[i] holds input i's terms h_1, h_2, ... (none: the input stays put).
inline Arrays nested_derivatives(const std::function<fx::Array(const Arrays&)>& f, const Arrays& x0,
                                 const std::vector<Arrays>& series, size_t order, bool forward = true) {
  std::function<fx::Array(fx::Array)> d = [f, x0, series](fx::Array t) {
    Arrays x = x0;
    for (size_t i = 0; i < x.size(); ++i) {
      fx::Array power = t;
      for (size_t k = 0; k < series[i].size(); ++k) {
        x[i] = x[i] + series[i][k] * (power / factorial(k + 1)).astype(x[i].dtype());
        power = power * t;
      }
    }
    return f(x);
  };
  Arrays out;
  for (size_t k = 0; k < order; ++k) {
    const std::function<fx::Array(fx::Array)> prev = d;
    if (forward)
      d = [prev](fx::Array t) { return fx::jvp(prev, {t}, {fx::ones_like(t)}).second; };
    else
      d = [prev](fx::Array t) { return fx::jacrev(prev)(t); };
    out.push_back(d(fx::Array(0.0)));
  }
  return out;
}

}  // namespace jet_test
