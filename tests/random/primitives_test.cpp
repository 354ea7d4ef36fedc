// The PRNG primitives against known answers: Random123's threefry vectors,
// NumPy's shifts and views (values from NumPy 1.24, printed by /usr/bin/python3),
// XLA's out-of-range shift rule, erf_inv against a long double Newton
// solution, and the SIMD kernels against their scalar references on every
// Highway target this CPU runs.
#include <gtest/gtest.h>

#include <hwy/targets.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "fluxion/fluxion.hpp"
#include "kernels/erf_inv.hpp"
#include "kernels/threefry.hpp"
#include "primitives/lax.hpp"

namespace {

namespace fx = fluxion;
namespace lax = fx::lax;

fx::Array u32(std::vector<uint32_t> v) {
  const int64_t n = static_cast<int64_t>(v.size());
  return fx::array_of<uint32_t>(v, {n});
}
fx::Array u32(uint32_t v) { return fx::array_of<uint32_t>({v}, {}); }

// Runs `check` once per Highway target the CPU supports (AVX-512, AVX2, scalar).
template <class F> void for_each_target(F check) {
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    SCOPED_TRACE(hwy::TargetName(target));
    hwy::SetSupportedTargetsForTest(target);
    check();
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(Threefry, Random123KnownAnswers) {
  struct Kat { uint32_t k0, k1, x0, x1, y0, y1; };
  const Kat kats[] = {{0, 0, 0, 0, 0x6B200159u, 0x99BA4EFEu},
                      {~0u, ~0u, ~0u, ~0u, 0x1CB996FCu, 0xBB002BE7u},
                      {0x13198A2Eu, 0x03707344u, 0x243F6A88u, 0x85A308D3u, 0xC4923A9Cu, 0x483DF7A0u}};
  for (const Kat& k : kats) {
    const auto y = lax::threefry2x32(u32(k.k0), u32(k.k1), u32(k.x0), u32(k.x1));
    ASSERT_EQ(y.size(), 2u);
    EXPECT_EQ(y[0].item<uint32_t>(), k.y0);
    EXPECT_EQ(y[1].item<uint32_t>(), k.y1);
    EXPECT_EQ(fx::kernels::threefry2x32(k.k0, k.k1, k.x0, k.x1), std::make_pair(k.y0, k.y1));
  }
}

TEST(Threefry, LargeBroadcastCounter) {
  // jax's testThreefry2x32Large, with 10^6 copies of the third vector's counter.
  const int64_t n = 1000000;
  const auto y = lax::threefry2x32(u32(0x13198A2Eu), u32(0x03707344u),
                                   fx::full({n}, fx::array_of<uint32_t>({0x243F6A88u}, {})),
                                   fx::full({n}, fx::array_of<uint32_t>({0x85A308D3u}, {})));
  const auto y0 = y[0].to_vector<uint32_t>(), y1 = y[1].to_vector<uint32_t>();
  EXPECT_EQ(std::count(y0.begin(), y0.end(), 0xC4923A9Cu), n);
  EXPECT_EQ(std::count(y1.begin(), y1.end(), 0x483DF7A0u), n);
}

TEST(Threefry, BroadcastingShapesAndEmpty) {
  const auto y = lax::threefry2x32(u32(1), u32(2), fx::zeros({10, 0}, fx::uint32), fx::zeros({10, 0}, fx::uint32));
  EXPECT_EQ(y[0].shape(), (fx::Shape{10, 0}));
  // Size-1 extents broadcast (JAX's broadcasting_shape_rule).
  const fx::Array col = fx::array_of<uint32_t>({0, 1, 2}, {3, 1}), row = fx::array_of<uint32_t>({5, 6}, {1, 2});
  const auto z = lax::threefry2x32(u32(3), u32(4), col, row);
  ASSERT_EQ(z[0].shape(), (fx::Shape{3, 2}));
  const auto z0 = z[0].to_vector<uint32_t>(), z1 = z[1].to_vector<uint32_t>();
  for (uint32_t i = 0; i < 3; ++i)
    for (uint32_t j = 0; j < 2; ++j) {
      const auto want = fx::kernels::threefry2x32(3, 4, i, 5 + j);
      EXPECT_EQ(z0[i * 2 + j], want.first);
      EXPECT_EQ(z1[i * 2 + j], want.second);
    }
  EXPECT_THROW(lax::threefry2x32(u32(1), u32(2), fx::zeros({3}, fx::int32), u32(0)), fx::TypeError);
  EXPECT_THROW(lax::threefry2x32(u32(1), u32(2), fx::zeros({3}, fx::uint32), fx::zeros({4}, fx::uint32)),
               fx::ShapeError);
}

TEST(Threefry, SimdEqualsScalarOnEveryTarget) {
  std::mt19937 rng(7);
  for (int64_t n : {1, 3, 7, 8, 15, 16, 17, 33, 1000}) {
    std::vector<uint32_t> in[4];
    for (auto& v : in) {
      v.resize(static_cast<size_t>(n));
      for (auto& e : v) e = rng();
    }
    for (int scalar_keys = 0; scalar_keys < 2; ++scalar_keys) {
      for_each_target([&] {
        fx::kernels::ThreefryOperands ops{};
        for (int j = 0; j < 4; ++j) {
          ops.in[j] = in[j].data();
          ops.scalar[j] = scalar_keys && j < 2;
        }
        std::vector<uint32_t> y0(static_cast<size_t>(n)), y1(static_cast<size_t>(n));
        fx::kernels::threefry2x32(ops, y0.data(), y1.data(), n);
        for (int64_t i = 0; i < n; ++i) {
          const size_t k = scalar_keys ? 0 : static_cast<size_t>(i);
          const auto want = fx::kernels::threefry2x32(in[0][k], in[1][k], in[2][i], in[3][i]);
          ASSERT_EQ(y0[i], want.first) << "n=" << n << " i=" << i;
          ASSERT_EQ(y1[i], want.second) << "n=" << n << " i=" << i;
        }
      });
    }
  }
}

TEST(Iota2x32Shape, MatchesJaxDocstring) {
  const auto c = lax::iota_2x32_shape({3, 4});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].to_vector<uint32_t>(), std::vector<uint32_t>(12, 0));
  std::vector<uint32_t> lo(12);
  std::iota(lo.begin(), lo.end(), 0u);
  EXPECT_EQ(c[1].to_vector<uint32_t>(), lo);
  EXPECT_EQ(c[1].dtype(), fx::uint32);
}

