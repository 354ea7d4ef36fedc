// What the seed programs (examples/seed_00N_*.cpp) share with their tests
// (tests/seeds/): the seeds' functions are written once, here, so the tests
// assert the numbers of the very code the demo prints.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace seeds {

namespace fx = fluxion;

// A one-argument function of any transformation depth (grad(grad(f)) has a
// different C++ type from f, so loops that re-differentiate need erasure).
using ScalarFn = std::function<fx::Array(fx::Array)>;

// The callable and its source text: the C++ stand-in for inspect.getsource.
#define SEED_WITH_SOURCE(...) std::make_pair(__VA_ARGS__, std::string_view(#__VA_ARGS__))

inline void section(std::string_view title) { std::cout << "\n=== " << title << " ===\n"; }

// print(float(x)): Python converts to a C double and prints its repr, the
// shortest digits that round-trip. NumPy's str of a 0-d float64 is that repr.
inline std::string py_float(double v) { return fx::to_string(fx::Array(v)); }
inline std::string py_float(const fx::Array& x) { return py_float(x.astype(fx::float64).item<double>()); }

// xs[::step] (Fluxion has no slicing yet).
inline fx::Array every_nth(const fx::Array& xs, int64_t step) {
  std::vector<fx::Array> out;
  for (int64_t i = 0; i < xs.size(); i += step) out.push_back(xs[i]);
  return fx::stack(out);
}

// jnp.asarray of a nested tuple of arrays (what jacfwd(jacfwd(g, argnums=(0, 1)), ...) returns).
inline fx::Array asarray(const std::vector<std::vector<fx::Array>>& rows) {
  std::vector<fx::Array> stacked;
  for (const auto& r : rows) stacked.push_back(fx::stack(r));
  return fx::stack(stacked);
}

// ------------------------------------------------------------------ seed 000

// The Ackley function as the seed writes it. d is a C++ number as x.size is a
// Python int (a weak scalar); under vmap x.size() is the per-example size.
// The constant is jnp.exp(1.0), which XLA computes as 2.7182818284590455, one
// ulp above fx::e: using fx::e would move f by that ulp, and the smallest
// errors below are cancellations at that level.
inline fx::Array ackley(const fx::Array& x) {
  const double a = 20.0;
  const double b = 0.2;
  const double c = 2 * fx::pi;
  const double d = static_cast<double>(x.size());
  const fx::Array sum_sq_term = -b * fx::sqrt(fx::sum(fx::pow(x, 2)) / d);
  const fx::Array sum_cos_term = fx::sum(fx::cos(c * x)) / d;
  const fx::Array term1 = -a * fx::exp(sum_sq_term);
  const fx::Array term2 = -fx::exp(sum_cos_term);
  return term1 + term2 + a + fx::exp(fx::Array(1.0));
}

// The quadratic Taylor approximation of f around xo:
// Q(x) = f(xo) + df(xo).(x - xo) + 0.5 hf(xo)(x - xo).(x - xo),
// with df = grad(f) and hf = jacobian(df), as the seed builds them.
template <class F> auto approx(F f, fx::Array xo) {
  return [f, xo](const fx::Array& x) {
    const auto df = fx::grad(f);
    const auto hf = fx::jacobian(df);
    return f(xo) + fx::dot(df(xo), x - xo) + 0.5 * fx::dot(fx::dot(hf(xo), x - xo), x - xo);
  };
}

// The seed's diff: how far the quadratic approximation is from Ackley at x;
// O(|x - xo|^3).
inline fx::Array diff(const fx::Array& x, const fx::Array& xo) { return approx(ackley, xo)(x) - ackley(x); }

// The seed's `xo, u = jr.normal(jr.key(0), (2, d))` with d = 3: JAX's
// threefry2x32 draws (jax_threefry_partitionable=True, float64), bit for bit.
inline std::pair<fx::Array, fx::Array> seed_000_normal_draws(int64_t d = 3) {
  const fx::Array draws = fx::random::normal(fx::random::key(0), {2, d});
  return {draws[0], draws[1]};
}

// xs = xo + u * scales[:, None] with scales = logspace(-1, -5, 5), and
// errors = vmap(diff, in_axes=(0, None))(xs, xo): one error per scale.
inline fx::Array taylor_errors(const fx::Array& xo, const fx::Array& u, const fx::Array& scales) {
  const fx::Array xs = xo + u * fx::reshape(scales, {scales.size(), 1});
  return fx::vmap(diff, {0, fx::none})(xs, xo);
}

