// Errors are part of the API (DESIGN §1.6): each misuse raises its typed
// exception, and the message names the operation, what it was given and what
// it expected. The needles below are the given and expected values written
// as the library prints them (shapes in NumPy's tuple form).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "fluxion/fluxion.hpp"

namespace fx = fluxion;

namespace {

template <class E>
::testing::AssertionResult raises(const std::function<void()>& f, std::vector<std::string> needles) {
  try {
    f();
  } catch (const E& e) {
    const std::string msg = e.what();
    for (const auto& n : needles)
      if (msg.find(n) == std::string::npos)
        return ::testing::AssertionFailure() << "message lacks \"" << n << "\": " << msg;
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw another type: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

const fx::Array m23 = fx::zeros({2, 3});
const fx::Array t234 = fx::zeros({2, 3, 4});

}  // namespace

TEST(Errors, BroadcastMismatchIsAShapeError) {
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::add(fx::zeros({3}), fx::zeros({4})); }, {"add", "(3,)", "(4,)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { (void)(fx::zeros({2, 3}) * fx::zeros({3, 2})); },
                                     {"mul", "(2, 3)", "(3, 2)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::where(fx::zeros({2}, fx::bool_), fx::zeros({3}), 1.0); },
                                     {"(2,)", "(3,)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::broadcast_to(fx::zeros({3}), {4}); },
                                     {"broadcast_to", "(3,)", "(4,)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::broadcast_to(fx::zeros({2, 3}), {3}); },
                                     {"broadcast_to", "(2, 3)", "(3,)"}));
}

TEST(Errors, AxisOutOfRangeIsAShapeError) {
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::sum(t234, {5}); }, {"sum", "5", "3"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::max(t234, {-4}); }, {"max", "-4", "3"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::mean(m23, {0, 7}); }, {"mean", "7"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::expand_dims(m23, 4); }, {"expand_dims", "4"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::concatenate({m23, m23}, 2); }, {"concatenate", "2"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::stack({m23, m23}, -4); }, {"stack", "-4"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::transpose(t234, {0, 1}); }, {"transpose", "(2, 3, 4)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::transpose(t234, {0, 1, 1}); }, {"transpose", "(0, 1, 1)"}));
  // squeeze: the named axis must have extent 1.
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::squeeze(m23, {1}); }, {"squeeze", "(2, 3)"}));
}

TEST(Errors, ReshapeSizeMismatchIsAShapeError) {
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::reshape(m23, {4, 2}); }, {"reshape", "(2, 3)", "(4, 2)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { m23.reshape({5, -1}); },
                                     {"reshape", "(2, 3)", "(5, -1)", "the -1 stands for 6 / 5", "not a whole number"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { m23.reshape({0, -1}); }, {"6 / 0", "undefined"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::reshape(m23, {-1, -1}); }, {"reshape", "-1"}));
}

// Malformed subscripts are numpy's (and so jnp.einsum's) ValueError;
// well-formed subscripts the operands' shapes do not fit are a ShapeError.
TEST(Errors, EinsumSpecErrors) {
  const fx::Array a = fx::zeros({2, 3}), b = fx::zeros({4, 5});
  EXPECT_TRUE(raises<fx::ValueError>([&] { fx::einsum("i$,jk", a, b); }, {"einsum", "$"}));
  EXPECT_TRUE(raises<fx::ValueError>([&] { fx::einsum("ij,jk->ik", a); }, {"einsum", "2", "1"}));
  EXPECT_TRUE(raises<fx::ValueError>([&] { fx::einsum("ij", a, b); }, {"einsum", "1", "2"}));
  EXPECT_TRUE(raises<fx::ValueError>([] { fx::einsum("ij", std::vector<fx::Array>{}); }, {"einsum", "operand"}));
  EXPECT_TRUE(raises<fx::ShapeError>([&] { fx::einsum("ijk", a); }, {"einsum", "ijk", "(2, 3)"}));
  EXPECT_TRUE(raises<fx::ValueError>([&] { fx::einsum("ij->ik", a); }, {"einsum", "k"}));
  EXPECT_TRUE(raises<fx::ValueError>([&] { fx::einsum("ij->ii", a); }, {"einsum", "i", "more than once"}));
  EXPECT_TRUE(raises<fx::ShapeError>([&] { fx::einsum("ij,jk->ik", a, b); }, {"einsum", "j", "3", "4"}));
  EXPECT_TRUE(raises<fx::ShapeError>([&] { fx::einsum("ii", a); }, {"einsum", "i", "2", "3"}));
}

