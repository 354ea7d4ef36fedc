// vmap composed with itself and with every derivative transformation, in
// both orders; several arguments and outputs; in/out axes; axis_size;
// make_jaxpr of a batched program.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "../autodiff/autodiff_util.hpp"

namespace {

namespace fx = fluxion;
using autodiff_test::uniform;
using autodiff_test::values;
using Arrays = std::vector<fx::Array>;

void expect_close(const fx::Array& got, const fx::Array& want, double tol = 1e-12) {
  ASSERT_EQ(got.shape(), want.shape());
  const auto g = values(got.astype(fx::float64)), w = values(want.astype(fx::float64));
  for (size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(g[i], w[i], tol * (1 + std::abs(w[i]))) << "element " << i;
}

// f applied to each row of xs (axis 0), stacked: the loop vmap replaces.
template <class F> fx::Array loop(const F& f, const fx::Array& xs) {
  Arrays out;
  for (int64_t i = 0; i < xs.shape()[0]; ++i) out.push_back(f(xs[i]));
  return fx::stack(out);
}

fx::Array scalar_f(const fx::Array& x) { return fx::sin(x) * fx::pow(x, 2) + fx::exp(-x); }
fx::Array vector_f(const fx::Array& x) { return fx::sum(fx::tanh(x) * fx::arange(1.0, 4.0)) + fx::prod(x); }

TEST(VmapComposition, VmapOfGrad) {
  const fx::Array xs = uniform(1, {7});
  expect_close(fx::vmap(fx::grad(scalar_f))(xs), loop(fx::grad(scalar_f), xs));
  const fx::Array vs = uniform(2, {5, 3});
  expect_close(fx::vmap(fx::grad(vector_f))(vs), loop(fx::grad(vector_f), vs));
  // Third derivative, batched: forward and reverse passes nested under one vmap.
  const auto d3 = fx::grad(fx::grad(fx::grad(scalar_f)));
  expect_close(fx::vmap(d3)(xs), loop(d3, xs), 1e-11);
}

TEST(VmapComposition, GradOfAFunctionThatCallsVmap) {
  const auto total = [](const fx::Array& xs) { return fx::sum(fx::vmap(scalar_f)(xs)); };
  const fx::Array xs = uniform(3, {6});
  expect_close(fx::grad(total)(xs), fx::vmap(fx::grad(scalar_f))(xs));
  // Second order through vmap: the Hessian of a sum of independent terms is diagonal.
  const fx::Array h = fx::hessian(total)(xs);
  expect_close(h, fx::eye(6) * fx::vmap(fx::grad(fx::grad(scalar_f)))(xs), 1e-11);
}

TEST(VmapComposition, NestedVmapIsAnOuterProduct) {
  const auto f = [](const fx::Array& a, const fx::Array& b) { return fx::sin(a) * b + a; };
  const fx::Array a = uniform(4, {4}), b = uniform(5, {5});
  // vmap over b inside, over a outside: out[i][j] = f(a[i], b[j]).
  const auto inner = fx::vmap(f, {fx::none, 0});
  const fx::Array got = fx::vmap(inner, {0, fx::none})(a, b);
  ASSERT_EQ(got.shape(), (fx::Shape{4, 5}));
  const fx::Array want = f(fx::reshape(a, {4, 1}), fx::reshape(b, {1, 5}));
  expect_close(got, want);
  // The same with the mapped axes swapped through out_axes.
  expect_close(fx::vmap(inner, {0, fx::none}, 1)(a, b), want.T());
  // vmap(vmap(f)) over a matrix equals f elementwise.
  const fx::Array m = uniform(6, {3, 4});
  expect_close(fx::vmap(fx::vmap(scalar_f))(m), scalar_f(m));
  expect_close(fx::vmap(fx::vmap(scalar_f), 1, 1)(m), scalar_f(m));
}

TEST(VmapComposition, VmapOfJvpAndVjp) {
  const fx::Array xs = uniform(7, {5, 3}), ts = uniform(8, {5, 3});
  const auto tangent = [](const fx::Array& x, const fx::Array& t) { return fx::jvp(vector_f, {x}, {t}).second; };
  Arrays want;
  for (int64_t i = 0; i < 5; ++i) want.push_back(tangent(xs[i], ts[i]));
  expect_close(fx::vmap(tangent)(xs, ts), fx::stack(want));
  // One tangent for every point (in_axes none) and one point for every tangent.
  expect_close(fx::vmap(tangent, {0, fx::none})(xs, ts[0]), fx::matmul(fx::vmap(fx::grad(vector_f))(xs), ts[0]));
  const auto cotangent = [](const fx::Array& x, const fx::Array& ct) {
    return fx::vjp([](const fx::Array& v) { return fx::sin(v) * v; }, x).second(ct)[0];
  };
  expect_close(fx::vmap(cotangent)(xs, ts), (fx::cos(xs) * xs + fx::sin(xs)) * ts);
}

TEST(VmapComposition, JacobiansOfMappedFunctions) {
  // jacfwd/jacrev are vmaps over basis vectors; differentiate through a vmap too.
  const auto g = [](const fx::Array& x) { return fx::vmap([](const fx::Array& r) { return fx::sum(r * r) * r; })(x); };
  const fx::Array x = uniform(9, {2, 3});
  const fx::Array jf = fx::jacfwd(g)(x), jr = fx::jacrev(g)(x);
  ASSERT_EQ(jf.shape(), (fx::Shape{2, 3, 2, 3}));
  expect_close(jf, jr);
  // d g[i,k] / d x[j,l] = delta_ij (2 x[i,l] x[i,k] + |x_i|^2 delta_kl)
  const auto xv = values(x);
  const auto jv = values(jf);
  for (int i = 0; i < 2; ++i)
    for (int k = 0; k < 3; ++k)
      for (int j = 0; j < 2; ++j)
        for (int l = 0; l < 3; ++l) {
          double norm = 0;
          for (int q = 0; q < 3; ++q) norm += xv[i * 3 + q] * xv[i * 3 + q];
          const double want = i != j ? 0 : 2 * xv[i * 3 + l] * xv[i * 3 + k] + (k == l ? norm : 0);
          EXPECT_NEAR(jv[((i * 3 + k) * 2 + j) * 3 + l], want, 1e-12);
        }
  const fx::Array h = fx::hessian(vector_f)(x[0]);
  expect_close(h, fx::jacrev(fx::jacfwd(vector_f))(x[0]));
  expect_close(fx::vmap(fx::hessian(vector_f))(x)[1], fx::hessian(vector_f)(x[1]));
}

TEST(VmapComposition, SeveralArgumentsAndOutputs) {
  const auto f = [](const fx::Array& x, const fx::Array& w) { return Arrays{fx::dot(w, x), fx::sum(w), x * 2.0}; };
  const fx::Array xs = uniform(10, {3, 4}), w = uniform(11, {3});
  // out_axes per output; the output that does not depend on xs stays unmapped.
  const Arrays out = fx::vmap(f, {1, fx::none}, {0, fx::none, -1})(xs, w);
  expect_close(out[0], fx::matmul(w, xs));
  expect_close(out[1], fx::sum(w));
  expect_close(out[2], xs * 2.0);
  // An unmapped output with an int out_axes is broadcast over the batch.
  const Arrays all0 = fx::vmap(f, {1, fx::none})(xs, w);
  expect_close(all0[1], fx::full({4}, fx::sum(w).item<double>()));
  ASSERT_EQ(all0[2].shape(), (fx::Shape{4, 3}));
  expect_close(all0[2], (xs * 2.0).T());
}

TEST(VmapComposition, ExplicitAxisSizeWhenNothingIsMapped) {
  const auto f = [](const fx::Array& x) { return x * 2.0; };
  const fx::Array got = fx::vmap(f, fx::none, 0, 4)(fx::arange(3.0));
  ASSERT_EQ(got.shape(), (fx::Shape{4, 3}));
  expect_close(got, fx::broadcast_to(fx::arange(3.0) * 2.0, {4, 3}));
  expect_close(fx::vmap(f, 0, 0, 3)(fx::arange(3.0)), fx::arange(3.0) * 2.0);
}

TEST(VmapComposition, IntegerAndBoolArguments) {
  const fx::Array n = fx::arange(12).reshape({3, 4});
  const auto f = [](const fx::Array& r) { return fx::sum(r * r); };
  expect_close(fx::vmap(f)(n), fx::sum(n * n, {1}));
  EXPECT_EQ(fx::vmap(f)(n).dtype(), fx::int32);
  const auto any_big = [](const fx::Array& r) { return fx::any(r > 6); };
  EXPECT_EQ(fx::vmap(any_big)(n).to_vector<bool>(), (std::vector<bool>{false, true, true}));
}

TEST(VmapComposition, NativeIfOnAnUnmappedArgumentWorks) {
  // Only mapped values are abstract: an unmapped argument keeps its value (as in JAX).
  const auto f = [](const fx::Array& x, const fx::Array& flag) {
    if (flag > 0.0) return x * 2.0;
    return x;
  };
  expect_close(fx::vmap(f, {0, fx::none})(fx::arange(3.0), fx::Array(1.0)), fx::arange(3.0) * 2.0);
}

TEST(VmapComposition, MakeJaxprShowsTheBatchedProgram) {
  const auto f = [](const fx::Array& x) { return fx::sin(x) * 2.0; };
  std::ostringstream s;
  s << fx::make_jaxpr(fx::vmap(f))(fx::ones({3}));
  EXPECT_EQ(s.str(), "{ lambda ; a:f64[3]. let b:f64[3] = sin a; c:f64[3] = mul b 2.0:f64[] in (c,) }");
  // A matrix-vector product mapped over the vectors becomes one dot_general
  // contracting the batch's rows, then the batch axis is moved to the front.
  const fx::Array w = fx::ones({2, 3});
  const auto matvec = [&](const fx::Array& x) { return fx::matmul(w, x); };
  EXPECT_EQ(fx::make_jaxpr(fx::vmap(matvec))(fx::ones({5, 3})).str(),
            "{ lambda a:f64[2,3]; b:f64[5,3]. let\n"
            "    c:f64[2,5] = dot_general[\n"
            "      dimension_numbers=(([1], [1]), ([], []))\n"
            "      preferred_element_type=float64\n"
            "    ] a b\n"
            "    d:f64[5,2] = transpose[permutation=(1, 0)] c\n"
            "  in (d,) }");
}

}  // namespace

namespace {

// fx::random is written with primitives, so it batches: a vmap over keys is
// the loop over keys (JAX's idiom for independent streams), in both schemes.
TEST(VmapComposition, RandomSamplersOverABatchOfKeys) {
  const fx::Array keys = fx::random::split(fx::random::key(0), 5);
  for (bool partitionable : {true, false}) {
    fx::random::ThreefryPartitionableScope scheme(partitionable);
    const auto draw = [](const fx::Array& k) {
      return fx::stack({fx::random::normal(k, {3}), fx::random::uniform(k, {3}),
                        fx::random::bits(k, {3}).astype(fx::float64)});
    };
    EXPECT_EQ(values(fx::vmap(draw)(keys)), values(loop(draw, keys)));
    const auto perm = [](const fx::Array& k) { return fx::random::permutation(k, 6); };
    EXPECT_EQ(fx::vmap(perm)(keys).to_vector<int32_t>(), loop(perm, keys).to_vector<int32_t>());
    // Keys split under vmap, and keys along axis 1.
    const auto child = [](const fx::Array& k) { return fx::random::split(k, 3); };
    EXPECT_EQ(fx::vmap(child)(keys).to_vector<uint32_t>(), loop(child, keys).to_vector<uint32_t>());
    EXPECT_EQ(fx::vmap(draw, 1)(keys.T()).to_vector<double>(), loop(draw, keys).to_vector<double>());
  }
}

}  // namespace
