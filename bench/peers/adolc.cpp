// ADOL-C (libadolc-dev): operator overloading onto a tape, then drivers that
// sweep it. Two ways of using it: "adolc" re-records the tape on every call
// (what an eager gradient has to do: a new x may take other branches), and
// "adolc_reuse" records once and only re-sweeps (the analogue of a compiled
// function; valid here because Ackley has no branches).
#include <adolc/adolc.h>

#include <vector>

#include "../ackley.hpp"

namespace ackley {
namespace {

// A tape of its own for each benchmark: re-recording a tag with other
// buffer sizes can crash ADOL-C 2.7.
short new_tag() {
  static short next = 1;
  return next++;
}

// Buffers large enough for the whole tape: ADOL-C's defaults (2^19 entries)
// spill the d = 10^5 tape to files in the working directory.
void record(short tag, const std::vector<double>& x) {
  const size_t d = x.size();
  const unsigned buf = static_cast<unsigned>(16 * d + 4096);
  trace_on(tag, 0, buf, buf, buf, buf);
  {
    std::vector<adouble> ax(d);
    for (size_t i = 0; i < d; ++i) ax[i] <<= x[i];
    adouble y = f_generic<adouble>(ax, d);
    double out;
    y >>= out;
  }
  trace_off();
}

}  // namespace

// ADOL-C sizes a sweep's work arrays by the high-water mark of its global
// store of locations, which never shrinks: after a d = 10^5 tape even a d = 3
// Hessian costs milliseconds. So its benchmarks register smallest first, and
// must not be interleaved with --benchmark_enable_random_interleaving.
void register_adolc() {
  for (size_t d : kHessDims)
    add("hessian", d, "adolc", [d, tag = new_tag()](benchmark::State& s) {
      std::vector<double> x = point(d);
      // ADOL-C fills the lower triangle of a jagged matrix.
      std::vector<std::vector<double>> rows(d);
      std::vector<double*> h(d);
      for (size_t i = 0; i < d; ++i) {
        rows[i].assign(i + 1, 0.0);
        h[i] = rows[i].data();
      }
      const auto run = [&] {
        record(tag, x);
        ::hessian(tag, static_cast<int>(d), x.data(), h.data());
      };
      run();
      std::vector<double> dense(d * d);
      for (size_t i = 0; i < d; ++i)
        for (size_t j = 0; j <= i; ++j) dense[i * d + j] = dense[j * d + i] = h[i][j];
      if (!check(s, dense, reference_hessian(d))) return;
      for (auto _ : s) {
        run();
        benchmark::DoNotOptimize(h.data());
      }
    });
  for (size_t d : kGradDims) {
    add("grad", d, "adolc", [d, tag = new_tag()](benchmark::State& s) {
      std::vector<double> x = point(d), g(d);
      record(tag, x);
      gradient(tag, static_cast<int>(d), x.data(), g.data());
      if (!check(s, g, reference_grad(d))) return;
      for (auto _ : s) {
        record(tag, x);
        gradient(tag, static_cast<int>(d), x.data(), g.data());
        benchmark::DoNotOptimize(g.data());
      }
    });
    add("grad", d, "adolc_reuse", [d, tag = new_tag()](benchmark::State& s) {
      std::vector<double> x = point(d), g(d);
      record(tag, x);
      gradient(tag, static_cast<int>(d), x.data(), g.data());
      if (!check(s, g, reference_grad(d))) return;
      for (auto _ : s) {
        gradient(tag, static_cast<int>(d), x.data(), g.data());
        benchmark::DoNotOptimize(g.data());
      }
    });
  }
}

}  // namespace ackley
