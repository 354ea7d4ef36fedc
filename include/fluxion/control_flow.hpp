// Structured control flow, as jax.lax's: the branches are traced into
// programs and run by one primitive, so a choice made on a traced value works
// under every transformation (grad, vmap, jit, make_jaxpr), where a C++ `if`
// on one raises fx::ConcretizationError.
//
//   Python                                   C++
//   lax.cond(x > 0, f, g, x, y)              fx::cond(x > 0, f, g, x, y)
//   lax.switch(i, [f, g, h], x)              fx::switch_(i, std::tuple{f, g, h}, x)
//                                            fx::switch_(i, std::vector<std::function<...>>{...}, x)
//   lax.while_loop(c, b, x)                  fx::while_loop(c, b, x)
//   lax.while_loop(c, b, (x, y))             fx::while_loop(c, b, std::vector<fx::Array>{x, y})
//   lax.fori_loop(0, n, lambda i, x: ..., x) fx::fori_loop(0, n, [](fx::Array i, fx::Array x) {...}, x)
//   lax.scan(f, c, xs)                       fx::scan(f, c, xs)   (f returns std::pair(carry, y))
//   lax.map(f, xs)                           fx::map(f, xs)
//
// Branches take the operands as Arrays and return an Array or a
// std::vector<Array>; every branch must return the same number of arrays of
// the same shapes and dtypes (a weakly typed result is made strong when a
// sibling's is). Values a branch captures (a closure over x) become operands
// of the cond, as in JAX. `cond` runs true_fn when pred is true (a number:
// nonzero); `switch_` clamps the index into [0, number of branches).
#pragma once

#include <functional>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

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

template <class R> auto from_outputs(std::vector<Array> outs) {
  if constexpr (is_array_vector<R>::value) return outs;
  else return std::move(outs[0]);
}

}  // namespace detail

// true_fn(operands...) if pred else false_fn(operands...).
template <class T, class F, class... Ops>
auto cond(const Array& pred, const T& true_fn, const F& false_fn, const Ops&... operands) {
  constexpr size_t N = sizeof...(Ops);
  using R = detail::result_of_n<const T, N>;
  return detail::from_outputs<R>(
      detail::cond_core(pred, detail::erase<N>(true_fn), detail::erase<N>(false_fn), detail::to_arrays(operands...)));
}

// val = init; while cond_fn(val): val = body_fn(val); return val. The carry
// is one Array (cond_fn and body_fn take it) or a std::vector<Array> (they
// take and return the vector); body_fn returns the carry's shapes and
// dtypes. Differentiable in forward mode (jvp, jacfwd); reverse mode raises
// fx::Error, as JAX's does: use fori_loop with constant bounds or scan.
template <class C, class B>
Array while_loop(const C& cond_fn, const B& body_fn, const Array& init) {
  return detail::while_core(
      [&cond_fn](const std::vector<Array>& v) { return std::vector<Array>{Array(cond_fn(v[0]))}; },
      [&body_fn](const std::vector<Array>& v) { return std::vector<Array>{Array(body_fn(v[0]))}; }, {init})[0];
}
template <class C, class B>
std::vector<Array> while_loop(const C& cond_fn, const B& body_fn, const std::vector<Array>& init) {
  return detail::while_core([&cond_fn](const std::vector<Array>& v) { return std::vector<Array>{Array(cond_fn(v))}; },
                            [&body_fn](const std::vector<Array>& v) { return std::vector<Array>(body_fn(v)); }, init);
}

