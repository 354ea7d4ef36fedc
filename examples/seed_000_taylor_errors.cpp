// The tour's chapter on Taylor's theorem in several variables, after "JAX as a
// differential calculus tool": the quadratic Taylor approximation of Ackley's
// function around a random point x₀, and its error at x₀ + s·u for
// s = 10⁻¹ … 10⁻⁵, all five in one vmap call. The error is O(s³): it shrinks
// about 1000× per decade of s until it reaches the rounding of f (~10⁻¹⁵).
// tests/seeds/seed_000_test.cpp checks the same functions.
#include <string>
#include <vector>

#include "seed_common.hpp"
#include "show.hpp"

namespace fx = fluxion;

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
  const std::vector<double> s = scales.to_vector<double>(), e = errors.to_vector<double>();
  demo::Table table({"step s", "Q(x) − f(x)", "previous / this"});
  for (size_t k = 0; k < s.size(); ++k)
    table.row({demo::sci(s[k], 0), demo::sci(e[k], 8), k == 0 ? "" : demo::fixed(e[k - 1] / e[k], 1)});
  table.print();
  demo::notice("each tenfold shorter step makes the error about 1000 times smaller, the cubic remainder of "
               "Taylor's theorem, until at s = 10⁻⁵ it meets the rounding error of f itself (about 10⁻¹⁵), "
               "where the last ratio is noise.");
  return 0;
}
