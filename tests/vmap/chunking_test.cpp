// Large eager batches run as one traced program over cache-sized chunks
// (src/transforms/vmap.cpp, run_chunked). These batches are big enough to take
// that path; the results must be those of the whole-batch path, with f traced
// once, whatever the axes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <string>

#include "../autodiff/autodiff_util.hpp"
#include "primitives/primitives.hpp"

namespace {

namespace fx = fluxion;
using autodiff_test::uniform;
using autodiff_test::values;
using Arrays = std::vector<fx::Array>;

constexpr int64_t kLarge = 100003;  // not a multiple of any chunk: the last chunk overlaps

TEST(VmapChunking, LargeBatchMatchesTheFormulaAndTracesOnce) {
  int calls = 0;
  const auto f = [&](const fx::Array& x, const fx::Array& w) {
    ++calls;
    return Arrays{fx::sin(x) * w, fx::sum(w), fx::grad([](const fx::Array& v) { return fx::tanh(v) * v; })(x)};
  };
  const fx::Array xs = uniform(1, {kLarge});
  const fx::Array w = fx::Array(1.5);
  const Arrays out = fx::vmap(f, {0, fx::none}, {0, fx::none, 0})(xs, w);
  EXPECT_EQ(calls, 1);
  const auto x = values(xs), y0 = values(out[0]), y2 = values(out[2]);
  ASSERT_EQ(y0.size(), x.size());
  for (size_t i = 0; i < x.size(); i += 997) {
    EXPECT_DOUBLE_EQ(y0[i], std::sin(x[i]) * 1.5);
    const double t = std::tanh(x[i]);
    EXPECT_NEAR(y2[i], t + x[i] * (1 - t * t), 1e-15);
  }
  EXPECT_EQ(y0.back(), std::sin(x.back()) * 1.5);  // the overlapping last chunk
  EXPECT_EQ(out[1].item<double>(), 1.5);
}

TEST(VmapChunking, AxesOtherThanTheFirst) {
  // Per-example rows of 3, mapped along axis 1, results stacked along the last axis.
  const fx::Array xs = uniform(2, {3, kLarge / 3});
  const auto f = [](const fx::Array& r) { return fx::stack({fx::sum(r * r), fx::max(r)}); };
  const fx::Array got = fx::vmap(f, 1, -1)(xs);
  ASSERT_EQ(got.shape(), (fx::Shape{2, kLarge / 3}));
  const fx::Array want = fx::stack({fx::sum(xs * xs, {0}), fx::max(xs, {0})});
  EXPECT_EQ(values(got), values(want));
  // An unmapped output with an int out_axes is broadcast over the whole batch.
  const fx::Array b = fx::vmap([](const fx::Array&) { return fx::Array(2.0) * 3.0; })(xs.T());
  EXPECT_EQ(b.shape(), (fx::Shape{kLarge / 3}));
}

// Large batches run their chunk program compiled by jit (fused loops:
// compile_chunk_program in src/transforms/vmap.cpp); the bits must be those
// of the whole-batch eager evaluation, which small batches get.
TEST(VmapChunking, CompiledChunkProgramsGiveTheSameBits) {
  const auto f = [](const fx::Array& x) {
    return fx::sin(x) * fx::pow(x, 3) + fx::exp(-x) / (1.0 + fx::pow(x, 2)) - fx::sqrt(x * x + 2.0) +
           fx::pow(x, -3) + fx::pow(x + 1.0, 0.7) + fx::pow(x, 0) + fx::tanh(x) * 2.5;
  };
  for (fx::DType dtype : {fx::float64, fx::float32}) {
    SCOPED_TRACE(std::string(fx::dtype_name(dtype)));
    const fx::Array xs = uniform(6, {kLarge}, 0.5, 3.0, dtype);
    for (const auto& g : {std::function<fx::Array(fx::Array)>(f), std::function<fx::Array(fx::Array)>(fx::grad(f)),
                          std::function<fx::Array(fx::Array)>(fx::grad(fx::grad(f)))}) {
      const fx::Array big = fx::vmap(g)(xs);
      ASSERT_EQ(big.dtype(), dtype);
      // A small batch (below the chunking threshold) of the first and last points.
      const int64_t n = 1000;
      const fx::Array head = fx::vmap(g)(fx::bind1(fx::prim::slice_p, {xs}, {{"start_indices", std::vector<int64_t>{0}},
                                                                             {"limit_indices", std::vector<int64_t>{n}},
                                                                             {"strides", fx::NoneParam{}}}));
      const fx::Array tail = fx::vmap(g)(fx::bind1(fx::prim::slice_p, {xs}, {{"start_indices", std::vector<int64_t>{kLarge - n}},
                                                                             {"limit_indices", std::vector<int64_t>{kLarge}},
                                                                             {"strides", fx::NoneParam{}}}));
      const auto b = values(big), h = values(head), t = values(tail);
      for (int64_t i = 0; i < n; ++i) {
        ASSERT_EQ(b[static_cast<size_t>(i)], h[static_cast<size_t>(i)]) << "point " << i;
        ASSERT_EQ(b[static_cast<size_t>(kLarge - n + i)], t[static_cast<size_t>(i)]) << "point " << kLarge - n + i;
      }
    }
  }
}

// Without a usable compiler, large batches still run (the chunk program is
// evaluated eagerly) and give the same values as small ones.
TEST(VmapChunking, WithoutACompilerChunksRunEagerly) {
  ASSERT_EQ(setenv("FLUXION_CXX", "/nonexistent/fluxion-test-c++", 1), 0);
  const auto g = fx::grad([](const fx::Array& x) { return fx::sin(x) * fx::exp(-x * x); });
  const fx::Array xs = uniform(7, {kLarge});
  const auto big = values(fx::vmap(g)(xs));
  const int64_t n = 1000;
  const auto head = values(fx::vmap(g)(fx::bind1(fx::prim::slice_p, {xs}, {{"start_indices", std::vector<int64_t>{0}},
                                                                           {"limit_indices", std::vector<int64_t>{n}},
                                                                           {"strides", fx::NoneParam{}}})));
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(big[static_cast<size_t>(i)], head[static_cast<size_t>(i)]) << "point " << i;
  unsetenv("FLUXION_CXX");
}

TEST(VmapChunking, IdentityAndIntegerPrograms) {
  // The program's output is its input; and a program of integers.
  const fx::Array xs = uniform(5, {kLarge});
  EXPECT_EQ(values(fx::vmap([](const fx::Array& x) { return x; })(xs)), values(xs));
  const fx::Array n = fx::arange(static_cast<int>(kLarge));
  const fx::Array got = fx::vmap([](const fx::Array& k) { return fx::remainder(k * k, 7); })(n);
  EXPECT_EQ(got.dtype(), fx::int32);
  EXPECT_EQ(got.to_vector<int32_t>(), fx::remainder(n * n, 7).to_vector<int32_t>());
}

TEST(VmapChunking, UnmappedValuesStayConcreteAndMappedOnesAbstract) {
  const fx::Array xs = uniform(3, {kLarge});
  const auto scaled = [](const fx::Array& x, const fx::Array& flag) {
    if (flag > 0.0) return x * 2.0;  // unmapped: concrete, as without chunking
    return x;
  };
  EXPECT_EQ(values(fx::vmap(scaled, {0, fx::none})(xs, fx::Array(1.0))), values(xs * 2.0));
  const auto relu = [](const fx::Array& x) -> fx::Array {
    if (x > 0.0) return x;
    return 0.0 * x;
  };
  EXPECT_THROW(fx::vmap(relu)(xs), fx::ConcretizationError);
}

TEST(VmapChunking, OuterTransformationsSeeTheComputation) {
  // A large vmap over concrete points inside grad, closing over the
  // differentiated parameter: d/dw sum_i sin(x_i w) = sum_i x_i cos(x_i w).
  const fx::Array xs = uniform(4, {kLarge});
  const auto loss = [&](const fx::Array& w) {
    return fx::sum(fx::vmap([&](const fx::Array& x) { return fx::sin(x * w); })(xs));
  };
  const double g = fx::grad(loss)(0.7).item<double>();
  const double want = fx::sum(xs * fx::cos(xs * 0.7)).item<double>();
  EXPECT_NEAR(g, want, 1e-9 * std::abs(want));
}

}  // namespace
