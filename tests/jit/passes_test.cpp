// jit's jaxpr-level passes: each one's printed result, and that the program
// computes the same bits before and after (on -0.0, infinities and NaN too),
// plus the rewrites that must not happen.
#include "compiler/passes.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <unordered_set>
#include <vector>

#include "fluxion/fluxion.hpp"
#include "primitives/pjit.hpp"
#include "primitives/primitives.hpp"

namespace fx = fluxion;
using fx::Array;
using fx::ClosedJaxpr;
namespace prim = fluxion::prim;
namespace compiler = fluxion::compiler;

namespace {

using Ints = std::vector<int64_t>;

// pjit runs its program through the interpreters: these tests check the
// passes, not the code generator.
const bool kEagerJit = [] { return setenv("FLUXION_JIT", "eager", 1) == 0; }();

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Every value whose sign or class an exact rewrite must preserve, and a
// negative NaN with a payload (its bits must survive too).
Array special_values() {
  return fx::array({-0.0, 0.0, 1.5, -2.25, kInf, -kInf, kNaN, std::bit_cast<double>(uint64_t{0xfff8000000000123})});
}

Array strong_scalar(double v) { return fx::astype(Array(v), fx::float64); }

// The same dtypes, shapes and bytes. (Not weak types: pjit's eager impl
// returns what its program's interpreter computed, which can be weak where
// the program says strong; the inlined program follows the declared types.)
void expect_bit_identical(const std::vector<Array>& a, const std::vector<Array>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].shape(), b[i].shape()) << "output " << i;
    ASSERT_EQ(a[i].dtype(), b[i].dtype()) << "output " << i;
    const size_t bytes = static_cast<size_t>(a[i].size()) * fx::itemsize(a[i].dtype());
    EXPECT_EQ(std::memcmp(a[i].data(), b[i].data(), bytes), 0) << "output " << i << ": " << a[i] << " vs " << b[i];
  }
}

// Every variable defined once, before it is read; consts parallel to
// constvars; the interface as before.
void expect_valid(const ClosedJaxpr& program, const ClosedJaxpr& original) {
  const fx::Jaxpr& j = program.jaxpr;
  ASSERT_EQ(j.constvars.size(), program.consts.size());
  std::unordered_set<int> defined;
  auto define = [&](int v) {
    ASSERT_GE(v, 0);
    ASSERT_LT(static_cast<size_t>(v), j.var_types.size());
    EXPECT_TRUE(defined.insert(v).second) << "variable " << v << " defined twice";
  };
  auto check_use = [&](const fx::Atom& a) {
    if (a.is_literal()) EXPECT_EQ(a.literal.ndim(), 0);
    else EXPECT_TRUE(defined.count(a.var)) << "variable " << a.var << " used before its definition";
  };
  for (size_t i = 0; i < j.constvars.size(); ++i) {
    define(j.constvars[i]);
    EXPECT_EQ(program.consts[i].aval(), j.var_types[j.constvars[i]]);
  }
  for (int v : j.invars) define(v);
  for (const fx::JaxprEqn& e : j.eqns) {
    for (const fx::Atom& a : e.inputs) check_use(a);
    for (int v : e.outputs)
      if (v >= 0) define(v);
  }
  for (const fx::Atom& a : j.outvars) check_use(a);
  const fx::Jaxpr& o = original.jaxpr;
  ASSERT_EQ(j.invars.size(), o.invars.size());
  for (size_t i = 0; i < j.invars.size(); ++i) EXPECT_EQ(j.var_types[j.invars[i]], o.var_types[o.invars[i]]);
  ASSERT_EQ(j.outvars.size(), o.outvars.size());
  for (size_t i = 0; i < j.outvars.size(); ++i) EXPECT_EQ(j.type_of(j.outvars[i]), o.type_of(o.outvars[i]));
}

