// scatter, scatter-add, scatter-mul, scatter-min, scatter-max (jax.lax's
// scatter family, XLA's Scatter): the operand with windows of updates
// written, added, multiplied or combined by min/max at the starts the index
// vectors give. Duplicate indices combine in index order (for scatter, the
// last update wins), out-of-bounds windows are dropped (or clamped in clip
// mode). Derivatives are JAX's: scatter-add is linear (transpose: a gather);
// scatter's JVP masks out the updates that lose and scatter-adds the rest;
// scatter-mul needs unique indices for the updates' derivative; min/max
// share the tangent between equal contenders.
#include <algorithm>
#include <cmath>

#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/gather_scatter.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

using Ints = std::vector<int64_t>;

[[noreturn]] void fail(std::string_view op, const std::string& msg) { throw ShapeError(std::string(op) + ": " + msg); }
std::string tuple(const Ints& v) { return axes_tuple(v); }
bool contains(const Ints& v, int64_t x) { return has_axis(v, x); }

enum class Combine { set, add, mul, min, max };

Combine combine_of(const Primitive& p) {
  if (&p == &scatter_add_p) return Combine::add;
  if (&p == &scatter_mul_p) return Combine::mul;
  if (&p == &scatter_min_p) return Combine::min;
  if (&p == &scatter_max_p) return Combine::max;
  return Combine::set;
}

IndexGeometry scatter_geometry(const Shape& operand, const Shape& indices, const Shape& updates,
                               const ScatterDimensionNumbers& d) {
  IndexGeometry g{operand, indices, Ints(operand.size(), 1), {}, d.scatter_dims_to_operand_dims,
                  d.operand_batching_dims, d.scatter_indices_batching_dims};
  for (int64_t a = 0; a < static_cast<int64_t>(operand.size()); ++a)
    if (!contains(d.inserted_window_dims, a) && !contains(d.operand_batching_dims, a)) g.window_axes.push_back(a);
  for (size_t k = 0; k < g.window_axes.size() && k < d.update_window_dims.size(); ++k)
    g.window_sizes[g.window_axes[k]] = updates[d.update_window_dims[k]];
  return g;
}

// The slice sizes of the gather that reads a scatter's windows back.
Ints gather_slice_sizes(const Shape& operand, const Shape& updates, const ScatterDimensionNumbers& d) {
  return scatter_geometry(operand, Shape(1, 1), updates, d).window_sizes;
}

std::vector<AbstractValue> scatter_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const AbstractValue &x = *in[0], &idx = *in[1], &u = *in[2];
  const auto& d = params.get<ScatterDimensionNumbers>("dimension_numbers");
  check_index_operand(p.name, idx, d.scatter_dims_to_operand_dims.size());
  if (u.dtype != x.dtype)
    throw TypeError(std::string(p.name) + ": the updates (" + std::string(dtype_name(u.dtype)) +
                    ") must have the operand's dtype (" + std::string(dtype_name(x.dtype)) + ")");
  for (const auto& [what, axes] : {std::pair{"inserted_window_dims", &d.inserted_window_dims},
                                   std::pair{"scatter_dims_to_operand_dims", &d.scatter_dims_to_operand_dims}})
    for (int64_t a : *axes)
      if (a < 0 || a >= x.ndim() || std::count(axes->begin(), axes->end(), a) > 1)
        fail(p.name, std::string(what) + " " + tuple(*axes) + " must be distinct axes of the operand's shape " + shape_to_string(x.shape));
  check_batching_dims(p.name, x, idx, d.operand_batching_dims, d.scatter_indices_batching_dims);
  const IndexGeometry g = scatter_geometry(x.shape, idx.shape, Shape(static_cast<size_t>(u.ndim()), 0), d);
  const int64_t rank = idx.ndim() - 1 + static_cast<int64_t>(d.update_window_dims.size());
  if (u.ndim() != rank || d.update_window_dims.size() != g.window_axes.size() ||
      !std::is_sorted(d.update_window_dims.begin(), d.update_window_dims.end()))
    fail(p.name, "updates of shape " + shape_to_string(u.shape) + " must have the indices' batch axes " +
                     shape_to_string(Shape(idx.shape.begin(), idx.shape.end() - 1)) + " and, at update_window_dims " +
                     tuple(d.update_window_dims) + " (increasing), one axis per window axis of the operand (" +
                     std::to_string(g.window_axes.size()) + ")");
  size_t window = 0, batch = 0;
  for (int64_t a = 0; a < rank; ++a) {
    if (contains(d.update_window_dims, a)) {
      const int64_t operand_axis = g.window_axes[window++];
      if (u.shape[a] > x.shape[operand_axis])
        fail(p.name, "update window axis " + std::to_string(a) + " (extent " + std::to_string(u.shape[a]) +
                         ") is longer than operand axis " + std::to_string(operand_axis) + " of shape " + shape_to_string(x.shape));
    } else if (u.shape[a] != idx.shape[batch++]) {
      fail(p.name, "updates of shape " + shape_to_string(u.shape) + " must have the indices' batch axes " +
                       shape_to_string(Shape(idx.shape.begin(), idx.shape.end() - 1)) + " outside update_window_dims " +
                       tuple(d.update_window_dims));
    }
  }
  return single(x);
}

