// One generic check of every primitive's batching rule (as JAX's
// tests/batching_test.py and lax_vmap_test.py do): vmap(f)(xs) must equal
// f applied to each example and stacked, for random in_axes (negative
// included, some arguments unmapped) and out_axes. A primitive added to the
// registry without a case here fails the registry walk.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <optional>
#include <string>

#include "../autodiff/autodiff_util.hpp"
#include "batch_rules_cases.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"

namespace {

namespace fx = fluxion;
namespace prim = fx::prim;
using autodiff_test::signed_uniform;
using autodiff_test::uniform;
using batch_rules::Arrays;
using batch_rules::Case;
using batch_rules::Fn;

fx::Array ints(uint64_t seed, const fx::Shape& shape) { return fx::floor(uniform(seed, shape, -9, 9)).astype(fx::int32); }
fx::ParamValue dims(std::vector<int64_t> v) { return fx::ParamValue(std::move(v)); }
fx::Array un(const fx::Primitive& p, const fx::Array& x) { return fx::bind1(p, {x}); }
fx::Array bin(const fx::Primitive& p, const fx::Array& x, const fx::Array& y) { return fx::bind1(p, {x, y}); }

std::map<std::string, Case> cases() {
  std::map<std::string, Case> c;
  const auto unary = [&](const std::string& name, const fx::Primitive& p, double lo, double hi) {
    c[name] = {[&p](const Arrays& a) { return un(p, a[0]); }, [lo, hi](uint64_t s) { return Arrays{uniform(s, {2, 3}, lo, hi)}; }};
  };
  unary("sin", prim::sin_p, -2, 2);
  unary("cos", prim::cos_p, -2, 2);
  unary("tan", prim::tan_p, -1, 1);
  unary("tanh", prim::tanh_p, -2, 2);
  unary("sinh", prim::sinh_p, -2, 2);
  unary("cosh", prim::cosh_p, -2, 2);
  unary("asin", prim::asin_p, -0.9, 0.9);
  unary("acos", prim::acos_p, -0.9, 0.9);
  unary("atan", prim::atan_p, -2, 2);
  unary("exp", prim::exp_p, -2, 2);
  unary("expm1", prim::expm1_p, -2, 2);
  unary("log", prim::log_p, 0.1, 3);
  unary("log1p", prim::log1p_p, 0.1, 3);
  unary("sqrt", prim::sqrt_p, 0.1, 3);
  unary("neg", prim::neg_p, -2, 2);
  unary("abs", prim::abs_p, -2, 2);
  unary("sign", prim::sign_p, -2, 2);
  unary("floor", prim::floor_p, -4, 4);
  unary("ceil", prim::ceil_p, -4, 4);
  unary("round", prim::round_p, -4, 4);
  unary("square", prim::square_p, -2, 2);
  unary("stop_gradient", prim::stop_gradient_p, -2, 2);
  c["integer_pow"] = {[](const Arrays& a) { return fx::pow(a[0], 3); }, [](uint64_t s) { return Arrays{uniform(s, {2, 3})}; }};
  c["not"] = {[](const Arrays& a) { return un(prim::not_p, a[0]); }, [](uint64_t s) { return Arrays{ints(s, {2, 3})}; }};
  c["is_finite"] = {[](const Arrays& a) { return un(prim::is_finite_p, fx::log(a[0])); },
                    [](uint64_t s) { return Arrays{uniform(s, {2, 3}, -1, 1)}; }};

  const auto binary = [&](const std::string& name, const fx::Primitive& p, double lo, double hi) {
    c[name] = {[&p](const Arrays& a) { return bin(p, a[0], a[1]); },
               [lo, hi](uint64_t s) { return Arrays{uniform(s, {2, 3}, lo, hi), uniform(s + 7, {2, 3}, lo, hi)}; }};
  };
  binary("add", prim::add_p, -2, 2);
  binary("sub", prim::sub_p, -2, 2);
  binary("mul", prim::mul_p, -2, 2);
  binary("max", prim::max_p, -2, 2);
  binary("min", prim::min_p, -2, 2);
  binary("atan2", prim::atan2_p, -2, 2);
  binary("pow", prim::pow_p, 0.2, 2);
  binary("add_any", prim::add_any_p, -2, 2);
  for (const auto& [name, p] : {std::pair{"eq", &prim::eq_p}, {"ne", &prim::ne_p}, {"lt", &prim::lt_p},
                                {"le", &prim::le_p}, {"gt", &prim::gt_p}, {"ge", &prim::ge_p}})
    binary(name, *p, -1, 1);
  c["div"] = {[](const Arrays& a) { return bin(prim::div_p, a[0], a[1]); },
              [](uint64_t s) { return Arrays{uniform(s, {2, 3}), signed_uniform(s + 7, {2, 3})}; }};
  c["rem"] = {[](const Arrays& a) { return bin(prim::rem_p, a[0], a[1]); },
              [](uint64_t s) { return Arrays{uniform(s, {2, 3}, -5, 5), signed_uniform(s + 7, {2, 3})}; }};
  for (const auto& [name, p] : {std::pair{"and", &prim::and_p}, {"or", &prim::or_p}, {"xor", &prim::xor_p}})
    c[name] = {[p](const Arrays& a) { return bin(*p, a[0], a[1]); },
               [](uint64_t s) { return Arrays{ints(s, {2, 3}), ints(s + 7, {2, 3})}; }};
  // Broadcasting through the NumPy layer: ranks padded, size-1 extents, 0-d operands.
  c["add/row"] = {[](const Arrays& a) { return a[0] + a[1]; },
                  [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {3})}; }};
  c["mul/size1"] = {[](const Arrays& a) { return a[0] * a[1]; },
                    [](uint64_t s) { return Arrays{uniform(s, {2, 1}), uniform(s + 7, {1, 3})}; }};
  c["sub/scalar"] = {[](const Arrays& a) { return a[0] - a[1] + 2.0; },
                     [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {})}; }};

  const auto reduce = [&](const std::string& name, std::function<fx::Array(const fx::Array&)> g) {
    c[name] = {[g](const Arrays& a) { return g(a[0]); }, [](uint64_t s) { return Arrays{uniform(s, {2, 3, 4})}; }};
  };
  reduce("reduce_sum", [](const fx::Array& x) { return fx::sum(x, {1}); });
  reduce("reduce_sum/all", [](const fx::Array& x) { return fx::sum(x); });
  reduce("reduce_prod", [](const fx::Array& x) { return fx::prod(x, {0, 2}); });
  reduce("reduce_max", [](const fx::Array& x) { return fx::max(x, {2}); });
  reduce("reduce_min", [](const fx::Array& x) { return fx::min(x, {0}); });
  reduce("reduce_and", [](const fx::Array& x) { return fx::all(x > -1.0, {1}); });
  reduce("reduce_or", [](const fx::Array& x) { return fx::any(x > 1.0, {0, 1}); });

  const auto x23 = [](uint64_t s) { return Arrays{uniform(s, {2, 3})}; };
  c["broadcast_in_dim"] = {[](const Arrays& a) {
                             return fx::bind1(prim::broadcast_in_dim_p, {a[0]},
                                              {{"shape", dims({2, 4, 3})}, {"broadcast_dimensions", dims({0, 2})}});
                           },
                           x23};
  c["broadcast_in_dim/size1"] = {[](const Arrays& a) {
                                   return fx::bind1(prim::broadcast_in_dim_p, {a[0]},
                                                    {{"shape", dims({5, 2, 3})}, {"broadcast_dimensions", dims({1, 2})}});
                                 },
                                 [](uint64_t s) { return Arrays{uniform(s, {1, 3})}; }};
  c["broadcast_in_dim/scalar"] = {[](const Arrays& a) { return fx::broadcast_to(a[0], {2, 3}); },
                                  [](uint64_t s) { return Arrays{uniform(s, {})}; }};
  c["reshape"] = {[](const Arrays& a) { return fx::reshape(a[0], {3, 2}); }, x23};
  c["reshape/flat"] = {[](const Arrays& a) { return fx::reshape(a[0], {6}); }, x23};
  c["transpose"] = {[](const Arrays& a) { return fx::transpose(a[0], {2, 0, 1}); },
                    [](uint64_t s) { return Arrays{uniform(s, {2, 3, 4})}; }};
  c["squeeze"] = {[](const Arrays& a) { return fx::squeeze(a[0], {1}); }, [](uint64_t s) { return Arrays{uniform(s, {3, 1, 2})}; }};
  c["concatenate"] = {[](const Arrays& a) { return fx::concatenate({a[0], a[1]}, 1); },
                      [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {2, 2})}; }};
  c["slice"] = {[](const Arrays& a) {
                  return fx::bind1(prim::slice_p, {a[0]},
                                   {{"start_indices", dims({0, 1})}, {"limit_indices", dims({2, 3})}, {"strides", fx::NoneParam{}}});
                },
                x23};
  c["slice/strided"] = {[](const Arrays& a) {
                          return fx::bind1(prim::slice_p, {a[0]},
                                           {{"start_indices", dims({0, 0})}, {"limit_indices", dims({3, 4})}, {"strides", dims({2, 3})}});
                        },
                        [](uint64_t s) { return Arrays{uniform(s, {3, 4})}; }};
  c["slice/index"] = {[](const Arrays& a) { return a[0][1]; }, x23};

  c["dot_general"] = {[](const Arrays& a) { return fx::matmul(a[0], a[1]); },
                      [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {3, 4})}; }};
  c["dot_general/vector"] = {[](const Arrays& a) { return fx::dot(a[0], a[1]); },
                             [](uint64_t s) { return Arrays{uniform(s, {3}), uniform(s + 7, {3})}; }};
  c["dot_general/batched"] = {[](const Arrays& a) { return fx::matmul(a[0], a[1]); },
                              [](uint64_t s) { return Arrays{uniform(s, {2, 3, 4}), uniform(s + 7, {2, 4, 2})}; }};
  c["dot_general/einsum"] = {[](const Arrays& a) { return fx::einsum("ijk,kj->i", {a[0], a[1]}); },
                             [](uint64_t s) { return Arrays{uniform(s, {2, 3, 4}), uniform(s + 7, {4, 3})}; }};

  // clamp: 0-d bounds (mapped: made full) and full ones.
  c["clamp"] = {[](const Arrays& a) { return fx::bind1(prim::clamp_p, {a[0], a[1], a[2]}); },
                [](uint64_t s) { return Arrays{uniform(s, {}, -0.5, 0.0), uniform(s + 7, {4}), uniform(s + 9, {}, 0.0, 0.5)}; }};
  c["clamp/full"] = {[](const Arrays& a) { return fx::bind1(prim::clamp_p, {a[0] - 0.5, a[1], a[0] + 0.5}); },
                     [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {2, 3})}; }};
  c["select_n"] = {[](const Arrays& a) { return fx::where(a[0] > 0.0, a[0], a[1]); },
                   [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {2, 3})}; }};
  c["select_n/scalar_which"] = {[](const Arrays& a) { return fx::bind1(prim::select_n_p, {a[0] > 0.0, a[1], a[2]}); },
                                [](uint64_t s) {
                                  return Arrays{uniform(s, {}), uniform(s + 7, {2, 3}), uniform(s + 9, {2, 3})};
                                }};
  c["select_n/int_which"] = {[](const Arrays& a) { return fx::bind1(prim::select_n_p, {a[0], a[1], a[2], a[1] * a[2]}); },
                             [](uint64_t s) {
                               return Arrays{fx::floor(uniform(s, {2, 3}, 0, 3)).astype(fx::int32),
                                             uniform(s + 7, {2, 3}), uniform(s + 9, {2, 3})};
                             }};
  c["convert_element_type"] = {[](const Arrays& a) { return a[0].astype(fx::float32); }, x23};
  c["convert_element_type/int"] = {[](const Arrays& a) { return (a[0] * 3.0).astype(fx::int32); }, x23};
  // No operand, so never batched itself: an unmapped constant inside a mapped program.
  c["iota"] = {[](const Arrays& a) { return a[0] * fx::arange(3); }, x23};

  // The PRNG's primitives (src/primitives/bitwise.cpp, prng.cpp, special.cpp, sort.cpp).
  const auto u32 = [](uint64_t s, const fx::Shape& shape) {
    return fx::floor(uniform(s, shape, 0, 4e9)).astype(fx::uint32);
  };
  const auto amounts = [](uint64_t s) { return fx::floor(uniform(s, {2, 3}, 0, 40)).astype(fx::uint32); };
  c["shift_left"] = {[](const Arrays& a) { return fx::lax::shift_left(a[0], a[1]); },
                     [=](uint64_t s) { return Arrays{u32(s, {2, 3}), amounts(s + 7)}; }};
  c["shift_right_logical"] = {[](const Arrays& a) { return fx::lax::shift_right_logical(a[0], a[1]); },
                              [=](uint64_t s) { return Arrays{u32(s, {2, 3}), amounts(s + 7)}; }};
  c["shift_right_arithmetic"] = {[](const Arrays& a) { return fx::lax::shift_right_arithmetic(a[0], a[1]); },
                                 [=](uint64_t s) { return Arrays{ints(s, {2, 3}), amounts(s + 7).astype(fx::int32)}; }};
  c["bitcast_convert_type"] = {[](const Arrays& a) { return fx::lax::bitcast_convert_type(a[0], fx::int64); }, x23};
  c["threefry2x32"] = {[](const Arrays& a) {
                         const Arrays y = fx::lax::threefry2x32(a[0], a[1], a[2], a[3]);
                         return y[0] ^ y[1];
                       },
                       [=](uint64_t s) {
                         return Arrays{u32(s, {}), u32(s + 1, {}), u32(s + 2, {2, 3}), u32(s + 3, {2, 3})};
                       }};
  c["iota_2x32_shape"] = {[](const Arrays& a) { return a[0] + fx::lax::iota_2x32_shape({2, 3})[1]; },
                          [=](uint64_t s) { return Arrays{u32(s, {2, 3})}; }};
  c["erf_inv"] = {[](const Arrays& a) { return fx::lax::erf_inv(a[0]); },
                  [](uint64_t s) { return Arrays{uniform(s, {2, 3}, -0.95, 0.95)}; }};
  c["sort"] = {[](const Arrays& a) { return fx::lax::sort({a[0]}, 1)[0]; },
               [](uint64_t s) { return Arrays{uniform(s, {2, 3, 4})}; }};
  c["sort/key_value"] = {[](const Arrays& a) { return fx::lax::sort({a[0], a[1]}, 0, 1)[1]; },
                         [](uint64_t s) { return Arrays{uniform(s, {4, 3}), uniform(s + 7, {4, 3})}; }};
  // A call of a jitted function (created once, shared by every call), with
  // several arguments and outputs; and one inside another.
  const auto g = fx::jit([](fx::Array a, fx::Array b) { return Arrays{fx::sin(a) * b + a * a, fx::sum(b * b)}; },
                         {.name = "g"});
  c["jit"] = {[g](const Arrays& a) {
                 const Arrays r = g(a[0], a[1]);
                 return r[0] * r[1];
               },
               [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {3})}; }};
  const auto outer = fx::jit([g](fx::Array a, fx::Array b) { return fx::exp(g(b, a)[0]) + a; },
                             {.name = "outer"});
  // cond: a predicate of the always-mapped first argument (a batched index:
  // every branch runs, select_n picks), and one of the second, mapped or
  // not; a switch_ whose index is out of range for some examples.
  const auto f = [](fx::Array u, fx::Array v) { return fx::sin(u) * v; };
  const auto h = [](fx::Array u, fx::Array v) { return u * u + fx::sum(v); };
  const auto select_n_if_mapped = [](const std::vector<std::optional<int>>& axes) {
    return std::string(axes[1] ? "select_n" : "cond");
  };
  c["cond"] = {[f, h](const Arrays& a) { return fx::cond(fx::sum(a[0]) > 0.0, f, h, a[0], a[1]); },
               [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {2, 3})}; },
               [](const std::vector<std::optional<int>>&) { return std::string("select_n"); }};
  c["cond/unbatched_predicate"] = {[f, h](const Arrays& a) { return fx::cond(a[1] > 0.0, f, h, a[0], a[0]); },
                                   [](uint64_t s) { return Arrays{uniform(s, {4}), uniform(s + 7, {})}; },
                                   select_n_if_mapped};
  c["cond/switch"] = {[](const Arrays& a) {
                        const fx::Array i = (a[1] * 3.0).astype(fx::int32);
                        return fx::switch_(i, std::tuple{[](fx::Array u) { return u; }, [](fx::Array u) { return fx::exp(u); },
                                                         [](fx::Array u) { return u * u; }},
                                           a[0]);
                      },
                      [](uint64_t s) { return Arrays{uniform(s, {3}), uniform(s + 7, {})}; }, select_n_if_mapped};
  // while: a predicate that differs between members (each member stops on
  // its own; the batch runs until all have), and one on an unmapped count.
  c["while"] = {[](const Arrays& a) {
                  return fx::while_loop([](fx::Array v) { return fx::sum(v * v) < 50.0; },
                                        [m = a[1]](fx::Array v) { return v * 1.5 + m; }, a[0]);
                },
                [](uint64_t s) { return Arrays{uniform(s, {3}, 0.5, 2.0), uniform(s + 7, {3}, 0.0, 1.0)}; }};
  c["while/unbatched_predicate"] = {
      [](const Arrays& a) {
        const Arrays r = fx::while_loop([](const Arrays& v) { return v[1] < 4.0; },
                                        [m = a[1]](const Arrays& v) { return Arrays{v[0] * m + v[1], v[1] + 1.0}; },
                                        Arrays{a[0], fx::Array(0.0)});
        return r[0];
      },
      [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {3})}; }};
  // scan: xs mapped (the batch axis behind the scanned one) or a mapped
  // constant making the carry batched.
  c["scan"] = {[](const Arrays& a) {
                 const auto [carry, ys] = fx::scan(
                     [w = a[1]](fx::Array c, fx::Array row) { return std::pair{fx::sin(c * w + row), c * row}; },
                     fx::zeros({3}), a[0]);
                 return ys * 2.0 + carry;
               },
               [](uint64_t s) { return Arrays{uniform(s, {4, 3}), uniform(s + 7, {3})}; }};
  // custom_jvp_call / custom_vjp_call: the function batched (its rules are
  // batched too; tests/custom checks them through vmap of grad).
  const auto cj = fx::custom_jvp([](fx::Array u, fx::Array v) { return fx::sin(u) * v; }, "cj")
                      .defjvp([](auto p, auto t) {
                        auto [u, v] = p;
                        auto [du, dv] = t;
                        return std::pair{fx::sin(u) * v, fx::cos(u) * du * v + fx::sin(u) * dv};
                      });
  c["custom_jvp_call"] = {[cj](const Arrays& a) { return cj(a[0], a[1]); },
                          [](uint64_t s) { return Arrays{uniform(s, {2, 3}), uniform(s + 7, {3})}; }};
  const auto cv = fx::custom_vjp([](fx::Array u, fx::Array v) { return fx::exp(u) + v; }, "cv")
                      .defvjp([](fx::Array u, fx::Array v) { return std::pair{fx::exp(u) + v, fx::exp(u)}; },
                              [](fx::Array e, fx::Array g) { return std::tuple{e * g, g}; });
  c["custom_vjp_call"] = {[cv](const Arrays& a) { return cv(a[0], a[1]); },
                          [](uint64_t s) { return Arrays{uniform(s, {3}), uniform(s + 7, {2, 3})}; }};
  c["scan/map"] = {[](const Arrays& a) { return fx::map([](fx::Array r) { return fx::sum(r * r); }, a[0]); },
                   [](uint64_t s) { return Arrays{uniform(s, {5, 2})}; }};
  c["jit/nested"] = {[outer](const Arrays& a) { return outer(a[0], a[1]); },
                      [](uint64_t s) { return Arrays{uniform(s, {3}, -1, 1), uniform(s + 7, {2, 3}, -1, 1)}; }};
  batch_rules::add_indexing_cases(c);
  batch_rules::add_special_cases(c);
  batch_rules::add_linalg_cases(c);
  return c;
}