// ------------------------------------------------------------------ seed 001

// The degree-5 setup. The seed does not give its coefficients; these put the
// action inside I_10 = (-10, 10) and give f' the seed's five sign changes
// where f is not ~0 (at x = -6.04, -2.54, 1.17, 4.58, 6.99).
inline const std::vector<double> kAlpha = {0.5, 1.0, -0.3, -0.1, 0.01, 0.002};
inline const std::vector<double> kBeta = {1.0, 0.2, -0.1, 0.0, 0.001, 0.0001};

// f(x) = P(x) / (1 + Q(x)^2), written as the seed writes it (float_power per
// term, accumulated from 0.0), so grad sees the same program.
inline fx::Array rational_function(const fx::Array& x, const fx::Array& num_par, const fx::Array& denom_par) {
  fx::Array acc_num = 0.0;
  fx::Array acc_denom = 0.0;
  for (int64_t i = 0; i < num_par.size(); ++i) acc_num += num_par[i] * fx::float_power(x, i);
  for (int64_t j = 0; j < denom_par.size(); ++j) acc_denom += denom_par[j] * fx::float_power(x, j);
  return acc_num / (1.0 + fx::pow(acc_denom, 2));
}

// The seed's TO DO: x = x0 fixed, (alpha_1, beta_1) varied on a grid. A
// batch of alpha vectors (alpha with alpha_1 replaced by each of a1) and one
// of beta vectors (beta_1 by each of b1) are crossed by nesting vmap,
// in_axes=(None, 0, None) outside and (None, None, 0) inside, so the whole
// grid is one batched program. Returns f, df/dalpha_1 and df/dbeta_1 at
// (x0, alpha_i, beta_j), each of shape (a1.size, b1.size).
inline std::vector<fx::Array> coefficient_grid(const fx::Array& x0, const fx::Array& alpha, const fx::Array& beta,
                                               const fx::Array& a1, const fx::Array& b1) {
  // One-hot at index 1, to replace the coefficient of x^1.
  const fx::Array e1 = (fx::arange(alpha.size()) == 1).astype(fx::float64);
  const fx::Array f1 = (fx::arange(beta.size()) == 1).astype(fx::float64);
  const fx::Array alphas = alpha + fx::reshape(a1 - alpha[1], {a1.size(), 1}) * e1;
  const fx::Array betas = beta + fx::reshape(b1 - beta[1], {b1.size(), 1}) * f1;
  auto value_and_slopes = [](const fx::Array& x, const fx::Array& a, const fx::Array& b) {
    const std::vector<fx::Array> g = fx::grad(rational_function, {1, 2})(x, a, b);
    return std::vector<fx::Array>{rational_function(x, a, b), g[0][1], g[1][1]};
  };
  const auto inner = fx::vmap(value_and_slopes, {fx::none, fx::none, 0});
  return fx::vmap(inner, {fx::none, 0, fx::none})(x0, alphas, betas);
}

// The extrema of f on a grid: sign changes of f' (computed over the whole
// grid at once by vmap) bracket them, Newton's method on f' (x <- x - f'/f'')
// polishes each; those where |f| < flat are skipped, as the seed ignores the
// tails where f ~ 0.
template <class F, class D1, class D2>
std::vector<double> find_extrema(const F& f, const D1& df, const D2& d2f, const fx::Array& grid, double flat) {
  const std::vector<double> slope = fx::vmap(df)(grid).template to_vector<double>();
  const std::vector<double> xs = grid.to_vector<double>();
  std::vector<double> out;
  for (size_t i = 0; i + 1 < xs.size(); ++i) {
    if ((slope[i] < 0) == (slope[i + 1] < 0)) continue;
    fx::Array x = 0.5 * (xs[i] + xs[i + 1]);
    for (int it = 0; it < 8; ++it) x = x - df(x) / d2f(x);
    if (std::abs(f(x).template item<double>()) >= flat) out.push_back(x.template item<double>());
  }
  return out;
}

// ------------------------------------------------------------------ seed 003

inline fx::Array fun(const fx::Array& x) { return fx::sin(x) + fx::cos(x); }

// The seed's tanh (from Autograd's README). Note that it is tanh(x / 2).
inline fx::Array seed_tanh(const fx::Array& x) { return (1.0 - fx::exp(-x)) / (1.0 + fx::exp(-x)); }