// val = init; for i in [lower, upper): val = body_fn(i, val); return val,
// with i an int32 Array. The carry as in while_loop. Constant bounds make it
// a scan (differentiable in both modes), traced ones a while loop, as JAX's.
template <class B>
Array fori_loop(const Array& lower, const Array& upper, const B& body_fn, const Array& init) {
  return detail::fori_core(
      lower, upper,
      [&body_fn](const Array& i, const std::vector<Array>& v) { return std::vector<Array>{Array(body_fn(i, v[0]))}; },
      {init})[0];
}
template <class B>
std::vector<Array> fori_loop(const Array& lower, const Array& upper, const B& body_fn, const std::vector<Array>& init) {
  return detail::fori_core(
      lower, upper,
      [&body_fn](const Array& i, const std::vector<Array>& v) { return std::vector<Array>(body_fn(i, v)); }, init);
}

// jax.lax.scan: carry = init; for each slice x of xs along axis 0 (from the
// last when reverse): (carry, y) = f(carry, x); returns (carry, the ys
// stacked along a new axis 0). Differentiable in both modes: reverse mode
// keeps each iteration's residuals, as JAX's does.
//   f(Array carry, Array x) -> std::pair<Array, Array>
template <class F>
std::pair<Array, Array> scan(const F& f, const Array& init, const Array& xs, bool reverse = false) {
  std::vector<Array> r = detail::scan_core(
      [&f](const std::vector<Array>& a) {
        auto [c, y] = f(a[0], a[1]);
        return std::vector<Array>{Array(c), Array(y)};
      },
      1, {init}, {xs}, std::nullopt, reverse);
  return {r[0], r[1]};
}
// Several carries and xs (and ys): f(carry, x) with both std::vector<Array>,
// returning std::pair of them. With no xs, `length` says how many steps.
template <class F>
std::pair<std::vector<Array>, std::vector<Array>> scan(const F& f, const std::vector<Array>& init,
                                                       const std::vector<Array>& xs,
                                                       std::optional<int64_t> length = std::nullopt,
                                                       bool reverse = false) {
  const size_t nc = init.size();
  std::vector<Array> r = detail::scan_core(
      [&f, nc](const std::vector<Array>& a) {
        auto [c, y] = f(std::vector<Array>(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(nc)),
                        std::vector<Array>(a.begin() + static_cast<std::ptrdiff_t>(nc), a.end()));
        std::vector<Array> out(c.begin(), c.end());
        out.insert(out.end(), y.begin(), y.end());
        return out;
      },
      nc, init, xs, length, reverse);
  return {std::vector<Array>(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(nc)),
          std::vector<Array>(r.begin() + static_cast<std::ptrdiff_t>(nc), r.end())};
}

// jax.lax.map: f applied to each slice of xs along axis 0, as a scan.
template <class F>
Array map(const F& f, const Array& xs) {
  return detail::scan_core([&f](const std::vector<Array>& a) { return std::vector<Array>{Array(f(a[0]))}; }, 0, {},
                           {xs}, std::nullopt, false)[0];
}

// branches[clamp(index, 0, n - 1)](operands...), the branches in a vector.
template <class F, class... Ops>
auto switch_(const Array& index, const std::vector<F>& branches, const Ops&... operands) {
  constexpr size_t N = sizeof...(Ops);
  using R = detail::result_of_n<const F, N>;
  std::vector<detail::Fn> fns;
  for (const F& b : branches) fns.push_back(detail::erase<N>(b));
  return detail::from_outputs<R>(detail::switch_core(index, fns, detail::to_arrays(operands...), "switch_"));
}

// The same with branches of different types (lambdas) in a tuple.
template <class... Fs, class... Ops>
auto switch_(const Array& index, const std::tuple<Fs...>& branches, const Ops&... operands) {
  constexpr size_t N = sizeof...(Ops);
  using R = detail::result_of_n<const std::tuple_element_t<0, std::tuple<Fs...>>, N>;
  std::vector<detail::Fn> fns;
  std::apply([&](const Fs&... b) { (fns.push_back(detail::erase<N>(b)), ...); }, branches);
  return detail::from_outputs<R>(detail::switch_core(index, fns, detail::to_arrays(operands...), "switch_"));
}

}  // namespace fluxion
