// Seed 000, "JAX as a differential calculus tool": the quadratic Taylor
// approximation of the Ackley function around a random point xo, and its
// error at xo + s u for s = 1e-1 ... 1e-5, computed for all five scales at
// once by vmap(diff, in_axes=(0, None)). The error is O(s^3): it shrinks
// about 1000x per decade of s, until it reaches the rounding of f (~1e-15).
#include <cstdio>
#include <iostream>

#include "seed_common.hpp"

namespace fx = fluxion;

int main() {
  seeds::section("Seed 000: errors = vmap(diff, in_axes=(0, None))(xs, xo)");
  // xo, u = jr.normal(jr.key(0), (2, d)): JAX's threefry draws, bit for bit.
  const auto [xo, u] = seeds::seed_000_normal_draws(3);
  const fx::Array scales = fx::logspace(-1, -5, 5);  // 1e-1, 1e-2, ..., 1e-5
  const fx::Array xs = xo + u * fx::reshape(scales, {5, 1});
  std::cout << "xo = " << fx::to_string(xo) << "\nu  = " << fx::to_string(u) << "\n";
  std::cout << "xs = xo + u * scales[:, None]:\n" << fx::to_string(xs) << "\n";
  const fx::Array errors = fx::vmap(seeds::diff, {0, fx::none})(xs, xo);
  std::cout << "\nprint(errors)\n" << fx::to_string(errors) << "\n";

  seeds::section("Seed 000: the error shrinks ~1000x per decade of scale (the cubic term)");
  const std::vector<double> s = scales.to_vector<double>(), e = errors.to_vector<double>();
  std::cout << "scale    error             previous / this\n";
  for (size_t k = 0; k < s.size(); ++k) {
    char line[96];
    if (k == 0) std::snprintf(line, sizeof line, "%.0e    %.8e\n", s[k], e[k]);
    else std::snprintf(line, sizeof line, "%.0e    %.8e    %.1f\n", s[k], e[k], e[k - 1] / e[k]);
    std::cout << line;
  }
  std::cout << "(at 1e-5 the cubic term, ~1e-15, is at the rounding level of f itself: the last ratio is noise)\n";
  return 0;
}
