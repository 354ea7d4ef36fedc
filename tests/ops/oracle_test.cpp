// Array operations against the NumPy oracle (tests/oracle/gen_op_cases.py):
// every case runs through each C++ spelling of its operation (function,
// operator, compound assignment, member) and must give JAX's dtype, weak
// type, shape and values.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oracle_table.hpp"

namespace {

using namespace oracle;

#define FX_UNARY(op) {#op, {{"fx::" #op, [](const Case&, const Arrays& in) { return one(fx::op(in[0])); }}}}
#define FX_BINARY(op) \
  {"fx::" #op, [](const Case&, const Arrays& in) { return one(fx::op(in[0], in[1])); }}
#define FX_OPERATOR(sym) \
  {"operator" #sym, [](const Case&, const Arrays& in) { return one(in[0] sym in[1]); }}
#define FX_COMPOUND(sym)                                      \
  {"operator" #sym "=", [](const Case&, const Arrays& in) { \
     fx::Array r = in[0];                                     \
     r sym## = in[1];                                         \
     return one(r);                                           \
   }}
#define FX_BOOL_OPERATOR(sym)                                                      \
  {"operator" #sym, [](const Case&, const Arrays& in) {                           \
     if (in[0].dtype() != fx::bool_ || in[1].dtype() != fx::bool_) return Arrays{}; \
     return one(in[0] sym in[1]);                                                  \
   }}
#define FX_REDUCTION(op)                                                                  \
  {#op, {{"fx::" #op, [](const Case& c, const Arrays& in) {                              \
            return one(fx::op(in[0], c.axes_param("axes"), c.int_param("keepdims") != 0)); \
          }}}}

