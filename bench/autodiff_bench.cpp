// Eager autodiff of the Ackley function (bench/ackley.hpp): Fluxion's eager
// f, fx::grad and fx::hessian against the hand-written C++ derivative, and
// the peers found at configure time (FLUXION_BENCH_WITH_*), all in one run so
// that the ratios scripts/bench.sh prints compare like with like.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "ackley.hpp"
#include "ackley_fx.hpp"
#include "fluxion/fluxion.hpp"

namespace fx = fluxion;

namespace {

using ackley::ackley_fx;
using ackley::fx_point;

void register_hand() {
  for (size_t d : ackley::kGradDims) {
    ackley::add("f", d, "hand", [d](benchmark::State& s) { ackley::time_f(s, d); });
    ackley::add("grad", d, "hand", [d](benchmark::State& s) { ackley::time_grad(s, d); });
  }
  for (size_t d : ackley::kHessDims)
    ackley::add("hessian", d, "hand", [d](benchmark::State& s) { ackley::time_hessian(s, d); });
}

void register_fluxion() {
  for (size_t d : ackley::kGradDims) {
    ackley::add("f", d, "fluxion", [d](benchmark::State& s) {
      const fx::Array x = fx_point(d);
      if (!ackley::check(s, {ackley_fx(x).item<double>()}, ackley::reference_f(d))) return;
      for (auto _ : s) benchmark::DoNotOptimize(ackley_fx(x));
    });
    ackley::add("grad", d, "fluxion", [d](benchmark::State& s) {
      const fx::Array x = fx_point(d);
      const auto df = fx::grad(ackley_fx);
      if (!ackley::check(s, df(x).to_vector<double>(), ackley::reference_grad(d))) return;
      for (auto _ : s) benchmark::DoNotOptimize(df(x));
    });
  }
  for (size_t d : ackley::kHessDims)
    ackley::add("hessian", d, "fluxion", [d](benchmark::State& s) {
      const fx::Array x = fx_point(d);
      const auto h = fx::hessian(ackley_fx);
      if (!ackley::check(s, h(x).to_vector<double>(), ackley::reference_hessian(d))) return;
      for (auto _ : s) benchmark::DoNotOptimize(h(x));
    });
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::string peers;
  [[maybe_unused]] const auto note = [&](const char* p) { peers += peers.empty() ? p : std::string(",") + p; };
  register_hand();
  register_fluxion();
#ifdef FLUXION_BENCH_WITH_ADOLC
  ackley::register_adolc();
  note("adolc");
#endif
#ifdef FLUXION_BENCH_WITH_EIGEN
  ackley::register_eigen();
  note("eigen");
#endif
#ifdef FLUXION_BENCH_WITH_CERES
  ackley::register_ceres();
  note("ceres");
#endif
#ifdef FLUXION_BENCH_WITH_SACADO
  ackley::register_sacado();
  note("sacado");
#endif
#ifdef FLUXION_BENCH_WITH_TORCH
  ackley::register_torch();
  note("torch");
#endif
  benchmark::AddCustomContext("peers", peers.empty() ? "none" : peers);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
