/// @file
/// `fx::jit`: f compiled to native code, per input signature
/// ([docs/ARCHITECTURE.md](docs/ARCHITECTURE.md), "Transformations" and "How
/// jit(f)(x) flows").
///
/// ```
///   auto df = fx::jit(fx::grad(f));
///   df(x);                                  // traced, compiled and cached on the first call
///   auto lowered = fx::jit(f).lower(x);     // jax.jit(f).lower(x)
///   lowered.as_text();                      // the jaxpr
///   lowered.source();                       // the generated C++
///   fx::Compiled c = lowered.compile();
///   c(x);                                   // on Arrays
///   c.call(inputs, outputs);                // on raw row-major buffers
/// ```
///
/// A jitted function is the primitive `pjit[name=... jaxpr=...]`, so every
/// transformation passes through it: grad(jit(f)), jit(grad(f)), vmap(jit(f)),
/// jit inside jit. Arguments are traced (abstract: shape, dtype and weak type
/// are the cache key; a pytree argument's structure too) unless they are
/// static: listed in `static_argnums`, or not taken by f as an Array or a tree
/// of them (an int order f takes as an int, an enum, a string), which f then
/// receives as it was passed; static values are part of the cache key, so
/// they must be numbers, enums, bools or strings. Results may be any pytree.
/// As in JAX, values f captures are read when it is traced: a captured
/// variable changed later is not seen by calls that hit the cache.
/// FLUXION_JIT=eager runs jitted functions through the interpreters. Fused
/// loops with at least FLUXION_JIT_PARALLEL_WORK element-operations (default
/// 2000000) run on OpenMP threads (OMP_NUM_THREADS).
#pragma once

#include <array>
#include <memory>
#include <tuple>
#include <span>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "fluxion/errors.hpp"
#include "fluxion/pytree.hpp"
#include "fluxion/transforms.hpp"

namespace fluxion {

struct JitOptions {
  std::vector<int> static_argnums = {};  ///< negative counts from the end
  std::string name = {};  ///< in jaxprs and generated code; default "jit_fn"
};

namespace compiler {
class Executable;
}

/// A compiled program (JAX's Compiled): call it on Arrays, or through the raw
/// entry point on buffers the caller owns.
class Compiled {
 public:
  explicit Compiled(std::shared_ptr<const compiler::Executable> executable);

  /// The traced arguments, in order (static arguments were fixed by lower()).
  std::vector<Array> operator()(const std::vector<Array>& args) const;
  template <class... A> std::vector<Array> operator()(const A&... args) const {
    return (*this)(std::vector<Array>{Array(args)...});
  }

  /// The raw entry point, for callers that hold their own memory. ABI:
  /// inputs[i] points at input i's elements, outputs[j] at room for output
  /// j's; row-major, densely packed, of the dtypes of input_types() and
  /// output_types() (bool is one byte). Outputs must not overlap inputs.
  /// Thread-safe; allocates nothing after the first call on a thread.
  void call(const void* const* inputs, void* const* outputs) const;

  std::span<const AbstractValue> input_types() const;
  std::span<const AbstractValue> output_types() const;
  const std::string& source() const;

 private:
  std::shared_ptr<const compiler::Executable> executable_;
};

/// A program traced for one signature (JAX's Lowered).
class Lowered {
 public:
  Lowered(JaxprParam program, std::string name) : program_(std::move(program)), name_(std::move(name)) {}
  std::string as_text() const;  ///< the jaxpr, as make_jaxpr prints it
  std::string source() const;   ///< the C++ that compile() builds
  Compiled compile() const;
  const ClosedJaxpr& jaxpr() const { return *program_; }

