// The tour's solvers (examples/solvers.hpp): the implicit-function-theorem
// gradient of a Newton solve against closed forms, finite differences and
// forward mode through the loop; the struct-parameter training loop under
// jit against the same loop run eagerly.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "solvers.hpp"

namespace {

namespace fx = fluxion;
using solvers::Logistic;

double value(const fx::Array& x) { return x.item<double>(); }

TEST(Kepler, NewtonFindsTheRoot) {
  for (double e : {0.0, 0.3, 0.9})
    for (double M : {0.1, 1.0, 3.0}) {
      const fx::Array E = solvers::kepler(M, e);
      EXPECT_LT(std::abs(value(solvers::kepler_residual(E, M, e))), 1e-13) << "M " << M << " e " << e;
    }
}

TEST(Kepler, ImplicitGradientMatchesClosedFormsDifferencesAndForwardMode) {
  for (const auto& [M, e] : {std::pair{0.5, 0.1}, std::pair{2.0, 0.6}, std::pair{3.0, 0.9}}) {
    SCOPED_TRACE("M " + std::to_string(M) + " e " + std::to_string(e));
    const double E = value(solvers::kepler(M, e)), d = 1.0 - e * std::cos(E);
    const std::vector<fx::Array> g = fx::grad(solvers::kepler, {0, 1})(M, e);
    EXPECT_NEAR(value(g[0]), 1.0 / d, 1e-14);
    EXPECT_NEAR(value(g[1]), std::sin(E) / d, 1e-14);
    // Central differences of the solve itself.
    const double h = 1e-6;
    const double fd_M = (value(solvers::kepler(M + h, e)) - value(solvers::kepler(M - h, e))) / (2 * h);
    EXPECT_NEAR(value(g[0]), fd_M, 1e-8);
    // Forward mode straight through the loop agrees with the implicit rule.
    EXPECT_NEAR(value(fx::jacfwd(solvers::kepler_newton)(fx::Array(M), fx::Array(e))), 1.0 / d, 1e-12);
    // Second order: d²E/dM² = -e sin E (dE/dM)³ (bwd differentiated, fwd's
    // loop in forward mode).
    const fx::Array second = fx::grad(fx::grad(solvers::kepler))(M, e);
    EXPECT_NEAR(value(second), -e * std::sin(E) / (d * d * d), 1e-12);
  }
}

TEST(Kepler, TheRuleIsWhatReverseModeUses) {
  // Without the rule reverse mode would have to go through while_loop, which it refuses.
  EXPECT_THROW(fx::grad(solvers::kepler_newton)(1.0, 0.5), fx::Error);
  const std::string text = fx::make_jaxpr(solvers::kepler)(fx::Array(1.0), fx::Array(0.5)).str();
  EXPECT_NE(text.find("custom_vjp_call[\n      name=kepler\n      bwd=kepler_bwd"), std::string::npos) << text;
  EXPECT_NE(text.find("while["), std::string::npos);
  EXPECT_NE(text.find("fwd=kepler_fwd"), std::string::npos);
}

TEST(Kepler, VmapAndJitOfTheGradient) {
  const auto dE_dM = fx::grad([](fx::Array M) { return solvers::kepler(M, fx::Array(0.7)); });
  const fx::Array Ms = fx::linspace(0.1, 3.0, 6);
  const fx::Array batched = fx::vmap(dE_dM)(Ms), compiled = fx::jit(fx::vmap(dE_dM))(Ms);
  for (int64_t i = 0; i < 6; ++i) {
    const double one = value(dE_dM(Ms[i]));
    EXPECT_NEAR(value(batched[i]), one, 1e-14);
    EXPECT_NEAR(value(compiled[i]), one, 1e-14);
  }
}

TEST(LogisticRegression, TrainsUnderJitAsEagerly) {
  const auto [X, y, w_true] = solvers::synthetic_data(200, 3, 11);
  const Logistic start{fx::zeros({3}), fx::Array(0.0)};
  // The struct's gradient against central differences.
  const Logistic g = fx::grad(solvers::log_loss)(Logistic{fx::array({0.1, -0.2, 0.3}), fx::Array(0.05)}, X, y);
  const double h = 1e-6;
  const double fd_b = (value(solvers::log_loss(Logistic{fx::array({0.1, -0.2, 0.3}), fx::Array(0.05 + h)}, X, y)) -
                       value(solvers::log_loss(Logistic{fx::array({0.1, -0.2, 0.3}), fx::Array(0.05 - h)}, X, y))) /
                      (2 * h);
  EXPECT_NEAR(value(g.b), fd_b, 1e-8);
  EXPECT_EQ(g.w.shape(), (fx::Shape{3}));

  const auto train = [](const Logistic& p, fx::Array Xs, fx::Array ys) { return solvers::train(p, Xs, ys, 100, 0.5); };
  const Logistic eager = train(start, X, y);
  const Logistic jitted = fx::jit(train)(start, X, y);
  EXPECT_LT(value(solvers::log_loss(eager, X, y)), value(solvers::log_loss(start, X, y)) - 0.1);
  const std::vector<double> we = eager.w.to_vector<double>(), wj = jitted.w.to_vector<double>();
  for (size_t k = 0; k < 3; ++k) EXPECT_NEAR(wj[k], we[k], 1e-12);
  EXPECT_NEAR(value(jitted.b), value(eager.b), 1e-12);
  // The fitted plane points the way the labelling one does.
  EXPECT_GT(value(fx::sum(eager.w * w_true)) / (value(fx::linalg::norm(eager.w)) * value(fx::linalg::norm(w_true))),
            0.9);
  // One loop in the program, not 100 copies of the step.
  const fx::ClosedJaxpr j = fx::make_jaxpr(train)(start, X, y);
  int scans = 0;
  for (const fx::JaxprEqn& e : j.jaxpr.eqns) scans += e.primitive->name == "scan";
  EXPECT_EQ(scans, 1);
  EXPECT_LE(j.jaxpr.eqns.size(), 3u);  // the scan, and the carry's counter and bias made strongly typed
}

}  // namespace
