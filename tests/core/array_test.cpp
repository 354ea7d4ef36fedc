// Array handles: scalars, element access, conversions and their errors.
#include <gtest/gtest.h>

#include "fluxion/fluxion.hpp"

namespace fx = fluxion;

TEST(Array, CppScalarsAreWeaklyTyped0d) {
  const fx::Array d = 2.0, f = 2.0f, i = 3, b = true;
  EXPECT_EQ(d.dtype(), fx::float64);
  EXPECT_TRUE(d.weak_type());
  EXPECT_EQ(f.dtype(), fx::float32);
  EXPECT_EQ(i.dtype(), fx::int32);
  EXPECT_EQ(b.dtype(), fx::bool_);
  EXPECT_FALSE(b.weak_type());
  EXPECT_EQ(d.ndim(), 0);
  EXPECT_EQ(d.size(), 1);
  EXPECT_EQ(i.item<int>(), 3);
}

TEST(Array, WeakScalarKeepsArrayDtype) {
  const fx::Array x = fx::array({1.0, 2.0}, fx::float32);
  const fx::Array y = x * 2.0;
  EXPECT_EQ(y.dtype(), fx::float32);
  EXPECT_FALSE(y.weak_type());
  EXPECT_EQ(y.to_vector<float>(), (std::vector<float>{2.0f, 4.0f}));
  const fx::Array z = fx::arange(3) + 1.5;  // int32 + weak float -> weak float64
  EXPECT_EQ(z.dtype(), fx::float64);
  EXPECT_TRUE(z.weak_type());
}

TEST(Array, IndexingAxis0NegativeAndOutOfRange) {
  const fx::Array m = fx::reshape(fx::arange(6), {2, 3});
  EXPECT_EQ(m[1].to_vector<int>(), (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(m[-2].to_vector<int>(), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(m[1][-1].item<int>(), 5);
  EXPECT_THROW(m[2], fx::ShapeError);
  EXPECT_THROW(m[-3], fx::ShapeError);
  EXPECT_THROW(fx::Array(1.0)[0], fx::ShapeError);
  try {
    (void)m[5];
    FAIL();
  } catch (const fx::ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("out of bounds for axis 0 with size 2"), std::string::npos) << e.what();
  }
}

TEST(Array, ItemNeedsSizeOne) {
  EXPECT_THROW(fx::array({1.0, 2.0}).item<double>(), fx::ShapeError);
  EXPECT_EQ(fx::array({7.0}).item<double>(), 7.0);
  try {
    (void)fx::zeros({2, 2}).item<double>();
    FAIL();
  } catch (const fx::ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("(2, 2)"), std::string::npos) << e.what();
  }
}

TEST(Array, BoolConversionForNativeControlFlow) {
  const fx::Array x = 2.0;
  EXPECT_TRUE(static_cast<bool>(x >= 0.0));
  EXPECT_FALSE(static_cast<bool>(x < 0.0));
  EXPECT_THROW((void)static_cast<bool>(fx::array({1.0, 2.0}) > 0.0), fx::ShapeError);
}

TEST(Array, EmptyHandleThrowsInsteadOfCrashing) {
  fx::Array empty;
  EXPECT_FALSE(empty.valid());
  EXPECT_THROW((void)empty.shape(), fx::Error);
  EXPECT_THROW((void)(empty + 1.0), fx::Error);
  EXPECT_THROW((void)fx::sin(empty), fx::Error);
}

TEST(Array, ToVectorConvertsElements) {
  const fx::Array x = fx::array({1.5, -2.5, 3.0});
  EXPECT_EQ(x.to_vector<double>(), (std::vector<double>{1.5, -2.5, 3.0}));
  EXPECT_EQ(x.astype(fx::int32).to_vector<int>(), (std::vector<int>{1, -2, 3}));
  EXPECT_EQ(x.astype(fx::bool_).to_vector<bool>(), (std::vector<bool>{true, true, true}));
}

TEST(Array, ReshapeSharesAndValidates) {
  const fx::Array big = fx::arange(24);  // past the inline size: a heap buffer
  EXPECT_EQ(big.reshape({4, 6}).data(), big.data());  // a view, not a copy
  const fx::Array x = fx::arange(12);
  EXPECT_EQ(x.reshape({3, -1}).shape(), (fx::Shape{3, 4}));
  EXPECT_EQ(x.reshape({3, 4}).to_vector<int>(), x.to_vector<int>());
  EXPECT_THROW(x.reshape({5, -1}), fx::ShapeError);
  EXPECT_THROW(x.reshape({5, 2}), fx::ShapeError);
  EXPECT_THROW(x.reshape({-1, -1}), fx::ShapeError);
  EXPECT_THROW(fx::zeros({1, 1, 1, 1, 1, 1, 1, 1, 1}), fx::ShapeError);  // rank 9 > 8
}
