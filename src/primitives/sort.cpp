// sort[dimension, is_stable, num_keys](*operands): sorts every operand along
// `dimension` by the first `num_keys` operands (lexicographically), as
// jax.lax.sort; sort_key_val is sort with num_keys=1 and two operands, which
// is what jax.random.permutation shuffles with.
//
// Order: JAX's comparator canonicalises floats first, so -0.0 == 0.0, and
// every NaN sorts after +inf (and ties with other NaNs). We always sort
// stably, which is also a valid unstable sort, and keeps the derivative rule
// below consistent with the primal.
//
// Derivative: sorting permutes, so with the keys fixed, sort is linear in the
// other operands. The JVP therefore sorts each tangent by the primal keys:
// sort(keys..., t)[-1]; JAX gathers with the permutation instead, which needs
// a gather primitive we do not have. The transpose of sort(keys..., t) in t
// undoes the permutation: with perm = sort(keys..., iota)[-1], the cotangent
// is sort(perm, ct)[1] (sorting by the permutation puts every element back).
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> sort_aval(const Primitive& p, AvalRefs in, const Params& params) {
  if (in.empty()) throw TypeError("sort: needs at least one operand");
  const int64_t num_keys = params.get<int64_t>("num_keys");
  if (num_keys < 1 || num_keys > static_cast<int64_t>(in.size()))
    throw TypeError("sort: num_keys must be in [1, " + std::to_string(in.size()) + "] (the number of operands), got " +
                    std::to_string(num_keys));
  std::vector<AbstractValue> out;
  for (const AbstractValue* a : in) {
    if (a->shape != in[0]->shape)
      throw ShapeError("sort: all operands must have the same shape, got " + shape_to_string(in[0]->shape) + " and " +
                       shape_to_string(a->shape));
    out.push_back(*a);
  }
  const int64_t dim = params.get<int64_t>("dimension");
  if (in[0]->ndim() == 0) throw ShapeError(std::string(p.name) + ": cannot sort a 0-d operand");
  if (dim < 0 || dim >= in[0]->ndim())
    throw ShapeError("sort: dimension " + std::to_string(dim) + " is out of range for shape " +
                     shape_to_string(in[0]->shape));
  return out;
}

// a < b and a == b in JAX's sort order.
template <class T> bool key_less(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
  }
  return a < b;  // -0.0 < 0.0 is false, as after JAX's canonicalisation
}
template <class T> bool key_equal(T a, T b) {
  if constexpr (std::is_floating_point_v<T>)
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b;
}

std::vector<Array> sort_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                             const Params& params) {
  const Shape& shape = out[0].shape;
  const int64_t dim = params.get<int64_t>("dimension");
  const auto num_keys = static_cast<size_t>(params.get<int64_t>("num_keys"));
  const int64_t extent = shape[dim];
  int64_t inner = 1;
  for (size_t i = dim + 1; i < shape.size(); ++i) inner *= shape[i];
  const int64_t outer = extent == 0 ? 0 : out[0].size() / (extent * inner);

  std::vector<std::shared_ptr<detail::ConcreteValue>> results;
  for (const AbstractValue& a : out) results.push_back(output(a));

  // Compares positions i and j (along `dim`) of the slice starting at `base`.
  std::vector<std::function<int(int64_t, int64_t)>> compare;
  for (size_t k = 0; k < num_keys; ++k) {
    visit_dtype(in[k].dtype(), [&]<class T>() {
      const T* data = detail::data_as<T>(in[k]);
      compare.push_back([data](int64_t i, int64_t j) {
        if (key_less(data[i], data[j])) return -1;
        return key_equal(data[i], data[j]) ? 0 : 1;
      });
    });
  }
  std::vector<int64_t> perm(static_cast<size_t>(extent));
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t r = 0; r < inner; ++r) {
      const int64_t base = o * extent * inner + r;
      std::iota(perm.begin(), perm.end(), int64_t{0});
      std::stable_sort(perm.begin(), perm.end(), [&](int64_t a, int64_t b) {
        for (const auto& c : compare) {
          const int v = c(base + a * inner, base + b * inner);
          if (v != 0) return v < 0;
        }
        return false;
      });
      for (size_t k = 0; k < in.size(); ++k) {
        visit_dtype(in[k].dtype(), [&]<class T>() {
          const T* src = detail::data_as<T>(in[k]);
          T* dst = out_data<T>(results[k]);
          for (int64_t i = 0; i < extent; ++i) dst[base + i * inner] = src[base + perm[i] * inner];
        });
      }
    }
  }
  std::vector<Array> arrays;
  for (auto& r : results) arrays.push_back(Array(std::move(r)));
  return arrays;
}