template <class T> T combine(Combine c, T a, T b) {
  if constexpr (std::is_same_v<T, bool>) {
    switch (c) {
      case Combine::set: return b;
      case Combine::add: case Combine::max: return a || b;
      case Combine::mul: case Combine::min: return a && b;
    }
  } else {
    switch (c) {
      case Combine::set: return b;
      // Integers wrap around, as XLA's do (unsigned arithmetic: no overflow UB).
      case Combine::add:
        if constexpr (std::is_integral_v<T>) return static_cast<T>(static_cast<std::make_unsigned_t<T>>(a) + static_cast<std::make_unsigned_t<T>>(b));
        else return a + b;
      case Combine::mul:
        if constexpr (std::is_integral_v<T>) return static_cast<T>(static_cast<std::make_unsigned_t<T>>(a) * static_cast<std::make_unsigned_t<T>>(b));
        else return a * b;
      case Combine::min:
        if constexpr (std::is_floating_point_v<T>)
          if (std::isnan(a) || std::isnan(b)) return std::isnan(a) ? a : b;  // NaN wins, as XLA's min
        return std::min(a, b);
      case Combine::max:
        if constexpr (std::is_floating_point_v<T>)
          if (std::isnan(a) || std::isnan(b)) return std::isnan(a) ? a : b;
        return std::max(a, b);
    }
  }
  return b;
}

std::vector<Array> scatter_impl(const Primitive& p, std::span<const Array> in, std::span<const AbstractValue> out,
                                const Params& params) {
  const auto& d = params.get<ScatterDimensionNumbers>("dimension_numbers");
  const IndexGeometry g = scatter_geometry(in[0].shape(), in[1].shape(), in[2].shape(), d);
  const auto mode = params.get<GatherScatterMode>("mode");
  const Combine how = combine_of(p);
  const Ints window_in = g.window_offsets();
  Ints window_extents;
  for (int64_t a : g.window_axes) window_extents.push_back(g.window_sizes[a]);
  const WindowLayout layout =
      window_layout(in[2].shape(), d.update_window_dims, Shape(g.indices.begin(), g.indices.end() - 1), window_extents);
  const std::vector<int64_t> idx = index_vectors(in[1]);
  auto result = output(out[0]);
  visit_dtype(out[0].dtype, [&]<class T>() {
    T* dst = out_data<T>(result);
    std::copy_n(detail::data_as<T>(in[0]), out[0].size(), dst);
    const T* updates = detail::data_as<T>(in[2]);
    for (int64_t b = 0; b < static_cast<int64_t>(layout.batch.size()); ++b) {
      const int64_t start = window_start(g, idx, b, mode, true);
      if (start < 0) continue;
      const T* row = updates + layout.batch[b];
      for (size_t w = 0; w < window_in.size(); ++w) {
        T& target = dst[start + window_in[w]];
        target = combine(how, target, row[layout.window[w]]);
      }
    }
  });
  return single(Array(std::move(result)));
}

Params with_dnums(const Params& params, ScatterDimensionNumbers d) {
  return {{"dimension_numbers", std::move(d)},
          {"indices_are_sorted", params.at("indices_are_sorted")},
          {"unique_indices", params.at("unique_indices")},
          {"mode", params.at("mode")}};
}

