// Loops and branches that every transformation sees through: fx::scan,
// fx::while_loop and fx::cond, as JAX's lax.scan, lax.while_loop and
// lax.cond. Three small programs a scientist writes in their first week:
//   1. an ODE integrated by classical Runge-Kutta in fx::scan, and the
//      gradient of its final state with respect to the ODE's parameters;
//   2. Newton's method in fx::while_loop, and the derivative of the root it
//      finds with respect to the equation's parameter (forward mode);
//   3. a piecewise function with fx::cond, batched by vmap and compiled by jit.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;

namespace {

void section(const char* title) { std::cout << "\n=== " << title << " ===\n"; }

// Lotka-Volterra predator-prey: dx/dt = a x - x y, dy/dt = x y - b y.
fx::Array final_state(fx::Array params, fx::Array state, int64_t steps, double h) {
  const auto rhs = [params](fx::Array s) {
    const fx::Array x = s[0], y = s[1];
    return fx::stack({params[0] * x - x * y, x * y - params[1] * y});
  };
  const auto rk4_step = [rhs, h](const Arrays& carry, const Arrays&) {
    const fx::Array s = carry[0];
    const fx::Array k1 = rhs(s), k2 = rhs(s + k1 * (h / 2)), k3 = rhs(s + k2 * (h / 2)), k4 = rhs(s + k3 * h);
    return std::pair{Arrays{s + (k1 + k2 * 2.0 + k3 * 2.0 + k4) * (h / 6)}, Arrays{}};
  };
  return fx::scan(rk4_step, Arrays{state}, Arrays{}, steps).first[0];
}

// sqrt(a) by Newton's method on x^2 - a, until the residual is tiny.
fx::Array newton_sqrt(fx::Array a) {
  const auto not_done = [a](fx::Array x) { return fx::abs(x * x - a) > 1e-12 * a; };
  const auto step = [a](fx::Array x) { return (x + a / x) * 0.5; };
  return fx::while_loop(not_done, step, a);
}

// A smooth ramp: 0 below 0, x^2 / 2 on [0, 1], x - 1/2 above.
fx::Array ramp(fx::Array x) {
  return fx::cond(x < 0.0, [](fx::Array u) { return fx::zeros_like(u); },
                  [](fx::Array u) {
                    return fx::cond(u < 1.0, [](fx::Array v) { return v * v * 0.5; }, [](fx::Array v) { return v - 0.5; },
                                    u);
                  },
                  x);
}

}  // namespace

int main() {
  section("1. Runge-Kutta in fx::scan: d(final prey) / d(a, b)");
  const fx::Array params = fx::array(std::vector<double>{1.1, 0.4}, {2});
  const fx::Array start = fx::array(std::vector<double>{1.0, 0.5}, {2});
  const auto prey_at_2 = [&](fx::Array p) { return final_state(p, start, 200, 0.01)[0]; };
  std::cout << "prey and predators at t = 2: " << final_state(params, start, 200, 0.01) << "\n";
  const fx::Array g = fx::grad(prey_at_2)(params);
  std::cout << "reverse mode (one backward scan over 200 stored steps): " << g << "\n";
  std::cout << "forward mode:                                           " << fx::jacfwd(prey_at_2)(params) << "\n";
  const double eps = 1e-6;
  std::vector<double> fd;
  for (int p = 0; p < 2; ++p) {
    std::vector<double> hi = {1.1, 0.4}, lo = hi;
    hi[static_cast<size_t>(p)] += eps;
    lo[static_cast<size_t>(p)] -= eps;
    fd.push_back((prey_at_2(fx::array(hi, {2})).item<double>() - prey_at_2(fx::array(lo, {2})).item<double>()) /
                 (2 * eps));
  }
  std::printf("central differences (eps = 1e-6):                      [%.8f, %.8f]\n", fd[0], fd[1]);
  // The traced program is one scan equation whose body is the step: a loop,
  // not 200 copies (the body's own equations are left out here).
  std::cout << "the traced program (the step's equations left out):\n";
  const std::string text = fx::make_jaxpr(prey_at_2)(params).str();
  for (size_t at = 0; at < text.size();) {
    const size_t end = std::min(text.find('\n', at), text.size());
    const std::string line = text.substr(at, end - at);
    if (line.find_first_not_of(' ') <= 6) std::cout << line << "\n";
    at = end + 1;
  }

  section("2. Newton's method in fx::while_loop: sqrt(a) and d sqrt(a) / da");
  for (double a : {2.0, 9.0, 1e6}) {
    const auto [root, slope] = fx::jvp(newton_sqrt, {fx::Array(a)}, {fx::Array(1.0)});
    std::printf("a = %-9g sqrt(a) = %-14.10g d/da = %-14.10g (1 / (2 sqrt(a)) = %.10g)\n", a, root.item<double>(),
                slope.item<double>(), 0.5 / std::sqrt(a));
  }
  std::cout << "vmap runs each member until its own residual is small: "
            << fx::vmap(newton_sqrt)(fx::array(std::vector<double>{2.0, 9.0, 1e6}, {3})) << "\n";
  try {
    fx::grad(newton_sqrt)(2.0);
  } catch (const fx::Error& e) {
    std::cout << "reverse mode is refused, as in JAX:\n  " << e.what() << "\n";
  }

  section("3. A piecewise function with fx::cond");
  const fx::Array xs = fx::linspace(-1.5, 1.5, 7);
  std::cout << "x        = " << xs << "\n";
  std::cout << "ramp(x)  = " << fx::vmap(ramp)(xs) << "\n";
  std::cout << "ramp'(x) = " << fx::vmap(fx::grad(ramp))(xs) << "\n";
  std::cout << "compiled: " << fx::jit(fx::vmap(fx::grad(ramp)))(xs) << "\n";
}
