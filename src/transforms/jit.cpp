// jit's driver: traces f once per signature into a program, which runs as
// the pjit primitive (under transformations) or straight through its
// compiled code (on concrete arguments, the dispatch fast path).
#include "fluxion/jit.hpp"

#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "compiler/executable.hpp"
#include "interpreters/interpreter.hpp"
#include "primitives/pjit.hpp"
#include "primitives/primitives.hpp"

namespace fluxion {

namespace detail {
namespace {

struct SignatureKey {
  std::string statics;
  std::vector<AbstractValue> avals;
  bool operator==(const SignatureKey&) const = default;
};

struct SignatureHash {
  size_t operator()(const SignatureKey& k) const noexcept {
    size_t h = std::hash<std::string>{}(k.statics);
    auto mix = [&h](size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    for (const AbstractValue& a : k.avals) {
      mix(static_cast<size_t>(a.dtype) * 2 + (a.weak_type ? 1 : 0));
      for (int64_t d : a.shape) mix(static_cast<size_t>(d));
      mix(a.shape.size());
    }
    return h;
  }
};

// A traced program, and the values it reads that are an outer
// transformation's tracers (lifted to leading operands of pjit).
struct Traced {
  JaxprParam program;
  std::vector<Array> lifted;
};

Traced trace(const Fn& f, const std::vector<Array>& args) {
  ClosedJaxpr closed = make_jaxpr_core(f, args, /*keep_unused=*/false);
  Traced t;
  // Closure conversion: a captured tracer of an enclosing transformation
  // cannot be a constant of a program that outlives it; it becomes an operand.
  std::vector<int> constvars, lifted_vars;
  std::vector<Array> consts;
  for (size_t i = 0; i < closed.consts.size(); ++i) {
    if (closed.consts[i].value()->is_tracer()) {
      lifted_vars.push_back(closed.jaxpr.constvars[i]);
      t.lifted.push_back(closed.consts[i]);
    } else {
      constvars.push_back(closed.jaxpr.constvars[i]);
      consts.push_back(closed.consts[i]);
    }
  }
  if (!lifted_vars.empty()) {
    closed.jaxpr.constvars = std::move(constvars);
    closed.consts = std::move(consts);
    closed.jaxpr.invars.insert(closed.jaxpr.invars.begin(), lifted_vars.begin(), lifted_vars.end());
  }
  t.program = make_jaxpr_param(std::move(closed));
  return t;
}

}  // namespace

struct JitCore::Cache {
  // Written once, under `mutex`; `ready` publishes it to the lock-free
  // reads of later calls (a mutex and a flag rather than std::call_once: a
  // trace that throws must leave the entry retryable).
  struct Entry {
    std::mutex mutex;
    std::atomic<bool> ready{false};
    JaxprParam program;
    TreeDef out_tree;  // the result's structure, when the caller keeps one
    void publish(JaxprParam p, const std::shared_ptr<TreeDef>& tree) {
      program = std::move(p);
      if (tree) out_tree = *tree;
      ready.store(true, std::memory_order_release);
    }
  };
  std::shared_mutex mutex;
  std::unordered_map<SignatureKey, std::shared_ptr<Entry>, SignatureHash> entries;

