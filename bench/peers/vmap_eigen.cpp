// Eigen's AutoDiffScalar (libeigen3-dev, unsupported/) per point: forward mode
// with a fixed one-element derivative vector; f'' nests one AutoDiffScalar in
// another (the inner carries d/dx of the outer's value and derivative).
#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

#include <vector>

#include "../rational.hpp"

namespace rational {
namespace {

using Ad = Eigen::AutoDiffScalar<Eigen::Matrix<double, 1, 1>>;
using Ad2 = Eigen::AutoDiffScalar<Eigen::Matrix<Ad, 1, 1>>;

void d1_eigen(const std::vector<double>& x, std::vector<double>& out) {
  for (size_t i = 0; i < x.size(); ++i) out[i] = f_generic<Ad>(Ad(x[i], 1, 0)).derivatives()(0);
}

void d2_eigen(const std::vector<double>& x, std::vector<double>& out) {
  for (size_t i = 0; i < x.size(); ++i) {
    Ad2 a;
    a.value() = Ad(x[i], 1, 0);
    a.derivatives()(0) = Ad(1.0, Eigen::Matrix<double, 1, 1>::Zero());
    out[i] = f_generic<Ad2, Ad>(a).derivatives()(0).derivatives()(0);
  }
}

}  // namespace

void register_eigen() { add_point_loops("eigen", &d1_eigen, &d2_eigen); }

}  // namespace rational
