// The tour's Taylor chapter, after "Taylor Approximation and JAX" (which
// follows chapter 5 of Mathematics for Machine Learning): Taylor polynomials
// of sin + cos from repeated grad, tanh and nine of its derivatives through
// vmap, and the quadratic approximation of a function of two variables
// (MML's example 5.15). The write-up's printed programs (make_jaxpr, jit)
// are the programs chapter (examples/programs.cpp). Fluxion computes in
// float64; where the write-up printed JAX's float32 digits, the float32 run is
// shown too. tests/seeds/seed_003_test.cpp checks the same functions.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "seed_common.hpp"
#include "show.hpp"

namespace fx = fluxion;
using demo::fixed;
using demo::shortest;

namespace {

// Every 25th of the grid's points, then the largest |value|, for the curves
// d[from] .. d[to - 1].
void derivative_table(const fx::Array& x, const std::vector<fx::Array>& curves, int from, int to) {
  std::vector<std::string> headers = {"x"};
  const char* const superscript[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  for (int k = from; k < to; ++k) headers.push_back(std::string("tanh⁽") + superscript[k] + "⁾");
  demo::Table table(headers);
  const std::vector<double> xs = x.to_vector<double>();
  for (int64_t i = 0; i < x.size(); i += 25) {
    std::vector<std::string> row = {fixed(xs[static_cast<size_t>(i)], 8)};
    for (int k = from; k < to; ++k) row.push_back(fixed(curves[static_cast<size_t>(k)][i].item<double>(), 8));
    table.row(row);
  }
  std::vector<std::string> max_row = {"max |·|"};
  for (int k = from; k < to; ++k)
    max_row.push_back(fixed(fx::max(fx::abs(curves[static_cast<size_t>(k)])).item<double>(), 8));
  table.row(max_row);
  table.print();
}

}  // namespace

int main() {
  demo::banner("TAYLOR POLYNOMIALS",
               "Derivatives of any order from grad applied again and again, a batch of points through vmap, and "
               "the quadratic approximation of a function of two variables. After the write-up “Taylor "
               "Approximation and JAX”, which follows chapter 5 of Mathematics for Machine Learning (MML).");

  demo::section("Tangent line and parabola of f(x) = sin x + cos x at x₀ = 0");
  demo::say("seeds::fun(x) is fx::sin(x) + fx::cos(x) (examples/seed_common.hpp).");
  SHOW(seeds::fun(0.0));
  SHOW(fx::grad(seeds::fun)(0.0));
  SHOW(fx::grad(fx::grad(seeds::fun))(0.0));
  demo::notice("these three numbers give the tangent line T₁(x) = 1 + x and the parabola T₂(x) = 1 + x − x²/2, "
               "with no derivative taken by hand.");

  demo::section("Taylor polynomials Tₙ(x) = Σₖ f⁽ᵏ⁾(0)·xᵏ/k! of f(x) = sin x + cos x (MML, figure 5.4)");
  demo::say("The write-up's taylor_approx(fun, approx_around=0.0, num_coef=11) needs f⁽⁰⁾(0) … f⁽¹⁰⁾(0). It nests "
            "grad ten times. fx::taylor::coefficients takes all eleven from ONE fx::jet call (Taylor mode) and "
            "divides by k!; seeds::taylor_coefficients is the write-up's way, nested grad, for the check:");
  CODE(const std::vector<fx::Array> c = fx::taylor::coefficients(seeds::fun, 0.0, 10));
  CODE(const std::vector<double> nested = seeds::taylor_coefficients(seeds::fun, 0.0, 11));
  demo::Table coefficients({"k", "f⁽ᵏ⁾(0)/k!, by jet", "by nested grad", "relative difference"});
  double largest_difference = 0;
  for (size_t k = 0; k < c.size(); ++k) {
    const double by_jet = c[k].item<double>();
    const double difference = std::abs(by_jet - nested[k]) / std::abs(nested[k]);
    largest_difference = std::max(largest_difference, difference);
    coefficients.row({std::to_string(k), demo::sci(by_jet, 8), demo::sci(nested[k], 8), demo::sci(difference, 1)});
  }
  coefficients.print();
  if (!(largest_difference <= 1e-14)) {
    std::cerr << "jet and nested grad disagree on the Taylor coefficients of sin + cos\n";
    return 1;
  }
  demo::say("Both ways agree to " + demo::sci(largest_difference, 1) + " relative, within the 1e-14 the tour "
            "checks (it stops otherwise). The tour uses jet's coefficients: jet propagates the whole truncated series through each primitive in one "
            "pass, O(K²) work for K terms, while grad of grad differentiates the whole program of the order "
            "before, so its program grows like 2ᴷ. The primitive operations in each order's program:");
  CODE(auto operations = [](const auto& fn) { return fx::make_jaxpr(fn)(0.0).jaxpr.eqns.size(); });
  CODE(auto by_jet = [](int K) { return [K](fx::Array x) { return fx::taylor::derivatives(seeds::fun, x, K)[K]; }; });
  CODE(const std::vector<seeds::ScalarFn> df = seeds::derivatives(seeds::fun, 11));
  demo::Table growth({"order K", "jet (all K terms)", "nested grad"});
  std::vector<size_t> jet_ops, grad_ops;
  for (int K : {1, 2, 4, 6, 8, 10}) {
    jet_ops.push_back(operations(by_jet(K)));
    grad_ops.push_back(operations(df[static_cast<size_t>(K)]));
    growth.row({std::to_string(K), std::to_string(jet_ops.back()), std::to_string(grad_ops.back())});
  }
  growth.print();
  demo::notice("from order 8 to 10 jet's program grows " + fixed(double(jet_ops[5]) / double(jet_ops[4]), 1) +
               "× and nested grad's " + fixed(double(grad_ops[5]) / double(grad_ops[4]), 1) +
               "×; at order 10 nested grad needs " + std::to_string(grad_ops[5]) + " operations for one "
               "derivative, jet " + std::to_string(jet_ops[5]) + " for all ten.");
  demo::say("fx::taylor::polynomial(f, x₀, 10) is T₁₀ as a callable (Horner's rule in fx operations); "
            "truncated(n) gives Tₙ from the same coefficients:");
  CODE(const fx::taylor::Polynomial taylor10 = fx::taylor::polynomial(seeds::fun, 0.0, 10));
  SHOW(taylor10.truncated(3).str());
  CODE(const fx::Array x = fx::linspace(-4, 4, 9));
  CODE(auto T = [&](int n) { return taylor10.truncated(n)(x); });
  const fx::Array f = seeds::fun(x), T1 = T(1), T2 = T(2), T5 = T(5), T10 = T(10);
  demo::Table polynomials({"x", "f(x)", "T₁(x)", "T₂(x)", "T₅(x)", "T₁₀(x)"});
  for (int64_t i = 0; i < x.size(); ++i)
    polynomials.row({fixed(x[i].item<double>(), 1), fixed(f[i].item<double>(), 8), fixed(T1[i].item<double>(), 8),
                     fixed(T2[i].item<double>(), 8), fixed(T5[i].item<double>(), 8), fixed(T10[i].item<double>(), 8)});
  polynomials.print();
  auto max_error = [&](const fx::Array& t) { return fixed(fx::max(fx::abs(t - f)).item<double>(), 2); };
  demo::say("The write-up plots these polynomials against f.");
  demo::notice("each added term widens the interval where Tₙ follows f: on [−4, 4] the largest error is " +
               max_error(T1) + " for T₁, " + max_error(T5) + " for T₅ and " + max_error(T10) + " for T₁₀.");

  demo::section("A derivative over a batch: tanh(x) = (1 − e⁻ˣ)/(1 + e⁻ˣ)");
  demo::say("The write-up takes this function from Autograd's README, as seeds::seed_tanh; it is the hyperbolic "
            "tangent of x/2.");
  CODE(const fx::Array x3 = fx::array({1.0, 2.0, 3.0}));
  SHOW(seeds::seed_tanh(x3));
  CODE(const auto dtanh = fx::grad(seeds::seed_tanh));
  SHOW(dtanh(1.0));
  SHOW_THROWS(fx::TypeError, dtanh(x3));
  SHOW_THROWS(fx::TypeError, dtanh(fx::arange(10)));
  SHOW(fx::vmap(dtanh)(x3));
  demo::notice("grad wants one floating-point number in and one out; vmap(dtanh) takes the whole batch, and "
               "tanh′(x) = (1 − tanh²)/2 falls from 0.39 to 0.09.");
  demo::say("The write-up ran JAX in float32, its default; float arguments give its digits:");
  SHOW(seeds::seed_tanh(x3.astype(fx::float32)));
  SHOW(dtanh(1.0f));
  SHOW(fx::vmap(dtanh)(x3.astype(fx::float32)));

  demo::section("tanh and nine of its derivatives on 200 points");
  CODE(const fx::Array grid = fx::linspace(-7, 7, 200));
  CODE(const std::vector<seeds::ScalarFn> d = seeds::derivatives(seeds::seed_tanh, 10));
  CODE(std::vector<fx::Array> curves; for (const auto& dk : d) curves.push_back(fx::vmap(dk)(grid)));
  demo::say("d[k] is grad applied k times, and each curve is one batched call over the 200 points. The write-up "
            "plots the ten curves; here are every 25th point and the largest |value| of each:");
  derivative_table(grid, curves, 0, 5);
  derivative_table(grid, curves, 5, 10);
  demo::say("The program grad builds for each order, counted in primitive operations (make_jaxpr, in the programs "
            "chapter, prints them):");
  CODE(auto ops = [](const seeds::ScalarFn& dk) { return fx::make_jaxpr(dk)(0.0).jaxpr.eqns.size(); });
  demo::Table sizes({"order k", "operations"});
  for (int k = 0; k < 10; ++k) sizes.row({std::to_string(k), std::to_string(ops(d[static_cast<size_t>(k)]))});
  sizes.print();
  demo::notice("grad of grad differentiates the whole program of the order before, so the work grows geometrically "
               "with the order; the write-up points to Taylor-mode differentiation as the way to high orders.");

  demo::section("Two variables: g(x, y) = x² + 2xy + y³ around (1, 2) (MML, example 5.15)");
  demo::say("By hand, ∂g/∂x = 2x + 2y and ∂g/∂y = 2x + 3y²:");
  CODE(auto dg_dx = [](const fx::Array& x, const fx::Array& y) { return 2 * x + 2 * y; });
  CODE(auto dg_dy = [](const fx::Array& x, const fx::Array& y) { return 2 * x + 3 * fx::pow(y, 2); });
  SHOW(seeds::g(1, 2));
  SHOW(dg_dx(1, 2));
  SHOW(dg_dy(1, 2));
  demo::say("By automatic differentiation, the gradient three ways (fx::stack collects the partial derivatives in "
            "one array), the derivative of x² + 3y + z² at (1, 2, 2), and the Hessian as the Jacobian of the "
            "gradient:");
  SHOW_JAX("jnp.asarray(jax.grad(g, argnums=(0, 1))(1.0, 2.0))", fx::stack(fx::grad(seeds::g, {0, 1})(1.0, 2.0)));
  SHOW(fx::stack(fx::jacfwd(seeds::g, {0, 1})(1.0, 2.0)));
  SHOW(fx::stack(fx::jacrev(seeds::g, {0, 1})(1.0, 2.0)));
  CODE(auto h = [](fx::Array x, fx::Array y, fx::Array z) { return fx::pow(x, 2) + 3 * y + fx::pow(z, 2); });
  SHOW(fx::stack(fx::jacfwd(h, {0, 1, 2})(1.0, 2.0, 2.0)));
  CODE(const fx::Array H = seeds::asarray(fx::jacfwd(fx::jacfwd(seeds::g, {0, 1}), {0, 1})(1.0, 2.0)));
  SHOW(H);
  demo::notice("forward mode (jacfwd) and reverse mode (grad, jacrev) agree on (6, 14), and H's corner is "
               "∂²g/∂y² = 6y = 12. fx::hessian(seeds::g, {0, 1}) computes the same H.");
  demo::say("The quadratic term ½·δᵀHδ at (1, 1), where δ = (1, 1) − (1, 2), as a trace and as one einsum:");
  CODE(const fx::Array delta = fx::array({1., 1.}) - fx::array({1.0, 2.0}));
  SHOW_JAX("jnp.trace(0.5 * H @ jnp.einsum('i,j', delta, delta))",
           fx::einsum("ii", 0.5 * fx::matmul(H, fx::einsum("i,j", delta, delta))));
  SHOW(0.5 * fx::einsum("ij,i,j", H, delta, delta));
  demo::say("seeds::quadratic_taylor_approx(g, points, x₀) is the write-up's T₂ for every row of `points` at once: "
            "g(x₀) + J·δ + ½·δᵀHδ with J and H from jacfwd.");
  CODE(const fx::Array rows = fx::array({{1.0, 1.0}, {1.0, 2.0}, {3.0, 4.0}}));
  CODE(const fx::Array x0 = fx::array({1.0, 2.0}));
  SHOW(seeds::quadratic_taylor_approx(seeds::g, rows, x0));
  demo::say("fx::taylor::approximation(g, x₀, n) packages the same construction for any f: Rⁿ → R and n ≤ 3 "
            "(the third-order term from jacfwd of the Hessian); since g is a cubic, T₃ is g itself:");
  CODE(const auto T3 = fx::taylor::approximation(seeds::g, x0, 3));
  SHOW(T3.truncated(2)(rows));
  SHOW(T3.truncated(1)(rows));
  SHOW(T3(rows));
  SHOW(seeds::g(rows(fx::all, 0), rows(fx::all, 1)));
  demo::say("In float32, as the write-up ran it:");
  SHOW(fx::stack(fx::grad(seeds::g, {0, 1})(1.0f, 2.0f)));
  SHOW(seeds::asarray(fx::jacfwd(fx::jacfwd(seeds::g, {0, 1}), {0, 1})(1.0f, 2.0f)));
  SHOW(seeds::quadratic_taylor_approx(seeds::g, rows.astype(fx::float32), x0.astype(fx::float32)));

  demo::section("T₂ of g by hand against T₂ by autodiff: T₂(x, y) = x² + 6y² − 12y + 2xy + 8");
  demo::say("The write-up derives this closed form from MML's equation 5.180c (seeds::g_quadratic_approx) and "
            "checks quadratic_taylor_approx against it at seven points:");
  CODE(const std::vector<double> xs = {1.0, 2.0, 4.2, 2.8, 10.2, -5.1, -3.4});
  CODE(const std::vector<double> ys = {2.0, 3.0, 3.7, 1.3, 21.0, 2.3, -2.5});
  CODE(auto by_hand = [](double x, double y) { return seeds::g_quadratic_approx(x, y).item<double>(); });
  CODE(const fx::Array points = fx::stack({fx::array(xs, {7}), fx::array(ys, {7})}, 1));
  CODE(const fx::Array t64 = seeds::quadratic_taylor_approx(seeds::g, points, x0));
  CODE(const fx::Array points32 = points.astype(fx::float32), x0_32 = x0.astype(fx::float32));
  CODE(const fx::Array t32 = seeds::quadratic_taylor_approx(seeds::g, points32, x0_32));
  demo::Table compare({"x", "y", "closed form", "autodiff, float64", "autodiff, float32"});
  compare.align_on_point(0).align_on_point(1).align_on_point(2).align_on_point(3).align_on_point(4);
  for (size_t i = 0; i < xs.size(); ++i) {
    const auto at = static_cast<int64_t>(i);
    compare.row({shortest(xs[i]), shortest(ys[i]), shortest(by_hand(xs[i], ys[i])), fx::to_string(t64[at]),
                 fx::to_string(t32[at])});
  }
  compare.print();
  demo::notice("in float64 both ways agree to the last digit or two; the float32 column is the write-up's own "
               "printout, off in the 7th or 8th significant digit (17.659998 for 17.66).");
  return 0;
}