 private:
  JaxprParam program_;
  std::string name_;
};

namespace detail {

// One argument's contribution to the cache key: its type and value.
template <class T> std::string static_key(const T& v) {
  using D = std::decay_t<T>;
  if constexpr (std::is_same_v<D, std::string>) return "s:" + v;
  else if constexpr (std::is_convertible_v<const D&, std::string_view>) return "s:" + std::string(v);
  else if constexpr (std::is_enum_v<D>) return std::string(typeid(D).name()) + ":" + std::to_string(std::underlying_type_t<D>(v));
  else if constexpr (std::is_arithmetic_v<D>) return std::string(typeid(D).name()) + ":" + std::to_string(v);
  else
    static_assert(std::is_arithmetic_v<D>,
                  "fx::jit: a static argument must be a number, an enum, a bool or a string (it is part of the "
                  "cache key); pass arrays as traced arguments");
}

// The type-erased part of a jitted function: its cache of traced programs.
class JitCore {
 public:
  explicit JitCore(std::string name);
  ~JitCore();
  // f's outputs on `args` (the traced arguments); `statics` is the key of the
  // static ones, which `f` has bound.
  // With `out_tree`, the result's structure for this signature is stored
  // with its program and written there on every call.
  std::vector<Array> call(const Fn& f, const std::string& statics, const std::vector<Array>& args,
                          const std::shared_ptr<TreeDef>& out_tree = nullptr);
  Lowered lower(const Fn& f, const std::string& statics, const std::vector<Array>& args);
  const std::string& name() const { return name_; }
  struct Cache;  // signature -> traced program (src/transforms/jit.cpp)

 private:
  std::string name_;
  std::unique_ptr<Cache> cache_;
};

[[noreturn]] void throw_static_array_error(size_t position);
void check_static_argnums(const std::vector<int>& argnums, size_t arity);

// An argument is traced when it is a pytree (an Array, a number, a container
// of them, a registered struct) that f accepts rebuilt as its tree type;
// anything else (a string, an enum) is static.
template <bool Traced, class T> struct jit_arg {
  using type = const T&;
};
template <class T> struct jit_arg<true, T> {
  using type = tree_value_t<T>;
};

// Whether argument I (of types A...) is traced.
template <class F, size_t I, class... A> consteval bool traceable() {
  using T = std::decay_t<std::tuple_element_t<I, std::tuple<A...>>>;
  if constexpr (!is_tree_v<T>) {
    return false;
  } else {
    return []<size_t... J>(std::index_sequence<J...>) {
      return std::is_invocable_v<const F&, std::conditional_t<J == I, tree_value_t<T>, const A&>...>;
    }(std::index_sequence_for<A...>{});
  }
}

// Whether f can be called with A... (traced arguments as their trees), and what it returns.
template <class F, class... A, size_t... I> constexpr bool jit_callable(std::index_sequence<I...>) {
  return std::is_invocable_v<const F&, typename jit_arg<traceable<F, I, A...>(), A>::type...>;
}
template <class F, class... A, size_t... I> auto jit_result(std::index_sequence<I...>) {
  return std::type_identity<
      std::decay_t<std::invoke_result_t<const F&, typename jit_arg<traceable<F, I, A...>(), A>::type...>>>{};
}

}  // namespace detail

template <class F> class JitFunction {
 public:
  JitFunction(F f, JitOptions options)
      : f_(std::move(f)), static_argnums_(std::move(options.static_argnums)),
        core_(std::make_shared<detail::JitCore>(options.name.empty() ? "jit_fn" : std::move(options.name))) {}

  template <class... A>
    requires(detail::jit_callable<F, A...>(std::index_sequence_for<A...>{}))  // SFINAE-friendly: jvp probes arities
  auto operator()(const A&... a) const {
    using Result = typename decltype(detail::jit_result<F, A...>(std::index_sequence_for<A...>{}))::type;
    // An Array or std::vector<Array> result comes back as the outputs
    // themselves (the dispatch fast path); other trees through their structure.
    constexpr bool flat_result = std::is_same_v<Result, Array> || detail::is_array_vector<Result>::value;
    std::shared_ptr<TreeDef> out_def = flat_result ? nullptr : std::make_shared<TreeDef>();
    auto [fn, statics, traced] = bind_arguments(out_def, a...);
    std::vector<Array> outs = core_->call(fn, statics, traced, out_def);
    if constexpr (std::is_same_v<Result, Array>) return std::move(outs[0]);
    else if constexpr (flat_result) return outs;
    else return tree_unflatten<tree_value_t<Result>>(*out_def, outs);
  }

  template <class... A>
    requires(detail::jit_callable<F, A...>(std::index_sequence_for<A...>{}))
  Lowered lower(const A&... a) const {
    auto out_def = std::make_shared<TreeDef>();
    auto [fn, statics, traced] = bind_arguments(out_def, a...);
    return core_->lower(fn, statics, traced);
  }

 private:
  // Which arguments are traced (their leaves), the key of the static ones
  // and of the traced ones' structures, and f as a function of the traced
  // leaves with the static arguments bound; it records its result's
  // structure in *out_def when there is one.
  template <class... A> auto bind_arguments(const std::shared_ptr<TreeDef>& out_def, const A&... a) const {
    constexpr size_t N = sizeof...(A);
    detail::check_static_argnums(static_argnums_, N);
    std::array<bool, N> is_static{};
    for (int s : static_argnums_) is_static[static_cast<size_t>(s < 0 ? s + int(N) : s)] = true;
    std::string statics;
    std::vector<Array> traced;
    std::array<size_t, N> slot{};
    // Structures only for arguments that are containers (the dispatch path
    // of Array arguments allocates none).
    constexpr bool has_containers = ((is_tree_v<A> && !std::is_arithmetic_v<A> && !std::is_same_v<A, Array>) || ...);
    using Defs = std::array<TreeDef, N>;
    std::shared_ptr<Defs> defs = has_containers ? std::make_shared<Defs>() : nullptr;
    [&]<size_t... I>(std::index_sequence<I...>) {
      (classify<detail::traceable<F, I, A...>()>(a, I, is_static, statics, traced, slot, defs.get()), ...);
    }(std::index_sequence_for<A...>{});
    // The static arguments by value: Lowered keeps the function.
    detail::Fn fn = [f = f_, args = std::make_tuple(a...), is_static, slot, defs, out_def](const std::vector<Array>& xs) {
      auto result = [&]<size_t... I>(std::index_sequence<I...>) {
        auto pick = [&]<size_t J>(std::integral_constant<size_t, J>) -> decltype(auto) {
          const auto& original = std::get<J>(args);
          using T = std::decay_t<decltype(original)>;
          if constexpr (!detail::traceable<F, J, A...>()) {
            return (original);
          } else if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, Array>) {
            return is_static[J] ? Array(original) : xs[slot[J]];
          } else {
            const TreeDef& def = (*defs)[J];
            return tree_unflatten<tree_value_t<T>>(def, std::span<const Array>(xs).subspan(slot[J], def.num_leaves()));
          }
        };
        return f(pick(std::integral_constant<size_t, I>{})...);
      }(std::index_sequence_for<A...>{});
      auto [outs, def] = tree_flatten(result);
      if (out_def) *out_def = std::move(def);
      return outs;
    };
    return std::make_tuple(std::move(fn), std::move(statics), std::move(traced));
  }

