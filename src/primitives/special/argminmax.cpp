// argmax, argmin [axes, index_dtype]: the position of the largest (smallest)
// element along the one axis in `axes`, as jax.lax.argmax_p: any dtype in,
// `index_dtype` (an integer dtype) out, never weak. As JAX's reducer: a NaN
// counts as the extremum, and of equal candidates the first wins (so the
// first NaN, when there is one). The reduced axis must not be empty.
// Integer-valued: the derivative is zero (JAX's defjvp_zero).
#include <cmath>
#include <type_traits>

#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/special/family.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

int64_t the_axis(const Primitive& p, const Params& params) {
  const auto& axes = params.get<std::vector<int64_t>>("axes");
  if (axes.size() != 1)
    throw ShapeError(std::string(p.name) + ": axes must hold exactly one axis, got (" + detail::join(axes) + ")");
  return axes[0];
}

std::vector<AbstractValue> argminmax_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const AbstractValue& x = *in[0];
  const int64_t axis = the_axis(p, params);
  if (axis < 0 || axis >= x.ndim())
    throw ShapeError(std::string(p.name) + ": invalid axis " + std::to_string(axis) + " for an operand of shape " +
                     shape_to_string(x.shape) + " (expected an axis in [0, " + std::to_string(x.ndim()) + "))");
  if (x.shape[axis] < 1)
    throw ShapeError(std::string(p.name) + " requires a non-empty reduced dimension, got shape " +
                     shape_to_string(x.shape) + " and axis " + std::to_string(axis));
  const DType index = params.get<DType>("index_dtype");
  if (!(kInts & bit(index)))
    throw TypeError(std::string(p.name) + ": index_dtype must be an integer type, but got " +
                    std::string(dtype_name(index)));
  AbstractValue out{{}, index, false};
  for (int64_t i = 0; i < x.ndim(); ++i)
    if (i != axis) out.shape.push_back(x.shape[i]);
  return single(std::move(out));
}

// Whether a should replace the current candidate b (a comes later).
template <class T> bool better(bool is_max, T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(b)) return false;
    if (std::isnan(a)) return true;
  }
  return is_max ? a > b : a < b;
}

std::vector<Array> argminmax_impl(const Primitive& p, std::span<const Array> in, std::span<const AbstractValue> out,
                                  const Params& params) {
  const bool is_max = p.tag == 0;
  const Shape& shape = in[0].shape();
  const int64_t axis = params.get<std::vector<int64_t>>("axes")[0];
  const int64_t extent = shape[axis];
  int64_t inner = 1;
  for (size_t i = static_cast<size_t>(axis) + 1; i < shape.size(); ++i) inner *= shape[i];
  const int64_t outer = inner == 0 ? 0 : in[0].size() / (extent * inner);
  auto result = output(out[0]);
  std::vector<int64_t> best(static_cast<size_t>(out[0].size()), 0);
  visit_dtype(in[0].dtype(), [&]<class T>() {
    const T* x = detail::data_as<T>(in[0]);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < inner; ++j) {
        const T* row = x + o * extent * inner + j;
        int64_t k = 0;
        for (int64_t i = 1; i < extent; ++i)
          if (better(is_max, row[i * inner], row[k * inner])) k = i;
        best[static_cast<size_t>(o * inner + j)] = k;
      }
  });
  visit_dtype(out[0].dtype, [&]<class I>() {
    if constexpr (std::is_integral_v<I> && !std::is_same_v<I, bool>) {
      I* o = out_data<I>(result);
      for (size_t i = 0; i < best.size(); ++i) o[i] = static_cast<I>(best[i]);
    }
  });
  return single(Array(std::move(result)));
}

// The batch axis is never reduced: the axis is renumbered around it.
BatchResult argminmax_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                            const Params& params) {
  const int d = dims[0];
  const int64_t axis = params.get<std::vector<int64_t>>("axes")[0];
  const Params batched{{"axes", std::vector<int64_t>{batched_axis(axis, d)}},
                       {"index_dtype", params.get<DType>("index_dtype")}};
  return {{fluxion::bind1(p, {values[0]}, batched)}, {axis < d ? d - 1 : d}};
}

constexpr Primitive argminmax(std::string_view name, bool is_max) {
  return Primitive{.name = name, .tag = is_max ? 0 : 1, .abstract_eval = argminmax_aval, .impl = argminmax_impl,
                   .jvp = zero_jvp, .batch = argminmax_batch, .jet = taylor_constant, .lower = compiler::lower_via_eager};
}

}  // namespace

const Primitive argmax_p = argminmax("argmax", true);
const Primitive argmin_p = argminmax("argmin", false);

}  // namespace fluxion::prim
