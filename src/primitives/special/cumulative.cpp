// cumsum, cumprod, cummax, cummin [axis, reverse]: jax.lax's cumulative
// reductions. Numbers only (no bool), as JAX's dtype rule; integers wrap
// around; cummax/cummin propagate NaN as max/min do.
//
// Derivatives: cumsum is linear (its transpose is the cumsum the other way).
// For the others JAX differentiates its associative-scan implementation
// (lax.associative_scan with mul, max or min); the JVP below runs that same
// scan (the same slices, combines and interleaving) on (value, tangent)
// pairs with the combine's JVP, so the tangents are JAX's: products of the
// other factors (right with zeros in x, no division), and on ties of
// cummax/cummin the tangent split between the tied elements as max's
// balanced rule splits it at each combine of the scan's tree. Only the
// tangent comes from the scan; the primal is the primitive's own sequential
// result. Reversal (reverse=True) is lax.rev, as in JAX.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/special/family.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

enum class Cum { sum, prod, max, min };

std::vector<AbstractValue> cumulative_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const AbstractValue& x = *in[0];
  if (!(kNumbers & bit(x.dtype)))
    throw_dtype_error(p.name, x.dtype, kNumbers, "convert bools to an integer or floating dtype first");
  const int64_t axis = params.get<int64_t>("axis");
  if (axis < 0 || axis >= x.ndim())
    throw ShapeError(std::string(p.name) + ": axis " + std::to_string(axis) + " is out of bounds for an operand of shape " +
                     shape_to_string(x.shape) + " (expected an axis in [0, " + std::to_string(x.ndim()) + "))");
  return single(AbstractValue{x.shape, x.dtype, x.weak_type});
}

template <class T> T combine(Cum c, T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    switch (c) {
      case Cum::sum: return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
      case Cum::prod: {
        using W = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, U>;
        return static_cast<T>(static_cast<W>(a) * static_cast<W>(b));
      }
      case Cum::max: return a > b ? a : b;
      case Cum::min: return a < b ? a : b;
    }
  } else {
    switch (c) {
      case Cum::sum: return a + b;
      case Cum::prod: return a * b;
      case Cum::max:
        if (std::isnan(a) || std::isnan(b)) return a + b;
        return a > b ? a : b;
      case Cum::min:
        if (std::isnan(a) || std::isnan(b)) return a + b;
        return a < b ? a : b;
    }
  }
  return a;
}

std::vector<Array> cumulative_impl(const Primitive& p, std::span<const Array> in, std::span<const AbstractValue> out,
                                   const Params& params) {
  const Cum c = static_cast<Cum>(p.tag);
  const Shape& shape = out[0].shape;
  const int64_t axis = params.get<int64_t>("axis");
  const bool reverse = params.get<bool>("reverse");
  const int64_t extent = shape[axis];
  int64_t inner = 1;
  for (size_t i = static_cast<size_t>(axis) + 1; i < shape.size(); ++i) inner *= shape[i];
  const int64_t outer = extent == 0 || inner == 0 ? 0 : out[0].size() / (extent * inner);
  auto result = output(out[0]);
  visit_dtype(out[0].dtype, [&]<class T>() {
    if constexpr (!std::is_same_v<T, bool>) {
      const T* x = detail::data_as<T>(in[0]);
      T* o = out_data<T>(result);
      for (int64_t b = 0; b < outer; ++b) {
        const int64_t base = b * extent * inner;
        for (int64_t step = 0; step < extent; ++step) {
          const int64_t i = reverse ? extent - 1 - step : step;
          const int64_t row = base + i * inner;
          if (step == 0) {
            for (int64_t j = 0; j < inner; ++j) o[row + j] = x[row + j];
          } else {
            const int64_t prev = row + (reverse ? inner : -inner);
            for (int64_t j = 0; j < inner; ++j) o[row + j] = combine(c, o[prev + j], x[row + j]);
          }
        }
      }
    }
  });
  return single(Array(std::move(result)));
}

// ---- the associative scan (jax/_src/lax/control_flow/loops.py) on series

// A value and its normalised Taylor coefficients 1..K (c[k-1] of t^k; empty
// when it does not move). The JVP's pairs are the series of order 1.
struct Pair {
  Array v;
  Series c;
};

Array slice_in_dim(const Array& x, int64_t start, int64_t limit, int64_t stride, int64_t axis) {
  std::vector<int64_t> lo(x.shape().size(), 0), hi = x.shape(), strides(x.shape().size(), 1);
  lo[axis] = start;
  hi[axis] = limit;
  strides[axis] = stride;
  return bind1(slice_p, {x}, {{"start_indices", lo}, {"limit_indices", hi},
                              {"strides", stride == 1 ? ParamValue(NoneParam{}) : ParamValue(strides)}});
}

