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
/// derivative (stop_gradient), as JAX's.
Array logsumexp(const Array& a, const Axes& axes = {}, bool keepdims = false);
Array softmax(const Array& x, const Axes& axes = -1);
Array log_softmax(const Array& x, const Axes& axes = -1);
}  // namespace nn

namespace linalg {
/// sqrt(sum(x^2)) over `axes` (all by default).
Array norm(const Array& x, const Axes& axes = {}, bool keepdims = false);
}  // namespace linalg

}  // namespace fluxion
