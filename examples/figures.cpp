// The tour's chapter of pictures: the figures the five write-ups draw with
// matplotlib, drawn by fx::plot through gnuplot into PNG files. Seed 003's
// tanh and its derivatives (orders 1–6 and 0–9), MML figure 5.4 (Taylor
// polynomials of sin + cos), MML example 5.15's surface with its tangent
// plane and quadratic approximation, seed 001's f, f′, f″ and seed 000's
// error against scale. Every derivative comes from fx::jet, all orders in one
// pass. The figures go to argument 1, else $FLUXION_FIGURES_DIR, else
// ./figures; each is printed with the data file and gnuplot script beside it.
// docs/figures/ holds the copies the README shows.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "seed_common.hpp"
#include "show.hpp"

namespace fx = fluxion;

namespace {

std::filesystem::path output_directory(int argc, char** argv) {
  if (argc > 1) return argv[1];
  if (const char* dir = std::getenv("FLUXION_FIGURES_DIR"); dir && *dir) return dir;
  return "figures";
}

void written(const fx::plot::SavedFigure& out) {
  std::cout << "    → " << out.image.string() << "\n      (the numbers: " << out.data.filename().string()
            << ", the gnuplot script: " << out.script.filename().string() << ")\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = output_directory(argc, argv);
  demo::banner("THE WRITE-UPS' FIGURES, DRAWN BY fx::plot",
               "The write-ups show their results as matplotlib figures. fx::plot draws the same figures with "
               "gnuplot, as PNG (or SVG) files: each save() writes the image, the numbers it shows (a .dat "
               "table) and the gnuplot script that draws it again. The derivatives come from fx::jet, Taylor "
               "mode: all orders in one pass per point, where nested grad's cost doubles with each order.");
  demo::say("The figures go to " + dir.string() + " (argument 1, else $FLUXION_FIGURES_DIR, else ./figures).");

  demo::section("tanh and its higher-order derivatives (seed 003, after Autograd's README)");
  demo::say("The write-up's tanh is (1 − e⁻ˣ)/(1 + e⁻ˣ), which is tanh(x/2). plot::derivatives evaluates "
            "f, f′, …, f⁽⁶⁾ at 200 points by fx::vmap of fx::jet: one Taylor series of order 6 per point.");
  CODE(const fx::Array x = fx::linspace(-7, 7, 200));
  CODE(auto tanh_1_6 = fx::plot::derivatives(seeds::seed_tanh, x, 6, {"tanh"}));
  CODE(tanh_1_6.title("tanh and its higher-order derivatives (up to 6th)"));
  written(tanh_1_6.save(dir / "tanh_derivatives_1_6.png"));
  demo::say("The write-up's loop `NABLA = grad(NABLA)` draws orders 0 to 9; jet computes them in one series of "
            "order 9:");
  CODE(auto tanh_0_9 = fx::plot::derivatives(seeds::seed_tanh, x, 9, {"tanh"}));
  CODE(tanh_0_9.title("tanh and its derivatives of orders 0 to 9"));
  written(tanh_0_9.save(dir / "tanh_derivatives_0_9.png"));

  demo::section("MML figure 5.4: Taylor polynomials of sin(x) + cos(x) around 0 (seed 003)");
  demo::say("One fx::jet call gives the coefficients f⁽ᵏ⁾(0)/k! up to k = 10 (fx::taylor::polynomial); T₁, T₂ "
            "and T₅ are its truncations. Where a polynomial leaves f's range it runs off the figure, as in "
            "the book.");
  CODE(const fx::Array xs = fx::linspace(-4, 4, 200));
  CODE(auto mml_5_4 = fx::plot::taylor_polynomials(seeds::fun, 0.0, xs, {1, 2, 5, 10}, {"sin(x) + cos(x)"}));
  SHOW(fx::taylor::polynomial(seeds::fun, fx::Array(0.0), 5).str());
  written(mml_5_4.save(dir / "mml_figure_5_4.png"));
  demo::notice("T₁₀ follows f almost perfectly across the window (−4, 4); T₅ leaves it beyond about ±2, T₂ "
               "beyond about ±1: each added order widens the neighbourhood where the polynomial holds.");

  demo::section("MML example 5.15: g(x, y) = x² + 2xy + y³ and its Taylor approximations around (1, 2)");
  demo::say("The surface over the write-up's grid (50 × 40 points), the tangent plane T₁ = 6x + 14y − 21 and the "
            "quadratic T₂ = x² + 6y² − 12y + 2xy + 8. Each point's T_n comes from fx::jet along its direction "
            "(x − 1, y − 2): the sum of the directional derivatives over k!.");
  CODE(const fx::Array gx = fx::linspace(-5, 5, 50));
  CODE(const fx::Array gy = fx::linspace(-5, 5, 40));
  CODE(auto surface = fx::plot::taylor_surface(seeds::g, 1.0, 2.0, gx, gy));
  written(surface.save(dir / "mml_example_5_15.png"));

  demo::section("A rational function and its first two derivatives (seed 001)");
  demo::say("f(x) = P(x)/(1 + Q(x)²) with the chapter's coefficients on I₁₀ = (−10, 10). As the write-up does, "
            "each curve is divided by its largest |value|, since f″ dwarfs f:");
  CODE(const fx::Array alpha = fx::array(seeds::kAlpha, {6}));
  CODE(const fx::Array beta = fx::array(seeds::kBeta, {6}));
  CODE(auto f = [&](fx::Array x) { return seeds::rational_function(x, alpha, beta); });
  CODE(fx::plot::DerivativeOptions normalized{"f", 0, true});
  CODE(auto rational = fx::plot::derivatives(f, fx::linspace(-10, 10, 400), 2, normalized));
  CODE(rational.title("f, f′ and f″ on I₁₀, each divided by its largest |value|"));
  written(rational.save(dir / "seed_001_rational.png"));

  demo::section("The error of a quadratic Taylor approximation against the scale (seed 000)");
  demo::say("Q(x) − f(x) for Ackley's function at x₀ + s·u, s = 10⁻¹ … 10⁻⁵ (the seed's numbers, from one vmap "
            "call). On log-log axes the cubic remainder is a line of slope 3, until the error meets f's "
            "rounding at s = 10⁻⁵:");
  CODE(const auto [xo, u] = seeds::seed_000_normal_draws());
  CODE(const fx::Array scales = fx::logspace(-1, -5, 5));
  CODE(const fx::Array errors = seeds::taylor_errors(xo, u, scales));
  SHOW(errors);
  CODE(auto scaling = fx::plot::error_scaling(scales, errors, {"|Q(x) − f(x)|", 3}));
  CODE(scaling.title("Ackley's function: error of the quadratic Taylor approximation"));
  written(scaling.save(dir / "seed_000_error_scaling.png"));
  demo::notice("the errors follow the dashed line C·s³ drawn through the first one, a thousandfold per decade; "
               "the last, at rounding level (10⁻¹⁵), lies near it by chance.");
  return 0;
}
