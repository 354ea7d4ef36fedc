// fx::jit's benchmarks (docs/BENCHMARKS.md "(e) jit"): compiled programs
// against plain C++ and against eager Fluxion, each beside its baseline in
// the same run. Names are "<group>/<case>/<contender>"; scripts/bench.sh
// divides every median by the group's baseline (see kBaselines there).
//
//   ackley/d:3, ackley/d:100000   f_hand (baseline), grad_hand, grad_jit_call
//                                 (Compiled::call on caller-owned buffers),
//                                 grad_jit (jit(grad(f))(x) on Arrays),
//                                 grad_eager (grad(f)(x)); "_omp1": one thread
//   ackley_hessian/d:100          f_hand (baseline), hessian_hand, hessian_jit_call,
//                                 hessian_jit, hessian_eager
//   rational/d1, rational/d2      hand (baseline), hand_native, jit_{horner,seed}
//                                 (jit(vmap(grad(f)))(x, alpha, beta)), jit_horner_call,
//                                 eager_horner; 10^6 points, items = points
//   compile/ackley_grad_d3        cold (a fresh cache directory and an empty
//                                 table of loaded objects per iteration),
//                                 disk_hit (same process, warm directory, table
//                                 emptied), memory_hit (a fresh jit object;
//                                 the object already loaded)
//   process/ackley_grad_d3        empty (this program started with
//                                 FLUXION_JIT_BENCH_CHILD=empty: exits at once),
//                                 disk_hit (started with =load: traces and loads
//                                 jit(grad(f)) from a warm cache, then exits),
//                                 disk_hit_inside (the child's own time from before
//                                 lower() to after compile(), with its parts as
//                                 counters), cxx_version (the
//                                 `c++ --version` probe, which jit runs once per
//                                 compiler binary: a stamp in the cache keeps it)
//   dispatch/0d                   eager (x * x, the baseline), jit (a cached 0-d
//                                 jit(x * x)), jit_call (its Compiled::call)
//   openmp/n:10000000             hand (baseline), eager, jit_omp1, jit, jit_call_omp1,
//                                 jit_call: sin(x) * x + exp(-x * x) on 10^7 float64
//   gmm/d:2_K:5, gmm/d:10_K:25    ADBench's GMM (n = 1000): objective_hand (baseline),
//                                 objective_jit, objective_eager, grad_jit, grad_eager
//
// "_omp1" contenders set omp_set_num_threads(1) around their loop; the others
// run with the process's default (OMP_NUM_THREADS, else one per core), which
// the context field omp_max_threads records.
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "ackley.hpp"
#include "ackley_fx.hpp"
#include "compiler/toolchain.hpp"  // test hooks: forget_loaded_objects, compile_count, compiler_probe_count
#include "fluxion/fluxion.hpp"
#include "gmm.hpp"
#include "rational.hpp"
#include "rational_fx.hpp"
#include "seed_common.hpp"

#ifdef FLUXION_BENCH_WITH_OPENMP
#include <omp.h>
constexpr bool kOpenMp = true;
#else
// Without OpenMP's runtime the "_omp1" contenders are not registered.
constexpr bool kOpenMp = false;
inline int omp_get_max_threads() { return 0; }
inline void omp_set_num_threads(int) {}
#endif

extern char** environ;

namespace fx = fluxion;
namespace fs = std::filesystem;

