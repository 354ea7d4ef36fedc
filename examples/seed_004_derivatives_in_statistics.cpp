// The tour's statistics chapter, after H. Dembinski's slides "Automatic
// differentiation with JAX": the uses of derivatives they name (Newton-Raphson
// minimisation, error propagation C_y = J C_x Jᵀ), numerical against symbolic
// against automatic differentiation, dual numbers, and code with loops. The
// slides state formulas rather than print numbers; every number here has a
// closed form, which tests/seeds/seed_004_test.cpp checks.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "seed_common.hpp"
#include "show.hpp"

namespace fx = fluxion;
using demo::shortest;

namespace {

// A forward-mode result (value, tangent) as the dual number value + tangent·ε.
std::string dual(const std::pair<fx::Array, fx::Array>& r) {
  const double t = r.second.item<double>();
  return shortest(r.first.item<double>()) + (t < 0 ? " − " : " + ") + shortest(std::abs(t)) + "·ε";
}

}  // namespace

int main() {
  demo::banner("DERIVATIVES IN STATISTICS",
               "Minimisation, error propagation, and why automatic differentiation beats finite differences. "
               "After Hans Dembinski's slides “Automatic differentiation with JAX” (TU Dortmund).");

  demo::section("Newton–Raphson minimisation, xₙ₊₁ = xₙ − f′(xₙ)/f″(xₙ), of f(x) = x⁴ − 3x³ + 2");
  demo::say("seeds::newton_minimize(f, x₀, steps) takes f′ from fx::grad(f) and f″ from fx::grad(fx::grad(f)). "
            "The minimum is at x = 9/4:");
  CODE(const std::vector<double> path = seeds::newton_minimize(seeds::quartic, 3.0, 8));
  demo::Table newton({"n", "xₙ"});
  newton.align_on_point(1);
  for (size_t n = 0; n < path.size(); ++n) newton.row({std::to_string(n), shortest(path[n])});
  newton.print();
  SHOW(seeds::quartic(path.back()));
  demo::notice("the correct digits roughly double with each step until xₙ is 2.25 exactly, where "
               "f = 2.25⁴ − 3·2.25³ + 2 = −6.54296875 exactly.");

  demo::section("A maximum-likelihood fit: NLL(λ) = −Σᵢ (log λ − λ·tᵢ) for decay times tᵢ");
  demo::say("The negative log-likelihood of times tᵢ drawn from the density λ·e^(−λt) (what Minuit's Migrad "
            "minimises), seeds::exponential_nll:");
  CODE(const fx::Array t = fx::array(seeds::kDecayTimes, {8}));
  SHOW(t);
  CODE(const std::vector<double> fit = seeds::newton_minimize(seeds::exponential_nll, 0.5, 6));
  demo::Table rates({"n", "λₙ"});
  rates.align_on_point(1);
  for (size_t n = 0; n < fit.size(); ++n) rates.row({std::to_string(n), shortest(fit[n])});
  rates.print();
  SHOW(1.0 / fx::mean(t));
  demo::say("The fit's error as Minuit estimates it, σ(λ) = 1/√NLL″(λ̂), whose closed form here is λ̂/√n:");
  CODE(const double lambda_hat = fit.back());
  SHOW(1.0 / fx::sqrt(fx::grad(fx::grad(seeds::exponential_nll))(lambda_hat)));
  SHOW(lambda_hat / std::sqrt(8.0));
  demo::notice("six Newton steps reach the closed form 1/mean(t) to one unit in the last place, and "
               "grad(grad) gives the curvature for the error without a formula.");

  demo::section("Error propagation C_y = J·C_x·Jᵀ for y = (r·cos φ, r·sin φ) at (r, φ) = (2, π/6)");
  demo::say("J is the Jacobian ∂yᵢ/∂xⱼ of seeds::polar_to_cartesian by forward mode; "
            "seeds::propagate_covariance returns J and J·C_x·Jᵀ.");
  CODE(const fx::Array x = fx::array({2.0, fx::pi / 6}));
  CODE(const fx::Array cx = fx::array({{0.01, 0.001}, {0.001, 0.0025}}));
  CODE(const auto [J, cy] = seeds::propagate_covariance(seeds::polar_to_cartesian, x, cx));
  SHOW(J);
  SHOW(cy);
  SHOW(fx::sqrt(fx::einsum("ii->i", cy)));
  demo::notice("J = [[cos φ, −r·sin φ], [sin φ, r·cos φ]] comes out exact, with no step size to choose, so "
               "the propagated uncertainties σ_y carry no differentiation error.");

  demo::section("Three ways to a derivative: f(x) = 3x² + 2x at x = 1, where f′(1) = 8");
  demo::say("Numerically, by a forward difference (f(x+h) − f(x))/h, whose error is of order h, or a "
            "symmetric one (f(x+h) − f(x−h))/2h, of order h² (exact for a quadratic, but for rounding):");
  CODE(auto f = [](double v) { return seeds::sympy_example(v).item<double>(); });
  demo::Table differences({"h", "forward", "its error", "symmetric", "its error"});
  differences.align_on_point(1).align_on_point(3);
  for (double h : {1e-1, 1e-4, 1e-8, 1e-12}) {
    const double forward = (f(1.0 + h) - f(1.0)) / h;
    const double symmetric = (f(1.0 + h) - f(1.0 - h)) / (2 * h);
    differences.row({shortest(h), shortest(forward), demo::sci(forward - 8, 1), shortest(symmetric),
                     demo::sci(symmetric - 8, 1)});
  }
  differences.print();
  demo::say("Why a small h fails: a double carries about 16 significant digits, so near 10¹⁶ neighbouring "
            "doubles are 2 apart, and subtracting 1 changes nothing. In the same way f(1 + h) − f(1), two "
            "numbers near 5, keeps only the digits of h·f′ that lie above 10⁻¹⁵:");
  SHOW(1e16 - 1.0 == 1e16);
  SHOW(std::nextafter(1e16, 2e16) - 1e16);
  demo::say("Symbolically, SymPy's diff(3*x**2 + 2*x, x) returns 6*x + 2. Automatic differentiation gives the "
            "same numbers, exactly:");
  CODE(const fx::Array xs = fx::linspace(-2, 2, 5));
  SHOW(fx::vmap(fx::grad(seeds::sympy_example))(xs));
  SHOW(6 * xs + 2);
  demo::notice("shrinking h first helps (less truncation) and then hurts (more rounding): the forward quotient "
               "is never better than about 5·10⁻⁸. grad has no h and gives 8 exactly.");

  demo::section("Dual numbers x + a·ε with ε² = 0: forward mode, fx::jvp");
  demo::say("fx::jvp(f, primals, tangents) evaluates f at x + a·ε and returns both parts, printed here as a dual "
            "number. The slides' rules: (x + aε)(y + bε) = xy + (xb + ya)ε, 1/(x + aε) = 1/x − (a/x²)ε and "
            "(x + aε)ⁿ = xⁿ + n·xⁿ⁻¹·a·ε.");
  CODE(auto mul = [](const fx::Array& a, const fx::Array& b) { return a * b; });
  CODE(auto inv = [](const fx::Array& a) { return 1.0 / a; });
  CODE(auto pow5 = [](const fx::Array& a) { return fx::pow(a, 5); });
  SHOW(dual(fx::jvp(mul, {2.0, 5.0}, {1.0, 3.0})));
  SHOW(dual(fx::jvp(inv, {4.0}, {1.0})));
  SHOW(dual(fx::jvp(pow5, {2.0}, {1.0})));
  demo::notice("the ε part is the derivative along the tangent: (2 + ε)(5 + 3ε) = 10 + 11ε, "
               "1/(4 + ε) = 0.25 − 0.0625ε and (2 + ε)⁵ = 32 + 80ε, as the rules say.");

  demo::section("Code with loops: exp(x) = Σₙ xⁿ/n!, summed by a while loop until the terms stop mattering");
  demo::say("seeds::exp_by_series runs a plain C++ while loop on the actual values; grad differentiates the "
            "iterations that ran.");
  SHOW(seeds::exp_by_series(1.0));
  SHOW(fx::grad(seeds::exp_by_series)(1.0));
  SHOW(std::exp(1.0));
  demo::notice("the derivative of the series is the series again, summed in another order: grad gives e to the "
               "last digit, while the sum itself ends one unit in the last place above.");
  return 0;
}
