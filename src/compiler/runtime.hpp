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
// the calling thread.
#pragma once

#define FLUXION_RUNTIME_ABI                                                                        \
  struct fx_runtime {                                                                              \
    void* ctx;                                                                                     \
    void (*call_eqn)(void* ctx, int eqn, const void* const* in, void* const* out);                 \
    void (*unary)(int op, int is_f32, const void* in, void* out, long long n);                     \
    void (*binary)(int op, int is_f32, const void* a, const void* b, void* out, long long n,      \
                   int a_scalar, int b_scalar);                                                    \
    void (*gemm)(int is_f32, int trans_a, int trans_b, long long m, long long n, long long k,       \
                 const void* a, long long lda, const void* b, long long ldb, void* c, long long ldc); \
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
// rt->gemm: kernels::gemm (CBLAS), as eager's dot_general calls it.
void runtime_gemm(int is_f32, int trans_a, int trans_b, long long m, long long n, long long k, const void* a,
                  long long lda, const void* b, long long ldb, void* c, long long ldc);

}  // namespace fluxion::compiler
