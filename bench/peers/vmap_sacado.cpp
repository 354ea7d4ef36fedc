// Trilinos Sacado (libtrilinos-sacado-dev) per point: SFad<double, 1>
// (forward mode, derivative count fixed at compile time) for f', an SFad of
// SFads for f''.
// Sacado_No_Kokkos.hpp and SACADO_DISABLE_FAD_VIEW_SPEC (set in CMake) keep
// the Kokkos views of Fad, and the MPI headers they reach, out.
#include <Sacado_No_Kokkos.hpp>

#include <vector>

#include "../rational.hpp"

namespace rational {
namespace {

using Fad = Sacado::Fad::SFad<double, 1>;
using Fad2 = Sacado::Fad::SFad<Fad, 1>;

void d1_sacado(const std::vector<double>& x, std::vector<double>& out) {
  for (size_t i = 0; i < x.size(); ++i) out[i] = f_generic<Fad>(Fad(1, 0, x[i])).dx(0);
}

void d2_sacado(const std::vector<double>& x, std::vector<double>& out) {
  for (size_t i = 0; i < x.size(); ++i) out[i] = f_generic<Fad2, Fad>(Fad2(1, 0, Fad(1, 0, x[i]))).dx(0).dx(0);
}

}  // namespace

void register_sacado() { add_point_loops("sacado_sfad", &d1_sacado, &d2_sacado); }

}  // namespace rational