std::vector<Array> run(const ClosedJaxpr& p, const std::vector<Array>& args) {
  return fx::eval_jaxpr(p.jaxpr, p.consts, args);
}

// The rewritten program is valid and gives the original's bits on each set of arguments.
void expect_same_program(const ClosedJaxpr& before, const ClosedJaxpr& after,
                         const std::vector<std::vector<Array>>& arg_sets) {
  expect_valid(after, before);
  for (const auto& args : arg_sets) {
    const std::vector<Array> out = run(after, args);
    expect_bit_identical(run(before, args), out);
    for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].aval(), after.jaxpr.type_of(after.jaxpr.outvars[i]));
  }
}

// A pjit equation calling `callee` on args (inside make_jaxpr).
std::vector<Array> call(const fx::JaxprParam& callee, const std::string& name, const std::vector<Array>& args) {
  return fx::bind(prim::pjit_p, args, prim::pjit_params(callee, name));
}

// ------------------------------------------------------------ simplify_algebra

TEST(SimplifyAlgebra, RemovesExactIdentities) {
  const ClosedJaxpr before = fx::make_jaxpr([](const Array& x) {
    Array y = ((((x * 1.0) * 1.0) / 1.0) - 0.0);
    y = fx::add(y, -0.0);
    y = fx::add(-0.0, y);
    y = fx::integer_pow(y, 1);
    y = -(-y);
    return fx::multiply(1.0, y);
  })(special_values());
  EXPECT_EQ(before.str(),
            "{ lambda ; a:f64[8]. let\n"
            "    b:f64[8] = mul a 1.0:f64[]\n"
            "    c:f64[8] = mul b 1.0:f64[]\n"
            "    d:f64[8] = div c 1.0:f64[]\n"
            "    e:f64[8] = sub d 0.0:f64[]\n"
            "    f:f64[8] = add e -0.0:f64[]\n"
            "    g:f64[8] = add -0.0:f64[] f\n"
            "    h:f64[8] = integer_pow[y=1] g\n"
            "    i:f64[8] = neg h\n"
            "    j:f64[8] = neg i\n"
            "    k:f64[8] = mul 1.0:f64[] j\n"
            "  in (k,) }");
  ClosedJaxpr after = before;
  EXPECT_TRUE(compiler::simplify_algebra(after.jaxpr));
  // The inner neg is dead now; dead code elimination removes it.
  EXPECT_EQ(after.str(), "{ lambda ; a:f64[8]. let _:f64[8] = neg a in (a,) }");
  fx::dead_code_elimination(after.jaxpr);
  EXPECT_EQ(after.str(), "{ lambda ; a:f64[8]. let  in (a,) }");
  expect_same_program(before, after, {{special_values()}});
  EXPECT_FALSE(compiler::simplify_algebra(after.jaxpr));
}

TEST(SimplifyAlgebra, IntegersAndBroadcastConstants) {
  const ClosedJaxpr before = fx::make_jaxpr([](const Array& i, const Array& x) {
    Array j = fx::subtract(fx::add(fx::multiply(i, 1), 0), 0);  // integer 0 is exact either side
    Array y = x * fx::ones({3});                                // a broadcast 1.0
    Array z = fx::reshape(fx::ones({3}), {1, 3}) * fx::reshape(y, {1, 3});  // reshaped too
    return std::vector<Array>{j, y, z};
  })(fx::array({1, -2, 3}, fx::int32), fx::array({-0.0, kInf, kNaN}));
  EXPECT_EQ(before.str(),
            "{ lambda ; a:i32[3] b:f64[3]. let\n"
            "    c:i32[3] = mul a 1:i32[]\n"
            "    d:i32[3] = add c 0:i32[]\n"
            "    e:i32[3] = sub d 0:i32[]\n"
            "    f:f64[3] = broadcast_in_dim 1.0:f64[]\n"
            "    g:f64[3] = mul b f\n"
            "    h:f64[3] = broadcast_in_dim 1.0:f64[]\n"
            "    i:f64[1,3] = reshape[dimensions=None new_sizes=(1, 3) sharding=None] h\n"
            "    j:f64[1,3] = reshape[dimensions=None new_sizes=(1, 3) sharding=None] g\n"
            "    k:f64[1,3] = mul i j\n"
            "  in (e, g, k) }");
  ClosedJaxpr after = before;
  EXPECT_TRUE(compiler::simplify_algebra(after.jaxpr));
  fx::dead_code_elimination(after.jaxpr);
  EXPECT_EQ(after.str(),
            "{ lambda ; a:i32[3] b:f64[3]. let\n"
            "    c:f64[1,3] = reshape[dimensions=None new_sizes=(1, 3) sharding=None] b\n"
            "  in (a, b, c) }");
  expect_same_program(before, after, {{fx::array({1, -2, 3}, fx::int32), fx::array({-0.0, kInf, kNaN})}});
}