namespace {

using ackley::ackley_fx;
using ackley::fx_point;

void add(const std::string& name, std::function<void(benchmark::State&)> body,
         benchmark::TimeUnit unit = benchmark::kMicrosecond) {
  benchmark::RegisterBenchmark(name.c_str(), [body = std::move(body)](benchmark::State& s) { body(s); })
      ->Unit(unit)
      ->UseRealTime();
}

// omp_set_num_threads for the scope of a benchmark's loop; 0 keeps the default.
struct OmpThreads {
  int saved = omp_get_max_threads();
  explicit OmpThreads(int n) {
    if (n > 0) omp_set_num_threads(n);
  }
  ~OmpThreads() { omp_set_num_threads(saved); }
};

std::vector<double> values(const fx::Array& a) { return a.to_vector<double>(); }

// ------------------------------------------------------------------ 1, 2: Ackley

void register_ackley() {
  for (size_t d : {size_t{3}, size_t{100000}}) {
    const std::string g = "ackley/d:" + std::to_string(d) + "/";
    add(g + "f_hand", [d](benchmark::State& s) { ackley::time_f(s, d); });
    add(g + "grad_hand", [d](benchmark::State& s) { ackley::time_grad(s, d); });
    const std::vector<int> threads = d >= 32768 && kOpenMp ? std::vector<int>{0, 1} : std::vector<int>{0};
    for (int t : threads) {
      const std::string sfx = t == 1 ? "_omp1" : "";
      add(g + "grad_jit_call" + sfx, [d, t](benchmark::State& s) {
        const fx::Compiled c = fx::jit(fx::grad(ackley_fx)).lower(fx_point(d)).compile();
        const std::vector<double> x = ackley::point(d);
        std::vector<double> gr(d);
        const void* in[] = {x.data()};
        void* out[] = {gr.data()};
        OmpThreads scope(t);
        c.call(in, out);
        if (!ackley::check(s, gr, ackley::reference_grad(d))) return;
        for (auto _ : s) {
          benchmark::DoNotOptimize(x.data());
          c.call(in, out);
          benchmark::DoNotOptimize(gr.data());
          benchmark::ClobberMemory();
        }
      });
      add(g + "grad_jit" + sfx, [d, t](benchmark::State& s) {
        const fx::Array x = fx_point(d);
        const auto df = fx::jit(fx::grad(ackley_fx));
        OmpThreads scope(t);
        if (!ackley::check(s, values(df(x)), ackley::reference_grad(d))) return;
        for (auto _ : s) benchmark::DoNotOptimize(df(x));
      });
    }
    add(g + "grad_eager", [d](benchmark::State& s) {
      const fx::Array x = fx_point(d);
      const auto df = fx::grad(ackley_fx);
      if (!ackley::check(s, values(df(x)), ackley::reference_grad(d))) return;
      for (auto _ : s) benchmark::DoNotOptimize(df(x));
    });
  }

  constexpr size_t d = 100;
  const std::string g = "ackley_hessian/d:100/";
  add(g + "f_hand", [](benchmark::State& s) { ackley::time_f(s, d); });
  add(g + "hessian_hand", [](benchmark::State& s) { ackley::time_hessian(s, d); });
  add(g + "hessian_jit_call", [](benchmark::State& s) {
    const fx::Compiled c = fx::jit(fx::hessian(ackley_fx)).lower(fx_point(d)).compile();
    const std::vector<double> x = ackley::point(d);
    std::vector<double> h(d * d);
    const void* in[] = {x.data()};
    void* out[] = {h.data()};
    c.call(in, out);
    if (!ackley::check(s, h, ackley::reference_hessian(d))) return;
    for (auto _ : s) {
      benchmark::DoNotOptimize(x.data());
      c.call(in, out);
      benchmark::DoNotOptimize(h.data());
      benchmark::ClobberMemory();
    }
  });
  add(g + "hessian_jit", [](benchmark::State& s) {
    const fx::Array x = fx_point(d);
    const auto h = fx::jit(fx::hessian(ackley_fx));
    if (!ackley::check(s, values(h(x)), ackley::reference_hessian(d))) return;
    for (auto _ : s) benchmark::DoNotOptimize(h(x));
  });
  add(g + "hessian_eager", [](benchmark::State& s) {
    const fx::Array x = fx_point(d);
    const auto h = fx::hessian(ackley_fx);
    if (!ackley::check(s, values(h(x)), ackley::reference_hessian(d))) return;
    for (auto _ : s) benchmark::DoNotOptimize(h(x));
  });
}

// ------------------------------------------------------------------ 3: vmap over 10^6 points

using rational::coefficients;
using rational::horner;
using rational::Rational;

using RationalFn = std::function<fx::Array(const fx::Array&, const fx::Array&, const fx::Array&)>;


RationalFn derivative(const std::string& task, Rational f) {
  if (task == "d1") return fx::grad(f);
  return fx::grad(fx::grad(f));
}

void register_rational() {
  using rational::Loop;
  for (const char* task_c : {"d1", "d2"}) {
    const std::string task = task_c, g = "rational/" + task + "/";
    for (auto [who, fn] : {std::pair<const char*, Loop>{"hand", task == "d1" ? rational::d1 : rational::d2},
                           std::pair<const char*, Loop>{"hand_native",
                                                        task == "d1" ? rational::native::d1 : rational::native::d2}})
      add(
          g + who,
          [task, fn = fn](benchmark::State& s) { rational::time_loop(s, task, fn); },
          benchmark::kMillisecond);
    const fx::MapAxes over_x = {0, fx::none, fx::none};
    for (auto [form, f] : {std::pair<std::string, Rational>{"horner", horner},
                           std::pair<std::string, Rational>{"seed", seeds::rational_function}}) {
      for (int t : {0, 1}) {
        if (t == 1 && !kOpenMp) continue;
        add(
            g + "jit_" + form + (t == 1 ? "_omp1" : ""),
            [task, f = f, t, over_x](benchmark::State& s) {
              const fx::Array x = fx::array(rational::points(), {static_cast<int64_t>(rational::kPoints)});
              const fx::Array alpha = coefficients(rational::kAlpha), beta = coefficients(rational::kBeta);
              const auto batched = fx::jit(fx::vmap(derivative(task, f), over_x));
              OmpThreads scope(t);
              if (!rational::check(s, task, values(batched(x, alpha, beta)))) return;
              for (auto _ : s) benchmark::DoNotOptimize(batched(x, alpha, beta));
              rational::count_points(s);
            },
            benchmark::kMillisecond);
      }
    }
    add(
        g + "jit_horner_call",
        [task, over_x](benchmark::State& s) {
          const std::vector<double> xs = rational::points();
          const fx::Array x = fx::array(xs, {static_cast<int64_t>(rational::kPoints)});
          const fx::Array alpha = coefficients(rational::kAlpha), beta = coefficients(rational::kBeta);
          const fx::Compiled c = fx::jit(fx::vmap(derivative(task, horner), over_x)).lower(x, alpha, beta).compile();
          std::vector<double> y(xs.size());
          const void* in[] = {xs.data(), rational::kAlpha, rational::kBeta};
          void* out[] = {y.data()};
          c.call(in, out);
          if (!rational::check(s, task, y)) return;
          for (auto _ : s) {
            benchmark::DoNotOptimize(xs.data());
            c.call(in, out);
            benchmark::DoNotOptimize(y.data());
            benchmark::ClobberMemory();
          }
          rational::count_points(s);
        },
        benchmark::kMillisecond);
    add(
        g + "eager_horner",
        [task, over_x](benchmark::State& s) {
          const fx::Array x = fx::array(rational::points(), {static_cast<int64_t>(rational::kPoints)});
          const fx::Array alpha = coefficients(rational::kAlpha), beta = coefficients(rational::kBeta);
          const auto batched = fx::vmap(derivative(task, horner), over_x);
          if (!rational::check(s, task, values(batched(x, alpha, beta)))) return;
          for (auto _ : s) benchmark::DoNotOptimize(batched(x, alpha, beta));
          rational::count_points(s);
        },
        benchmark::kMillisecond);
  }
}

// ------------------------------------------------------------------ 4: compile latency

// A fresh private directory under the system's temporary directory.
fs::path fresh_directory(const char* stem) {
  std::string pattern = (fs::temp_directory_path() / (std::string(stem) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  return pattern;
}

// Sets XDG_CACHE_HOME (jit's cache is $XDG_CACHE_HOME/fluxion/jit) until
// destroyed, then puts back what was there.
class CacheHome {
 public:
  explicit CacheHome(const fs::path& dir) {
    if (const char* old = std::getenv("XDG_CACHE_HOME")) saved_ = old;
    had_ = std::getenv("XDG_CACHE_HOME") != nullptr;
    ::setenv("XDG_CACHE_HOME", dir.c_str(), 1);
  }
  ~CacheHome() {
    if (had_) ::setenv("XDG_CACHE_HOME", saved_.c_str(), 1);
    else ::unsetenv("XDG_CACHE_HOME");
  }

 private:
  std::string saved_;
  bool had_ = false;
};

// What every compile benchmark compiles: Ackley's gradient at d = 3, from a
// fresh jit object (so a fresh trace and a fresh program to compile).
fx::Compiled compile_ackley_grad(const fx::Array& x) { return fx::jit(fx::grad(ackley_fx)).lower(x).compile(); }

void register_compile() {
  const std::string g = "compile/ackley_grad_d3/";
  // Each iteration: a new cache directory, this process's loaded objects
  // forgotten, a new trace: the compiler runs (compile_count checks it).
  benchmark::RegisterBenchmark((g + "cold").c_str(), [](benchmark::State& s) {
    const fx::Array x = fx_point(3);
    compile_ackley_grad(x);  // the `c++ --version` probe, once per process, out of the loop
    const std::uint64_t before = fx::compiler::compile_count();
    std::vector<fs::path> dirs;
    for (auto _ : s) {
      s.PauseTiming();
      dirs.push_back(fresh_directory("fluxion-jit-bench-cold"));
      CacheHome home(dirs.back());
      fx::compiler::forget_loaded_objects();
      s.ResumeTiming();
      benchmark::DoNotOptimize(compile_ackley_grad(x));
    }
    const auto compiles = fx::compiler::compile_count() - before;
    s.counters["compiles_per_iteration"] = static_cast<double>(compiles) / static_cast<double>(s.iterations());
    fx::compiler::forget_loaded_objects();
    for (const fs::path& d : dirs) fs::remove_all(d);
  })->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(4);
  benchmark::RegisterBenchmark((g + "disk_hit").c_str(), [](benchmark::State& s) {
    const fx::Array x = fx_point(3);
    const fs::path dir = fresh_directory("fluxion-jit-bench-warm");
    {
      CacheHome home(dir);
      compile_ackley_grad(x);
      const std::uint64_t before = fx::compiler::compile_count();
      for (auto _ : s) {
        fx::compiler::forget_loaded_objects();
        benchmark::DoNotOptimize(compile_ackley_grad(x));
      }
      s.counters["compiles"] = static_cast<double>(fx::compiler::compile_count() - before);
    }
    fx::compiler::forget_loaded_objects();
    fs::remove_all(dir);
  })->Unit(benchmark::kMicrosecond)->UseRealTime();
  add(g + "memory_hit", [](benchmark::State& s) {
    const fx::Array x = fx_point(3);
    const fx::Compiled keep = compile_ackley_grad(x);
    for (auto _ : s) benchmark::DoNotOptimize(compile_ackley_grad(x));
  });
}

// Runs `argv` with `overrides` added to (or replacing in) this environment,
// its stdout captured; the wall time from before posix_spawn to after waitpid.
struct ChildRun {
  double seconds = 0;
  std::string out;
  int status = -1;
};

ChildRun run_child(const std::vector<std::string>& argv, const std::vector<std::pair<std::string, std::string>>& overrides,
                   bool search_path = false) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string kv = *e;
    bool replaced = false;
    for (const auto& [k, v] : overrides) replaced = replaced || kv.rfind(k + "=", 0) == 0;
    if (!replaced) env.push_back(kv);
  }
  for (const auto& [k, v] : overrides) env.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (std::string& kv : env) envp.push_back(kv.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (std::string& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);

  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  ChildRun r;
  pid_t pid = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const int err = search_path ? ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data())
                              : ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (err != 0) {
    ::close(fds[0]);
    throw std::runtime_error("posix_spawn failed for " + argv[0]);
  }
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) r.out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  ::waitpid(pid, &r.status, 0);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

fs::path g_warm_dir;  // the process/ benchmarks' warm cache

std::string self_path() { return fs::read_symlink("/proc/self/exe").string(); }

// The child's side (main, FLUXION_JIT_BENCH_CHILD=load): the time of
// lower().compile() of Ackley's gradient at d = 3 on stdout, with the number
// of compiler runs (0 when the cache was warm), and where that time went: the
// trace (lower), compile(), and the same again in this process once its
// table of loaded objects is emptied (a disk hit without the first-time costs:
// reading the compiler's identity stamp, first page faults, the first
// dlopen); last, the number of `--version` probes (0 when the stamp served).
int child_load() {
  using clock = std::chrono::steady_clock;
  const auto secs = [](clock::time_point a, clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  const fx::Array x = fx_point(3);
  const auto t0 = clock::now();
  const fx::Lowered lowered = fx::jit(fx::grad(ackley_fx)).lower(x);
  const auto t1 = clock::now();
  const fx::Compiled c = lowered.compile();
  const auto t2 = clock::now();
  fx::compiler::forget_loaded_objects();
  const auto t3 = clock::now();
  const fx::Compiled again = compile_ackley_grad(x);
  const auto t4 = clock::now();
  std::vector<double> g(3);
  const std::vector<double> xs = ackley::point(3);
  const void* in[] = {xs.data()};
  void* out[] = {g.data()};
  c.call(in, out);
  std::printf("%.9g %llu %.9g %.9g %.9g %.17g %llu\n", secs(t0, t2),
              static_cast<unsigned long long>(fx::compiler::compile_count()), secs(t0, t1), secs(t1, t2), secs(t3, t4),
              g[0], static_cast<unsigned long long>(fx::compiler::compiler_probe_count()));
  return 0;
}

void register_process() {
  const std::string g = "process/ackley_grad_d3/";
  const auto child = [](const fs::path& dir, const char* mode) {
    return run_child({self_path()}, {{"FLUXION_JIT_BENCH_CHILD", mode}, {"XDG_CACHE_HOME", dir.string()}});
  };
  // One warm directory for these benchmarks, filled by the first (main removes it).
  const auto warm_dir = [child] {
    if (g_warm_dir.empty()) {
      g_warm_dir = fresh_directory("fluxion-jit-bench-proc");
      const ChildRun r = child(g_warm_dir, "load");  // compiles once into it
      if (r.status != 0) throw std::runtime_error("the warm-up child failed: " + r.out);
    }
    return g_warm_dir;
  };
  benchmark::RegisterBenchmark((g + "empty").c_str(), [child, warm_dir](benchmark::State& s) {
    const fs::path dir = warm_dir();
    for (auto _ : s) s.SetIterationTime(child(dir, "empty").seconds);
  })->Unit(benchmark::kMillisecond)->UseManualTime();
  benchmark::RegisterBenchmark((g + "disk_hit").c_str(), [child, warm_dir](benchmark::State& s) {
    const fs::path dir = warm_dir();
    double compiles = 0, probes = 0;
    for (auto _ : s) {
      const ChildRun r = child(dir, "load");
      double inside = 0;
      unsigned long long n = 0, p = 0;
      if (r.status != 0 || std::sscanf(r.out.c_str(), "%lf %llu %*f %*f %*f %*f %llu", &inside, &n, &p) != 3) {
        s.SkipWithError(("child failed: " + r.out).c_str());
        return;
      }
      compiles += static_cast<double>(n);
      probes += static_cast<double>(p);
      s.SetIterationTime(r.seconds);
    }
    s.counters["compiles"] = compiles;
    s.counters["probes"] = probes;
  })->Unit(benchmark::kMillisecond)->UseManualTime();
  // Counters, means over the iterations in ms: lower_ms (the trace),
  // compile_ms (compile(): key, disk, dlopen), again_ms (a second disk hit in
  // the same child).
  benchmark::RegisterBenchmark((g + "disk_hit_inside").c_str(), [child, warm_dir](benchmark::State& s) {
    const fs::path dir = warm_dir();
    double compiles = 0, lower = 0, compile = 0, again = 0;
    for (auto _ : s) {
      const ChildRun r = child(dir, "load");
      double inside = 0, l = 0, c = 0, a = 0;
      unsigned long long n = 0;
      if (r.status != 0 || std::sscanf(r.out.c_str(), "%lf %llu %lf %lf %lf", &inside, &n, &l, &c, &a) != 5) {
        s.SkipWithError(("child failed: " + r.out).c_str());
        return;
      }
      compiles += static_cast<double>(n);
      lower += l;
      compile += c;
      again += a;
      s.SetIterationTime(inside);
    }
    const double iters = static_cast<double>(s.iterations());
    s.counters["compiles"] = compiles;
    s.counters["lower_ms"] = 1e3 * lower / iters;
    s.counters["compile_ms"] = 1e3 * compile / iters;
    s.counters["again_ms"] = 1e3 * again / iters;
  })->Unit(benchmark::kMillisecond)->UseManualTime();
  benchmark::RegisterBenchmark((g + "cxx_version").c_str(), [](benchmark::State& s) {
    const std::string cxx = fx::compiler::compiler_command();
    for (auto _ : s) s.SetIterationTime(run_child({cxx, "--version"}, {}, true).seconds);
    s.SetLabel(cxx + " --version");
  })->Unit(benchmark::kMillisecond)->UseManualTime();
}

// ------------------------------------------------------------------ 4: dispatch

void register_dispatch() {
  const std::string g = "dispatch/0d/";
  add(
      g + "eager",
      [](benchmark::State& s) {
        const fx::Array x = 1.5;
        for (auto _ : s) benchmark::DoNotOptimize(x * x);
      },
      benchmark::kNanosecond);
  add(
      g + "jit",
      [](benchmark::State& s) {
        const fx::Array x = 1.5;
        const auto sq = fx::jit([](fx::Array v) { return v * v; });
        if (sq(x).item<double>() != 2.25) return s.SkipWithError("jit(x * x)(1.5) != 2.25");
        for (auto _ : s) benchmark::DoNotOptimize(sq(x));
      },
      benchmark::kNanosecond);
  add(
      g + "jit_call",
      [](benchmark::State& s) {
        const fx::Compiled c = fx::jit([](fx::Array v) { return v * v; }).lower(fx::Array(1.5)).compile();
        double x = 1.5, y = 0;
        const void* in[] = {&x};
        void* out[] = {&y};
        for (auto _ : s) {
          benchmark::DoNotOptimize(x);
          c.call(in, out);
          benchmark::DoNotOptimize(y);
        }
      },
      benchmark::kNanosecond);
}

// ------------------------------------------------------------------ 5: OpenMP on 10^7 elements

fx::Array chain(const fx::Array& x) { return fx::sin(x) * x + fx::exp(-x * x); }

void register_openmp() {
  constexpr int64_t n = 10000000;
  const std::string g = "openmp/n:10000000/";
  static const auto xs = [] {
    std::vector<double> v(n);
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = -4.0 + 8.0 * static_cast<double>(i) / double(n - 1);
    return v;
  };
  static const auto reference = []() -> const std::vector<double>& {
    static const std::vector<double> y = [] {
      const std::vector<double> x = xs();
      std::vector<double> r(x.size());
      for (size_t i = 0; i < x.size(); ++i) r[i] = std::sin(x[i]) * x[i] + std::exp(-x[i] * x[i]);
      return r;
    }();
    return y;
  };
  add(
      g + "hand",
      [](benchmark::State& s) {
        const std::vector<double> x = xs();
        std::vector<double> y(x.size());
        for (auto _ : s) {
          benchmark::DoNotOptimize(x.data());
          for (size_t i = 0; i < x.size(); ++i) y[i] = std::sin(x[i]) * x[i] + std::exp(-x[i] * x[i]);
          benchmark::DoNotOptimize(y.data());
          benchmark::ClobberMemory();
        }
        s.SetItemsProcessed(s.iterations() * n);
      },
      benchmark::kMillisecond);
  add(
      g + "eager",
      [](benchmark::State& s) {
        const fx::Array x = fx::array(xs(), {n});
        if (!bench_util::check(s, values(chain(x)), reference())) return;
        for (auto _ : s) benchmark::DoNotOptimize(chain(x));
        s.SetItemsProcessed(s.iterations() * n);
      },
      benchmark::kMillisecond);
  for (int t : {1, 0}) {
    if (t == 1 && !kOpenMp) continue;
    add(
        g + (t == 1 ? "jit_omp1" : "jit"),
        [t](benchmark::State& s) {
          const fx::Array x = fx::array(xs(), {n});
          const auto jf = fx::jit(chain);
          OmpThreads scope(t);
          if (!bench_util::check(s, values(jf(x)), reference())) return;
          s.counters["threads"] = omp_get_max_threads();
          for (auto _ : s) benchmark::DoNotOptimize(jf(x));
          s.SetItemsProcessed(s.iterations() * n);
        },
        benchmark::kMillisecond);
  }
  // Compiled::call into a buffer the caller keeps: no 80 MB output to allocate per call.
  for (int t : {1, 0}) {
    if (t == 1 && !kOpenMp) continue;
    add(
        g + (t == 1 ? "jit_call_omp1" : "jit_call"),
        [t](benchmark::State& s) {
          const std::vector<double> x = xs();
          std::vector<double> y(x.size());
          const fx::Compiled c = fx::jit(chain).lower(fx::array(x, {n})).compile();
          const void* in[] = {x.data()};
          void* out[] = {y.data()};
          OmpThreads scope(t);
          c.call(in, out);
          if (!bench_util::check(s, y, reference())) return;
          s.counters["threads"] = omp_get_max_threads();
          for (auto _ : s) {
            benchmark::DoNotOptimize(x.data());
            c.call(in, out);
            benchmark::DoNotOptimize(y.data());
            benchmark::ClobberMemory();
          }
          s.SetItemsProcessed(s.iterations() * n);
        },
        benchmark::kMillisecond);
  }
}

// ------------------------------------------------------------------ 6: ADBench GMM

void register_gmm() {
  for (auto [d, k] : {std::pair<int, int>{2, 5}, std::pair<int, int>{10, 25}}) {
    const std::string g = "gmm/d:" + std::to_string(d) + "_K:" + std::to_string(k) + "/";
    add(g + "objective_hand", [d = d, k = k](benchmark::State& s) {
      const gmm::Problem p = gmm::problem(d, k, 1000);
      for (auto _ : s) {
        benchmark::DoNotOptimize(p.x.data());
        benchmark::DoNotOptimize(gmm::objective(p));
      }
    });
    const auto objective_check = [](benchmark::State& s, const gmm::Problem& p, double got) {
      return bench_util::check(s, {got}, {gmm::objective(p)});
    };
    add(g + "objective_jit", [d = d, k = k, objective_check](benchmark::State& s) {
      const gmm::Problem p = gmm::problem(d, k, 1000);
      const gmm::FxProblem a = gmm::fx_problem(p);
      const auto f = fx::jit(gmm::objective_fx(p));
      if (!objective_check(s, p, f(a.alphas, a.means, a.icf).item<double>())) return;
      for (auto _ : s) benchmark::DoNotOptimize(f(a.alphas, a.means, a.icf));
    });
    add(g + "objective_eager", [d = d, k = k, objective_check](benchmark::State& s) {
      const gmm::Problem p = gmm::problem(d, k, 1000);
      const gmm::FxProblem a = gmm::fx_problem(p);
      const auto f = gmm::objective_fx(p);
      if (!objective_check(s, p, f(a.alphas, a.means, a.icf).item<double>())) return;
      for (auto _ : s) benchmark::DoNotOptimize(f(a.alphas, a.means, a.icf));
    });
    // The gradient with respect to (alphas, means, icf), checked against
    // central differences of the plain C++ objective at 60 of its entries
    // (good to ~1e-8 relative here, not to check.hpp's 1e-9).
    const auto grad_check = [](benchmark::State& s, const gmm::Problem& p, const std::vector<fx::Array>& g) {
      std::vector<double> got;
      for (const fx::Array& a : g)
        for (double v : values(a)) got.push_back(v);
      const auto [idx, want] = gmm::finite_differences(p, 60);
      double err = got.size() == p.parameters() ? 0.0 : INFINITY, scale = 0;
      for (size_t i = 0; i < idx.size() && got.size() == p.parameters(); ++i) {
        err = std::max(err, std::abs(got[idx[i]] - want[i]));
        scale = std::max(scale, std::abs(want[i]));
      }
      const double rel = err / scale;
      s.counters["fd_rel_err"] = rel;
      if (!(rel < 1e-6)) {
        s.SkipWithError(("gradient differs from central differences, rel_err " + std::to_string(rel)).c_str());
        return false;
      }
      return true;
    };
    add(g + "grad_jit", [d = d, k = k, grad_check](benchmark::State& s) {
      const gmm::Problem p = gmm::problem(d, k, 1000);
      const gmm::FxProblem a = gmm::fx_problem(p);
      const auto df = fx::jit(fx::grad(gmm::objective_fx(p), {0, 1, 2}));
      if (!grad_check(s, p, df(a.alphas, a.means, a.icf))) return;
      for (auto _ : s) benchmark::DoNotOptimize(df(a.alphas, a.means, a.icf));
    });
    add(g + "grad_eager", [d = d, k = k, grad_check](benchmark::State& s) {
      const gmm::Problem p = gmm::problem(d, k, 1000);
      const gmm::FxProblem a = gmm::fx_problem(p);
      const auto df = fx::grad(gmm::objective_fx(p), {0, 1, 2});
      if (!grad_check(s, p, df(a.alphas, a.means, a.icf))) return;
      for (auto _ : s) benchmark::DoNotOptimize(df(a.alphas, a.means, a.icf));
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  // The child processes of the process/ benchmarks.
  if (const char* mode = std::getenv("FLUXION_JIT_BENCH_CHILD")) {
    if (std::string(mode) == "empty") return 0;
    if (std::string(mode) == "load") return child_load();
    std::fprintf(stderr, "FLUXION_JIT_BENCH_CHILD must be 'empty' or 'load'\n");
    return 2;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("omp_max_threads", std::to_string(omp_get_max_threads()));
  benchmark::AddCustomContext("jit_cache", fx::compiler::cache_directory().string());
  register_ackley();
  register_rational();
  register_compile();
  register_process();
  register_dispatch();
  register_openmp();
  register_gmm();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (!g_warm_dir.empty()) fs::remove_all(g_warm_dir);
  return 0;
}
