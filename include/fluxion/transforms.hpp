// Function transformations (DESIGN §3 "Transformations"): grad,
// value_and_grad, jvp, vjp, jacfwd, jacrev/jacobian, hessian, vmap, make_jaxpr.
// A function is any callable taking fx::Array arguments (by value or const&)
// and returning an Array; transformed functions accept anything convertible
// to Array, so `fx::grad(f)(2.0)` works. Transformations compose to any depth.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "fluxion/array.hpp"
#include "fluxion/jaxpr.hpp"
#include "fluxion/pytree.hpp"

namespace fluxion {

// Tag for functions returning (value, aux): fx::grad(f, 0, fx::has_aux).
struct HasAux {};
inline constexpr HasAux has_aux{};

// vmap's "this argument (or output) is not mapped", as Python's None in
// jax.vmap(f, in_axes=(0, None)).
struct NoneAxis {
  bool operator==(const NoneAxis&) const = default;
};
inline constexpr NoneAxis none{};

// vmap's in_axes / out_axes: one entry per argument (output), each an axis
// (negative counts from the end) or fx::none; or a single entry for all.
class MapAxes {
 public:
  class Entry {
   public:
    Entry(int axis) : axis_(axis) {}
    Entry(NoneAxis) {}
    const std::optional<int>& axis() const { return axis_; }

   private:
    std::optional<int> axis_;
  };
  MapAxes() : MapAxes(0) {}  // axis 0 of everything
  MapAxes(int axis) : all_(Entry(axis)) {}
  MapAxes(NoneAxis) : all_(Entry(none)) {}
  MapAxes(std::initializer_list<Entry> entries) : entries_(entries) {}
  MapAxes(std::vector<Entry> entries) : entries_(std::move(entries)) {}
  // The entry for position i of n; fx::Error naming `what` when a list has
  // another length.
  std::optional<int> at(size_t i, size_t n, const char* what) const;

