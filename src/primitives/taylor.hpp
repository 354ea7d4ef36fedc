// The pieces Taylor rules (Primitive::jet) are made of, after
// jax/experimental/jet.py and Griewank & Walther, "Evaluating Derivatives",
// ch. 13.
//
// A rule receives each input's terms in JAX's convention (term k-1 is the
// k-th derivative along the path, so x(t) = x0 + Σ x_k t^k / k!). Most
// recurrences are simpler on the normalised Taylor coefficients
// x̃_k = x_k / k!, the coefficients of t^k: a product is then a plain
// Cauchy convolution, c̃_k = Σ_j ã_j b̃_(k-j), and v = φ(u) with
// v' = w u' gives ṽ_k = (1/k) Σ_(j=1..k) j ũ_j w̃_(k-j). `coefficients`
// and `derivative_terms` convert between the two.
//
// Which rule a primitive uses:
// - linear in its floating operands (add, reshape, gather, ...):
//   `taylor_linear`, the primitive applied to each term;
// - outputs that do not move (comparisons, floor, integer results):
//   `taylor_constant`;
// - its own recurrence, in its family's file (exp, tanh, mul, div, ...);
// - else `taylor_via_jvp`, the exception: the terms of the derivative
//   from a jet of order K-1 of the primitive's JVP rule. Polynomial in K
//   (each level recurses once) but slower than a recurrence; no
//   primitive's whole rule is this today (docs/ARCHITECTURE.md says where
//   it still serves, and tests/core/registry_test.cpp pins the list).
#pragma once

#include <span>
#include <vector>

#include "fluxion/primitive.hpp"

namespace fluxion::prim {

using Series = std::vector<Array>;

// The primitive applied to term k of every floating operand (zeros for one
// that does not move), other operands (indices, predicates) as they are.
TaylorResult taylor_linear(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                           const Params& params);
// The primitive on the primals; no output moves (piecewise constant, or
// integer/boolean results).
TaylorResult taylor_constant(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                             const Params& params);
// The exception (see above): the derivative's terms from a jet of the JVP rule.
TaylorResult taylor_via_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                            const Params& params);

// The order K of the series given to a rule (the length of any non-empty one).
size_t order_of(std::span<const Series> series);
// x's K terms, zeros where x does not move.
Series instantiate_series(const Array& x, const Series& terms, size_t order);

// [x0, x1/1!, x2/2!, ...]: the normalised coefficients (K+1 of them), from
// the primal and its terms (zeros where `terms` is empty).
Series coefficients(const Array& x0, const Series& terms, size_t order);
// [v1*1!, v2*2!, ...]: JAX's terms back from coefficients v̂ (v̂[0] is the primal, dropped).
Series derivative_terms(const Series& coefs);

// k! as a double (exact through 22!).
double factorial(size_t k);
// x * c for a C++ number c (x's dtype; no operation when c is 1).
Array scale(const Array& x, double c);
// Σ_(j=lo..hi) a[j] * b[k-j], the Cauchy product's coefficient k restricted
// to j in [lo, hi]; empty handles count as zero, and so may the result.
Array convolve(const Series& a, const Series& b, size_t k, size_t lo, size_t hi);
inline Array convolve(const Series& a, const Series& b, size_t k) { return convolve(a, b, k, 0, k); }
// [_, 1 u[1], 2 u[2], ...]: u's coefficients times their index, the
// derivative's coefficients shifted up by one (ju[j] = j ũ_j), computed once
// per rule for integrate_product.
Series index_weighted(const Series& u);
// (1/k) Σ_(j=1..k) ju[j] w[k-j]: coefficient k of v where v' = w u', with
// ju = index_weighted(u) (v's own coefficient 0 is not involved). The
// workhorse of exp, log, sin/cos, tanh, erf...
Array integrate_product(const Series& ju, const Series& w, size_t k);
// a + b, a - b, a * b, each possibly an empty (zero) handle.
Array add_terms(const Array& a, const Array& b);
Array sub_terms(const Array& a, const Array& b);
Array mul_terms(const Array& a, const Array& b);

// index_weighted(coefficients(x0, terms, order)) without the coefficients:
// j ũ_j = u_j / (j-1)!, one multiplication fewer per term (none for j <= 2).
// All empty when `terms` is.
Series index_weighted_terms(const Series& terms, size_t order);
// JAX's term k, k! ṽ_k, from jv = k ṽ_k: (k-1)! jv.
Array term_from_weighted(const Array& jv, size_t k);
// Σ_(j=lo..k-lo) a[j] a[k-j], the coefficient k of a square restricted to
// j in [lo, k-lo], by symmetry: twice the products below the middle, plus
// the middle one squared (about half the multiplications of convolve).
Array square_convolve(const Series& a, size_t k, size_t lo);
// (n - Σ_(j=lo..k-1) x[j] d[k-j]) / d[0]: x[k] from x * d = n, the step of
// every quotient recurrence (division, log, atan, sqrt, ...); n may be empty.
Array solve_step(const Array& n, const Series& x, const Series& d, size_t k, size_t lo);
// solve_step with n = 0 (x * d constant: a reciprocal), given minus_d0 =
// -d[0]: Σ_(j=lo..k-1) x[j] d[k-j] / minus_d0, one negation for the whole
// series instead of one per coefficient.
Array reciprocal_step(const Series& x, const Series& d, size_t k, size_t lo, const Array& minus_d0);
// Coefficients ṽ_1..ṽ_K (ṽ_0 empty) of f(u(t)) from f's derivatives at the
// primal, derivs[m-1] = f^(m)(u0) for m = 1..K, and u's coefficients
// (ũ_0..ũ_K): Faà di Bruno, v = Σ_m f^(m)(u0)/m! (u - u0)^m, through the
// powers of u - u0. O(K³) multiplications; for functions with no ODE of
// their own (lgamma, digamma, polygamma, pow in its base), exact wherever
// the derivatives are.
Series compose_univariate(const Series& derivs, const Series& u);
// Normalised coefficients (as many as a's) of a² (square_convolve) and of a * b.
Series square_series(const Series& a);
Series product_series(const Series& a, const Series& b);
// The terms of x^n for x moving with `terms` and ans = x0^n: none for n = 0,
// x's own for n = 1, else square and multiply on the normalised series
// (no division by x0: exact at x0 = 0, unlike JAX's rule), and for n < 0
// the reciprocal of x^|n|, r̃_k = -Σ_(j<k) r̃_j p̃_(k-j) / p̃_0.
Series integer_power_terms(const Array& x0, const Series& terms, int64_t n, const Array& ans);
// Each term broadcast to `shape` (a 0-d operand's terms in a shaped result).
Series broadcast_terms(Series terms, const Shape& shape);

}  // namespace fluxion::prim
