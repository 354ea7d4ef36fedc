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

void register_ceres() {
  for (auto [task, fn] : {std::pair<const char*, decltype(&d1_ceres)>{"d1", &d1_ceres}, std::pair<const char*, decltype(&d2_ceres)>{"d2", &d2_ceres}})
    add(task, "ceres_jet", [task = std::string(task), fn = fn](benchmark::State& s) {
      const std::vector<double> x = points();
      std::vector<double> y(x.size());
      fn(x, y);
      if (!check(s, task, y)) return;
      for (auto _ : s) {
        fn(x, y);
        benchmark::DoNotOptimize(y.data());
      }
      count_points(s);
    });
}

}  // namespace rational
