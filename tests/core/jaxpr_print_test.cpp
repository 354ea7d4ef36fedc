// Jaxprs print as JAX prints them: the same document (core.py's pp_jaxpr,
// pp_eqn, pp_kv_pairs, pp_vars and the primitives' pp_eqn_rules) laid out by
// the same algorithm (pretty_printer.py) in 80 columns. Each case gives the
// JAX program it mirrors (x64 enabled, so Python floats trace as f64); the
// expected text is JAX 0.11's, worked out from its printing code: jit
// equations print `jit` and lend their operands' and results' names to
// their program, a top-level result nothing reads prints `_`, and a
// sub-program of more than ten equations is printed ahead of the program.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"
#include "ir/pretty_printer.hpp"
#include "primitives/pjit.hpp"
#include "primitives/primitives.hpp"

namespace fx = fluxion;
namespace prim = fluxion::prim;
using fx::Array;

namespace {

// jax.jit(f) applied inside a traced function: a pjit equation.
std::vector<Array> call(const fx::JaxprParam& program, const std::string& name, const std::vector<Array>& args) {
  return fx::bind(prim::pjit_p, args, prim::pjit_params(program, name));
}

template <class F, class... A> fx::JaxprParam program_of(F f, const A&... args) {
  return fx::make_jaxpr_param(fx::make_jaxpr(f)(args...));
}

// def f(x): return jnp.sin(x) * 2.0 + jnp.cos(x)
Array sin_cos(const Array& x) { return fx::sin(x) * 2.0 + fx::cos(x); }

TEST(JaxprPrint, SeveralOutputsAreSeparatedByCommas) {
  // jax.make_jaxpr(lambda x: (jnp.sin(x), jnp.cos(x)))(1.0)
  const auto f = [](Array x) { return std::vector<Array>{fx::sin(x), fx::cos(x)}; };
  EXPECT_EQ(fx::make_jaxpr(f)(1.0).str(), "{ lambda ; a:f64[]. let b:f64[] = sin a; c:f64[] = cos a in (b, c) }");
}

TEST(JaxprPrint, AProgramTooLongForALineTakesOneEquationPerLine) {
  // jax.make_jaxpr(lambda x: (jnp.sin(x) * 2.0 + jnp.cos(x), jnp.exp(x)))(jnp.ones(3))
  const auto f = [](Array x) { return std::vector<Array>{sin_cos(x), fx::exp(x)}; };
  EXPECT_EQ(fx::make_jaxpr(f)(fx::ones({3})).str(),
            "{ lambda ; a:f64[3]. let\n"
            "    b:f64[3] = sin a\n"
            "    c:f64[3] = mul b 2.0:f64[]\n"
            "    d:f64[3] = cos a\n"
            "    e:f64[3] = add c d\n"
            "    f:f64[3] = exp a\n"
            "  in (e, f) }");
}

TEST(JaxprPrint, LongParamsTakeALineEach) {
  // jax.make_jaxpr(lambda x: lax.slice(x, (0, 1, 0, 1, 0, 1, 0, 1), (2,) * 8))(jnp.ones((2,) * 8))
  const auto f = [](Array x) {
    const fx::Params params{{"start_indices", std::vector<int64_t>{0, 1, 0, 1, 0, 1, 0, 1}},
                            {"limit_indices", std::vector<int64_t>(8, 2)},
                            {"strides", fx::NoneParam{}}};
    return fx::bind1(prim::slice_p, {x}, params);
  };
  EXPECT_EQ(fx::make_jaxpr(f)(fx::ones({2, 2, 2, 2, 2, 2, 2, 2})).str(),
            "{ lambda ; a:f64[2,2,2,2,2,2,2,2]. let\n"
            "    b:f64[2,1,2,1,2,1,2,1] = slice[\n"
            "      limit_indices=(2, 2, 2, 2, 2, 2, 2, 2)\n"
            "      start_indices=(0, 1, 0, 1, 0, 1, 0, 1)\n"
            "      strides=None\n"
            "    ] a\n"
            "  in (b,) }");
}

TEST(JaxprPrint, ALongVariableListFillsLinesAndMayOverrunThem) {
  // jax.make_jaxpr(lambda *xs: functools.reduce(operator.add, xs))(*[jnp.ones((10, 10))] * 9)
  // Each space between binders is its own group, laid flat while the line
  // has a column left: so a line breaks only once it has reached 80 columns,
  // and the first line here is 88 wide, as in JAX.
  const auto f = [](Array a, Array b, Array c, Array d, Array e, Array f, Array g, Array h, Array i) {
    return a + b + c + d + e + f + g + h + i;
  };
  const Array x = fx::ones({10, 10});
  EXPECT_EQ(fx::make_jaxpr(f)(x, x, x, x, x, x, x, x, x).str(),
            "{ lambda ; a:f64[10,10] b:f64[10,10] c:f64[10,10] d:f64[10,10] e:f64[10,10] f:f64[10,10]\n"
            "    g:f64[10,10] h:f64[10,10] i:f64[10,10]. let\n"
            "    j:f64[10,10] = add a b\n"
            "    k:f64[10,10] = add j c\n"
            "    l:f64[10,10] = add k d\n"
            "    m:f64[10,10] = add l e\n"
            "    n:f64[10,10] = add m f\n"
            "    o:f64[10,10] = add n g\n"
            "    p:f64[10,10] = add o h\n"
            "    q:f64[10,10] = add p i\n"
            "  in (q,) }");
}

TEST(JaxprPrint, ADroppedOutputPrintsAsAnUnderscoreWithItsType) {
  // jax.make_jaxpr(lambda k, v: lax.sort((k, v), num_keys=1)[1])(jnp.ones(3), jnp.ones(3))
  const auto f = [](Array k, Array v) {
    return fx::bind(prim::sort_p, std::vector<Array>{k, v},
                    {{"dimension", int64_t{0}}, {"is_stable", true}, {"num_keys", int64_t{1}}})[1];
  };
  EXPECT_EQ(fx::make_jaxpr(f)(fx::ones({3}), fx::ones({3})).str(),
            "{ lambda ; a:f64[3] b:f64[3]. let\n"
            "    _:f64[3] c:f64[3] = sort[dimension=0 is_stable=True num_keys=1] a b\n"
            "  in (c,) }");
}

TEST(JaxprPrint, ANestedProgramThatFitsStaysOnItsEquationsLine) {
  // def f(x): return x
  // jax.make_jaxpr(jax.jit(f))(1.0)
  // No program with a jit equation fits in 80 columns whole (the equation
  // alone takes 64 here), so the outer program breaks; the equation then
  // fits on its line. The program's variables take the names of the
  // equation's operands and results (_pjit_pp_rule's suggest_same_var_names).
  const fx::JaxprParam identity = program_of([](Array x) { return x; }, 1.0);
  const auto f = [&](Array x) { return call(identity, "f", {x}); };
  EXPECT_EQ(fx::make_jaxpr(f)(1.0).str(),
            "{ lambda ; a:f64[]. let\n"
            "    b:f64[] = jit[name=f jaxpr={ lambda ; a:f64[]. let  in (a,) }] a\n"
            "  in (b,) }");
}

TEST(JaxprPrint, ParamsBreakAroundANestedProgramThatFitsItsLine) {
  // def f(x): return jnp.sin(x)
  // jax.make_jaxpr(jax.jit(f))(np.float32(1.0))
  // `name` first: jit's printing rule moves it to the front.
  const Array x = Array(1.0).astype(fx::float32);
  const fx::JaxprParam sin = program_of([](Array y) { return fx::sin(y); }, x);
  const auto f = [&](Array y) { return call(sin, "f", {y}); };
  EXPECT_EQ(fx::make_jaxpr(f)(x).str(),
            "{ lambda ; a:f32[]. let\n"
            "    b:f32[] = jit[\n"
            "      name=f\n"
            "      jaxpr={ lambda ; a:f32[]. let b:f32[] = sin a in (b,) }\n"
            "    ] a\n"
            "  in (b,) }");
}

// Each level's program takes its caller's names (a, b), and new variables
// continue the one naming of the whole printout (c, d, e, then f outside).
TEST(JaxprPrint, NestedProgramsBreakAtEveryLevelAndTakeTheirCallersNames) {
  // def _do_pfft(x): return jnp.sin(x) * 2.0 + jnp.cos(x)
  // def do_fft(x): return jax.jit(_do_pfft)(x)
  // jax.make_jaxpr(lambda x: jax.jit(do_fft)(x) * 3.0)(jnp.ones(3))
  const fx::JaxprParam pfft = program_of(sin_cos, fx::ones({3}));
  const fx::JaxprParam fft = program_of([&](Array x) { return call(pfft, "_do_pfft", {x}); }, fx::ones({3}));
  const auto f = [&](Array x) { return call(fft, "do_fft", {x})[0] * 3.0; };
  EXPECT_EQ(fx::make_jaxpr(f)(fx::ones({3})).str(),
            "{ lambda ; a:f64[3]. let\n"
            "    b:f64[3] = jit[\n"
            "      name=do_fft\n"
            "      jaxpr={ lambda ; a:f64[3]. let\n"
            "          b:f64[3] = jit[\n"
            "            name=_do_pfft\n"
            "            jaxpr={ lambda ; a:f64[3]. let\n"
            "                c:f64[3] = sin a\n"
            "                d:f64[3] = mul c 2.0:f64[]\n"
            "                e:f64[3] = cos a\n"
            "                b:f64[3] = add d e\n"
            "              in (b,) }\n"
            "          ] a\n"
            "        in (b,) }\n"
            "    ] a\n"
            "    f:f64[3] = mul b 3.0:f64[]\n"
            "  in (f,) }");
}

TEST(JaxprPrint, ConstvarsAreNamedFirstAndNestedProgramsContinueAfterThem) {
  // w = jnp.arange(3.0)
  // def f(x): return jnp.sin(x)
  // jax.make_jaxpr(lambda x: jax.jit(f)(w * x))(jnp.ones(3))
  const Array w = fx::arange(3.0);
  const fx::JaxprParam sin = program_of([](Array y) { return fx::sin(y); }, fx::ones({3}));
  const auto f = [&](Array x) { return call(sin, "f", {w * x}); };
  EXPECT_EQ(fx::make_jaxpr(f)(fx::ones({3})).str(),
            "{ lambda a:f64[3]; b:f64[3]. let\n"
            "    c:f64[3] = mul a b\n"
            "    d:f64[3] = jit[\n"
            "      name=f\n"
            "      jaxpr={ lambda ; c:f64[3]. let d:f64[3] = sin c in (d,) }\n"
            "    ] c\n"
            "  in (d,) }");
}

TEST(JaxprPrint, AProgramUsedTwiceIsPrintedOnceAheadAndNamed) {
  // def f(x): return jnp.sin(x) * 2.0 + jnp.cos(x)
  // g = jax.jit(f)
  // jax.make_jaxpr(lambda x: g(g(x)))(jnp.ones(3))
  // JAX (since 0.4.24) prints a jaxpr that occurs more than once first, as
  // `let <its name param> = ... in`, and refers to it by that name; fresh
  // variable names then skip the program's name (`f`).
  const fx::JaxprParam program = program_of(sin_cos, fx::ones({3}));
  const auto f = [&](Array x) { return call(program, "f", call(program, "f", {x})); };
  EXPECT_EQ(fx::make_jaxpr(f)(fx::ones({3})).str(),
            "let f = { lambda ; a:f64[3]. let\n"
            "    b:f64[3] = sin a\n"
            "    c:f64[3] = mul b 2.0:f64[]\n"
            "    d:f64[3] = cos a\n"
            "    e:f64[3] = add c d\n"
            "  in (e,) } in\n"
            "{ lambda ; g:f64[3]. let\n"
            "    h:f64[3] = jit[name=f jaxpr=f] g\n"
            "    i:f64[3] = jit[name=f jaxpr=f] h\n"
            "  in (i,) }");
}

TEST(JaxprPrint, AnOperandPassedTwiceLendsItsNameOnce) {
  // def f(x, y): return x * y
  // jax.make_jaxpr(lambda x: jax.jit(f)(x, x) + 1.0)(1.0)
  const fx::JaxprParam mul = program_of([](Array x, Array y) { return x * y; }, 1.0, 1.0);
  const auto f = [&](Array x) { return call(mul, "f", {x, x})[0] + 1.0; };
  EXPECT_EQ(fx::make_jaxpr(f)(1.0).str(),
            "{ lambda ; a:f64[]. let\n"
            "    b:f64[] = jit[\n"
            "      name=f\n"
            "      jaxpr={ lambda ; a:f64[] c:f64[]. let b:f64[] = mul a c in (b,) }\n"
            "    ] a a\n"
            "    d:f64[] = add b 1.0:f64[]\n"
            "  in (d,) }");
}

TEST(JaxprPrint, AProgramOfMoreThanTenEquationsIsPrintedAhead) {
  // def f(x):
  //   for _ in range(11): x = jnp.sin(x)
  //   return x
  // jax.make_jaxpr(lambda x: jax.jit(f)(x))(1.0)
  // JAX 0.11 counts a sub-program of more than ten equations as if used
  // twice. Printed ahead, it lends no names: the call's result is `m`.
  const fx::JaxprParam sines = program_of(
      [](Array x) {
        for (int i = 0; i < 11; ++i) x = fx::sin(x);
        return x;
      },
      1.0);
  const auto f = [&](Array x) { return call(sines, "f", {x}); };
  EXPECT_EQ(fx::make_jaxpr(f)(1.0).str(),
            "let f = { lambda ; a:f64[]. let\n"
            "    b:f64[] = sin a\n"
            "    c:f64[] = sin b\n"
            "    d:f64[] = sin c\n"
            "    e:f64[] = sin d\n"
            "    g:f64[] = sin e\n"
            "    h:f64[] = sin g\n"
            "    i:f64[] = sin h\n"
            "    j:f64[] = sin i\n"
            "    k:f64[] = sin j\n"
            "    l:f64[] = sin k\n"
            "    m:f64[] = sin l\n"
            "  in (m,) } in\n"
            "{ lambda ; n:f64[]. let o:f64[] = jit[name=f jaxpr=f] n in (o,) }");
}

TEST(JaxprPrint, AResultNothingReadsIsAnUnderscoreWithoutALetter) {
  // def f(x):
  //   y = jnp.sin(x)
  //   return jnp.cos(x)
  // jax.make_jaxpr(f)(1.0)
  const auto f = [](Array x) {
    (void)fx::sin(x);
    return fx::cos(x);
  };
  EXPECT_EQ(fx::make_jaxpr(f)(1.0).str(), "{ lambda ; a:f64[]. let _:f64[] = sin a; b:f64[] = cos a in (b,) }");
}

// (The gradient of x**2 + exp(x), as the seed on Taylor approximation
// prints JAX's, is tests/seeds/seed_003_test.cpp's.)
TEST(JaxprPrint, GradOfAMatrixProductIsJaxsDocumentedProgram) {
  // JAX's documentation (docs/new_docs/201/precision.md) prints, without
  // the precision that example passes,
  //   def loss(x, w): return jnp.sum(jnp.dot(x, w))
  //   jax.make_jaxpr(jax.grad(loss, argnums=1))(jnp.ones((4, 8)), jnp.ones((8, 2)))   # float32
  const auto loss = [](Array x, Array w) { return fx::sum(fx::dot(x, w)); };
  EXPECT_EQ(fx::make_jaxpr(fx::grad(loss, {1}))(fx::ones({4, 8}, fx::float32), fx::ones({8, 2}, fx::float32)).str(),
            "{ lambda ; a:f32[4,8] b:f32[8,2]. let\n"
            "    c:f32[4,2] = dot_general[\n"
            "      dimension_numbers=(([1], [0]), ([], []))\n"
            "      preferred_element_type=float32\n"
            "    ] a b\n"
            "    _:f32[] = reduce_sum[axes=(0, 1) out_sharding=None] c\n"
            "    d:f32[4,2] = broadcast_in_dim 1.0:f32[]\n"
            "    e:f32[2,8] = dot_general[\n"
            "      dimension_numbers=(([0], [0]), ([], []))\n"
            "      preferred_element_type=float32\n"
            "    ] d a\n"
            "    f:f32[8,2] = transpose[permutation=(1, 0)] e\n"
            "  in (f,) }");
}

// The parameters JAX's printing rules hide or show.
TEST(JaxprPrint, ParametersAsJaxsPrintingRulesShowThem) {
  // jax.make_jaxpr(lambda x, y: jnp.broadcast_to(x, (2, 3)) + 0.5)(jnp.ones(3), ...)
  // broadcast_in_dim: no shape (the result's type says it), and no
  // broadcast_dimensions when there are none.
  EXPECT_EQ(fx::make_jaxpr([](Array x) { return fx::broadcast_to(x, {2, 3}); })(fx::ones({3})).str(),
            "{ lambda ; a:f64[3]. let\n"
            "    b:f64[2,3] = broadcast_in_dim[broadcast_dimensions=(1,)] a\n"
            "  in (b,) }");
  EXPECT_EQ(fx::make_jaxpr([](Array x) { return fx::where(x > 0.0, x, 0.0); })(fx::ones({3})).str(),
            "{ lambda ; a:f64[3]. let\n"
            "    b:bool[3] = gt a 0.0:f64[]\n"
            "    c:f64[3] = broadcast_in_dim 0.0:f64[]\n"
            "    d:f64[3] = select_n b c a\n"
            "  in (d,) }");
  // reduce_sum/max/min carry out_sharding, reduce_prod/and/or do not;
  // reshape and iota carry sharding.
  EXPECT_EQ(fx::make_jaxpr([](Array x) { return fx::sum(x, 1) + fx::prod(x, 1); })(fx::ones({2, 3})).str(),
            "{ lambda ; a:f64[2,3]. let\n"
            "    b:f64[2] = reduce_sum[axes=(1,) out_sharding=None] a\n"
            "    c:f64[2] = reduce_prod[axes=(1,)] a\n"
            "    d:f64[2] = add b c\n"
            "  in (d,) }");
  EXPECT_EQ(fx::make_jaxpr([](Array x) { return fx::reshape(x, {3, 2}); })(fx::ones({2, 3})).str(),
            "{ lambda ; a:f64[2,3]. let\n"
            "    b:f64[3,2] = reshape[dimensions=None new_sizes=(3, 2) sharding=None] a\n"
            "  in (b,) }");
  // jnp.floor_divide rounds with lax.round's default method (AWAY_FROM_ZERO, 0).
  const std::string floor_divide = fx::make_jaxpr([](Array x) { return fx::floor_divide(x, 2.0); })(1.0).str();
  EXPECT_NE(floor_divide.find("round[rounding_method=0]"), std::string::npos) << floor_divide;
}

TEST(JaxprPrint, AFloat32LiteralPrintsAsThePythonFloatItConvertsTo) {
  // jax.make_jaxpr(lambda x: x * 0.1 + 3.0)(np.float32(1.0))
  // Literal.pretty_print writes np.asarray(val).item(): a double.
  EXPECT_EQ(fx::make_jaxpr([](Array x) { return x * 0.1 + 3.0; })(fx::ones({}, fx::float32)).str(),
            "{ lambda ; a:f32[]. let\n"
            "    b:f32[] = mul a 0.10000000149011612:f32[]\n"
            "    c:f32[] = add b 3.0:f32[]\n"
            "  in (c,) }");
}

TEST(JaxprPrint, ASubProgramParameterAloneHasItsOwnNames) {
  // str(closed_jaxpr) of the parameter itself: naming starts afresh.
  const fx::JaxprParam sin = program_of([](Array y) { return fx::sin(y); }, 1.0);
  EXPECT_EQ(fx::param_to_string(sin), "{ lambda ; a:f64[]. let b:f64[] = sin a in (b,) }");
}

// The layout algorithm on its own, against pretty_printer.py's behaviour.
namespace pp = fluxion::detail::pp;

TEST(PrettyPrinter, AGroupIsFlatOnlyIfItFitsTheRestOfTheLine) {
  const pp::Doc doc = pp::group(pp::nest(2, pp::concat({pp::text("abc"), pp::brk(), pp::text("def")})));
  EXPECT_EQ(pp::format(doc, 7), "abc def");
  EXPECT_EQ(pp::format(doc, 6), "abc\n  def");
  // Only the group is measured, not the text that follows it on the line.
  EXPECT_EQ(pp::format(doc + pp::text(" and more"), 7), "abc def and more");
  // Outside every group a break is a newline.
  EXPECT_EQ(pp::format(pp::text("a") + pp::brk() + pp::text("b")), "a\nb");
  EXPECT_EQ(pp::format(pp::join(pp::text(","), {})), "");
}

}  // namespace