// Names of the primitives f applies.
std::set<std::string> primitives_in(const std::function<Arrays(const Arrays&)>& f, const Arrays& args) {
  const fx::ClosedJaxpr j = fx::detail::make_jaxpr_core(f, args);
  std::set<std::string> names;
  for (const fx::JaxprEqn& e : j.jaxpr.eqns) names.insert(std::string(e.primitive->name));
  return names;
}

fx::Array f64(const fx::Array& x) { return x.astype(fx::float64); }

// vmap(f) against the stacked per-example results for one random choice of axes.
void check_vmap(const std::string& name, const Case& c, uint64_t seed, std::mt19937& rng) {
  constexpr int64_t kBatch = 3;
  std::vector<Arrays> examples;
  for (int64_t b = 0; b < kBatch; ++b) examples.push_back(c.make(seed + 1000 * static_cast<uint64_t>(b)));
  const size_t nargs = examples[0].size();

  std::vector<fx::MapAxes::Entry> in_axes;
  std::vector<std::optional<int>> axes;  // for the trace
  Arrays batched;
  for (size_t i = 0; i < nargs; ++i) {
    const int rank = static_cast<int>(examples[0][i].ndim());
    const bool mapped = i == 0 || std::uniform_int_distribution<int>(0, 3)(rng) != 0;
    if (!mapped) {
      for (Arrays& ex : examples) ex[i] = examples[0][i];
      in_axes.emplace_back(fx::none);
      axes.push_back(std::nullopt);
      batched.push_back(examples[0][i]);
      continue;
    }
    const int axis = std::uniform_int_distribution<int>(-(rank + 1), rank)(rng);
    in_axes.emplace_back(axis);
    axes.push_back(axis);
    Arrays column;
    for (const Arrays& ex : examples) column.push_back(ex[i]);
    batched.push_back(fx::stack(column, axis < 0 ? axis + rank + 1 : axis));
  }
  Arrays results;
  for (const Arrays& ex : examples) results.push_back(c.f(ex));
  const int out_rank = static_cast<int>(results[0].ndim());
  const int out_axis = std::uniform_int_distribution<int>(-(out_rank + 1), out_rank)(rng);
  const fx::Array expected = fx::stack(results, out_axis < 0 ? out_axis + out_rank + 1 : out_axis);

  std::string trace = name + " in_axes (";
  for (const auto& a : axes) trace += (a ? std::to_string(*a) : "none") + ",";
  trace += ") out_axes " + std::to_string(out_axis);
  SCOPED_TRACE(trace);
  const auto f = [&](const Arrays& a) { return Arrays{c.f(a)}; };
  const fx::MapAxes in(in_axes);
  fx::Array got;
  ASSERT_NO_THROW(got = fx::detail::vmap_core(f, batched, in, out_axis, std::nullopt)[0]);
  ASSERT_EQ(got.shape(), expected.shape());
  ASSERT_EQ(got.dtype(), expected.dtype());
  const std::vector<double> g = f64(got).to_vector<double>(), e = f64(expected).to_vector<double>();
  for (size_t k = 0; k < g.size(); ++k)
    ASSERT_NEAR(g[k], e[k], 1e-12 * (1 + std::abs(e[k]))) << "element " << k;

  // The batched program applies the primitive too (iota stays an unbatched constant).
  const auto vmapped = [&](const Arrays& a) { return fx::detail::vmap_core(f, a, in, out_axis, std::nullopt); };
  const std::string prim_name = c.batched_as ? c.batched_as(axes) : name.substr(0, name.find('/'));
  EXPECT_TRUE(primitives_in(vmapped, batched).count(prim_name)) << "the batched program lost " << prim_name;
}

