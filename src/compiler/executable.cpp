// Executables: the compiled entry point with its constants and scratch, and
// the driver from a closed jaxpr to one (optimise, emit, build, load).
#include "compiler/executable.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>

#include "compiler/codegen.hpp"
#include "compiler/passes.hpp"
#include "compiler/runtime.hpp"
#include "compiler/toolchain.hpp"
#include "core/value.hpp"
#include "fluxion/errors.hpp"
#include "kernels/gemm.hpp"
#include "kernels/unary_math.hpp"

namespace fluxion::compiler {

bool eager_mode() {
  static const bool eager = [] {
    const char* mode = std::getenv("FLUXION_JIT");
    return mode && std::string(mode) == "eager";
  }();
  return eager;
}

namespace {

// The program run by the interpreters (FLUXION_JIT=eager).
class InterpretedExecutable final : public Executable {
 public:
  explicit InterpretedExecutable(const ClosedJaxpr& program) : program_(program) {
    for (int v : program_.jaxpr.invars) inputs_.push_back(program_.jaxpr.var_types[v]);
    for (const Atom& a : program_.jaxpr.outvars) outputs_.push_back(program_.jaxpr.type_of(a));
  }
  std::vector<Array> run(std::span<const Array> args) const override {
    return eval_jaxpr(program_.jaxpr, program_.consts, args);
  }
  void call(const void* const* inputs, void* const* outputs) const override {
    std::vector<Array> args;
    for (size_t i = 0; i < inputs_.size(); ++i) {
      auto v = detail::allocate(inputs_[i]);
      std::memcpy(v->mutable_data(), inputs[i], static_cast<size_t>(inputs_[i].size()) * itemsize(inputs_[i].dtype));
      args.push_back(detail::to_array(std::move(v)));
    }
    std::vector<Array> outs = run(args);
    for (size_t o = 0; o < outs.size(); ++o)
      std::memcpy(outputs[o], outs[o].data(), static_cast<size_t>(outputs_[o].size()) * itemsize(outputs_[o].dtype));
  }
  const std::string& source() const override { return source_; }
  std::span<const AbstractValue> input_types() const override { return inputs_; }
  std::span<const AbstractValue> output_types() const override { return outputs_; }

 private:
  ClosedJaxpr program_;
  std::vector<AbstractValue> inputs_, outputs_;
  std::string source_;
};

// The scratch arena of this thread, one per nesting depth (a kernel called
// back from compiled code may run another compiled function).
class ScratchArenas {
 public:
  char* get(size_t depth, size_t bytes) {
    if (arenas_.size() <= depth) arenas_.resize(depth + 1);
    Arena& a = arenas_[depth];
    if (a.bytes < bytes) {
      a.data.reset(static_cast<char*>(::operator new(bytes, std::align_val_t(64))));
      a.bytes = bytes;
    }
    return a.data.get();
  }

 private:
  struct Free {
    void operator()(char* p) const { ::operator delete(p, std::align_val_t(64)); }
  };
  struct Arena {
    std::unique_ptr<char, Free> data;
    size_t bytes = 0;
  };
  std::vector<Arena> arenas_;
};
thread_local ScratchArenas t_arenas;
thread_local size_t t_depth = 0;

using EntryPoint = void (*)(const void* const*, void* const*, const void* const*, char*, const fx_runtime*);

// The program compiled to a shared object.
class NativeExecutable final : public Executable {
 public:
  // `original` is the program before optimisation: its types (weak types
  // included) are what pjit's abstract evaluation promised.
  // `program` and `subprograms` are the unit's functions' programs, in
  // function order (codegen.hpp: Generated).
  NativeExecutable(const ClosedJaxpr& original, ClosedJaxpr program, std::vector<ClosedJaxpr> subprograms,
                   std::string source, std::shared_ptr<const SharedObject> object)
      : source_(std::move(source)), object_(std::move(object)) {
    const Jaxpr& j = original.jaxpr;
    for (int v : j.invars) inputs_.push_back(j.var_types[v]);
    for (const Atom& a : j.outvars) outputs_.push_back(j.type_of(a));
    programs_.push_back(std::move(program));
    for (ClosedJaxpr& sub : subprograms) programs_.push_back(std::move(sub));
    for (const ClosedJaxpr& p : programs_)
      for (const Array& c : p.consts) const_ptrs_.push_back(c.data());
    entry_ = reinterpret_cast<EntryPoint>(object_->symbol("fx_entry"));
    scratch_bytes_ = static_cast<size_t>(*static_cast<const long long*>(object_->symbol("fx_scratch_bytes")));
    // One runtime per function: its ctx is that function's program, which
    // call_eqn's equation indices refer to.
    for (const ClosedJaxpr& p : programs_)
      runtimes_.push_back(fx_runtime{const_cast<ClosedJaxpr*>(&p), &call_eqn, &runtime_unary, &runtime_binary,
                                     &runtime_gemm, runtime_unary_vector()});
  }