TEST(Shifts, MatchNumPyInRange) {
  const fx::Array x = u32({0x80000001u, 0xDEADBEEFu, 1u, 0x7FFFFFFFu}), a = u32({1, 4, 31, 0});
  EXPECT_EQ(lax::shift_left(x, a).to_vector<uint32_t>(),
            (std::vector<uint32_t>{2u, 3940282096u, 2147483648u, 2147483647u}));
  EXPECT_EQ(lax::shift_right_logical(x, a).to_vector<uint32_t>(),
            (std::vector<uint32_t>{1073741824u, 233495534u, 0u, 2147483647u}));
  const fx::Array xi = lax::bitcast_convert_type(x, fx::int32), ai = a.astype(fx::int32);
  EXPECT_EQ(xi.to_vector<int32_t>(), (std::vector<int32_t>{-2147483647, -559038737, 1, 2147483647}));
  EXPECT_EQ(lax::shift_right_arithmetic(xi, ai).to_vector<int32_t>(),
            (std::vector<int32_t>{-1073741824, -34939922, 0, 2147483647}));
  EXPECT_EQ(lax::shift_left(xi, ai).to_vector<int32_t>(), (std::vector<int32_t>{2, -354685200, -2147483647 - 1, 2147483647}));
  const fx::Array y = fx::array_of<uint64_t>({0x8000000000000001ull, 0x0123456789ABCDEFull}, {2});
  const fx::Array b = fx::array_of<uint64_t>({63, 12}, {2});
  EXPECT_EQ(lax::shift_left(y, b).to_vector<uint64_t>(),
            (std::vector<uint64_t>{9223372036854775808ull, 3771334343958392832ull}));
  EXPECT_EQ(lax::shift_right_logical(y, b).to_vector<uint64_t>(), (std::vector<uint64_t>{1ull, 20015998343868ull}));
  EXPECT_EQ(lax::shift_right_arithmetic(lax::bitcast_convert_type(y, fx::int64), b.astype(fx::int64)).to_vector<int64_t>(),
            (std::vector<int64_t>{-1, 20015998343868}));
}

