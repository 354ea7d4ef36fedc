// libtorch's C++ autograd (libtorch-dev), batched: x is one 10^6-element
// tensor, f is evaluated elementwise over it, and f' = d(sum f)/dx (each
// output depends on its own x only); f'' differentiates f' again through a
// create_graph gradient. The batched way, as a torch user writes it.
#include <torch/torch.h>

#include <vector>

#include "../rational.hpp"

namespace rational {
namespace {

torch::Tensor f_torch(const torch::Tensor& x) {
  torch::Tensor p = torch::full_like(x, kAlpha[5]), q = torch::full_like(x, kBeta[5]);
  for (int i = 4; i >= 0; --i) {
    p = p * x + kAlpha[i];
    q = q * x + kBeta[i];
  }
  return p / (q * q + 1.0);
}

torch::Tensor leaf() {
  std::vector<double> x = points();
  return torch::from_blob(x.data(), {static_cast<int64_t>(x.size())}, torch::kFloat64).clone().requires_grad_(true);
}

std::vector<double> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

torch::Tensor d1_torch(const torch::Tensor& x) { return torch::autograd::grad({f_torch(x).sum()}, {x})[0]; }

torch::Tensor d2_torch(const torch::Tensor& x) {
  const torch::Tensor g = torch::autograd::grad({f_torch(x).sum()}, {x}, {}, true, true)[0];
  return torch::autograd::grad({g.sum()}, {x})[0];
}

}  // namespace

void register_torch() {
  // One thread, like every other contender: the comparison is per core.
  torch::set_num_threads(1);
  add("f", "torch", [](benchmark::State& s) {
    const torch::Tensor x = leaf();
    torch::NoGradGuard no_grad;
    if (!check(s, "f", to_vector(f_torch(x)))) return;
    for (auto _ : s) benchmark::DoNotOptimize(f_torch(x));
    count_points(s);
  });
  for (auto [task, fn] : {std::pair<const char*, decltype(&d1_torch)>{"d1", &d1_torch}, std::pair<const char*, decltype(&d2_torch)>{"d2", &d2_torch}})
    add(task, "torch", [task = std::string(task), fn = fn](benchmark::State& s) {
      const torch::Tensor x = leaf();
      if (!check(s, task, to_vector(fn(x)))) return;
      for (auto _ : s) benchmark::DoNotOptimize(fn(x));
      count_points(s);
    });
}

}  // namespace rational
