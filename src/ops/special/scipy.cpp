// fx::scipy: jax.scipy.special's erf, erfc, erfinv, gammaln, digamma, xlogy,
// xlog1py (logsumexp is fx::nn's), and jax.scipy.stats.norm, each written
// as jax/_src/scipy/special.py and stats/norm.py write it (the same
// formulas, so the same values and derivatives up to rounding): ndtr from
// erf near 0 and erfc in the tails, log_ndtr with its asymptotic series and
// custom derivative, ndtri with Cephes' rational approximations.
#include "fluxion/scipy.hpp"

#include <cmath>
#include <numbers>
#include <utility>
#include <vector>

#include "fluxion/custom_derivatives.hpp"
#include "fluxion/lax/special.hpp"
#include "ops/internal.hpp"
#include "primitives/special/family.hpp"

namespace fluxion::scipy {
namespace {

Array inexact(const Array& x) { return detail::promote_dtypes_inexact({x})[0]; }

std::vector<Array> inexact(const Array& a, const Array& b) { return detail::promote_dtypes_inexact({a, b}); }

const auto xlogy_fn = custom_jvp(
                          [](const Array& x, const Array& y) {
                            // NaN in y propagates even where x == 0, as scipy's.
                            return where((x != 0.0) | (y != y), x * log(y), zeros_like(x));
                          },
                          "xlogy")
                          .defjvp([](auto primals, auto tangents) {
                            auto [x, y] = primals;
                            auto [tx, ty] = tangents;
                            const Array out = where((x != 0.0) | (y != y), x * log(y), zeros_like(x));
                            return std::pair{out, astype(tx * log(y) + ty * x / y, out.dtype())};
                          });

const auto xlog1py_fn = custom_jvp(
                            [](const Array& x, const Array& y) {
                              return where((x != 0.0) | (y != y), x * log1p(y), zeros_like(x));
                            },
                            "xlog1py")
                            .defjvp([](auto primals, auto tangents) {
                              auto [x, y] = primals;
                              auto [tx, ty] = tangents;
                              const Array out = where((x != 0.0) | (y != y), x * log1p(y), zeros_like(x));
                              return std::pair{out, astype(tx * log1p(y) + ty * x / (1.0 + y), out.dtype())};
                            });

// jax.lax.special.ndtr: 0.5 (1 + erf(x / sqrt 2)) near 0, erfc in the tails.
Array ndtr(const Array& x) {
  const double half_sqrt_2 = x.dtype() == DType::float32 ? static_cast<double>(0.5f * std::sqrt(2.0f))
                                                         : 0.5 * std::sqrt(2.0);
  const Array w = x * half_sqrt_2;
  const Array z = abs(w);
  const Array y = where(z < half_sqrt_2, 1.0 + lax::erf(w), where(w > 0.0, 2.0 - lax::erfc(z), lax::erfc(z)));
  return 0.5 * y;
}

// -x^2/2 - log(sqrt(2 pi)).
Array norm_logpdf_standard(const Array& x) { return -0.5 * square(x) - std::log(std::sqrt(2.0 * std::numbers::pi)); }

// log_ndtr's asymptotic series for x << -1, series_order 3 (JAX's default).
Array log_ndtr_lower(const Array& x) {
  const Array x_2 = square(x);
  const Array log_scale = -0.5 * x_2 - log(-x) - 0.5 * std::log(2.0 * std::numbers::pi);
  Array even_sum = zeros_like(x), odd_sum = zeros_like(x), x_2n = x_2;
  const double double_factorial[] = {1.0, 3.0, 15.0};  // (2n-1)!!, n = 1..3
  for (int n = 1; n <= 3; ++n) {
    const Array y = double_factorial[n - 1] / x_2n;
    if (n % 2) odd_sum = odd_sum + y;
    else even_sum = even_sum + y;
    x_2n = x_2n * x_2;
  }
  return log_scale + log(1.0 + even_sum - odd_sum);
}

Array log_ndtr_impl(const Array& x) {
  const bool f32 = x.dtype() == DType::float32;
  const double lower = f32 ? -10.0 : -20.0, upper = f32 ? 5.0 : 8.0;
  const Array above = x > upper;
  const Array ndtr_res = ndtr(where(above, -x, maximum(x, lower)));
  return where(above, -ndtr_res, where(x > lower, log(ndtr_res), log_ndtr_lower(minimum(x, lower))));
}

const auto log_ndtr_fn = custom_jvp(log_ndtr_impl, "log_ndtr").defjvp([](auto primals, auto tangents) {
  auto [x] = primals;
  auto [t] = tangents;
  const Array ans = log_ndtr_impl(x);
  return std::pair{ans, t * exp(norm_logpdf_standard(x) - ans)};
});

// jnp.polyval: Horner's rule from 0, as JAX's scan.
Array polyval(const std::vector<double>& c, const Array& x) {
  Array y = zeros_like(x);
  for (double v : c) y = y * x + v;
  return y;
}

// jax.scipy.special.ndtri (Cephes): x with ndtr(x) = p.
Array ndtri(const Array& p) {
  static const std::vector<double> p0 = {-5.99633501014107895267E1, 9.80010754185999661536E1, -5.66762857469070293439E1,
                                         1.39312609387279679503E1, -1.23916583867381258016E0};
  static const std::vector<double> q0 = {1.0, 1.95448858338141759834E0, 4.67627912898881538453E0,
                                         8.63602421390890590575E1, -2.25462687854119370527E2, 2.00260212380060660359E2,
                                         -8.20372256168333339912E1, 1.59056225126211695515E1, -1.18331621121330003142E0};
  static const std::vector<double> p1 = {4.05544892305962419923E0, 3.15251094599893866154E1, 5.71628192246421288162E1,
                                         4.40805073893200834700E1, 1.46849561928858024014E1, 2.18663306850790267539E0,
                                         -1.40256079171354495875E-1, -3.50424626827848203418E-2, -8.57456785154685413611E-4};
  static const std::vector<double> q1 = {1.0, 1.57799883256466749731E1, 4.53907635128879210584E1,
                                         4.13172038254672030440E1, 1.50425385692907503408E1, 2.50464946208309415979E0,
                                         -1.42182922854787788574E-1, -3.80806407691578277194E-2, -9.33259480895457427372E-4};
  static const std::vector<double> p2 = {3.23774891776946035970E0, 6.91522889068984211695E0, 3.93881025292474443415E0,
                                         1.33303460815807542389E0, 2.01485389549179081538E-1, 1.23716634817820021358E-2,
                                         3.01581553508235416007E-4, 2.65806974686737550832E-6, 6.23974539184983293730E-9};
  static const std::vector<double> q2 = {1.0, 6.02427039364742014255E0, 3.67983563856160859403E0,
                                         1.37702099489081330271E0, 2.16236993594496635890E-1, 1.34204006088543189037E-2,
                                         3.28014464682127739104E-4, 2.89247864745380683936E-6, 6.79019408009981274425E-9};
  const double exp_m2 = std::exp(-2.0);
  const Array complement = where(p > -std::expm1(-2.0), 1.0 - p, p);
  // p == 0 would give NaNs below in the branch not taken; 0.5 is harmless.
  const Array safe = where(complement == 0.0, full_like(p, 0.5), complement);
  const Array w = safe - 0.5;
  const Array ww = square(w);
  const Array x_big = (w + w * ww * (polyval(p0, ww) / polyval(q0, ww))) * -std::sqrt(2.0 * std::numbers::pi);
  const Array z = sqrt(-2.0 * log(safe));
  const Array first = z - log(z) / z;
  const Array inv_z = 1.0 / z;
  const Array x_small = first - polyval(p2, inv_z) / polyval(q2, inv_z) / z;
  const Array x_other = first - polyval(p1, inv_z) / polyval(q1, inv_z) / z;
  Array x = where(safe > exp_m2, x_big, where(z >= 8.0, x_small, x_other));
  x = where(p > 1.0 - exp_m2, x, -x);
  return where(p == 0.0, full_like(p, -inf), where(p == 1.0, full_like(p, inf), x));
}

std::vector<Array> promote3(const Array& x, const Array& loc, const Array& scale) {
  return detail::promote_dtypes_inexact({x, loc, scale});
}

}  // namespace

namespace special {

Array erf(const Array& x) { return lax::erf(inexact(x)); }
Array erfc(const Array& x) { return lax::erfc(inexact(x)); }
Array erfinv(const Array& x) { return bind1(prim::erf_inv_p, {inexact(x)}); }
Array gammaln(const Array& x) { return lax::lgamma(inexact(x)); }
Array digamma(const Array& x) { return lax::digamma(inexact(x)); }

Array logsumexp(const Array& a, const Axes& axes, bool keepdims) { return nn::logsumexp(a, axes, keepdims); }
Array logsumexp(const Array& a, const Axes& axes, const std::optional<Array>& b, bool keepdims) {
  return nn::logsumexp(a, axes, b, keepdims);
}
std::pair<Array, Array> logsumexp(const Array& a, const Axes& axes, const std::optional<Array>& b, bool keepdims,
                                  nn::ReturnSign tag) {
  return nn::logsumexp(a, axes, b, keepdims, tag);
}

Array xlogy(const Array& x, const Array& y) {
  const std::vector<Array> xs = inexact(x, y);
  return xlogy_fn(xs[0], xs[1]);
}
Array xlog1py(const Array& x, const Array& y) {
  const std::vector<Array> xs = inexact(x, y);
  return xlog1py_fn(xs[0], xs[1]);
}

}  // namespace special

namespace stats::norm {

Array logpdf(const Array& x_in, const Array& loc_in, const Array& scale_in) {
  const std::vector<Array> v = promote3(x_in, loc_in, scale_in);
  const Array scale_sqrd = square(v[2]);
  const Array log_normalizer = log((2.0 * std::numbers::pi) * scale_sqrd);
  const Array quadratic = square(v[0] - v[1]) / scale_sqrd;
  return (log_normalizer + quadratic) / -2.0;
}

Array pdf(const Array& x, const Array& loc, const Array& scale) { return exp(logpdf(x, loc, scale)); }

Array cdf(const Array& x_in, const Array& loc_in, const Array& scale_in) {
  const std::vector<Array> v = promote3(x_in, loc_in, scale_in);
  return ndtr((v[0] - v[1]) / v[2]);
}

Array logcdf(const Array& x_in, const Array& loc_in, const Array& scale_in) {
  const std::vector<Array> v = promote3(x_in, loc_in, scale_in);
  return log_ndtr_fn((v[0] - v[1]) / v[2]);
}

Array ppf(const Array& q_in, const Array& loc_in, const Array& scale_in) {
  const std::vector<Array> v = promote3(q_in, loc_in, scale_in);
  return ndtri(v[0]) * v[2] + v[1];
}

}  // namespace stats::norm

}  // namespace fluxion::scipy
