/// @file
/// `fx::check_grads`: numerical derivative checks, as jax.test_util.check_grads.
///
/// ```
///   fx::check_grads([](fx::Array x, fx::Array y) { return fx::sin(x) * y; },
///                   {x0, y0}, /*order=*/2);
/// ```
///
/// Forward mode compares jvp along random tangents with central differences
/// (f(x + eps v) - f(x - eps v)) / (2 eps). Reverse mode checks the
/// dot-product identity <J v, w> == <v, J^T w> for random v and cotangents w:
/// once against jvp (tight: both sides are exact up to rounding) and once
/// against central differences. Order n > 1 checks the jvp and vjp functions
/// themselves to order n - 1 (so order 2 covers forward-over-forward,
/// reverse-over-forward, forward-over-reverse and reverse-over-reverse).
/// Primal outputs, tangent dtypes/shapes and cotangent dtypes/shapes are
/// checked too. A mismatch throws fx::Error naming the mode chain, the order,
/// the element, and the expected and computed values.
///
/// Integer and boolean inputs are held fixed (zero tangent) and integer or
/// boolean outputs are not compared. Random directions come from a fixed seed,
/// so a check is reproducible. Evaluate at points away from singularities and
/// kinks: central differences straddle the point by eps.
#pragma once

#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

#include "fluxion/array.hpp"
#include "fluxion/transforms.hpp"

namespace fluxion {

/// Which differentiation modes to check: fx::fwd, fx::rev or fx::fwd | fx::rev.
enum class GradMode : unsigned { fwd = 1, rev = 2 };
constexpr GradMode operator|(GradMode a, GradMode b) {
  return static_cast<GradMode>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool has_mode(GradMode set, GradMode m) {
  return (static_cast<unsigned>(set) & static_cast<unsigned>(m)) != 0;
}
inline constexpr GradMode fwd = GradMode::fwd;
inline constexpr GradMode rev = GradMode::rev;

/// Tolerances default by dtype as JAX's: atol = rtol = 1e-5 when every
/// floating input and output is float64, 1e-2 with float32; eps = 1e-4. The
/// dot-product identity between jvp and vjp is held to rtol * 1e-4 (float64)
/// or rtol * 1e-2 (float32) relative to the size of its terms. A function
/// that computes in float32 internally needs float32 tolerances passed.
struct CheckGradsOptions {
  std::optional<double> atol, rtol, eps;
  uint64_t seed = 0;  ///< for the random tangents and cotangents
};

namespace detail {
void check_grads_core(const Fn& f, const std::vector<Array>& args, int order, GradMode modes,
                      const CheckGradsOptions& options);

// f as a Fn: a callable of one std::vector<Array>, or of args.size() arrays;
// returning an Array or a std::vector<Array>.
template <class F> Fn erase_for_check(const F& f, size_t n) {
  if constexpr (std::is_invocable_v<const F&, const std::vector<Array>&>)
    return [f](const std::vector<Array>& xs) { return as_outputs(f(xs)); };
  else
    return erase_dynamic(f, n);
}
}  // namespace detail

/// Throws fx::Error when a derivative of f at args, up to `order`, disagrees
/// with finite differences or with the other mode.
template <class F>
void check_grads(const F& f, const std::vector<Array>& args, int order, GradMode modes = fwd | rev,
                 std::optional<double> atol = std::nullopt, std::optional<double> rtol = std::nullopt,
                 std::optional<double> eps = std::nullopt) {
  detail::check_grads_core(detail::erase_for_check(f, args.size()), args, order, modes,
                           CheckGradsOptions{atol, rtol, eps});
}
template <class F>
void check_grads(const F& f, const std::vector<Array>& args, int order, GradMode modes,
                 const CheckGradsOptions& options) {
  detail::check_grads_core(detail::erase_for_check(f, args.size()), args, order, modes, options);
}

}  // namespace fluxion
