// Reductions over a set of axes: reduce_sum, reduce_prod, reduce_max,
// reduce_min, reduce_and, reduce_or. Empty reductions give the identity
// (0, 1, -inf / lowest, +inf / highest, true, false), as in XLA; the
// NumPy-style fx::max/fx::min reject them before reaching here.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>

#include "compiler/emitter.hpp"
#include "kernels/strided_copy.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

enum class Reduce { sum, prod, max, min, all, any };

std::vector<AbstractValue> reduce_aval(const Primitive& p, AvalRefs in, const Params& params) {
  static constexpr DTypeSet accepted[] = {kNumbers, kNumbers, kAllTypes, kAllTypes, kBool, kBool};
  const AbstractValue& x = *in[0];
  if (!(accepted[p.tag] & bit(x.dtype))) throw_dtype_error(p.name, x.dtype, accepted[p.tag]);
  const auto& axes = params.get<std::vector<int64_t>>("axes");
  std::vector<bool> reduced(x.shape.size(), false);
  for (int64_t a : axes) {
    if (a < 0 || a >= x.ndim() || reduced[a])
      throw ShapeError(std::string(p.name) + ": invalid axes (" + detail::join(axes) +
                       ") for an operand of shape " + shape_to_string(x.shape) +
                       " (expected distinct axes in [0, " + std::to_string(x.ndim()) + "))");
    reduced[a] = true;
  }
  AbstractValue out{{}, x.dtype, x.weak_type};
  for (size_t i = 0; i < x.shape.size(); ++i)
    if (!reduced[i]) out.shape.push_back(x.shape[i]);
  return single(std::move(out));
}

template <class T> struct Ops {
  static T identity(Reduce r) {
    switch (r) {
      case Reduce::sum: return T(0);
      case Reduce::prod: return T(1);
      case Reduce::max:
        if constexpr (std::numeric_limits<T>::has_infinity) return -std::numeric_limits<T>::infinity();
        else return std::numeric_limits<T>::lowest();
      case Reduce::min:
        if constexpr (std::numeric_limits<T>::has_infinity) return std::numeric_limits<T>::infinity();
        else return std::numeric_limits<T>::max();
      case Reduce::all: return T(1);
      case Reduce::any: return T(0);
    }
    return T(0);
  }
  static T combine(Reduce r, T a, T b) {
    if constexpr (std::is_same_v<T, bool>) {
      return (r == Reduce::all || r == Reduce::min) ? (a && b) : (a || b);
    } else {
      switch (r) {
        case Reduce::sum:
          if constexpr (std::is_integral_v<T>) {  // wrap around, as XLA
            using U = std::make_unsigned_t<T>;
            return T(U(a) + U(b));
          } else {
            return a + b;
          }
        case Reduce::prod:
          if constexpr (std::is_integral_v<T>) {
            using W = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;
            return T(W(a) * W(b));
          } else {
            return a * b;
          }
        case Reduce::max:
          if constexpr (std::is_floating_point_v<T>) if (std::isnan(a) || std::isnan(b)) return a + b;
          return a > b ? a : b;
        case Reduce::min:
          if constexpr (std::is_floating_point_v<T>) if (std::isnan(a) || std::isnan(b)) return a + b;
          return a < b ? a : b;
        default: return a;
      }
    }
  }
};

