// The hand-written f, f', f'' of bench/rational_hand.inc built for this
// machine's best ISA (CMake gives this file alone -O3 -march=native, as
// sleef_baseline.cpp): the "0.8 ns per point for f'" is this loop.
#include <cstddef>

namespace {
#include "rational_hand.inc"
}  // namespace

namespace rational::native {
void f(const double* x, size_t n, double* out) { ::f(x, n, out); }
void d1(const double* x, size_t n, double* out) { ::d1(x, n, out); }
void d2(const double* x, size_t n, double* out) { ::d2(x, n, out); }
}  // namespace rational::native
