// pad and rev: jax.lax.pad (edge padding, negative to crop, and interior
// padding between elements) and jax.lax.rev (reversal of axes). Both are
// linear; their transposes are a strided slice of a padding and rev itself.
#include <algorithm>

#include "kernels/strided_copy.hpp"
#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

using Ints = std::vector<int64_t>;
using PaddingConfig = std::vector<Ints>;

[[noreturn]] void fail(std::string_view op, const std::string& msg) { throw ShapeError(std::string(op) + ": " + msg); }

std::string config_string(const PaddingConfig& config) { return param_to_string(ParamValue(config)); }

// The extent of one padded dimension: lo + hi + n + (n - 1) * interior.
int64_t padded_extent(int64_t n, const Ints& c) { return c[0] + c[1] + n + std::max<int64_t>(n - 1, 0) * c[2]; }

std::vector<AbstractValue> pad_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const AbstractValue &x = *in[0], &value = *in[1];
  const auto& config = params.get<PaddingConfig>("padding_config");
  if (value.ndim() != 0)
    fail(p.name, "the padding value must be a scalar, got shape " + shape_to_string(value.shape));
  if (value.dtype != x.dtype)
    throw TypeError(std::string(p.name) + ": the operand (" + std::string(dtype_name(x.dtype)) +
                    ") and the padding value (" + std::string(dtype_name(value.dtype)) + ") must have one dtype");
  if (static_cast<int64_t>(config.size()) != x.ndim())
    fail(p.name, "padding_config " + config_string(config) + " must have one (low, high, interior) triple per dimension of shape " + shape_to_string(x.shape));
  AbstractValue out{{}, x.dtype, x.weak_type && value.weak_type};
  for (size_t d = 0; d < config.size(); ++d) {
    const Ints& c = config[d];
    if (c.size() != 3 || c[2] < 0)
      fail(p.name, "padding_config entry " + std::to_string(d) + " must be (low, high, interior) with interior >= 0, got " + "(" + detail::join(c) + ")");
    const int64_t extent = padded_extent(x.shape[d], c);
    if (extent < 0)
      fail(p.name, "padding_config " + config_string(config) + " crops dimension " + std::to_string(d) + " of shape " + shape_to_string(x.shape) + " below zero");
    out.shape.push_back(extent);
  }
  detail::check_shape(out.shape, p.name);
  return single(std::move(out));
}

std::vector<Array> pad_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                            const Params& params) {
  const auto& config = params.get<PaddingConfig>("padding_config");
  auto result = output(out[0]);
  const Shape& shape = in[0].shape();
  const Ints out_strides = detail::strides_of(out[0].shape);
  visit_dtype(out[0].dtype, [&]<class T>() {
    T* dst = out_data<T>(result);
    std::fill(dst, dst + out[0].size(), *detail::data_as<T>(in[1]));
    const T* src = detail::data_as<T>(in[0]);
    // Each operand element lands at lo + i * (interior + 1) along each
    // dimension, unless negative padding cropped it away.
    Ints index(shape.size(), 0);
    for (int64_t flat = 0, n = in[0].size(); flat < n; ++flat) {
      int64_t at = 0;
      bool inside = true;
      for (size_t d = 0; d < shape.size() && inside; ++d) {
        const int64_t pos = config[d][0] + index[d] * (config[d][2] + 1);
        inside = pos >= 0 && pos < out[0].shape[d];
        at += pos * out_strides[d];
      }
      if (inside) dst[at] = src[flat];
      for (size_t d = shape.size(); d-- > 0;) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
  });
  return single(Array(std::move(result)));
}

JvpResult pad_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                  const Params& params) {
  Array ans = bind1(p, primals, params);
  if (!tangents[0].valid() && !tangents[1].valid()) return {{ans}, {Array()}};
  Array t = bind1(p, {lax::instantiate(tangents[0], primals[0].aval()), lax::instantiate(tangents[1], primals[1].aval())},
                  params);
  return {{std::move(ans)}, {std::move(t)}};
}

