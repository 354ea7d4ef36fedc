#include "primitives/taylor.hpp"

#include <string>

#include "fluxion/errors.hpp"
#include "fluxion/jet.hpp"
#include "primitives/lax.hpp"

namespace fluxion::prim {

size_t order_of(std::span<const Series> series) {
  for (const Series& s : series)
    if (!s.empty()) return s.size();
  return 0;
}

Series instantiate_series(const Array& x, const Series& terms, size_t order) {
  if (!terms.empty()) return terms;
  return Series(order, lax::zeros(AbstractValue{x.shape(), x.dtype(), x.weak_type()}));
}

TaylorResult taylor_linear(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                           const Params& params) {
  const size_t order = order_of(series);
  TaylorResult r;
  r.primals_out = fluxion::bind(p, primals, params);
  r.series_out.resize(r.primals_out.size());
  // Operands that stay put: indices and predicates as they are, a floating
  // one as zeros (one array for every order).
  std::vector<Array> args(primals.begin(), primals.end());
  for (size_t i = 0; i < primals.size(); ++i)
    if (is_floating(primals[i].dtype()) && series[i].empty())
      args[i] = lax::zeros(AbstractValue{primals[i].shape(), primals[i].dtype(), false});
  for (size_t k = 0; k < order; ++k) {
    for (size_t i = 0; i < primals.size(); ++i)
      if (!series[i].empty()) args[i] = series[i][k];
    std::vector<Array> terms = fluxion::bind(p, args, params);
    for (size_t o = 0; o < terms.size(); ++o)
      if (is_floating(terms[o].dtype())) r.series_out[o].push_back(std::move(terms[o]));
  }
  return r;
}

TaylorResult taylor_constant(const Primitive& p, std::span<const Array> primals, std::span<const Series>,
                             const Params& params) {
  TaylorResult r;
  r.primals_out = fluxion::bind(p, primals, params);
  r.series_out.resize(r.primals_out.size());
  return r;
}

// y(t) = f(x(t)) gives y'(t) = J(x(t)) x'(t): the JVP rule, applied to the
// series of x and of x' (x's terms shifted down by one), yields y's terms
// 1..K as the primal and terms 0..K-2 of its tangent. Each level is a jet of
// one order less, so the recursion ends after K levels.
TaylorResult taylor_via_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                            const Params& params) {
  const size_t order = order_of(series);
  const size_t n = primals.size();
  std::vector<Array> jet_primals(primals.begin(), primals.end());
  std::vector<Series> jet_series(series.begin(), series.end());
  std::vector<bool> moving(n);
  for (size_t i = 0; i < n; ++i) {
    moving[i] = !series[i].empty();
    if (moving[i]) jet_series[i].pop_back();
  }
  for (size_t i = 0; i < n; ++i) {
    if (!moving[i]) continue;
    jet_primals.push_back(series[i][0]);
    jet_series.emplace_back(series[i].begin() + 1, series[i].end());
  }
  size_t num_outputs = 0;
  const detail::Fn jvp_of_prim = [&](const std::vector<Array>& xs) {
    std::vector<Array> tangents(n);
    for (size_t i = 0, next = n; i < n; ++i)
      if (moving[i]) tangents[i] = xs[next++];
    JvpResult r = p.jvp(p, std::span<const Array>(xs.data(), n), tangents, params);
    num_outputs = r.primals_out.size();
    std::vector<Array> outs = r.primals_out;
    for (size_t o = 0; o < num_outputs; ++o) {
      const Array& y = r.primals_out[o];
      Array t = o < r.tangents_out.size() ? r.tangents_out[o] : Array();
      outs.push_back(t.valid() ? t : lax::zeros(AbstractValue{y.shape(), y.dtype(), false}));
    }
    return outs;
  };
  auto [outs, out_series] = detail::jet_core(jvp_of_prim, jet_primals, jet_series);
  TaylorResult r;
  r.series_out.resize(num_outputs);
  for (size_t o = 0; o < num_outputs; ++o) {
    r.primals_out.push_back(outs[o]);
    if (!is_floating(outs[o].dtype())) continue;
    Series& s = r.series_out[o];
    s.push_back(outs[num_outputs + o]);
    const Series& rest = out_series[num_outputs + o];
    if (order > 1) {
      if (rest.empty()) {
        const Array zero = lax::zeros(AbstractValue{outs[o].shape(), outs[o].dtype(), false});
        s.insert(s.end(), order - 1, zero);
      } else {
        s.insert(s.end(), rest.begin(), rest.end());
      }
    }
  }
  return r;
}

double factorial(size_t k) {
  double f = 1;
  for (size_t i = 2; i <= k; ++i) f *= static_cast<double>(i);
  return f;
}

Array scale(const Array& x, double c) {
  if (c == 1.0) return x;
  return lax::mul(x, lax::constant_like(x, c));
}

Series coefficients(const Array& x0, const Series& terms, size_t order) {
  Series out;
  out.reserve(order + 1);
  out.push_back(x0);
  for (size_t k = 1; k <= order; ++k)
    out.push_back(terms.empty() ? Array() : scale(terms[k - 1], 1.0 / factorial(k)));
  return out;
}

