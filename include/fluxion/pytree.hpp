/// @file
/// Pytrees, as JAX's: nested containers whose leaves are arrays. Every
/// transformation and every control-flow function takes and returns them, so
/// a model's parameters can live in a struct:
///
/// ```
///   struct Params { fx::Array w, b; };
///   FLUXION_PYTREE(Params, w, b)      // at namespace scope, beside Params
///   Params g = fx::grad(loss)(params, x, y);
///
///   Python                            C++
///   (x, y) / [x, y]                   std::tuple<...>, std::pair<...> / std::vector<T>, std::array<T, N>
///   {'w': w, 'b': b}                  std::map<std::string, T>
///   None                              std::nullopt (a std::optional<T> holding nothing)
///   a registered class                a struct registered with FLUXION_PYTREE
///   jax.tree.flatten(t)               fx::tree_flatten(t) -> (leaves, TreeDef)
///   jax.tree.unflatten(d, leaves)     fx::tree_unflatten<T>(d, leaves)
///   jax.tree.leaves(t)                fx::tree_leaves(t)
///   jax.tree.structure(t)             fx::tree_structure(t)
///   jax.tree.map(f, t, *rest)         fx::tree_map(f, t, rest...)
/// ```
///
/// Leaves are fx::Array; a C++ number given where a leaf goes becomes a weakly
/// typed 0-d Array, as a Python scalar does. A tree is rebuilt as its
/// `tree_value_t`: the same containers with Array leaves. Leaves are ordered
/// as JAX orders them: containers in order, maps by sorted key, struct fields
/// in the order FLUXION_PYTREE lists them.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "fluxion/array.hpp"
#include "fluxion/errors.hpp"

namespace fluxion {

/// A tree's structure without its leaves (JAX's PyTreeDef): compared with ==,
/// printed as JAX prints one, such as PyTreeDef((*, [*, *], {'a': *})).
class TreeDef {
 public:
  enum class Kind { leaf, none, tuple, list, dict, node };

  TreeDef() = default;  ///< a leaf
  static TreeDef leaf() { return TreeDef(); }
  static TreeDef none();
  static TreeDef tuple(std::vector<TreeDef> children);
  static TreeDef list(std::vector<TreeDef> children);
  static TreeDef dict(std::vector<std::string> keys, std::vector<TreeDef> children);
  /// A registered struct: its type's name and its fields' names.
  static TreeDef node(std::string type_name, std::vector<std::string> fields, std::vector<TreeDef> children);

  Kind kind() const { return kind_; }
  size_t num_leaves() const { return num_leaves_; }
  const std::vector<TreeDef>& children() const { return children_; }
  /// A dict's keys or a struct's field names.
  const std::vector<std::string>& keys() const { return keys_; }
  const std::string& type_name() const { return type_name_; }

  bool operator==(const TreeDef& other) const;
  /// PyTreeDef(...), as JAX prints it.
  std::string str() const;
  /// The structure alone: (*, [*, *]); the text inside PyTreeDef(...).
  std::string body() const;