  template <bool Traceable, class T, size_t N>
  static void classify(const T& v, size_t i, std::array<bool, N>& is_static, std::string& statics,
                       std::vector<Array>& traced, std::array<size_t, N>& slot, std::array<TreeDef, N>* defs) {
    if constexpr (Traceable) {
      if (is_static[i]) {
        if constexpr (std::is_arithmetic_v<T>) statics += std::to_string(i) + "=" + detail::static_key(v) + ";";
        else detail::throw_static_array_error(i);
      } else {
        slot[i] = traced.size();
        if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, Array>) {
          traced.emplace_back(v);
        } else {
          // A tree's structure is part of the signature (its leaves' types are too).
          (*defs)[i] = TreeTraits<T>::flatten(v, traced);
          statics += std::to_string(i) + ":" + (*defs)[i].str() + ";";
        }
      }
    } else {
      is_static[i] = true;
      statics += std::to_string(i) + "=" + detail::static_key(v) + ";";
    }
  }

  F f_;
  std::vector<int> static_argnums_;
  std::shared_ptr<detail::JitCore> core_;
};

/// f compiled per input signature; see the top of this file.
template <class F> JitFunction<F> jit(F f, JitOptions options = {}) {
  return JitFunction<F>(std::move(f), std::move(options));
}

}  // namespace fluxion