TEST(Shifts, FollowXlaPastTheBitWidth) {
  // Amounts >= the width (a negative amount reads as a huge unsigned one):
  // left and logical right give 0, arithmetic right the sign fill.
  const fx::Array x = fx::array_of<int32_t>({-8, 8, -8, 8}, {4}), a = fx::array_of<int32_t>({32, 33, -1, 100}, {4});
  EXPECT_EQ(lax::shift_left(x, a).to_vector<int32_t>(), (std::vector<int32_t>{0, 0, 0, 0}));
  EXPECT_EQ(lax::shift_right_logical(x, a).to_vector<int32_t>(), (std::vector<int32_t>{0, 0, 0, 0}));
  EXPECT_EQ(lax::shift_right_arithmetic(x, a).to_vector<int32_t>(), (std::vector<int32_t>{-1, 0, -1, 0}));
  const fx::Array u = u32({0x80000000u, 1u});
  EXPECT_EQ(lax::shift_right_arithmetic(u, u32({4, 40})).to_vector<uint32_t>(),
            (std::vector<uint32_t>{0xF8000000u, 0u}));
  EXPECT_EQ(lax::shift_right_arithmetic(u, u32({32, 32})).to_vector<uint32_t>(), (std::vector<uint32_t>{~0u, 0u}));
  // A 0-d amount broadcasts; floats are rejected.
  EXPECT_EQ(lax::shift_left(u32({1, 2, 3}), u32(2)).to_vector<uint32_t>(), (std::vector<uint32_t>{4, 8, 12}));
  EXPECT_THROW(lax::shift_left(fx::array({1.0}), fx::array({1.0})), fx::TypeError);
}

TEST(BitcastConvertType, MatchesNumPyView) {
  const fx::Array f = fx::array({1.0, -0.0, fx::inf, 0.1, -2.5}, fx::float32);
  EXPECT_EQ(lax::bitcast_convert_type(f, fx::uint32).to_vector<uint32_t>(),
            (std::vector<uint32_t>{0x3f800000u, 0x80000000u, 0x7f800000u, 0x3dcccccdu, 0xc0200000u}));
  EXPECT_EQ(lax::bitcast_convert_type(f, fx::int32).to_vector<int32_t>(),
            (std::vector<int32_t>{1065353216, -2147483647 - 1, 2139095040, 1036831949, -1071644672}));
  const fx::Array d = fx::array({1.0, -0.0, 0.1, -2.5});
  EXPECT_EQ(lax::bitcast_convert_type(d, fx::uint64).to_vector<uint64_t>(),
            (std::vector<uint64_t>{0x3ff0000000000000ull, 0x8000000000000000ull, 0x3fb999999999999aull,
                                   0xc004000000000000ull}));
  EXPECT_EQ(lax::bitcast_convert_type(u32({0x3FB99999u, 0x40490FDBu}), fx::float32).to_vector<float>(),
            (std::vector<float>{1.4499999284744263f, 3.1415927410125732f}));
  EXPECT_EQ(lax::bitcast_convert_type(d, fx::float64).to_vector<double>(), d.to_vector<double>());
  EXPECT_THROW(lax::bitcast_convert_type(d, fx::uint32), fx::TypeError);
  EXPECT_THROW(lax::bitcast_convert_type(fx::array({true}, fx::bool_), fx::uint32), fx::TypeError);
}

// erf_inv(x) to long double precision: Newton on erf (or erfc near +-1,
// where 1 - |x| is exact and erf is too flat to invert accurately).
long double erf_inv_reference(double x, double start) {
  long double y = start;
  const long double ax = std::fabs(static_cast<long double>(x));
  const long double s = x < 0 ? -1.0L : 1.0L;
  y = std::fabs(y);
  for (int i = 0; i < 8; ++i) {
    const long double slope = 2.0L / std::sqrt(3.14159265358979323846264338327950288L) * std::exp(-y * y);
    const long double r = ax > 0.5L ? std::erfc(y) - (1.0L - ax) : std::erf(y) - ax;
    y += (ax > 0.5L ? r : -r) / slope;
  }
  return s * y;
}

