// fx::jit against the same computation without it. Every check compares
// values (never how the program runs), so these tests hold whether jitted
// programs run through the interpreters or through generated code:
//   - expect_same: the same shape, dtype, weak type and the same bits in every
//     element. jit must equal eager to the bit where the computation is the
//     same sequence of elementwise operations.
//   - expect_close: a tight relative tolerance, used only where the order of
//     floating-point operations may legitimately differ, each use says why:
//       * reductions (sum, mean), which a compiler may accumulate in another order;
//       * reverse mode where a value feeds several operations: its cotangent is
//         a sum of several terms, added in the reverse order of the program's
//         equations. Eager grad records them in the order C++ evaluated the
//         operands (unspecified: GCC evaluates `a * b`'s operands right to
//         left), the jitted program in make_jaxpr's canonical left-to-right
//         order, so the terms are added in another order (1 ulp apart).
//     Derivatives of chains (each value used once) are compared bit for bit.
// FLUXION_JIT=eager is read once per process, so it is not tested here (the
// whole suite runs in that mode elsewhere).
#include <gtest/gtest.h>

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "fluxion/fluxion.hpp"
#include "compare.hpp"

namespace {

namespace fx = fluxion;
using Arrays = std::vector<fx::Array>;
using jit_test::bits;
using jit_test::expect_same;
using jit_test::uniform;

// A strongly typed float64 0-d array (fx::Array(2.0) is weakly typed).
fx::Array strong(double v) { return fx::array(std::vector<double>{v}, {}); }

void expect_close(const fx::Array& got, const fx::Array& want, double rtol = 1e-13) {
  ASSERT_TRUE(got.valid());
  ASSERT_EQ(got.shape(), want.shape());
  ASSERT_EQ(got.dtype(), want.dtype());
  const auto g = got.to_vector<double>(), w = want.to_vector<double>();
  for (size_t i = 0; i < g.size(); ++i)
    EXPECT_NEAR(g[i], w[i], rtol * (1 + std::abs(w[i]))) << "element " << i;
}

fx::Array scalar_f(const fx::Array& x) { return fx::sin(x) * x + fx::exp(-x) * fx::pow(x, 2); }

// A chain: every value is used once, so reverse mode sums no cotangents and
// grad(jit(f)) performs exactly grad(f)'s operations.
fx::Array chain_f(const fx::Array& x) { return fx::sin(fx::exp(x * 0.5) + 1.0) * 3.0; }

// For derivatives of scalar_f: x's cotangent sums four terms (see the top).
constexpr double kSumOrder = 1e-14;

// Ackley's function of a vector (reductions: mean).
fx::Array ackley(const fx::Array& x) {
  return -20.0 * fx::exp(-0.2 * fx::sqrt(fx::mean(x * x))) - fx::exp(fx::mean(fx::cos(2.0 * fx::pi * x))) + 20.0 +
         fx::e;
}

// ---------------------------------------------------------------- values

TEST(Jit, ScalarInput) {
  const auto jf = fx::jit(scalar_f);
  expect_same(jf(strong(0.7)), scalar_f(strong(0.7)));
  expect_same(jf(strong(-1.3)), scalar_f(strong(-1.3)));
}

TEST(Jit, ArrayInputs) {
  const auto f = [](fx::Array x) { return fx::tanh(x) * x - fx::cos(x) / (1.0 + x * x); };
  const auto jf = fx::jit(f);
  const fx::Array x64 = uniform(1, {3, 4});
  expect_same(jf(x64), f(x64));
  const fx::Array x32 = uniform(2, {5}, -2, 2, fx::float32);
  expect_same(jf(x32), f(x32));  // weak scalars keep float32
  EXPECT_EQ(jf(x32).dtype(), fx::float32);
  const fx::Array empty = fx::zeros({0, 3});
  expect_same(jf(empty), f(empty));
}

TEST(Jit, SeveralArgumentsAndOutputs) {
  const auto f = [](fx::Array x, fx::Array y, fx::Array z) {
    return Arrays{fx::sin(x) * y + z, x - y, fx::exp(z) * x};  // y and z broadcast
  };
  const auto jf = fx::jit(f);
  const fx::Array x = uniform(3, {2, 3}), y = uniform(4, {3}), z = strong(0.25);
  const Arrays got = jf(x, y, z);
  static_assert(std::is_same_v<decltype(jf(x, y, z)), Arrays>);
  expect_same(got, f(x, y, z));
  EXPECT_EQ(got[2].shape(), (fx::Shape{2, 3}));
}

TEST(Jit, OutputsThatAreInputsOrConstants) {
  // An input returned as it is, the same value twice, a constant: edge cases
  // for a code generator (aliasing, outputs that are not computed).
  const auto f = [](fx::Array x, fx::Array y) { return Arrays{x, y * 2.0, y * 2.0, fx::ones({2}), x + 0.0}; };
  const auto jf = fx::jit(f);
  const fx::Array x = uniform(5, {3}), y = uniform(6, {2, 2});
  expect_same(jf(x, y), f(x, y));
}

TEST(Jit, Int32) {
  const auto f = [](fx::Array n) { return n * n - 3 * n + 1; };
  const auto jf = fx::jit(f);
  const fx::Array n = fx::array_of<int32_t>({-4, 0, 7, 123, -77}, {5});
  expect_same(jf(n), f(n));
  EXPECT_EQ(jf(n).dtype(), fx::int32);
  // Integers promote to float64 in math functions, inside jit as outside.
  const auto g = [](fx::Array m) { return fx::sqrt(m * m) + m; };
  expect_same(fx::jit(g)(n), g(n));
  EXPECT_EQ(fx::jit(g)(n).dtype(), fx::float64);
}

TEST(Jit, WeakTypedScalars) {
  const auto f = [](fx::Array x) { return fx::sin(x) * x + 1.0; };
  const auto jf = fx::jit(f);
  const fx::Array got = jf(2.0), want = f(2.0);
  EXPECT_TRUE(want.weak_type());
  EXPECT_EQ(got.weak_type(), want.weak_type());
  EXPECT_EQ(got.dtype(), want.dtype());
  expect_same(got, want);
  // A strongly typed argument gives a strongly typed result.
  EXPECT_FALSE(jf(strong(2.0)).weak_type());
  expect_same(jf(strong(2.0)), f(strong(2.0)));
  // A weak int, and a weak scalar meeting a float32 array (float32 wins).
  const auto g = [](fx::Array n) { return n * 3 + 1; };
  expect_same(fx::jit(g)(2), g(2));
  const auto h = [](fx::Array x, fx::Array s) { return x * s + s; };
  const fx::Array x32 = uniform(7, {4}, -1, 1, fx::float32);
  expect_same(fx::jit(h)(x32, 0.1), h(x32, 0.1));
  EXPECT_EQ(fx::jit(h)(x32, 0.1).dtype(), fx::float32);
}

// ---------------------------------------------------------------- static arguments

TEST(Jit, IntParameterIsStaticAndRetraces) {
  int traces = 0;
  const auto f = [&traces](fx::Array x, int n) {
    ++traces;
    return fx::pow(x, n);
  };
  const auto jf = fx::jit(f);
  const fx::Array x = uniform(8, {4});
  const fx::Array cube = jf(x, 3), fourth = jf(x, 4);
  EXPECT_EQ(traces, 2);
  expect_same(cube, fx::pow(x, 3));
  expect_same(fourth, fx::pow(x, 4));
  EXPECT_NE(bits(cube), bits(fourth));
  expect_same(jf(x, 3), cube);  // cached
  EXPECT_EQ(traces, 2);
}

TEST(Jit, StaticArgnumsOnAnArrayParameter) {
  int traces = 0;
  const auto f = [&traces](fx::Array x, fx::Array s) {
    ++traces;
    return fx::sin(x * s) + s;
  };
  const auto jf = fx::jit(f, {.static_argnums = {1}});
  const fx::Array x = uniform(9, {3});
  expect_same(jf(x, 2.5), f(x, 2.5));
  expect_same(jf(x, 2.5), f(x, 2.5));
  expect_same(jf(x, 3.5), f(x, 3.5));
  EXPECT_EQ(traces, 2 + 3);  // two traces by jit, three eager calls of f
  // Negative positions count from the end.
  const auto jg = fx::jit(f, {.static_argnums = {-1}});
  expect_same(jg(x, 2.5), f(x, 2.5));
}

TEST(Jit, StaticArrayIsATypeError) {
  const auto f = [](fx::Array x, fx::Array s) { return x * s; };
  const auto jf = fx::jit(f, {.static_argnums = {1}});
  EXPECT_THROW(jf(strong(1.0), strong(2.0)), fx::TypeError);
}

// JAX's ValueError.
TEST(Jit, StaticArgnumsOutOfRange) {
  const auto f = [](fx::Array x, fx::Array s) { return x * s; };
  EXPECT_THROW(fx::jit(f, {.static_argnums = {2}})(1.0, 2.0), fx::ValueError);
  EXPECT_THROW(fx::jit(f, {.static_argnums = {-3}})(1.0, 2.0), fx::ValueError);
}

// ---------------------------------------------------------------- the cache

TEST(Jit, RetracesOnNewShapesAndDtypesOnly) {
  int traces = 0;
  const auto jf = fx::jit([&traces](fx::Array x) {
    ++traces;
    return x * x + 1.0;
  });
  jf(uniform(10, {3}));
  jf(uniform(11, {3}));  // new values, same signature
  EXPECT_EQ(traces, 1);
  jf(uniform(12, {4}));
  EXPECT_EQ(traces, 2);
  jf(uniform(13, {4}, -1, 1, fx::float32));
  EXPECT_EQ(traces, 3);
  // Weak and strong float64 scalars are different signatures (their results differ in weak type).
  jf(strong(2.0));
  EXPECT_EQ(traces, 4);
  const fx::Array weak = jf(2.0);
  EXPECT_EQ(traces, 5);
  EXPECT_TRUE(weak.weak_type());
  jf(3.0);
  jf(strong(3.0));
  EXPECT_EQ(traces, 5);
}

TEST(Jit, CapturedValuesAreReadWhenTraced) {
  // As in JAX: a captured variable is a constant of the traced program.
  double scale = 2.0;
  const auto jf = fx::jit([&scale](fx::Array x) { return x * scale; });
  expect_same(jf(strong(3.0)), strong(6.0));
  scale = 10.0;
  expect_same(jf(strong(3.0)), strong(6.0));  // the cached program
}

// ---------------------------------------------------------------- transformations

TEST(JitComposition, GradOfJit) {
  const fx::Array x = strong(0.8);
  expect_same(fx::grad(fx::jit(chain_f))(x), fx::grad(chain_f)(x));
  expect_same(fx::grad(fx::jit(chain_f))(-1.7), fx::grad(chain_f)(-1.7));  // weak input (weak types compared too)
  // Several arguments: cotangents of both (each a sum of two terms).
  const auto f = [](fx::Array a, fx::Array b) { return fx::sin(a) * b + a * a * fx::cos(b); };
  const Arrays got = fx::grad(fx::jit(f), {0, 1})(strong(0.3), strong(-1.1));
  const Arrays want = fx::grad(f, {0, 1})(strong(0.3), strong(-1.1));
  ASSERT_EQ(got.size(), 2u);
  expect_close(got[0], want[0], kSumOrder);
  expect_close(got[1], want[1], kSumOrder);
}

TEST(JitComposition, JitOfGrad) {
  // The same derivative program, traced by jit instead of run eagerly; only
  // the order in which its equations were recorded may differ (see the top).
  const fx::Array x = strong(0.8);
  expect_same(fx::jit(fx::grad(chain_f))(x), fx::grad(chain_f)(x));
  expect_close(fx::jit(fx::grad(fx::grad(scalar_f)))(x), fx::grad(fx::grad(scalar_f))(x), kSumOrder);
}

TEST(JitComposition, GradOfGradOfJit) {
  // Second derivatives sum several terms (see the top).
  const fx::Array x = strong(1.3);
  expect_close(fx::grad(fx::grad(fx::jit(scalar_f)))(x), fx::grad(fx::grad(scalar_f))(x), kSumOrder);
}

TEST(JitComposition, VmapOfJitAndJitOfVmap) {
  const fx::Array xs = uniform(20, {6});
  expect_same(fx::vmap(fx::jit(scalar_f))(xs), fx::vmap(scalar_f)(xs));
  expect_same(fx::jit(fx::vmap(scalar_f))(xs), fx::vmap(scalar_f)(xs));
  // Along axis 1 of a matrix, out_axes 1.
  const fx::Array m = uniform(21, {3, 4});
  expect_same(fx::vmap(fx::jit(scalar_f), 1, 1)(m), fx::vmap(scalar_f, 1, 1)(m));
  // An unmapped argument.
  const auto f = [](fx::Array x, fx::Array y) { return fx::sin(x) * y + y; };
  const fx::Array y = uniform(22, {2});
  const fx::Array xs2 = uniform(23, {5, 2});
  expect_same(fx::vmap(fx::jit(f), {0, fx::none})(xs2, y), fx::vmap(f, {0, fx::none})(xs2, y));
}

TEST(JitComposition, VmapOfGradOfJit) {
  const fx::Array xs = uniform(24, {7});
  expect_same(fx::vmap(fx::grad(fx::jit(chain_f)))(xs), fx::vmap(fx::grad(chain_f))(xs));
  expect_same(fx::jit(fx::vmap(fx::grad(chain_f)))(xs), fx::vmap(fx::grad(chain_f))(xs));
}

TEST(JitComposition, JvpAndVjpOfJit) {
  const fx::Array x = uniform(25, {4}), t = uniform(26, {4});
  const auto f = [](fx::Array v) { return fx::sin(v) * v + fx::exp(v); };
  const auto [y, ty] = fx::jvp(fx::jit(f), {x}, {t});
  const auto [y0, ty0] = fx::jvp(f, {x}, {t});
  expect_same(y, y0);
  expect_same(ty, ty0);
  const fx::Array ct = uniform(27, {4});
  const auto [yv, pull] = fx::vjp(fx::jit(f), x);
  const auto [yv0, pull0] = fx::vjp(f, x);
  expect_same(yv, yv0);
  expect_same(pull(ct)[0], pull0(ct)[0]);
}

TEST(JitComposition, IntegerOutputsHaveNoTangent) {
  // A jitted function with a float and an int output, differentiated through.
  const auto f = [](fx::Array x) { return Arrays{fx::sin(x) * x, (x > 0.0).astype(fx::int32)}; };
  const auto jf = fx::jit(f);
  const auto use = [](const auto& g) {
    return [g](fx::Array x) {
      const Arrays r = g(x);
      return fx::sum(r[0] * r[1].astype(fx::float64));
    };
  };
  const fx::Array x = uniform(28, {5});
  // One nonzero term per element: the same bits.
  expect_same(fx::grad(use(jf))(x), fx::grad(use(f))(x));
}

TEST(JitComposition, JacobiansAndHessianOfJit) {
  // Ackley reduces with mean: a compiler may sum in another order, so these
  // agree to a tight tolerance rather than to the bit.
  const fx::Array x = uniform(30, {5}, -1.5, 1.5);
  const auto jf = fx::jit(ackley);
  expect_close(jf(x), ackley(x));
  expect_close(fx::jacfwd(jf)(x), fx::jacfwd(ackley)(x));
  expect_close(fx::jacrev(jf)(x), fx::jacrev(ackley)(x));
  expect_close(fx::hessian(jf)(x), fx::hessian(ackley)(x), 1e-12);
}

TEST(JitComposition, JitInsideJit) {
  const auto inner = fx::jit([](fx::Array x) { return fx::sin(x) * x; }, {.name = "inner"});
  const auto outer = [&inner](fx::Array x) { return inner(x) + inner(x * 2.0); };
  const auto plain = [](fx::Array x) { return fx::sin(x) * x + fx::sin(x * 2.0) * (x * 2.0); };
  const fx::Array x = uniform(31, {4});
  expect_same(fx::jit(outer)(x), plain(x));
  expect_same(fx::jit(fx::jit(scalar_f))(x), scalar_f(x));
  expect_same(fx::grad(fx::jit(outer))(strong(0.4)), fx::grad(plain)(strong(0.4)));
  expect_same(fx::vmap(fx::jit(outer))(x), plain(x));
  const std::string text = fx::make_jaxpr(fx::jit(outer, {.name = "outer"}))(x).str();
  EXPECT_NE(text.find("name=outer"), std::string::npos) << text;
  EXPECT_NE(text.find("name=inner"), std::string::npos) << text;
}

TEST(JitComposition, ClosuresOverAnEnclosingTransformationsValues) {
  // The inner jitted function reads x, a tracer of grad: it becomes an operand.
  const fx::Array g = fx::grad([&](fx::Array x) { return fx::jit([&](fx::Array y) { return x * y; })(2.0); })(3.0);
  EXPECT_EQ(g.item<double>(), 2.0);
  // Again, with the jitted function created once and called twice under the
  // same trace: the program closes over a tracer, so it is not reused.
  const auto outer = [](fx::Array x) {
    const auto jf = fx::jit([&x](fx::Array y) { return x * y; });
    return jf(2.0) * jf(5.0);
  };
  EXPECT_EQ(fx::grad(outer)(3.0).item<double>(), 60.0);  // d/dx 10 x^2
  // Under vmap and under an outer jit.
  const fx::Array xs = uniform(32, {4});
  const auto times2 = [](fx::Array x) { return fx::jit([&x](fx::Array y) { return x * y; })(2.0); };
  expect_same(fx::vmap(times2)(xs), xs * 2.0);
  expect_same(fx::jit(times2)(xs), xs * 2.0);
}

// ---------------------------------------------------------------- make_jaxpr, lower, compile

TEST(JitJaxpr, MakeJaxprShowsTheJitEquation) {
  const auto f = [](fx::Array x) { return fx::sin(x) * x; };
  const std::string text = fx::make_jaxpr(fx::jit(f, {.name = "f"}))(strong(1.0)).str();
  // JAX's pjit primitive prints as `jit`, its program's variables named as
  // the equation's operand and result.
  EXPECT_EQ(text,
            "{ lambda ; a:f64[]. let\n"
            "    b:f64[] = jit[\n"
            "      name=f\n"
            "      jaxpr={ lambda ; a:f64[]. let c:f64[] = sin a; b:f64[] = mul c a in (b,) }\n"
            "    ] a\n"
            "  in (b,) }");
  // The default name.
  EXPECT_NE(fx::make_jaxpr(fx::jit(f))(strong(1.0)).str().find("name=jit_fn"), std::string::npos);
}

TEST(JitJaxpr, GradAndVmapOfJitAreRecordedThroughJit) {
  const auto f = [](fx::Array x) { return fx::sin(x) * x; };
  const std::string text = fx::make_jaxpr(fx::grad(fx::jit(f, {.name = "f"})))(strong(1.0)).str();
  EXPECT_NE(text.find(" = jit["), std::string::npos) << text;
  const std::string vtext = fx::make_jaxpr(fx::vmap(fx::jit(f, {.name = "f"})))(uniform(40, {3})).str();
  EXPECT_NE(vtext.find(" = jit["), std::string::npos) << vtext;
}

TEST(JitLower, AsTextIsTheJaxpr) {
  const auto f = [](fx::Array x, fx::Array y) { return Arrays{fx::sin(x) * y, fx::sum(x * x)}; };
  const fx::Array x = uniform(41, {3}), y = uniform(42, {3});
  EXPECT_EQ(fx::jit(f).lower(x, y).as_text(), fx::make_jaxpr(f)(x, y).str());
  EXPECT_EQ(fx::jit(scalar_f).lower(2.0).as_text(), fx::make_jaxpr(scalar_f)(2.0).str());
}

TEST(JitLower, CompiledRunsTheProgram) {
  const auto f = [](fx::Array x, fx::Array y) { return Arrays{fx::sin(x) * y + 1.0, x - fx::exp(y)}; };
  const fx::Array x = uniform(43, {3}), y = uniform(44, {3});
  const fx::Compiled c = fx::jit(f).lower(x, y).compile();
  ASSERT_EQ(c.input_types().size(), 2u);
  ASSERT_EQ(c.output_types().size(), 2u);
  EXPECT_EQ(c.input_types()[0].shape, (fx::Shape{3}));
  EXPECT_EQ(c.output_types()[1].dtype, fx::float64);
  const Arrays want = f(x, y);
  expect_same(c(x, y), want);
  // The raw entry point on plain buffers.
  std::vector<double> xb = x.to_vector<double>(), yb = y.to_vector<double>(), o0(3, -1.0), o1(3, -1.0);
  const void* inputs[] = {xb.data(), yb.data()};
  void* outputs[] = {o0.data(), o1.data()};
  c.call(inputs, outputs);
  expect_same(fx::array(o0, {3}), want[0]);
  expect_same(fx::array(o1, {3}), want[1]);
  // Again on other values (buffers reused by the caller).
  const fx::Array x2 = uniform(45, {3});
  xb = x2.to_vector<double>();
  inputs[0] = xb.data();
  c.call(inputs, outputs);
  expect_same(fx::array(o0, {3}), f(x2, y)[0]);
  // Static arguments are fixed by lower().
  const auto g = [](fx::Array v, int n) { return fx::pow(v, n); };
  const fx::Compiled cube = fx::jit(g).lower(x, 3).compile();
  expect_same(cube(x)[0], fx::pow(x, 3));
}

TEST(JitLower, CompiledChecksItsArguments) {
  const auto f = [](fx::Array x) { return x * 2.0; };
  const fx::Compiled c = fx::jit(f).lower(uniform(46, {3})).compile();
  EXPECT_THROW(c(uniform(47, {4})), fx::TypeError);
  EXPECT_THROW(c(uniform(47, {3}, -1, 1, fx::float32)), fx::TypeError);
  EXPECT_THROW(c(uniform(47, {3}), uniform(48, {3})), fx::TypeError);
}

// ---------------------------------------------------------------- errors

TEST(JitErrors, DataDependentIfIsAConcretizationError) {
  const auto jf = fx::jit([](fx::Array x) {
    if (x > 0.0) return x;
    return -x;
  });
  EXPECT_THROW(jf(strong(1.0)), fx::ConcretizationError);
  // A failed trace is not cached: the next call traces (and fails) again.
  EXPECT_THROW(jf(strong(1.0)), fx::ConcretizationError);
  // The same function on a fresh jit object, through fx::where instead, works.
  const auto ok = fx::jit([](fx::Array x) { return fx::where(x > 0.0, x, -x); });
  expect_same(ok(strong(-2.0)), strong(2.0));
}

// An empty handle is the wrong kind of argument, as None is to a jitted
// function that uses it, and so is a tracer to a Compiled program: TypeErrors
// from jit and Compiled themselves, not from the trace.
TEST(JitErrors, EmptyHandlesAndTracersAreTypeErrors) {
  const auto type_error = [](const auto& call) {
    try {
      call();
    } catch (const fx::TypeError& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  const auto f = [](fx::Array x) { return x * 2.0; };
  EXPECT_EQ(type_error([&] { (void)fx::jit(f)(fx::Array()); }),
            "jit: an argument is an empty Array handle (default-constructed)");
  const fx::Compiled c = fx::jit(f).lower(uniform(51, {3})).compile();
  EXPECT_EQ(type_error([&] { (void)c(fx::Array()); }), "Compiled: argument 0 is an empty Array handle");
  const auto call_c = [&](fx::Array v) { return c(v)[0]; };
  const std::string tracer = type_error([&] { (void)fx::vmap(call_c)(uniform(52, {2, 3})); });
  EXPECT_NE(tracer.find("Compiled: argument 0 is a tracer"), std::string::npos) << tracer;
}

// ---------------------------------------------------------------- threads

// call(t) on n threads released together; the results in thread order.
template <class Call> std::vector<fx::Array> on_threads_together(int n, Call call) {
  std::vector<fx::Array> got(static_cast<size_t>(n));
  std::latch start(n);
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t)
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      got[static_cast<size_t>(t)] = call(t);
    });
  for (std::thread& th : threads) th.join();
  return got;
}