// The gather that reads back, at every update position, what the operand
// holds where that update was scattered (fill value 0 where it was dropped).
Array gather_back(const Array& from, const Array& indices, const Shape& updates, const Params& params) {
  const auto& d = params.get<ScatterDimensionNumbers>("dimension_numbers");
  return bind1(gather_p, {from, indices},
               {{"dimension_numbers", gather_dnums_of(d)},
                {"slice_sizes", gather_slice_sizes(from.shape(), updates, d)},
                {"fill_value", 0.0},
                {"indices_are_sorted", params.at("indices_are_sorted")},
                {"unique_indices", params.at("unique_indices")},
                {"mode", params.at("mode")}});
}

Array scatter_add(const Array& x, const Array& indices, const Array& updates, const Params& params) {
  return bind1(scatter_add_p, {x, indices, updates}, params);
}

JvpResult scatter_add_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                          const Params& params) {
  Array ans = bind1(p, primals, params);
  if (!tangents[0].valid() && !tangents[2].valid()) return {{ans}, {Array()}};
  const Array t = bind1(p, {lax::instantiate(tangents[0], primals[0].aval()), primals[1],
                            lax::instantiate(tangents[2], primals[2].aval())},
                        params);
  return {{std::move(ans)}, {t}};
}

std::vector<Array> scatter_add_transpose(const Primitive&, std::span<const Array> cts,
                                         std::span<const TransposeInput> in, const Params& params) {
  std::vector<Array> out(3);
  if (in[0].is_linear()) out[0] = cts[0];
  if (in[2].is_linear()) out[2] = gather_back(cts[0], in[1].known, in[2].aval.shape, params);
  return out;
}

// JAX's _scatter_jvp: which update wins where indices repeat is the
// kernel's choice, so each window gets an id, the ids are scattered, and
// what is read back says which update (or the operand) survived at every
// element; the survivors are then scatter-added, in values and tangents
// alike, which needs no transpose rule for scatter itself.
JvpResult scatter_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                      const Params& params) {
  const Array &x = primals[0], &indices = primals[1], &updates = primals[2];
  if (!tangents[0].valid() && !tangents[2].valid()) return {{bind1(p, primals, params)}, {Array()}};
  const auto& d = params.get<ScatterDimensionNumbers>("dimension_numbers");
  Shape ids_shape = updates.shape();
  for (int64_t a : d.update_window_dims) ids_shape[a] = 1;
  const int64_t num_ids = detail::shape_size(ids_shape);
  const DType id_dtype = num_ids < (int64_t{1} << 31) ? DType::uint32 : DType::uint64;
  const Array iota = bind1(iota_p, {}, {{"dtype", id_dtype}, {"shape", Shape{num_ids}}, {"dimension", int64_t{0}}});
  const Array ids = lax::broadcast_to(lax::add(lax::reshape(iota, ids_shape), lax::constant_like(iota, 1.0)),
                                      updates.shape());
  const Array scattered = bind1(p, {lax::zeros(AbstractValue{x.shape(), id_dtype}), indices, ids}, params);
  const Array read_back = gather_back(scattered, indices, updates.shape(), params);
  const Array operand_kept = bind1(eq_p, {scattered, lax::zeros(scattered.aval())});
  const Array update_kept = bind1(eq_p, {ids, read_back});
  const auto masked = [&](const Array& keep, const Array& v) { return lax::select(keep, v, lax::zeros(v.aval())); };
  const Params add_params = with_dnums(params, d);
  Array ans = scatter_add(masked(operand_kept, x), indices, masked(update_kept, updates), add_params);
  if (!is_floating(x.dtype())) return {{std::move(ans)}, {Array()}};
  const Array t = scatter_add(masked(operand_kept, lax::instantiate(tangents[0], x.aval())), indices,
                              masked(update_kept, lax::instantiate(tangents[2], updates.aval())), add_params);
  return {{std::move(ans)}, {t}};
}

[[noreturn]] void throw_scatter_mul_updates_error() {
  throw Error("scatter-mul: gradients with respect to the updates are only implemented when unique_indices=True, "
              "as in JAX (pass unique_indices to fx::at(...).multiply when the indices do not repeat)");
}

