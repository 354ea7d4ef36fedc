// Ceres' Jet (libceres-dev, header-only ceres/jet.h): forward mode with the
// number of partials fixed at compile time, so each d is its own type; the
// Hessian is a Jet of Jets.
#include <ceres/jet.h>

#include <memory>
#include <vector>

#include "../ackley.hpp"

namespace ackley {
namespace {

template <int N>
void grad_jet(const std::vector<double>& x, std::vector<double>& g) {
  using J = ceres::Jet<double, N>;
  std::vector<J> ax(N);
  for (int i = 0; i < N; ++i) ax[i] = J(x[i], i);
  const J y = f_generic<J>(ax, N);
  for (int i = 0; i < N; ++i) g[i] = y.v[i];
}

template <int N>
void hessian_jet(const std::vector<double>& x, std::vector<double>& h) {
  using J = ceres::Jet<double, N>;
  using J2 = ceres::Jet<J, N>;
  std::vector<J2> ax(N);
  for (int i = 0; i < N; ++i) ax[i] = J2(J(x[i], i), i);
  // A Jet<Jet<double, 100>, 100> is 80 KB: keep the result off the stack.
  const auto y = std::make_unique<J2>(f_generic<J2, J>(ax, N));
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) h[i * N + j] = y->v[i].v[j];
}

template <int N>
void add_grad() {
  add("grad", N, "ceres_jet", [](benchmark::State& s) {
    const std::vector<double> x = point(N);
    std::vector<double> g(N);
    grad_jet<N>(x, g);
    if (!check(s, g, reference_grad(N))) return;
    for (auto _ : s) {
      grad_jet<N>(x, g);
      benchmark::DoNotOptimize(g.data());
    }
  });
}

template <int N>
void add_hessian() {
  add("hessian", N, "ceres_jet", [](benchmark::State& s) {
    const std::vector<double> x = point(N);
    std::vector<double> h(N * N);
    hessian_jet<N>(x, h);
    if (!check(s, h, reference_hessian(N))) return;
    for (auto _ : s) {
      hessian_jet<N>(x, h);
      benchmark::DoNotOptimize(h.data());
    }
  });
}

}  // namespace

void register_ceres() {
  static_assert(kGradDims[0] == 3 && kGradDims[1] == kForwardModeMaxDim && kHessDims[0] == 3 && kHessDims[1] == 100);
  add_grad<3>();
  add_grad<1000>();
  add_hessian<3>();
  add_hessian<100>();
}

}  // namespace ackley
