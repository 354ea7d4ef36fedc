/// @file
/// The pytree plumbing of the transformations (include/fluxion/transforms.hpp
/// and the headers built on it): arguments flattened to leaves for the
/// type-erased cores, results and derivatives rebuilt as trees. Not API.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "fluxion/array.hpp"
#include "fluxion/errors.hpp"
#include "fluxion/pytree.hpp"

namespace fluxion::detail {

using Fn = std::function<std::vector<Array>(const std::vector<Array>&)>;

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
template <class... A> concept all_trees = (is_tree_v<A> && ...);
template <class F, class... A>
concept tree_invocable = all_trees<A...> && std::is_invocable_v<const F&, tree_value_t<A>...>;

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



inline constexpr int kRuntimeArgnum = -1000000;

// argnums checked against the number of arguments, negative ones counted from the end.
std::vector<size_t> normalize_argnums(const std::vector<int>& argnums, size_t n, const char* name);
// The leaves of the arguments at `positions`, as indices into the flat list.
std::vector<int> leaf_argnums(const std::vector<TreeDef>& defs, const std::vector<size_t>& positions);
[[noreturn]] void throw_argnum_type(size_t position, const char* name);
// f's output (its first element with has_aux) must be one array.
void check_scalar_output(const TreeDef& def, const char* name);
[[noreturn]] void throw_cotangent_structure(const TreeDef& got, const TreeDef& want);
[[noreturn]] void throw_jvp_structure(const TreeDef& primals, const TreeDef& tangents);

template <class T0, class... T> inline constexpr bool all_same_v = (std::is_same_v<T0, T> && ...);
template <class... A> inline constexpr bool all_arrays_v = (std::is_same_v<tree_value_t<A>, Array> && ...);

// The type of the derivative with respect to one argument: that argument's
// tree type. With a runtime argnum it is argument 0's type, or the type all
// arguments share.
template <int Static, class... A> struct argument_type {
  static constexpr int index = Static == kRuntimeArgnum ? 0 : (Static < 0 ? Static + int(sizeof...(A)) : Static);
  static_assert(index >= 0 && index < int(sizeof...(A)), "fx::grad<argnum>: argnum is out of range");
  using type = tree_value_t<std::tuple_element_t<size_t(index), std::tuple<A...>>>;
  // Whether argument i has that type (checked at run time for runtime argnums).
  static constexpr std::array<bool, sizeof...(A)> matches{std::is_same_v<tree_value_t<A>, type>...};
};

// The selected argument's gradient, rebuilt as its tree from the gradient leaves.
template <class G> std::vector<G> gradient_trees(const std::vector<TreeDef>& defs, const std::vector<size_t>& positions,
                                                 const std::vector<Array>& g,
                                                 std::span<const bool> matches, const char* name) {
  std::vector<G> out;
  size_t next = 0;
  for (size_t p : positions) {
    if (!matches[p]) throw_argnum_type(p, name);
    const size_t n = defs[p].num_leaves();
    out.push_back(tree_unflatten<G>(defs[p], std::span<const Array>(g).subspan(next, n)));
    next += n;
  }
  return out;
}



// A tree of type T with each leaf replaced by a tree of type G (a Jacobian:
// an output tree of input trees). Standard containers nest; a struct's
// fields are Arrays, so a struct-valued function's Jacobian needs Array
// arguments.
template <class T, class G, class Enable = void> struct TreeRebind {
  static_assert(std::is_same_v<G, Array>,
                "fx::jacfwd/jacrev/hessian: the Jacobian of a function returning a registered struct can be taken "
                "with respect to Array arguments only (a struct's fields cannot hold trees)");
  using type = T;
  static T build(const TreeDef& def, std::span<const G> items, size_t& next) {
    const size_t n = def.num_leaves();
    T out = tree_unflatten<T>(def, items.subspan(next, n));
    next += n;
    return out;
  }
};
template <class G> struct TreeRebind<Array, G> {
  using type = G;
  static G build(const TreeDef&, std::span<const G> items, size_t& next) { return items[next++]; }
};
template <class T, class G> struct TreeRebind<std::vector<T>, G, std::enable_if_t<!std::is_same_v<G, Array>>> {
  using type = std::vector<typename TreeRebind<T, G>::type>;
  static type build(const TreeDef& def, std::span<const G> items, size_t& next) {
    type out;
    for (const TreeDef& c : def.children()) out.push_back(TreeRebind<T, G>::build(c, items, next));
    return out;
  }
};
template <class T, size_t N, class G>
struct TreeRebind<std::array<T, N>, G, std::enable_if_t<!std::is_same_v<G, Array>>> {
  using type = std::array<typename TreeRebind<T, G>::type, N>;
  static type build(const TreeDef& def, std::span<const G> items, size_t& next) {
    type out;
    for (size_t i = 0; i < N; ++i) out[i] = TreeRebind<T, G>::build(def.children()[i], items, next);
    return out;
  }
};
template <class T, class G>
struct TreeRebind<std::map<std::string, T>, G, std::enable_if_t<!std::is_same_v<G, Array>>> {
  using type = std::map<std::string, typename TreeRebind<T, G>::type>;
  static type build(const TreeDef& def, std::span<const G> items, size_t& next) {
    type out;
    for (size_t i = 0; i < def.keys().size(); ++i)
      out.emplace(def.keys()[i], TreeRebind<T, G>::build(def.children()[i], items, next));
    return out;
  }
};
template <class... T, class G> struct TreeRebind<std::tuple<T...>, G, std::enable_if_t<!std::is_same_v<G, Array>>> {
  using type = std::tuple<typename TreeRebind<T, G>::type...>;
  static type build(const TreeDef& def, std::span<const G> items, size_t& next) {
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return type{TreeRebind<T, G>::build(def.children()[I], items, next)...};
    }(std::index_sequence_for<T...>{});
  }
};
template <class A, class B, class G> struct TreeRebind<std::pair<A, B>, G, std::enable_if_t<!std::is_same_v<G, Array>>> {
  using type = std::pair<typename TreeRebind<A, G>::type, typename TreeRebind<B, G>::type>;
  static type build(const TreeDef& def, std::span<const G> items, size_t& next) {
    auto first = TreeRebind<A, G>::build(def.children()[0], items, next);
    return type{std::move(first), TreeRebind<B, G>::build(def.children()[1], items, next)};
  }
};


}  // namespace fluxion::detail
