/// \file
/// jax.lax's special functions and cumulative reductions: erf, erfc, lgamma,
/// digamma, polygamma, nextafter, cumsum, cumprod, cummax, cummin, argmax,
/// argmin. As in jax.lax, each is one primitive and nothing is promoted: the
/// special functions take float32 or float64 operands (a C++ scalar, weakly
/// typed, takes the other operand's dtype), anything else is an
/// fx::TypeError. The NumPy-style versions, which promote integers, are
/// fx::cumsum, fx::cumprod, fx::argmax, fx::argmin, fx::nextafter and the
/// functions of fx::scipy::special.
///
/// Unlike jax.lax, an `axis` may be negative (counted from the end).
#pragma once

#include <cstdint>

#include "fluxion/array.hpp"

namespace fluxion::lax {

/// The error function, 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt.
Array erf(const Array& x);
/// The complementary error function, 1 - erf(x), accurate where erf(x) is near 1.
Array erfc(const Array& x);
/// The log of the absolute value of the gamma function (+inf at the poles 0, -1, -2, ...).
Array lgamma(const Array& x);
/// The digamma function, the derivative of lgamma (NaN at the poles 0, -1, -2, ..., as in JAX).
Array digamma(const Array& x);
/// The m-th derivative of digamma at x, for a non-negative integer-valued m
/// (NaN otherwise); at a pole +inf for odd m, NaN for even m. Differentiable
/// in x only, as in JAX.
Array polygamma(const Array& m, const Array& x);
/// The next representable value after x1 in the direction of x2 (elementwise, broadcasting).
Array nextafter(const Array& x1, const Array& x2);

/// Cumulative sum along `axis` (from the end when `reverse`); integers wrap around.
Array cumsum(const Array& operand, int64_t axis = 0, bool reverse = false);
/// Cumulative product along `axis` (from the end when `reverse`).
Array cumprod(const Array& operand, int64_t axis = 0, bool reverse = false);
/// Running maximum along `axis` (from the end when `reverse`); a NaN propagates.
Array cummax(const Array& operand, int64_t axis = 0, bool reverse = false);
/// Running minimum along `axis` (from the end when `reverse`); a NaN propagates.
Array cummin(const Array& operand, int64_t axis = 0, bool reverse = false);

/// Index of the largest element along `axis`, as `index_dtype` (an integer
/// dtype). A NaN counts as the largest; of equal elements the first wins.
/// The axis must not be empty (fx::ShapeError).
Array argmax(const Array& operand, int64_t axis, DType index_dtype);
/// Index of the smallest element along `axis`, as `index_dtype`; a NaN
/// counts as the smallest; of equal elements the first wins.
Array argmin(const Array& operand, int64_t axis, DType index_dtype);

}  // namespace fluxion::lax
