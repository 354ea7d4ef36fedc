// Two programs of the custom-rules-and-pytrees tour (examples/solvers.cpp),
// shared with their tests (tests/custom/solvers_test.cpp):
//   - Kepler's equation E - e sin E = M solved by Newton's method in
//     fx::while_loop, and differentiated through its solution by the
//     implicit-function theorem with fx::custom_vjp: reverse mode never
//     differentiates the loop (which JAX refuses), it solves one linear
//     equation at the root;
//   - logistic regression with its parameters in a struct, trained by
//     gradient descent inside fx::fori_loop, the whole loop under fx::jit.
#pragma once

#include <tuple>
#include <utility>

#include "fluxion/fluxion.hpp"

namespace solvers {

namespace fx = fluxion;

// g(E; M, e) = E - e sin E - M: its root is the eccentric anomaly E of an
// orbit of eccentricity e at mean anomaly M.
inline fx::Array kepler_residual(fx::Array E, fx::Array M, fx::Array e) { return E - e * fx::sin(E) - M; }

// Newton's method from E = M (converges for e < 1), until |g| < 1e-14 or 50 steps.
inline fx::Array kepler_newton(fx::Array M, fx::Array e) {
  using Carry = std::pair<fx::Array, fx::Array>;  // (E, steps taken)
  const auto not_done = [M, e](const Carry& c) {
    return fx::logical_and(fx::abs(kepler_residual(c.first, M, e)) > 1e-14, c.second < 50.0);
  };
  const auto step = [M, e](const Carry& c) {
    const fx::Array E = c.first;
    return Carry{E - kepler_residual(E, M, e) / (1.0 - e * fx::cos(E)), c.second + 1.0};
  };
  return fx::while_loop(not_done, step, Carry{M, fx::Array(0.0)}).first;
}

inline fx::Array kepler(fx::Array M, fx::Array e);

namespace detail {

// E(M, e) with its derivative from the implicit-function theorem: at the
// root g(E(θ), θ) = 0, so dE/dθ = -(∂g/∂E)⁻¹ ∂g/∂θ. The pullback of a
// cotangent ḡ is λ = ḡ / (∂g/∂E), then -λ ∂g/∂θ: a vjp of g in θ alone.
// fwd computes E with kepler itself (as JAX's examples do), so that a
// second derivative differentiates E by this rule again, not the loop.
inline const auto kepler_with_rule =
    fx::custom_vjp(kepler_newton, "kepler")
        .defvjp([](fx::Array M, fx::Array e) {
                  const fx::Array E = kepler(M, e);
                  return std::pair{E, std::tuple{E, M, e}};
                },
                [](const std::tuple<fx::Array, fx::Array, fx::Array>& residuals, fx::Array ct) {
                  const auto [E, M, e] = residuals;
                  const fx::Array dg_dE = fx::grad(kepler_residual)(E, M, e);
                  const auto [g, pullback] =
                      fx::vjp([E](fx::Array m, fx::Array ecc) { return kepler_residual(E, m, ecc); }, M, e);
                  const std::vector<fx::Array> cts = pullback(-(ct / dg_dE));
                  return std::tuple{cts[0], cts[1]};
                },
                "kepler_fwd", "kepler_bwd");

}  // namespace detail

// The eccentric anomaly E(M, e): Newton's solve, differentiated implicitly.
inline fx::Array kepler(fx::Array M, fx::Array e) { return detail::kepler_with_rule(M, e); }

// Logistic regression: P(y = 1 | x) = sigmoid(x·w + b).
struct Logistic {
  fx::Array w, b;
};
FLUXION_PYTREE(Logistic, w, b)

// Mean log loss, -log sigmoid(±(x·w + b)) = softplus(∓(x·w + b)).
inline fx::Array log_loss(const Logistic& p, fx::Array X, fx::Array y) {
  const fx::Array logits = fx::matmul(X, p.w) + p.b;
  return fx::mean(fx::nn::softplus(-(y * 2.0 - 1.0) * logits));
}

// `steps` of gradient descent with rate `lr`, as one fori_loop.
inline Logistic train(const Logistic& start, fx::Array X, fx::Array y, int steps, double lr) {
  return fx::fori_loop(0, steps, [&](fx::Array, const Logistic& p) {
    const Logistic g = fx::grad(log_loss)(p, X, y);
    return fx::tree_map([lr](fx::Array v, fx::Array dv) { return v - dv * lr; }, p, g);
  }, start);
}

// n points in d dimensions, labelled by a known plane (w_true, b_true) with
// logistic noise: (X, y, w_true).
inline std::tuple<fx::Array, fx::Array, fx::Array> synthetic_data(int64_t n, int64_t d, uint64_t seed) {
  const fx::Array keys = fx::random::split(fx::random::key(static_cast<int64_t>(seed)), 3);
  const fx::Array X = fx::random::normal(keys[0], {n, d});
  const fx::Array w_true = fx::random::normal(keys[1], {d}) * 2.0;
  const fx::Array u = fx::random::uniform(keys[2], {n}, fx::float64, 1e-12, 1.0 - 1e-12);
  const fx::Array noise = fx::log(u) - fx::log1p(-u);  // logistic(0, 1)
  const fx::Array y = (fx::matmul(X, w_true) + 0.5 + noise > 0.0).astype(fx::float64);
  return {X, y, w_true};
}

}  // namespace solvers
