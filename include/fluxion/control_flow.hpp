/// @file
/// Structured control flow, as jax.lax's: the branches are traced into
/// programs and run by one primitive, so a choice made on a traced value works
/// under every transformation (grad, vmap, jit, make_jaxpr), where a C++ `if`
/// on one raises fx::ConcretizationError.
///
/// ```
///   Python                                   C++
///   lax.cond(x > 0, f, g, x, y)              fx::cond(x > 0, f, g, x, y)
///   lax.switch(i, [f, g, h], x)              fx::switch_(i, std::tuple{f, g, h}, x)
///                                            fx::switch_(i, std::vector<std::function<...>>{...}, x)
///   lax.while_loop(c, b, x)                  fx::while_loop(c, b, x)
///   lax.while_loop(c, b, (x, y))             fx::while_loop(c, b, std::tuple{x, y})
///   lax.scan(f, c, None, length=n)           fx::scan(f, c, std::nullopt, n)
///   lax.fori_loop(0, n, lambda i, x: ..., x) fx::fori_loop(0, n, [](fx::Array i, fx::Array x) {...}, x)
///   lax.scan(f, c, xs)                       fx::scan(f, c, xs)   (f returns std::pair(carry, y))
///   lax.map(f, xs)                           fx::map(f, xs)
/// ```
///
/// Operands, carries, xs and results are pytrees (include/fluxion/pytree.hpp):
/// an Array, a std::vector<Array>, a std::tuple, a registered struct... Every
/// branch must return the same structure of arrays of the same shapes and
/// dtypes (a weakly typed result is made strong when a sibling's is), and a
/// loop's body the carry's. Values a branch captures (a closure over x) become
/// operands of the cond, as in JAX. `cond` runs true_fn when pred is true (a
/// number: nonzero); `switch_` clamps the index into [0, number of branches).
#pragma once

#include <concepts>
#include <functional>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "fluxion/pytree.hpp"
#include "fluxion/transforms.hpp"

