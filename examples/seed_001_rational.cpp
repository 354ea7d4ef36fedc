// The tour's rational-function chapter, after "Introduction to JAX AutoDiff":
// f(x) = P(x)/(1 + Q(x)²), its derivatives f′ and f″ over a grid, its extrema,
// its gradients in the coefficients (argnums), and the coefficients varied on a
// grid with x fixed (nested vmap). The write-up plots; this chapter prints the
// plotted values on coarse grids. tests/seeds/seed_001_test.cpp checks the
// same functions; the timing of f′ on 10⁶ points is in the speed chapter.
#include <string>
#include <vector>

#include "seed_common.hpp"
#include "show.hpp"

namespace fx = fluxion;
using demo::fixed;
using demo::shortest;

namespace {

// A table of `columns` values per x (from a (points, columns) array), under headers.
void per_point_table(const fx::Array& x, const fx::Array& values, std::vector<std::string> headers) {
  demo::Table table(std::move(headers));
  const int64_t columns = values.ndim() == 1 ? 1 : values.shape()[1];
  for (int64_t i = 0; i < x.size(); ++i) {
    std::vector<std::string> row = {fixed(x[i].item<double>(), 1)};
    for (int64_t j = 0; j < columns; ++j)
      row.push_back(fixed((values.ndim() == 1 ? values[i] : values[i][j]).item<double>(), 8));
    table.row(row);
  }
  table.print();
}

// A (rows, columns) array labelled by the values it was computed for.
void grid_table(const fx::Array& values, const fx::Array& row_values, const fx::Array& column_values,
                const std::string& corner) {
  std::vector<std::string> headers = {corner};
  for (int64_t j = 0; j < column_values.size(); ++j) headers.push_back("β₁ = " + fixed(column_values[j].item<double>(), 1));
  demo::Table table(headers);
  for (int64_t i = 0; i < row_values.size(); ++i) {
    std::vector<std::string> row = {"α₁ = " + fixed(row_values[i].item<double>(), 1)};
    for (int64_t j = 0; j < column_values.size(); ++j) row.push_back(fixed(values[i][j].item<double>(), 8));
    table.row(row);
  }
  table.print();
}

}  // namespace

