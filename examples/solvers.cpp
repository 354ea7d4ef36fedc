// The tour's chapter on custom derivative rules and pytrees, in two programs
// (examples/solvers.hpp, checked by tests/custom/solvers_test.cpp): a Newton
// solver differentiated through its solution, and a model whose parameters
// are a struct, trained inside a compiled loop.
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "show.hpp"
#include "solvers.hpp"

namespace fx = fluxion;
using demo::shortest;
using solvers::Logistic;

int main() {
  demo::banner("CUSTOM DERIVATIVE RULES AND STRUCTS OF PARAMETERS",
               "fx::custom_vjp replaces the derivative of a function by one you write, here to differentiate a "
               "solver through its solution; FLUXION_PYTREE lets every transformation take and return your own "
               "structs, here a model's parameters trained under fx::jit.");

  demo::section("Kepler's equation E − e·sin E = M, solved by Newton in fx::while_loop");
  demo::say("solvers::kepler(M, e) returns the eccentric anomaly E of an orbit of eccentricity e at mean anomaly "
            "M. Reverse mode cannot go through the while loop, so a custom_vjp rule gives the derivatives from "
            "the implicit-function theorem at the root: ∂E/∂M = 1/(1 − e·cos E) and ∂E/∂e = sin E/(1 − e·cos E). "
            "The table sets grad's ∂E/∂M and ∂E/∂e beside those formulas:");
  CODE(const auto dE = fx::grad(solvers::kepler, {0, 1}));
  demo::Table kepler({"M", "e", "E", "∂E/∂M", "1/(1 − e·cos E)", "∂E/∂e", "sin E/(1 − e·cos E)"});
  kepler.gap(2);
  for (const auto& [M, e] : {std::pair{0.5, 0.1}, std::pair{2.0, 0.6}, std::pair{3.0, 0.9}}) {
    const double E = solvers::kepler(M, e).item<double>(), denom = 1.0 - e * std::cos(E);
    const std::vector<fx::Array> g = dE(M, e);
    kepler.row({demo::fixed(M, 1), demo::fixed(e, 1), demo::fixed(E, 12), demo::fixed(g[0].item<double>(), 12),
                demo::fixed(1.0 / denom, 12), demo::fixed(g[1].item<double>(), 12),
                demo::fixed(std::sin(E) / denom, 12)});
  }
  kepler.print();
  CODE(auto dE_dM = fx::grad([](fx::Array M) { return solvers::kepler(M, fx::Array(0.5)); }));
  CODE(const fx::Array Ms = fx::linspace(0.0, 3.0, 4));
  SHOW(fx::vmap(dE_dM)(Ms));
  SHOW(fx::jit(fx::vmap(dE_dM))(Ms));
  demo::notice("the rule costs one linear solve at the root instead of differentiating every Newton step, and "
               "it composes with vmap and jit like any other function.");

  demo::section("Logistic regression P(y = 1 | x) = σ(x·w + b), its parameters in a struct");
  demo::say("solvers::Logistic is a struct {fx::Array w, b;} registered with FLUXION_PYTREE, so grad of the "
            "loss returns a Logistic; solvers::train makes 300 gradient-descent steps in one fx::fori_loop. "
            "The data: 500 points in ℝ³ labelled by a known plane with logistic noise.");
  CODE(const auto [X, y, w_true] = solvers::synthetic_data(500, 3, 7));
  CODE(const Logistic start{fx::zeros({3}), fx::Array(0.0)});
  CODE(auto fit = [](Logistic p, fx::Array Xs, fx::Array ys) { return solvers::train(p, Xs, ys, 300, 0.5); });
  CODE(auto train = fx::jit(fit));
  const auto t0 = std::chrono::steady_clock::now();
  CODE(const Logistic fitted = train(start, X, y));
  const auto t1 = std::chrono::steady_clock::now();
  CODE(const Logistic again = train(start, X, y));
  const auto t2 = std::chrono::steady_clock::now();
  SHOW(solvers::log_loss(start, X, y));
  SHOW(solvers::log_loss(fitted, X, y));
  SHOW(fitted.w);
  SHOW(w_true);
  SHOW(fitted.b);
  CODE(const fx::Array predicted = (fx::matmul(X, fitted.w) + fitted.b > 0.0).astype(fx::float64));
  const fx::Array accuracy = SHOW(fx::mean((predicted == y).astype(fx::float64)));
  SHOW(fx::all(again.w == fitted.w).item<bool>());
  auto ms = [](auto from, auto to) { return demo::duration(std::chrono::duration<double>(to - from).count()); };
  demo::say("The first call of train traced and compiled the 300 steps (or loaded them from the disk cache) in " +
            ms(t0, t1) + "; the second ran the compiled loop in " + ms(t1, t2) + ", with the same result.");
  demo::notice("the fitted w points the way of the labelling plane w_true, shorter because of the label noise, "
               "and classifies " + demo::fixed(100 * accuracy.item<double>(), 1) +
               "% of the training points correctly.");
  return 0;
}