 private:
  TreeDef(Kind kind, std::string type_name, std::vector<std::string> keys, std::vector<TreeDef> children);
  Kind kind_ = Kind::leaf;
  std::string type_name_;
  std::vector<std::string> keys_;
  std::vector<TreeDef> children_;
  size_t num_leaves_ = 1;
};

namespace detail {

// Why a tree is not of the structure `expected` (JAX's flatten_up_to
// messages: "Tuple arity mismatch: 3 != 2; tuple: (*, *, *)."); nullopt when
// it is. `prefix` accepts a tree that has `expected` as a prefix.
std::optional<std::string> tree_mismatch(const TreeDef& expected, const TreeDef& actual, bool prefix = false);
[[noreturn]] void throw_tree_error(const std::string& message);
// A registered struct's names: "Params(w, b)" -> ("Params", {"w", "b"}).
std::pair<std::string, std::vector<std::string>> split_struct_names(const char* names);

template <class T> struct is_std_tuple : std::false_type {};
template <class... T> struct is_std_tuple<std::tuple<T...>> : std::true_type {};
template <class A, class B> struct is_std_tuple<std::pair<A, B>> : std::true_type {};

// A struct registered by FLUXION_PYTREE has these found by argument-dependent lookup.
template <class T>
concept registered_struct = requires(T& t, const T* p) {
  fluxion_tree_fields(t);
  { fluxion_tree_names(p) } -> std::convertible_to<const char*>;
};

}  // namespace detail

/// How a type is flattened and rebuilt: `value_type` (what it is rebuilt as),
/// flatten (appends its leaves, returns its structure) and unflatten (reads
/// its leaves from `next`, checking `def`). Specialised below for Array,
/// numbers, the standard containers and registered structs.
template <class T, class Enable = void> struct TreeTraits {
  static constexpr bool is_tree = false;
};

template <class T> inline constexpr bool is_tree_v = TreeTraits<std::remove_cvref_t<T>>::is_tree;
template <class T> using tree_value_t = typename TreeTraits<std::remove_cvref_t<T>>::value_type;

template <> struct TreeTraits<Array> {
  static constexpr bool is_tree = true;
  using value_type = Array;
  static TreeDef flatten(const Array& x, std::vector<Array>& leaves) {
    leaves.push_back(x);
    return TreeDef::leaf();
  }
  static Array unflatten(const TreeDef& def, const Array*& next) {
    if (def.kind() != TreeDef::Kind::leaf) detail::throw_tree_error("expected a leaf (an Array), got " + def.body());
    return *next++;
  }
};

template <class T>
struct TreeTraits<T, std::enable_if_t<std::is_arithmetic_v<T>>> {
  static constexpr bool is_tree = true;
  using value_type = Array;
  static TreeDef flatten(const T& x, std::vector<Array>& leaves) {
    leaves.push_back(Array(x));
    return TreeDef::leaf();
  }
};

template <class T> struct TreeTraits<std::vector<T>, std::enable_if_t<is_tree_v<T>>> {
  static constexpr bool is_tree = true;
  using value_type = std::vector<tree_value_t<T>>;
  static TreeDef flatten(const std::vector<T>& xs, std::vector<Array>& leaves) {
    std::vector<TreeDef> children;
    children.reserve(xs.size());
    for (const T& x : xs) children.push_back(TreeTraits<T>::flatten(x, leaves));
    return TreeDef::list(std::move(children));
  }
  static value_type unflatten(const TreeDef& def, const Array*& next) {
    if (def.kind() != TreeDef::Kind::list) detail::throw_tree_error("expected a list (std::vector), got " + def.body());
    value_type out;
    out.reserve(def.children().size());
    for (const TreeDef& c : def.children()) out.push_back(TreeTraits<tree_value_t<T>>::unflatten(c, next));
    return out;
  }
};

template <class T, size_t N> struct TreeTraits<std::array<T, N>, std::enable_if_t<is_tree_v<T>>> {
  static constexpr bool is_tree = true;
  using value_type = std::array<tree_value_t<T>, N>;
  static TreeDef flatten(const std::array<T, N>& xs, std::vector<Array>& leaves) {
    std::vector<TreeDef> children;
    for (const T& x : xs) children.push_back(TreeTraits<T>::flatten(x, leaves));
    return TreeDef::list(std::move(children));
  }
  static value_type unflatten(const TreeDef& def, const Array*& next) {
    if (def.kind() != TreeDef::Kind::list || def.children().size() != N)
      detail::throw_tree_error("expected a list of " + std::to_string(N) + " (std::array), got " + def.body());
    value_type out;
    for (size_t i = 0; i < N; ++i) out[i] = TreeTraits<tree_value_t<T>>::unflatten(def.children()[i], next);
    return out;
  }
};

namespace detail {
template <class Tup> struct tuple_of_trees : std::false_type {
  using value_type = void;
};
template <class... T>
  requires(is_tree_v<T> && ...)
struct tuple_of_trees<std::tuple<T...>> : std::true_type {
  using value_type = std::tuple<tree_value_t<T>...>;
};
template <class A, class B>
  requires(is_tree_v<A> && is_tree_v<B>)
struct tuple_of_trees<std::pair<A, B>> : std::true_type {
  using value_type = std::pair<tree_value_t<A>, tree_value_t<B>>;
};
}  // namespace detail

namespace detail {
// Whether each field (a reference in the tuple FLUXION_PYTREE's hook returns)
// is its own tree type: a tree of Arrays, which a struct can be rebuilt from.
template <class Fields> struct fields_rebuildable : std::false_type {};
template <class... F> struct fields_rebuildable<std::tuple<F...>> {
  template <class X> static constexpr bool one() {
    if constexpr (is_tree_v<X>) return std::is_same_v<tree_value_t<X>, std::remove_cvref_t<X>>;
    else return false;
  }
  static constexpr bool value = (one<std::remove_cvref_t<F>>() && ...);
};
}  // namespace detail

template <class Tup>
struct TreeTraits<Tup, std::enable_if_t<detail::is_std_tuple<Tup>::value>> {
  static constexpr bool is_tree = detail::tuple_of_trees<Tup>::value;
  using value_type = typename detail::tuple_of_trees<Tup>::value_type;