const Table& table() {
  static Table t = {
      FX_UNARY(sin), FX_UNARY(cos), FX_UNARY(tan), FX_UNARY(tanh), FX_UNARY(sinh),
      FX_UNARY(cosh), FX_UNARY(arcsin), FX_UNARY(arccos), FX_UNARY(arctan), FX_UNARY(exp),
      FX_UNARY(log), FX_UNARY(log1p), FX_UNARY(expm1), FX_UNARY(sqrt), FX_UNARY(floor),
      FX_UNARY(ceil), FX_UNARY(abs), FX_UNARY(sign), FX_UNARY(square), FX_UNARY(isfinite),
      {"negative",
       {{"fx::negative", [](const Case&, const Arrays& in) { return one(fx::negative(in[0])); }},
        {"unary operator-", [](const Case&, const Arrays& in) { return one(-in[0]); }}}},
      {"logical_not",
       {{"fx::logical_not", [](const Case&, const Arrays& in) { return one(fx::logical_not(in[0])); }},
        {"operator!", [](const Case&, const Arrays& in) {
           return in[0].dtype() == fx::bool_ ? one(!in[0]) : Arrays{};
         }}}},
      {"integer_pow",
       {{"fx::integer_pow",
         [](const Case& c, const Arrays& in) { return one(fx::integer_pow(in[0], c.int_param("n"))); }},
        {"fx::pow(x, int)", [](const Case& c, const Arrays& in) {
           return one(fx::pow(in[0], static_cast<int>(c.int_param("n"))));
         }}}},
      {"pow_scalar", {{"fx::pow(x, double)", [](const Case& c, const Arrays& in) {
                         return one(fx::pow(in[0], c.double_param("y")));
                       }}}},
      {"pow", {FX_BINARY(pow)}},
      {"float_power", {FX_BINARY(float_power)}},
      {"add", {FX_BINARY(add), FX_OPERATOR(+), FX_COMPOUND(+)}},
      {"subtract", {FX_BINARY(subtract), FX_OPERATOR(-), FX_COMPOUND(-)}},
      {"multiply", {FX_BINARY(multiply), FX_OPERATOR(*), FX_COMPOUND(*)}},
      {"divide", {FX_BINARY(divide), FX_OPERATOR(/), FX_COMPOUND(/)}},
      {"floor_divide", {FX_BINARY(floor_divide)}},
      {"remainder", {FX_BINARY(remainder)}},
      {"maximum", {FX_BINARY(maximum)}},
      {"minimum", {FX_BINARY(minimum)}},
      {"arctan2", {FX_BINARY(arctan2)}},
      {"equal", {FX_BINARY(equal), FX_OPERATOR(==)}},
      {"not_equal", {FX_BINARY(not_equal), FX_OPERATOR(!=)}},
      {"less", {FX_BINARY(less), FX_OPERATOR(<)}},
      {"less_equal", {FX_BINARY(less_equal), FX_OPERATOR(<=)}},
      {"greater", {FX_BINARY(greater), FX_OPERATOR(>)}},
      {"greater_equal", {FX_BINARY(greater_equal), FX_OPERATOR(>=)}},
      {"logical_and", {FX_BINARY(logical_and), FX_BOOL_OPERATOR(&)}},
      {"logical_or", {FX_BINARY(logical_or), FX_BOOL_OPERATOR(|)}},
      {"bitwise_and", {FX_OPERATOR(&)}},
      {"bitwise_or", {FX_OPERATOR(|)}},
      {"bitwise_xor", {FX_OPERATOR(^)}},
      {"invert", {{"operator!", [](const Case&, const Arrays& in) { return one(!in[0]); }}}},
      {"where", {{"fx::where", [](const Case&, const Arrays& in) {
                    return one(fx::where(in[0], in[1], in[2]));
                  }}}},
      {"clip", {{"fx::clip", [](const Case&, const Arrays& in) {
                   return one(fx::clip(in[0], in[1], in[2]));
                 }}}},
      FX_REDUCTION(sum), FX_REDUCTION(mean), FX_REDUCTION(prod), FX_REDUCTION(max),
      FX_REDUCTION(min), FX_REDUCTION(any), FX_REDUCTION(all),
      {"dot", {FX_BINARY(dot)}},
      {"matmul", {FX_BINARY(matmul)}},
      {"outer", {FX_BINARY(outer)}},
      {"einsum", {{"fx::einsum", [](const Case& c, const Arrays& in) {
                     return one(fx::einsum(c.param("spec"), in));
                   }}}},
      {"reshape",
       {{"fx::reshape", [](const Case& c, const Arrays& in) { return one(fx::reshape(in[0], c.shape_param("shape"))); }},
        {"Array::reshape", [](const Case& c, const Arrays& in) { return one(in[0].reshape(c.shape_param("shape"))); }}}},
      {"transpose",
       {{"fx::transpose", [](const Case& c, const Arrays& in) {
           if (c.param("perm") == "default") return one(fx::transpose(in[0]));
           return one(fx::transpose(in[0], c.shape_param("perm")));
         }},
        {"Array::T", [](const Case& c, const Arrays& in) {
           return c.param("perm") == "default" ? one(in[0].T()) : Arrays{};
         }}}},
      {"broadcast_to", {{"fx::broadcast_to", [](const Case& c, const Arrays& in) {
                           return one(fx::broadcast_to(in[0], c.shape_param("shape")));
                         }}}},
      {"expand_dims", {{"fx::expand_dims", [](const Case& c, const Arrays& in) {
                          return one(fx::expand_dims(in[0], c.int_param("axis")));
                        }}}},
      {"squeeze", {{"fx::squeeze", [](const Case& c, const Arrays& in) {
                      return one(fx::squeeze(in[0], c.axes_param("axes")));
                    }}}},
      {"concatenate", {{"fx::concatenate", [](const Case& c, const Arrays& in) {
                          return one(fx::concatenate(in, c.int_param("axis")));
                        }}}},
      {"stack", {{"fx::stack", [](const Case& c, const Arrays& in) {
                    return one(fx::stack(in, c.int_param("axis")));
                  }}}},
      {"index", {{"Array::operator[]", [](const Case& c, const Arrays& in) {
                    return one(in[0][c.int_param("i")]);
                  }}}},
      {"astype",
       {{"fx::astype", [](const Case& c, const Arrays& in) { return one(fx::astype(in[0], *c.dtype_param("dtype"))); }},
        {"Array::astype", [](const Case& c, const Arrays& in) { return one(in[0].astype(*c.dtype_param("dtype"))); }}}},
      {"zeros", {{"fx::zeros", [](const Case& c, const Arrays&) {
                    return one(fx::zeros(c.shape_param("shape"), *c.dtype_param("dtype")));
                  }}}},
      {"ones", {{"fx::ones", [](const Case& c, const Arrays&) {
                   return one(fx::ones(c.shape_param("shape"), *c.dtype_param("dtype")));
                 }}}},
      {"full", {{"fx::full", [](const Case& c, const Arrays& in) {
                   return one(fx::full(c.shape_param("shape"), in[0], c.dtype_param("dtype")));
                 }}}},
      {"zeros_like", {{"fx::zeros_like", [](const Case& c, const Arrays& in) {
                         return one(fx::zeros_like(in[0], c.dtype_param("dtype")));
                       }}}},
      {"ones_like", {{"fx::ones_like", [](const Case& c, const Arrays& in) {
                        return one(fx::ones_like(in[0], c.dtype_param("dtype")));
                      }}}},
      {"full_like", {{"fx::full_like", [](const Case& c, const Arrays& in) {
                        return one(fx::full_like(in[0], in[1], c.dtype_param("dtype")));
                      }}}},
      {"arange", {{"fx::arange", [](const Case& c, const Arrays& in) {
                     const auto dt = c.dtype_param("dtype");
                     if (in.size() == 1 && !dt) return one(fx::arange(in[0]));
                     if (in.size() == 1) return one(fx::arange(0, in[0], 1, dt));
                     if (in.size() == 2 && !dt) return one(fx::arange(in[0], in[1]));
                     return one(fx::arange(in[0], in[1], in.size() > 2 ? in[2] : fx::Array(1), dt));
                   }}}},
      {"linspace", {{"fx::linspace", [](const Case& c, const Arrays&) {
                       return one(fx::linspace(c.double_param("start"), c.double_param("stop"),
                                               c.int_param("num"), c.int_param("endpoint") != 0,
                                               *c.dtype_param("dtype")));
                     }}}},
      {"logspace", {{"fx::logspace", [](const Case& c, const Arrays&) {
                       return one(fx::logspace(c.double_param("start"), c.double_param("stop"),
                                               c.int_param("num"), c.int_param("endpoint") != 0,
                                               c.double_param("base"), *c.dtype_param("dtype")));
                     }}}},
      {"eye", {{"fx::eye", [](const Case& c, const Arrays&) {
                  std::optional<int64_t> m;
                  if (c.param("m") != "none") m = c.int_param("m");
                  return one(fx::eye(c.int_param("n"), m, c.int_param("k"), *c.dtype_param("dtype")));
                }}}},
      {"meshgrid", {{"fx::meshgrid", [](const Case& c, const Arrays& in) {
                       return fx::meshgrid(in, c.param("indexing"));
                     }}}},
  };
  static const bool families_added = [] {
    add_indexing_ops(t);
    add_special_ops(t);
    add_linalg_ops(t);
    add_numpy_ops(t);
    return true;
  }();
  (void)families_added;
  return t;
}