TEST(SimplifyAlgebra, KeepsRewritesThatAreNotExact) {
  // -0.0 + 0.0 and -0.0 - -0.0 are +0.0: neither is the identity.
  const ClosedJaxpr before = fx::make_jaxpr([](const Array& x) {
    return std::vector<Array>{x + 0.0, x - (-0.0), x * 2.0, fx::divide(1.0, x), fx::integer_pow(x, 2), -x};
  })(special_values());
  ClosedJaxpr after = before;
  EXPECT_FALSE(compiler::simplify_algebra(after.jaxpr));
  EXPECT_EQ(after.str(), before.str());
  // What renaming `add x 0.0` to x would get wrong.
  EXPECT_FALSE(std::signbit(run(before, {special_values()})[0].to_vector<double>()[0]));
}

TEST(SimplifyAlgebra, KeepsRewritesThatChangeTheWeakType) {
  // A weak x times a strong 1.0 is strong: renaming it to x would make it weak.
  const Array one = strong_scalar(1.0);
  ASSERT_FALSE(one.weak_type());
  const ClosedJaxpr before =
      fx::make_jaxpr([&](const Array& x) { return fx::bind1(prim::mul_p, {x, one}); })(Array(2.0));
  ASSERT_TRUE(before.jaxpr.var_types[before.jaxpr.invars[0]].weak_type);
  ClosedJaxpr after = before;
  EXPECT_FALSE(compiler::simplify_algebra(after.jaxpr));
  EXPECT_EQ(after.str(), "{ lambda ; a:f64[]. let b:f64[] = mul a 1.0:f64[] in (b,) }");
  // Both weak: the product is weak, so it is x.
  const ClosedJaxpr weak = fx::make_jaxpr([](const Array& x) { return x * 1.0; })(Array(2.0));
  after = weak;
  EXPECT_TRUE(compiler::simplify_algebra(after.jaxpr));
  EXPECT_EQ(after.str(), "{ lambda ; a:f64[]. let  in (a,) }");
  expect_same_program(weak, after, {{Array(-0.0)}, {Array(kNaN)}, {Array(-kInf)}});
}

// ---------------------------------------------------------- forward_substitute

