// Seed 002, "How to code Differentiation in JAX with Simple Examples": grad of
// a line, a quadratic, its second derivative, the sigmoid, a ReLU written with
// a native `if`, and partial derivatives through argnum. Each print(float(...))
// of the seed prints here as Python's float repr.
#include <iostream>

#include "seed_common.hpp"

namespace fx = fluxion;
using seeds::py_float;

int main() {
  seeds::section("Seed 002: f1(x) = 2x, df1 = grad(f1)");
  auto f1 = [](const fx::Array& x) { return 2 * x; };
  const auto df1 = fx::grad(f1);
  for (double x : {1.0, 2.0, 3.0}) std::cout << "float(df1(" << py_float(x) << ")) -> " << py_float(df1(x)) << "\n";
  // "JAX requires floating-point inputs rather than integers": so does Fluxion.
  try {
    df1(1);
  } catch (const fx::TypeError& e) {
    std::cout << "df1(1) -> fx::TypeError: " << e.what() << "\n";
  }

  seeds::section("Seed 002: f2(x) = x^2 + 5x + 10, df2 = grad(f2), d2_f2 = grad(df2)");
  auto f2 = [](const fx::Array& x) { return fx::pow(x, 2) + 5 * x + 10; };
  const auto df2 = fx::grad(f2);
  const auto d2_f2 = fx::grad(df2);
  std::cout << "float(df2(2.0)) -> " << py_float(df2(2.0)) << "   (= 2*2 + 5)\n";
  std::cout << "float(df2(3.0)) -> " << py_float(df2(3.0)) << "   (= 2*3 + 5)\n";
  std::cout << "float(d2_f2(2.0)) -> " << py_float(d2_f2(2.0)) << "\n";

  seeds::section("Seed 002: sigmoid(x) = 1 / (1 + exp(-x)), d_sig = grad(sigmoid)");
  auto sigmoid = [](const fx::Array& x) { return 1 / (1 + fx::exp(-x)); };
  const auto d_sig = fx::grad(sigmoid);
  std::cout << "float(d_sig(2.0)) -> " << py_float(d_sig(2.0)) << "   (approximately 0.105)\n";

  seeds::section("Seed 002: ReLU with a native if, d_ReLU = grad(ReLU)");
  // The else branch returns a constant, as the seed's `return 0.0` does: its
  // derivative is zero because nothing in it depends on x.
  auto ReLU = [](const fx::Array& x) -> fx::Array {
    if (x >= 0) return x;
    return 0.0;
  };
  const auto d_ReLU = fx::grad(ReLU);
  for (double x : {1.0, 2.0, -1.0}) std::cout << "float(d_ReLU(" << py_float(x) << ")) -> " << py_float(d_ReLU(x)) << "\n";

  seeds::section("Seed 002: f5(x, y) = x^2 + y^2 + 5xy, partial derivatives via argnums");
  auto f5 = [](const fx::Array& x, const fx::Array& y) { return fx::pow(x, 2) + fx::pow(y, 2) + 5 * x * y; };
  const auto df5_dx = fx::grad(f5, 0);
  const auto df5_dy = fx::grad(f5, 1);
  std::cout << "float(df5_dx(2.0, 1.0)) -> " << py_float(df5_dx(2.0, 1.0)) << "   (2x + 5y)\n";
  std::cout << "float(df5_dy(2.0, 1.0)) -> " << py_float(df5_dy(2.0, 1.0)) << "   (2y + 5x)\n";
  return 0;
}
