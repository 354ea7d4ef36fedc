// fx::check_grads itself: it passes on correct rules and, more to the point,
// fails on wrong ones. The wrong rules are primitives defined here, each
// broken in one way: a wrong JVP, a wrong transpose, a wrong second derivative.
#include <string>

#include "autodiff_util.hpp"
#include "fluxion/primitive.hpp"

namespace {

namespace fx = fluxion;
using autodiff_test::grads_ok;
using autodiff_test::uniform;

std::vector<fx::AbstractValue> same_aval(const fx::Primitive&, fx::AvalRefs in, const fx::Params&) {
  return {*in[0]};
}

// bad_sin: sin with a JVP 1% off.
std::vector<fx::Array> sin_impl(const fx::Primitive&, std::span<const fx::Array> in,
                                std::span<const fx::AbstractValue>, const fx::Params&) {
  return {fx::sin(in[0])};
}
fx::JvpResult bad_sin_jvp(const fx::Primitive& p, std::span<const fx::Array> x, std::span<const fx::Array> t,
                          const fx::Params&) {
  return {{fx::bind1(p, {x[0]})}, {t[0] * (fx::cos(x[0]) * 1.01)}};
}
const fx::Primitive bad_sin_p{.name = "bad_sin", .abstract_eval = same_aval, .impl = sin_impl, .jvp = bad_sin_jvp};

// twice: x * 2, linear, with a transpose that multiplies by 3.
std::vector<fx::Array> twice_impl(const fx::Primitive&, std::span<const fx::Array> in,
                                  std::span<const fx::AbstractValue>, const fx::Params&) {
  return {in[0] * 2.0};
}
fx::JvpResult twice_jvp(const fx::Primitive& p, std::span<const fx::Array> x, std::span<const fx::Array> t,
                        const fx::Params&) {
  return {{fx::bind1(p, {x[0]})}, {fx::bind1(p, {t[0]})}};
}
std::vector<fx::Array> bad_twice_transpose(const fx::Primitive&, std::span<const fx::Array> cts,
                                           std::span<const fx::TransposeInput>, const fx::Params&) {
  return {cts[0] * 3.0};
}
const fx::Primitive bad_twice_p{.name = "bad_twice", .abstract_eval = same_aval, .impl = twice_impl,
                                .jvp = twice_jvp, .transpose = bad_twice_transpose};

// sin2: sin whose derivative cos2 is right but differentiates wrongly
// (d cos = +sin): first derivatives pass, second ones must not.
std::vector<fx::Array> cos_impl(const fx::Primitive&, std::span<const fx::Array> in,
                                std::span<const fx::AbstractValue>, const fx::Params&) {
  return {fx::cos(in[0])};
}
fx::JvpResult bad_cos_jvp(const fx::Primitive& p, std::span<const fx::Array> x, std::span<const fx::Array> t,
                          const fx::Params&) {
  return {{fx::bind1(p, {x[0]})}, {t[0] * fx::sin(x[0])}};
}
const fx::Primitive cos2_p{.name = "cos2", .abstract_eval = same_aval, .impl = cos_impl, .jvp = bad_cos_jvp};
fx::JvpResult sin2_jvp(const fx::Primitive& p, std::span<const fx::Array> x, std::span<const fx::Array> t,
                       const fx::Params&) {
  return {{fx::bind1(p, {x[0]})}, {t[0] * fx::bind1(cos2_p, {x[0]})}};
}
const fx::Primitive sin2_p{.name = "sin2", .abstract_eval = same_aval, .impl = sin_impl, .jvp = sin2_jvp};

std::string failure(const auto& f, const std::vector<fx::Array>& args, int order, fx::GradMode modes) {
  try {
    fx::check_grads(f, args, order, modes);
  } catch (const fx::Error& e) {
    return e.what();
  }
  return "";
}

const fx::Array x0 = uniform(1, {2, 3});

TEST(CheckGrads, PassesOnCorrectRules) {
  EXPECT_TRUE(grads_ok([](fx::Array x) { return fx::sin(x) * fx::exp(x); }, {x0}, 3));
  EXPECT_TRUE(grads_ok([](fx::Array x) { return fx::sin(fx::sin(x)) * fx::exp(x); }, {x0}, 3));
  EXPECT_TRUE(grads_ok([](fx::Array x) { return fx::bind1(bad_twice_p, {x}); }, {x0}, 2, fx::fwd));
}

TEST(CheckGrads, WrongJvpFailsForwardAndReverse) {
  const auto f = [](fx::Array x) { return fx::bind1(bad_sin_p, {x}); };
  const std::string fwd = failure(f, {x0}, 1, fx::fwd);
  EXPECT_NE(fwd.find("check_grads: JVP (derivative order 1) failed"), std::string::npos) << fwd;
  EXPECT_NE(fwd.find("central differences"), std::string::npos) << fwd;
  EXPECT_NE(fwd.find("expected"), std::string::npos) << fwd;
  EXPECT_NE(fwd.find("got"), std::string::npos) << fwd;
  // Reverse mode alone still compares with finite differences.
  const std::string rev = failure(f, {x0}, 1, fx::rev);
  EXPECT_NE(rev.find("VJP (derivative order 1)"), std::string::npos) << rev;
  EXPECT_THROW(fx::check_grads(f, {x0}, 1), fx::Error);
}

TEST(CheckGrads, WrongTransposeFailsReverseOnly) {
  const auto f = [](fx::Array x) { return fx::bind1(bad_twice_p, {fx::sin(x)}); };
  EXPECT_EQ(failure(f, {x0}, 2, fx::fwd), "");
  const std::string rev = failure(f, {x0}, 1, fx::rev);
  EXPECT_NE(rev.find("dot-product identity"), std::string::npos) << rev;
  EXPECT_NE(rev.find("(jvp)"), std::string::npos) << rev;
}

TEST(CheckGrads, WrongSecondDerivativeFailsAtOrderTwo) {
  const auto f = [](fx::Array x) { return fx::bind1(sin2_p, {x}); };
  EXPECT_EQ(failure(f, {x0}, 1, fx::fwd | fx::rev), "");
  const std::string fwd2 = failure(f, {x0}, 2, fx::fwd);
  EXPECT_NE(fwd2.find("JVP of JVP (derivative order 2)"), std::string::npos) << fwd2;
  const std::string rev2 = failure(f, {x0}, 2, fx::rev);
  EXPECT_NE(rev2.find("of VJP (derivative order 2)"), std::string::npos) << rev2;
}

TEST(CheckGrads, IntegerInputsAreHeldFixedAndOutputsMayBeSeveral) {
  const fx::Array n = fx::array_of<int32_t>({1, 2, 3}, {3});
  const fx::Array flag = fx::array_of<bool>({true, false, true}, {3});
  const auto f = [](const std::vector<fx::Array>& xs) {
    const fx::Array y = fx::where(xs[2], fx::sin(xs[0]), xs[0] * xs[1]);
    return std::vector<fx::Array>{y, fx::sum(y * y), xs[1] * 2};  // the last output is int32
  };
  EXPECT_TRUE(grads_ok(f, {uniform(2, {3}), n, flag}));
}

TEST(CheckGrads, RejectsBadArguments) {
  const auto f = [](fx::Array x) { return x; };
  EXPECT_THROW(fx::check_grads(f, {x0}, 0), fx::ValueError);
  EXPECT_THROW(fx::check_grads(f, {x0}, 1, fx::GradMode{}), fx::ValueError);
}

TEST(CheckGrads, Float32UsesLooserTolerances) {
  EXPECT_TRUE(grads_ok([](fx::Array x) { return fx::tanh(x) * x; }, {uniform(3, {4}, -1, 1, fx::float32)}));
}

}  // namespace
