// The cases of the primitives outside the indexing, special and linalg
// families (rules_registry_cases.hpp), and those families' through their hooks.
#include <functional>
#include <map>
#include <string>

#include "autodiff_util.hpp"
#include "rules_registry_cases.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"

namespace rules_registry {
namespace {

namespace prim = fx::prim;
using autodiff_test::signed_uniform;
using autodiff_test::uniform;

fx::Array f64(const fx::Array& x) { return x.astype(fx::float64); }
fx::Array unary(const fx::Primitive& p, const fx::Array& x) { return fx::bind1(p, {x}); }
fx::Array binary(const fx::Primitive& p, const fx::Array& x, const fx::Array& y) { return fx::bind1(p, {x, y}); }

}  // namespace

Cases all_cases() {
  const fx::Array x = uniform(800, {2, 3}), y = uniform(801, {2, 3});
  const fx::Array pos = uniform(802, {2, 3}, 0.3, 2.5), unit = uniform(803, {2, 3}, -0.9, 0.9);
  const fx::Array nonzero = signed_uniform(804, {2, 3});
  const fx::Array frac = uniform(805, {2, 3}, 0.1, 0.4) + fx::array({{-2.0, 0.0, 1.0}, {3.0, -1.0, 0.0}});
  const fx::Array n = fx::array_of<int32_t>({5, -3, 6, 0, 12, 7}, {2, 3});
  const fx::Array m = fx::array_of<int32_t>({3, 6, 1, 2, 4, -7}, {2, 3});
  const auto math = [](const fx::Primitive& p, fx::Array domain) {
    return Case{[&p](const Arrays& a) { return unary(p, a[0]); }, {std::move(domain)}};
  };
  // Scales x by a piecewise-constant value g(args): d = g, if g's derivative is zero.
  const auto flat = [](std::function<fx::Array(const Arrays&)> g, Arrays args) {
    return Case{[g](const Arrays& a) { return a[0] * g(a); }, std::move(args)};
  };
  const auto dims = [](std::vector<int64_t> v) { return fx::ParamValue(std::move(v)); };
  std::map<std::string, Case> c;
  c["sin"] = math(prim::sin_p, x);
  c["cos"] = math(prim::cos_p, x);
  c["tan"] = math(prim::tan_p, unit);
  c["tanh"] = math(prim::tanh_p, x);
  c["sinh"] = math(prim::sinh_p, x);
  c["cosh"] = math(prim::cosh_p, x);
  c["asin"] = math(prim::asin_p, unit);
  c["acos"] = math(prim::acos_p, unit);
  c["atan"] = math(prim::atan_p, x);
  c["exp"] = math(prim::exp_p, x);
  c["expm1"] = math(prim::expm1_p, x);
  c["log"] = math(prim::log_p, pos);
  c["log1p"] = math(prim::log1p_p, pos);
  c["sqrt"] = math(prim::sqrt_p, pos);
  c["neg"] = math(prim::neg_p, x);
  c["abs"] = math(prim::abs_p, nonzero);
  c["square"] = math(prim::square_p, x);
  c["integer_pow"] = {[](const Arrays& a) { return fx::pow(a[0], 3) + fx::pow(a[0], -2); }, {nonzero}};
  c["add_any"] = {[](const Arrays& a) { return binary(prim::add_any_p, a[0] * a[1], fx::sin(a[0])); }, {x, y}};
  c["add"] = {[](const Arrays& a) { return binary(prim::add_p, a[0] * a[0], a[1]); }, {x, y}};
  c["sub"] = {[](const Arrays& a) { return binary(prim::sub_p, a[0] * a[0], a[1]); }, {x, y}};
  c["mul"] = {[](const Arrays& a) { return binary(prim::mul_p, a[0], a[1]); }, {x, y}};
  c["div"] = {[](const Arrays& a) { return binary(prim::div_p, a[0], a[1]); }, {x, nonzero}};
  // C's fmod: d/dy = -trunc(x / y); x / y kept off the integers.
  c["rem"] = {[](const Arrays& a) { return binary(prim::rem_p, a[0], a[1]); }, {frac * 1.7, fx::full({2, 3}, 1.7)}};
  c["max"] = {[](const Arrays& a) { return binary(prim::max_p, a[0] * a[0], a[1]); }, {x, y}};
  c["min"] = {[](const Arrays& a) { return binary(prim::min_p, a[0] * a[0], a[1]); }, {x, y}};
  c["pow"] = {[](const Arrays& a) { return binary(prim::pow_p, a[0], a[1]); }, {pos, y}};
  c["atan2"] = {[](const Arrays& a) { return binary(prim::atan2_p, a[0], a[1]); }, {x, pos}};
  c["reduce_sum"] = {[](const Arrays& a) { return fx::sum(a[0] * a[0], {1}); }, {x}};
  c["reduce_prod"] = {[](const Arrays& a) { return fx::prod(a[0], {0}); }, {x}};
  c["reduce_max"] = {[](const Arrays& a) { return fx::max(a[0] * a[0], {1}); }, {x}};
  c["reduce_min"] = {[](const Arrays& a) { return fx::min(a[0] * a[0], {0}); }, {x}};
  c["broadcast_in_dim"] = {[&](const Arrays& a) {
                             return fx::bind1(prim::broadcast_in_dim_p, {a[0] * a[0]},
                                              {{"shape", dims({2, 4, 3})}, {"broadcast_dimensions", dims({0, 2})}});
                           },
                           {x}};
  c["reshape"] = {[](const Arrays& a) { return fx::reshape(a[0] * a[0], {3, 2}); }, {x}};
  c["transpose"] = {[](const Arrays& a) { return fx::transpose(a[0] * a[0]); }, {x}};
  c["squeeze"] = {[](const Arrays& a) { return fx::squeeze(a[0] * a[0], {1}); }, {uniform(806, {3, 1})}};
  c["concatenate"] = {[](const Arrays& a) { return fx::concatenate({a[0] * a[1], a[1]}, 1); }, {x, y}};
  // A unit-stride slice plus a strided one (every other row and column,
  // whose reverse mode spreads the cotangents back between zeros).
  c["slice"] = {[&](const Arrays& a) {
                  const fx::Array sq = a[0] * a[0];
                  return fx::bind1(prim::slice_p, {sq},
                                   {{"start_indices", dims({1, 2})}, {"limit_indices", dims({3, 6})}, {"strides", fx::NoneParam{}}}) +
                         fx::bind1(prim::slice_p, {sq},
                                   {{"start_indices", dims({0, 0})}, {"limit_indices", dims({4, 7})}, {"strides", dims({2, 2})}});
                },
                {uniform(807, {5, 7})}};
  c["dot_general"] = {[](const Arrays& a) { return fx::matmul(a[0] * a[0], a[1].T()); }, {x, y}};
  // clamp: the operand inside and outside the bounds (away from the kinks),
  // and the bounds' own tangents where they bind.
  c["clamp"] = {[](const Arrays& a) {
                  const fx::Array lo = fx::sum(a[1]) * 0.1 - 5.0, hi = fx::sum(a[1]) * 0.1 + 5.0;
                  return fx::bind1(prim::clamp_p, {lo, a[0] * 3.0, hi}) +
                         fx::bind1(prim::clamp_p, {a[1] * 0.1 - 10.0, a[0] * 0.5, a[1] * 0.1 + 10.0});
                },
                {x, y}};
  c["select_n"] = {[](const Arrays& a) { return fx::where(a[0] > 0.0, a[0] * a[1], fx::exp(a[1])); }, {nonzero, y}};
  c["convert_element_type"] = {[](const Arrays& a) { return f64((a[0] * a[0]).astype(fx::float32)); },
                               {uniform(807, {3}, 0.5, 1.0, fx::float32)}};
  // Piecewise constant: zero derivative away from the jumps.
  c["sign"] = flat([](const Arrays& a) { return fx::sign(a[0]); }, {nonzero});
  c["floor"] = flat([](const Arrays& a) { return unary(prim::floor_p, a[0]); }, {frac});
  c["ceil"] = flat([](const Arrays& a) { return unary(prim::ceil_p, a[0]); }, {frac});
  c["round"] = flat([](const Arrays& a) { return unary(prim::round_p, a[0]); }, {frac});
  c["eq"] = flat([](const Arrays& a) { return f64(a[0] == a[0] * 2.0); }, {nonzero});
  c["ne"] = flat([](const Arrays& a) { return f64(a[0] != a[1]); }, {x, y});
  c["lt"] = flat([](const Arrays& a) { return f64(a[0] < a[1]); }, {x, y});
  c["le"] = flat([](const Arrays& a) { return f64(a[0] <= a[1]); }, {x, y});
  c["gt"] = flat([](const Arrays& a) { return f64(a[0] > a[1]); }, {x, y});
  c["ge"] = flat([](const Arrays& a) { return f64(a[0] >= a[1]); }, {x, y});
  c["is_finite"] = flat([](const Arrays& a) { return f64(fx::isfinite(a[0] / a[0])); }, {nonzero});
  c["and"] = flat([](const Arrays& a) { return f64(a[1] & a[2]); }, {x, n, m});
  c["or"] = flat([](const Arrays& a) { return f64(a[1] | a[2]); }, {x, n, m});
  c["xor"] = flat([](const Arrays& a) { return f64(a[1] ^ a[2]); }, {x, n, m});
  c["not"] = flat([](const Arrays& a) { return f64(!a[1]); }, {x, n});
  c["reduce_and"] = flat([](const Arrays& a) { return f64(fx::all(a[0] > 0.0)); }, {nonzero});
  c["reduce_or"] = flat([](const Arrays& a) { return f64(fx::any(a[0] > 0.0)); }, {nonzero});
  c["iota"] = flat([](const Arrays&) {
                     return f64(fx::bind1(prim::iota_p, {}, {{"dtype", fx::int32}, {"shape", fx::ParamValue(std::vector<int64_t>{2, 3})}, {"dimension", int64_t{1}}}));
                   },
                   {x});
  // erf_inv inside (-1, 1); sort: keys x^2 (distinct), y carried along, and
  // x sorted by itself, so both the key and the carried tangent rules run.
  c["erf_inv"] = math(prim::erf_inv_p, unit);
  c["sort"] = {[](const Arrays& a) {
                 return fx::lax::sort({a[0] * a[0], a[1]}, 1)[1] + fx::lax::sort({a[0]}, 0)[0];
               },
               {x, y}};
  // Integer-valued PRNG and bit primitives: zero derivative (scaled to O(1)).
  const fx::Array u = fx::array_of<uint32_t>({5, 3, 6, 0, 12, 7}, {2, 3});
  const auto small = [](const fx::Array& v) { return f64(v) * 0x1p-32; };
  c["shift_left"] = flat([](const Arrays& a) { return f64(fx::lax::shift_left(a[1], a[2])); }, {x, n, m});
  c["shift_right_logical"] =
      flat([](const Arrays& a) { return f64(fx::lax::shift_right_logical(a[1], a[2])); }, {x, n, m});
  c["shift_right_arithmetic"] =
      flat([](const Arrays& a) { return f64(fx::lax::shift_right_arithmetic(a[1], a[2])); }, {x, n, m});
  c["bitcast_convert_type"] =
      flat([small](const Arrays& a) { return small(fx::lax::bitcast_convert_type(a[1], fx::uint32)); }, {x, n});
  c["threefry2x32"] = flat([small](const Arrays& a) { return small(fx::lax::threefry2x32(a[1], a[1], a[1], a[1])[1]); },
                           {x, u});
  c["iota_2x32_shape"] = flat([](const Arrays&) { return f64(fx::lax::iota_2x32_shape({2, 3})[1]); }, {x});
  // A call of a jitted function (created once: every call check_grads makes
  // shares its cache). Non-linear in both arguments, so its JVP splits into a
  // primal and a tangent program and reverse mode transposes the latter; the
  // second call has a constant operand (not linear in the transpose) and a
  // broadcast one.
  const auto g = fx::jit([](fx::Array a, fx::Array b) { return fx::sin(a) * b + a * a * fx::cos(b); },
                         {.name = "g"});
  const fx::Array row = uniform(808, {3});
  c["jit"] = {[g, row](const Arrays& a) { return g(a[0], a[1]) * a[0] + g(row, a[1]); }, {x, y}};
  // cond: a predicate true and one false (far from switching, so finite
  // differences stay on one branch), and a switch_ of three branches whose
  // index is clamped into range, one branch closing over an argument.
  c["cond"] = {[](const Arrays& a) {
                 const auto f = [](fx::Array u, fx::Array v) { return fx::sin(u) * v; };
                 const auto g = [](fx::Array u, fx::Array v) { return u * u * fx::exp(v); };
                 const fx::Array taken = fx::cond(fx::sum(a[0]) > -100.0, f, g, a[0], a[1]);
                 const fx::Array other = fx::cond(fx::sum(a[0]) > 100.0, f, g, a[0], a[1]);
                 const fx::Array w = a[1];
                 const fx::Array chosen = fx::switch_(
                     fx::Array(7), std::tuple{[](fx::Array u) { return u; }, [](fx::Array u) { return -u; },
                                             [w](fx::Array u) { return fx::cos(u) * w; }},
                     a[0]);
                 return taken + other + chosen;
               },
               {x, y}};
  // while: a data-dependent number of steps (the same near the check point)
  // of a non-linear body, with a constant of each program and a carried
  // counter; forward mode only.
  c["while"] = {[](const Arrays& a) {
                  const fx::Array limit = fx::sum(a[1]) * 0.0 + 3.0;
                  const std::vector<fx::Array> r = fx::while_loop(
                      [limit](const std::vector<fx::Array>& v) { return v[1] < limit; },
                      [y = a[1]](const std::vector<fx::Array>& v) {
                        return std::vector<fx::Array>{fx::sin(v[0]) * y + v[0], v[1] + 1.0};
                      },
                      std::vector<fx::Array>{a[0], fx::Array(0.0)});
                  return r[0];
                },
                {x, y},
                fx::fwd};
  // scan: a non-linear carry and ys over the rows of x, a constant (y's
  // first row), forwards and reversed; reverse mode stores each step's residuals.
  c["scan"] = {[](const Arrays& a) {
                 const fx::Array w = a[1][0];
                 const auto step = [w](fx::Array carry, fx::Array row) {
                   const fx::Array next = fx::sin(carry * w + row);
                   return std::pair{next, next * carry};
                 };
                 const auto [c1, ys1] = fx::scan(step, a[1][1], a[0]);
                 const auto [c2, ys2] = fx::scan(step, c1, a[0], true);
                 return fx::sum(ys1 + ys2) + fx::sum(c2);
               },
               {x, y}};
  // custom_jvp_call: the rule is the true derivative (so finite differences
  // agree), written in operations that are themselves differentiable.
  const auto cj = fx::custom_jvp([](fx::Array u, fx::Array v) { return fx::sin(u) * v; }, "cj")
                      .defjvp([](auto p, auto t) {
                        auto [u, v] = p;
                        auto [du, dv] = t;
                        return std::pair{fx::sin(u) * v, fx::cos(u) * du * v + fx::sin(u) * dv};
                      });
  c["custom_jvp_call"] = {[cj](const Arrays& a) { return cj(a[0], a[1]) * a[0]; }, {x, y}};
  // custom_vjp_call: reverse mode only, as JAX's; bwd's operations are
  // differentiated at second order.
  const auto cv = fx::custom_vjp([](fx::Array u, fx::Array v) { return fx::exp(u) * v; }, "cv")
                      .defvjp([](fx::Array u, fx::Array v) { return std::pair{fx::exp(u) * v, std::pair{fx::exp(u), v}}; },
                              [](std::pair<fx::Array, fx::Array> r, fx::Array g) {
                                return std::tuple{r.first * r.second * g, r.first * g};
                              });
  c["custom_vjp_call"] = {[cv](const Arrays& a) { return cv(a[0], a[1]) + a[0]; }, {x, y}, fx::rev};
  rules_registry::add_indexing_cases(c);
  rules_registry::add_special_cases(c);
  rules_registry::add_linalg_cases(c);
  return c;
}

}  // namespace rules_registry