int main() {
  demo::banner("A RATIONAL FUNCTION: DERIVATIVES IN x AND IN THE COEFFICIENTS",
               "grad differentiates f(x) = P(x)/(1 + Q(x)²) in x, twice, and in its coefficients; vmap evaluates "
               "each derivative over a whole grid in one call. After the write-up “Introduction to JAX AutoDiff”.");

  demo::section("f(x) = P(x)/(1 + Q(x)²) with P(x) = Σᵢ αᵢxⁱ and Q(x) = Σⱼ βⱼxʲ of degree 5, and f′, f″");
  demo::say("seeds::rational_function(x, alpha, beta) sums αᵢ·xⁱ with fx::float_power, as the write-up does. "
            "The write-up does not give its coefficients; these give f five extrema in (−10, 10):");
  CODE(const fx::Array alpha = fx::array(seeds::kAlpha, {6}));
  CODE(const fx::Array beta = fx::array(seeds::kBeta, {6}));
  SHOW(alpha);
  SHOW(beta);
  CODE(const auto df = fx::grad(seeds::rational_function));
  CODE(const auto d2f = fx::grad(df));
  CODE_JAX("in_axes=(0, None, None)", const fx::MapAxes over_x = {0, fx::none, fx::none});
  CODE(const fx::Array x = fx::linspace(-9.5, 9.5, 20));
  CODE(const fx::Array f0 = fx::vmap(seeds::rational_function, over_x)(x, alpha, beta));
  CODE(const fx::Array f1 = fx::vmap(df, over_x)(x, alpha, beta));
  CODE(const fx::Array f2 = fx::vmap(d2f, over_x)(x, alpha, beta));
  per_point_table(x, fx::stack({f0, f1, f2}, 1), {"x", "f(x)", "f′(x)", "f″(x)"});
  SHOW(fx::stack({fx::max(fx::abs(f0)), fx::max(fx::abs(f1)), fx::max(fx::abs(f2))}));
  demo::say("The grid steps over x = 0, where the derivative of x⁰ written with float_power is 0·0⁻¹ (JAX "
            "versions disagree there). The write-up plots the three curves, each scaled to fit one figure.");
  demo::notice("over_x maps x and holds the coefficients fixed, so each curve is one call over all 20 points; "
               "f″ varies the most, up to 6.1, which is why the write-up rescales the curves.");

  demo::section("The extrema of f, where f′(x) = 0");
  demo::say("seeds::find_extrema finds the sign changes of f′ on a 200-point grid (one vmap call), refines each "
            "by Newton's method on f′, x ← x − f′(x)/f″(x), and skips the tails, where f ≈ 0.");
  CODE(auto f = [&](const fx::Array& t) { return seeds::rational_function(t, alpha, beta); });
  CODE(auto f_1 = [&](const fx::Array& t) { return df(t, alpha, beta); });
  CODE(auto f_2 = [&](const fx::Array& t) { return d2f(t, alpha, beta); });
  CODE(const fx::Array fine = fx::linspace(-9.95, 9.95, 200));
  CODE(const std::vector<double> extrema = seeds::find_extrema(f, f_1, f_2, fine, 1e-3));
  demo::Table table({"", "x", "f(x)", "f′(x)"});
  table.align_on_point(1).align_on_point(2).align_on_point(3);
  for (double xe : extrema)
    table.row({f_2(xe).item<double>() < 0 ? "maximum" : "minimum", shortest(xe), shortest(f(xe).item<double>()),
               shortest(f_1(xe).item<double>())});
  table.print();
  demo::notice("the write-up counts five extrema where f is not ≈ 0, and Newton's method leaves f′ within a few "
               "10⁻¹⁵ of zero at each.");

  demo::section("Derivatives in the coefficients: ∂f/∂αᵢ = xⁱ/(1 + Q(x)²), with P of degree 2");
  CODE(const fx::Array alpha2 = fx::stack({alpha[0], alpha[1], alpha[2]}));
  CODE(const fx::Array x5 = fx::linspace(-2, 2, 5));
  CODE_JAX("grad(rational_function, argnums=1)", const auto num_par_grad = fx::grad(seeds::rational_function, 1));
  CODE(const fx::Array dalpha = fx::vmap(num_par_grad, over_x)(x5, alpha2, beta));
  per_point_table(x5, dalpha, {"x", "∂f/∂α₀", "∂f/∂α₁", "∂f/∂α₂"});
  demo::notice("grad's second argument picks what to differentiate, here the whole vector α: each x gets three "
               "partial derivatives, and at x = 0 only α₀ matters.");

  demo::section("Derivatives in the denominator: ∂f/∂βⱼ = −2·P(x)·Q(x)·xʲ/(1 + Q(x)²)²");
  CODE_JAX("grad(rational_function, argnums=2)", const auto denom_par_grad = fx::grad(seeds::rational_function, 2));
  CODE(const fx::Array dbeta = fx::vmap(denom_par_grad, over_x)(x5, alpha2, beta));
  per_point_table(x5, dbeta, {"x", "∂f/∂β₀", "∂f/∂β₁", "∂f/∂β₂", "∂f/∂β₃", "∂f/∂β₄", "∂f/∂β₅"});
  demo::notice("along a row each column is x times the one before (the xʲ): at x = −2 they double and "
               "alternate in sign.");

  demo::section("x held at x₀ = 1 while α₁ and β₁ vary on a 5 × 5 grid");
  demo::say("The write-up ends by proposing this. seeds::coefficient_grid makes one α per value of α₁ and one "
            "β per value of β₁, and nests two vmaps, over the α's outside and the β's inside, so that the 25 "
            "cases are one batched program returning f, ∂f/∂α₁ and ∂f/∂β₁:");
  CODE(const fx::Array a1 = fx::linspace(-2, 2, 5), b1 = fx::linspace(-1, 1, 5));
  CODE(const std::vector<fx::Array> grid = seeds::coefficient_grid(1.0, alpha, beta, a1, b1));
  demo::say("f(x₀):");
  grid_table(grid[0], a1, b1, "f");
  demo::say("∂f/∂α₁ at x₀:");
  grid_table(grid[1], a1, b1, "∂f/∂α₁");
  demo::say("∂f/∂β₁ at x₀:");
  grid_table(grid[2], a1, b1, "∂f/∂β₁");
  demo::notice("f is linear in α₁, with slope ∂f/∂α₁ = x₀/(1 + Q(x₀)²), which does not depend on α₁: its rows "
               "repeat, and each column of f steps by that slope.");
  return 0;
}
