// jit's views and loop nests: reshape, squeeze, transpose, broadcast_in_dim
// and slice compile to strided reads of their operand's buffer, and a fused
// loop reads every operand through its strides, row by row when the
// operands step differently along the innermost axis (codegen.cpp,
// fused_loops.cpp). Each program is compared with eager evaluation bit for
// bit (elementwise work in the same order), and its generated source is
// checked for the code path the case is about, so that a case cannot pass by
// taking another path.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <cstdint>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"
#include "compare.hpp"
#include "primitives/primitives.hpp"

namespace {

namespace fx = fluxion;
using jit_test::expect_same;
using jit_test::uniform;

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

fx::Array slice(const fx::Array& x, std::vector<int64_t> start, std::vector<int64_t> limit,
                std::vector<int64_t> step) {
  const std::vector<fx::Array> operands{x};
  return fx::bind(fx::prim::slice_p, operands,
                  {{"start_indices", start}, {"limit_indices", limit}, {"strides", step}})[0];
}

fx::Array iota(std::vector<int64_t> shape, int64_t dimension) {
  return fx::bind(fx::prim::iota_p, std::span<const fx::Array>(), {{"dtype", fx::int32}, {"shape", shape}, {"dimension", dimension}})[0];
}

// jit(f) equals f on `args`; returns the generated source.
template <class F, class... A>
std::string check(F f, const A&... args) {
  auto jitted = fx::jit(f);
  expect_same(jitted(args...), f(args...));
  return jitted.lower(args...).source();
}

TEST(JitViews, TransposeFeedsAFusedLoopWithoutACopy) {
  const fx::Array x = uniform(1, {24, 40});
  const std::string src = check([](const fx::Array& a) {
    const fx::Array t = fx::transpose(a);
    return fx::sin(t) * 2.0 + t;  // sin: a kernel call on a gathered block
  }, x);
  EXPECT_EQ(count(src, "call_eqn(fx_rt->ctx"), 0) << src;
  EXPECT_EQ(count(src, "(a view, copied)"), 0) << src;
  EXPECT_EQ(count(src, "; ++i) bc"), 1) << "the kernel gathers its strided operand:\n" << src;
}

TEST(JitViews, BroadcastsAreReadInPlaceRowByRowOrFlat) {
  // A long inner axis: rows, the [40] operand read contiguously, the [24, 1]
  // one as one value per row.
  const std::string rows = check([](const fx::Array& a, const fx::Array& b, const fx::Array& c) {
    return fx::exp(a) * fx::broadcast_to(b, {24, 40}) + fx::broadcast_to(c, {24, 40});
  }, uniform(2, {24, 40}), uniform(3, {40}), uniform(4, {24, 1}));
  EXPECT_EQ(count(rows, "const long long r = t"), 1) << rows;
  EXPECT_EQ(count(rows, "broadcast_in_dim"), 0) << rows;
  // A short inner axis (3 < kMinRow): one flat loop with index arithmetic.
  const std::string flat = check([](const fx::Array& a, const fx::Array& b) {
    return a * fx::broadcast_to(b, {50, 3});
  }, uniform(5, {50, 3}), uniform(6, {3}));
  EXPECT_EQ(count(flat, "const long long r = t"), 0) << flat;
  // An operand uniform along the row feeding kernels (unary, and binary with
  // both operands uniform) is spread over the block.
  const std::string uniform_rows = check([](const fx::Array& c, const fx::Array& d, const fx::Array& e) {
    const fx::Array bc = fx::broadcast_to(c, {24, 40}), bd = fx::broadcast_to(d, {24, 40});
    return fx::cos(bc) + fx::arctan2(bc, bd) + e;
  }, uniform(7, {24, 1}), uniform(8, {24, 1}), uniform(18, {24, 40}));
  EXPECT_EQ(count(uniform_rows, ", n, 1, 1);"), 1) << uniform_rows;
}

TEST(JitViews, SlicesWithStepsAreStridedReads) {
  const fx::Array x = uniform(9, {30, 41});
  const std::string src = check([](const fx::Array& a) {
    const fx::Array s = slice(a, {2, 1}, {29, 41}, {3, 2});  // [9, 20]
    return fx::exp(s) + s;
  }, x);
  EXPECT_EQ(count(src, "call_eqn(fx_rt->ctx"), 0) << src;
  // A contiguous slice (whole rows) read by a statement is a pointer into its operand.
  check([](const fx::Array& a) { return fx::sum(slice(a, {3, 0}, {7, 41}, {1, 1}), {1}); }, x);
}

TEST(JitViews, ViewsOfViewsCompose) {
  const fx::Array x = uniform(10, {4, 5, 6});
  const std::string src = check([](const fx::Array& a, const fx::Array& z) {
    const fx::Array t = fx::transpose(fx::transpose(a, {1, 0, 2}), {2, 1, 0});  // [6, 4, 5]
    const fx::Array e = fx::expand_dims(t, 1);                                  // [6, 1, 4, 5]
    return e * z;
  }, x, uniform(11, {6, 3, 4, 5}));
  EXPECT_EQ(count(src, "(a view, copied)"), 0) << src;
}

TEST(JitViews, StridedViewsAreCopiedForStatementsAndOutputs) {
  const fx::Array x = uniform(12, {6, 8});
  // reshape merging strided axes: the transpose is copied, the reshape is a view of the copy.
  const std::string merged = check([](const fx::Array& a) { return fx::reshape(fx::transpose(a), {48}) + 1.0; }, x);
  EXPECT_EQ(count(merged, "(a view, copied)"), 1) << merged;
  // A reduction reads a contiguous buffer.
  const std::string reduced = check([](const fx::Array& a) { return fx::sum(fx::transpose(a), {1}); }, x);
  EXPECT_EQ(count(reduced, "(a view, copied)"), 1) << reduced;
  // Outputs are filled, never aliased; one view both returned and read.
  auto f = [](const fx::Array& a) {
    const fx::Array t = fx::transpose(a);
    return std::vector<fx::Array>{t, t * 2.0, fx::reshape(a, {4, 12})};
  };
  const auto got = fx::jit(f)(x), want = f(x);
  ASSERT_EQ(got.size(), 3u);
  for (size_t k = 0; k < 3; ++k) expect_same(got[k], want[k]);
}

TEST(JitViews, IotaCoordinatesInRowLoops) {
  // An identity matrix times a broadcast row: iota's two coordinates, one per
  // row and one along it.
  const std::string src = check([](const fx::Array& v) {
    const fx::Array i = iota({20, 20}, 0), j = iota({20, 20}, 1);
    return fx::where(fx::equal(i, j), fx::broadcast_to(v, {20, 20}), fx::zeros({20, 20}));
  }, uniform(13, {20}));
  EXPECT_EQ(count(src, "const long long r = t"), 1) << src;
}

TEST(JitViews, LargeRowLoopsRunOnThreads) {
  const std::string src = check([](const fx::Array& a, const fx::Array& b) {
    return fx::sin(fx::transpose(a)) * fx::broadcast_to(b, {700, 600});
  }, uniform(14, {600, 700}), uniform(15, {700, 1}));
  EXPECT_EQ(count(src, "#pragma omp parallel for"), 1) << src;
}

// float64 exp is an expression in the fused loop (the preamble's
// fx_exp_f64), not a kernel call: it must give eager's kernel's bits at the
// edges of XLA's algorithm too (clamps, overflow, subnormal results, the
// two-step scaling), in a vectorised loop and in a one-element one.
TEST(JitExp, Float64ExpEqualsEagerAtItsEdges) {
  std::vector<double> v = {0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, -1e-300, 709.782712893384, 709.78271289338397,
                           709.79, 710.0, -708.3964185322641, -708.39641853226408, -708.4, -745.2, -746.0,
                           std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max()};
  for (int n = -1080; n <= 1030; ++n)
    for (double f : {-0.5, -1e-9, 0.0, 1e-9, 0.5}) v.push_back((n + f) * 0.6931471805599453);
  const fx::Array x = fx::array(v, {static_cast<int64_t>(v.size())});
  const std::string src = check([](const fx::Array& a) { return fx::exp(a) * 1.5; }, x);
  EXPECT_EQ(count(src, "fx_exp_f64(p"), 1) << src;
  for (double e : {0.0, 709.5, -708.0, -745.0})
    check([](const fx::Array& a) { return fx::exp(a); }, fx::array(std::vector<double>{e}, {}));
  // NaN stays NaN (which NaN is unspecified, docs/NUMERICS.md).
  const fx::Array nan = fx::jit([](const fx::Array& a) { return fx::exp(a); })(
      fx::array(std::vector<double>{std::nan(""), 1.0}, {2}));
  EXPECT_TRUE(std::isnan(nan.to_vector<double>()[0]));
}

// sin, cos, tanh... are eager's SLEEF call per vector, made by the loop on
// its own registers (kernels::unary_vector_function): whole vectors, a last
// partial vector of every length, several blocks, in place and strided
// operands, float64 and float32, against eager's kernel bit for bit.
TEST(JitVectorMath, SleefCallsInTheLoopEqualEagersKernel) {
  // Every op on the first n elements, for lengths around the vector widths
  // (AVX2: 4 float64 / 8 float32 lanes; AVX-512: 8 / 16) and past a block:
  // one compile per dtype.
  const std::vector<int64_t> lengths = {1, 3, 7, 8, 9, 15, 16, 17, 31, 300, 1000};
  auto all_ops = [&](const fx::Array& a) {
    std::vector<fx::Array> out;
    for (int64_t n : lengths) {
      const fx::Array x = slice(a, {0}, {n}, {1});
      for (const fx::Array& y : {fx::sin(x), fx::cos(x), fx::tan(x), fx::tanh(x), fx::arcsin(x * 0.3),
                                 fx::arccos(x * 0.3), fx::arctan(x), fx::expm1(x), fx::log(x + 3.5)})
        out.push_back(y * 2.0);
    }
    return out;
  };
  for (fx::DType dtype : {fx::float64, fx::float32}) {
    SCOPED_TRACE(dtype == fx::float32 ? "float32" : "float64");
    const fx::Array x = uniform(7, {1000}, -3.0, 3.0, dtype);
    auto jitted = fx::jit(all_ops);
    expect_same(jitted(x), all_ops(x));
    const std::string src = jitted.lower(x).source();
    // The helper's definition and one call per op and length.
    EXPECT_EQ(count(src, dtype == fx::float32 ? "fx_unary_vector_f32(" : "fx_unary_vector_f64("),
              1 + 9 * static_cast<int>(lengths.size()))
        << src;
  }
  // Large arguments (SLEEF's slow path) and a strided operand.
  const fx::Array big = fx::array(std::vector<double>{1e3, -1e6, 1e15, 3e300, 0.0, -0.0, 1e-310}, {7});
  check([](const fx::Array& a) { return fx::sin(a) + fx::cos(a); }, big);
  check([](const fx::Array& a) { return fx::sin(fx::transpose(a)); }, uniform(3, {5, 6}));
  // sinh's kernel fixes its large lanes: it stays a call of the kernel.
  const std::string sinh = check([](const fx::Array& a) { return fx::sinh(a); }, uniform(4, {10}));
  EXPECT_EQ(count(sinh, "fx_rt->unary("), 1) << sinh;
}

// Small programs (every value within one block) are scheduled by depth:
// for exp(sum(cos(x))) * sin(x), sin and cos of x are computed in the first
// loop, beside each other, although program order reaches sin only after
// the cos chain's scalar work. Large programs keep program order, which
// fuses sin into the loop that consumes it.
TEST(JitSchedule, SmallProgramsGoByDepthLargeOnesByProgramOrder) {
  auto f = [](const fx::Array& x) { return fx::exp(fx::sum(fx::cos(x))) * fx::sin(x); };
  // Which loop makes a call: the number of loops that start before it.
  auto loop_of = [](const std::string& src, const std::string& call) {
    return count(src.substr(0, src.find(call)), "// fused:");
  };
  const std::string sin = "fx_unary_vector_f64(0,", cos = "fx_unary_vector_f64(1,";
  const std::string small = check(f, uniform(30, {3}));
  EXPECT_EQ(loop_of(small, sin), loop_of(small, cos)) << small;
  const std::string large = check(f, uniform(31, {1000}));
  EXPECT_GT(loop_of(large, sin), loop_of(large, cos)) << large;
}

// Small products are the kernel's fused multiply-add loop with its sizes
// fixed (fx_small_gemm: unrolled and vectorised by the compiler), larger
// ones CBLAS calls; both equal eager bit for bit.
TEST(JitDot, SmallProductsAreFixedSizeLoopsLargerOnesCblasCalls) {
  auto f = [](const fx::Array& a, const fx::Array& b) { return fx::matmul(a, b) * 2.0; };
  const std::string small = check(f, uniform(40, {3, 3}), uniform(41, {3, 4}));
  EXPECT_EQ(count(small, "fx_small_gemm<fx_f64, false, false, 3, 4, 3, 3, 4>("), 1) << small;
  EXPECT_EQ(count(small, "fx_rt->gemm("), 0) << small;
  const std::string transposed = check([](const fx::Array& a, const fx::Array& b) { return fx::matmul(fx::transpose(a), b); },
                                       uniform(42, {3, 2}, -2.0, 2.0, fx::float32), uniform(43, {3, 2}, -2.0, 2.0, fx::float32));
  EXPECT_EQ(count(transposed, "fx_small_gemm<fx_f32, "), 1) << transposed;
  const std::string large = check(f, uniform(44, {9, 13}), uniform(45, {13, 17}));
  EXPECT_EQ(count(large, "fx_rt->gemm("), 1) << large;
}

// Reductions of trailing axes run inside the fused loop that computes their
// operand (XLA's input fusion): one row per block, the same row code as the
// reduction alone (NumPy's pairwise sum for float sums), so the same bits.
TEST(JitRowReductions, ReduceTheBlockTheirProducersComputed) {
  const fx::Array x = uniform(20, {30, 40}), y = uniform(21, {30, 40});
  const std::string sum = check([](const fx::Array& a, const fx::Array& b) {
    return fx::sum(fx::exp(a) * b, {1});
  }, x, y);
  EXPECT_EQ(count(sum, "fx_pairwise_sum(blk, n)"), 1) << sum;
  EXPECT_EQ(count(sum, "// reduce_sum"), 0) << sum;
  // Several reductions of one row, over two trailing axes; max, min, prod,
  // integer sums and booleans use their sequential loops.
  const fx::Array z = uniform(22, {7, 5, 6});
  check([](const fx::Array& a) {
    const fx::Array s = fx::sin(a) * a;
    return std::vector<fx::Array>{fx::max(s, {1, 2}), fx::min(s, {1, 2}), fx::prod(s, {2, 1}), fx::sum(s, {1, 2})};
  }, z);
  check([](const fx::Array& a) { return fx::sum(fx::astype(a * 10.0, fx::int32) * 3, {1}); }, x);
  check([](const fx::Array& a) { return fx::any(fx::greater(a * a, 3.0), {1}); }, x);
  // A reader of the row's result (the same shape as the loop) comes after it.
  const std::string normalised = check([](const fx::Array& a) {
    const fx::Array e = fx::exp(a);
    return e / fx::sum(e, {1}, true);
  }, x);
  EXPECT_EQ(count(normalised, "fx_pairwise_sum(blk, n)"), 1) << normalised;
  // Over the whole array, a row of one element, a strided operand in the row.
  check([](const fx::Array& a) { return fx::sum(a * a); }, uniform(23, {12, 20}));
  check([](const fx::Array& a) { return fx::sum(fx::exp(a), {1}); }, uniform(24, {5, 1}));
  check([](const fx::Array& a) { return fx::sum(fx::transpose(a) * 2.0, {1}); }, uniform(25, {40, 30}));
  // Rows longer than a block stay a statement after the loop.
  const std::string long_rows = check([](const fx::Array& a) { return fx::sum(fx::exp(a), {1}); },
                                      uniform(26, {4, 300}));
  EXPECT_EQ(count(long_rows, "// reduce_sum"), 1) << long_rows;
  // A large loop on threads, reducing its rows.
  const std::string threads = check([](const fx::Array& a) { return fx::sum(fx::cos(a) * a, {1}); },
                                    uniform(27, {5000, 100}));
  EXPECT_EQ(count(threads, "#pragma omp parallel for"), 1) << threads;
}

TEST(JitViews, SizeZeroAndOneElementGroups) {
  check([](const fx::Array& a) { return fx::transpose(a) * 2.0; }, uniform(16, {0, 5}));
  check([](const fx::Array& a) { return fx::exp(fx::transpose(a)) * 2.0; }, uniform(17, {1, 1}));
}

}  // namespace