// scatter-mul is linear in the operand (a fixed elementwise product); in the
// updates only where indices are unique (JAX raises the same).
JvpResult scatter_mul_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                          const Params& params) {
  Array ans = bind1(p, primals, params);
  Array t;
  if (tangents[0].valid()) t = bind1(p, {tangents[0], primals[1], primals[2]}, params);
  if (tangents[2].valid()) {
    if (!params.get<bool>("unique_indices")) throw_scatter_mul_updates_error();
    const Array spread = scatter_add(lax::zeros(primals[0].aval()), primals[1], tangents[2], params);
    t = lax::add_tangents(t, lax::mul(primals[0], spread));
  }
  return {{std::move(ans)}, {t}};
}

std::vector<Array> scatter_mul_transpose(const Primitive& p, std::span<const Array> cts,
                                         std::span<const TransposeInput> in, const Params& params) {
  if (in[2].is_linear())
    throw Error("scatter-mul: reverse mode through the updates is not defined (the product is not linear in them)");
  std::vector<Array> out(3);
  if (in[0].is_linear()) out[0] = bind1(p, {cts[0], in[1].known, in[2].known}, params);
  return out;
}

// JAX's _scatter_extremal_jvp: where several values tie for the result
// (updates among themselves or with the operand), the tangent is their mean.
// The weights depend on the primals only, so the Taylor rule shares every
// term the same way.
class ExtremalShare {
 public:
  ExtremalShare(const Array& x, const Array& indices, const Array& updates, const Array& ans, const Params& params)
      : indices_(indices), params_(params),
        add_params_(with_dnums(params, params.get<ScatterDimensionNumbers>("dimension_numbers"))),
        updates_shape_(updates.shape()) {
    const Array initial = back(x), target = back(ans);
    const Array successful = bind1(eq_p, {updates, target});
    const Array retained = bind1(eq_p, {initial, target});
    const Array one = lax::broadcast_to(lax::constant_like(updates, 1.0), updates.shape());
    const Array zeros_u = lax::zeros(updates.aval()), zeros_x = lax::zeros(x.aval());
    const Array num_updates = back(scatter_add(zeros_x, indices, lax::select(successful, one, zeros_u), add_params_));
    const Array num_refs = back(scatter_add(zeros_x, indices, one, add_params_));
    const Array updates_normalizer =
        lax::select(retained, lax::div(one, lax::add(num_updates, one)), lax::div(one, num_updates));
    updates_coef_ = lax::select(successful, updates_normalizer, zeros_u);
    const Array operand_normalizer = lax::select(retained, lax::div(one, lax::add(num_updates, one)), zeros_u);
    operand_coef_ = lax::div(lax::sub(operand_normalizer, one), num_refs);
  }
  // The result's tangent from the operand's (g_x) and the updates' (g_u).
  Array operator()(const Array& g_x, const Array& g_u) const {
    const Array tangent_updates = lax::add(lax::mul(back(g_x), operand_coef_), lax::mul(g_u, updates_coef_));
    return scatter_add(g_x, indices_, tangent_updates, add_params_);
  }

 private:
  Array back(const Array& from) const { return gather_back(from, indices_, updates_shape_, params_); }
  Array indices_;
  Params params_, add_params_;
  Shape updates_shape_;
  Array updates_coef_, operand_coef_;
};

JvpResult scatter_extremal_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                               const Params& params) {
  const Array &x = primals[0], &indices = primals[1], &updates = primals[2];
  Array ans = bind1(p, primals, params);
  if (!tangents[0].valid() && !tangents[2].valid()) return {{ans}, {Array()}};
  const ExtremalShare share(x, indices, updates, ans, params);
  Array t = share(lax::instantiate(tangents[0], x.aval()), lax::instantiate(tangents[2], updates.aval()));
  return {{std::move(ans)}, {std::move(t)}};
}

TaylorResult scatter_extremal_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                                  const Params& params) {
  const Array &x = primals[0], &indices = primals[1], &updates = primals[2];
  Array ans = bind1(p, primals, params);
  const ExtremalShare share(x, indices, updates, ans, params);
  const size_t order = order_of(series);
  const Series g_x = instantiate_series(x, series[0], order), g_u = instantiate_series(updates, series[2], order);
  Series terms;
  for (size_t k = 0; k < order; ++k) terms.push_back(share(g_x[k], g_u[k]));
  return {{std::move(ans)}, {std::move(terms)}};
}