// JAX's _pad_transpose: the operand's cotangent undoes the edge padding
// (padding by its negative, which crops) and takes every (interior + 1)-th
// element; the padding value's is what is left of the total.
std::vector<Array> pad_transpose(const Primitive& p, std::span<const Array> cts, std::span<const TransposeInput> in,
                                 const Params& params) {
  const auto& config = params.get<PaddingConfig>("padding_config");
  const Array& ct = cts[0];
  PaddingConfig unpad;
  Ints start, limit, strides;
  for (const Ints& c : config) unpad.push_back({-c[0], -c[1], 0});
  const Array zero = lax::constant_like(lax::reduce_sum(ct, {}), 0.0);
  const Array unpadded = bind1(p, {ct, zero}, {{"padding_config", unpad}});
  for (size_t d = 0; d < config.size(); ++d) {
    start.push_back(0);
    limit.push_back(unpadded.shape()[d]);
    strides.push_back(config[d][2] + 1);
  }
  const bool strided = std::any_of(strides.begin(), strides.end(), [](int64_t s) { return s != 1; });
  const Array t_operand = bind1(slice_p, {unpadded}, {{"start_indices", start}, {"limit_indices", limit},
                                                      {"strides", strided ? ParamValue(strides) : ParamValue(NoneParam{})}});
  Ints all(static_cast<size_t>(ct.ndim()));
  for (size_t d = 0; d < all.size(); ++d) all[d] = static_cast<int64_t>(d);
  std::vector<Array> out(2);
  if (in[0].is_linear()) out[0] = t_operand;
  if (in[1].is_linear()) out[1] = lax::sub(lax::reduce_sum(ct, all), lax::reduce_sum(t_operand, all));
  return out;
}

// A batched operand pads with (0, 0, 0) along its batch axis; a batched
// padding value becomes a select between the padded operand and the value
// broadcast, with a padded mask saying which is which (JAX's rule).
BatchResult pad_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                      const Params& params) {
  const int64_t size = batch_size(values, dims);
  const Array x = move_batch_axis(values[0], dims[0], 0, size);
  PaddingConfig config = params.get<PaddingConfig>("padding_config");
  config.insert(config.begin(), Ints{0, 0, 0});
  if (dims[1] == not_mapped) return {{bind1(p, {x, values[1]}, {{"padding_config", config}})}, {0}};
  const Array zero = lax::zeros(AbstractValue{{}, x.dtype()});
  const Array padded = bind1(p, {x, zero}, {{"padding_config", config}});
  const Array trues = lax::broadcast_to(lax::convert(lax::constant_like(zero, 1.0), DType::bool_), x.shape());
  const Array mask = bind1(p, {trues, lax::convert(zero, DType::bool_)}, {{"padding_config", config}});
  const Array v = lax::broadcast_in_dim(values[1], padded.shape(), {0});
  return {{lax::select(mask, padded, v)}, {0}};
}

std::vector<AbstractValue> rev_aval(const Primitive& p, AvalRefs in, const Params& params) {
  const auto& dims = params.get<Ints>("dimensions");
  std::vector<bool> seen(in[0]->shape.size(), false);
  for (int64_t d : dims) {
    if (d < 0 || d >= in[0]->ndim() || seen[d])
      fail(p.name, "dimensions (" + detail::join(dims) + ") must be distinct axes of an operand of shape " + shape_to_string(in[0]->shape));
    seen[d] = true;
  }
  return single(*in[0]);
}

std::vector<Array> rev_impl(const Primitive&, std::span<const Array> in, std::span<const AbstractValue> out,
                            const Params& params) {
  // A reversed axis is read from its last element with a negative stride.
  Ints strides = detail::strides_of(in[0].shape());
  int64_t offset = 0;
  for (int64_t d : params.get<Ints>("dimensions")) {
    if (in[0].shape()[d] > 0) offset += (in[0].shape()[d] - 1) * strides[d];
    strides[d] = -strides[d];
  }
  auto result = output(out[0]);
  visit_dtype(out[0].dtype, [&]<class T>() {
    kernels::strided_copy(detail::data_as<T>(in[0]), offset, strides, out[0].shape, out_data<T>(result));
  });
  return single(Array(std::move(result)));
}

std::vector<Array> rev_transpose(const Primitive& p, std::span<const Array> cts, std::span<const TransposeInput>,
                                 const Params& params) {
  return {bind1(p, {cts[0]}, params)};
}

BatchResult rev_batch(const Primitive& p, std::span<const Array> values, std::span<const int> dims,
                      const Params& params) {
  Ints shifted;
  for (int64_t d : params.get<Ints>("dimensions")) shifted.push_back(batched_axis(d, dims[0]));
  return {{bind1(p, {values[0]}, {{"dimensions", shifted}})}, {dims[0]}};
}

}  // namespace

const Primitive pad_p{.name = "pad", .abstract_eval = pad_aval, .impl = pad_impl, .jvp = pad_jvp,
                      .transpose = pad_transpose, .batch = pad_batch, .jet = taylor_linear, .lower = compiler::lower_via_eager};
const Primitive rev_p{.name = "rev", .abstract_eval = rev_aval, .impl = rev_impl, .jvp = linear_jvp,
                      .transpose = rev_transpose, .batch = rev_batch, .jet = taylor_linear, .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