template <class T> double ulps(T got, long double want) {
  const T w = static_cast<T>(want);
  const T spacing = std::nextafter(std::fabs(w), std::numeric_limits<T>::infinity()) - std::fabs(w);
  return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / spacing);
}

TEST(ErfInv, AccurateAgainstLongDoubleNewton) {
  // w = -log1p(-x*x) rounds x*x first, so near |x| = 1 (where erf_inv is
  // ill-conditioned) the error grows as JAX's does; away from it the
  // approximations are a few ulp. Larger errors mean a wrong coefficient.
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<double> xs{1e-300, -1e-20, 0.5, -0.5, 0.9, 0.99, 0.999999, 1 - 1e-12, -(1 - 1e-15)};
  for (int i = 0; i < 20000; ++i) xs.push_back(dist(rng));
  // Each of the three float64 branches: w < 6.25, < 16, >= 16.
  for (double t : {1e-3, 1e-5, 1e-7, 1e-9, 1e-12, 1e-15}) xs.push_back(1.0 - t);
  const fx::Array x = fx::array(xs, {static_cast<int64_t>(xs.size())});
  const auto got = lax::erf_inv(x).to_vector<double>();
  const auto got32 = lax::erf_inv(x.astype(fx::float32)).to_vector<float>();
  double worst = 0, worst32 = 0, worst_rel_near_one = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const long double want = erf_inv_reference(xs[i], got[i]);
    if (std::fabs(xs[i]) < 0.9) worst = std::max(worst, ulps(got[i], want));
    else worst_rel_near_one = std::max(worst_rel_near_one, static_cast<double>(std::fabs((got[i] - want) / want)));
    const float xf = static_cast<float>(xs[i]);
    if (std::fabs(xf) < 0.9f && xf != 0.0f) worst32 = std::max(worst32, ulps(got32[i], erf_inv_reference(xf, got32[i])));
  }
  // float64 reaches ~21 ulp where XLA's log1p drifts (|x| in (0.54, 0.64),
  // see XlaLog1p below); elsewhere it stays within 2.
  EXPECT_LE(worst, 32.0);
  EXPECT_LE(worst32, 8.0);
  EXPECT_LE(worst_rel_near_one, 1e-10);
  EXPECT_EQ(lax::erf_inv(fx::array({0.0})).item<double>(), 0.0);
  EXPECT_NEAR(lax::erf_inv(fx::array({0.5})).item<double>(), 0.4769362762044699, 1e-15);
}

TEST(ErfInv, EdgeCases) {
  const auto v = lax::erf_inv(fx::array({1.0, -1.0, 1.5, -2.0, fx::nan, 0.0, -0.0})).to_vector<double>();
  EXPECT_EQ(v[0], fx::inf);
  EXPECT_EQ(v[1], -fx::inf);
  EXPECT_TRUE(std::isnan(v[2]) && std::isnan(v[3]) && std::isnan(v[4]));
  EXPECT_EQ(v[5], 0.0);
  EXPECT_TRUE(std::signbit(v[6]));
  const auto f = lax::erf_inv(fx::array({1.0, -1.0, 2.0}, fx::float32)).to_vector<float>();
  EXPECT_EQ(f[0], std::numeric_limits<float>::infinity());
  EXPECT_EQ(f[1], -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(f[2]));
  EXPECT_THROW(lax::erf_inv(fx::array_of<int32_t>({0}, {1})), fx::TypeError);
}

TEST(ErfInv, SimdEqualsScalarOnEveryTarget) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<double> xs;
  for (int i = 0; i < 4099; ++i) xs.push_back(dist(rng));
  for (double t : {1e-3, 1e-7, 1e-12, 0.0}) {
    xs.push_back(1.0 - t);
    xs.push_back(t - 1.0);
  }
  xs.push_back(std::nan(""));
  xs.push_back(3.0);
  std::vector<float> fs(xs.begin(), xs.end());
  for_each_target([&] {
    std::vector<double> out(xs.size());
    std::vector<float> out32(fs.size());
    fx::kernels::erf_inv(xs.data(), out.data(), static_cast<int64_t>(xs.size()));
    fx::kernels::erf_inv(fs.data(), out32.data(), static_cast<int64_t>(fs.size()));
    for (size_t i = 0; i < xs.size(); ++i) {
      const double want = fx::kernels::erf_inv_scalar(xs[i]);
      const float want32 = fx::kernels::erf_inv_scalar(fs[i]);
      if (std::isnan(want)) EXPECT_TRUE(std::isnan(out[i]));
      else ASSERT_EQ(out[i], want) << xs[i];
      if (std::isnan(want32)) EXPECT_TRUE(std::isnan(out32[i]));
      else ASSERT_EQ(out32[i], want32) << fs[i];
    }
  });
}