// Enough detail to reproduce a failure, but one broken kernel must not bury
// the log under thousands of lines (FLUXION_ORACLE_REPORT_ALL=1 lifts it).
int max_reported_failures() {
  static const int n = std::getenv("FLUXION_ORACLE_REPORT_ALL") ? 1 << 30 : 12;
  return n;
}

class Oracle : public ::testing::TestWithParam<std::string> {};

TEST_P(Oracle, MatchesNumPyWithJaxSemantics) {
  const std::string& op = GetParam();
  const auto& spellings = table().at(op);
  int ran = 0, failed = 0;
  for (const Case& c : oracle::all_cases()) {
    if (c.op != op) continue;
    Arrays in;
    for (const auto& a : c.inputs) in.push_back(a.to_array());
    for (const Spelling& s : spellings) {
      std::string problem;
      try {
        const Arrays out = s.fn(c, in);
        if (out.empty()) continue;
        ++ran;
        if (out.size() != c.outputs.size()) {
          problem = std::to_string(out.size()) + " results, want " + std::to_string(c.outputs.size());
        } else {
          for (size_t k = 0; k < out.size() && problem.empty(); ++k) {
            auto r = oracle::matches(out[k], c.outputs[k], c.tol);
            if (!r) problem = (out.size() > 1 ? "result " + std::to_string(k) + ": " : "") + r.message();
          }
        }
      } catch (const std::exception& e) {
        ++ran;
        problem = std::string("threw: ") + e.what();
      }
      if (problem.empty()) continue;
      if (++failed <= max_reported_failures())
        ADD_FAILURE() << s.name << ": " << problem << "\n" << c.describe();
    }
  }
  EXPECT_GT(ran, 0) << "no oracle cases ran for " << op;
  EXPECT_EQ(failed, 0) << failed << " of " << ran << " checks of " << op << " failed";
}

std::vector<std::string> op_names() {
  std::vector<std::string> names;
  for (const auto& [name, _] : table()) names.push_back(name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Ops, Oracle, ::testing::ValuesIn(op_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// The generator and the table must agree, or cases would silently not run.
TEST(OracleCases, EveryGeneratedOperationHasASpellingAndEnoughCases) {
  std::map<std::string, int> counts;
  for (const Case& c : oracle::all_cases()) ++counts[c.op];
  for (const auto& [op, n] : counts) EXPECT_TRUE(table().count(op)) << "no C++ spelling for " << op;
  for (const auto& [op, _] : table()) EXPECT_GE(counts[op], 5) << "too few oracle cases for " << op;
}

}  // namespace