// k-th derivatives of f for k = 0 .. count-1, by applying grad again and again
// (the seed's `NABLA = jax.grad(NABLA)` loop).
inline std::vector<ScalarFn> derivatives(ScalarFn f, int count) {
  std::vector<ScalarFn> out;
  for (int k = 0; k < count; ++k) {
    out.push_back(f);
    f = fx::grad(f);
  }
  return out;
}

// Taylor coefficients f^(k)(x0) / k!, k = 0 .. num_coef-1.
inline std::vector<double> taylor_coefficients(const ScalarFn& f, double x0, int num_coef) {
  std::vector<double> coef;
  double factorial = 1.0;
  int k = 0;
  for (const ScalarFn& d : derivatives(f, num_coef)) {
    if (k > 0) factorial *= k;
    coef.push_back(d(x0).item<double>() / factorial);
    ++k;
  }
  return coef;
}

// T(x) = sum_k coef[k] (x - x0)^k, elementwise over xs.
inline fx::Array taylor_polynomial(const std::vector<double>& coef, double x0, const fx::Array& xs) {
  fx::Array t = fx::zeros_like(xs);
  for (size_t k = 0; k < coef.size(); ++k) t = t + coef[k] * fx::pow(xs - x0, static_cast<int64_t>(k));
  return t;
}

// Example 5.15 of Mathematics for Machine Learning.
inline fx::Array g(const fx::Array& x, const fx::Array& y) { return fx::pow(x, 2) + 2 * x * y + fx::pow(y, 3); }

// Closed form of g's quadratic Taylor approximation around (1, 2).
inline fx::Array g_quadratic_approx(const fx::Array& x, const fx::Array& y) {
  return fx::pow(x, 2) + 6 * fx::pow(y, 2) - 12 * y + 2 * x * y + 8;
}

// The seed's quadratic_taylor_approx: rows of `approx` are points (x, y),
// `around_to` is (x0, y0); the operations are the seed's, in its order, so the
// float32 run rounds as JAX's did.
template <class F>
fx::Array quadratic_taylor_approx(const F& FUN, const fx::Array& approx, const fx::Array& around_to) {
  const fx::Array delta = approx - around_to;
  const fx::Array x0 = around_to[0], y0 = around_to[1];
  const fx::Array J = fx::stack(fx::jacfwd(FUN, {0, 1})(x0, y0));
  const fx::Array linear_component = fx::dot(J, delta.T());
  const fx::Array H = asarray(fx::jacfwd(fx::jacfwd(FUN, {0, 1}), {0, 1})(x0, y0));
  const fx::Array quadratic_component =
      0.5 * fx::einsum("ij, ij->i", fx::einsum("ij,jk->ik", delta, H), delta);
  return FUN(x0, y0) + linear_component + quadratic_component;
}

// JAX's names for jaxpr variables in order of first appearance (a..z, ba, ...),
// the order the printer uses: constvars, invars, then each equation's outputs.
inline std::map<int, std::string> jaxpr_var_names(const fx::Jaxpr& j) {
  std::map<int, std::string> names;
  int next = 0;
  auto add = [&](int v) {
    if (v < 0 || names.count(v)) return;
    std::string s;
    int n = next++;
    do {
      s.insert(s.begin(), static_cast<char>('a' + n % 26));
      n /= 26;
    } while (n > 0);
    names[v] = s;
  };
  // A result nothing reads is `_`, as in the write-up's listing of the
  // gradient's program, and takes no letter.
  std::set<int> read;
  for (const fx::Atom& a : j.outvars)
    if (!a.is_literal()) read.insert(a.var);
  for (const fx::JaxprEqn& e : j.eqns)
    for (const fx::Atom& a : e.inputs)
      if (!a.is_literal()) read.insert(a.var);
  for (int v : j.constvars) add(v);
  for (int v : j.invars) add(v);
  for (const fx::JaxprEqn& e : j.eqns)
    for (int v : e.outputs) {
      if (v >= 0 && !read.count(v)) names[v] = "_";
      add(v);
    }
  return names;
}