 private:
  std::optional<Entry> all_;
  std::vector<Entry> entries_;
};

namespace detail {

using Fn = std::function<std::vector<Array>(const std::vector<Array>&)>;

// The type-erased cores (src/transforms/).
std::pair<std::vector<Array>, std::vector<Array>> jvp_core(const Fn& f, const std::vector<Array>& primals,
                                                           const std::vector<Array>& tangents);
struct Linearized;
struct VjpResult {
  std::vector<Array> outputs;
  std::shared_ptr<const Linearized> linear;
};
VjpResult vjp_core(const Fn& f, const std::vector<Array>& primals);
// Cotangents of the primals from cotangents of the outputs (empty = zero).
std::vector<Array> pullback(const VjpResult& vjp, const std::vector<Array>& cts);
// Gradient of outputs[0] of f (a real 0-d value) with respect to args[argnums];
// the other outputs (aux) are returned unchanged in `outputs`.
std::vector<Array> grad_core(const Fn& f, const std::vector<Array>& args, const std::vector<int>& argnums,
                             std::vector<Array>* outputs, const char* name);
// Jacobians of every output with respect to every args[argnums]:
// result[o][a] has shape outputs[o].shape + args[argnums[a]].shape.
std::vector<std::vector<Array>> jacfwd_core(const Fn& f, const std::vector<Array>& args,
                                            const std::vector<int>& argnums);
std::vector<std::vector<Array>> jacrev_core(const Fn& f, const std::vector<Array>& args,
                                            const std::vector<int>& argnums);
ClosedJaxpr make_jaxpr_core(const Fn& f, const std::vector<Array>& args);
std::vector<Array> vmap_core(const Fn& f, const std::vector<Array>& args, const MapAxes& in_axes,
                             const MapAxes& out_axes, std::optional<int64_t> axis_size);

// Calls f with the first N arrays of xs as separate arguments.
template <class F, size_t... I>
decltype(auto) call_with(F& f, const std::vector<Array>& xs, std::index_sequence<I...>) {
  return f(xs[I]...);
}

template <class T> struct is_array_vector : std::false_type {};
template <> struct is_array_vector<std::vector<Array>> : std::true_type {};

// Normalises a function's result to a vector of arrays.
template <class R> std::vector<Array> as_outputs(R&& r) {
  if constexpr (is_array_vector<std::decay_t<R>>::value) return std::forward<R>(r);
  else return {Array(std::forward<R>(r))};
}

// f as a Fn of N array arguments, its result normalised.
template <size_t N, class F> Fn erase(const F& f) {
  return [f](const std::vector<Array>& xs) mutable { return as_outputs(call_with(f, xs, std::make_index_sequence<N>{})); };
}

[[noreturn]] void throw_arity_error();

template <class F, size_t... I>
std::is_invocable<F&, decltype((void)I, std::declval<Array>())...> invocable_helper(std::index_sequence<I...>);
template <class F, size_t N>
inline constexpr bool invocable_n = decltype(invocable_helper<F>(std::make_index_sequence<N>{}))::value;

// f of runtime arity (jvp's primals vector): dispatches on the count (1 to 8).
template <class F> Fn erase_dynamic(const F& f, size_t n) {
  Fn out;
  [&]<size_t... N>(std::index_sequence<N...>) {
    ((n == N + 1 ? (void)([&] {
       if constexpr (invocable_n<F, N + 1>) out = erase<N + 1>(f);
     }())
                 : (void)0),
     ...);
  }(std::make_index_sequence<8>{});
  if (!out) out = [](const std::vector<Array>&) -> std::vector<Array> { throw_arity_error(); };
  return out;
}

// What F returns when called with N arrays.
template <class F, size_t N>
using result_of_n = std::decay_t<decltype(call_with(std::declval<F&>(), std::declval<const std::vector<Array>&>(),
                                                    std::make_index_sequence<N>{}))>;

template <class... A> std::vector<Array> to_arrays(const A&... a) { return std::vector<Array>{Array(a)...}; }

// ---- pytree arguments: transformations work on the leaves

// The leaves of every argument, in order, and each argument's structure.
struct FlatArgs {
  std::vector<Array> leaves;
  std::vector<TreeDef> defs;
};
template <class... A> FlatArgs flatten_args(const A&... a) {
  FlatArgs out;
  (out.defs.push_back(TreeTraits<std::remove_cvref_t<A>>::flatten(a, out.leaves)), ...);
  return out;
}

// The arguments, of types tree_value_t<A>..., rebuilt from their leaves.
template <class... A>
std::tuple<tree_value_t<A>...> unflatten_args(const std::vector<TreeDef>& defs, std::span<const Array> leaves) {
  return [&]<size_t... I>(std::index_sequence<I...>) {
    std::array<size_t, sizeof...(A) + 1> offset{};
    for (size_t i = 0; i < sizeof...(A); ++i) offset[i + 1] = offset[i] + defs[i].num_leaves();
    if (leaves.size() != offset.back())
      throw Error("internal error: " + std::to_string(leaves.size()) + " leaves for arguments that have " +
                  std::to_string(offset.back()));
    return std::tuple<tree_value_t<A>...>{
        tree_unflatten<tree_value_t<A>>(defs[I], leaves.subspan(offset[I], defs[I].num_leaves()))...};
  }(std::index_sequence_for<A...>{});
}

// What f returns when called with the arguments rebuilt, and that as a tree.
template <class F, class... A> using tree_result_t = std::invoke_result_t<const F&, tree_value_t<A>...>;
template <class F, class... A> using tree_result_value_t = tree_value_t<tree_result_t<F, A...>>;
template <class F, class... A>
inline constexpr bool tree_invocable = (is_tree_v<A> && ...) && std::is_invocable_v<const F&, tree_value_t<A>...>;

// f as a Fn of its arguments' leaves: rebuilds the arguments, calls f and
// flattens its result, whose structure it records in *out_def.
template <class... A, class F>
Fn erase_tree(const F& f, std::vector<TreeDef> defs, std::shared_ptr<TreeDef> out_def) {
  return [f, defs = std::move(defs), out_def](const std::vector<Array>& leaves) {
    auto [outs, def] = tree_flatten(std::apply(f, unflatten_args<A...>(defs, leaves)));
    *out_def = std::move(def);
    return outs;
  };
}

}  // namespace detail

// ---------------------------------------------------------------- grad

template <class F, bool Multi, bool Aux, bool WithValue>
class GradFunction {
 public:
  GradFunction(F f, std::vector<int> argnums) : f_(std::move(f)), argnums_(std::move(argnums)) {}

