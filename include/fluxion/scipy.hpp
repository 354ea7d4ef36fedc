/// \file
/// fx::scipy: jax.scipy.special (erf, erfc, erfinv, gammaln, digamma,
/// logsumexp, xlogy, xlog1py) and jax.scipy.stats.norm (pdf, logpdf, cdf,
/// logcdf, ppf). Integers and bools are promoted to the default float, as
/// jax.scipy promotes them; every function differentiates (to any order),
/// batches and compiles.
///
/// ```
///   Python                                   C++
///   jax.scipy.special.gammaln(x)             fx::scipy::special::gammaln(x)
///   jax.scipy.special.logsumexp(a, 0, b=w)   fx::scipy::special::logsumexp(a, 0, w)
///   jax.scipy.stats.norm.cdf(x, loc, scale)  fx::scipy::stats::norm::cdf(x, loc, scale)
/// ```
#pragma once

#include <optional>
#include <utility>

#include "fluxion/array.hpp"
#include "fluxion/nn.hpp"
#include "fluxion/ops.hpp"

namespace fluxion::scipy {

/// jax.scipy.special.
namespace special {

/// The error function.
Array erf(const Array& x);
/// The complementary error function 1 - erf(x).
Array erfc(const Array& x);
/// The inverse error function on (-1, 1) (±inf at ±1, NaN outside).
Array erfinv(const Array& x);
/// log|Gamma(x)| (+inf at the poles 0, -1, -2, ...).
Array gammaln(const Array& x);
/// The digamma function psi(x), the derivative of gammaln (NaN at the poles).
Array digamma(const Array& x);
/// log(sum(exp(a))) over `axes`: fx::nn::logsumexp.
Array logsumexp(const Array& a, const Axes& axes = {}, bool keepdims = false);
/// log(sum(b * exp(a))) over `axes`: fx::nn::logsumexp with weights (NaN where the sum is negative).
Array logsumexp(const Array& a, const Axes& axes, const std::optional<Array>& b, bool keepdims = false);
/// (log|sum(b * exp(a))|, sign of the sum): fx::nn::logsumexp with fx::nn::return_sign.
std::pair<Array, Array> logsumexp(const Array& a, const Axes& axes, const std::optional<Array>& b, bool keepdims,
                                  nn::ReturnSign);
/// x * log(y), 0 where x == 0 (unless y is NaN), with JAX's custom
/// derivative (x' log y + y' x / y), so that xlogy(0, 0) = 0 differentiates.
Array xlogy(const Array& x, const Array& y);
/// x * log1p(y), 0 where x == 0 (unless y is NaN), with JAX's custom derivative.
Array xlog1py(const Array& x, const Array& y);

}  // namespace special

/// jax.scipy.stats.
namespace stats {
/// The normal distribution with mean `loc` and standard deviation `scale`.
namespace norm {

/// Probability density exp(logpdf(x)).
Array pdf(const Array& x, const Array& loc = 0.0, const Array& scale = 1.0);
/// Log density -((x - loc)/scale)^2/2 - log(scale * sqrt(2 pi)), in JAX's form.
Array logpdf(const Array& x, const Array& loc = 0.0, const Array& scale = 1.0);
/// Cumulative distribution, ndtr((x - loc)/scale), from erf near 0 and erfc in the tails (as JAX's ndtr).
Array cdf(const Array& x, const Array& loc = 0.0, const Array& scale = 1.0);
/// Log of the cumulative distribution, accurate far into both tails (JAX's log_ndtr, with its custom derivative).
Array logcdf(const Array& x, const Array& loc = 0.0, const Array& scale = 1.0);
/// Quantile function: ndtri(q) * scale + loc (JAX's ndtri, Cephes' rational
/// approximations; -inf at q = 0, +inf at 1, NaN outside [0, 1]).
Array ppf(const Array& q, const Array& loc = 0.0, const Array& scale = 1.0);

}  // namespace norm
}  // namespace stats

}  // namespace fluxion::scipy