// NumPy's pairwise summation (numpy/core/src/umath/loops_utils.h.src), so
// contiguous float sums agree with NumPy bit for bit and error grows as log n.
template <class T> T pairwise_sum(const T* a, int64_t n) {
  if (n < 8) {
    T res = 0;
    for (int64_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    T r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    int64_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

template <class T>
void reduce_block(Reduce r, const T* x, int64_t outer, int64_t len, int64_t inner, T* out) {
  for (int64_t o = 0; o < outer; ++o) {
    const T* block = x + o * len * inner;
    T* dst = out + o * inner;
    if (inner == 1) {
      if constexpr (std::is_floating_point_v<T>) {
        if (r == Reduce::sum) {
          dst[0] = T(0) + pairwise_sum(block, len);  // NumPy adds to the identity: -0.0 sums to 0.0
          continue;
        }
      }
      T acc = Ops<T>::identity(r);
      for (int64_t i = 0; i < len; ++i) acc = Ops<T>::combine(r, acc, block[i]);
      dst[0] = acc;
    } else {
      // Accumulate whole rows: vectorises over the kept inner axis.
      std::fill(dst, dst + inner, Ops<T>::identity(r));
      for (int64_t i = 0; i < len; ++i)
        for (int64_t j = 0; j < inner; ++j) dst[j] = Ops<T>::combine(r, dst[j], block[i * inner + j]);
    }
  }
}

std::vector<Array> reduce_impl(const Primitive& p, std::span<const Array> in,
                               std::span<const AbstractValue> out, const Params& params) {
  const Reduce r = static_cast<Reduce>(p.tag);
  const Shape& shape = in[0].shape();
  const auto& axes = params.get<std::vector<int64_t>>("axes");
  std::vector<int64_t> sorted = axes;
  std::sort(sorted.begin(), sorted.end());
  auto result = output(out[0]);
  visit_dtype(in[0].dtype(), [&]<class T>() {
    const T* x = detail::data_as<T>(in[0]);
    std::unique_ptr<T[]> moved;  // not std::vector: T may be bool
    // Reduced axes that form one contiguous run need no copy; otherwise move
    // them last with a transpose.
    const bool contiguous =
        sorted.empty() || sorted.back() - sorted.front() + 1 == static_cast<int64_t>(sorted.size());
    int64_t outer = 1, len = 1, inner = 1;
    if (contiguous) {
      const int64_t first = sorted.empty() ? 0 : sorted.front();
      const int64_t last = sorted.empty() ? 0 : sorted.back() + 1;
      for (int64_t i = 0; i < first; ++i) outer *= shape[i];
      for (int64_t i = first; i < last; ++i) len *= shape[i];
      for (int64_t i = last; i < static_cast<int64_t>(shape.size()); ++i) inner *= shape[i];
    } else {
      std::vector<int64_t> perm, moved_shape;
      for (int64_t i = 0; i < static_cast<int64_t>(shape.size()); ++i)
        if (!std::binary_search(sorted.begin(), sorted.end(), i)) perm.push_back(i), outer *= shape[i];
      for (int64_t a : sorted) perm.push_back(a), len *= shape[a];
      const auto strides = detail::strides_of(shape);
      std::vector<int64_t> src_strides;
      for (int64_t a : perm) moved_shape.push_back(shape[a]), src_strides.push_back(strides[a]);
      moved.reset(new T[static_cast<size_t>(in[0].size())]);
      kernels::strided_copy(x, 0, src_strides, moved_shape, moved.get());
      x = moved.get();
    }
    reduce_block<T>(r, x, outer, len, inner, out_data<T>(result));
  });
  return single(Array(std::move(result)));
}

std::vector<int64_t> kept_dims(int64_t rank, const std::vector<int64_t>& axes) {
  std::vector<int64_t> kept;
  for (int64_t i = 0; i < rank; ++i)
    if (std::find(axes.begin(), axes.end(), i) == axes.end()) kept.push_back(i);
  return kept;
}

// The normalised Taylor coefficients of the product over `axes` of the
// series xs (xs[0] the operand, xs[k] its coefficient of t^k; an empty handle
// is zero): a pairwise tree (as JAX's _reduce_prod_jvp_rule) whose combines
// are Cauchy products, so zeros need no division. The JVP is its order 1:
// coefficient 1 is t_i times the product of the others.
Series prod_series(const Series& xs, const std::vector<int64_t>& axes) {
  using namespace lax;
  const Array& x = xs[0];
  std::vector<int64_t> perm = axes;
  const std::vector<int64_t> kept = kept_dims(x.ndim(), axes);
  perm.insert(perm.end(), kept.begin(), kept.end());
  Shape rest;
  int64_t n = 1;
  for (int64_t a : axes) n *= x.shape()[a];
  for (int64_t k : kept) rest.push_back(x.shape()[k]);
  Shape flat{n};
  flat.insert(flat.end(), rest.begin(), rest.end());
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i) identity = identity && perm[i] == static_cast<int64_t>(i);
  Series p(xs.size());
  if (n == 0) {
    p[0] = bind1(prim::reduce_prod_p, {x}, {{"axes", axes}});
    for (size_t k = 1; k < xs.size(); ++k)
      if (xs[k].valid()) p[k] = zeros(AbstractValue{rest, x.dtype()});
    return p;
  }
  for (size_t k = 0; k < xs.size(); ++k)
    if (xs[k].valid())
      p[k] = lax::reshape(identity ? xs[k] : bind1(prim::transpose_p, {xs[k]}, {{"permutation", perm}}), flat);
  auto slice_rows = [&](const Array& v, int64_t lo, int64_t hi) {
    if (!v.valid()) return v;
    std::vector<int64_t> start(v.shape().size(), 0), limit = v.shape();
    start[0] = lo;
    limit[0] = hi;
    return bind1(prim::slice_p, {v}, {{"start_indices", start}, {"limit_indices", limit}, {"strides", NoneParam{}}});
  };
  while (n > 1) {
    if (n % 2) {
      Shape row = p[0].shape();
      row[0] = 1;
      const int64_t dim = 0;
      p[0] = bind1(prim::concatenate_p, {p[0], lax::broadcast_to(constant_like(x, 1.0), row)}, {{"dimension", dim}});
      for (size_t k = 1; k < p.size(); ++k)
        if (p[k].valid())
          p[k] = bind1(prim::concatenate_p, {p[k], zeros(AbstractValue{row, x.dtype()})}, {{"dimension", dim}});
      ++n;
    }
    const int64_t half = n / 2;
    Series a(p.size()), b(p.size());
    for (size_t k = 0; k < p.size(); ++k) a[k] = slice_rows(p[k], 0, half), b[k] = slice_rows(p[k], half, n);
    p[0] = mul(a[0], b[0]);
    for (size_t k = 1; k < p.size(); ++k) p[k] = convolve(a, b, k);
    n = half;
  }
  for (Array& c : p)
    if (c.valid()) c = lax::reshape(c, rest);
  return p;
}

Array prod_tangent(const Array& x, const Array& t, const std::vector<int64_t>& axes) {
  return prod_series({x, t}, axes)[1];
}

// reduce_max/min's derivative: the tangent averaged over the positions that
// attain the extremum (JAX's chooser rule).
struct ExtremumShare {
  Array weights, counts;
  std::vector<int64_t> axes;
  ExtremumShare(const Array& x, const Array& ans, const std::vector<int64_t>& reduced) : axes(reduced) {
    const Array where = bind1(prim::eq_p, {x, lax::broadcast_in_dim(ans, x.shape(), kept_dims(x.ndim(), axes))});
    weights = lax::convert(where, x.dtype());
    counts = lax::reduce_sum(weights, axes);
  }
  Array operator()(const Array& t) const { return lax::div(lax::reduce_sum(lax::mul(t, weights), axes), counts); }
};

JvpResult reduce_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                     const Params& params) {
  using namespace lax;
  const Array& x = primals[0];
  const Array& t = tangents[0];
  Array ans = bind1(p, {x}, params);
  if (!t.valid() || !is_floating(x.dtype())) return {{ans}, {}};
  const auto& axes = params.get<std::vector<int64_t>>("axes");
  switch (static_cast<Reduce>(p.tag)) {
    case Reduce::sum: return {{ans}, {bind1(p, {t}, params)}};
    case Reduce::prod: return {{ans}, {prod_tangent(x, t, axes)}};
    case Reduce::max:
    case Reduce::min: return {{ans}, {ExtremumShare(x, ans, axes)(t)}};
    default: return {{ans}, {}};
  }
}

// Taylor rule: sum is linear; prod the tree of Cauchy products; max and min
// share every term as the JVP shares the tangent (the positions that attain
// the extremum do not move with t, so each derivative is the same average).
TaylorResult reduce_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                        const Params& params) {
  const Array& x = primals[0];
  const auto& axes = params.get<std::vector<int64_t>>("axes");
  switch (static_cast<Reduce>(p.tag)) {
    case Reduce::sum: return taylor_linear(p, primals, series, params);
    case Reduce::prod: {
      Series c = prod_series(coefficients(x, series[0], order_of(series)), axes);
      c[0] = bind1(p, {x}, params);
      return {{c[0]}, {derivative_terms(c)}};
    }
    case Reduce::max:
    case Reduce::min: {
      Array ans = bind1(p, {x}, params);
      const ExtremumShare share(x, ans, axes);
      Series terms;
      for (const Array& term : series[0]) terms.push_back(share(term));
      return {{std::move(ans)}, {std::move(terms)}};
    }
    default: return taylor_constant(p, primals, series, params);
  }
}

