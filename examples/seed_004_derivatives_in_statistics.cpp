// Seed 004, "Automatic differentiation with JAX" (H. Dembinski's slides): the
// uses of derivatives in statistics it names — Newton-Raphson minimisation
// and error propagation C_y = J C_x J^T — and its comparison of numerical,
// symbolic and automatic differentiation, with dual numbers and control flow.
// The slides state formulas rather than print numbers; every number printed
// here has a closed form, which the tests check.
#include <cmath>
#include <iostream>

#include "seed_common.hpp"

namespace fx = fluxion;
using seeds::py_float;

int main() {
  seeds::section("Seed 004: Newton-Raphson minimisation, x_{n+1} = x_n - f'(x_n) / f''(x_n)");
  std::cout << "f(x) = x^4 - 3x^3 + 2 from x0 = 3 (minimum at 9/4 = 2.25):\n";
  const std::vector<double> path = seeds::newton_minimize(seeds::quartic, 3.0, 8);
  for (size_t n = 0; n < path.size(); ++n) std::cout << "  x_" << n << " = " << py_float(path[n]) << "\n";
  std::cout << "  f(x_8) = " << py_float(seeds::quartic(path.back())) << "   (exactly 2.25^4 - 3 * 2.25^3 + 2)\n";

  std::cout << "Negative log-likelihood of decay times t under lambda exp(-lambda t), from lambda = 0.5:\n";
  const fx::Array t = fx::array(seeds::kDecayTimes, {static_cast<int64_t>(seeds::kDecayTimes.size())});
  std::cout << "  t = " << fx::to_string(t) << "\n";
  const std::vector<double> fit = seeds::newton_minimize(seeds::exponential_nll, 0.5, 6);
  for (size_t n = 0; n < fit.size(); ++n) std::cout << "  lambda_" << n << " = " << py_float(fit[n]) << "\n";
  const double lambda_hat = fit.back();
  std::cout << "  closed form 1 / mean(t) = " << py_float(1.0 / fx::mean(t).item<double>()) << "\n";
  // Minuit's error: the inverse of the NLL's curvature at the minimum.
  const double curvature = fx::grad(fx::grad(seeds::exponential_nll))(lambda_hat).item<double>();
  std::cout << "  sigma(lambda) = 1 / sqrt(NLL''(lambda)) = " << py_float(1.0 / std::sqrt(curvature))
            << ", closed form lambda / sqrt(n) = " << py_float(lambda_hat / std::sqrt(double(t.size()))) << "\n";

  seeds::section("Seed 004: error propagation C_y = J C_x J^T, J = jacfwd(f)(x)");
  std::cout << "y = (r cos phi, r sin phi) at (r, phi) = (2, pi/6)\n";
  const fx::Array x = fx::array({2.0, fx::pi / 6});
  const fx::Array cx = fx::array({{0.01, 0.001}, {0.001, 0.0025}});
  const auto [J, cy] = seeds::propagate_covariance(seeds::polar_to_cartesian, x, cx);
  std::cout << "C_x =\n" << cx << "\nJ =\n" << J << "\nC_y = J C_x J^T =\n" << cy << "\n";
  std::cout << "sigma_y = sqrt(diag(C_y)) = " << fx::sqrt(fx::einsum("ii->i", cy)) << "\n";

  seeds::section("Seed 004: three ways to a derivative, of 3x^2 + 2x at x = 1 (exactly 8)");
  // Numerical differentiation: truncation error for large h, cancellation for small h.
  auto f = [](double v) { return seeds::sympy_example(v).item<double>(); };
  std::cout << "h        forward (f(x+h) - f(x)) / h    symmetric (f(x+h) - f(x-h)) / 2h\n";
  for (double h : {1e-1, 1e-4, 1e-8, 1e-12}) {
    const double forward = (f(1.0 + h) - f(1.0)) / h;
    const double symmetric = (f(1.0 + h) - f(1.0 - h)) / (2 * h);
    std::cout << py_float(h) << "  " << py_float(forward) << "  " << py_float(symmetric) << "\n";
  }
  std::cout << "1e16 - 1 == 1e16 -> " << fx::to_string(fx::Array(1e16) - 1.0 == 1e16) << "\n";
  // Symbolic: SymPy's diff(3*x**2 + 2*x, x) is 6*x + 2; automatic differentiation agrees exactly.
  const auto d = fx::grad(seeds::sympy_example);
  const fx::Array xs = fx::linspace(-2, 2, 5);
  std::cout << "grad(3x^2 + 2x) at " << fx::to_string(xs) << " -> " << fx::vmap(d)(xs)
            << "\n6x + 2                   -> " << 6 * xs + 2 << "\n";

  seeds::section("Seed 004: hyperreal (dual) numbers, x + a eps with eps^2 = 0, as jvp");
  auto dual = [](const fx::Array& p, const fx::Array& t) {
    const double d = t.item<double>();
    return py_float(p) + (d < 0 ? " - " : " + ") + py_float(std::abs(d)) + " eps";
  };
  auto mul = [](const fx::Array& a, const fx::Array& b) { return a * b; };
  const auto [p1, t1] = fx::jvp(mul, {2.0, 5.0}, {1.0, 3.0});
  std::cout << "(2 + 1 eps)(5 + 3 eps) = " << dual(p1, t1) << "   (xy + (xb + ya) eps)\n";
  auto inv = [](const fx::Array& a) { return 1.0 / a; };
  const auto [p2, t2] = fx::jvp(inv, {4.0}, {1.0});
  std::cout << "1 / (4 + 1 eps)        = " << dual(p2, t2) << "   (1/x - a/x^2 eps)\n";
  auto pow5 = [](const fx::Array& a) { return fx::pow(a, 5); };
  const auto [p3, t3] = fx::jvp(pow5, {2.0}, {1.0});
  std::cout << "(2 + 1 eps)^5          = " << dual(p3, t3) << "   (x^n + n x^(n-1) a eps)\n";

  seeds::section("Seed 004: 'also works if code uses if, while, ...'");
  // exp(x) summed term by term until the terms stop mattering: the loop runs
  // on concrete values and grad differentiates the iterations it took.
  const auto d_exp = fx::grad(seeds::exp_by_series);
  std::cout << "exp_by_series(1.0) = " << py_float(seeds::exp_by_series(1.0)) << ", grad -> " << py_float(d_exp(1.0))
            << ", exp(1) = " << py_float(std::exp(1.0)) << "\n";
  return 0;
}