TEST(ForwardSubstitute, PropagatesCopies) {
  const ClosedJaxpr before = fx::make_jaxpr([](const Array& x) {
    Array y = fx::bind1(prim::reshape_p, {x}, {{"new_sizes", Ints{3, 3}}, {"dimensions", fx::NoneParam{}}});
    y = fx::bind1(prim::transpose_p, {y}, {{"permutation", Ints{0, 1}}});
    y = fx::bind1(prim::squeeze_p, {y}, {{"dimensions", Ints{}}});
    y = fx::bind1(prim::broadcast_in_dim_p, {y}, {{"shape", Ints{3, 3}}, {"broadcast_dimensions", Ints{0, 1}}});
    y = fx::bind1(prim::convert_element_type_p, {y}, {{"new_dtype", fx::float64}, {"weak_type", false}});
    return std::vector<Array>{fx::sin(y), y};
  })(fx::ones({3, 3}));
  EXPECT_EQ(before.str(),
            "{ lambda ; a:f64[3,3]. let\n"
            "    b:f64[3,3] = reshape[dimensions=None new_sizes=(3, 3) sharding=None] a\n"
            "    c:f64[3,3] = transpose[permutation=(0, 1)] b\n"
            "    d:f64[3,3] = squeeze[dimensions=()] c\n"
            "    e:f64[3,3] = broadcast_in_dim[broadcast_dimensions=(0, 1)] d\n"
            "    f:f64[3,3] = convert_element_type[new_dtype=float64 weak_type=False] e\n"
            "    g:f64[3,3] = sin f\n"
            "  in (g, f) }");
  ClosedJaxpr after = before;
  EXPECT_TRUE(compiler::forward_substitute(after.jaxpr));
  EXPECT_EQ(after.str(), "{ lambda ; a:f64[3,3]. let b:f64[3,3] = sin a in (b, a) }");
  const Array m = fx::reshape(fx::concatenate({special_values(), fx::array({2.0})}), {3, 3});
  expect_same_program(before, after, {{m}});
}

TEST(ForwardSubstitute, KeepsWhatIsNotACopy) {
  const ClosedJaxpr before = fx::make_jaxpr([](const Array& x) {
    // The same shape in another order.
    Array t = fx::bind1(prim::transpose_p, {x}, {{"permutation", Ints{1, 0}}});
    // The same dtype, another weak type.
    Array w = fx::bind1(prim::convert_element_type_p, {x}, {{"new_dtype", fx::float64}, {"weak_type", true}});
    return std::vector<Array>{t, w};
  })(fx::ones({3, 3}));
  ClosedJaxpr after = before;
  EXPECT_FALSE(compiler::forward_substitute(after.jaxpr));
  EXPECT_EQ(after.str(), before.str());
}

// -------------------------------------------- eliminate_common_subexpressions

TEST(Cse, MergesEqualEquationsTransitively) {
  const ClosedJaxpr before = fx::make_jaxpr([](const Array& x) {
    Array a = fx::cos(fx::sin(x)) * 2.0;
    Array b = fx::cos(fx::sin(x)) * 2.0;
    return a + b;
  })(special_values());
  ClosedJaxpr after = before;
  EXPECT_TRUE(compiler::eliminate_common_subexpressions(after.jaxpr));
  EXPECT_EQ(after.str(),
            "{ lambda ; a:f64[8]. let\n"
            "    b:f64[8] = sin a\n"
            "    c:f64[8] = cos b\n"
            "    d:f64[8] = mul c 2.0:f64[]\n"
            "    e:f64[8] = add d d\n"
            "  in (e,) }");
  expect_same_program(before, after, {{special_values()}});
}

TEST(Cse, KeepsDifferentParamsAndLiterals) {
  // Literals differ by bits (0.0, -0.0) or weak type (2.0 twice).
  const Array strong_two = strong_scalar(2.0);
  const ClosedJaxpr before = fx::make_jaxpr([&](const Array& x) {
    return std::vector<Array>{fx::integer_pow(x, 2), fx::integer_pow(x, 3), fx::sum(x, {0}), fx::sum(x, {1}),
                              x + 0.0, x + (-0.0), fx::bind1(prim::mul_p, {x, Array(2.0)}),
                              fx::bind1(prim::mul_p, {x, strong_two})};
  })(fx::ones({2, 2}));
  EXPECT_EQ(before.str(),
            "{ lambda ; a:f64[2,2]. let\n"
            "    b:f64[2,2] = integer_pow[y=2] a\n"
            "    c:f64[2,2] = integer_pow[y=3] a\n"
            "    d:f64[2] = reduce_sum[axes=(0,) out_sharding=None] a\n"
            "    e:f64[2] = reduce_sum[axes=(1,) out_sharding=None] a\n"
            "    f:f64[2,2] = add a 0.0:f64[]\n"
            "    g:f64[2,2] = add a -0.0:f64[]\n"
            "    h:f64[2,2] = mul a 2.0:f64[]\n"
            "    i:f64[2,2] = mul a 2.0:f64[]\n"
            "  in (b, c, d, e, f, g, h, i) }");
  ClosedJaxpr after = before;
  EXPECT_FALSE(compiler::eliminate_common_subexpressions(after.jaxpr));
  EXPECT_EQ(after.str(), before.str());
}