TEST(BatchRules, EveryPrimitiveMatchesPerExampleResults) {
  const std::map<std::string, Case> all = cases();
  std::mt19937 rng(20261123);
  uint64_t seed = 1;
  for (const auto& [name, c] : all) {
    const std::string prim_name = name.substr(0, name.find('/'));
    const Arrays args = c.make(0);
    EXPECT_TRUE(primitives_in([&](const Arrays& a) { return Arrays{c.f(a)}; }, args).count(prim_name))
        << "the case '" << name << "' does not apply " << prim_name;
    for (int trial = 0; trial < 6; ++trial) check_vmap(name, c, seed += 17, rng);
  }
}

TEST(BatchRules, EveryRegisteredPrimitiveHasACase) {
  const std::map<std::string, Case> all = cases();
  for (const fx::Primitive* p : fx::all_primitives()) {
    const std::string name(p->name);
    const bool covered = std::any_of(all.begin(), all.end(), [&](const auto& kv) {
      return kv.first == name || kv.first.rfind(name + "/", 0) == 0;
    });
    // custom_lin is never evaluated (a custom_vjp function's tangent, which
    // only reverse mode transposes); tests/custom runs its batching rule in
    // vmap(jvp(f)), which raises JAX's forward-mode error as it should.
    if (name == "custom_lin") continue;
    EXPECT_TRUE(covered) << "primitive '" << name << "' has no vmap case in " << __FILE__;
  }
}

}  // namespace