namespace fluxion {

namespace detail {

// Traces each branch on the operands' types and binds one cond.
std::vector<Array> switch_core(const Array& index, const std::vector<Fn>& branches, const std::vector<Array>& operands,
                               const char* api);
std::vector<Array> cond_core(const Array& pred, const Fn& true_fn, const Fn& false_fn,
                             const std::vector<Array>& operands);

// Traces cond_fn and body_fn on the carry's types and binds one while.
std::vector<Array> while_core(const Fn& cond_fn, const Fn& body_fn, const std::vector<Array>& init);
// Traces f (carry ++ x slices -> carry ++ y slices) and binds one scan.
std::vector<Array> scan_core(const Fn& f, size_t num_carry, const std::vector<Array>& init,
                             const std::vector<Array>& xs, std::optional<int64_t> length, bool reverse);
std::vector<Array> fori_core(const Array& lower, const Array& upper,
                             const std::function<std::vector<Array>(const Array&, const std::vector<Array>&)>& body_fn,
                             const std::vector<Array>& init);

[[noreturn]] void throw_structure_mismatch(const std::string& what, const TreeDef& a, const TreeDef& b);

// A branch as a Fn of its operands' leaves. Every branch after the first
// checks that its result has the first one's structure (the branches are
// traced in order); the message names this branch's structure first when
// `own_first` (cond's true_fn, traced second, as JAX names it first).
template <class... Ops, class B>
Fn branch_fn(const B& branch, const std::vector<TreeDef>& defs, std::shared_ptr<TreeDef> out_def,
             std::shared_ptr<const TreeDef> first_def, std::string what, bool own_first = false) {
  return [&branch, defs, out_def, first_def, what, own_first](const std::vector<Array>& leaves) {
    auto [outs, def] = tree_flatten(std::apply(branch, unflatten_args<Ops...>(defs, leaves)));
    if (first_def && !(def == *first_def))
      own_first ? throw_structure_mismatch(what, def, *first_def) : throw_structure_mismatch(what, *first_def, def);
    *out_def = std::move(def);
    return outs;
  };
}

// The carry as a Fn's leaves: a loop's body rebuilds it, applies the user's
// step and flattens the result, which must have the carry's structure.
template <class T> tree_value_t<T> rebuild(const TreeDef& def, std::span<const Array> leaves) {
  return tree_unflatten<tree_value_t<T>>(def, leaves);
}

}  // namespace detail

/// true_fn(operands...) if pred else false_fn(operands...). Operands and
/// results are pytrees; both branches return the same structure and types.
template <class T, class F, class... Ops>
  requires detail::tree_invocable<const T, Ops...> && detail::tree_invocable<const F, Ops...>
auto cond(const Array& pred, const T& true_fn, const F& false_fn, const Ops&... operands) {
  detail::FlatArgs flat = detail::flatten_args(operands...);
  auto false_def = std::make_shared<TreeDef>(), true_def = std::make_shared<TreeDef>();
  // JAX's order: false_fn is branch 0, traced first.
  const detail::Fn f = detail::branch_fn<Ops...>(false_fn, flat.defs, false_def, nullptr, "");
  const detail::Fn t =
      detail::branch_fn<Ops...>(true_fn, flat.defs, true_def, false_def, "true_fun and false_fun output", true);
  std::vector<Array> outs = detail::cond_core(pred, t, f, flat.leaves);
  using R = detail::tree_result_value_t<const T, Ops...>;
  return tree_unflatten<R>(*false_def, outs);
}

/// val = init; while cond_fn(val): val = body_fn(val); return val. The carry
/// is any pytree (an Array, a std::vector<Array>, a struct...): cond_fn takes
/// it and returns a boolean scalar, body_fn takes it and returns the carry's
/// structure, shapes and dtypes. Differentiable in forward mode (jvp,
/// jacfwd); reverse mode raises fx::Error, as JAX's does: use fori_loop with
/// constant bounds or scan.
template <class C, class B, class T>
  requires detail::tree_invocable<const C, T> && detail::tree_invocable<const B, T>
tree_value_t<T> while_loop(const C& cond_fn, const B& body_fn, const T& init) {
  auto [leaves, def] = tree_flatten(init);
  const detail::Fn cond = [&cond_fn, &def](const std::vector<Array>& v) {
    return std::vector<Array>{Array(cond_fn(detail::rebuild<T>(def, v)))};
  };
  const detail::Fn body = [&body_fn, &def](const std::vector<Array>& v) {
    auto [outs, out_def] = tree_flatten(body_fn(detail::rebuild<T>(def, v)));
    if (!(out_def == def)) detail::throw_structure_mismatch("body_fun output and input", out_def, def);
    return outs;
  };
  return tree_unflatten<tree_value_t<T>>(def, detail::while_core(cond, body, leaves));
}

/// val = init; for i in [lower, upper): val = body_fn(i, val); return val,
/// with i an int32 Array and the carry any pytree. Constant bounds make it a
/// scan (differentiable in both modes), traced ones a while loop, as JAX's.
template <class B, class T>
  requires detail::all_trees<T> && std::is_invocable_v<const B&, Array, tree_value_t<T>>
tree_value_t<T> fori_loop(const Array& lower, const Array& upper, const B& body_fn, const T& init) {
  auto [leaves, def] = tree_flatten(init);
  const auto body = [&body_fn, &def](const Array& i, const std::vector<Array>& v) {
    auto [outs, out_def] = tree_flatten(body_fn(i, detail::rebuild<T>(def, v)));
    if (!(out_def == def)) detail::throw_structure_mismatch("body_fun output and input", out_def, def);
    return outs;
  };
  return tree_unflatten<tree_value_t<T>>(def, detail::fori_core(lower, upper, body, leaves));
}

/// jax.lax.scan: carry = init; for each slice x of xs along axis 0 (from the
/// last when reverse): (carry, y) = f(carry, x); returns (carry, the ys
/// stacked along a new axis 0). The carry, xs and ys are pytrees (xs may be
/// std::nullopt, JAX's None, with `length` steps); f returns
/// std::pair(carry, y). Differentiable in both modes: reverse mode keeps each
/// iteration's residuals, as JAX's does.
template <class F, class C, class X>
  requires detail::all_trees<C, X>
auto scan(const F& f, const C& init, const X& xs, std::optional<int64_t> length = std::nullopt, bool reverse = false) {
  using Step = std::invoke_result_t<const F&, tree_value_t<C>, tree_value_t<X>>;
  using Y = tree_value_t<std::tuple_element_t<1, Step>>;
  auto [carry, carry_def] = tree_flatten(init);
  auto [xs_leaves, xs_def] = tree_flatten(xs);
  auto y_def = std::make_shared<TreeDef>();
  const size_t nc = carry.size();
  const detail::Fn step = [&f, &carry_def, &xs_def, y_def, nc](const std::vector<Array>& a) {
    std::span<const Array> all(a);
    auto [c, y] = f(detail::rebuild<C>(carry_def, all.first(nc)), detail::rebuild<X>(xs_def, all.subspan(nc)));
    auto [outs, out_def] = tree_flatten(c);
    if (!(out_def == carry_def))
      detail::throw_structure_mismatch("scan body function carry input and carry output", carry_def, out_def);
    auto [ys, ydef] = tree_flatten(y);
    *y_def = std::move(ydef);
    outs.insert(outs.end(), ys.begin(), ys.end());
    return outs;
  };
  std::vector<Array> r = detail::scan_core(step, nc, carry, xs_leaves, length, reverse);
  std::span<const Array> all(r);
  return std::pair<tree_value_t<C>, Y>{detail::rebuild<C>(carry_def, all.first(nc)),
                                       tree_unflatten<Y>(*y_def, all.subspan(nc))};
}
/// The same with `reverse` as the fourth argument (Arrays, as before length existed).
template <class F, class Bool>
  requires std::same_as<Bool, bool>
std::pair<Array, Array> scan(const F& f, const Array& init, const Array& xs, Bool reverse) {
  return scan(f, init, xs, std::nullopt, reverse);
}

/// jax.lax.map: f applied to each slice of xs (a pytree) along axis 0, as a scan.
template <class F, class X>
  requires detail::tree_invocable<const F, X>
auto map(const F& f, const X& xs) {
  return scan([&f](std::tuple<>, const tree_value_t<X>& x) { return std::pair{std::tuple<>{}, f(x)}; }, std::tuple<>{},
              xs)
      .second;
}

/// branches[clamp(index, 0, n - 1)](operands...), the branches in a vector.
template <class F, class... Ops>
  requires detail::tree_invocable<const F, Ops...>
auto switch_(const Array& index, const std::vector<F>& branches, const Ops&... operands) {
  detail::FlatArgs flat = detail::flatten_args(operands...);
  std::vector<std::shared_ptr<TreeDef>> defs;
  std::vector<detail::Fn> fns;
  for (size_t k = 0; k < branches.size(); ++k) {
    defs.push_back(std::make_shared<TreeDef>());
    fns.push_back(detail::branch_fn<Ops...>(branches[k], flat.defs, defs.back(), k ? defs[0] : nullptr,
                                            "branch 0 and " + std::to_string(k) + " outputs"));
  }
  std::vector<Array> outs = detail::switch_core(index, fns, flat.leaves, "switch_");
  using R = detail::tree_result_value_t<const F, Ops...>;
  return tree_unflatten<R>(*defs[0], outs);
}

/// The same with branches of different types (lambdas) in a tuple.
template <class... Fs, class... Ops>
auto switch_(const Array& index, const std::tuple<Fs...>& branches, const Ops&... operands) {
  detail::FlatArgs flat = detail::flatten_args(operands...);
  std::vector<std::shared_ptr<TreeDef>> defs;
  std::vector<detail::Fn> fns;
  std::apply(
      [&](const Fs&... b) {
        (
            [&] {
              const size_t k = defs.size();
              defs.push_back(std::make_shared<TreeDef>());
              fns.push_back(detail::branch_fn<Ops...>(b, flat.defs, defs.back(), k ? defs[0] : nullptr,
                                                      "branch 0 and " + std::to_string(k) + " outputs"));
            }(),
            ...);
      },
      branches);
  std::vector<Array> outs = detail::switch_core(index, fns, flat.leaves, "switch_");
  using R = detail::tree_result_value_t<const std::tuple_element_t<0, std::tuple<Fs...>>, Ops...>;
  return tree_unflatten<R>(*defs[0], outs);
}

}  // namespace fluxion
