// einsum: the seed's outer products and the forms NumPy users reach for.
#include <gtest/gtest.h>

#include <sstream>

#include "fluxion/fluxion.hpp"

namespace fx = fluxion;

TEST(Einsum, SeedOuterProductsPrintAsJax) {
  const fx::Array delta = fx::arange(4);
  std::ostringstream two, three;
  two << fx::einsum("i,j", delta, delta);
  EXPECT_EQ(two.str(),
            "Array([[0, 0, 0, 0],\n"
            "       [0, 1, 2, 3],\n"
            "       [0, 2, 4, 6],\n"
            "       [0, 3, 6, 9]], dtype=int32)");
  const fx::Array cube = fx::einsum("i,j,k", delta, delta, delta);
  EXPECT_EQ(cube[2][3][3].item<int>(), 18);
  three << cube;
  // The seed's DeviceArray output, with today's `Array(` prefix.
  EXPECT_EQ(three.str(),
            "Array([[[ 0,  0,  0,  0],\n"
            "        [ 0,  0,  0,  0],\n"
            "        [ 0,  0,  0,  0],\n"
            "        [ 0,  0,  0,  0]],\n"
            "\n"
            "       [[ 0,  0,  0,  0],\n"
            "        [ 0,  1,  2,  3],\n"
            "        [ 0,  2,  4,  6],\n"
            "        [ 0,  3,  6,  9]],\n"
            "\n"
            "       [[ 0,  0,  0,  0],\n"
            "        [ 0,  2,  4,  6],\n"
            "        [ 0,  4,  8, 12],\n"
            "        [ 0,  6, 12, 18]],\n"
            "\n"
            "       [[ 0,  0,  0,  0],\n"
            "        [ 0,  3,  6,  9],\n"
            "        [ 0,  6, 12, 18],\n"
            "        [ 0,  9, 18, 27]]], dtype=int32)");
}

TEST(Einsum, SeedQuadraticForms) {
  const fx::Array H = fx::array({{2., 2.}, {2., 12.}});
  const fx::Array d = fx::array({1., 1.}) - fx::array({1.0, 2.0});
  EXPECT_EQ((0.5 * fx::einsum("ij,i,j", H, d, d)).item<double>(), 6.0);
  const fx::Array deltas = fx::array({{1.0, 1.0}, {1.0, 2.0}, {3.0, 4.0}}) - fx::array({1.0, 2.0});
  const fx::Array q = 0.5 * fx::einsum("ij, ij->i", fx::einsum("ij,jk->ik", deltas, H), deltas);
  // delta = (2, 2) for the third point: 0.5 * (2*4 + 2*2*4 + 12*4) = 36, so
  // with g = 13 and the linear term [6, 14] . (2, 2) = 40 the seed's 89 follows.
  EXPECT_EQ(q.to_vector<double>(), (std::vector<double>{6.0, 0.0, 36.0}));
}

TEST(Einsum, TraceDiagonalTransposeBatch) {
  const fx::Array m = fx::reshape(fx::arange(9), {3, 3});
  EXPECT_EQ(fx::einsum("ii", m).item<int>(), 0 + 4 + 8);
  EXPECT_EQ(fx::einsum("ii->i", m).to_vector<int>(), (std::vector<int>{0, 4, 8}));
  EXPECT_EQ(fx::einsum("ij->ji", m).to_vector<int>(), fx::transpose(m).to_vector<int>());
  EXPECT_EQ(fx::einsum("ij->", m).item<int>(), 36);
  const fx::Array b = fx::reshape(fx::arange(12).astype(fx::float64), {2, 2, 3});
  const fx::Array c = fx::reshape(fx::arange(12).astype(fx::float64), {2, 3, 2});
  EXPECT_EQ(fx::einsum("bij,bjk->bik", b, c).to_vector<double>(), fx::matmul(b, c).to_vector<double>());
  EXPECT_EQ(fx::einsum("ij,jk", m, m).to_vector<int>(), fx::matmul(m, m).to_vector<int>());
}

TEST(Einsum, SpecErrorsNameTheProblem) {
  const fx::Array m = fx::ones({2, 3});
  EXPECT_THROW(fx::einsum("ij,jk", m), fx::ValueError);       // operand count
  EXPECT_THROW(fx::einsum("i", m), fx::ShapeError);           // rank
  EXPECT_THROW(fx::einsum("ij->k", m), fx::ValueError);       // unknown output index
  EXPECT_THROW(fx::einsum("ij->ii", m), fx::ValueError);      // repeated output index
  EXPECT_THROW(fx::einsum("i1", m), fx::ValueError);          // bad character
  EXPECT_THROW(fx::einsum("ij,ij", m, fx::ones({3, 2})), fx::ShapeError);  // inconsistent sizes
  try {
    fx::einsum("ij,ij", m, fx::ones({3, 2}));
  } catch (const fx::ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("index 'i'"), std::string::npos) << e.what();
  }
}
