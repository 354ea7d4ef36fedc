// The tour's derivatives chapter, after "How to code Differentiation in JAX
// with Simple Examples": grad of a line, of a quadratic and again of its
// derivative, of the sigmoid, of a ReLU written with a plain `if`, and
// partial derivatives through argnums. tests/seeds/seed_002_test.cpp checks
// the same functions.
#include "fluxion/fluxion.hpp"
#include "show.hpp"

namespace fx = fluxion;

int main() {
  demo::banner("DERIVATIVES WITH fx::grad",
               "fx::grad(f) is a new C++ function that returns f's derivative: no formula to derive, no step size "
               "to choose. After the write-up “How to code Differentiation in JAX with Simple Examples”.");

  demo::section("A straight line: f₁(x) = 2x");
  CODE(auto f1 = [](const fx::Array& x) { return 2 * x; });
  CODE_JAX("df1 = jax.grad(f1)", const auto df1 = fx::grad(f1));
  SHOW(df1(1.0));
  SHOW(df1(2.0));
  SHOW(df1(3.0));
  SHOW_THROWS(fx::TypeError, df1(1));
  demo::notice("the slope is 2 wherever it is taken; the integer 1 is refused, as JAX refuses it, because a "
               "derivative needs a floating-point input.");

  demo::section("A quadratic and its second derivative: f₂(x) = x² + 5x + 10");
  CODE(auto f2 = [](const fx::Array& x) { return fx::pow(x, 2) + 5 * x + 10; });
  CODE(const auto df2 = fx::grad(f2));
  CODE(const auto d2_f2 = fx::grad(df2));
  SHOW(df2(2.0));
  SHOW(df2(3.0));
  SHOW(d2_f2(2.0));
  demo::notice("f₂′(x) = 2x + 5 gives 9 and 11; grad of the derivative is the second derivative, the constant 2.");

  demo::section("The sigmoid: σ(x) = 1 / (1 + e⁻ˣ)");
  CODE(auto sigmoid = [](const fx::Array& x) { return 1 / (1 + fx::exp(-x)); });
  SHOW(fx::grad(sigmoid)(2.0));
  demo::notice("σ′(2) = σ(2)·(1 − σ(2)) ≈ 0.105, with no derivative written by hand.");

  demo::section("A ReLU written with a plain if: relu(x) = x for x ≥ 0, else 0");
  CODE(auto relu = [](const fx::Array& x) -> fx::Array { if (x >= 0) return x; return 0.0; });
  CODE(const auto d_relu = fx::grad(relu));
  SHOW(d_relu(1.0));
  SHOW(d_relu(2.0));
  SHOW(d_relu(-1.0));
  demo::notice("the `if` runs on the actual value of x, so grad differentiates the branch taken: slope 1 on the "
               "right, and 0 on the left, where the result is a constant.");

  demo::section("Partial derivatives: f₅(x, y) = x² + y² + 5xy");
  CODE(auto f5 = [](fx::Array x, fx::Array y) { return fx::pow(x, 2) + fx::pow(y, 2) + 5 * x * y; });
  SHOW_JAX("jax.grad(f5, argnums=0)(2.0, 1.0)", fx::grad(f5, 0)(2.0, 1.0));
  SHOW_JAX("jax.grad(f5, argnums=1)(2.0, 1.0)", fx::grad(f5, 1)(2.0, 1.0));
  SHOW_JAX("jax.grad(f5, argnums=(0, 1))(2.0, 1.0)", fx::grad(f5, {0, 1})(2.0, 1.0));
  demo::notice("the second argument of grad picks the variable: ∂f₅/∂x = 2x + 5y = 9 and ∂f₅/∂y = 2y + 5x = 12 "
               "at (2, 1), or both at once.");
  return 0;
}