TEST(Cse, MultipleOutputsAdoptDroppedOnes) {
  // threefry2x32 twice on the same operands; the first use keeps only output
  // 0, the second only output 1 (dead code elimination made the others `_`):
  // the equation kept defines both.
  const Array k = fx::array_of<uint32_t>({0, 42}, {2});
  const Array c = fx::array_of<uint32_t>({1, 2, 3}, {3});
  const ClosedJaxpr before = fx::make_jaxpr([](const Array& k0, const Array& k1, const Array& x) {
    std::vector<Array> first = fx::bind(prim::threefry2x32_p, std::vector<Array>{k0, k1, x, x});
    std::vector<Array> second = fx::bind(prim::threefry2x32_p, std::vector<Array>{k0, k1, x, x});
    return first[0] ^ second[1];
  })(k[0], k[1], c);
  EXPECT_EQ(before.str(),
            "{ lambda ; a:u32[] b:u32[] c:u32[3]. let\n"
            "    d:u32[3] _:u32[3] = threefry2x32 a b c c\n"
            "    _:u32[3] e:u32[3] = threefry2x32 a b c c\n"
            "    f:u32[3] = xor d e\n"
            "  in (f,) }");
  ClosedJaxpr after = before;
  EXPECT_TRUE(compiler::eliminate_common_subexpressions(after.jaxpr));
  EXPECT_EQ(after.str(),
            "{ lambda ; a:u32[] b:u32[] c:u32[3]. let\n"
            "    d:u32[3] e:u32[3] = threefry2x32 a b c c\n"
            "    f:u32[3] = xor d e\n"
            "  in (f,) }");
  expect_same_program(before, after, {{k[0], k[1], c}});
}

// -------------------------------------------------------------- fold_constants

TEST(FoldConstants, FoldsSmallResults) {
  const Array c = fx::array({0.5, -0.0, kNaN});
  const ClosedJaxpr before = fx::make_jaxpr([&](const Array& x) {
    Array s = fx::sin(Array(2.0)) * 3.0;  // literals only: becomes a literal
    Array k = fx::cos(c) + 1.0;           // from a constvar: becomes a constvar
    return x * k + s;
  })(c);
  EXPECT_EQ(before.str(),
            "{ lambda a:f64[3]; b:f64[3]. let\n"
            "    c:f64[3] = cos a\n"
            "    d:f64[3] = add c 1.0:f64[]\n"
            "    e:f64[3] = mul b d\n"
            "    f:f64[] = sin 2.0:f64[]\n"
            "    g:f64[] = mul f 3.0:f64[]\n"
            "    h:f64[] = convert_element_type[new_dtype=float64 weak_type=False] g\n"
            "    i:f64[3] = add e h\n"
            "  in (i,) }");
  ClosedJaxpr after = before;
  EXPECT_TRUE(compiler::fold_constants(after));
  EXPECT_EQ(after.str(),
            "{ lambda a:f64[3] b:f64[3] c:f64[3]; d:f64[3]. let\n"
            "    e:f64[3] = mul d c\n"
            "    f:f64[3] = add e 2.727892280477045:f64[]\n"
            "  in (f,) }");
  EXPECT_TRUE(compiler::drop_unused_constvars(after));
  EXPECT_EQ(after.str(),
            "{ lambda a:f64[3]; b:f64[3]. let\n"
            "    c:f64[3] = mul b a\n"
            "    d:f64[3] = add c 2.727892280477045:f64[]\n"
            "  in (d,) }");
  expect_same_program(before, after, {{c}, {fx::array({-0.0, kInf, kNaN})}});
  EXPECT_FALSE(compiler::fold_constants(after));
}