  template <class... A>
    requires detail::invocable_n<const F, sizeof...(A)>  // SFINAE-friendly: fx::jvp(fx::grad(f), ...) probes arities
  auto operator()(const A&... a) const {
    constexpr size_t N = sizeof...(A);
    using Result = detail::result_of_n<const F, N>;
    if constexpr (Aux) {
      using AuxT = std::decay_t<typename Result::second_type>;
      std::optional<AuxT> aux;
      const detail::Fn fn = [&](const std::vector<Array>& xs) {
        auto r = detail::call_with(f_, xs, std::make_index_sequence<N>{});
        aux.emplace(std::move(r.second));
        return std::vector<Array>{Array(std::move(r.first))};
      };
      std::vector<Array> outputs;
      std::vector<Array> g = detail::grad_core(fn, detail::to_arrays(a...), argnums_, &outputs, name());
      auto grads = pick(std::move(g));
      if constexpr (WithValue) return std::make_pair(std::make_pair(outputs[0], std::move(*aux)), std::move(grads));
      else return std::make_pair(std::move(grads), std::move(*aux));
    } else {
      std::vector<Array> outputs;
      std::vector<Array> g = detail::grad_core(detail::erase<N>(f_), detail::to_arrays(a...), argnums_, &outputs, name());
      auto grads = pick(std::move(g));
      if constexpr (WithValue) return std::make_pair(outputs[0], std::move(grads));
      else return grads;
    }
  }

 private:
  static const char* name() { return WithValue ? "value_and_grad" : "grad"; }
  static auto pick(std::vector<Array> g) {
    if constexpr (Multi) return g;
    else return std::move(g[0]);
  }
  F f_;
  std::vector<int> argnums_;
};

// d f / d args[argnum] of a function with a real 0-d output.
template <class F> auto grad(F f, int argnum = 0) { return GradFunction<F, false, false, false>(std::move(f), {argnum}); }
// One gradient per listed argument.
template <class F> auto grad(F f, std::vector<int> argnums) {
  return GradFunction<F, true, false, false>(std::move(f), std::move(argnums));
}
// f returns std::pair<Array, Aux>; the result is std::pair<gradient, Aux>.
template <class F> auto grad(F f, int argnum, HasAux) {
  return GradFunction<F, false, true, false>(std::move(f), {argnum});
}
template <class F> auto grad(F f, std::vector<int> argnums, HasAux) {
  return GradFunction<F, true, true, false>(std::move(f), std::move(argnums));
}
// std::pair<value, gradient> (with has_aux: std::pair<std::pair<value, aux>, gradient>).
template <class F> auto value_and_grad(F f, int argnum = 0) {
  return GradFunction<F, false, false, true>(std::move(f), {argnum});
}
template <class F> auto value_and_grad(F f, std::vector<int> argnums) {
  return GradFunction<F, true, false, true>(std::move(f), std::move(argnums));
}
template <class F> auto value_and_grad(F f, int argnum, HasAux) {
  return GradFunction<F, false, true, true>(std::move(f), {argnum});
}

// ---------------------------------------------------------------- jvp / vjp

// (f(primals), J(primals) . tangents) in one forward pass.
template <class F>
std::pair<Array, Array> jvp(F f, const std::vector<Array>& primals, const std::vector<Array>& tangents) {
  auto [outs, touts] = detail::jvp_core(detail::erase_dynamic(f, primals.size()), primals, tangents);
  return {outs[0], touts[0]};
}

using VjpFunction = std::function<std::vector<Array>(const Array&)>;

// (f(x...), pullback): pullback(cotangent) gives one cotangent per argument.
template <class F, class... A> std::pair<Array, VjpFunction> vjp(F f, const A&... x) {
  detail::VjpResult r = detail::vjp_core(detail::erase<sizeof...(A)>(f), detail::to_arrays(x...));
  Array out = r.outputs[0];
  VjpFunction pull = [r](const Array& ct) { return detail::pullback(r, {ct}); };
  return {std::move(out), std::move(pull)};
}

// ---------------------------------------------------------------- Jacobians

template <class F, bool Reverse, bool MultiArg>
class JacobianFunction {
 public:
  JacobianFunction(F f, std::vector<int> argnums) : f_(std::move(f)), argnums_(std::move(argnums)) {}

