// vmap over 10^6 points (bench/rational.hpp): seed 001's rational function,
// f' = vmap(grad(f)) and f'' = vmap(grad(grad(f))), eager, against the
// hand-written loop and the peers found at configure time
// (FLUXION_BENCH_WITH_*), in one run so that scripts/bench.sh's ratios compare
// like with like. Two Fluxion programs for the same f:
//   fluxion_seed   - f as seed 001 writes it: sum_i par_i * float_power(x, i)
//                    (seeds::rational_function, the demo's own code);
//   fluxion_horner - the same polynomials in Horner form, acc * x + par.
// Each also reports `batched_ops`: the primitive applications on 10^6-element
// arrays in make_jaxpr of the same program (dead code removed, so a lower
// bound of what the eager run applies), the unit of its cost (docs/BENCHMARKS.md).
#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"
#include "rational.hpp"
#include "rational_fx.hpp"
#include "seed_common.hpp"

namespace fx = fluxion;

namespace {

using rational::coefficients;
using rational::horner;
using rational::Rational;



// vmap over x with the coefficients unmapped, in_axes=(0, None, None).
const fx::MapAxes kOverX = {0, fx::none, fx::none};

// The task's Fluxion function of (x, alpha, beta): f, grad(f), grad(grad(f)).
std::function<fx::Array(const fx::Array&, const fx::Array&, const fx::Array&)> task_fn(const std::string& task,
                                                                                        Rational f) {
  if (task == "f") return f;
  if (task == "d1") return fx::grad(f);
  return fx::grad(fx::grad(f));
}

void register_fluxion() {
  for (const char* task : {"f", "d1", "d2"}) {
    for (const auto& [who, f] : {std::pair<std::string, Rational>{"fluxion_seed", seeds::rational_function},
                                 std::pair<std::string, Rational>{"fluxion_horner", horner}}) {
      rational::add(task, who, [task = std::string(task), f = f](benchmark::State& s) {
        const fx::Array x = fx::array(rational::points(), {static_cast<int64_t>(rational::kPoints)});
        const fx::Array alpha = coefficients(rational::kAlpha), beta = coefficients(rational::kBeta);
        const auto batched = fx::vmap(task_fn(task, f), kOverX);
        if (!rational::check(s, task, batched(x, alpha, beta).to_vector<double>())) return;
        // Operation count of the batched program, by primitive (see the header comment).
        const fx::ClosedJaxpr j = fx::make_jaxpr(batched)(x, alpha, beta);
        int batched_ops = 0;
        std::map<std::string, int> by_primitive;
        for (const fx::JaxprEqn& e : j.jaxpr.eqns)
          for (int v : e.outputs)
            if (v >= 0 && j.jaxpr.var_types[static_cast<size_t>(v)].shape == fx::Shape{x.size()}) {
              ++batched_ops;
              ++by_primitive[std::string(e.primitive->name)];
            }
        s.counters["batched_ops"] = batched_ops;
        std::string label;
        for (const auto& [name, n] : by_primitive) label += (label.empty() ? "" : " ") + name + ":" + std::to_string(n);
        s.SetLabel(label);
        for (auto _ : s) benchmark::DoNotOptimize(batched(x, alpha, beta));
        rational::count_points(s);
      });
    }
  }
  // What one batched primitive costs on 10^6 float64 elements: the unit of
  // the programs above (time ~ batched_ops x these).
  rational::add("op", "fluxion_mul", [](benchmark::State& s) {
    const fx::Array x = fx::array(rational::points(), {static_cast<int64_t>(rational::kPoints)});
    const fx::Array y = x + 1.0;
    for (auto _ : s) benchmark::DoNotOptimize(x * y);
    rational::count_points(s);
  });
  rational::add("op", "fluxion_div", [](benchmark::State& s) {
    const fx::Array x = fx::array(rational::points(), {static_cast<int64_t>(rational::kPoints)});
    const fx::Array y = x * x + 1.0;
    for (auto _ : s) benchmark::DoNotOptimize(x / y);
    rational::count_points(s);
  });
  rational::add("op", "fluxion_float_power", [](benchmark::State& s) {
    const fx::Array x = fx::array(rational::points(), {static_cast<int64_t>(rational::kPoints)});
    for (auto _ : s) benchmark::DoNotOptimize(fx::float_power(x, 3));
    rational::count_points(s);
  });
}

void register_hand() {
  using Fn = void (*)(const double*, size_t, double*);
  struct Hand {
    const char* task;
    const char* who;
    Fn fn;
  };
  // "hand" (the library's flags) is what scripts/bench.sh divides by.
  for (const Hand& h : {Hand{"f", "hand", rational::f}, Hand{"d1", "hand", rational::d1}, Hand{"d2", "hand", rational::d2},
                        Hand{"f", "hand_native", rational::native::f}, Hand{"d1", "hand_native", rational::native::d1},
                        Hand{"d2", "hand_native", rational::native::d2}}) {
    rational::add(h.task, h.who, [task = std::string(h.task), fn = h.fn](benchmark::State& s) {
      rational::time_loop(s, task, fn);
    });
  }
  // The hand loop writing into a fresh buffer per call, as every array
  // library must (the first touch of 8 MB of new pages is part of the cost).
  rational::add("d1", "hand_alloc", [](benchmark::State& s) {
    const std::vector<double> x = rational::points();
    for (auto _ : s) {
      std::vector<double> y(x.size());
      rational::d1(x.data(), x.size(), y.data());
      benchmark::DoNotOptimize(y.data());
    }
    rational::count_points(s);
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
  rational::register_adolc();
  note("adolc");
#endif
#ifdef FLUXION_BENCH_WITH_EIGEN
  rational::register_eigen();
  note("eigen");
#endif
#ifdef FLUXION_BENCH_WITH_CERES
  rational::register_ceres();
  note("ceres");
#endif
#ifdef FLUXION_BENCH_WITH_SACADO
  rational::register_sacado();
  note("sacado");
#endif
#ifdef FLUXION_BENCH_WITH_TORCH
  rational::register_torch();
  note("torch");
#endif
  benchmark::AddCustomContext("peers", peers.empty() ? "none" : peers);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
