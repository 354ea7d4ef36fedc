/// @file
/// Function transformations ([docs/ARCHITECTURE.md](docs/ARCHITECTURE.md),
/// "Transformations"): grad, value_and_grad, jvp, vjp, jacfwd, jacrev/jacobian,
/// hessian, vmap, make_jaxpr.
/// A function is any callable taking fx::Array arguments (by value or const&)
/// and returning an Array; transformed functions accept anything convertible
/// to Array, so `fx::grad(f)(2.0)` works. Transformations compose to any depth.
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
#include "fluxion/tree_function.hpp"

namespace fluxion {

/// Tag for functions returning (value, aux): fx::grad(f, 0, fx::has_aux).
struct HasAux {};
inline constexpr HasAux has_aux{};

/// vmap's "this argument (or output) is not mapped", as Python's None in
/// jax.vmap(f, in_axes=(0, None)).
struct NoneAxis {
  bool operator==(const NoneAxis&) const = default;
};
inline constexpr NoneAxis none{};

/// vmap's in_axes / out_axes: one entry per argument (output), each an axis
/// (negative counts from the end) or fx::none; or a single entry for all.
/// For pytree arguments an entry may itself be a tree prefix, as JAX's: an
/// axis or fx::none applies to every leaf below it, a braced list gives one
/// entry per child of a tuple, vector or struct, Entry::dict one per key of a
/// std::map. E.g. fx::vmap(f, {0, {fx::none, 1}}) for f(x, std::pair{a, b}).
class MapAxes {
 public:
  class Entry {
   public:
    Entry(int axis) : axis_(axis) {}
    Entry(NoneAxis) {}
    Entry(std::initializer_list<Entry> children) : children_(children), node_(true) {}
    explicit Entry(std::vector<Entry> children) : children_(std::move(children)), node_(true) {}
    static Entry dict(std::vector<std::pair<std::string, Entry>> items);
    const std::optional<int>& axis() const { return axis_; }
    bool is_node() const { return node_; }
    const std::vector<Entry>& children() const { return children_; }
    const std::vector<std::string>& keys() const { return keys_; }  ///< a dict's
    std::string str() const;  ///< as Python prints the specification: 0, None, (0, None), {'a': 0}

   private:
    std::optional<int> axis_;
    std::vector<Entry> children_;
    std::vector<std::string> keys_;
    bool node_ = false;
  };
  MapAxes() : MapAxes(0) {}  ///< axis 0 of everything
  MapAxes(int axis) : all_(Entry(axis)) {}
  MapAxes(NoneAxis) : all_(Entry(none)) {}
  MapAxes(std::initializer_list<Entry> entries) : entries_(entries) {}
  MapAxes(std::vector<Entry> entries) : entries_(std::move(entries)) {}
  /// The entry for position i of n; fx::TypeError naming `what` when a list has
  /// another length. Bound to an output tree (for_output_tree), position i is
  /// the tree's leaf i.
  std::optional<int> at(size_t i, size_t n, const char* what) const;
  /// One entry per leaf of the arguments whose structures are `defs`.
  MapAxes per_leaf(const std::vector<TreeDef>& defs) const;
  /// Entries for the leaves of the output tree `*def`, read when first used
  /// (the function being mapped fills it in when it is traced).
  MapAxes for_output_tree(std::shared_ptr<const TreeDef> def) const;

 private:
  std::optional<Entry> all_;
  std::vector<Entry> entries_;
  std::shared_ptr<const TreeDef> out_tree_;
  // The entries of out_tree_'s leaves, expanded on the first at() (a
  // per-call copy made by for_output_tree holds them, never the stored axes).
  mutable std::vector<Entry> out_leaves_;
};

namespace detail {

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
// f traced into a program. make_jaxpr's keeps what f computed and did not
// return (JAX prints such results `_`); jit's drops it before compiling.
ClosedJaxpr make_jaxpr_core(const Fn& f, const std::vector<Array>& args, bool keep_unused = true);
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

}  // namespace detail

// ---------------------------------------------------------------- grad

template <class F, bool Multi, bool Aux, bool WithValue, int Static = detail::kRuntimeArgnum>
class GradFunction {
 public:
  GradFunction(F f, std::vector<int> argnums) : f_(std::move(f)), argnums_(std::move(argnums)) {}