TEST(Errors, MatmulInnerMismatchIsAShapeError) {
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::matmul(fx::zeros({2, 3}), fx::zeros({4, 5})); },
                                     {"matmul", "(2, 3)", "(4, 5)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::matmul(fx::zeros({3}), fx::zeros({4})); },
                                     {"matmul", "(3,)", "(4,)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::matmul(fx::zeros({2, 2, 3}), fx::zeros({3, 3, 2})); },
                                     {"matmul", "(2, 2, 3)", "(3, 3, 2)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::matmul(fx::Array(2.0), fx::zeros({2})); }, {"matmul"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::dot(fx::zeros({2, 3}), fx::zeros({2, 3})); },
                                     {"dot", "(2, 3)"}));
}

TEST(Errors, ItemNeedsExactlyOneElement) {
  EXPECT_TRUE(raises<fx::ShapeError>([] { (void)fx::zeros({3}).item<double>(); }, {"item", "(3,)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { (void)fx::zeros({0}).item<double>(); }, {"item", "(0,)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { (void)static_cast<bool>(fx::zeros({2})); }, {"(2,)"}));
}

TEST(Errors, IndexOutOfRangeIsAShapeError) {
  const fx::Array v = fx::zeros({4});
  EXPECT_TRUE(raises<fx::ShapeError>([&] { (void)v[4]; }, {"4"}));
  EXPECT_TRUE(raises<fx::ShapeError>([&] { (void)v[-5]; }, {"-5", "4"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { (void)fx::Array(1.0)[0]; }, {"0-d"}));
}

// The dtypes JAX's primitives reject (lax.sub, lax.neg and lax.sign take
// numbers, not bools; lax.and/or/xor take bools and integers; integers
// cannot be raised to negative powers). Logical ops accept every dtype in
// JAX (nonzero is true), so they are not errors.
TEST(Errors, UnsupportedDTypeIsATypeError) {
  const fx::Array b = fx::zeros({2}, fx::bool_);
  EXPECT_TRUE(raises<fx::TypeError>([&] { fx::subtract(b, b); }, {"sub", "bool"}));
  EXPECT_TRUE(raises<fx::TypeError>([&] { (void)(b - b); }, {"sub", "bool"}));
  EXPECT_TRUE(raises<fx::TypeError>([&] { fx::negative(b); }, {"neg", "bool"}));
  EXPECT_TRUE(raises<fx::TypeError>([&] { fx::sign(b); }, {"sign", "bool"}));
  // Bitwise operators (jnp.bitwise_and/or/xor) take bools and integers only.
  EXPECT_TRUE(raises<fx::TypeError>([] { (void)(fx::ones({2}) & fx::ones({2})); }, {"and", "float64"}));
  EXPECT_TRUE(raises<fx::TypeError>([] { (void)(fx::ones({2}, fx::int32) ^ 1.5); }, {"xor", "float64"}));
  EXPECT_TRUE(raises<fx::TypeError>([] { fx::integer_pow(fx::zeros({2}, fx::int32), -2); },
                                     {"integer_pow", "-2", "int32"}));
  EXPECT_TRUE(raises<fx::TypeError>([] { fx::pow(fx::zeros({2}, fx::uint64), -1); },
                                     {"integer_pow", "-1", "uint64"}));
}

TEST(Errors, RankAboveEightIsAShapeError) {
  const fx::Shape nine(9, 1);
  EXPECT_TRUE(raises<fx::ShapeError>([&] { fx::zeros(nine); }, {"9", "8"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::reshape(fx::zeros({1}), fx::Shape(9, 1)); }, {"reshape", "9", "8"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::expand_dims(fx::zeros(fx::Shape(8, 1)), 0); },
                                     {"expand_dims", "9", "8"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::broadcast_to(fx::zeros({1}), fx::Shape(9, 2)); },
                                     {"broadcast_to", "9", "8"}));
}

TEST(Errors, MaxMinOfNothingHaveNoIdentity) {
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::max(fx::zeros({0})); }, {"max", "(0,)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::min(fx::zeros({2, 0}), {1}); }, {"min", "(2, 0)"}));
}

TEST(Errors, StructuralMismatches) {
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::concatenate({fx::zeros({2, 3}), fx::zeros({2, 4})}, 0); },
                                     {"concatenate", "(2, 3)", "(2, 4)"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::stack({fx::zeros({2}), fx::zeros({3})}); },
                                     {"stack", "(2,)", "(3,)"}));
  // Nothing to join, or an unknown option: jnp's ValueError.
  EXPECT_TRUE(raises<fx::ValueError>([] { fx::concatenate({}); }, {"concatenate"}));
  EXPECT_TRUE(raises<fx::ValueError>([] { fx::stack({}); }, {"stack"}));
  EXPECT_TRUE(raises<fx::ValueError>([] { fx::meshgrid({fx::zeros({2})}, "xz"); }, {"meshgrid", "xz"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::zeros({2, -1}); }, {"-1"}));
}