// scatter-mul: linear in the operand (a fixed elementwise product); with
// moving updates (unique indices, as the JVP requires) it is the operand
// times s = scatter-mul(1, indices, updates), whose coefficients are the
// updates' scattered into zeros, so the terms are a Cauchy product.
TaylorResult scatter_mul_jet(const Primitive& p, std::span<const Array> primals, std::span<const Series> series,
                             const Params& params) {
  const Array &x = primals[0], &indices = primals[1], &updates = primals[2];
  Array ans = bind1(p, primals, params);
  if (series[2].empty()) {
    Series terms;
    for (const Array& g : series[0]) terms.push_back(bind1(p, {g, indices, updates}, params));
    return {{std::move(ans)}, {std::move(terms)}};
  }
  if (!params.get<bool>("unique_indices")) throw_scatter_mul_updates_error();
  const size_t order = order_of(series);
  const Series u = coefficients(updates, series[2], order);
  Series s(order + 1);
  s[0] = bind1(p, {lax::broadcast_to(lax::constant_like(x, 1.0), x.shape()), indices, updates}, params);
  for (size_t k = 1; k <= order; ++k) s[k] = scatter_add(lax::zeros(x.aval()), indices, u[k], params);
  const Series xs = coefficients(x, series[0], order);
  Series c(order + 1);
  c[0] = ans;
  for (size_t k = 1; k <= order; ++k) c[k] = convolve(xs, s, k);
  return {{std::move(ans)}, {derivative_terms(c)}};
}

// scatter is linear in (operand, updates) together; JAX transposes it only
// for unique indices (otherwise the losing updates would get cotangents).
std::vector<Array> scatter_transpose(const Primitive& p, std::span<const Array> cts, std::span<const TransposeInput> in,
                                     const Params& params) {
  if (!params.get<bool>("unique_indices"))
    throw Error("scatter: transpose is only implemented where unique_indices=True, as in JAX");
  std::vector<Array> out(3);
  if (in[0].is_linear()) out[0] = bind1(p, {cts[0], in[1].known, lax::zeros(in[2].aval)}, params);
  if (in[2].is_linear()) out[2] = gather_back(cts[0], in[1].known, in[2].aval.shape, params);
  return out;
}

// Every operand gets the batch axis in front (unmapped ones broadcast); the
// operand's and the indices' become a batching dimension pair, the updates'
// the first of their scatter (non-window) axes.
BatchResult scatter_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                          const Params& params) {
  const int64_t size = batch_size(values, dims);
  std::vector<Array> ops;
  for (size_t i = 0; i < 3; ++i) ops.push_back(move_batch_axis(values[i], dims[i], 0, size));
  return {{bind1(p, ops,
                with_dnums(params, with_leading_batch_pair(params.get<ScatterDimensionNumbers>("dimension_numbers"))))},
          {0}};
}

// JAX keeps the combining function as a jaxpr parameter; Fluxion's primitive
// is the combination, so these print as JAX prints them when it has none.
PrintedEqn scatter_print(const Params& params) {
  PrintedEqn printed = printed_params(params);
  printed.params.emplace_back("update_consts", Ints{});
  show_none_param(printed, "update_jaxpr");
  return printed;
}

// scatter and scatter-add are linear in (operand, updates) together: which
// update survives (scatter) is the kernel's choice, the same for every term.
constexpr Primitive scatter_kind(std::string_view name, JvpRule jvp, TransposeRule transpose, TaylorRule jet) {
  return Primitive{.name = name, .abstract_eval = scatter_aval, .impl = scatter_impl, .jvp = jvp,
                   .transpose = transpose, .batch = scatter_batch, .jet = jet, .lower = compiler::lower_via_eager,
                   .print = scatter_print};
}

}  // namespace

const Primitive scatter_p = scatter_kind("scatter", scatter_jvp, scatter_transpose, taylor_linear);
const Primitive scatter_add_p = scatter_kind("scatter-add", scatter_add_jvp, scatter_add_transpose, taylor_linear);
const Primitive scatter_mul_p = scatter_kind("scatter-mul", scatter_mul_jvp, scatter_mul_transpose, scatter_mul_jet);
const Primitive scatter_min_p = scatter_kind("scatter-min", scatter_extremal_jvp, nullptr, scatter_extremal_jet);
const Primitive scatter_max_p = scatter_kind("scatter-max", scatter_extremal_jvp, nullptr, scatter_extremal_jet);

}  // namespace fluxion::prim