  std::vector<Array> run(std::span<const Array> args) const override {
    const void* ins[16];
    std::vector<const void*> many;
    const void** in = ins;
    if (args.size() > 16) {
      many.resize(args.size());
      in = many.data();
    }
    for (size_t i = 0; i < args.size(); ++i) in[i] = args[i].data();
    std::vector<Array> outs;
    outs.reserve(outputs_.size());
    void* out_ptrs[16];
    std::vector<void*> many_out;
    void** out = out_ptrs;
    if (outputs_.size() > 16) {
      many_out.resize(outputs_.size());
      out = many_out.data();
    }
    for (size_t o = 0; o < outputs_.size(); ++o) {
      auto v = detail::allocate(outputs_[o]);
      out[o] = v->mutable_data();
      outs.push_back(detail::to_array(std::move(v)));
    }
    call(in, out);
    return outs;
  }

  void call(const void* const* inputs, void* const* outputs) const override {
    char* scratch = t_arenas.get(t_depth, scratch_bytes_ ? scratch_bytes_ : 64);
    ++t_depth;
    struct Leave {
      ~Leave() { --t_depth; }
    } leave;
    entry_(inputs, outputs, const_ptrs_.data(), scratch, runtimes_.data());
  }

  const std::string& source() const override { return source_; }
  std::span<const AbstractValue> input_types() const override { return inputs_; }
  std::span<const AbstractValue> output_types() const override { return outputs_; }

 private:
  // An equation lowered to its eager kernel: its operands are wrapped as
  // arrays without copying, its results copied into the compiled function's
  // buffers.
  static void call_eqn(void* ctx, int index, const void* const* in, void* const* out) {
    const Jaxpr& j = static_cast<const ClosedJaxpr*>(ctx)->jaxpr;
    const JaxprEqn& e = j.eqns[static_cast<size_t>(index)];
    std::vector<Array> inputs;
    inputs.reserve(e.inputs.size());
    for (size_t k = 0; k < e.inputs.size(); ++k) {
      // A non-null owner that frees nothing: values aliasing a buffer (reshape)
      // then share it instead of copying an inline value's 64 bytes.
      std::shared_ptr<void> borrowed(const_cast<void*>(in[k]), [](void*) {});
      inputs.push_back(Array(std::make_shared<detail::ConcreteValue>(j.type_of(e.inputs[k]), std::move(borrowed),
                                                                     const_cast<void*>(in[k]))));
    }
    std::vector<AbstractValue> out_types;
    for (int v : e.outputs) out_types.push_back(j.var_types[static_cast<size_t>(v)]);
    std::vector<Array> results = e.primitive->impl(*e.primitive, inputs, out_types, e.params);
    for (size_t k = 0; k < results.size(); ++k)
      std::memcpy(out[k], results[k].data(), static_cast<size_t>(out_types[k].size()) * itemsize(out_types[k].dtype));
  }

