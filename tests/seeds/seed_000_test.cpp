// Seed 000 (Taylor errors of the Ackley function through vmap): the seed's
// printed line, character for character, from fx::random's normal draws
// (JAX's threefry, bit for bit); and the cubic shrinking of the error, which
// holds for any xo and u.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "seed_common.hpp"

namespace fx = fluxion;

namespace {

// The third derivative of t -> ackley(xo + t u) at 0: diff(xo + t u, xo) =
// -t^3/6 D3 + O(t^4), since Q matches f to second order.
double third_directional_derivative(const fx::Array& xo, const fx::Array& u) {
  auto along = [xo, u](const fx::Array& t) { return seeds::ackley(xo + t * u); };
  return fx::grad(fx::grad(fx::grad(along)))(0.0).item<double>();
}

}  // namespace

TEST(Seed000, AckleyAtKnownPoints) {
  // Ackley's minimum is 0 at the origin (up to exp(1.0)'s rounding against
  // the 20 + e it cancels).
  EXPECT_NEAR(seeds::ackley(fx::zeros({3})).item<double>(), 0.0, 1e-15);
  // Closed form at a point, in long double.
  const double x[3] = {0.5, -1.25, 2.0};
  long double sq = 0, cs = 0;
  for (double v : x) {
    sq += static_cast<long double>(v) * v;
    cs += std::cos(2 * 3.14159265358979323846L * v);
  }
  const long double want = -20 * std::exp(-0.2L * std::sqrt(sq / 3)) - std::exp(cs / 3) + 20 + std::exp(1.0L);
  EXPECT_NEAR(seeds::ackley(fx::array({0.5, -1.25, 2.0})).item<double>(), static_cast<double>(want), 1e-14);
}

TEST(Seed000, DiffIsZeroAtTheExpansionPoint) {
  const auto [xo, u] = seeds::seed_000_normal_draws();
  EXPECT_NEAR(seeds::diff(xo, xo).item<double>(), 0.0, 1e-15);
}

TEST(Seed000, VmapMatchesPointByPoint) {
  // vmap(diff, in_axes=(0, None)) is diff applied to each row of xs with the
  // same xo; the batched program computes the same numbers.
  const auto [xo, u] = seeds::seed_000_normal_draws();
  const fx::Array scales = fx::logspace(-1, -5, 5);
  const fx::Array xs = xo + u * fx::reshape(scales, {5, 1});
  const fx::Array errors = fx::vmap(seeds::diff, {0, fx::none})(xs, xo);
  ASSERT_EQ(errors.shape(), fx::Shape({5}));
  EXPECT_EQ(errors.dtype(), fx::float64);
  for (int64_t k = 0; k < 5; ++k)
    EXPECT_EQ(errors[k].item<double>(), seeds::diff(xs[k], xo).item<double>()) << "scale index " << k;
  EXPECT_EQ(seeds::taylor_errors(xo, u, scales).to_vector<double>(), errors.to_vector<double>());
}

TEST(Seed000, DrawsAreJaxs) {
  // jr.normal(jr.key(0), (2, 3)) with jax_enable_x64 (../shared/notes/jax-numerics.md).
  const auto [xo, u] = seeds::seed_000_normal_draws();
  EXPECT_EQ(xo.to_vector<double>(), (std::vector<double>{-0.2058421394796434, -0.7847657764467411, 1.8160866726679836}));
  EXPECT_EQ(u.to_vector<double>(), (std::vector<double>{0.1878440128937887, 0.08086788103743275, -0.3721107933346203}));
}

TEST(Seed000, PrintsTheSeedsErrorsCharacterForCharacter) {
  // print(errors) in the seed, from fx::random::normal(key(0), (2, 3)).
  const auto [xo, u] = seeds::seed_000_normal_draws();
  const fx::Array errors = seeds::taylor_errors(xo, u, fx::logspace(-1, -5, 5));
  EXPECT_EQ(fx::to_string(errors),
            "[1.01747675e-03 1.03140167e-06 1.03225695e-09 1.03295150e-12\n"
            " 8.88178420e-16]");
}

TEST(Seed000, ErrorScalingIsTheSeedsVmapBitForBit) {
  // The tour tabulates the errors with fx::taylor::error_scaling: the same
  // numbers as the seed's vmap(diff, in_axes=(0, None)), so the same print.
  const auto [xo, u] = seeds::seed_000_normal_draws();
  const fx::Array scales = fx::logspace(-1, -5, 5);
  const fx::taylor::ErrorScaling s =
      fx::taylor::error_scaling(seeds::ackley, seeds::approx(seeds::ackley, xo), xo, u, scales, 2);
  EXPECT_EQ(s.errors.to_vector<double>(), seeds::taylor_errors(xo, u, scales).to_vector<double>());
  EXPECT_EQ(fx::to_string(s.errors),
            "[1.01747675e-03 1.03140167e-06 1.03225695e-09 1.03295150e-12\n"
            " 8.88178420e-16]");
  const std::vector<double> r = s.ratios();
  ASSERT_EQ(r.size(), 4u);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(r[k], 1000.0, 20.0) << "decade " << k;
}

TEST(Seed000, ErrorShrinksAboutAThousandfoldPerDecade) {
  // The seed's observation, on its draws and on other directions: while the
  // cubic term dominates (scales 1e-1 .. 1e-4), each decade of scale divides
  // the error by ~1000, and error / s^3 approaches -D3 / 6.
  std::mt19937_64 rng(2024);
  std::normal_distribution<double> normal;
  std::vector<std::pair<fx::Array, fx::Array>> draws = {seeds::seed_000_normal_draws()};
  for (int i = 0; i < 3; ++i) {
    std::vector<double> a(3), b(3);
    for (double& v : a) v = normal(rng);
    for (double& v : b) v = normal(rng);
    draws.emplace_back(fx::array(a, {3}), fx::array(b, {3}));
  }
  const fx::Array scales = fx::logspace(-1, -5, 5);
  const std::vector<double> s = scales.to_vector<double>();
  for (const auto& [xo, u] : draws) {
    SCOPED_TRACE("xo = " + fx::to_string(xo) + ", u = " + fx::to_string(u));
    const std::vector<double> e = seeds::taylor_errors(xo, u, scales).to_vector<double>();
    const double c3 = -third_directional_derivative(xo, u) / 6;
    ASSERT_GT(std::abs(c3), 1e-3);  // a direction where the cubic term is not degenerate
    for (int k = 0; k + 1 < 4; ++k) {
      const double ratio = e[k] / e[k + 1];
      EXPECT_GT(ratio, 500.0) << "decade " << k;
      EXPECT_LT(ratio, 2000.0) << "decade " << k;
    }
    // The leading coefficient: O(s) relative correction at s, plus the
    // rounding of f (~4e-15 absolute) over s^3.
    for (int k = 1; k < 4; ++k)
      EXPECT_NEAR(e[k] / (s[k] * s[k] * s[k]), c3, std::abs(c3) * 50 * s[k] + 1e-14 / (s[k] * s[k] * s[k]))
          << "scale " << s[k];
    // At 1e-5 the cubic term (~1e-15) is rounding-level: the error is tiny, nothing more.
    EXPECT_LT(std::abs(e[4]), 1e-13);
  }
}