// jnp.arange (through NumPy) raises ValueError for a zero or NaN step and
// for a range too long to hold.
TEST(Errors, ArangeBadStepIsAValueError) {
  EXPECT_TRUE(raises<fx::ValueError>([] { fx::arange(0, 5, 0); }, {"arange", "non-zero"}));
  EXPECT_TRUE(raises<fx::ValueError>([] { fx::arange(0.0, 1.0, 0.0); }, {"arange", "non-zero", "0"}));
  EXPECT_TRUE(raises<fx::ValueError>([] { fx::arange(0.0, 1.0, std::nan("")); }, {"arange", "nan"}));
  EXPECT_TRUE(raises<fx::ValueError>([] { fx::arange(0.0, 1e13, 1.0); }, {"arange", "too large"}));
}

// A hand-built tree with a key or field name per child, and one child too
// few, is a bad value, not a bad kind.
TEST(Errors, TreeDefNamesMustMatchChildren) {
  const std::vector<fx::TreeDef> one{fx::TreeDef::leaf()};
  EXPECT_TRUE(raises<fx::ValueError>([&] { fx::TreeDef::dict({"a", "b"}, one); },
                                     {"TreeDef::dict", "one key per child"}));
  EXPECT_TRUE(raises<fx::ValueError>([&] { fx::TreeDef::node("Point", {"x", "y"}, one); },
                                     {"TreeDef::node", "one field name per child"}));
  EXPECT_EQ(fx::TreeDef::dict({"a"}, one).num_leaves(), 1u);
}

// lax.round's rounding_method is an enum of two members; another number is
// a bad value of the right kind.
TEST(Errors, UnknownRoundingMethodIsAValueError) {
  const fx::Primitive* round = nullptr;
  for (const fx::Primitive* p : fx::all_primitives())
    if (p->name == "round") round = p;
  ASSERT_NE(round, nullptr);
  const fx::Array x = fx::array({0.5, 1.5, -2.5});
  EXPECT_TRUE(raises<fx::ValueError>([&] { fx::bind1(*round, {x}, {{"rounding_method", int64_t{2}}}); },
                                     {"round", "rounding_method", "2"}));
  EXPECT_TRUE(raises<fx::ValueError>([&] { fx::bind1(*round, {x}, {{"rounding_method", int64_t{-1}}}); },
                                     {"round", "-1"}));
  EXPECT_EQ(fx::bind1(*round, {x}, {{"rounding_method", int64_t{1}}}).to_vector<double>(),
            (std::vector<double>{0, 2, -2}));
}

// A negative count of elements is a negative dimension of the result, as
// zeros({2, -1}) and eye(-1) say.
TEST(Errors, NegativeSizeOfAResultIsAShapeError) {
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::linspace(0, 1, -1); }, {"linspace", "-1", "non-negative"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::logspace(0, 1, -3); }, {"linspace", "-3"}));
  EXPECT_TRUE(raises<fx::ShapeError>([] { fx::eye(-1); }, {"eye", "-1"}));
}

// An empty handle where an array belongs is the wrong kind of argument, as
// None is to a jnp function.
TEST(Errors, EmptyHandleIsATypeError) {
  const fx::Array empty;
  EXPECT_TRUE(raises<fx::TypeError>([&] { (void)(empty + 1.0); }, {"empty Array handle"}));
  EXPECT_TRUE(raises<fx::TypeError>([&] { fx::sin(empty); }, {"empty Array handle"}));
  EXPECT_TRUE(raises<fx::TypeError>([&] { (void)empty.shape(); }, {"empty Array handle"}));
  EXPECT_TRUE(raises<fx::TypeError>([&] { (void)empty.item<double>(); }, {"empty Array handle"}));
}

TEST(Errors, PrimitiveParameterOfTheWrongTypeIsATypeError) {
  const fx::Params params{{"dimension", int64_t{0}}};
  EXPECT_TRUE(raises<fx::TypeError>([&] { (void)params.get<fx::DType>("dimension"); },
                                    {"'dimension'", "unexpected type"}));
  EXPECT_EQ(params.get<int64_t>("dimension"), 0);
}
