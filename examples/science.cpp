// The tour's science chapter: two objectives written from their definitions
// with NumPy's indexing, fx::at's updates, log-sum-exp and a Cholesky factor,
// the way a scientist writes them in JAX (examples/science.hpp, checked by
// tests/custom/science_test.cpp):
//   1. ADBench's Gaussian-mixture objective, its parameters sliced out of one
//      flat vector, and its gradient by grad and jit(grad) against central
//      differences;
//   2. a Gaussian process's log marginal likelihood through cholesky and
//      triangular_solve, its gradient in the kernel's hyperparameters, and
//      gradient ascent on it compiled by jit.
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "science.hpp"
#include "show.hpp"

namespace fx = fluxion;
using demo::fixed;
using demo::shortest;

int main() {
  demo::banner("SCIENCE: A GAUSSIAN MIXTURE AND A GAUSSIAN PROCESS, FROM THEIR DEFINITIONS",
               "Two objectives as a paper states them, written with slices of one parameter vector, fx::at "
               "updates, fx::nn::logsumexp, fx::linalg::cholesky and triangular solves, then differentiated by "
               "fx::grad, compiled by fx::jit and checked against finite differences.");

  demo::section("The Gaussian mixture's parameters θ = [α (K), μ (K×D), icf (K×D(D+1)/2)] in one vector");
  demo::say("ADBench's objective (examples/science.hpp) takes everything as one flat vector θ, as optimisers "
            "want it: K log-weights αₖ, K means μₖ ∈ ℝᴰ, and for each component the inverse-covariance factor "
            "Qₖ, a lower-triangular matrix stored as log diag(Qₖ) and then its strictly lower entries column by "
            "column. With K = 4 components in D = 3 dimensions θ has 4 + 12 + 24 = 40 numbers; the data are "
            "N = 10 points drawn from fx::random with a fixed key: gmm_example(N, D, K, seed) returns (θ, x).");
  CODE(const auto [theta, x] = science::gmm_example(10, 3, 4, 0));
  SHOW_JAX("theta[:4]", theta(fx::s(0, 4)));
  SHOW_JAX("theta[4:16].reshape(4, 3)", theta(fx::s(4, 16)).reshape({4, 3}));
  CODE_JAX("icf = theta[16:].reshape(4, 6)", const fx::Array icf = theta(fx::s(16)).reshape({4, 6}));
  demo::say("Qₖ is filled by two updates of a zero array (science::inverse_covariance_factors): the strictly "
            "lower entries at their (row, column) positions, then exp of the log-diagonal on the diagonal:");
  CODE(const auto [rows, cols] = science::lower_positions(3));
  SHOW(rows);
  SHOW(cols);
  CODE_JAX("Q = jnp.zeros((4, 3, 3)).at[:, rows, cols].set(icf[:, 3:])",
           fx::Array Q = fx::at(fx::zeros({4, 3, 3}), fx::all, rows, cols).set(icf(fx::all, fx::s(3))));
  CODE_JAX("Q = Q.at[:, d, d].set(jnp.exp(icf[:, :3]))", const fx::Array d = fx::arange(3).astype(fx::int64));
  CODE(Q = fx::at(Q, fx::all, d, d).set(fx::exp(icf(fx::all, fx::s(0, 3)))));
  SHOW_JAX("Q[0]", Q(0));
  SHOW(fx::all(Q == fx::tril(Q)).item<bool>());
  demo::say("The normal density needs log det Qₖ. For a triangular matrix it is the sum of the logarithms of the "
            "diagonal, which are parameters: no determinant is computed. slogdet agrees:");
  SHOW_JAX("icf[:, :3].sum(axis=1)", fx::sum(icf(fx::all, fx::s(0, 3)), {1}));
  SHOW_JAX("jnp.linalg.slogdet(Q)[1]", fx::linalg::slogdet(Q).second);
  demo::notice("every slice and update is part of the traced function, so the gradient flows from Qₖ back into "
               "the flat θ; positions come from C++ integers fixed when the function is traced.");

  demo::section("The log posterior: a log-sum-exp over the components for each point, and a Wishart prior");
  demo::say("The mixture's weights are softmax(α), its precisions QₖᵀQₖ, with a Wishart prior of scale γ = 1 "
            "and m = 2 extra degrees of freedom on them. The log posterior, up to a constant:\n"
            "  −(ND/2)·log 2π + Σᵢ logsumexpₖ(αₖ + Σ log diag Qₖ − ½‖Qₖ(xᵢ − μₖ)‖²) − N·logsumexp(α)\n"
            "  − Σₖ (½γ²‖Qₖ‖²_F − m·Σ log diag Qₖ) + K·(nD·log(γ/√2) − log Γ_D(n/2)),   n = D + m + 1.\n"
            "science::gmm_objective computes Qₖ(xᵢ − μₖ) for all i and k at once with "
            "fx::einsum(\"kij,nkj->nki\", Q, centered) and the sum over components with fx::nn::logsumexp. "
            "(ADBench's first implementations added the prior with the opposite sign, corrected in its pull "
            "request 211; this is the corrected form.)");
  CODE(auto objective = [x](const fx::Array& t) { return science::gmm_objective(t, x, science::Wishart{1.0, 2}); });
  SHOW(objective(theta));
  CODE(const fx::Array g = fx::grad(objective)(theta));
  SHOW_JAX("g[:4]", g(fx::s(0, 4)));
  SHOW_JAX("g[4:16].reshape(4, 3)", g(fx::s(4, 16)).reshape({4, 3}));
  SHOW_JAX("g[16:].reshape(4, 6)", g(fx::s(16)).reshape({4, 6}));
  SHOW_JAX("g[:4].sum()", fx::sum(g(fx::s(0, 4))));
  demo::say("The last line is a law of the model, not of the code: adding a constant to every αₖ leaves the "
            "weights softmax(α) unchanged, so the gradient in α sums to zero. The same gradient compiled, "
            "and by central differences (f(θ + h·eⱼ) − f(θ − h·eⱼ))/2h with h = 10⁻⁵, 80 evaluations:");
  CODE(auto gradient = fx::jit(fx::grad(objective)));
  SHOW(fx::max(fx::abs(gradient(theta) - g)));
  CODE(const fx::Array differences = science::central_differences(objective, theta, 1e-5));
  const double error = SHOW(science::max_relative_error(g, differences));
  CODE_JAX("check_grads(objective, (theta,), order=2, eps=1e-5)",
           fx::check_grads(objective, {theta}, 2, fx::fwd | fx::rev, std::nullopt, std::nullopt, 1e-5));
  demo::say("fx::check_grads returned without throwing: jvp and vjp agree with central differences of step "
            "10⁻⁵ along random directions, and so do their own derivatives (order 2).");
  const double eager = demo::best_seconds([&] { (void)fx::grad(objective)(theta); }, 3);
  const double compiled = demo::best_seconds([&] { (void)gradient(theta); }, 3);
  demo::say("One gradient takes " + demo::duration(eager) + " eagerly (each operation dispatched in turn) and " +
            demo::duration(compiled) + " compiled.");
  demo::notice("the largest relative difference from central differences is " + demo::sci(error, 1) +
               ", what differencing with h = 10⁻⁵ can resolve; grad itself has no step size, and jit(grad) "
               "gives the same numbers.");

  demo::section("A Gaussian process: log p(y | X, θ) = −½ yᵀK⁻¹y − Σᵢ log Lᵢᵢ − (n/2)·log 2π, K = LLᵀ");
  demo::say("Twenty noisy samples of sin x on [0, 6] (noise of standard deviation 0.1), and the kernel "
            "K = σ²·exp(−(xᵢ − xⱼ)²/2ℓ²) + noise²·I with θ = (log σ, log ℓ, log noise). "
            "science::gp_log_marginal_likelihood factors K = LLᵀ with fx::linalg::cholesky and solves Lz = y "
            "with fx::lax::linalg::triangular_solve, so yᵀK⁻¹y = ‖z‖² and ½·log det K = Σ log Lᵢᵢ.");
  CODE(const auto [X, y] = science::gp_example(20, 1));
  CODE(auto log_likelihood = [X, y](const fx::Array& t) { return science::gp_log_marginal_likelihood(t, X, y); });
  CODE(const fx::Array theta0 = fx::array({0.0, 0.0, -1.0}));
  SHOW(log_likelihood(theta0));
  demo::say("The same number by another route, jnp.linalg.solve and slogdet on K itself:");
  CODE(const fx::Array K = science::rbf_kernel(theta0, X));
  SHOW(-0.5 * fx::dot(y, fx::linalg::solve(K, y)) - 0.5 * fx::linalg::slogdet(K).second - 10 * std::log(2 * fx::pi));
  SHOW(fx::grad(log_likelihood)(theta0));
  SHOW(science::central_differences(log_likelihood, theta0, 1e-6));
  demo::notice("the gradient goes back through the Cholesky factorisation and the triangular solve by their own "
               "derivative rules; it matches central differences to about 8 digits, all that h = 10⁻⁶ allows.");

  demo::section("Fitting the hyperparameters: θ ← θ + 0.01·∇θ log p(y | X, θ)");
  demo::say("science::gp_fit makes a number of ascent steps in one fx::fori_loop; compiled by jit, ten steps a "
            "call, the likelihood rises and the fitted noise approaches the 0.1 the data were made with:");
  CODE(auto ten_steps = fx::jit([X, y](const fx::Array& t) { return science::gp_fit(t, X, y, 10, 0.01); }));
  demo::Table ascent({"steps", "σ", "ℓ", "noise", "log p(y | X, θ)"});
  fx::Array fitted = theta0;
  for (int steps = 0; steps <= 100; steps += 10) {
    if (steps > 0) fitted = ten_steps(fitted);
    const std::vector<double> p = fx::exp(fitted).to_vector<double>();
    ascent.row({std::to_string(steps), fixed(p[0], 4), fixed(p[1], 4), fixed(p[2], 4),
                fixed(log_likelihood(fitted).item<double>(), 6)});
  }
  ascent.print();
  demo::say("The posterior mean k(x*, X)·K⁻¹y at new points, K⁻¹y by fx::linalg::cho_solve with the Cholesky "
            "factor, against the sine the data came from:");
  CODE(const fx::Array x_new = fx::array({0.5, 2.0, 4.5}));
  SHOW(science::gp_posterior_mean(fitted, X, y, x_new));
  SHOW(fx::sin(x_new));
  demo::notice("each step's gradient is the derivative of a Cholesky factorisation and a triangular solve, inside "
               "a loop inside a compiled function; the likelihood rises with every call, quickly at first.");
  return 0;
}
