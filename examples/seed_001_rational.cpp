// Seed 001, "Introduction to JAX AutoDiff": a rational function
// f(x) = P(x) / (1 + Q(x)^2), its derivatives f', f'' by grad and grad(grad),
// and its gradients with respect to the coefficients through argnums.
// The seed plots; this program prints the plotted values on a coarse grid.
#include <chrono>
#include <cstdio>
#include <string>
#include <iostream>

#include "seed_common.hpp"

namespace fx = fluxion;
using seeds::rational_function;

namespace {

fx::Array coefficients(const std::vector<double>& c, size_t n) {
  return fx::array(std::vector<double>(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n)),
                   {static_cast<int64_t>(n)});
}

}  // namespace

int main() {
  const fx::Array alpha = coefficients(seeds::kAlpha, 6);
  const fx::Array beta = coefficients(seeds::kBeta, 6);
  // The seed's functions of (x, num_par, denom_par); vmap maps x and holds the
  // coefficients fixed, in_axes=(0, None, None), as a JAX user maps a grid.
  const auto y_g = fx::grad(rational_function);
  const auto y_gg = fx::grad(y_g);
  const fx::MapAxes over_x = {0, fx::none, fx::none};
  auto f = [&](const fx::Array& x) { return rational_function(x, alpha, beta); };
  auto df = [&](const fx::Array& x) { return y_g(x, alpha, beta); };
  auto d2f = [&](const fx::Array& x) { return y_gg(x, alpha, beta); };

  seeds::section("Seed 001: f(x) = P(x) / (1 + Q(x)^2), P and Q of degree 5");
  std::cout << "alpha = " << fx::to_string(alpha) << "\nbeta  = " << fx::to_string(beta) << "\n";
  // A step-1 grid strictly inside I_10 = (-10, 10). It skips x = 0, where the
  // i = 0 term's float_power(x, 0.) has derivative 0 * 0^-1: JAX releases
  // differ there (nan in current JAX's pow JVP, 0 in older ones).
  const fx::Array x = fx::linspace(-9.5, 9.5, 20);
  std::cout << "x      = " << x << "\n";
  // One batched program per curve: vmap(f), vmap(grad(f)), vmap(grad(grad(f))).
  const fx::Array fx_ = fx::vmap(rational_function, over_x)(x, alpha, beta);
  const fx::Array dfx = fx::vmap(y_g, over_x)(x, alpha, beta);
  const fx::Array d2fx = fx::vmap(y_gg, over_x)(x, alpha, beta);
  std::cout << "f(x)   = " << fx_ << "\nf'(x)  = " << dfx << "\nf''(x) = " << d2fx << "\n";
  // The seed normalises each curve to fit one plot (f'' varies the most).
  std::cout << "max |f|, |f'|, |f''| on the grid: " << fx::to_string(fx::stack({fx::max(fx::abs(fx_)),
            fx::max(fx::abs(dfx)), fx::max(fx::abs(d2fx))})) << "\n";

  seeds::section("Seed 001: the same curves on 10^6 points, compiled: fx::jit(fx::vmap(fx::grad(f)))");
  {
    // jit traces the batched program once and compiles it to fused C++
    // loops (cached on disk for the next run); the eager vmap runs the
    // same primitives one batched kernel at a time.
    const fx::Array xs = fx::linspace(-9.5, 9.5, 1000000);
    const auto eager_d1 = fx::vmap(y_g, over_x);
    const auto eager_d2 = fx::vmap(y_gg, over_x);
    const auto jit_d1 = fx::jit(eager_d1);
    const auto jit_d2 = fx::jit(eager_d2);
    auto seconds = [](auto&& run) {
      const auto start = std::chrono::steady_clock::now();
      run();
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    auto fixed = [](double v, int digits) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.*f", digits, v);
      return std::string(buf);
    };
    fx::Array d1, d2, j1, j2;
    const double first = seconds([&] { j1 = jit_d1(xs, alpha, beta); j2 = jit_d2(xs, alpha, beta); });
    const double eager1 = seconds([&] { d1 = eager_d1(xs, alpha, beta); });
    const double eager2 = seconds([&] { d2 = eager_d2(xs, alpha, beta); });
    const double compiled1 = seconds([&] { j1 = jit_d1(xs, alpha, beta); });
    const double compiled2 = seconds([&] { j2 = jit_d2(xs, alpha, beta); });
    std::cout << "first calls (trace, compile or load from the disk cache): " << fixed(first, 2) << " s\n";
    std::cout << "f'  eager " << fixed(eager1 * 1e3, 1) << " ns/point, jit " << fixed(compiled1 * 1e3, 1)
              << " ns/point; max |difference| " << fx::to_string(fx::max(fx::abs(d1 - j1))) << "\n";
    std::cout << "f'' eager " << fixed(eager2 * 1e3, 1) << " ns/point, jit " << fixed(compiled2 * 1e3, 1)
              << " ns/point; max |difference| " << fx::to_string(fx::max(fx::abs(d2 - j2))) << "\n";
    std::cout << "(the compiled loops do each element's operations in eager's order, with eager's kernels: "
                 "the same bits)\n";
  }

  seeds::section("Seed 001: the extrema of f (f' = 0), refined by Newton's method on f' with f''");
  const std::vector<double> extrema = seeds::find_extrema(f, df, d2f, fx::linspace(-9.95, 9.95, 200), 1e-3);
  for (double xe : extrema)
    std::cout << (d2f(xe).item<double>() < 0 ? "maximum" : "minimum") << " at x = " << seeds::py_float(xe)
              << ": f(x) = " << seeds::py_float(f(xe)) << ", f'(x) = " << seeds::py_float(df(xe)) << "\n";
  std::cout << "extrema where f is not ~0: " << extrema.size() << "\n";

  seeds::section("Seed 001: num_par_grad = grad(rational_function, argnums=1), deg(P) = 2");
  // df/dalpha_i = x^i / (1 + Q^2): one row per grid point, one column per coefficient.
  const fx::Array alpha2 = coefficients(seeds::kAlpha, 3);
  const auto num_par_grad = fx::grad(rational_function, 1);
  const fx::Array x5 = fx::linspace(-2, 2, 5);
  std::cout << "x = " << fx::to_string(x5) << "\n" << fx::vmap(num_par_grad, over_x)(x5, alpha2, beta) << "\n";

  seeds::section("Seed 001: denom_par_grad = grad(rational_function, argnums=2), deg(P) = 2");
  // df/dbeta_j = -2 P Q x^j / (1 + Q^2)^2.
  const auto denom_par_grad = fx::grad(rational_function, 2);
  std::cout << fx::vmap(denom_par_grad, over_x)(x5, alpha2, beta) << "\n";

  seeds::section("Seed 001 (its TO DO): x = x0 = 1 fixed, (alpha_1, beta_1) varied on a grid");
  // Rows: alpha_1 in linspace(-2, 2, 5); columns: beta_1 in linspace(-1, 1, 5).
  // Now the coefficients are mapped and x is held fixed (nested vmap, see
  // seeds::coefficient_grid).
  const fx::Array a1 = fx::linspace(-2, 2, 5), b1 = fx::linspace(-1, 1, 5);
  const std::vector<fx::Array> grid = seeds::coefficient_grid(1.0, alpha, beta, a1, b1);
  std::cout << "alpha_1 = " << fx::to_string(a1) << ", beta_1 = " << fx::to_string(b1) << "\n";
  std::cout << "f(x0):\n" << grid[0] << "\n";
  std::cout << "df/dalpha_1(x0):\n" << grid[1] << "\n";
  std::cout << "df/dbeta_1(x0):\n" << grid[2] << "\n";
  return 0;
}