  static TreeDef flatten(const Tup& t, std::vector<Array>& leaves) {
    std::vector<TreeDef> children;
    std::apply([&](const auto&... x) { (children.push_back(TreeTraits<std::remove_cvref_t<decltype(x)>>::flatten(x, leaves)), ...); }, t);
    return TreeDef::tuple(std::move(children));
  }
  static value_type unflatten(const TreeDef& def, const Array*& next) {
    constexpr size_t N = std::tuple_size_v<Tup>;
    if (def.kind() != TreeDef::Kind::tuple || def.children().size() != N)
      detail::throw_tree_error("expected a tuple of " + std::to_string(N) + ", got " + def.body());
    // Braced initialisation reads the children in order.
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return value_type{TreeTraits<std::tuple_element_t<I, value_type>>::unflatten(def.children()[I], next)...};
    }(std::make_index_sequence<N>{});
  }
};

template <class T> struct TreeTraits<std::map<std::string, T>, std::enable_if_t<is_tree_v<T>>> {
  static constexpr bool is_tree = true;
  using value_type = std::map<std::string, tree_value_t<T>>;
  static TreeDef flatten(const std::map<std::string, T>& m, std::vector<Array>& leaves) {
    std::vector<std::string> keys;
    std::vector<TreeDef> children;
    for (const auto& [k, v] : m) {
      keys.push_back(k);
      children.push_back(TreeTraits<T>::flatten(v, leaves));
    }
    return TreeDef::dict(std::move(keys), std::move(children));
  }
  static value_type unflatten(const TreeDef& def, const Array*& next) {
    if (def.kind() != TreeDef::Kind::dict) detail::throw_tree_error("expected a dict (std::map), got " + def.body());
    value_type out;
    for (size_t i = 0; i < def.keys().size(); ++i)
      out.emplace(def.keys()[i], TreeTraits<tree_value_t<T>>::unflatten(def.children()[i], next));
    return out;
  }
};

template <class T> struct TreeTraits<std::optional<T>, std::enable_if_t<is_tree_v<T>>> {
  static constexpr bool is_tree = true;
  using value_type = std::optional<tree_value_t<T>>;
  static TreeDef flatten(const std::optional<T>& x, std::vector<Array>& leaves) {
    return x ? TreeTraits<T>::flatten(*x, leaves) : TreeDef::none();
  }
  static value_type unflatten(const TreeDef& def, const Array*& next) {
    if (def.kind() == TreeDef::Kind::none) return std::nullopt;
    return TreeTraits<tree_value_t<T>>::unflatten(def, next);
  }
};