TEST(XlaLog1p, CephesInsideItsDomainLogOutside) {
  // XLA's rational branch covers |x| < sqrt(2) - 1, but Cephes designed it for
  // 1 + x in [sqrt(1/2), sqrt(2)]: inside that it is within an ulp or two;
  // on (-0.414, -0.293) it drifts (up to ~128 ulp near -0.414), which is
  // XLA's behaviour reproduced (docs/NUMERICS.md). Above sqrt(2) - 1 it is
  // exactly log(fl(1 + x)).
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> dist(-0.99, 3.0);
  double worst_in = 0, worst_in32 = 0, worst_out = 0;
  for (int i = 0; i < 100000; ++i) {
    const double x = dist(rng);
    const float xf = static_cast<float>(x);
    if (x >= 0.41421356237309504880) {
      EXPECT_EQ(fx::kernels::xla_log1p(x), std::log(1.0 + x));
      EXPECT_EQ(fx::kernels::xla_log1p(xf), std::log(1.0f + xf));
      continue;
    }
    const double u = ulps(fx::kernels::xla_log1p(x), std::log1p(static_cast<long double>(x)));
    if (x > -0.29289321881345248) {
      worst_in = std::max(worst_in, u);
      worst_in32 = std::max(worst_in32, ulps(fx::kernels::xla_log1p(xf), std::log1p(static_cast<long double>(xf))));
    } else {
      worst_out = std::max(worst_out, u);
    }
  }
  EXPECT_LE(worst_in, 1.0);
  EXPECT_LE(worst_in32, 2.0);
  EXPECT_LE(worst_out, 200.0);
  EXPECT_GT(worst_out, 16.0);  // the drift is real, not a slip of ours
}

TEST(Sort, StableLexicographicAlongAnAxis) {
  // Two keys: rows sorted by (a, b), ties kept in order; sorted along axis 1.
  const fx::Array a = fx::array_of<int32_t>({2, 1, 2, 1, 0, 0, 0, 0}, {2, 4});
  const fx::Array b = fx::array_of<int32_t>({1, 1, 0, 1, 3, 2, 3, 1}, {2, 4});
  const fx::Array v = fx::array({{10.0, 11.0, 12.0, 13.0}, {20.0, 21.0, 22.0, 23.0}});
  const auto s = lax::sort({a, b, v}, 1, 2);
  EXPECT_EQ(s[0].to_vector<int32_t>(), (std::vector<int32_t>{1, 1, 2, 2, 0, 0, 0, 0}));
  EXPECT_EQ(s[2].to_vector<double>(), (std::vector<double>{11, 13, 12, 10, 23, 21, 20, 22}));
  // Along axis 0 with one key.
  const auto t = lax::sort({fx::array({{3.0, 1.0}, {2.0, 4.0}}), fx::array({{0.0, 1.0}, {2.0, 3.0}})}, 0);
  EXPECT_EQ(t[1].to_vector<double>(), (std::vector<double>{2, 1, 0, 3}));
}

TEST(Sort, FloatOrderAsJax) {
  // -0.0 ties with 0.0 (stable), NaNs last.
  const fx::Array k = fx::array({fx::nan, 1.0, -fx::inf, 0.0, -0.0, fx::inf, -1.0});
  const fx::Array idx = fx::array_of<int32_t>({0, 1, 2, 3, 4, 5, 6}, {7});
  EXPECT_EQ(lax::sort({k, idx}, 0)[1].to_vector<int32_t>(), (std::vector<int32_t>{2, 6, 3, 4, 1, 5, 0}));
  EXPECT_THROW(lax::sort({k, idx}, 0, 3), fx::TypeError);
  EXPECT_THROW(lax::sort({k, fx::array({1.0})}, 0), fx::ShapeError);
  EXPECT_THROW(lax::sort({k}, 1), fx::ShapeError);
}

}  // namespace
