// Elementwise transcendental kernels over contiguous float32/float64 buffers.
//
// SIMD with run-time dispatch: one library built for baseline x86-64 runs
// AVX-512 or AVX2 code when the CPU has it, and a scalar loop otherwise.
// Functions come from SLEEF's 1-ulp (u10) variants, except float64 exp, which
// is XLA:CPU's own algorithm (xla_exp.hpp) so results match JAX bit for bit,
// and sqrt, which is the correctly rounded hardware instruction.
// docs/NUMERICS.md lists where results may differ from JAX's in the last ulp.
//
// `out` may be the same pointer as an input (in place); partial overlap is not
// supported. n <= 0 does nothing.
#pragma once

#include <cstdint>

namespace fluxion::kernels {

enum class UnaryMath { sin, cos, tan, tanh, sinh, cosh, asin, acos, atan, exp, expm1, log, log1p, sqrt };

void unary_math(UnaryMath op, const double* in, double* out, int64_t n);
void unary_math(UnaryMath op, const float* in, float* out, int64_t n);

// The function unary_math applies to each whole vector of `op`'s input, where
// that is one bare call (a SLEEF entry point for the CPU's vector width):
// compiled code (jit) calls it on its own registers, so it computes the same
// bits without the kernel's round trip through memory. `fn` has the type
// V (*)(V) for a GCC vector V of `lanes` elements (T (*)(T) when lanes is 1).
// Null for the ops whose kernel is more than that call (float64 exp, sqrt,
// and sinh, cosh, log1p, which fix their large lanes).
struct VectorFunction {
  const void* fn = nullptr;
  int lanes = 0;
};
VectorFunction unary_vector_function(UnaryMath op, bool f32);

// pow(a, b) and atan2(a, b) (a is y, b is x), elementwise; and the four
// IEEE operations, which the compiler would vectorise only for the baseline
// ISA (SSE2) in a portable build.
enum class BinaryMath { pow, atan2, add, sub, mul, div };

void binary_math(BinaryMath op, const double* a, const double* b, double* out, int64_t n);
void binary_math(BinaryMath op, const float* a, const float* b, float* out, int64_t n);

// One operand is a single value broadcast against the other.
void binary_math_scalar_rhs(BinaryMath op, const double* a, double b, double* out, int64_t n);
void binary_math_scalar_rhs(BinaryMath op, const float* a, float b, float* out, int64_t n);
void binary_math_scalar_lhs(BinaryMath op, double a, const double* b, double* out, int64_t n);
void binary_math_scalar_lhs(BinaryMath op, float a, const float* b, float* out, int64_t n);

}  // namespace fluxion::kernels