// f applied to the value and to every coefficient.
template <class F> Pair each(const Pair& p, F f) {
  Pair r{f(p.v), {}};
  for (const Array& c : p.c) r.c.push_back(f(c));
  return r;
}

Pair slice_pair(const Pair& p, int64_t start, int64_t limit, int64_t stride, int64_t axis) {
  return each(p, [&](const Array& x) { return slice_in_dim(x, start, limit, stride, axis); });
}

Array concat(const Array& a, const Array& b, int64_t axis) {
  return bind1(concatenate_p, {a, b}, {{"dimension", axis}});
}

// JAX's _balanced_eq: 1 where x attains z, 0.5 on a tie with y, else 0.
Array balanced_eq(const Array& x, const Array& z, const Array& y) {
  using namespace lax;
  const Shape& s = z.shape();
  const Array weight = select(bind1(eq_p, {y, z}), lax::broadcast_to(constant_like(z, 0.5), s),
                              lax::broadcast_to(constant_like(z, 1.0), s));
  return select(bind1(eq_p, {x, z}), weight, lax::broadcast_to(constant_like(z, 0.0), s));
}

// The combine of a and b with its series: a Cauchy product for prod; for
// max/min each coefficient weighted as the tangent is, since the weights
// (which operand attains the result) do not move along the path.
Pair combine_pair(Cum c, const Pair& a, const Pair& b) {
  using namespace lax;
  Pair r;
  const size_t order = std::max(a.c.size(), b.c.size());
  switch (c) {
    case Cum::prod: {
      r.v = mul(a.v, b.v);
      Series as{a.v}, bs{b.v};
      as.insert(as.end(), a.c.begin(), a.c.end());
      bs.insert(bs.end(), b.c.begin(), b.c.end());
      for (size_t k = 1; k <= order; ++k) r.c.push_back(convolve(as, bs, k));
      return r;
    }
    case Cum::max:
    case Cum::min: {
      r.v = bind1(c == Cum::max ? max_p : min_p, {a.v, b.v});
      const Array wa = a.c.empty() ? Array() : balanced_eq(a.v, r.v, b.v);
      const Array wb = b.c.empty() ? Array() : balanced_eq(b.v, r.v, a.v);
      for (size_t k = 0; k < order; ++k)
        r.c.push_back(add_terms(wa.valid() ? mul(a.c[k], wa) : Array(), wb.valid() ? mul(b.c[k], wb) : Array()));
      return r;
    }
    case Cum::sum:
      r.v = lax::add(a.v, b.v);
      for (size_t k = 0; k < order; ++k)
        r.c.push_back(add_terms(a.c.empty() ? Array() : a.c[k], b.c.empty() ? Array() : b.c[k]));
      return r;
  }
  return r;
}

// a and b interleaved along axis (a first; a has as many elements as b or one more).
Array interleave(const Array& a, const Array& b, int64_t axis) {
  const int64_t na = a.shape()[axis], nb = b.shape()[axis];
  Array bb = b;
  if (na != nb) {
    Shape row = b.shape();
    row[axis] = 1;
    bb = concat(b, lax::zeros(AbstractValue{row, b.dtype()}), axis);
  }
  Shape pair_shape = a.shape();
  pair_shape.insert(pair_shape.begin() + axis + 1, 1);
  const Array both = concat(lax::reshape(a, pair_shape), lax::reshape(bb, pair_shape), axis + 1);
  Shape flat = a.shape();
  flat[axis] = 2 * na;
  const Array merged = lax::reshape(both, flat);
  return na == nb ? merged : slice_in_dim(merged, 0, 2 * na - 1, 1, axis);
}

Pair interleave_pair(const Pair& a, const Pair& b, int64_t axis) {
  Pair r{interleave(a.v, b.v, axis), {}};
  const size_t order = std::max(a.c.size(), b.c.size());
  for (size_t k = 0; k < order; ++k)
    r.c.push_back(interleave(lax::instantiate(a.c.empty() ? Array() : a.c[k], a.v.aval()),
                             lax::instantiate(b.c.empty() ? Array() : b.c[k], b.v.aval()), axis));
  return r;
}