  std::shared_ptr<Entry> entry(SignatureKey key) {
    {
      std::shared_lock lock(mutex);
      if (auto it = entries.find(key); it != entries.end()) return it->second;
    }
    std::unique_lock lock(mutex);
    auto [it, inserted] = entries.try_emplace(std::move(key), nullptr);
    if (inserted) it->second = std::make_shared<Entry>();
    return it->second;
  }
};

JitCore::JitCore(std::string name) : name_(std::move(name)), cache_(std::make_unique<Cache>()) {}
JitCore::~JitCore() = default;

namespace {

SignatureKey key_of(const std::string& statics, const std::vector<Array>& args) {
  SignatureKey key{statics, {}};
  key.avals.reserve(args.size());
  for (const Array& a : args) {
    if (!a.valid()) throw TypeError("jit: an argument is an empty Array handle (default-constructed)");
    key.avals.push_back(a.aval());
  }
  return key;
}

}  // namespace

// The program for this signature and the operands to run it on; the
// result's structure goes to `out_tree` when given.
static std::pair<JaxprParam, std::vector<Array>> program_for(JitCore::Cache& cache, const Fn& f,
                                                            const std::string& statics,
                                                            const std::vector<Array>& args,
                                                            const std::shared_ptr<TreeDef>& out_tree) {
  auto entry = cache.entry(key_of(statics, args));
  auto ready = [&] {
    if (out_tree) *out_tree = entry->out_tree;
    return std::pair{entry->program, args};
  };
  if (entry->ready.load(std::memory_order_acquire)) return ready();
  if (!any_interpreter_active()) {
    // Nothing to capture but concrete values: the trace is reusable. One
    // trace per signature even when many threads make the first call.
    std::lock_guard lock(entry->mutex);
    if (!entry->ready.load(std::memory_order_relaxed)) entry->publish(trace(f, args).program, out_tree);
    return ready();
  }
  Traced t = trace(f, args);
  if (t.lifted.empty()) {
    std::lock_guard lock(entry->mutex);
    if (!entry->ready.load(std::memory_order_relaxed)) entry->publish(std::move(t.program), out_tree);
    return ready();
  }
  // Closes over an enclosing transformation's tracers: valid for this call
  // only (f has just written out_tree).
  std::vector<Array> operands = std::move(t.lifted);
  operands.insert(operands.end(), args.begin(), args.end());
  return {t.program, std::move(operands)};
}

std::vector<Array> JitCore::call(const Fn& f, const std::string& statics, const std::vector<Array>& args,
                                 const std::shared_ptr<TreeDef>& out_tree) {
  auto [program, operands] = program_for(*cache_, f, statics, args, out_tree);
  if (!dynamic_interpreter() && all_concrete(operands)) return prim::run_program(program, name_, operands);
  return fluxion::bind(prim::pjit_p, operands, prim::pjit_params(program, name_));
}

Lowered JitCore::lower(const Fn& f, const std::string& statics, const std::vector<Array>& args) {
  auto [program, operands] = program_for(*cache_, f, statics, args, nullptr);
  if (operands.size() != args.size())
    throw Error("jit(" + name_ + ").lower: the function closes over values of an enclosing transformation "
                "(tracers); lower it outside grad/vmap/make_jaxpr, or pass those values as arguments");
  return Lowered(program, name_);
}

void throw_static_array_error(size_t position) {
  throw TypeError("jit: static argument " + std::to_string(position) +
                  " is an fx::Array or a pytree of them; static arguments are part of the cache key and must be numbers, enums, "
                  "bools or strings (pass the array as a traced argument, or its value as a C++ scalar)");
}

void check_static_argnums(const std::vector<int>& argnums, size_t arity) {
  const int n = static_cast<int>(arity);
  for (int a : argnums)
    if (a < -n || a >= n)
      throw ValueError("jit: static_argnums " + std::to_string(a) + " is out of bounds for a function called with " +
                       std::to_string(n) + " positional argument(s)");
}

}  // namespace detail

// ---------------------------------------------------------------- Lowered, Compiled

std::string Lowered::as_text() const { return program_->str(); }
std::string Lowered::source() const { return compiler::generate_source(*program_, name_); }
Compiled Lowered::compile() const { return Compiled(prim::compiled_program(program_, name_)); }

Compiled::Compiled(std::shared_ptr<const compiler::Executable> executable) : executable_(std::move(executable)) {}

std::vector<Array> Compiled::operator()(const std::vector<Array>& args) const {
  const auto types = executable_->input_types();
  if (args.size() != types.size())
    throw TypeError("Compiled: the program takes " + std::to_string(types.size()) + " argument(s), got " +
                    std::to_string(args.size()));
  for (size_t i = 0; i < args.size(); ++i) {
    if (!args[i].valid()) throw TypeError("Compiled: argument " + std::to_string(i) + " is an empty Array handle");
    if (args[i].value()->is_tracer())
      throw TypeError("Compiled: argument " + std::to_string(i) +
                      " is a tracer; a Compiled program runs on concrete arrays (use fx::jit(f) inside "
                      "transformations: it composes with them)");
    if (args[i].shape() != types[i].shape || args[i].dtype() != types[i].dtype)
      throw TypeError("Compiled: argument " + std::to_string(i) + " has type " + to_string(args[i].aval()) +
                      " but the program was compiled for " + to_string(types[i]) +
                      " (lower and compile again for new shapes or dtypes, or call the jit function)");
  }
  return executable_->run(args);
}

void Compiled::call(const void* const* inputs, void* const* outputs) const { executable_->call(inputs, outputs); }
std::span<const AbstractValue> Compiled::input_types() const { return executable_->input_types(); }
std::span<const AbstractValue> Compiled::output_types() const { return executable_->output_types(); }
const std::string& Compiled::source() const { return executable_->source(); }

}  // namespace fluxion