TEST(FoldConstants, LeavesIotaBroadcastsAndLargeResults) {
  const Array big = fx::linspace(-1.0, 1.0, 5000);
  const ClosedJaxpr before = fx::make_jaxpr([&](const Array& x) {
    Array i = fx::arange(3);                     // no inputs: a loop beats a buffer
    Array z = fx::zeros({3});                    // a broadcast scalar is free in a fused loop
    Array large = fx::cos(big);                  // 5000 elements: too large
    Array total = fx::sum(fx::sin(big) * 0.0);  // the sin is too large, the sum is small
    return std::vector<Array>{x + i + z, large, total};
  })(fx::array({1.0, 2.0, 3.0}));
  EXPECT_EQ(before.str(),
            "{ lambda a:f64[5000]; b:f64[3]. let\n"
            "    c:i32[3] = iota[dimension=0 dtype=int32 shape=(3,) sharding=None] \n"
            "    d:f64[3] = convert_element_type[new_dtype=float64 weak_type=False] c\n"
            "    e:f64[3] = add b d\n"
            "    f:f64[3] = broadcast_in_dim 0.0:f64[]\n"
            "    g:f64[3] = add e f\n"
            "    h:f64[5000] = cos a\n"
            "    i:f64[5000] = sin a\n"
            "    j:f64[5000] = mul i 0.0:f64[]\n"
            "    k:f64[] = reduce_sum[axes=(0,) out_sharding=None] j\n"
            "  in (g, h, k) }");
  ClosedJaxpr after = before;
  EXPECT_FALSE(compiler::fold_constants(after));
  EXPECT_EQ(after.str(), before.str());
}

TEST(FoldConstants, FoldsAReductionOfALargeConstant) {
  const Array big = fx::linspace(-1.0, 1.0, 5000);
  const ClosedJaxpr before = fx::make_jaxpr([&](const Array& x) { return x * fx::sum(big); })(Array(1.5));
  // Python's order: the sum, then the weak x converted for the product.
  EXPECT_EQ(before.str(),
            "{ lambda a:f64[5000]; b:f64[]. let\n"
            "    c:f64[] = reduce_sum[axes=(0,) out_sharding=None] a\n"
            "    d:f64[] = convert_element_type[new_dtype=float64 weak_type=False] b\n"
            "    e:f64[] = mul d c\n"
            "  in (e,) }");
  ClosedJaxpr after = before;
  EXPECT_TRUE(compiler::fold_constants(after));
  EXPECT_TRUE(compiler::drop_unused_constvars(after));
  // The weak x still becomes strong: the types differ, so the convert stays.
  EXPECT_EQ(after.str(),
            "{ lambda ; a:f64[]. let\n"
            "    b:f64[] = convert_element_type[new_dtype=float64 weak_type=False] a\n"
            "    c:f64[] = mul b 2.2737367544323206e-13:f64[]\n"
            "  in (c,) }");
  expect_same_program(before, after, {{Array(1.5)}, {Array(-0.0)}});
}

// ---------------------------------------------------------------- inline_calls