template <> struct TreeTraits<std::nullopt_t> {
  static constexpr bool is_tree = true;
  using value_type = std::nullopt_t;
  static TreeDef flatten(std::nullopt_t, std::vector<Array>&) { return TreeDef::none(); }
  static value_type unflatten(const TreeDef& def, const Array*&) {
    if (def.kind() != TreeDef::Kind::none) detail::throw_tree_error("expected None, got " + def.body());
    return std::nullopt;
  }
};

template <class T> struct TreeTraits<T, std::enable_if_t<detail::registered_struct<T>>> {
  static constexpr bool is_tree = true;
  using value_type = T;
  static TreeDef flatten(const T& x, std::vector<Array>& leaves) {
    auto [name, fields] = detail::split_struct_names(fluxion_tree_names(static_cast<const T*>(nullptr)));
    std::vector<TreeDef> children;
    std::apply([&](const auto&... f) { (children.push_back(TreeTraits<std::remove_cvref_t<decltype(f)>>::flatten(f, leaves)), ...); },
               fluxion_tree_fields(x));
    return TreeDef::node(std::move(name), std::move(fields), std::move(children));
  }
  static T unflatten(const TreeDef& def, const Array*& next) {
    static_assert(detail::fields_rebuildable<decltype(fluxion_tree_fields(std::declval<T&>()))>::value,
                  "FLUXION_PYTREE: every field must be an fx::Array or a pytree of Arrays (not a double or a "
                  "std::vector<double>), so that transformations can rebuild the struct");
    auto [name, fields] = detail::split_struct_names(fluxion_tree_names(static_cast<const T*>(nullptr)));
    if (def.kind() != TreeDef::Kind::node || def.type_name() != name || def.keys() != fields)
      detail::throw_tree_error("expected a " + name + ", got " + def.body());
    T out{};
    size_t i = 0;
    std::apply([&](auto&... f) {
      ((f = TreeTraits<std::remove_cvref_t<decltype(f)>>::unflatten(def.children()[i++], next)), ...);
    }, fluxion_tree_fields(out));
    return out;
  }
};

// ------------------------------------------------------------ the tree API

template <class T> std::pair<std::vector<Array>, TreeDef> tree_flatten(const T& tree) {
  static_assert(is_tree_v<T>, "fx::tree_flatten: not a pytree (an Array, a number, a standard container of "
                              "pytrees or a struct registered with FLUXION_PYTREE)");
  std::vector<Array> leaves;
  TreeDef def = TreeTraits<std::remove_cvref_t<T>>::flatten(tree, leaves);
  return {std::move(leaves), std::move(def)};
}

template <class T> std::vector<Array> tree_leaves(const T& tree) { return tree_flatten(tree).first; }
template <class T> TreeDef tree_structure(const T& tree) { return tree_flatten(tree).second; }

/// The tree of type T (a tree_value_t) with structure `def` and these leaves.
template <class T> T tree_unflatten(const TreeDef& def, std::span<const Array> leaves) {
  static_assert(std::is_same_v<tree_value_t<T>, T>,
                "fx::tree_unflatten<T>: T must have Array leaves (e.g. std::vector<fx::Array>, not std::vector<double>)");
  if (leaves.size() != def.num_leaves())
    detail::throw_tree_error(std::string(leaves.size() < def.num_leaves() ? "Too few" : "Too many") +
                             " leaves for PyTreeDef; expected " + std::to_string(def.num_leaves()) + ", got " +
                             std::to_string(leaves.size()));
  const Array* next = leaves.data();
  return TreeTraits<T>::unflatten(def, next);
}

