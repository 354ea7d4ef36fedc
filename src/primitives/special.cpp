// Special functions: erf_inv, the inverse error function (jax.lax.erf_inv),
// which turns uniform draws into normal ones. Elementwise over float32 and
// float64; the kernel reproduces JAX's CPU values bit for bit
// (kernels/erf_inv.hpp).
#include <cmath>

#include "kernels/erf_inv.hpp"
#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> erf_inv_aval(const Primitive& p, AvalRefs in, const Params&) {
  if (!(kFloats & bit(in[0]->dtype)))
    throw_dtype_error(p.name, in[0]->dtype, kFloats, "convert integers to a floating dtype first");
  return single(*in[0]);
}

std::vector<Array> erf_inv_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                                const Params&) {
  auto result = output(out[0]);
  if (out[0].dtype == DType::float64)
    kernels::erf_inv(detail::data_as<double>(in[0]), out_data<double>(result), out[0].size());
  else
    kernels::erf_inv(detail::data_as<float>(in[0]), out_data<float>(result), out[0].size());
  return single(Array(std::move(result)));
}

// d/dx erf_inv(x) = sqrt(pi)/2 * exp(erf_inv(x)^2), from the answer, in JAX's
// form: mul(sqrt(pi)/2, mul(g, exp(square(ans)))).
JvpResult erf_inv_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                      const Params&) {
  using namespace lax;
  Array ans = bind1(p, {primals[0]});
  if (!tangents[0].valid()) return {{ans}, {Array()}};
  const Array e = bind1(prim::exp_p, {bind1(prim::square_p, {ans})});
  Array t = mul(constant_like(ans, std::sqrt(3.141592653589793) / 2.0), mul(tangents[0], e));
  return {{std::move(ans)}, {std::move(t)}};
}

// v' = e u' with e = sqrt(pi)/2 exp(v²), as JAX's rule: e' = e s' for s =
// v², so ṽ_k (from e up to k-1), then s̃_k (a square, by symmetry), then
// ẽ_k = (1/k) Σ_(j<=k) j s̃_j ẽ_(k-j), coefficient by coefficient.
TaylorResult erf_inv_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                         const Params&) {
  using namespace lax;
  const size_t order = order_of(series);
  const Array ans = bind1(p, {primals[0]});
  const Series ju = index_weighted_terms(series[0], order);
  Series v(order + 1), js(order), e(order), out;
  v[0] = ans;
  e[0] = scale(bind1(prim::exp_p, {mul(ans, ans)}), std::sqrt(3.141592653589793) / 2.0);
  for (size_t k = 1; k <= order; ++k) {
    const Array jv = convolve(ju, e, k, 1, k);
    out.push_back(term_from_weighted(jv, k));
    if (k == order) break;
    v[k] = scale(jv, 1.0 / static_cast<double>(k));
    js[k] = scale(square_convolve(v, k, 0), static_cast<double>(k));
    e[k] = integrate_product(js, e, k);
  }
  return {{ans}, {std::move(out)}};
}

}  // namespace

const Primitive erf_inv_p{.name = "erf_inv", .abstract_eval = erf_inv_aval, .impl = erf_inv_impl,
                          .jvp = erf_inv_jvp, .batch = elementwise_batch, .jet = erf_inv_jet,
                          .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
