// The tour's chapter on Taylor's theorem in several variables, after "JAX as a
// differential calculus tool": the quadratic Taylor approximation of Ackley's
// function around a random point x₀, and its error at x₀ + s·u for
// s = 10⁻¹ … 10⁻⁵, all five in one vmap call. The error is O(s³): it shrinks
// about 1000× per decade of s until it reaches the rounding of f (~10⁻¹⁵).
// fx::taylor::error_scaling tabulates it, and the toolkit's approximations
// of orders 1 to 3 show O(s²), O(s³), O(s⁴).
// tests/seeds/seed_000_test.cpp checks the same functions.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "seed_common.hpp"
#include "show.hpp"

namespace fx = fluxion;

namespace {

// error_scaling's table, indented as the tour's tables are (the last line,
// Taylor's prediction, is said in the prose around it instead).
void print_table(const fx::taylor::ErrorScaling& scaling) {
  std::istringstream lines(scaling.table());
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("Taylor's theorem", 0) != 0) std::cout << "    " << line << "\n";
}

}  // namespace

int main() {
  demo::banner("TAYLOR'S THEOREM IN SEVERAL VARIABLES, CHECKED WITH vmap",
               "Q(x) = f(x₀) + ∇f(x₀)·(x − x₀) + ½·(x − x₀)ᵀ·Hf(x₀)·(x − x₀) approximates f with an error of "
               "order ‖x − x₀‖³. Fluxion checks this at five distances in one batched call, as the write-up "
               "“JAX as a differential calculus tool” does.");

  demo::section("Ackley's function f(x) = −20·exp(−0.2·√(‖x‖²/n)) − exp(Σᵢcos(2πxᵢ)/n) + 20 + e, in ℝ³");
  demo::say("seeds::ackley(x) writes f as the write-up does (examples/seed_common.hpp). The point x₀ and the "
            "direction u are normal draws; fx::random gives the same numbers as jax.random for the same key.");
  CODE_JAX("jr.normal(jr.key(0), (2, 3))", const fx::Array draws = fx::random::normal(fx::random::key(0), {2, 3}));
  CODE(const fx::Array xo = draws[0], u = draws[1]);
  SHOW(xo);
  SHOW(u);
  SHOW(seeds::ackley(xo));
  SHOW(fx::grad(seeds::ackley)(xo));
  SHOW(fx::hessian(seeds::ackley)(xo));
  demo::notice("grad gives ∇f(x₀) and hessian gives Hf(x₀), the two ingredients of Q, from the code of f alone.");

  demo::section("The error Q(x) − f(x) at x = x₀ + s·u for s = 10⁻¹ … 10⁻⁵, in one vmap call");
  CODE(const fx::Array scales = fx::logspace(-1, -5, 5));
  CODE(const fx::Array xs = xo + u * fx::reshape(scales, {5, 1}));
  SHOW(xs);
  demo::say("seeds::diff(x, x₀) is Q(x) − f(x), with Q built from fx::grad(f) and fx::jacobian(fx::grad(f)) at "
            "x₀. vmap maps it over the rows of xs (axis 0) and hands every row the same x₀ (fx::none):");
  CODE_JAX("jax.vmap(diff, in_axes=(0, None))(xs, xo)",
           const fx::Array errors = fx::vmap(seeds::diff, {0, fx::none})(xs, xo));
  demo::say("fx::taylor::error_scaling runs the same experiment for any function and approximation, and "
            "tabulates the errors, the ratio per step and the order they show:");
  CODE(const auto Q = seeds::approx(seeds::ackley, xo));
  CODE(const auto scaling = fx::taylor::error_scaling(seeds::ackley, Q, xo, u, scales, 2));
  SHOW(scaling.errors.to_vector<double>() == errors.to_vector<double>());
  print_table(scaling);
  demo::notice("each tenfold shorter step makes the error about 1000 times smaller, the cubic remainder of "
               "Taylor's theorem, until at s = 10⁻⁵ it meets the rounding error of f itself (about 10⁻¹⁵), "
               "where the last ratio is noise. error_scaling's errors are the vmap's above, bit for bit.");

  demo::section("Linear, quadratic and cubic approximations: error O(s²), O(s³), O(s⁴)");
  demo::say("fx::taylor::approximation(f, x₀, n) builds Tₙ from the exact gradient, Hessian and (for n = 3) the "
            "third-derivative tensor, jacfwd of the Hessian. One more term, one more factor of 10 per decade:");
  CODE(const fx::Array steps = fx::logspace(-1, -3, 3));
  for (int n = 1; n <= 3; ++n) {
    const auto T = fx::taylor::approximation(seeds::ackley, xo, n);
    const auto s = fx::taylor::error_scaling(seeds::ackley, T, xo, u, steps, n);
    demo::say("T" + std::string(n == 1 ? "₁" : n == 2 ? "₂" : "₃") + ", predicted ratio " +
              demo::fixed(s.expected_ratios()[0], 0) + " per decade:");
    print_table(s);
  }
  demo::notice("the ratios approach 10², 10³ and 10⁴ as s shrinks: the first neglected term of Taylor's "
               "series, of order n + 1, is the whole error.");
  return 0;
}