  template <class... A>
    requires detail::invocable_n<const F, sizeof...(A)>  // SFINAE-friendly: fx::jvp(fx::grad(f), ...) probes arities
  auto operator()(const A&... a) const {
    constexpr size_t N = sizeof...(A);
    using Result = detail::result_of_n<const F, N>;
    const auto fn = detail::erase<N>(f_);
    auto jac = Reverse ? detail::jacrev_core(fn, detail::to_arrays(a...), argnums_)
                       : detail::jacfwd_core(fn, detail::to_arrays(a...), argnums_);
    if constexpr (detail::is_array_vector<Result>::value) {
      if constexpr (MultiArg) {
        return jac;  // [output][argument]
      } else {
        std::vector<Array> per_output;
        for (auto& row : jac) per_output.push_back(std::move(row[0]));
        return per_output;
      }
    } else {
      if constexpr (MultiArg) return std::move(jac[0]);
      else return std::move(jac[0][0]);
    }
  }

 private:
  F f_;
  std::vector<int> argnums_;
};

// Forward-mode Jacobian: shape f(x).shape + x.shape (JAX's convention).
template <class F> auto jacfwd(F f, int argnum = 0) {
  return JacobianFunction<F, false, false>(std::move(f), {argnum});
}
template <class F> auto jacfwd(F f, std::vector<int> argnums) {
  return JacobianFunction<F, false, true>(std::move(f), std::move(argnums));
}
// Reverse-mode Jacobian (one linearization, one pullback per output element).
template <class F> auto jacrev(F f, int argnum = 0) {
  return JacobianFunction<F, true, false>(std::move(f), {argnum});
}
template <class F> auto jacrev(F f, std::vector<int> argnums) {
  return JacobianFunction<F, true, true>(std::move(f), std::move(argnums));
}
template <class F> auto jacobian(F f, int argnum = 0) { return jacrev(std::move(f), argnum); }
template <class F> auto jacobian(F f, std::vector<int> argnums) { return jacrev(std::move(f), std::move(argnums)); }

// jacfwd(jacrev(f)): shape f(x).shape + x.shape + x.shape.
template <class F> auto hessian(F f, int argnum = 0) { return jacfwd(jacrev(std::move(f), argnum), argnum); }
template <class F> auto hessian(F f, std::vector<int> argnums) {
  return jacfwd(jacrev(std::move(f), argnums), argnums);
}

// ---------------------------------------------------------------- vmap

template <class F> class VmapFunction {
 public:
  VmapFunction(F f, MapAxes in_axes, MapAxes out_axes, std::optional<int64_t> axis_size)
      : f_(std::move(f)), in_axes_(std::move(in_axes)), out_axes_(std::move(out_axes)), axis_size_(axis_size) {}

  template <class... A>
    requires detail::invocable_n<const F, sizeof...(A)>
  auto operator()(const A&... a) const {
    constexpr size_t N = sizeof...(A);
    using Result = detail::result_of_n<const F, N>;
    std::vector<Array> outs =
        detail::vmap_core(detail::erase<N>(f_), detail::to_arrays(a...), in_axes_, out_axes_, axis_size_);
    if constexpr (detail::is_array_vector<Result>::value) return outs;
    else return std::move(outs[0]);
  }

 private:
  F f_;
  MapAxes in_axes_, out_axes_;
  std::optional<int64_t> axis_size_;
};

// f mapped over an axis of its arguments: vmap(f)(xs)[i] == f(xs[i]), computed
// as one batched program (every primitive applies its batching rule).
// `axis_size` is needed only when no argument is mapped.
template <class F>
VmapFunction<F> vmap(F f, MapAxes in_axes = {}, MapAxes out_axes = 0, std::optional<int64_t> axis_size = {}) {
  return VmapFunction<F>(std::move(f), std::move(in_axes), std::move(out_axes), axis_size);
}

// ---------------------------------------------------------------- make_jaxpr

template <class F> class JaxprFunction {
 public:
  explicit JaxprFunction(F f) : f_(std::move(f)) {}
  template <class... A> ClosedJaxpr operator()(const A&... a) const {
    return detail::make_jaxpr_core(detail::erase<sizeof...(A)>(f_), detail::to_arrays(a...));
  }

 private:
  F f_;
};

// The program f computes, as a jaxpr (printable in JAX's syntax).
template <class F> JaxprFunction<F> make_jaxpr(F f) { return JaxprFunction<F>(std::move(f)); }

}  // namespace fluxion
