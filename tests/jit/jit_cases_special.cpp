// jit against eager, bit for bit: special functions, cumulative ops, argmin/argmax.
#include "registry_harness.hpp"
#include "primitives/special/family.hpp"

namespace jit_registry {

namespace {

// Cumulative ops over every dtype they take, along each axis, both ways;
// empty axes and long runs included.
void cumulative_cases(Batch& b, const fx::Primitive& p) {
  const std::vector<std::pair<fx::Shape, int64_t>> specs = {{{5}, 0},    {{3, 4}, 0},  {{3, 4}, 1},  {{0}, 0},
                                                            {{2, 0, 3}, 1}, {{2, 0, 3}, 2}, {{2, 3, 4}, 1}, {{1000}, 0},
                                                            {{40, 25}, 1}};
  for (fx::DType t : kDTypes)
    for (const auto& [shape, axis] : specs)
      for (bool reverse : {false, true}) {
        const fx::Params params{{"axis", axis}, {"reverse", reverse}};
        if (!accepts(p, {{shape, t, false}}, params)) continue;
        b.add(std::string(p.name) + " " + dt(t) + " " + shape_str(shape) + " axis " + std::to_string(axis) +
                  (reverse ? " reverse" : ""),
              {operand(t, shape, b.seed(), 0)}, bind_fn(p, params));
      }
}

void arg_cases(Batch& b, const fx::Primitive& p) {
  const std::vector<std::pair<fx::Shape, int64_t>> specs = {{{5}, 0},       {{3, 4}, 0},  {{3, 4}, 1},   {{2, 0, 3}, 2},
                                                            {{2, 3, 4}, 1}, {{1000}, 0}, {{40, 25}, 1}, {{70000}, 0}};
  for (fx::DType t : kDTypes)
    for (const auto& [shape, axis] : specs)
      for (fx::DType index : {fx::int32, fx::int64, fx::uint32}) {
        const fx::Params params{{"axes", Ints{axis}}, {"index_dtype", index}};
        if (!accepts(p, {{shape, t, false}}, params)) continue;
        b.add(std::string(p.name) + " " + dt(t) + " " + shape_str(shape) + " axis " + std::to_string(axis) + " -> " +
                  dt(index),
              {operand(t, shape, b.seed(), 0)}, bind_fn(p, params));
      }
}

}  // namespace

void add_special_cases(CaseTable& c) {
  for (const fx::Primitive* p : {&prim::erf_p, &prim::erfc_p, &prim::lgamma_p, &prim::digamma_p})
    c[std::string(p->name)] = [p](Batch& b) { elementwise(b, *p, 1); };
  for (const fx::Primitive* p : {&prim::polygamma_p, &prim::nextafter_p})
    c[std::string(p->name)] = [p](Batch& b) { elementwise(b, *p, 2); };
  for (const fx::Primitive* p : {&prim::cumsum_p, &prim::cumprod_p, &prim::cummax_p, &prim::cummin_p})
    c[std::string(p->name)] = [p](Batch& b) { cumulative_cases(b, *p); };
  for (const fx::Primitive* p : {&prim::argmax_p, &prim::argmin_p})
    c[std::string(p->name)] = [p](Batch& b) { arg_cases(b, *p); };
}

}  // namespace jit_registry
