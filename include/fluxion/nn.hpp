/// @file
/// Functions whose derivative JAX defines by a custom rule (fx::custom_jvp),
/// so that they differentiate where the formula alone would not: at a kink, at
/// a removable singularity, at large or infinite arguments.
///
/// ```
///   Python                          C++
///   jax.nn.relu(x)                  fx::nn::relu(x)       derivative 0 at x = 0, as JAX's
///   jax.nn.softplus(x)              fx::nn::softplus(x)   log(1 + e^x), exact for large |x|
///   jax.nn.sigmoid(x)               fx::nn::sigmoid(x)
///   jax.nn.logsumexp(a, axis)       fx::nn::logsumexp(a, axis)
///   jax.nn.logsumexp(a, axis, b)    fx::nn::logsumexp(a, axis, b)   (and return_sign)
///   jax.nn.softmax(x, axis)         fx::nn::softmax(x, axis)
///   jnp.logaddexp(a, b)             fx::logaddexp(a, b)   log(e^a + e^b), infinities exact
///   jnp.sinc(x)                     fx::sinc(x)           sin(pi x)/(pi x); every derivative at 0
///   jnp.linalg.norm(x, axis=...)    fx::linalg::norm(x, axis)   (Frobenius / 2-norm)
/// ```
///
/// fx::linalg::norm differs from jnp.linalg.norm at 0 on purpose: its
/// gradient there is 0 (a subgradient, what optax.safe_norm gives) where
/// JAX's is NaN.
#pragma once

#include <optional>
#include <utility>

#include "fluxion/array.hpp"
#include "fluxion/ops.hpp"

namespace fluxion {

Array logaddexp(const Array& a, const Array& b);
Array sinc(const Array& x);

namespace nn {
Array relu(const Array& x);
Array softplus(const Array& x);
Array sigmoid(const Array& x);
/// log(sum(exp(a))) over `axes` (all by default), computed from a - max(a) so
/// that large values do not overflow; the max is held constant for the
/// derivative (stop_gradient), as JAX's. An empty reduction gives -inf.
Array logsumexp(const Array& a, const Axes& axes = {}, bool keepdims = false);
/// log(sum(b * exp(a))): `b` scales each exponential (broadcast against `a`;
/// an element with b == 0 is left out, even where a is inf or NaN), as
/// jax.nn.logsumexp(a, axis, b). Where the sum is negative the result is NaN
/// (use the fx::nn::return_sign overload for its sign).
Array logsumexp(const Array& a, const Axes& axes, const std::optional<Array>& b, bool keepdims = false);
/// Selects the logsumexp overload that returns (log|sum|, sign(sum)): JAX's return_sign=True.
struct ReturnSign {};
/// The fx::nn::ReturnSign tag: `fx::nn::logsumexp(a, axes, b, false, fx::nn::return_sign)`.
inline constexpr ReturnSign return_sign{};
/// jax.nn.logsumexp(a, axis, b, keepdims, return_sign=True): the pair
/// (log|sum(b * exp(a))|, sign of that sum: -1, 0 or 1).
std::pair<Array, Array> logsumexp(const Array& a, const Axes& axes, const std::optional<Array>& b, bool keepdims,
                                  ReturnSign);
Array softmax(const Array& x, const Axes& axes = -1);
Array log_softmax(const Array& x, const Axes& axes = -1);
}  // namespace nn

namespace linalg {
/// sqrt(sum(x^2)) over `axes` (all by default).
Array norm(const Array& x, const Axes& axes = {}, bool keepdims = false);
}  // namespace linalg

}  // namespace fluxion