  template <class... A>
    requires detail::tree_invocable<const F, A...>  // SFINAE-friendly: fx::jvp(fx::grad(f), ...) probes arities
  auto operator()(const A&... a) const {
    constexpr size_t N = sizeof...(A);
    using Selected = detail::argument_type<Static, A...>;
    using G = typename Selected::type;
    const std::vector<size_t> positions = detail::normalize_argnums(argnums_, N, name());
    detail::FlatArgs flat = detail::flatten_args(a...);
    auto aux_def = std::make_shared<TreeDef>();
    // A pytree aux leaves the trace as extra outputs (its values, not the
    // tracers); any other aux (a string, a count) is kept as computed.
    using AuxRaw = typename aux_of<Aux, detail::tree_result_t<const F, A...>>::type;
    std::optional<AuxRaw> raw_aux;
    const detail::Fn fn = [this, &flat, aux_def, &raw_aux](const std::vector<Array>& leaves) {
      auto r = std::apply(f_, detail::unflatten_args<A...>(flat.defs, leaves));
      if constexpr (Aux) {
        auto [outs, def] = tree_flatten(r.first);
        detail::check_scalar_output(def, name());
        if constexpr (is_tree_v<AuxRaw>) {
          auto [aux, adef] = tree_flatten(r.second);
          *aux_def = std::move(adef);
          outs.insert(outs.end(), aux.begin(), aux.end());
        } else {
          raw_aux.emplace(std::move(r.second));
        }
        return outs;
      } else {
        auto [outs, def] = tree_flatten(r);
        detail::check_scalar_output(def, name());
        return outs;
      }
    };
    std::vector<Array> outputs;
    const std::vector<Array> g =
        detail::grad_core(fn, flat.leaves, detail::leaf_argnums(flat.defs, positions), &outputs, name());
    std::vector<G> trees = detail::gradient_trees<G>(flat.defs, positions, g, Selected::matches, name());
    auto grads = [&] {
      if constexpr (Multi) return std::move(trees);
      else return std::move(trees[0]);
    }();
    if constexpr (Aux) {
      auto aux = [&] {
        if constexpr (is_tree_v<AuxRaw>)
          return tree_unflatten<tree_value_t<AuxRaw>>(*aux_def, std::span<const Array>(outputs).subspan(1));
        else
          return std::move(*raw_aux);
      }();
      if constexpr (WithValue) return std::make_pair(std::make_pair(outputs[0], std::move(aux)), std::move(grads));
      else return std::make_pair(std::move(grads), std::move(aux));
    } else {
      if constexpr (WithValue) return std::make_pair(outputs[0], std::move(grads));
      else return grads;
    }
  }

