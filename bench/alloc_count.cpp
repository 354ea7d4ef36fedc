// Heap allocations per call of the eager workloads autodiff_bench and
// dispatch_bench time. The eager path is allocation-bound at small sizes
// (docs/BENCHMARKS.md, "Where the time goes"), so this count is the figure
// to watch when changing the dispatch path; unlike a timing it is exact and
// does not depend on the load of the machine.
//
// Counts every global operator new (the library's containers, shared_ptrs
// and buffers all go through it) by replacing it for this program only.
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <new>

#include "ackley_fx.hpp"
#include "fluxion/fluxion.hpp"

namespace {
std::atomic<long> g_allocations{0};
std::atomic<long> g_bytes{0};

void* counted(size_t n, size_t align) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(static_cast<long>(n), std::memory_order_relaxed);
  if (n == 0) n = 1;
  void* p = align > alignof(std::max_align_t) ? std::aligned_alloc(align, (n + align - 1) / align * align)
                                              : std::malloc(n);
  if (!p) throw std::bad_alloc();
  return p;
}
}  // namespace

void* operator new(size_t n) { return counted(n, 0); }
void* operator new[](size_t n) { return counted(n, 0); }
void* operator new(size_t n, std::align_val_t a) { return counted(n, static_cast<size_t>(a)); }
void* operator new[](size_t n, std::align_val_t a) { return counted(n, static_cast<size_t>(a)); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { std::free(p); }

namespace fx = fluxion;

namespace {

// Allocations of one call, after a few warm-up calls (so that caches and
// thread-local state built on first use are not counted).
void report(const char* name, const std::function<void()>& body) {
  for (int i = 0; i < 3; ++i) body();
  const long a0 = g_allocations.load(), b0 = g_bytes.load();
  body();
  std::printf("%-28s %8ld allocations %12ld bytes\n", name, g_allocations.load() - a0, g_bytes.load() - b0);
}

}  // namespace

int main() {
  const fx::Array a = fx::array({1.5}).reshape({}), b = fx::array({2.5}).reshape({});
  report("add 0-d", [&] { fx::add(a, b); });
  report("sin 0-d", [&] { fx::sin(a); });
  report("x * 2.0 0-d", [&] { (void)(a * 2.0); });
  for (size_t d : {size_t{3}, size_t{1000}}) {
    const fx::Array x = ackley::fx_point(d);
    const auto df = fx::grad(ackley::ackley_fx);
    const std::string f_name = "ackley f d=" + std::to_string(d);
    const std::string g_name = "ackley grad d=" + std::to_string(d);
    report(f_name.c_str(), [&] { ackley::ackley_fx(x); });
    report(g_name.c_str(), [&] { df(x); });
  }
  for (size_t d : {size_t{3}, size_t{100}}) {
    const fx::Array x = ackley::fx_point(d);
    const auto h = fx::hessian(ackley::ackley_fx);
    const std::string name = "ackley hessian d=" + std::to_string(d);
    report(name.c_str(), [&] { h(x); });
  }
  return 0;
}
