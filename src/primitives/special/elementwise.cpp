// erf, erfc, lgamma, digamma, polygamma(m, x) and nextafter(x1, x2): float32
// and float64 only, as jax.lax's (a TypeError names the jnp / fx::scipy
// function that promotes integers). erf, erfc and lgamma are the C library's
// (glibc, within an ulp or two of the true value; XLA has its own
// approximations, docs/NUMERICS.md); digamma and polygamma are ours
// (gamma_functions.cpp), computed in double and rounded once for float32.
//
// Derivatives as jax/_src/lax/special.py and lax.py define them: erf' =
// 2/sqrt(pi) e^(-x^2), erfc' = -erf', lgamma' = digamma, digamma' =
// polygamma(1, .), d/dx polygamma(m, x) = polygamma(m + 1, x) (in m: an
// error, as JAX's "not supported"). JAX defines no derivative for nextafter
// (differentiating it raises); here its derivative is the one it has almost
// everywhere, 1 in x1 (the result is x1 moved by one ulp) and 0 in x2.
//
// jit calls the eager kernels (lower_via_eager): the generated code then
// computes with the very same functions.
#include <cmath>
#include <numbers>

#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/special/family.hpp"
#include "primitives/special/gamma_functions.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

enum class Fn { erf, erfc, lgamma, digamma, polygamma, nextafter };

std::string_view promoting_function(Fn f) {
  switch (f) {
    case Fn::erf: return "fx::scipy::special::erf";
    case Fn::erfc: return "fx::scipy::special::erfc";
    case Fn::lgamma: return "fx::scipy::special::gammaln";
    case Fn::digamma: return "fx::scipy::special::digamma";
    case Fn::polygamma: return "fx::lax::polygamma";
    case Fn::nextafter: return "fx::nextafter";
  }
  return "";
}

std::vector<AbstractValue> float_aval(const Primitive& p, AvalRefs in, const Params&) {
  for (const AbstractValue* a : in)
    if (!(kFloats & bit(a->dtype)))
      throw_dtype_error(p.name, a->dtype, kFloats,
                        "convert integers to a floating dtype first (" +
                            std::string(promoting_function(static_cast<Fn>(p.tag))) + " promotes them itself)");
  return single(elementwise_aval(p.name, in, kFloats));
}

template <class T> T unary_value(Fn f, T x) {
  switch (f) {
    case Fn::erf: return std::erf(x);
    case Fn::erfc: return std::erfc(x);
    case Fn::lgamma: return std::lgamma(x);
    case Fn::digamma: return static_cast<T>(special::digamma(static_cast<double>(x)));
    default: return x;
  }
}

template <class T> T binary_value(Fn f, T a, T b) {
  if (f == Fn::nextafter) return std::nextafter(a, b);
  return static_cast<T>(special::polygamma(static_cast<double>(a), static_cast<double>(b)));
}

std::vector<Array> special_impl(const Primitive& p, std::span<const Array> operands, std::span<const AbstractValue> out,
                                const Params&) {
  const Fn f = static_cast<Fn>(p.tag);
  const std::vector<Array> in = expand_operands(operands, out[0].shape);
  auto result = output(out[0]);
  const int64_t n = out[0].size();
  visit_dtype(out[0].dtype, [&]<class T>() {
    if constexpr (std::is_floating_point_v<T>) {
      T* o = out_data<T>(result);
      const T* x = detail::data_as<T>(in[0]);
      if (in.size() == 1) {
        map_unary(x, o, n, [f](T v) { return unary_value(f, v); });
      } else {
        map_binary(x, in[0].size(), detail::data_as<T>(in[1]), in[1].size(), o, n,
                   [f](T a, T b) { return binary_value(f, a, b); });
      }
    }
  });
  return single(Array(std::move(result)));
}

// g * 2/sqrt(pi) * exp(-x^2), signed; JAX's mul(_const(x, c), mul(g, exp(neg(square(x))))).
Array erf_derivative_times(const Array& g, const Array& x, double sign) {
  using namespace lax;
  const Array e = bind1(prim::exp_p, {neg(bind1(prim::square_p, {x}))});
  return mul(constant_like(x, sign * 2.0 / std::sqrt(std::numbers::pi)), mul(g, e));
}