Params with_num_keys(const Params& params, int64_t num_keys) {
  return Params{{"dimension", params.get<int64_t>("dimension")},
                {"is_stable", params.get<bool>("is_stable")},
                {"num_keys", num_keys}};
}

JvpResult sort_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                   const Params& params) {
  std::vector<Array> ans = fluxion::bind(p, primals, params);
  const auto num_keys = static_cast<size_t>(params.get<int64_t>("num_keys"));
  std::vector<Array> t_out(primals.size());
  for (size_t j = 0; j < primals.size(); ++j) {
    if (!tangents[j].valid() || !is_floating(primals[j].dtype())) continue;
    std::vector<Array> operands(primals.begin(), primals.begin() + static_cast<std::ptrdiff_t>(num_keys));
    operands.push_back(tangents[j]);
    t_out[j] = fluxion::bind(p, operands, params).back();
  }
  return {std::move(ans), std::move(t_out)};
}

// The terms are permuted as the operands are: one sort of the operands and
// every term of the moving ones, with the same keys.
TaylorResult sort_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                      const Params& params) {
  std::vector<Array> operands(primals.begin(), primals.end());
  for (size_t j = 0; j < primals.size(); ++j)
    if (is_floating(primals[j].dtype())) operands.insert(operands.end(), series[j].begin(), series[j].end());
  std::vector<Array> sorted = fluxion::bind(p, operands, params);
  TaylorResult r;
  r.primals_out.assign(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(primals.size()));
  r.series_out.resize(primals.size());
  auto next = sorted.begin() + static_cast<std::ptrdiff_t>(primals.size());
  for (size_t j = 0; j < primals.size(); ++j) {
    if (!is_floating(primals[j].dtype())) continue;
    const auto end = next + static_cast<std::ptrdiff_t>(series[j].size());
    r.series_out[j].assign(next, end);
    next = end;
  }
  return r;
}

std::vector<Array> sort_transpose(const Primitive& p, std::span<const Array> cts, std::span<const TransposeInput> in,
                                  const Params& params) {
  const auto num_keys = static_cast<size_t>(params.get<int64_t>("num_keys"));
  std::vector<Array> keys;
  for (size_t k = 0; k < num_keys; ++k) {
    if (in[k].is_linear())
      throw Error("sort: transpose with respect to a sort key (the program is not linear in it)");
    keys.push_back(in[k].known);
  }
  const int64_t dim = params.get<int64_t>("dimension");
  const Shape& shape = in[0].aval.shape;
  std::vector<Array> out(in.size());
  Array perm;
  for (size_t i = num_keys; i < in.size(); ++i) {
    if (!in[i].is_linear() || !cts[i].valid()) continue;
    if (!perm.valid()) {
      std::vector<Array> operands = keys;
      operands.push_back(bind1(prim::iota_p, {}, {{"dtype", DType::int32}, {"shape", shape}, {"dimension", dim}}));
      perm = fluxion::bind(p, operands, params).back();
    }
    out[i] = fluxion::bind(p, std::vector<Array>{perm, cts[i]}, with_num_keys(params, 1))[1];
  }
  return out;
}

// Operands share one shape: they keep a batch axis they share (the sorted
// dimension renumbered around it); otherwise every operand gets it in front.
BatchResult sort_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                       const Params& params) {
  const AlignedOperands a = align_batch_axes(values, dims);
  Params batched{{"dimension", batched_axis(params.get<int64_t>("dimension"), a.axis)},
                 {"is_stable", params.get<bool>("is_stable")},
                 {"num_keys", params.get<int64_t>("num_keys")}};
  std::vector<Array> outs = fluxion::bind(p, a.operands, batched);
  std::vector<int> out_dims(outs.size(), a.axis);
  return {std::move(outs), std::move(out_dims)};
}

}  // namespace

const Primitive sort_p{.name = "sort", .multiple_results = true, .abstract_eval = sort_aval, .impl = sort_impl,
                       .jvp = sort_jvp, .transpose = sort_transpose, .batch = sort_batch, .jet = sort_jet,
                       .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