Series derivative_terms(const Series& coefs) {
  Series out;
  out.reserve(coefs.size() - 1);
  for (size_t k = 1; k < coefs.size(); ++k) out.push_back(scale(coefs[k], factorial(k)));
  return out;
}

Array add_terms(const Array& a, const Array& b) {
  if (!a.valid()) return b;
  if (!b.valid()) return a;
  return lax::add(a, b);
}

Array sub_terms(const Array& a, const Array& b) {
  if (!b.valid()) return a;
  if (!a.valid()) return lax::neg(b);
  return lax::sub(a, b);
}

Array mul_terms(const Array& a, const Array& b) {
  if (!a.valid() || !b.valid()) return Array();
  return lax::mul(a, b);
}

Series index_weighted_terms(const Series& terms, size_t order) {
  Series out(order + 1);
  if (terms.empty()) return out;
  for (size_t j = 1; j <= order; ++j) out[j] = scale(terms[j - 1], 1.0 / factorial(j - 1));
  return out;
}

Array term_from_weighted(const Array& jv, size_t k) {
  return jv.valid() ? scale(jv, factorial(k - 1)) : jv;
}

Array square_convolve(const Series& a, size_t k, size_t lo) {
  Array pairs;
  for (size_t j = lo; 2 * j < k; ++j)
    if (j < a.size() && k - j < a.size()) pairs = add_terms(pairs, mul_terms(a[j], a[k - j]));
  if (pairs.valid()) pairs = lax::add(pairs, pairs);
  if (k % 2 == 0 && k / 2 >= lo && k / 2 < a.size()) pairs = add_terms(pairs, mul_terms(a[k / 2], a[k / 2]));
  return pairs;
}

Array solve_step(const Array& n, const Series& x, const Series& d, size_t k, size_t lo) {
  const Array numerator = k == 0 ? n : sub_terms(n, convolve(x, d, k, lo, k - 1));
  return numerator.valid() ? lax::div(numerator, d[0]) : numerator;
}

Array reciprocal_step(const Series& x, const Series& d, size_t k, size_t lo, const Array& minus_d0) {
  const Array acc = convolve(x, d, k, lo, k - 1);
  return acc.valid() ? lax::div(acc, minus_d0) : acc;
}

Series compose_univariate(const Series& derivs, const Series& u) {
  const size_t order = u.size() - 1;
  Series v(order + 1);
  // power[k]: coefficient k of (u - u0)^m, zero below k = m.
  Series delta = u, power = u;
  delta[0] = power[0] = Array();
  for (size_t m = 1; m <= order; ++m) {
    if (m > 1) {
      Series next(order + 1);
      for (size_t k = m; k <= order; ++k) next[k] = convolve(delta, power, k, 1, k - m + 1);
      power = std::move(next);
    }
    const Array c = scale(derivs[m - 1], 1.0 / factorial(m));
    for (size_t k = m; k <= order; ++k) v[k] = add_terms(v[k], mul_terms(c, power[k]));
  }
  return v;
}

Series square_series(const Series& a) {
  Series c(a.size());
  c[0] = lax::mul(a[0], a[0]);
  for (size_t k = 1; k < a.size(); ++k) c[k] = square_convolve(a, k, 0);
  return c;
}

Series product_series(const Series& a, const Series& b) {
  Series c(a.size());
  for (size_t k = 0; k < a.size(); ++k) c[k] = convolve(a, b, k);
  return c;
}

Series integer_power_terms(const Array& x0, const Series& terms, int64_t n, const Array& ans) {
  if (n == 0) return {};
  if (n == 1) return terms;
  const size_t order = terms.size();
  Series base = coefficients(x0, terms, order), power;
  for (uint64_t m = n < 0 ? uint64_t(0) - uint64_t(n) : uint64_t(n);;) {
    if (m & 1) power = power.empty() ? base : product_series(power, base);
    m >>= 1;
    if (m == 0) break;
    base = square_series(base);
  }
  if (n > 0) return derivative_terms(power);
  Series r(order + 1);
  r[0] = ans;
  const Array minus_p0 = lax::neg(power[0]);
  for (size_t k = 1; k <= order; ++k) r[k] = reciprocal_step(r, power, k, 0, minus_p0);
  return derivative_terms(r);
}

Series broadcast_terms(Series terms, const Shape& shape) {
  for (Array& t : terms)
    if (t.valid()) t = lax::broadcast_to(t, shape);
  return terms;
}

Array convolve(const Series& a, const Series& b, size_t k, size_t lo, size_t hi) {
  Array acc;
  for (size_t j = lo; j <= hi && j <= k; ++j) {
    if (j >= a.size() || k - j >= b.size() || !a[j].valid() || !b[k - j].valid()) continue;
    acc = add_terms(acc, lax::mul(a[j], b[k - j]));
  }
  return acc;
}

Series index_weighted(const Series& u) {
  Series out(u.size());
  for (size_t j = 1; j < u.size(); ++j)
    if (u[j].valid()) out[j] = scale(u[j], static_cast<double>(j));
  return out;
}

Array integrate_product(const Series& ju, const Series& w, size_t k) {
  const Array acc = convolve(ju, w, k, 1, k);
  return acc.valid() ? scale(acc, 1.0 / static_cast<double>(k)) : acc;
}

}  // namespace fluxion::prim