// reduce_sum is linear: its transpose broadcasts the cotangent back.
std::vector<Array> reduce_sum_transpose(const Primitive&, std::span<const Array> cts,
                                        std::span<const TransposeInput> in, const Params& params) {
  const auto& axes = params.get<std::vector<int64_t>>("axes");
  return {lax::broadcast_in_dim(cts[0], in[0].aval.shape, kept_dims(in[0].aval.ndim(), axes))};
}

// The batch axis is never reduced: the axes are renumbered around it.
BatchResult reduce_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                         const Params& params) {
  const int d = dims[0];
  std::vector<int64_t> axes;
  int out_dim = d;
  for (int64_t a : params.get<std::vector<int64_t>>("axes")) {
    axes.push_back(batched_axis(a, d));
    if (a < d) --out_dim;
  }
  return {{bind1(p, {values[0]}, {{"axes", axes}})}, {out_dim}};
}

// The kernel's loops written out for reduced axes that form one contiguous
// run (sums over everything, trailing or leading axes): the same order of
// operations, NumPy's pairwise summation included (the preamble's
// fx_pairwise_sum). Other axis sets move their axes first: the eager kernel.
// A reduction of trailing axes whose operand a fused loop computes runs in
// that loop instead (kRowReduction), the same row code on each block.
void reduce_lower(const Primitive& p, compiler::Emitter& e) {
  const Reduce r = static_cast<Reduce>(p.tag);
  const Shape& shape = e.in_type(0).shape;
  std::vector<int64_t> sorted = e.params().get<std::vector<int64_t>>("axes");
  std::sort(sorted.begin(), sorted.end());
  if (!sorted.empty() && sorted.back() - sorted.front() + 1 != static_cast<int64_t>(sorted.size()))
    return e.call_eager();
  const int64_t first = sorted.empty() ? 0 : sorted.front();
  const int64_t last = sorted.empty() ? 0 : sorted.back() + 1;
  int64_t outer = 1, len = 1, inner = 1;
  for (int64_t i = 0; i < first; ++i) outer *= shape[i];
  for (int64_t i = first; i < last; ++i) len *= shape[i];
  for (int64_t i = last; i < static_cast<int64_t>(shape.size()); ++i) inner *= shape[i];
  const DType t = e.in_type(0).dtype;
  const std::string ct = compiler::ctype(t), out = e.out_buffer();
  const bool flt = is_floating(t), boolean = t == DType::bool_;
  std::string identity, combine;  // combine(a, b) with a = acc, b = element
  switch (r) {
    case Reduce::sum:
      identity = "0";
      combine = flt ? "(a + b)" : "fx_add<" + ct + ">(a, b)";
      break;
    case Reduce::prod:
      identity = "1";
      combine = flt ? "(a * b)" : "fx_mul<" + ct + ">(a, b)";
      break;
    case Reduce::max:
      identity = boolean ? "false" : flt ? "-__builtin_inf()" : "fx_lowest<" + ct + ">()";
      combine = boolean ? "(a || b)" : flt ? "((a != a || b != b) ? a + b : (a > b ? a : b))" : "(a > b ? a : b)";
      break;
    case Reduce::min:
      identity = boolean ? "true" : flt ? "__builtin_inf()" : "fx_highest<" + ct + ">()";
      combine = boolean ? "(a && b)" : flt ? "((a != a || b != b) ? a + b : (a < b ? a : b))" : "(a < b ? a : b)";
      break;
    case Reduce::all: identity = "true"; combine = "(a && b)"; break;
    case Reduce::any: identity = "false"; combine = "(a || b)"; break;
  }
  // One row `blk` of `count` elements reduced into `dst`, as eager's kernel
  // reduces it (NumPy's pairwise sum for float sums).
  auto row = [&](const std::string& dst, const std::string& count) {
    if (flt && r == Reduce::sum) return dst + " = (" + ct + ")0 + fx_pairwise_sum(blk, " + count + ");";
    return ct + " acc = (" + ct + ")(" + identity + "); for (long long i = 0; i < " + count + "; ++i) { const " +
           ct + " a = acc, b = blk[i]; acc = " + combine + "; } " + dst + " = acc;";
  };
  if (e.in_group()) {  // inside a fused loop (kRowReduction): this block is one row of the operand
    const std::string dst = out + "[" + e.row_index() + "]";
    return e.kernel("{ const " + ct + "* blk = " + e.in_block(0) + "; " + row(dst, "n") + " }");
  }
  const std::string x = e.in_buffer(0);
  const std::string o = std::to_string(outer), l = std::to_string(len), in_ = std::to_string(inner);
  e.line("for (long long o = 0; o < " + o + "; ++o) {");
  e.line("  const " + ct + "* blk = " + x + " + o * " + std::to_string(len * inner) + ";");
  if (inner == 1) {
    e.line("  " + row(out + "[o]", l));
  } else {
    e.line("  " + ct + "* dst = " + out + " + o * " + in_ + ";");
    e.line("  for (long long j = 0; j < " + in_ + "; ++j) dst[j] = (" + ct + ")(" + identity + ");");
    e.line("  for (long long i = 0; i < " + l + "; ++i) for (long long j = 0; j < " + in_ + "; ++j) { const " + ct +
           " a = dst[j], b = blk[i * " + in_ + " + j]; dst[j] = " + combine + "; }");
  }
  e.line("}");
}

constexpr Primitive reduction(std::string_view name, Reduce r) {
  return Primitive{.name = name, .tag = static_cast<int>(r), .abstract_eval = reduce_aval, .impl = reduce_impl,
                   .jvp = reduce_jvp, .transpose = r == Reduce::sum ? reduce_sum_transpose : nullptr,
                   .batch = reduce_batch, .jet = reduce_jet, .lower = reduce_lower,
                   // JAX's reduce_sum, reduce_max and reduce_min take an output
                   // sharding (printed as None); prod, and, or do not.
                   .print = r == Reduce::sum || r == Reduce::max || r == Reduce::min ? print_with_out_sharding : nullptr,
                   .traits = kRowReduction};
}

}  // namespace

const Primitive reduce_sum_p = reduction("reduce_sum", Reduce::sum);
const Primitive reduce_prod_p = reduction("reduce_prod", Reduce::prod);
const Primitive reduce_max_p = reduction("reduce_max", Reduce::max);
const Primitive reduce_min_p = reduction("reduce_min", Reduce::min);
const Primitive reduce_and_p = reduction("reduce_and", Reduce::all);
const Primitive reduce_or_p = reduction("reduce_or", Reduce::any);

}  // namespace fluxion::prim