TEST(InlineCalls, FlattensNestedCalls) {
  const Array c = fx::array({1.0, -0.0, kInf});
  const fx::JaxprParam f = fx::make_jaxpr_param(
      fx::make_jaxpr([&](const Array& x, const Array& y) { return fx::sin(x) * y + c; })(c, c));
  // g calls f twice (f's constant becomes one constvar) and h calls g.
  const fx::JaxprParam g = fx::make_jaxpr_param(fx::make_jaxpr([&](const Array& x) {
    const Array a = call(f, "f", {x, fx::cos(x)})[0];
    return call(f, "f", {a, x})[0];
  })(c));
  const ClosedJaxpr before =
      fx::make_jaxpr([&](const Array& x) { return call(g, "g", {fx::exp(x)})[0] * 2.0; })(c);
  ClosedJaxpr after = before;
  EXPECT_TRUE(compiler::inline_calls(after));
  EXPECT_EQ(after.str(),
            "{ lambda a:f64[3]; b:f64[3]. let\n"
            "    c:f64[3] = exp b\n"
            "    d:f64[3] = cos c\n"
            "    e:f64[3] = sin c\n"
            "    f:f64[3] = mul e d\n"
            "    g:f64[3] = add f a\n"
            "    h:f64[3] = sin g\n"
            "    i:f64[3] = mul h c\n"
            "    j:f64[3] = add i a\n"
            "    k:f64[3] = mul j 2.0:f64[]\n"
            "  in (k,) }");
  expect_same_program(before, after, {{c}, {fx::array({-0.0, kNaN, -kInf})}});
  EXPECT_FALSE(compiler::inline_calls(after));
}

TEST(InlineCalls, ArgumentsOfAnotherWeakTypeAndLiteralResults) {
  // id_and_more was traced for a strong f64[]; it receives a weak value and a
  // literal, returns its argument and a literal.
  const fx::JaxprParam callee = fx::make_jaxpr_param(fx::make_jaxpr([](const Array& x, const Array& y) {
    return std::vector<Array>{x, x * y, Array(7.0)};
  })(strong_scalar(1.0), strong_scalar(1.0)));
  const ClosedJaxpr before = fx::make_jaxpr([&](const Array& x) {
    std::vector<Array> r = call(callee, "id_and_more", {x, Array(3.0)});
    return std::vector<Array>{r[0], r[1], r[2]};
  })(Array(2.0));
  ClosedJaxpr after = before;
  EXPECT_TRUE(compiler::inline_calls(after));
  EXPECT_EQ(after.str(),
            "{ lambda ; a:f64[]. let\n"
            "    b:f64[] = convert_element_type[new_dtype=float64 weak_type=False] a\n"
            "    c:f64[] = convert_element_type[new_dtype=float64 weak_type=False] 3.0:f64[]\n"
            "    d:f64[] = mul b c\n"
            "  in (b, d, 7.0:f64[]) }");
  expect_same_program(before, after, {{Array(2.0)}, {Array(-0.0)}, {Array(kNaN)}});
}

// -------------------------------------------------------------------- optimize

TEST(Optimize, ReachesAFixedPoint) {
  const Array c = fx::array({0.25, 0.5, 0.75});
  const fx::JaxprParam f = fx::make_jaxpr_param(fx::make_jaxpr([&](const Array& x) {
    const Array scale = fx::exp(c) * 1.0;  // folded
    return fx::sin(x) * scale;
  })(c));
  const ClosedJaxpr before = fx::make_jaxpr([&](const Array& x) {
    // f twice on x: after inlining, CSE sees the two copies.
    const Array a = call(f, "f", {x})[0];
    const Array b = call(f, "f", {x})[0];
    return fx::integer_pow(a + b, 1) / 1.0;
  })(c);
  ClosedJaxpr after = before;
  compiler::optimize(after);
  // exp(c) folded once (both copies give the same constvar), so CSE merges
  // the copies; `integer_pow[y=1]` and `div 1.0` are gone.
  EXPECT_EQ(after.str(),
            "{ lambda a:f64[3]; b:f64[3]. let\n"
            "    c:f64[3] = sin b\n"
            "    d:f64[3] = mul c a\n"
            "    e:f64[3] = add d d\n"
            "  in (e,) }");
  expect_same_program(before, after, {{c}, {fx::array({-0.0, kInf, kNaN})}});
}