JvpResult special_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                      const Params&) {
  using namespace lax;
  const Fn f = static_cast<Fn>(p.tag);
  Array ans = fluxion::bind1(p, primals);
  if (f == Fn::nextafter) return {{ans}, {tangents[0].valid() ? lax::broadcast_to(tangents[0], ans.shape()) : Array()}};
  if (f == Fn::polygamma) {
    if (tangents[0].valid())
      throw ValueError("polygamma: the derivative with respect to m (the order) is not supported (as in JAX); "
                       "differentiate with respect to x only");
    if (!tangents[1].valid()) return {{ans}, {Array()}};
    const Array& m = primals[0];
    const Array next = bind1(polygamma_p, {lax::add(m, constant_like(m, 1.0)), primals[1]});
    return {{ans}, {mul(lax::broadcast_to(tangents[1], ans.shape()), next)}};
  }
  const Array& x = primals[0];
  const Array& g = tangents[0];
  if (!g.valid()) return {{ans}, {Array()}};
  switch (f) {
    case Fn::erf: return {{ans}, {erf_derivative_times(g, x, 1.0)}};
    case Fn::erfc: return {{ans}, {erf_derivative_times(g, x, -1.0)}};
    case Fn::lgamma: return {{ans}, {mul(g, bind1(digamma_p, {x}))}};
    case Fn::digamma: return {{ans}, {mul(g, bind1(polygamma_p, {constant_like(x, 1.0), x}))}};
    default: return {{ans}, {Array()}};
  }
}

// Taylor rules. erf and erfc: v' = w u' with w = ±2/sqrt(pi) exp(-u²),
// whose own derivative is w' = -2 u w u' = -2 u v': two interleaved
// recurrences, jv_k = Σ_(j<=k) ju_j w̃_(k-j) and w̃_k = -(2/k) Σ_(j<=k)
// jv_j ũ_(k-j). lgamma, digamma and polygamma have no such ODE: their
// derivatives at the primal are polygammas, composed with the input series
// (Faà di Bruno). nextafter moves as its first operand.
TaylorResult special_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                         const Params&) {
  using namespace lax;
  const Fn f = static_cast<Fn>(p.tag);
  const Array ans = fluxion::bind1(p, primals);
  const size_t order = order_of(series);
  if (f == Fn::nextafter)
    return {{ans}, {broadcast_terms(series[0], ans.shape())}};
  if (f == Fn::polygamma && !series[0].empty())
    throw ValueError("polygamma: the derivative with respect to m (the order) is not supported (as in JAX); "
                     "differentiate with respect to x only");
  const Array& x = f == Fn::polygamma ? primals[1] : primals[0];
  const Series& sx = f == Fn::polygamma ? series[1] : series[0];
  if (sx.empty()) return {{ans}, {Series{}}};
  const Series u = coefficients(x, sx, order);
  if (f == Fn::erf || f == Fn::erfc) {
    const Series ju = index_weighted(u);
    const double c = (f == Fn::erf ? 2.0 : -2.0) / std::sqrt(std::numbers::pi);
    Series w(order), jv(order + 1), out;
    w[0] = scale(bind1(prim::exp_p, {neg(mul(x, x))}), c);
    for (size_t k = 1; k <= order; ++k) {
      jv[k] = convolve(ju, w, k, 1, k);
      out.push_back(term_from_weighted(jv[k], k));
      if (k < order) w[k] = scale(convolve(jv, u, k, 1, k), -2.0 / static_cast<double>(k));
    }
    return {{ans}, {std::move(out)}};
  }
  // f^(m)(x0) = polygamma(n + m - 1, x0), with n = 0 for lgamma (m = 1 is
  // digamma), 1 for digamma, and the primitive's m for polygamma.
  Series derivs;
  for (size_t m = 1; m <= order; ++m) {
    const double n = static_cast<double>(f == Fn::lgamma ? m - 1 : m);
    if (f == Fn::polygamma) derivs.push_back(bind1(polygamma_p, {lax::add(primals[0], constant_like(primals[0], n)), x}));
    else derivs.push_back(bind1(polygamma_p, {constant_like(x, n), x}));
  }
  return {{ans}, {broadcast_terms(derivative_terms(compose_univariate(derivs, u)), ans.shape())}};
}

constexpr Primitive special_function(std::string_view name, Fn f) {
  return Primitive{.name = name, .tag = static_cast<int>(f), .abstract_eval = float_aval, .impl = special_impl,
                   .jvp = special_jvp, .batch = elementwise_batch, .jet = special_jet,
                   .lower = compiler::lower_via_eager};
}

}  // namespace

const Primitive erf_p = special_function("erf", Fn::erf);
const Primitive erfc_p = special_function("erfc", Fn::erfc);
const Primitive lgamma_p = special_function("lgamma", Fn::lgamma);
const Primitive digamma_p = special_function("digamma", Fn::digamma);
const Primitive polygamma_p = special_function("polygamma", Fn::polygamma);
const Primitive nextafter_p = special_function("nextafter", Fn::nextafter);

}  // namespace fluxion::prim
