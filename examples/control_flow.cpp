// The tour's control-flow chapter: loops and branches that every
// transformation sees through, fx::scan, fx::while_loop and fx::cond (JAX's
// lax.scan, lax.while_loop and lax.cond), in three programs a scientist
// writes in a first week:
//   1. an ODE integrated by classical Runge-Kutta in fx::scan, and the
//      gradient of its final state with respect to the ODE's parameters;
//   2. Newton's method in fx::while_loop, and the derivative of the root it
//      finds with respect to the equation's parameter (forward mode);
//   3. a piecewise function with fx::cond, batched by vmap and compiled by jit.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "fluxion/fluxion.hpp"
#include "show.hpp"

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;

namespace {

// Lotka-Volterra predator-prey: dx/dt = a x - x y, dy/dt = x y - b y, from
// `state` over `steps` Runge-Kutta steps of size h, as one scan.
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

// (f(p + εeᵢ) − f(p − εeᵢ)) / 2ε for each component i of p.
template <class F> fx::Array central_differences(const F& f, const std::vector<double>& p, double eps) {
  std::vector<double> out;
  for (size_t i = 0; i < p.size(); ++i) {
    std::vector<double> hi = p, lo = p;
    hi[i] += eps;
    lo[i] -= eps;
    const auto n = static_cast<int64_t>(p.size());
    out.push_back((f(fx::array(hi, {n})).template item<double>() - f(fx::array(lo, {n})).template item<double>()) /
                  (2 * eps));
  }
  return fx::array(out, {static_cast<int64_t>(out.size())});
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
  demo::banner("LOOPS AND BRANCHES: fx::scan, fx::while_loop, fx::cond",
               "A loop or a branch written with these functions (JAX's lax.scan, lax.while_loop and lax.cond) "
               "stays one operation in the traced program, so grad, vmap and jit see through it.");

  demo::section("An ODE in fx::scan: Lotka–Volterra, x′ = a·x − x·y, y′ = x·y − b·y, by Runge–Kutta");
  demo::say("final_state(params, start, steps, h) (examples/control_flow.cpp) makes `steps` classical "
            "Runge–Kutta steps of size h in one fx::scan. The prey x at t = 2, as a function of (a, b):");
  CODE(const fx::Array params = fx::array({1.1, 0.4}), start = fx::array({1.0, 0.5}));
  CODE(auto prey_at_2 = [&](const fx::Array& p) { return final_state(p, start, 200, 0.01)[0]; });
  SHOW(final_state(params, start, 200, 0.01));
  SHOW(fx::grad(prey_at_2)(params));
  SHOW(fx::jacfwd(prey_at_2)(params));
  SHOW(central_differences(prey_at_2, {1.1, 0.4}, 1e-6));
  demo::say("The traced program of prey_at_2 holds the loop as one scan equation, whose body is one step:");
  CODE(const fx::ClosedJaxpr program = fx::make_jaxpr(prey_at_2)(params));
  CODE(const fx::JaxprEqn& loop = program.jaxpr.eqns[0]);
  SHOW(loop.primitive->name);
  SHOW(fx::param_to_string(loop.params.at("length")));
  SHOW(loop.params.get<fx::JaxprParam>("jaxpr")->jaxpr.eqns.size());
  SHOW(program.jaxpr.eqns.size());
  demo::notice("200 steps are a scan of length 200 over one Runge–Kutta step, not 200 copies of it. Reverse "
               "mode (grad) keeps the 200 states and runs one backward scan; forward mode (jacfwd) and central "
               "differences agree with it to all 8 printed digits.");

  demo::section("Newton's method in fx::while_loop: √a as the root of x² − a, and d√a/da");
  demo::say("newton_sqrt(a) iterates x ← (x + a/x)/2 from x = a while |x² − a| > 10⁻¹²·a. fx::jvp carries the "
            "derivative through the iterations that ran:");
  CODE(auto root_and_slope = [](double a) { return fx::jvp(newton_sqrt, {a}, {1.0}); });
  demo::Table roots({"a", "√a", "d√a/da by jvp", "1/(2√a)"});
  roots.align_on_point(0).align_on_point(1).align_on_point(2).align_on_point(3);
  for (double a : {2.0, 9.0, 1e6}) {
    const auto [root, slope] = root_and_slope(a);
    roots.row({demo::shortest(a), demo::shortest(root.item<double>()), demo::shortest(slope.item<double>()),
               demo::shortest(0.5 / std::sqrt(a))});
  }
  roots.print();
  SHOW(fx::vmap(newton_sqrt)(fx::array({2.0, 9.0, 1e6})));
  SHOW_THROWS(fx::Error, fx::grad(newton_sqrt)(2.0));
  demo::notice("under vmap each member loops until its own residual is small; reverse mode is refused, as in "
               "JAX, because the number of iterations is unknown before the loop runs (the solvers chapter "
               "differentiates such a solve another way).");

  demo::section("A piecewise function with fx::cond: ramp(x) = 0 for x < 0, x²/2 on [0, 1], x − ½ above");
  CODE(const fx::Array xs = fx::linspace(-1.5, 1.5, 7));
  SHOW(fx::vmap(ramp)(xs));
  SHOW(fx::vmap(fx::grad(ramp))(xs));
  SHOW(fx::jit(fx::vmap(fx::grad(ramp)))(xs));
  demo::notice("each element takes its own branch under vmap, and the derivative is 0, then x, then 1: the "
               "pieces meet smoothly. The compiled version gives the same numbers.");
  return 0;
}