 private:
  template <bool HasAuxOutput, class R> struct aux_of {
    using type = int;  // unused
  };
  template <class R> struct aux_of<true, R> {
    using type = std::decay_t<typename R::second_type>;
  };
  static const char* name() { return WithValue ? "value_and_grad" : "grad"; }
  F f_;
  std::vector<int> argnums_;
};

/// d f / d args[argnum] of a function with a real 0-d output; the gradient
/// has the argument's type (a struct for a struct argument). With pytree
/// arguments of different types, a runtime argnum other than 0 needs the
/// compile-time form fx::grad<argnum>(f), which fixes the result's type.
template <class F> auto grad(F f, int argnum = 0) { return GradFunction<F, false, false, false>(std::move(f), {argnum}); }
template <int Argnum, class F> auto grad(F f) {
  return GradFunction<F, false, false, false, Argnum>(std::move(f), {Argnum});
}
/// One gradient per listed argument (std::vector; the arguments share a type).
template <class F> auto grad(F f, std::vector<int> argnums) {
  return GradFunction<F, true, false, false>(std::move(f), std::move(argnums));
}
/// f returns std::pair<Array, Aux> (Aux a pytree); the result is std::pair<gradient, Aux>.
template <class F> auto grad(F f, int argnum, HasAux) {
  return GradFunction<F, false, true, false>(std::move(f), {argnum});
}
template <class F> auto grad(F f, std::vector<int> argnums, HasAux) {
  return GradFunction<F, true, true, false>(std::move(f), std::move(argnums));
}
/// std::pair<value, gradient> (with has_aux: std::pair<std::pair<value, aux>, gradient>).
template <class F> auto value_and_grad(F f, int argnum = 0) {
  return GradFunction<F, false, false, true>(std::move(f), {argnum});
}
template <int Argnum, class F> auto value_and_grad(F f) {
  return GradFunction<F, false, false, true, Argnum>(std::move(f), {Argnum});
}
template <class F> auto value_and_grad(F f, std::vector<int> argnums) {
  return GradFunction<F, true, false, true>(std::move(f), std::move(argnums));
}
template <class F> auto value_and_grad(F f, int argnum, HasAux) {
  return GradFunction<F, false, true, true>(std::move(f), {argnum});
}

// ---------------------------------------------------------------- jvp / vjp

/// (f(primals), J(primals) . tangents) in one forward pass.
template <class F>
std::pair<Array, Array> jvp(F f, const std::vector<Array>& primals, const std::vector<Array>& tangents) {
  auto [outs, touts] = detail::jvp_core(detail::erase_dynamic(f, primals.size()), primals, tangents);
  return {outs[0], touts[0]};
}

/// The same for pytree arguments, as jax.jvp(f, primals, tangents): a tuple
/// of primal arguments and a tuple of tangents of the same structure; returns
/// (f(primals), its tangent), both of f's result type.
template <class F, class... P, class... T>
  requires(sizeof...(P) == sizeof...(T) && detail::tree_invocable<const F, P...>)
auto jvp(F f, const std::tuple<P...>& primals, const std::tuple<T...>& tangents) {
  detail::FlatArgs p = std::apply([](const auto&... x) { return detail::flatten_args(x...); }, primals);
  detail::FlatArgs t = std::apply([](const auto&... x) { return detail::flatten_args(x...); }, tangents);
  if (!(p.defs == t.defs)) detail::throw_jvp_structure(TreeDef::tuple(p.defs), TreeDef::tuple(t.defs));
  auto out_def = std::make_shared<TreeDef>();
  auto [outs, touts] = detail::jvp_core(detail::erase_tree<P...>(f, p.defs, out_def), p.leaves, t.leaves);
  using Out = detail::tree_result_value_t<const F, P...>;
  return std::pair<Out, Out>{tree_unflatten<Out>(*out_def, outs), tree_unflatten<Out>(*out_def, touts)};
}

using VjpFunction = std::function<std::vector<Array>(const Array&)>;

/// (f(x...), pullback): pullback(cotangent) gives one cotangent per argument.
/// For Array arguments and an Array result the pullback returns a
/// std::vector<Array>; otherwise (pytrees) it takes a cotangent of f's result
/// type and returns a std::tuple of the arguments' types, as JAX's.
template <class F, class... A>
  requires detail::tree_invocable<const F, A...>
auto vjp(F f, const A&... x) {
  detail::FlatArgs flat = detail::flatten_args(x...);
  auto out_def = std::make_shared<TreeDef>();
  detail::VjpResult r = detail::vjp_core(detail::erase_tree<A...>(f, flat.defs, out_def), flat.leaves);
  using Out = detail::tree_result_value_t<const F, A...>;
  Out out = tree_unflatten<Out>(*out_def, r.outputs);
  if constexpr (detail::all_arrays_v<A...> && std::is_same_v<Out, Array>) {
    VjpFunction pull = [r](const Array& ct) { return detail::pullback(r, {ct}); };
    return std::make_pair(std::move(out), std::move(pull));
  } else {
    std::function<std::tuple<tree_value_t<A>...>(const Out&)> pull = [r, defs = flat.defs, out_def](const Out& ct) {
      auto [cts, def] = tree_flatten(ct);
      if (!(def == *out_def)) detail::throw_cotangent_structure(def, *out_def);
      return detail::unflatten_args<A...>(defs, detail::pullback(r, cts));
    };
    return std::make_pair(std::move(out), std::move(pull));
  }
}

// ---------------------------------------------------------------- Jacobians

template <class F, bool Reverse, bool MultiArg, int Static = detail::kRuntimeArgnum>
class JacobianFunction {
 public:
  JacobianFunction(F f, std::vector<int> argnums) : f_(std::move(f)), argnums_(std::move(argnums)) {}

