// Seed 003, "Taylor Approximation and JAX": Taylor polynomials of sin + cos by
// repeated grad, tanh and its higher derivatives, jaxprs and describe_jaxpr,
// and the two-variable quadratic approximation of MML's example 5.15.
// Fluxion computes in float64 by default; where the seed printed JAX's
// float32 numbers, the float32 run is printed too and shows the seed's digits.
#include <cmath>
#include <iostream>
#include <string>

#include "seed_common.hpp"

namespace fx = fluxion;
using seeds::py_float;

namespace {

fx::Array f32(const fx::Array& x) { return x.astype(fx::float32); }

void taylor_approx(int num_coef, const fx::Array& grid) {
  const std::vector<double> coef = seeds::taylor_coefficients(seeds::fun, 0.0, num_coef);
  const fx::Array c = fx::array(coef, {num_coef});
  std::cout << "taylor_approx(fun, approx_around=0.0, num_coef=" << num_coef << ")\n  f^(k)(0)/k! = " << c
            << "\n  T(x)        = " << seeds::taylor_polynomial(coef, 0.0, grid) << "\n";
}

}  // namespace

int main() {
  seeds::section("Seed 003: the tangent line of f(x) = sin(x) + cos(x) at x0 = 0");
  const auto df = fx::grad(seeds::fun);
  std::cout << "f(0) = " << py_float(seeds::fun(0.0)) << ", f'(0) = " << py_float(df(0.0))
            << ", f''(0) = " << py_float(fx::grad(df)(0.0)) << "   ->  T_1(x) = 1 + x, T_2(x) = 1 + x - x^2/2\n";

  seeds::section("Seed 003: Taylor polynomials of sin + cos around 0 (MML figure 5.4)");
  // Coefficient k is grad applied k times, at 0, over k!; the derivatives cycle 1, 1, -1, -1.
  const fx::Array grid = fx::linspace(-4, 4, 9);
  std::cout << "x    = " << grid << "\nf(x) = " << seeds::fun(grid) << "\n";
  for (int n : {2, 3, 6, 11}) taylor_approx(n, grid);

  seeds::section("Seed 003: tanh(x) = (1 - exp(-x)) / (1 + exp(-x))  (Autograd's README)");
  const fx::Array x123 = fx::array({1.0, 2.0, 3.0});
  std::cout << "tanh(jnp.array([1.0, 2.0, 3.0]))           -> " << seeds::seed_tanh(x123) << "\n";
  std::cout << "  in float32, as the seed ran it           -> " << seeds::seed_tanh(f32(x123)) << "\n";
  const auto grad_tanh = fx::grad(seeds::seed_tanh);
  try {
    grad_tanh(fx::arange(10));
  } catch (const fx::TypeError& e) {
    std::cout << "grad(tanh)(jnp.arange(10)) -> fx::TypeError: " << e.what() << "\n";
  }
  try {
    grad_tanh(x123);
  } catch (const fx::TypeError& e) {
    std::cout << "grad(tanh)(jnp.array([1.0, 2.0, 3.0])) -> fx::TypeError: " << e.what() << "\n";
  }
  std::cout << "grad(tanh)(1.0)                            -> " << grad_tanh(1.0) << "\n";
  std::cout << "  in float32                               -> " << grad_tanh(f32(1.0)) << "\n";
  std::cout << "vmap(grad(tanh))(jnp.array([1.0, 2.0, 3.0])) -> " << fx::vmap(grad_tanh)(x123) << "\n";
  std::cout << "  in float32                                 -> " << fx::vmap(grad_tanh)(f32(x123)) << "\n";

  seeds::section("Seed 003: tanh and its derivatives up to the 6th on x = linspace(-7, 7, 200)");
  const fx::Array x = fx::linspace(-7, 7, 200);
  const std::vector<seeds::ScalarFn> nabla = seeds::derivatives(seeds::seed_tanh, 10);
  // The seed's vmap(grad(grad(...(tanh)))) for k = 0..6: each curve is one
  // batched program over the 200 points.
  std::vector<fx::Array> curves;
  for (int k = 0; k <= 6; ++k) curves.push_back(fx::vmap(nabla[k])(x));
  // 200 x 7 numbers make a plot, not a printout: every 25th point and the largest |value|.
  std::cout << "x[::25] = " << fx::to_string(seeds::every_nth(x, 25)) << "\n";
  for (int k = 0; k <= 6; ++k)
    std::cout << "d^" << k << " tanh: " << fx::to_string(seeds::every_nth(curves[k], 25))
              << "   max |.| = " << py_float(fx::max(fx::abs(curves[k]))) << "\n";

  seeds::section("Seed 003: NABLA = grad(NABLA) ten times, plt.plot(x, vmap(NABLA)(x)) (derivatives 0..9)");
  // grad nested k deep builds a program of ~3.5^k operations (each level
  // differentiates the previous level's program); vmap runs that program
  // once for all 200 points, where a loop over points ran it 200 times.
  // Taylor mode (fx::jet, a later issue) is the cheap way, as the seed notes.
  for (int k = 0; k < 10; ++k) {
    const fx::Array d = k <= 6 ? curves[k] : fx::vmap(nabla[k])(x);
    std::cout << "d^" << k << " tanh on x: max |.| = " << py_float(fx::max(fx::abs(d))) << "\n";
  }

  seeds::section("Seed 003: jax.make_jaxpr(f)(3.0) for f(x) = x**2 + jnp.exp(x)");
  auto [f, f_source] = SEED_WITH_SOURCE([](const fx::Array& x) { return fx::pow(x, 2) + fx::exp(x); });
  std::cout << fx::make_jaxpr(f)(3.0) << "\n";
  std::cout << "with a float32 argument (the seed ran without x64):\n" << fx::make_jaxpr(f)(f32(3.0)) << "\n\n";
  seeds::describe_jaxpr(f, f_source);

  seeds::section("Seed 003: the gradient's program, jax.make_jaxpr(jax.grad(f))(3.0)");
  // Dead code (the primal x**2 + exp(x), printed `_` in the seed) is gone.
  const auto grad_f = fx::grad(f);
  const fx::ClosedJaxpr grad_jaxpr = fx::make_jaxpr(grad_f)(3.0);
  std::cout << grad_jaxpr << "\n";
  const fx::Array three = 3.0;
  std::cout << "eval_jaxpr(...)(3.0) = " << fx::eval_jaxpr(grad_jaxpr.jaxpr, grad_jaxpr.consts, {&three, 1})[0]
            << " = 2*3 + exp(3) = " << py_float(6 + std::exp(3.0)) << "\n\n";
  seeds::describe_jaxpr(grad_f, "grad(f)");

  seeds::section("Seed 003: jax.jit(jax.grad(f)): the program jit compiles, and the C++ it generates");
  // jit traces grad(f) once per argument type, fuses the elementwise chain
  // into one loop and compiles it with the system C++ compiler (cached on
  // disk); exp calls the same SIMD kernel as eager evaluation, so the value
  // is eager's to the bit.
  const auto jit_grad_f = fx::jit(grad_f, {.name = "grad_f"});
  const fx::Lowered lowered = jit_grad_f.lower(3.0);
  std::cout << lowered.as_text() << "\n";
  const std::string source = lowered.source();
  std::cout << "generated C++ (after the preamble of helpers):\n" << source.substr(source.find("// grad_f")) << "\n";
  std::cout << "jit(grad(f))(3.0) = " << jit_grad_f(3.0) << "; grad(f)(3.0) = " << grad_f(3.0) << "\n\n";

  seeds::section("Seed 003: delta = jnp.arange(4); outer products by einsum");
  const fx::Array delta4 = fx::arange(4);
  std::cout << "jnp.einsum('i,j', delta, delta)\n" << fx::einsum("i,j", delta4, delta4) << "\n";
  std::cout << "jnp.einsum('i,j,k', delta, delta, delta)\n" << fx::einsum("i,j,k", delta4, delta4, delta4) << "\n";

  seeds::section("Seed 003, MML example 5.15: g(x, y) = x^2 + 2xy + y^3 around (1, 2)");
  auto dg_dx = [](const fx::Array& x, const fx::Array& y) { return 2 * x + 2 * y; };
  auto dg_dy = [](const fx::Array& x, const fx::Array& y) { return 2 * x + 3 * fx::pow(y, 2); };
  std::cout << "g(1,2): " << fx::to_string(seeds::g(1, 2)) << "\ndg/dx(1,2): " << fx::to_string(dg_dx(1, 2))
            << "\ndg/dx(1,2): " << fx::to_string(dg_dy(1, 2)) << "\n";
  for (fx::DType t : {fx::float64, fx::float32}) {
    const fx::Array one = fx::Array(1.0).astype(t), two = fx::Array(2.0).astype(t);
    std::cout << "-- " << (t == fx::float64 ? "float64" : "float32, as the seed ran it") << "\n";
    std::cout << "jnp.asarray(jax.grad(g, argnums=(0,1))(1.0, 2.0))   -> " << fx::stack(fx::grad(seeds::g, {0, 1})(one, two)) << "\n";
    std::cout << "jnp.asarray(jax.jacfwd(g, argnums=(0,1))(1.0, 2.0)) -> " << fx::stack(fx::jacfwd(seeds::g, {0, 1})(one, two)) << "\n";
    std::cout << "jnp.asarray(jax.jacrev(g, argnums=(0,1))(1., 2.))   -> " << fx::stack(fx::jacrev(seeds::g, {0, 1})(one, two)) << "\n";
    auto h3 = [](const fx::Array& x, const fx::Array& y, const fx::Array& z) { return fx::pow(x, 2) + 3 * y + fx::pow(z, 2); };
    std::cout << "jax.jacfwd(lambda x, y, z: x**2 + 3*y + z**2, argnums=(0,1,2))(1.0, 2.0, 2.0) -> "
              << fx::stack(fx::jacfwd(h3, {0, 1, 2})(one, two, two)) << "\n";
    const fx::Array H = seeds::asarray(fx::jacfwd(fx::jacfwd(seeds::g, {0, 1}), {0, 1})(one, two));
    std::cout << "H = jnp.asarray(jax.jacfwd(jax.jacfwd(g, argnums=(0,1)), argnums=(0,1))(1., 2.))\n" << H << "\n";
    const fx::Array delta = fx::array({1., 1.}, t) - fx::array({1.0, 2.0}, t);
    // jnp.trace is einsum('ii'): Fluxion has no fx::trace.
    std::cout << "jnp.trace(0.5 * H@jnp.einsum('i,j', delta, delta)) -> "
              << fx::einsum("ii", 0.5 * fx::matmul(H, fx::einsum("i,j", delta, delta))) << "\n";
    std::cout << "0.5 * jnp.einsum('ij,i,j', H, delta, delta)        -> " << 0.5 * fx::einsum("ij,i,j", H, delta, delta) << "\n";
    const fx::Array around = fx::array({1.0, 2.0}, t);
    std::cout << "quadratic_taylor_approx(g, [[1, 1], [1, 2], [3, 4]], [1, 2]) -> "
              << seeds::quadratic_taylor_approx(seeds::g, fx::array({{1.0, 1.0}, {1.0, 2.0}, {3.0, 4.0}}, t), around) << "\n";
  }

  seeds::section("Seed 003: the closed form g_quadratic_approx vs quadratic_taylor_approx");
  const double rows[7][2] = {{1.0, 2.0}, {2.0, 3.0}, {4.2, 3.7}, {2.8, 1.3}, {10.2, 21}, {-5.1, 2.3}, {-3.4, -2.5}};
  std::vector<double> flat;
  for (const auto& r : rows) {
    // Python evaluates g_quadratic_approx(10.2, 21) with an int y; the weak int32 does the same.
    const fx::Array yy = r[1] == 21 ? fx::Array(21) : fx::Array(r[1]);
    std::cout << "print(g_quadratic_approx(" << py_float(r[0]) << ", " << (r[1] == 21 ? "21" : py_float(r[1]))
              << ")) -> " << py_float(seeds::g_quadratic_approx(r[0], yy)) << "\n";
    flat.insert(flat.end(), {r[0], r[1]});
  }
  for (fx::DType t : {fx::float64, fx::float32}) {
    std::cout << "quadratic_taylor_approx(g, <the seven rows>, around_to=[1.0, 2.0])"
              << (t == fx::float32 ? " in float32, as the seed ran it" : "") << "\n"
              << seeds::quadratic_taylor_approx(seeds::g, fx::array(flat, {7, 2}, t), fx::array({1.0, 2.0}, t)) << "\n";
  }
  return 0;
}
