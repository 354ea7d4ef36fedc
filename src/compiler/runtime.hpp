// The ABI between a compiled function and the library that loaded it. The
// generated source carries the same struct, as text (kRuntimeAbiText), so the
// two cannot drift apart: both come from FLUXION_RUNTIME_ABI.
//
// The entry point of every generated object:
//   extern "C" void fx_entry(const void* const* in, void* const* out,
//                            const void* const* consts, char* scratch,
//                            const fx_runtime* rt);
//   extern "C" const long long fx_scratch_bytes;
// `scratch` is a 64-byte aligned arena of fx_scratch_bytes bytes, private to
// the calling thread. `consts` holds the constants of every function of the
// unit (fx_entry's first, then each sub-program's), and `rt` points at one
// runtime per function (fx_entry's first), whose ctx names that function's
// program for call_eqn (codegen.hpp: Generated::subprograms).
#pragma once

#include <string>

#define FLUXION_RUNTIME_ABI                                                                        \
  struct fx_runtime {                                                                              \
    void* ctx;                                                                                     \
    void (*call_eqn)(void* ctx, int eqn, const void* const* in, void* const* out);                 \
    void (*unary)(int op, int is_f32, const void* in, void* out, long long n);                     \
    void (*binary)(int op, int is_f32, const void* a, const void* b, void* out, long long n,      \
                   int a_scalar, int b_scalar);                                                    \
    void (*gemm)(int is_f32, int trans_a, int trans_b, long long m, long long n, long long k,       \
                 const void* a, long long lda, const void* b, long long ldb, void* c, long long ldc); \
    const void* const* unary_vector; /* [op * 2 + is_f32]: kernels::unary_vector_function */     \
  };

FLUXION_RUNTIME_ABI

#define FLUXION_STRINGIFY_(...) #__VA_ARGS__
#define FLUXION_STRINGIFY(...) FLUXION_STRINGIFY_(__VA_ARGS__)

namespace fluxion::compiler {

inline constexpr const char* kRuntimeAbiText = FLUXION_STRINGIFY(FLUXION_RUNTIME_ABI);

// The kernels behind rt->unary / rt->binary: eager's own (kernels/unary_math).
void runtime_unary(int op, int is_f32, const void* in, void* out, long long n);
void runtime_binary(int op, int is_f32, const void* a, const void* b, void* out, long long n, int a_scalar,
                    int b_scalar);
// rt->unary_vector: the table of kernels::unary_vector_function, the same
// for every executable of the process.
const void* const* runtime_unary_vector();
// The C++ of fx_unary_vector_f64/_f32(op, in, out, n, rt): eager's bare SLEEF
// call of `op` on whole vectors of a block (kernels::unary_vector_function),
// in registers. Written after the fx_runtime struct.
std::string unary_vector_helpers();
// rt->gemm: kernels::gemm (CBLAS), as eager's dot_general calls it.
void runtime_gemm(int is_f32, int trans_a, int trans_b, long long m, long long n, long long k, const void* a,
                  long long lda, const void* b, long long ldb, void* c, long long ldc);

}  // namespace fluxion::compiler