// The seed's describe_jaxpr: prints each element of make_jaxpr(FUN)(0.0) in
// Python's list/dict notation (literals as their value, as the seed shows).
template <class F> void describe_jaxpr(const F& FUN, std::string_view source, std::ostream& os = std::cout) {
  os << "Source function definition:\n" << source << "\n";
  const fx::Jaxpr expr = fx::make_jaxpr(FUN)(0.0).jaxpr;
  const auto names = jaxpr_var_names(expr);
  auto atom = [&](const fx::Atom& a) { return a.is_literal() ? fx::to_string(a.literal) : names.at(a.var); };
  auto list = [](const auto& items, const auto& show) {
    std::string s = "[";
    for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + show(items[i]);
    return s + "]";
  };
  auto var = [&](int v) { return v < 0 ? std::string("_") : names.at(v); };
  os << "\nThe function has the following inputs, represented as " << list(expr.invars, var) << "\n";
  os << "the function has the following constants, represented as " << list(expr.constvars, var) << "\n";
  os << "\nThese are the intermediate variables described by the equations computed along the DAG: \n";
  for (size_t i = 0; i < expr.eqns.size(); ++i) {
    const fx::JaxprEqn& eq = expr.eqns[i];
    std::string params = "{";
    for (const auto& [key, value] : eq.params.items()) {
      const bool quoted = std::holds_alternative<std::string>(value);
      params += (params.size() > 1 ? ", '" : "'") + std::string(key) + "': " + (quoted ? "'" : "") +
                fx::param_to_string(value) + (quoted ? "'" : "");
    }
    params += "}";
    os << "   " << i << ". Obtain " << list(eq.outputs, var) << " applying the primitive " << eq.primitive->name
       << " with params " << params << " on input/s " << list(eq.inputs, atom) << "\n";
  }
  os << "\n The output is: " << list(expr.outvars, atom) << "\n";
}

// ------------------------------------------------------------------ seed 004

// One Newton-Raphson step per entry after the start: x <- x - f'(x) / f''(x).
inline std::vector<double> newton_minimize(const ScalarFn& f, double x0, int steps) {
  const ScalarFn d1 = fx::grad(f);
  const ScalarFn d2 = fx::grad(fx::grad(f));
  std::vector<double> path{x0};
  fx::Array x = x0;
  for (int i = 0; i < steps; ++i) {
    x = x - d1(x) / d2(x);
    path.push_back(x.item<double>());
  }
  return path;
}

// The slides' minimisation target: f(x) = x^4 - 3x^3 + 2, minimum at x = 9/4.
inline fx::Array quartic(const fx::Array& x) { return fx::pow(x, 4) - 3 * fx::pow(x, 3) + 2; }

// A statistics target (what Minuit's Migrad minimises): the negative
// log-likelihood of decay times t under an exponential density lambda e^(-lambda t).
// Its minimum is lambda = 1 / mean(t), with variance 1 / NLL'' = lambda^2 / n.
inline const std::vector<double> kDecayTimes = {0.5, 1.2, 0.3, 2.5, 0.9, 1.6, 0.7, 0.4};
inline fx::Array exponential_nll(const fx::Array& lambda) {
  const fx::Array t = fx::array(kDecayTimes, {static_cast<int64_t>(kDecayTimes.size())});
  return -fx::sum(fx::log(lambda) - lambda * t);
}

// Polar to Cartesian coordinates, (r, phi) -> (r cos phi, r sin phi).
inline fx::Array polar_to_cartesian(const fx::Array& v) {
  return fx::stack({v[0] * fx::cos(v[1]), v[0] * fx::sin(v[1])});
}

// C_y = J C_x J^T with J = jacfwd(f)(x).
template <class F> std::pair<fx::Array, fx::Array> propagate_covariance(const F& f, const fx::Array& x, const fx::Array& cx) {
  const fx::Array J = fx::jacfwd(f)(x);
  return {J, fx::matmul(fx::matmul(J, cx), J.T())};
}

// The slides' symbolic example, 3x^2 + 2x (SymPy: 6*x + 2).
inline fx::Array sympy_example(const fx::Array& x) { return 3 * fx::pow(x, 2) + 2 * x; }

// exp(x) by summing its series until the terms stop mattering: a `while` loop
// on concrete values, which grad differentiates like Python's loops under jax.grad.
inline fx::Array exp_by_series(const fx::Array& x) {
  fx::Array sum = 1.0, term = 1.0;
  int n = 0;
  while (fx::abs(term) > 1e-17 * fx::abs(sum)) {
    ++n;
    term = term * x / n;
    sum = sum + term;
  }
  return sum;
}

}  // namespace seeds
