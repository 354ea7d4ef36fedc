// libtorch's C++ autograd (libtorch-dev): eager tensors that record a graph
// as they go; grad via torch::autograd::grad, the Hessian row by row from a
// create_graph gradient (what torch.autograd.functional.hessian does).
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "../ackley.hpp"

namespace ackley {
namespace {

torch::Tensor f_torch(const torch::Tensor& x) {
  const double d = static_cast<double>(x.numel());
  const torch::Tensor t1 = -kA * torch::exp(-kB * torch::sqrt(torch::sum(torch::pow(x, 2)) / d));
  const torch::Tensor t2 = torch::exp(torch::sum(torch::cos(kC * x)) / d);
  return t1 - t2 + (kA + kE);
}

torch::Tensor leaf(size_t d) {
  std::vector<double> x = point(d);
  return torch::from_blob(x.data(), {static_cast<int64_t>(d)}, torch::kFloat64).clone().requires_grad_(true);
}

std::vector<double> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

torch::Tensor grad_torch(const torch::Tensor& x) { return torch::autograd::grad({f_torch(x)}, {x})[0]; }

torch::Tensor hessian_torch(const torch::Tensor& x) {
  const torch::Tensor g = torch::autograd::grad({f_torch(x)}, {x}, {}, true, true)[0];
  std::vector<torch::Tensor> rows;
  for (int64_t i = 0; i < x.numel(); ++i) rows.push_back(torch::autograd::grad({g[i]}, {x}, {}, true)[0]);
  return torch::stack(rows);
}

}  // namespace

void register_torch() {
  // One thread, like every other contender: the comparison is per core.
  torch::set_num_threads(1);
  for (size_t d : kGradDims) {
    add("f", d, "torch", [d](benchmark::State& s) {
      const torch::Tensor x = leaf(d);
      torch::NoGradGuard no_grad;
      if (!check(s, {f_torch(x).item<double>()}, reference_f(d))) return;
      for (auto _ : s) benchmark::DoNotOptimize(f_torch(x));
    });
    add("grad", d, "torch", [d](benchmark::State& s) {
      const torch::Tensor x = leaf(d);
      if (!check(s, to_vector(grad_torch(x)), reference_grad(d))) return;
      for (auto _ : s) benchmark::DoNotOptimize(grad_torch(x));
    });
  }
  for (size_t d : kHessDims)
    add("hessian", d, "torch", [d](benchmark::State& s) {
      const torch::Tensor x = leaf(d);
      if (!check(s, to_vector(hessian_torch(x)), reference_hessian(d))) return;
      for (auto _ : s) benchmark::DoNotOptimize(hessian_torch(x));
    });
}

}  // namespace ackley