TEST(JitThreads, FirstCallFromManyThreadsTracesOnce) {
  constexpr int kThreads = 16;
  std::atomic<int> traces{0};
  const auto f = [&traces](fx::Array x) {
    traces.fetch_add(1);
    return fx::sin(x) * x + fx::exp(-x * x);
  };
  const auto jf = fx::jit(f);
  const fx::Array x = uniform(50, {64});
  const fx::Array want = [&] {
    const fx::Array w = f(x);
    traces.store(0);
    return w;
  }();
  const std::vector<fx::Array> got = on_threads_together(kThreads, [&](int) { return jf(x); });
  EXPECT_EQ(traces.load(), 1);
  for (int t = 0; t < kThreads; ++t) {
    SCOPED_TRACE("thread " + std::to_string(t));
    expect_same(got[static_cast<size_t>(t)], want);
  }
}

TEST(JitThreads, FirstCallsWithAndWithoutTransformationsTogether) {
  // Half the threads call the jitted function on arrays, half under grad (on
  // tracers), all for the first time and for the same signature.
  constexpr int kThreads = 8;
  const auto jf = fx::jit(chain_f);
  const fx::Array x = strong(0.8);
  const fx::Array value = chain_f(x), slope = fx::grad(chain_f)(x);
  const std::vector<fx::Array> got =
      on_threads_together(kThreads, [&](int t) { return t % 2 ? fx::grad(jf)(x) : jf(x); });
  for (int t = 0; t < kThreads; ++t) {
    SCOPED_TRACE("thread " + std::to_string(t));
    expect_same(got[static_cast<size_t>(t)], t % 2 ? slope : value);
  }
}

// round's two methods (lax.RoundingMethod: 0 away from zero, 1 to nearest
// even) compile to the same halves as eager rounds them.
TEST(JitRound, BothRoundingMethodsEqualEager) {
  const fx::Primitive* round = nullptr;
  for (const fx::Primitive* p : fx::all_primitives())
    if (p->name == "round") round = p;
  ASSERT_NE(round, nullptr);
  const fx::Array halves = fx::array({-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.7, -3.2});
  for (int64_t method : {0, 1}) {
    const auto f = [&](fx::Array x) { return fx::bind1(*round, {x}, {{"rounding_method", method}}); };
    expect_same(fx::jit(f)(halves), f(halves));
  }
  EXPECT_EQ(fx::bind1(*round, {halves}, {{"rounding_method", int64_t{0}}}).to_vector<double>(),
            (std::vector<double>{-3, -2, -1, 1, 2, 3, 4, -3}));
  EXPECT_EQ(fx::bind1(*round, {halves}, {{"rounding_method", int64_t{1}}}).to_vector<double>(),
            (std::vector<double>{-2, -2, -0.0, 0, 2, 2, 4, -3}));
}

}  // namespace
