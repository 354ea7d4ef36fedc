/// @file
/// Taylor mode: fx::jet propagates a truncated Taylor series through a
/// function in one pass, as jax.experimental.jet.jet
/// ([docs/ARCHITECTURE.md](docs/ARCHITECTURE.md), "Taylor mode").
///
/// The convention is JAX's: the input moves along the path
/// x(t) = x0 + Σ_k h_k t^k / k!, and the outputs are the derivatives
/// d^k/dt^k f(x(t)) at t = 0 for k = 1..K. So with h = (1, 0, ..., 0) they are
/// f's own derivatives f'(x0), ..., f^(K)(x0):
///
///     auto [y0, ys] = fx::jet([](fx::Array x) { return fx::exp(x); }, {0.0}, {{1.0, 0.0, 0.0}});
///     // y0 = 1, ys = {1, 1, 1}
///
/// Each primitive propagates all K terms at once with a recurrence of O(K²)
/// operations (nesting jvp K times costs O(2^K)). jet composes with every
/// transformation: vmap(jet) for many points, jit for compiled code, grad of
/// a Taylor coefficient, and jet of jet.
#pragma once

#include <tuple>
#include <utility>
#include <vector>

#include "fluxion/transforms.hpp"

namespace fluxion {

namespace detail {
// primals: one per input; series[i]: input i's K terms, or none when it does
// not move. Returns the outputs and each output's K terms (zeros where an
// output does not move; none at all when K is 0).
std::pair<std::vector<Array>, std::vector<std::vector<Array>>> jet_core(
    const Fn& f, const std::vector<Array>& primals, const std::vector<std::vector<Array>>& series);
// The primal/series agreement jet requires of its arguments (JAX's messages).
void check_jet_arguments(const std::vector<Array>& primals, const std::vector<std::vector<Array>>& series);

// What f returns when called with the fewest Arrays it accepts (1 to 8).
template <class F, size_t N = 1> auto array_result() {
  if constexpr (invocable_n<F, N>) return std::type_identity<result_of_n<F, N>>{};
  else if constexpr (N < 8) return array_result<F, N + 1>();
  else return std::type_identity<void>{};
}
template <class F> using array_result_t = typename decltype(array_result<F>())::type;
}  // namespace detail

/// (f(x0), [d/dt f(x(t)), ..., d^K/dt^K f(x(t))] at t = 0) for Array
/// arguments: `primals` has one value per argument and `series[i]` the K
/// terms h_1..h_K of argument i (every argument the same K). For f returning
/// an Array the terms are a std::vector<Array>; for f returning a
/// std::vector<Array> they are one std::vector<Array> per order.
template <class F>
  requires(!std::is_void_v<detail::array_result_t<F>>)
auto jet(F f, const std::vector<Array>& primals, const std::vector<std::vector<Array>>& series) {
  detail::check_jet_arguments(primals, series);
  auto [outs, terms] = detail::jet_core(detail::erase_dynamic(f, primals.size()), primals, series);
  if constexpr (std::is_same_v<detail::array_result_t<F>, std::vector<Array>>) {
    const size_t order = series.empty() ? 0 : series[0].size();
    std::vector<std::vector<Array>> per_order(order);
    for (size_t k = 0; k < order; ++k)
      for (const auto& s : terms) per_order[k].push_back(s[k]);
    return std::pair<std::vector<Array>, std::vector<std::vector<Array>>>{std::move(outs), std::move(per_order)};
  } else {
    return std::pair<Array, std::vector<Array>>{outs[0], terms[0]};
  }
}

/// The same for pytree arguments, as jax.experimental.jet.jet(f, primals,
/// series): a tuple of primal arguments and a tuple with, per argument, a
/// std::vector of its K terms (each of that argument's structure). Returns
/// (f(primals), its K terms), each of f's result type.
template <class F, class... P, class... S>
  requires(sizeof...(P) == sizeof...(S) && detail::tree_invocable<const F, P...>)
auto jet(F f, const std::tuple<P...>& primals, const std::tuple<std::vector<S>...>& series) {
  detail::FlatArgs p = std::apply([](const auto&... x) { return detail::flatten_args(x...); }, primals);
  std::vector<std::vector<Array>> leaf_series(p.leaves.size());
  size_t order = 0, first = 0, arg = 0;
  std::apply(
      [&](const auto&... per_arg) {
        (
            [&](const auto& terms) {
              const size_t n = p.defs[arg].num_leaves();
              if (arg == 0) order = terms.size();
              for (const auto& term : terms) {
                auto [leaves, def] = tree_flatten(term);
                if (!(def == p.defs[arg])) detail::throw_jvp_structure(p.defs[arg], def);
                for (size_t l = 0; l < n; ++l) leaf_series[first + l].push_back(leaves[l]);
              }
              first += n;
              ++arg;
            }(per_arg),
            ...);
      },
      series);
  detail::check_jet_arguments(p.leaves, leaf_series);
  auto out_def = std::make_shared<TreeDef>();
  auto [outs, terms] = detail::jet_core(detail::erase_tree<P...>(f, p.defs, out_def), p.leaves, leaf_series);
  using Out = detail::tree_result_value_t<const F, P...>;
  std::vector<Out> ts;
  for (size_t k = 0; k < order; ++k) {
    std::vector<Array> leaves;
    for (const auto& s : terms) leaves.push_back(s[k]);
    ts.push_back(tree_unflatten<Out>(*out_def, leaves));
  }
  return std::pair<Out, std::vector<Out>>{tree_unflatten<Out>(*out_def, outs), std::move(ts)};
}

}  // namespace fluxion