  std::vector<ClosedJaxpr> programs_;  // by function; runtimes_ point into it, so it never grows after construction
  std::string source_;
  std::shared_ptr<const SharedObject> object_;
  std::vector<AbstractValue> inputs_, outputs_;
  std::vector<const void*> const_ptrs_;
  EntryPoint entry_ = nullptr;
  size_t scratch_bytes_ = 0;
  std::vector<fx_runtime> runtimes_;
};


// libgomp's threads spin between parallel loops by default (an "active" wait):
// on a machine shared with another busy process that spinning starves the
// real work (measured: Ackley's gradient at d = 100000 took 0.84-1.0 ms on two
// threads beside a busy process, against 0.31 ms with a passive wait). So,
// unless the user chose a policy, the first compiled object that uses OpenMP
// is loaded with OMP_WAIT_POLICY=passive: libgomp reads it when it is loaded.
// (A process that already uses OpenMP keeps its own settings.)
void prefer_passive_openmp_threads() {
  static std::once_flag once;
  std::call_once(once, [] { setenv("OMP_WAIT_POLICY", "passive", /*overwrite=*/0); });
}

}  // namespace

ClosedJaxpr optimized(const ClosedJaxpr& program) {
  ClosedJaxpr p{program.jaxpr, program.consts, nullptr};
  optimize(p);
  name_dropped_outputs(p);
  for (const JaxprEqn& e : p.jaxpr.eqns)
    if (!e.primitive->lower)
      throw Error("jit: primitive '" + std::string(e.primitive->name) + "' has no lowering rule");
  return p;
}

void runtime_unary(int op, int is_f32, const void* in, void* out, long long n) {
  const auto k = static_cast<kernels::UnaryMath>(op);
  if (is_f32) kernels::unary_math(k, static_cast<const float*>(in), static_cast<float*>(out), n);
  else kernels::unary_math(k, static_cast<const double*>(in), static_cast<double*>(out), n);
}

const void* const* runtime_unary_vector() {
  static const auto table = [] {
    constexpr int kOps = static_cast<int>(kernels::UnaryMath::sqrt) + 1;
    std::array<const void*, 2 * kOps> t{};
    for (int op = 0; op < kOps; ++op)
      for (int f32 = 0; f32 < 2; ++f32)
        t[static_cast<size_t>(op * 2 + f32)] = kernels::unary_vector_function(static_cast<kernels::UnaryMath>(op), f32 != 0).fn;
    return t;
  }();
  return table.data();
}

void runtime_binary(int op, int is_f32, const void* a, const void* b, void* out, long long n, int a_scalar,
                    int b_scalar) {
  const auto k = static_cast<kernels::BinaryMath>(op);
  auto run = [&]<class T>(T*) {
    const T* x = static_cast<const T*>(a);
    const T* y = static_cast<const T*>(b);
    T* o = static_cast<T*>(out);
    if (a_scalar && b_scalar) {  // one value over the block (operands broadcast along it)
      if (n <= 0) return;
      kernels::binary_math(k, x, y, o, 1);
      std::fill(o + 1, o + n, o[0]);
    } else if (b_scalar) kernels::binary_math_scalar_rhs(k, x, y[0], o, n);
    else if (a_scalar) kernels::binary_math_scalar_lhs(k, x[0], y, o, n);
    else kernels::binary_math(k, x, y, o, n);
  };
  if (is_f32) run(static_cast<float*>(nullptr));
  else run(static_cast<double*>(nullptr));
}

void runtime_gemm(int is_f32, int trans_a, int trans_b, long long m, long long n, long long k, const void* a,
                  long long lda, const void* b, long long ldb, void* c, long long ldc) {
  kernels::gemm(is_f32 != 0, trans_a != 0, trans_b != 0, m, n, k, a, lda, b, ldb, c, ldc);
}

std::shared_ptr<const Executable> compile(const ClosedJaxpr& program, std::string_view name) {
  if (eager_mode()) return std::make_shared<InterpretedExecutable>(program);
  ClosedJaxpr p = optimized(program);
  Generated g = generate(p, name);
  if (g.openmp) prefer_passive_openmp_threads();
  auto object = load_or_build(BuildRequest{g.source, g.openmp});
  return std::make_shared<NativeExecutable>(program, std::move(p), std::move(g.subprograms), std::move(g.source),
                                            std::move(object));
}

std::string generate_source(const ClosedJaxpr& program, std::string_view name) {
  return generate(optimized(program), name).source;
}

}  // namespace fluxion::compiler
