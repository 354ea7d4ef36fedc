// jit against eager, bit for bit: pad, rev, dynamic_slice,
// dynamic_update_slice, gather and the scatters over every dtype, with
// index operands from the harness's integers (edge values included, so
// out-of-bounds indices are clamped or dropped in both).
#include "primitives/gather_scatter.hpp"
#include "registry_harness.hpp"

namespace jit_registry {
namespace {

using GDN = fx::GatherDimensionNumbers;
using SDN = fx::ScatterDimensionNumbers;

fx::Params gather_params(GDN d, Ints sizes, fx::GatherScatterMode mode) {
  return {{"dimension_numbers", std::move(d)}, {"slice_sizes", std::move(sizes)}, {"fill_value", fx::NoneParam{}},
          {"indices_are_sorted", false}, {"unique_indices", false}, {"mode", mode}};
}

fx::Params scatter_params(SDN d, fx::GatherScatterMode mode) {
  return {{"dimension_numbers", std::move(d)}, {"indices_are_sorted", false}, {"unique_indices", false}, {"mode", mode}};
}

// Small in-range indices in [-1, n + 1): mostly in bounds, some just out.
fx::Array small_indices(const fx::Shape& shape, uint64_t seed, int64_t n) {
  Rng r{seed};
  std::vector<int32_t> v(static_cast<size_t>(size_of(shape)));
  for (int32_t& e : v) e = static_cast<int32_t>(r.range(-1, n + 1));
  return fx::array_of<int32_t>(v, shape);
}

constexpr fx::GatherScatterMode kModes[] = {fx::GatherScatterMode::clip, fx::GatherScatterMode::fill_or_drop,
                                            fx::GatherScatterMode::promise_in_bounds};

void gather_cases(Batch& b) {
  for (fx::DType t : kDTypes)
    for (fx::GatherScatterMode mode : kModes) {
      const uint64_t seed = b.seed();
      const fx::Array x = operand(t, {5, 4}, seed, 0);
      b.add("gather rows " + dt(t), {x, small_indices({3, 1}, seed, 5)},
            bind_fn(prim::gather_p, gather_params(GDN{{1}, {0}, {0}, {}, {}}, {1, 4}, mode)));
      b.add("gather windows " + dt(t), {x, small_indices({2, 2}, seed + 1, 4)},
            bind_fn(prim::gather_p, gather_params(GDN{{1, 2}, {}, {0, 1}, {}, {}}, {2, 3}, mode)));
      b.add("gather harness indices " + dt(t), {x, operand(fx::int32, {4, 1}, seed, 1)},
            bind_fn(prim::gather_p, gather_params(GDN{{1}, {0}, {0}, {}, {}}, {1, 4}, mode)));
      b.add("gather batching dims " + dt(t), {x, small_indices({5, 1}, seed + 2, 4)},
            bind_fn(prim::gather_p, gather_params(GDN{{}, {1}, {1}, {0}, {0}}, {1, 1}, mode)));
    }
}

void scatter_cases(Batch& b, const fx::Primitive& p) {
  for (fx::DType t : kDTypes)
    for (fx::GatherScatterMode mode : kModes) {
      const uint64_t seed = b.seed();
      const fx::Array x = operand(t, {5, 4}, seed, 0);
      const fx::Params params = scatter_params(SDN{{1}, {0}, {0}, {}, {}}, mode);
      if (!accepts(p, {x.aval(), {{3, 1}, fx::int32, false}, {{3, 4}, t, false}}, params)) continue;
      b.add(std::string(p.name) + " rows " + dt(t), {x, small_indices({3, 1}, seed, 5), operand(t, {3, 4}, seed, 2)},
            bind_fn(p, params));
      b.add(std::string(p.name) + " harness indices " + dt(t),
            {x, operand(fx::int32, {6, 1}, seed, 1), operand(t, {6, 4}, seed, 3)}, bind_fn(p, params));
      b.add(std::string(p.name) + " windows " + dt(t),
            {x, small_indices({2, 2}, seed + 1, 4), operand(t, {2, 2, 3}, seed, 4)},
            bind_fn(p, scatter_params(SDN{{1, 2}, {}, {0, 1}, {}, {}}, mode)));
    }
}

}  // namespace

void add_indexing_cases(CaseTable& c) {
  c["pad"] = [](Batch& b) {
    for (fx::DType t : kDTypes) {
      const uint64_t seed = b.seed();
      b.add("pad " + dt(t), {operand(t, {3, 4}, seed, 0), operand(t, {}, seed, 1)},
            bind_fn(prim::pad_p, {{"padding_config", std::vector<Ints>{{1, -1, 2}, {0, 3, 0}}}}));
      b.add("pad empty " + dt(t), {operand(t, {0, 2}, seed, 0), operand(t, {}, seed, 1)},
            bind_fn(prim::pad_p, {{"padding_config", std::vector<Ints>{{1, 1, 1}, {-1, 0, 0}}}}));
    }
  };
  c["rev"] = [](Batch& b) {
    using Spec = std::pair<std::vector<fx::Shape>, fx::Params>;
    structural(b, prim::rev_p,
               {Spec{{fx::Shape{3, 4}}, {{"dimensions", Ints{0, 1}}}}, Spec{{fx::Shape{2, 0, 3}}, {{"dimensions", Ints{2}}}},
                Spec{{fx::Shape{1000}}, {{"dimensions", Ints{0}}}}});
  };
  c["dynamic_slice"] = [](Batch& b) {
    for (fx::DType t : kDTypes) {
      const uint64_t seed = b.seed();
      b.add("dynamic_slice " + dt(t),
            {operand(t, {5, 4}, seed, 0), operand(fx::int32, {}, seed, 1), operand(fx::int64, {}, seed, 2)},
            bind_fn(prim::dynamic_slice_p, {{"slice_sizes", Ints{2, 3}}}));
    }
  };
  c["dynamic_update_slice"] = [](Batch& b) {
    for (fx::DType t : kDTypes) {
      const uint64_t seed = b.seed();
      b.add("dynamic_update_slice " + dt(t),
            {operand(t, {5, 4}, seed, 0), operand(t, {2, 3}, seed, 1), operand(fx::int32, {}, seed, 2),
             operand(fx::int32, {}, seed, 3)},
            bind_fn(prim::dynamic_update_slice_p));
    }
  };
  c["gather"] = gather_cases;
  c["scatter"] = [](Batch& b) { scatter_cases(b, prim::scatter_p); };
  c["scatter-add"] = [](Batch& b) { scatter_cases(b, prim::scatter_add_p); };
  c["scatter-mul"] = [](Batch& b) { scatter_cases(b, prim::scatter_mul_p); };
  c["scatter-min"] = [](Batch& b) { scatter_cases(b, prim::scatter_min_p); };
  c["scatter-max"] = [](Batch& b) { scatter_cases(b, prim::scatter_max_p); };
}

}  // namespace jit_registry
