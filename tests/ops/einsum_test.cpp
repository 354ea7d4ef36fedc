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

TEST(Einsum, EllipsisBroadcastsAsNumPy) {
  const fx::Array a = fx::reshape(fx::arange(6).astype(fx::float64), {1, 2, 3});
  const fx::Array b = fx::reshape(fx::arange(24).astype(fx::float64), {4, 3, 2});
  const fx::Array batched = fx::einsum("...ij,...jk->...ik", a, b);
  EXPECT_EQ(batched.shape(), (fx::Shape{4, 2, 2}));
  EXPECT_EQ(batched.to_vector<double>(), fx::matmul(a, b).to_vector<double>());
  EXPECT_EQ(fx::einsum("...ij,...jk", a, b).to_vector<double>(), batched.to_vector<double>());  // implicit: ... first
  const fx::Array m = fx::reshape(fx::arange(12), {3, 4});
  EXPECT_EQ(fx::einsum("...j->...", m).to_vector<int>(), fx::sum(m, -1).to_vector<int>());
  EXPECT_EQ(fx::einsum("i...->...", m).to_vector<int>(), fx::sum(m, 0).to_vector<int>());
  EXPECT_EQ(fx::einsum("...", m).to_vector<int>(), m.to_vector<int>());
  EXPECT_EQ(fx::einsum("ij...->ji...", fx::ones({2, 3, 4, 5})).shape(), (fx::Shape{3, 2, 4, 5}));
  EXPECT_EQ(fx::einsum("...,...", fx::Array(2), fx::arange(3)).to_vector<int>(), (std::vector<int>{0, 2, 4}));
  EXPECT_EQ(fx::einsum("i...i", fx::reshape(fx::arange(18), {3, 2, 3})).to_vector<int>(),
            (std::vector<int>{0 + 7 + 14, 3 + 10 + 17}));  // x[i, j, i] = 6i + 3j + i, summed over i
  // Size-1 indices broadcast against larger ones, as opt_einsum and jnp allow.
  EXPECT_EQ(fx::einsum("ij,ij->ij", fx::ones({1, 3}), fx::ones({2, 3})).shape(), (fx::Shape{2, 3}));
  EXPECT_THROW(fx::einsum("..i.,i", fx::ones({2, 3}), fx::ones({3})), fx::ValueError);
  EXPECT_THROW(fx::einsum("...ijk", fx::ones({2, 3})), fx::ShapeError);
  EXPECT_THROW(fx::einsum("ij->i->j", fx::ones({2, 3})), fx::ValueError);
}

// Three or more operands contract in opt_einsum's optimize="auto" order, as
// jnp.einsum does (the pairs and dot_general operand orders below are what
// opt_einsum 3.4's contract_path and jnp's _einsum give for these shapes),
// not left to right.
TEST(Einsum, ContractionOrderIsJaxs) {
  auto chain = [](fx::Array a, fx::Array b, fx::Array c) { return fx::einsum("ij,jk,kl->il", a, b, c); };
  // kl,jk->lj first (B C is cheaper), then lj,ij->il.
  const std::string right_first =
      fx::make_jaxpr(chain)(fx::ones({100, 100}), fx::ones({100, 100}), fx::ones({100, 2})).str();
  EXPECT_NE(right_first.find("d:f64[2,100] = dot_general[\n      dimension_numbers=(([0], [1]), ([], []))\n"
                             "      preferred_element_type=float64\n    ] c b"),
            std::string::npos)
      << right_first;
  EXPECT_NE(right_first.find("e:f64[100,2] = dot_general[\n      dimension_numbers=(([1], [1]), ([], []))\n"
                             "      preferred_element_type=float64\n    ] a d"),
            std::string::npos)
      << right_first;
  // jk,ij->ki first, then ki,kl->il.
  const std::string left_first = fx::make_jaxpr(chain)(fx::ones({2, 100}), fx::ones({100, 100}), fx::ones({100, 3})).str();
  EXPECT_NE(left_first.find("d:f64[100,2] = dot_general[\n      dimension_numbers=(([0], [1]), ([], []))\n"
                            "      preferred_element_type=float64\n    ] b a"),
            std::string::npos)
      << left_first;
  EXPECT_NE(left_first.find("] d c"), std::string::npos) << left_first;
  // Four operands: cd,bc->db; db,ab->da; da,de->ae.
  auto four = [](fx::Array a, fx::Array b, fx::Array c, fx::Array d) { return fx::einsum("ab,bc,cd,de->ae", a, b, c, d); };
  const std::string order4 =
      fx::make_jaxpr(four)(fx::ones({8, 2}), fx::ones({2, 50}), fx::ones({50, 2}), fx::ones({2, 40})).str();
  const size_t first = order4.find("] c b"), second = order4.find("] e a"), third = order4.find("] f d");
  EXPECT_NE(first, std::string::npos) << order4;
  EXPECT_LT(first, second) << order4;
  EXPECT_LT(second, third) << order4;
}

TEST(Einsum, ManyOperandsGiveTheProduct) {
  // 5 to 15 operands go through opt_einsum's branch-and-bound and greedy searches.
  for (int n : {5, 7, 9, 15}) {
    std::vector<fx::Array> ms;
    std::string spec;
    fx::Array want = fx::eye(3);
    for (int i = 0; i < n; ++i) {
      ms.push_back(fx::reshape(fx::arange(9).astype(fx::float64), {3, 3}) / 8.0 + fx::eye(3) * i);
      want = fx::matmul(want, ms.back());
      spec += std::string(i ? "," : "") + static_cast<char>('a' + i) + static_cast<char>('a' + i + 1);
    }
    spec += std::string("->a") + static_cast<char>('a' + n);
    const std::vector<double> got = fx::einsum(spec, ms).to_vector<double>(), expected = want.to_vector<double>();
    for (size_t k = 0; k < got.size(); ++k) EXPECT_NEAR(got[k], expected[k], 1e-9 * std::abs(expected[k])) << spec;
  }
}
