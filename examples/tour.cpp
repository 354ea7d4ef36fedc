// The tour's first chapter: Fluxion's arrays as the later chapters use them
// (grids, broadcasting, einsum, reductions), each line printed with its result.
#include "fluxion/fluxion.hpp"
#include "show.hpp"

namespace fx = fluxion;

int main() {
  demo::banner("ARRAYS",
               "fx::Array is NumPy's array in C++: float64 unless asked otherwise, immutable, cheap to copy. "
               "The later chapters build their grids, batches and quadratic forms from what this one shows.");

  demo::section("Grids: linspace, logspace, arange");
  SHOW(fx::linspace(-10, 10, 9));
  SHOW(fx::logspace(-1, -5, 5));
  SHOW(fx::arange(4));
  CODE(const fx::Array x = fx::linspace(-7, 7, 200));
  SHOW(x[0]);
  SHOW(x[1]);
  SHOW(x[-1]);
  demo::notice("logspace gives each 10⁻ᵏ as the double nearest to it, and x[-1] counts from the end, as in NumPy.");

  demo::section("Printing an array");
  CODE(const fx::Array scales = fx::logspace(-1, -5, 5));
  SHOW(fx::to_string(scales));
  SHOW(fx::repr(scales));
  demo::notice("std::cout << a prints the repr, with the dtype, as JAX does; this tour shows fx::to_string, "
               "NumPy's form, and marks the values that are float32.");

  demo::section("Broadcasting: shapes (3,) and (5, 1) make (5, 3)");
  CODE(const fx::Array row = fx::arange(3));
  CODE(const fx::Array column = 10 * fx::reshape(fx::arange(5), {5, 1}));
  SHOW(row + column);
  demo::notice("the column is repeated along the row and the row down the column, without a loop; the Taylor-error "
               "chapter moves a point by five step sizes at once this way.");

  demo::section("Outer products with einsum: δ⊗δ and δ⊗δ⊗δ for δ = (0, 1, 2, 3)");
  CODE(const fx::Array delta = fx::arange(4));
  SHOW(fx::einsum("i,j", delta, delta));
  SHOW(fx::einsum("i,j,k", delta, delta, delta));
  demo::notice("entry [i][j][k] of δ⊗δ⊗δ is δᵢ·δⱼ·δₖ = i·j·k, so the last one is 3·3·3 = 27. The k-th term of a "
               "Taylor series contracts a tensor of k-th derivatives with such a product.");

  demo::section("Quadratic forms ½·δᵀHδ, one per row, with einsum");
  CODE(const fx::Array H = fx::array({{2., 2.}, {2., 12.}}));
  CODE(const fx::Array deltas = fx::array({{1.0, 1.0}, {1.0, 2.0}, {3.0, 4.0}}) - fx::array({1.0, 2.0}));
  SHOW(deltas);
  SHOW(0.5 * fx::einsum("ij, ij->i", fx::einsum("ij,jk->ik", deltas, H), deltas));
  demo::notice("the first einsum multiplies every row by H, the second takes each row's dot product with itself: "
               "three quadratic forms in two calls. H is the Hessian of g(x, y) = x² + 2xy + y³ at (1, 2), from "
               "the Taylor chapter.");

  demo::section("A function on a 2-D grid: g(x, y) = x² + 2xy + y³ on [−5, 5]²");
  CODE(const auto XY = fx::meshgrid({fx::linspace(-5, 5, 50), fx::linspace(-5, 5, 40)}));
  CODE(const fx::Array Z = fx::pow(XY[0], 2) + 2 * XY[0] * XY[1] + fx::pow(XY[1], 3));
  SHOW(fx::shape_to_string(Z.shape()));
  SHOW(Z[0][0]);
  SHOW(Z[-1][-1]);
  demo::say("The write-up draws this surface; here are its shape and two corners.");
  demo::notice("meshgrid orders the grid as NumPy does, 40 rows of y by 50 columns of x, and g runs on all 2000 "
               "points as written, with no loop: g(−5, −5) = −50 and g(5, 5) = 200.");

  demo::section("Reductions along axes");
  CODE(const fx::Array m = fx::reshape(fx::arange(6), {2, 3}));
  SHOW(m);
  SHOW(fx::sum(m, {1}));
  SHOW(fx::mean(m, {-2}, /*keepdims=*/true));
  demo::notice("axes and keepdims mean what they mean in NumPy, and the mean of integers is a float64.");
  return 0;
}
