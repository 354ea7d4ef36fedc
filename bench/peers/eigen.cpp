// Eigen's AutoDiffScalar (libeigen3-dev, unsupported/): forward mode with a
// dynamic derivative vector, so a gradient costs O(d) per operation and the
// Hessian nests one AutoDiffScalar in another.
// Eigen 3.4's AutoDiff module does not include the core it builds on.
#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

#include <vector>

#include "../ackley.hpp"

namespace ackley {
namespace {

using Ad = Eigen::AutoDiffScalar<Eigen::VectorXd>;
using Ad2 = Eigen::AutoDiffScalar<Eigen::Matrix<Ad, Eigen::Dynamic, 1>>;

void grad_eigen(const std::vector<double>& x, std::vector<double>& g) {
  const size_t d = x.size();
  std::vector<Ad> ax(d);
  for (size_t i = 0; i < d; ++i) ax[i] = Ad(x[i], static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(i));
  const Ad y = f_generic<Ad>(ax, d);
  for (size_t i = 0; i < d; ++i) g[i] = y.derivatives()[static_cast<Eigen::Index>(i)];
}

void hessian_eigen(const std::vector<double>& x, std::vector<double>& h) {
  const auto d = static_cast<Eigen::Index>(x.size());
  std::vector<Ad2> ax(x.size());
  for (Eigen::Index i = 0; i < d; ++i) {
    // Seed both levels: the value's inner derivative and the outer one.
    ax[i].value() = Ad(x[i], d, i);
    ax[i].derivatives() = Eigen::Matrix<Ad, Eigen::Dynamic, 1>::Unit(d, i);
    for (Eigen::Index j = 0; j < d; ++j) ax[i].derivatives()(j).derivatives() = Eigen::VectorXd::Zero(d);
  }
  const Ad2 y = f_generic<Ad2>(ax, x.size());
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index j = 0; j < d; ++j) h[i * d + j] = y.derivatives()(i).derivatives()(j);
}

}  // namespace

void register_eigen() {
  for (size_t d : kGradDims) {
    if (d > kForwardModeMaxDim) continue;
    add("grad", d, "eigen", [d](benchmark::State& s) {
      const std::vector<double> x = point(d);
      std::vector<double> g(d);
      grad_eigen(x, g);
      if (!check(s, g, reference_grad(d))) return;
      for (auto _ : s) {
        grad_eigen(x, g);
        benchmark::DoNotOptimize(g.data());
      }
    });
  }
  for (size_t d : kHessDims)
    add("hessian", d, "eigen", [d](benchmark::State& s) {
      const std::vector<double> x = point(d);
      std::vector<double> h(d * d);
      hessian_eigen(x, h);
      if (!check(s, h, reference_hessian(d))) return;
      for (auto _ : s) {
        hessian_eigen(x, h);
        benchmark::DoNotOptimize(h.data());
      }
    });
}

}  // namespace ackley