  template <class... A>
    requires detail::tree_invocable<const F, A...>  // SFINAE-friendly: fx::jvp(fx::grad(f), ...) probes arities
  auto operator()(const A&... a) const {
    constexpr size_t N = sizeof...(A);
    const char* name = Reverse ? "jacrev" : "jacfwd";
    const std::vector<size_t> positions = detail::normalize_argnums(argnums_, N, name);
    detail::FlatArgs flat = detail::flatten_args(a...);
    auto out_def = std::make_shared<TreeDef>();
    const detail::Fn fn = detail::erase_tree<A...>(f_, flat.defs, out_def);
    const std::vector<int> leaves = detail::leaf_argnums(flat.defs, positions);
    auto jac = Reverse ? detail::jacrev_core(fn, flat.leaves, leaves) : detail::jacfwd_core(fn, flat.leaves, leaves);
    using Out = detail::tree_result_value_t<const F, A...>;
    if constexpr (MultiArg) {
      // [output][argument], for Array arguments and an Array or std::vector<Array> result.
      static_assert(detail::all_arrays_v<A...> && (std::is_same_v<Out, Array> || detail::is_array_vector<Out>::value),
                    "fx::jacfwd/jacrev with several argnums take Array arguments and return an Array or a "
                    "std::vector<Array>; group pytree arguments into one std::tuple argument instead");
      if constexpr (std::is_same_v<Out, Array>) return std::move(jac[0]);
      else return jac;
    } else {
      using Selected = detail::argument_type<Static, A...>;
      using G = typename Selected::type;
      // One tree of the argument's type per output leaf, then the output's tree of those.
      std::vector<G> per_output;
      for (const std::vector<Array>& row : jac)
        per_output.push_back(detail::gradient_trees<G>(flat.defs, positions, row, Selected::matches, name)[0]);
      size_t next = 0;
      return detail::TreeRebind<Out, G>::build(*out_def, std::span<const G>(per_output), next);
    }
  }

 private:
  F f_;
  std::vector<int> argnums_;
};

/// Forward-mode Jacobian: shape f(x).shape + x.shape (JAX's convention); for
/// pytrees, f's result tree with a tree of x's type at each leaf.
template <class F> auto jacfwd(F f, int argnum = 0) {
  return JacobianFunction<F, false, false>(std::move(f), {argnum});
}
template <int Argnum, class F> auto jacfwd(F f) {
  return JacobianFunction<F, false, false, Argnum>(std::move(f), {Argnum});
}
template <class F> auto jacfwd(F f, std::vector<int> argnums) {
  return JacobianFunction<F, false, true>(std::move(f), std::move(argnums));
}
/// Reverse-mode Jacobian (one linearization, one pullback per output element).
template <class F> auto jacrev(F f, int argnum = 0) {
  return JacobianFunction<F, true, false>(std::move(f), {argnum});
}
template <int Argnum, class F> auto jacrev(F f) {
  return JacobianFunction<F, true, false, Argnum>(std::move(f), {Argnum});
}
template <class F> auto jacrev(F f, std::vector<int> argnums) {
  return JacobianFunction<F, true, true>(std::move(f), std::move(argnums));
}
template <class F> auto jacobian(F f, int argnum = 0) { return jacrev(std::move(f), argnum); }
template <class F> auto jacobian(F f, std::vector<int> argnums) { return jacrev(std::move(f), std::move(argnums)); }

/// jacfwd(jacrev(f)): shape f(x).shape + x.shape + x.shape.
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
    requires detail::tree_invocable<const F, A...>
  auto operator()(const A&... a) const {
    detail::FlatArgs flat = detail::flatten_args(a...);
    auto out_def = std::make_shared<TreeDef>();
    std::vector<Array> outs =
        detail::vmap_core(detail::erase_tree<A...>(f_, flat.defs, out_def), flat.leaves, in_axes_.per_leaf(flat.defs),
                          out_axes_.for_output_tree(out_def), axis_size_);
    using Out = detail::tree_result_value_t<const F, A...>;
    return tree_unflatten<Out>(*out_def, outs);
  }

 private:
  F f_;
  MapAxes in_axes_, out_axes_;
  std::optional<int64_t> axis_size_;
};

/// f mapped over an axis of its arguments: vmap(f)(xs)[i] == f(xs[i]), computed
/// as one batched program (every primitive applies its batching rule).
/// `axis_size` is needed only when no argument is mapped.
template <class F>
VmapFunction<F> vmap(F f, MapAxes in_axes = {}, MapAxes out_axes = 0, std::optional<int64_t> axis_size = {}) {
  return VmapFunction<F>(std::move(f), std::move(in_axes), std::move(out_axes), axis_size);
}

// ---------------------------------------------------------------- make_jaxpr

template <class F> class JaxprFunction {
 public:
  explicit JaxprFunction(F f) : f_(std::move(f)) {}
  template <class... A>
    requires detail::tree_invocable<const F, A...>
  ClosedJaxpr operator()(const A&... a) const {
    detail::FlatArgs flat = detail::flatten_args(a...);
    return detail::make_jaxpr_core(detail::erase_tree<A...>(f_, flat.defs, std::make_shared<TreeDef>()), flat.leaves);
  }

 private:
  F f_;
};

/// The program f computes, as a jaxpr (printable in JAX's syntax).
template <class F> JaxprFunction<F> make_jaxpr(F f) { return JaxprFunction<F>(std::move(f)); }

}  // namespace fluxion
