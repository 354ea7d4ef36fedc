#include "primitives/rule_helpers.hpp"
#include <algorithm>

#include "kernels/strided_copy.hpp"

namespace fluxion::prim {

std::string describe(DTypeSet set) {
  std::string names;
  for (int i = 0; i < kNumDTypes; ++i) {
    if (!(set & (1u << i))) continue;
    if (!names.empty()) names += ", ";
    names += dtype_name(static_cast<DType>(i));
  }
  return names;
}

void throw_dtype_error(std::string_view op, DType given, DTypeSet accepted, std::string_view hint) {
  std::string msg = std::string(op) + " does not accept dtype " + std::string(dtype_name(given)) +
                    "; accepted dtypes are " + describe(accepted);
  if (!hint.empty()) msg += ". " + std::string(hint);
  throw TypeError(msg);
}

AbstractValue elementwise_aval(std::string_view op, AvalRefs in, DTypeSet accepted) {
  bool weak = true;
  const AbstractValue* ranked = nullptr;  // first operand of non-zero rank
  for (const AbstractValue* a : in) {
    if (a->dtype != in[0]->dtype) {
      std::string types;
      for (const AbstractValue* b : in) types += (types.empty() ? "" : ", ") + std::string(dtype_name(b->dtype));
      throw TypeError(std::string(op) + " requires arguments to have the same dtypes, got " + types +
                      " (the NumPy-style operations promote dtypes before calling primitives)");
    }
    if (!(accepted & bit(a->dtype))) throw_dtype_error(op, a->dtype, accepted);
    weak = weak && a->weak_type;
    if (a->ndim() > 0 && !ranked) ranked = a;
  }
  if (!ranked) return AbstractValue{{}, in[0]->dtype, weak};
  // JAX's broadcasting_shape_rule: 0-d operands broadcast; the others have
  // one rank and per dimension equal extents or 1.
  Shape shape = ranked->shape;
  for (const AbstractValue* a : in) {
    if (a->ndim() == 0) continue;
    bool ok = a->ndim() == ranked->ndim();
    for (size_t i = 0; ok && i < shape.size(); ++i) {
      if (a->shape[i] == shape[i] || a->shape[i] == 1) continue;
      ok = shape[i] == 1;
      if (ok) shape[i] = a->shape[i];
    }
    if (!ok) {
      std::string shapes;
      for (const AbstractValue* b : in) shapes += (shapes.empty() ? "" : ", ") + shape_to_string(b->shape);
      throw ShapeError(std::string(op) + " got incompatible shapes for broadcasting: " + shapes +
                       " (primitives need equal ranks with extents equal or 1, or 0-d operands)");
    }
  }
  return AbstractValue{std::move(shape), in[0]->dtype, weak};
}

std::vector<Array> expand_operands(std::span<const Array> in, const Shape& shape) {
  std::vector<Array> out;
  out.reserve(in.size());
  for (const Array& x : in) {
    if (x.size() == 1 || x.shape() == shape) {
      out.push_back(x);
      continue;
    }
    AbstractValue aval{shape, x.dtype(), x.weak_type()};
    const auto in_strides = detail::strides_of(x.shape());
    std::vector<int64_t> strides(shape.size());
    for (size_t i = 0; i < shape.size(); ++i) strides[i] = x.shape()[i] == 1 ? 0 : in_strides[i];
    auto result = output(aval);
    visit_dtype(x.dtype(), [&]<class T>() {
      kernels::strided_copy(detail::data_as<T>(x), 0, strides, shape, out_data<T>(result));
    });
    out.push_back(Array(std::move(result)));
  }
  return out;
}

JvpResult zero_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array>,
                   const Params& params) {
  return {fluxion::bind(p, primals, params), {}};
}

JvpResult linear_jvp(const Primitive& p, std::span<const Array> primals, std::span<const Array> tangents,
                     const Params& params) {
  std::vector<Array> ans = fluxion::bind(p, primals, params);
  if (!tangents[0].valid()) return {std::move(ans), {}};
  return {std::move(ans), fluxion::bind(p, tangents.first(1), params)};
}

PrintedEqn printed_params(const Params& params) {
  PrintedEqn printed;
  for (const Params::Item& item : params.items()) printed.params.emplace_back(item.first, item.second);
  return printed;
}

void hide_param(PrintedEqn& printed, std::string_view key) {
  std::erase_if(printed.params, [&](const auto& item) { return item.first == key; });
}

void show_none_param(PrintedEqn& printed, std::string_view key) {
  auto at = std::find_if(printed.params.begin(), printed.params.end(),
                         [&](const auto& item) { return item.first > key; });
  printed.params.emplace(at, key, NoneParam{});
}

void show_name_first(PrintedEqn& printed) {
  std::stable_partition(printed.params.begin(), printed.params.end(),
                        [](const auto& item) { return item.first == "name"; });
}

PrintedEqn print_with_out_sharding(const Params& params) {
  PrintedEqn printed = printed_params(params);
  show_none_param(printed, "out_sharding");
  return printed;
}

PrintedEqn print_with_sharding(const Params& params) {
  PrintedEqn printed = printed_params(params);
  show_none_param(printed, "sharding");
  return printed;
}

}  // namespace fluxion::prim
