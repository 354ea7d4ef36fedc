// Trilinos Sacado (libtrilinos-sacado-dev): Rad, its reverse mode (a tape
// recorded by operator overloading and swept by Gradcomp on every call), DFad,
// its forward mode with a dynamic derivative array, and DFad<DFad> for the
// Hessian.
// Sacado_No_Kokkos.hpp and SACADO_DISABLE_FAD_VIEW_SPEC (set in CMake) keep
// the Kokkos views of Fad, and the MPI headers they reach, out.
#include <Sacado_No_Kokkos.hpp>
#include <Sacado_trad.hpp>

#include <vector>

#include "../ackley.hpp"

namespace ackley {
namespace {

using Rad = Sacado::Rad::ADvar<double>;
using Fad = Sacado::Fad::DFad<double>;
using Fad2 = Sacado::Fad::DFad<Fad>;

void grad_rad(const std::vector<double>& x, std::vector<double>& g) {
  const size_t d = x.size();
  std::vector<Rad> ax(x.begin(), x.end());
  const Rad y = f_generic<Rad>(ax, d);
  Rad::Gradcomp();  // the sweep also frees the tape for the next call
  for (size_t i = 0; i < d; ++i) g[i] = ax[i].adj();
}

void grad_fad(const std::vector<double>& x, std::vector<double>& g) {
  const int d = static_cast<int>(x.size());
  std::vector<Fad> ax(x.size());
  for (int i = 0; i < d; ++i) ax[i] = Fad(d, i, x[i]);
  const Fad y = f_generic<Fad>(ax, x.size());
  for (int i = 0; i < d; ++i) g[i] = y.dx(i);
}

void hessian_fad(const std::vector<double>& x, std::vector<double>& h) {
  const int d = static_cast<int>(x.size());
  std::vector<Fad2> ax(x.size());
  for (int i = 0; i < d; ++i) ax[i] = Fad2(d, i, Fad(d, i, x[i]));
  const Fad2 y = f_generic<Fad2>(ax, x.size());
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) h[i * d + j] = y.dx(i).dx(j);
}

template <class Grad>
void add_grad(size_t d, const char* who, Grad fn) {
  add("grad", d, who, [d, fn](benchmark::State& s) {
    const std::vector<double> x = point(d);
    std::vector<double> g(d);
    fn(x, g);
    if (!check(s, g, reference_grad(d))) return;
    for (auto _ : s) {
      fn(x, g);
      benchmark::DoNotOptimize(g.data());
    }
  });
}

}  // namespace

void register_sacado() {
  for (size_t d : kGradDims) {
    add_grad(d, "sacado_rad", grad_rad);
    if (d <= kForwardModeMaxDim) add_grad(d, "sacado_fad", grad_fad);
  }
  for (size_t d : kHessDims)
    add("hessian", d, "sacado_fad", [d](benchmark::State& s) {
      const std::vector<double> x = point(d);
      std::vector<double> h(d * d);
      hessian_fad(x, h);
      if (!check(s, h, reference_hessian(d))) return;
      for (auto _ : s) {
        hessian_fad(x, h);
        benchmark::DoNotOptimize(h.data());
      }
    });
}

}  // namespace ackley