Pair scan(Cum c, const Pair& elems, int64_t axis) {
  const int64_t n = elems.v.shape()[axis];
  if (n < 2) return elems;
  const Pair reduced = combine_pair(c, slice_pair(elems, 0, n - 1, 2, axis), slice_pair(elems, 1, n, 2, axis));
  const Pair odd = scan(c, reduced, axis);
  const int64_t n_odd = odd.v.shape()[axis];
  Pair even = n % 2 == 0 ? combine_pair(c, slice_pair(odd, 0, n_odd - 1, 1, axis), slice_pair(elems, 2, n, 2, axis))
                         : combine_pair(c, odd, slice_pair(elems, 2, n, 2, axis));
  const Pair first = slice_pair(elems, 0, 1, 1, axis);
  Shape rest = even.v.shape();
  even.v = concat(first.v, even.v, axis);
  const size_t order = std::max(first.c.size(), even.c.size());
  for (size_t k = 0; k < order; ++k) {
    const Array head = lax::instantiate(first.c.empty() ? Array() : first.c[k], first.v.aval());
    const Array tail = lax::instantiate(even.c.empty() ? Array() : even.c[k], AbstractValue{rest, even.v.dtype()});
    if (k < even.c.size()) even.c[k] = concat(head, tail, axis);
    else even.c.push_back(concat(head, tail, axis));
  }
  return interleave_pair(even, odd, axis);
}

// x in reverse order along axis.
Array rev(const Array& x, int64_t axis) { return bind1(rev_p, {x}, {{"dimensions", std::vector<int64_t>{axis}}}); }

// The scan of x's series (reversed for reverse=True), as JAX's associative_scan.
Series scanned_coefficients(Cum c, const Array& x, Series coefs, const Params& params) {
  const int64_t axis = params.get<int64_t>("axis");
  const bool reverse = params.get<bool>("reverse");
  Pair elems{x, std::move(coefs)};
  const auto flip = [&](const Array& v) { return rev(v, axis); };
  if (reverse) elems = each(elems, flip);
  Pair scanned = scan(c, elems, axis);
  if (reverse) scanned = each(scanned, flip);
  return scanned.c;
}

JvpResult cumulative_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                         const Params& params) {
  const Cum c = static_cast<Cum>(p.tag);
  Array ans = fluxion::bind1(p, primals, params);
  const Array& t = tangents[0];
  if (!t.valid() || !is_floating(ans.dtype())) return {{ans}, {Array()}};
  if (c == Cum::sum) return {{ans}, {fluxion::bind1(p, {t}, params)}};
  return {{ans}, {scanned_coefficients(c, primals[0], {t}, params)[0]}};
}

// cumsum is linear; the others run the JVP's scan on the whole series (so
// ties of cummax/cummin split every term as they split the tangent).
TaylorResult cumulative_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                            const Params& params) {
  const Cum c = static_cast<Cum>(p.tag);
  if (c == Cum::sum) return taylor_linear(p, primals, series, params);
  Array ans = fluxion::bind1(p, primals, params);
  Series coefs = coefficients(primals[0], series[0], order_of(series));
  coefs.erase(coefs.begin());
  Series scanned = scanned_coefficients(c, primals[0], std::move(coefs), params);
  scanned.insert(scanned.begin(), ans);
  return {{std::move(ans)}, {derivative_terms(scanned)}};
}

std::vector<Array> cumsum_transpose(const Primitive& p, std::span<const Array> cts, std::span<const TransposeInput>,
                                    const Params& params) {
  if (!cts[0].valid()) return {Array()};
  return {fluxion::bind1(p, {cts[0]}, {{"axis", params.get<int64_t>("axis")}, {"reverse", !params.get<bool>("reverse")}})};
}

BatchResult cumulative_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                             const Params& params) {
  const Params batched{{"axis", batched_axis(params.get<int64_t>("axis"), dims[0])},
                       {"reverse", params.get<bool>("reverse")}};
  return {{fluxion::bind1(p, {values[0]}, batched)}, {dims[0]}};
}

constexpr Primitive cumulative(std::string_view name, Cum c) {
  return Primitive{.name = name, .tag = static_cast<int>(c), .abstract_eval = cumulative_aval,
                   .impl = cumulative_impl, .jvp = cumulative_jvp,
                   .transpose = c == Cum::sum ? cumsum_transpose : nullptr, .batch = cumulative_batch,
                   .jet = cumulative_jet, .lower = compiler::lower_via_eager};
}

}  // namespace

const Primitive cumsum_p = cumulative("cumsum", Cum::sum);
const Primitive cumprod_p = cumulative("cumprod", Cum::prod);
const Primitive cummax_p = cumulative("cummax", Cum::max);
const Primitive cummin_p = cumulative("cummin", Cum::min);

}  // namespace fluxion::prim
