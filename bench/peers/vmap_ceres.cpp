// Ceres' Jet (libceres-dev, header-only ceres/jet.h) per point: Jet<double, 1>
// for f', a Jet of Jets for f''.
#include <ceres/jet.h>

#include <vector>

#include "../rational.hpp"

namespace rational {
namespace {

using J = ceres::Jet<double, 1>;
using J2 = ceres::Jet<J, 1>;

void d1_ceres(const std::vector<double>& x, std::vector<double>& out) {
  for (size_t i = 0; i < x.size(); ++i) out[i] = f_generic<J>(J(x[i], 0)).v[0];
}

void d2_ceres(const std::vector<double>& x, std::vector<double>& out) {
  for (size_t i = 0; i < x.size(); ++i) out[i] = f_generic<J2, J>(J2(J(x[i], 0), 0)).v[0].v[0];
}

}  // namespace

void register_ceres() { add_point_loops("ceres_jet", &d1_ceres, &d2_ceres); }

}  // namespace rational