/// f applied to each leaf (and the leaves at the same place in `rest`, which
/// must have the same structure); the result has `tree`'s structure.
template <class F, class T, class... Rest> tree_value_t<T> tree_map(const F& f, const T& tree, const Rest&... rest) {
  auto [leaves, def] = tree_flatten(tree);
  std::vector<std::vector<Array>> others;
  (
      [&] {
        auto [l, d] = tree_flatten(rest);
        if (auto why = detail::tree_mismatch(def, d)) detail::throw_tree_error(*why);
        others.push_back(std::move(l));
      }(),
      ...);
  std::vector<Array> out;
  out.reserve(leaves.size());
  for (size_t i = 0; i < leaves.size(); ++i) {
    out.push_back([&]<size_t... I>(std::index_sequence<I...>) {
      return Array(f(leaves[i], others[I][i]...));
    }(std::index_sequence_for<Rest...>{}));
  }
  return tree_unflatten<tree_value_t<T>>(def, out);
}

}  // namespace fluxion

// ------------------------------------------------------------ FLUXION_PYTREE

#define FLUXION_PP_CAT_(a, b) a##b
#define FLUXION_PP_CAT(a, b) FLUXION_PP_CAT_(a, b)
#define FLUXION_PP_COUNT_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, N, ...) N
#define FLUXION_PP_COUNT(...) \
  FLUXION_PP_COUNT_(__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define FLUXION_PP_F1(x, a) x.a
#define FLUXION_PP_F2(x, a, ...) x.a, FLUXION_PP_F1(x, __VA_ARGS__)
#define FLUXION_PP_F3(x, a, ...) x.a, FLUXION_PP_F2(x, __VA_ARGS__)
#define FLUXION_PP_F4(x, a, ...) x.a, FLUXION_PP_F3(x, __VA_ARGS__)
#define FLUXION_PP_F5(x, a, ...) x.a, FLUXION_PP_F4(x, __VA_ARGS__)
#define FLUXION_PP_F6(x, a, ...) x.a, FLUXION_PP_F5(x, __VA_ARGS__)
#define FLUXION_PP_F7(x, a, ...) x.a, FLUXION_PP_F6(x, __VA_ARGS__)
#define FLUXION_PP_F8(x, a, ...) x.a, FLUXION_PP_F7(x, __VA_ARGS__)
#define FLUXION_PP_F9(x, a, ...) x.a, FLUXION_PP_F8(x, __VA_ARGS__)
#define FLUXION_PP_F10(x, a, ...) x.a, FLUXION_PP_F9(x, __VA_ARGS__)
#define FLUXION_PP_F11(x, a, ...) x.a, FLUXION_PP_F10(x, __VA_ARGS__)
#define FLUXION_PP_F12(x, a, ...) x.a, FLUXION_PP_F11(x, __VA_ARGS__)
#define FLUXION_PP_F13(x, a, ...) x.a, FLUXION_PP_F12(x, __VA_ARGS__)
#define FLUXION_PP_F14(x, a, ...) x.a, FLUXION_PP_F13(x, __VA_ARGS__)
#define FLUXION_PP_F15(x, a, ...) x.a, FLUXION_PP_F14(x, __VA_ARGS__)
#define FLUXION_PP_F16(x, a, ...) x.a, FLUXION_PP_F15(x, __VA_ARGS__)
#define FLUXION_PP_FIELDS(x, ...) FLUXION_PP_CAT(FLUXION_PP_F, FLUXION_PP_COUNT(__VA_ARGS__))(x, __VA_ARGS__)

/// Registers a struct as a pytree whose children are the listed fields (1 to
/// 16, each an Array or a pytree of Arrays), as jax.tree_util's
/// register_dataclass. Write it at namespace scope in the struct's namespace;
/// the struct must be default-constructible.
#define FLUXION_PYTREE(Type, ...)                                                                         \
  [[maybe_unused]] inline auto fluxion_tree_fields(Type& fluxion_x) {                                     \
    return std::tie(FLUXION_PP_FIELDS(fluxion_x, __VA_ARGS__));                                           \
  }                                                                                                       \
  [[maybe_unused]] inline auto fluxion_tree_fields(const Type& fluxion_x) {                               \
    return std::tie(FLUXION_PP_FIELDS(fluxion_x, __VA_ARGS__));                                           \
  }                                                                                                       \
  [[maybe_unused]] inline const char* fluxion_tree_names(const Type*) { return #Type "(" #__VA_ARGS__ ")"; }
