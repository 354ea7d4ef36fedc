// JAX's promotion lattice: the cases its documentation tabulates.
#include <gtest/gtest.h>

#include "fluxion/dtype.hpp"

namespace fx = fluxion;
using fx::TypedDType;

namespace {
TypedDType strong(fx::DType t) { return {t, false}; }
TypedDType weak(fx::DType t) { return {t, true}; }
}  // namespace

TEST(Promotion, StrongPairsFollowJaxLattice) {
  EXPECT_EQ(fx::promote_types(strong(fx::int32), strong(fx::uint32)), strong(fx::int64));
  EXPECT_EQ(fx::promote_types(strong(fx::int64), strong(fx::uint64)), weak(fx::float64));
  EXPECT_EQ(fx::promote_types(strong(fx::float32), strong(fx::int64)), strong(fx::float32));
  EXPECT_EQ(fx::promote_types(strong(fx::float32), strong(fx::float64)), strong(fx::float64));
  EXPECT_EQ(fx::promote_types(strong(fx::bool_), strong(fx::uint32)), strong(fx::uint32));
  EXPECT_EQ(fx::promote_types(strong(fx::uint32), strong(fx::uint64)), strong(fx::uint64));
  EXPECT_EQ(fx::promote_types(strong(fx::bool_), strong(fx::bool_)), strong(fx::bool_));
}

TEST(Promotion, WeakScalarsTakeTheArraysType) {
  EXPECT_EQ(fx::promote_types(strong(fx::float32), weak(fx::float64)), strong(fx::float32));
  EXPECT_EQ(fx::promote_types(strong(fx::uint32), weak(fx::int32)), strong(fx::uint32));
  EXPECT_EQ(fx::promote_types(strong(fx::int32), weak(fx::float64)), weak(fx::float64));
  EXPECT_EQ(fx::promote_types(strong(fx::bool_), weak(fx::int32)), weak(fx::int32));
  EXPECT_EQ(fx::promote_types(weak(fx::int32), weak(fx::float64)), weak(fx::float64));
  EXPECT_EQ(fx::promote_types(weak(fx::float32), weak(fx::float64)), weak(fx::float64));
}

TEST(Promotion, IsSymmetricAndIdempotent) {
  for (int a = 0; a < fx::kNumDTypes; ++a)
    for (int b = 0; b < fx::kNumDTypes; ++b)
      for (int wa = 0; wa < 2; ++wa)
        for (int wb = 0; wb < 2; ++wb) {
          const TypedDType x{static_cast<fx::DType>(a), wa == 1}, y{static_cast<fx::DType>(b), wb == 1};
          EXPECT_EQ(fx::promote_types(x, y), fx::promote_types(y, x));
          const TypedDType j = fx::promote_types(x, y);
          EXPECT_EQ(fx::promote_types({x, y}), j);
          // The join is an upper bound: joining it again with an operand changes
          // nothing. (Weak operands are excluded: a weak int stands for the whole
          // integer category, so JAX's join over them is not associative in width.)
          if (!x.weak && !y.weak && !j.weak) {
            EXPECT_EQ(fx::promote_types(j, x), j);
          }
        }
}

TEST(Promotion, ToInexactGivesDefaultFloat) {
  EXPECT_EQ(fx::to_inexact(strong(fx::int32)), strong(fx::float64));
  EXPECT_EQ(fx::to_inexact(strong(fx::float32)), strong(fx::float32));
  EXPECT_EQ(fx::to_inexact(weak(fx::int32)), weak(fx::float64));
}

TEST(DTypeNames, MatchJax) {
  EXPECT_EQ(fx::dtype_name(fx::bool_), "bool");
  EXPECT_EQ(fx::dtype_name(fx::float64), "float64");
  EXPECT_EQ(fx::dtype_short_name(fx::float64), "f64");
  EXPECT_EQ(fx::dtype_short_name(fx::uint32), "u32");
  EXPECT_EQ(fx::itemsize(fx::int64), 8u);
}