TEST(Optimize, GradientProgram) {
  const auto f = [](const Array& x) { return fx::sum(fx::sin(x) * x + fx::integer_pow(x, 2) * 1.0); };
  const ClosedJaxpr before = fx::make_jaxpr(fx::grad(f))(special_values());
  ClosedJaxpr after = before;
  compiler::optimize(after);
  // The forward pass (f's value, which nothing reads), then the backward
  // pass, as JAX records them.
  EXPECT_EQ(before.str(),
            "{ lambda ; a:f64[8]. let\n"
            "    b:f64[8] = sin a\n"
            "    c:f64[8] = cos a\n"
            "    d:f64[8] = mul b a\n"
            "    e:f64[8] = integer_pow[y=2] a\n"
            "    f:f64[8] = integer_pow[y=1] a\n"
            "    g:f64[8] = mul 2.0:f64[] f\n"
            "    h:f64[8] = mul e 1.0:f64[]\n"
            "    i:f64[8] = add d h\n"
            "    _:f64[] = reduce_sum[axes=(0,) out_sharding=None] i\n"
            "    j:f64[8] = broadcast_in_dim 1.0:f64[]\n"
            "    k:f64[8] = mul j 1.0:f64[]\n"
            "    l:f64[8] = mul k g\n"
            "    m:f64[8] = mul b j\n"
            "    n:f64[8] = add_any l m\n"
            "    o:f64[8] = mul j a\n"
            "    p:f64[8] = mul o c\n"
            "    q:f64[8] = add_any n p\n"
            "  in (q,) }");
  // The forward pass goes, and the cotangent seed (a broadcast 1.0)
  // multiplies away.
  EXPECT_EQ(after.str(),
            "{ lambda ; a:f64[8]. let\n"
            "    b:f64[8] = sin a\n"
            "    c:f64[8] = cos a\n"
            "    d:f64[8] = mul 2.0:f64[] a\n"
            "    e:f64[8] = add_any d b\n"
            "    f:f64[8] = mul a c\n"
            "    g:f64[8] = add_any e f\n"
            "  in (g,) }");
  expect_same_program(before, after, {{special_values()}});
}

TEST(Optimize, KeepsAssortedProgramsExact) {
  const Array x = special_values();
  const Array m = fx::reshape(fx::linspace(-2.0, 2.0, 6), {2, 3});
  const auto f = [](const Array& v) { return fx::sum(fx::sin(v) * v * v + fx::exp(-v) / 2.0); };
  struct Case {
    ClosedJaxpr program;
    std::vector<Array> args;
  };
  const std::vector<Case> cases = {
      {fx::make_jaxpr(fx::grad(fx::grad([](const Array& v) { return fx::sin(v) * v * v; })))(Array(0.5)),
       {Array(0.5)}},
      {fx::make_jaxpr(fx::hessian(f))(m), {m}},
      {fx::make_jaxpr(fx::vmap(fx::grad(f)))(m), {m}},
      {fx::make_jaxpr(fx::grad(f))(x), {x}},
      {fx::make_jaxpr([](const Array& a) { return fx::matmul(a, a.T()) * 1.0 + fx::max(a, {1}, true); })(m), {m}},
      {fx::make_jaxpr([](const Array& k) {
         const Array ks = fx::random::split(k);
         return fx::random::normal(ks[0], {4}) + fx::random::uniform(ks[0], {4}) * 0.0;
       })(fx::random::key(0)),
       {fx::random::key(7)}},
  };
  for (const Case& c : cases) {
    ClosedJaxpr after = c.program;
    compiler::optimize(after);
    SCOPED_TRACE(c.program.str());
    EXPECT_LE(after.jaxpr.eqns.size(), c.program.jaxpr.eqns.size());
    expect_same_program(c.program, after, {c.args});
  }
}

}  // namespace
