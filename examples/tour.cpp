// The demo tour: the array computations the seed write-ups use, printed as
// JAX (repr) and NumPy (print) print them, and seed 000's vmap. Random keys
// join the tour when fx::random lands.
#include <iostream>

#include "fluxion/fluxion.hpp"
#include "seed_common.hpp"

namespace fx = fluxion;

namespace {
void section(const char* title) { std::cout << "\n=== " << title << " ===\n"; }
}  // namespace

int main() {
  section("Seed 000: scales = jnp.logspace(-1, -5, 5)  (exactly 10^-k)");
  const fx::Array scales = fx::logspace(-1, -5, 5);
  std::cout << "print(scales) -> " << fx::to_string(scales) << "\n";
  std::cout << "repr(scales)  -> " << scales << "\n";

  section("Seed 000: xs = xo + u * scales[:, None]  (broadcasting (3,) with (5, 1))");
  // xo, u = jr.normal(jr.key(0), (2, 3)): fx::random reproduces JAX's threefry bits.
  const auto [xo, u] = seeds::seed_000_normal_draws();
  const fx::Array xs = xo + u * fx::reshape(scales, {5, 1});
  std::cout << "xs.shape = " << fx::shape_to_string(xs.shape()) << "\n" << xs << "\n";

  section("Seed 000: errors = vmap(diff, in_axes=(0, None))(xs, xo); print(errors)");
  // diff(x, xo) = quadratic Taylor approximation of Ackley around xo, minus
  // Ackley, at x (grad and jacobian inside); vmap maps the rows of xs.
  std::cout << fx::to_string(fx::vmap(seeds::diff, {0, fx::none})(xs, xo)) << "\n";

  section("Seed 001: the grid I_10 = linspace(-10, 10, 9)");
  std::cout << fx::linspace(-10, 10, 9) << "\n";

  section("Seed 003: x = jnp.linspace(-7, 7, 200), first and last points");
  const fx::Array x = fx::linspace(-7, 7, 200);
  std::cout << "x[0] = " << x[0] << ", x[1] = " << x[1] << ", x[-1] = " << x[-1] << "\n";

  section("Seed 003: delta = jnp.arange(4); jnp.einsum('i,j', delta, delta)  (delta (x) delta)");
  const fx::Array delta = fx::arange(4);
  std::cout << fx::einsum("i,j", delta, delta) << "\n";

  section("Seed 003: jnp.einsum('i,j,k', delta, delta, delta)  (delta (x) delta (x) delta)");
  std::cout << fx::einsum("i,j,k", delta, delta, delta) << "\n";

  section("Seed 003: X, Y = meshgrid(linspace(-5, 5, 50), linspace(-5, 5, 40)); Z = g(X, Y)");
  const auto grid = fx::meshgrid({fx::linspace(-5, 5, 50), fx::linspace(-5, 5, 40)});
  const fx::Array& X = grid[0];
  const fx::Array& Y = grid[1];
  const fx::Array Z = fx::pow(X, 2) + 2 * X * Y + fx::pow(Y, 3);
  std::cout << "X.shape = " << fx::shape_to_string(X.shape()) << ", Z[0][0] = g(-5, -5) = " << Z[0][0]
            << ", Z[-1][-1] = g(5, 5) = " << Z[-1][-1] << "\n";

  section("Seed 003, example 5.15: 0.5 * einsum('ij,i,j', H, delta, delta) with H = [[2, 2], [2, 12]]");
  const fx::Array H = fx::array({{2., 2.}, {2., 12.}});
  const fx::Array d = fx::array({1., 1.}) - fx::array({1.0, 2.0});
  std::cout << 0.5 * fx::einsum("ij,i,j", H, d, d) << "\n";

  section("Seed 003: 0.5 * einsum('ij, ij->i', einsum('ij,jk->ik', deltas, H), deltas)");
  const fx::Array deltas = fx::array({{1.0, 1.0}, {1.0, 2.0}, {3.0, 4.0}}) - fx::array({1.0, 2.0});
  std::cout << 0.5 * fx::einsum("ij, ij->i", fx::einsum("ij,jk->ik", deltas, H), deltas) << "\n";

  section("Reductions with axes and keepdims");
  const fx::Array m = fx::reshape(fx::arange(6), {2, 3});
  std::cout << "m = " << m << "\nsum(m, {1}) = " << fx::sum(m, {1})
            << "\nmean(m, {-2}, keepdims) = " << fx::mean(m, {-2}, true) << "\n";
  return 0;
}
