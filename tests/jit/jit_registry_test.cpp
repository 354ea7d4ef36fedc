// jit against eager, bit for bit, for every registered primitive
// (docs/NUMERICS.md "jit against eager"). For each primitive in
// fluxion::all_primitives() the case table below builds applications with
// valid parameters over every dtype its shape rule accepts and over shapes
// that take each path of the code generator: 0-d, size 0, a 0-d or
// one-element operand broadcast against a (3,4) one (a hoisted scalar),
// operands with size-1 extents ((3,1), (1,100) against (700,100)), random
// shapes and broadcasts, blocks of 256 (1000 elements), OpenMP loops (70000
// elements), weakly typed operands. Values mix random ones with edge cases
// (±0.0, ±inf, NaNs of both signs with payloads and a signalling one,
// subnormals, huge magnitudes, floats at the integer types' bounds, INT_MIN,
// -1, zero divisors, shift amounts at and past the bit width); arrays of 256
// elements or more hold pairs of edge values (70000: every pair).
//
// Every application of a primitive is one check; the checks of one primitive
// are compiled together as one program (a function returning all their
// results: one compile per primitive rather than one per signature) and
// compared with the same functions evaluated eagerly: identical dtype, shape,
// weak type and bytes (memcmp), except that a NaN equals any NaN: which NaN
// an operation on NaNs returns (sign, payload, quieted or not) is not
// specified (IEEE 754 leaves it open, XLA does not promise it, and eager's own
// scalar and SIMD paths pick different operands of add and mul; see
// docs/NUMERICS.md). Chains of
// primitives are checked in jit_registry_chains_test.cpp; the harness both
// use is registry_harness.hpp. A primitive added to the registry without a case here fails
// EveryRegisteredPrimitiveHasACase.
//
// A mismatch prints the check, the first differing elements with both bit
// patterns and the operands there, and writes the generated C++ (what
// fx::jit(g).lower(args...).source() returns) to the test's temporary
// directory. FLUXION_JIT_REGISTRY_FILTER=text keeps only the checks whose
// label contains `text`, to reproduce one in a small program.#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "registry_harness.hpp"


// Loops of 70000 elements and more run on OpenMP threads here, as larger
// ones do by default (FLUXION_JIT_PARALLEL_WORK, read at the first compile):
// so every primitive is also checked in a threaded loop.
[[maybe_unused]] const bool kThreadedLoops = setenv("FLUXION_JIT_PARALLEL_WORK", "70000", 1) == 0;

namespace jit_registry {

// ------------------------------------------------------------------ cases per primitive

// Shapes for an elementwise primitive of `arity` operands.
std::vector<Config> elementwise_configs(size_t arity, uint64_t seed) {
  std::vector<Config> out;
  const auto all = [&](fx::Shape s, bool weak = false) {
    out.push_back({shape_str(s) + (weak ? " weak" : ""), std::vector<fx::Shape>(arity, s), weak});
  };
  all({});
  all({0});
  all({2, 0, 3});
  all({3, 4});
  all({1000});
  all({70000});
  all({3, 4}, true);
  if (arity > 1) {
    const auto with = [&](fx::Shape base, fx::Shape odd, size_t slot) {
      Config c{shape_str(base) + " with " + shape_str(odd) + " at " + std::to_string(slot),
               std::vector<fx::Shape>(arity, base)};
      c.shapes[slot] = odd;
      out.push_back(std::move(c));
    };
    for (size_t s = 0; s < arity; ++s) {
      with({3, 4}, {}, s);
      with({3, 4}, {3, 1}, s);
      with({3, 4}, {1, 1}, s);
    }
    with({1000}, {}, 0);
    with({70000}, {}, arity - 1);
    with({2, 0, 3}, {}, 0);
    with({0}, {1}, arity - 1);
    with({1, 1}, {}, 0);
    with({40, 25}, {40, 1}, 0);
    with({700, 100}, {1, 100}, arity - 1);
  }
  // Random shapes (rank 1 to 4, extents 0 to 6), and for several operands a
  // random broadcast of them: some extents 1, or an operand 0-d.
  Rng r{seed};
  for (int k = 0; k < 2; ++k) {
    fx::Shape shape(static_cast<size_t>(r.range(1, 4)));
    for (int64_t& d : shape) d = r.range(k == 0 ? 0 : 1, 6);
    Config c{"random " + shape_str(shape), std::vector<fx::Shape>(arity, shape)};
    if (arity > 1) {
      c.name += " broadcast";
      for (fx::Shape& s : c.shapes) {
        if (r.next() % 5 == 0) s = {};
        else
          for (int64_t& d : s)
            if (r.next() % 3 == 0) d = 1;
      }
      c.shapes[r.next() % arity] = shape;
      for (const fx::Shape& s : c.shapes) c.name += " " + shape_str(s);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<fx::Shape> unary_shapes() { return {{}, {0}, {2, 0, 3}, {3, 4}, {1000}, {70000}}; }

void elementwise(Batch& b, const fx::Primitive& p, size_t arity, const fx::Params& params, const Domain& domain) {
  for (fx::DType t : kDTypes)
    for (const Config& c : elementwise_configs(arity, fnv(p.name) + static_cast<uint64_t>(t))) {
      std::vector<fx::AbstractValue> avals;
      for (const fx::Shape& s : c.shapes) avals.push_back({s, t, c.weak});
      if (!accepts(p, avals, params)) continue;
      const uint64_t seed = b.seed();
      Arrays ops;
      for (size_t s = 0; s < arity; ++s) ops.push_back(operand(t, c.shapes[s], seed, s, domain, c.weak));
      b.add(std::string(p.name) + " " + dt(t) + " " + c.name, ops, bind_fn(p, params));
    }
}

void integer_pow_cases(Batch& b) {
  for (fx::DType t : kDTypes)
    for (const fx::Shape& s : unary_shapes()) {
      const fx::Array x = operand(t, s, b.seed(), 0);
      for (int64_t y : {-3, -2, -1, 0, 1, 2, 3, 4, 5, 7, 8, 13, -4, -7}) {
        const fx::Params params{{"y", y}};
        if (!accepts(prim::integer_pow_p, {{s, t, false}}, params)) continue;
        b.add("integer_pow y=" + std::to_string(y) + " " + dt(t) + " " + shape_str(s), {x},
              bind_fn(prim::integer_pow_p, params));
      }
    }
}

void convert_cases(Batch& b) {
  for (fx::DType from : kDTypes)
    for (const fx::Shape& s : unary_shapes()) {
      const fx::Array x = operand(from, s, b.seed(), 0);
      for (fx::DType to : kDTypes)
        for (bool weak : {false, true}) {
          if (weak && s != fx::Shape{3, 4}) continue;
          b.add("convert_element_type " + dt(from) + "->" + dt(to) + (weak ? " weak " : " ") + shape_str(s), {x},
                bind_fn(prim::convert_element_type_p, {{"new_dtype", to}, {"weak_type", weak}}));
        }
    }
}

void bitcast_cases(Batch& b) {
  for (fx::DType from : kDTypes)
    for (const fx::Shape& s : unary_shapes()) {
      const fx::Array x = operand(from, s, b.seed(), 0);
      for (fx::DType to : kDTypes) {
        const fx::Params params{{"new_dtype", to}};
        if (!accepts(prim::bitcast_convert_type_p, {{s, from, false}}, params)) continue;
        b.add("bitcast_convert_type " + dt(from) + "->" + dt(to) + " " + shape_str(s), {x},
              bind_fn(prim::bitcast_convert_type_p, params));
      }
    }
}

void select_n_cases(Batch& b) {
  struct S {
    fx::Shape which, cases;
    bool boolean;
    int64_t ncases;
  };
  std::vector<S> specs;
  for (const fx::Shape& s : unary_shapes()) {
    specs.push_back({s, s, true, 2});
    specs.push_back({s, s, false, 3});
  }
  for (fx::Shape s : {fx::Shape{3, 4}, fx::Shape{1000}, fx::Shape{70000}}) {
    specs.push_back({{}, s, true, 2});
    specs.push_back({{}, s, false, 3});
  }
  for (fx::Shape s : {fx::Shape{3, 4}, fx::Shape{1000}}) {
    specs.push_back({s, s, true, 1});
    specs.push_back({s, s, false, 1});
    specs.push_back({s, s, false, 2});
    specs.push_back({s, s, false, 4});
  }
  for (fx::DType t : kDTypes)
    for (const S& sp : specs) {
      const uint64_t seed = b.seed();
      Arrays ops{sp.boolean ? operand(fx::bool_, sp.which, seed, 0) : selector(sp.which, seed, sp.ncases)};
      for (int64_t c = 0; c < sp.ncases; ++c) ops.push_back(operand(t, sp.cases, seed, static_cast<size_t>(c) + 1));
      b.add("select_n " + std::string(sp.boolean ? "bool" : "int32") + shape_str(sp.which) + " " +
                std::to_string(sp.ncases) + " case(s) " + dt(t) + shape_str(sp.cases),
            ops, bind_fn(prim::select_n_p));
    }
  // Weakly typed cases.
  const uint64_t seed = b.seed();
  b.add("select_n weak float64 (3,4)",
        {operand(fx::bool_, {3, 4}, seed, 0), operand(fx::float64, {3, 4}, seed, 1, {}, true),
         operand(fx::float64, {3, 4}, seed, 2, {}, true)},
        bind_fn(prim::select_n_p));
}

void reduction_cases(Batch& b, const fx::Primitive& p) {
  const std::vector<std::pair<fx::Shape, Ints>> specs = {
      {{}, {}},          {{0}, {0}},          {{2, 0, 3}, {1}},    {{2, 0, 3}, {0, 2}}, {{2, 0, 3}, {2}},
      {{2, 3, 4}, {}},   {{2, 3, 4}, {0}},    {{2, 3, 4}, {1}},    {{2, 3, 4}, {2}},    {{2, 3, 4}, {0, 1}},
      {{2, 3, 4}, {1, 2}}, {{2, 3, 4}, {0, 2}}, {{2, 3, 4}, {2, 0, 1}}, {{7}, {0}},     {{130}, {0}},
      {{1000}, {0}},     {{70000}, {0}},      {{10, 100}, {1}},    {{10, 100}, {0}},    {{4, 300, 5}, {1}},
      {{300, 3}, {0}}};
  for (fx::DType t : kDTypes)
    for (const auto& [shape, axes] : specs) {
      const fx::Params params{{"axes", axes}};
      if (!accepts(p, {{shape, t, false}}, params)) continue;
      std::string label = std::string(p.name) + " " + dt(t) + " " + shape_str(shape) + " axes {";
      for (int64_t a : axes) label += std::to_string(a) + ";";
      b.add(label + "}", {operand(t, shape, b.seed(), 0)}, bind_fn(p, params));
    }
  // A weak operand.
  if (accepts(p, {{{2, 3, 4}, fx::float64, true}}, {{"axes", Ints{1}}}))
    b.add(std::string(p.name) + " weak float64 (2,3,4) axes {1}", {operand(fx::float64, {2, 3, 4}, b.seed(), 0, {}, true)},
          bind_fn(p, {{"axes", Ints{1}}}));
}

// Applications of a structural primitive over every dtype: (operand shapes, params).
void structural(Batch& b, const fx::Primitive& p, const std::vector<std::pair<std::vector<fx::Shape>, fx::Params>>& specs) {
  for (fx::DType t : kDTypes)
    for (size_t i = 0; i < specs.size(); ++i) {
      const auto& [shapes, params] = specs[i];
      std::vector<fx::AbstractValue> avals;
      for (const fx::Shape& s : shapes) avals.push_back({s, t, false});
      if (!accepts(p, avals, params)) {
        ADD_FAILURE() << p.name << " case " << i << " is invalid for " << dt(t);
        continue;
      }
      const uint64_t seed = b.seed();
      Arrays ops;
      std::string label = std::string(p.name) + " " + dt(t) + " case " + std::to_string(i) + ":";
      for (size_t k = 0; k < shapes.size(); ++k) {
        ops.push_back(operand(t, shapes[k], seed, k));
        label += " " + shape_str(shapes[k]);
      }
      b.add(label, ops, bind_fn(p, params));
    }
}

fx::Params bcast(Ints shape, Ints dims) { return {{"shape", std::move(shape)}, {"broadcast_dimensions", std::move(dims)}}; }
fx::Params reshape_to(Ints sizes) { return {{"new_sizes", std::move(sizes)}, {"dimensions", fx::NoneParam{}}}; }
fx::Params slice_params(Ints start, Ints limit, std::optional<Ints> strides) {
  return {{"start_indices", std::move(start)},
          {"limit_indices", std::move(limit)},
          {"strides", strides ? fx::ParamValue(*strides) : fx::ParamValue(fx::NoneParam{})}};
}
fx::Params dot_dims(Ints lc, Ints rc, Ints lb, Ints rb) {
  return {{"dimension_numbers", fx::DotDimensionNumbers{std::move(lc), std::move(rc), std::move(lb), std::move(rb)}}};
}

void iota_cases(Batch& b) {
  const std::vector<std::pair<fx::Shape, int64_t>> specs = {{{3, 4}, 0}, {{3, 4}, 1}, {{5}, 0},     {{0}, 0},
                                                            {{2, 0, 3}, 2}, {{1000}, 0}, {{70000}, 0}, {{2, 500}, 1}};
  for (fx::DType t : kDTypes)
    for (const auto& [shape, dim] : specs) {
      const fx::Params params{{"dtype", t}, {"shape", shape}, {"dimension", dim}};
      if (!accepts(prim::iota_p, {}, params)) continue;
      b.add("iota " + dt(t) + " " + shape_str(shape) + " dimension " + std::to_string(dim), {},
            bind_fn(prim::iota_p, params));
    }
}

void iota_2x32_cases(Batch& b) {
  for (const fx::Shape& s : unary_shapes())
    b.add("iota_2x32_shape " + shape_str(s), {}, bind_fn(prim::iota_2x32_shape_p, {{"shape", s}}));
}

void sort_cases(Batch& b) {
  const std::vector<std::pair<fx::Shape, int64_t>> specs = {{{5}, 0},       {{3, 4}, 0},  {{3, 4}, 1},
                                                            {{0}, 0},       {{2, 0, 3}, 1}, {{2, 3, 4}, 1},
                                                            {{1000}, 0},    {{40, 25}, 1}};
  for (fx::DType t : kDTypes)
    for (const auto& [shape, dim] : specs)
      for (int64_t operands : {1, 2})
        for (int64_t keys = 1; keys <= operands; ++keys) {
          const fx::Params params{{"dimension", dim}, {"is_stable", true}, {"num_keys", keys}};
          std::vector<fx::AbstractValue> avals(static_cast<size_t>(operands), fx::AbstractValue{shape, t, false});
          if (!accepts(prim::sort_p, avals, params)) continue;
          const uint64_t seed = b.seed();
          Arrays ops;
          // Two operands: the second is carried along (num_keys 1) or breaks
          // the first key's ties (num_keys 2); the sort is stable.
          ops.push_back(operand(t, shape, seed, 0));
          if (operands == 2) ops.push_back(operand(t, shape, seed, 1));
          b.add("sort " + dt(t) + " " + shape_str(shape) + " dimension " + std::to_string(dim) + " operands " +
                    std::to_string(operands) + " num_keys " + std::to_string(keys),
                ops, bind_fn(prim::sort_p, params));
        }
}

// clamp: every dtype, bounds 0-d or full, fused into a chain (the operand
// computed in the same loop), NaN operands and bounds passed through as max
// and min pass them.
void clamp_cases(Batch& b) {
  for (fx::DType t : kDTypes)
    for (const fx::Shape& s : {fx::Shape{}, fx::Shape{3, 4}, fx::Shape{1000}, fx::Shape{0}}) {
      const uint64_t seed = b.seed();
      b.add("clamp 0-d bounds " + dt(t) + shape_str(s),
            {operand(t, {}, seed, 0), operand(t, s, seed, 1), operand(t, {}, seed, 2)}, bind_fn(prim::clamp_p));
      b.add("clamp full bounds " + dt(t) + shape_str(s),
            {operand(t, s, seed, 3), operand(t, s, seed, 4), operand(t, s, seed, 5)}, bind_fn(prim::clamp_p));
    }
  const uint64_t seed = b.seed();
  b.add("clamp fused after exp", {operand(fx::float64, {70000}, seed, 0)}, [](const Arrays& a) {
    return Arrays{fx::bind1(prim::clamp_p, {fx::Array(0.5), fx::exp(a[0]), fx::Array(2.0)})};
  });
}

// pjit: a call of a traced program, inlined when jit compiles the caller and
// compiled on its own when called eagerly. One program per shape covers every
// dtype (each program an eager call compiles costs a compile), plus a call
// nested in another and one through fx::jit.
void pjit_cases(Batch& b) {
  const Fn body = [](const Arrays& a) {
    Arrays out;
    for (size_t k = 0; k + 1 < a.size(); k += 2) {
      out.push_back(bin(prim::max_p, a[k], a[k + 1]));
      out.push_back(a[k]);
      out.push_back(fx::bind1(prim::select_n_p, {bin(prim::lt_p, a[k], a[k + 1]), a[k], a[k + 1]}));
    }
    return out;
  };
  for (const fx::Shape& s : unary_shapes()) {
    if (s == fx::Shape{2, 0, 3}) continue;
    const Arrays ops = two_of_every_dtype(s, b.seed());
    const fx::Params inner{{"jaxpr", fx::make_jaxpr_param(fx::detail::make_jaxpr_core(body, ops))},
                           {"name", std::string("inner")}};
    b.add("pjit every dtype " + shape_str(s), ops, bind_fn(prim::pjit_p, inner));
    if (s != fx::Shape{3, 4} && s != fx::Shape{70000}) continue;
    const Fn nested = [inner](const Arrays& a) {
      Arrays swapped;
      for (size_t k = 0; k < a.size(); ++k) swapped.push_back(a[k ^ 1]);
      const Arrays r = fx::bind(prim::pjit_p, swapped, inner);
      Arrays out;
      for (size_t k = 0; k < r.size(); k += 3) out.push_back(bin(prim::min_p, r[k], a[2 * (k / 3)])), out.push_back(r[k + 1]), out.push_back(r[k + 2]);
      return out;
    };
    b.add("pjit nested every dtype " + shape_str(s), ops,
          bind_fn(prim::pjit_p, {{"jaxpr", fx::make_jaxpr_param(fx::detail::make_jaxpr_core(nested, ops))},
                                 {"name", std::string("outer")}}));
  }
  const auto g = fx::jit([](fx::Array x, fx::Array y) { return Arrays{fx::sin(x) * y + x, y, fx::exp(y)}; },
                         {.name = "g"});
  const uint64_t seed = b.seed();
  b.add("pjit through fx::jit float64 (3,4)", {operand(fx::float64, {3, 4}, seed, 0), operand(fx::float64, {3, 4}, seed, 1)},
        [g](const Arrays& a) { return g(a[0], a[1]); });
}

}  // namespace jit_registry

namespace {

using namespace jit_registry;

std::map<std::string, CaseFn> case_table() {
  std::map<std::string, CaseFn> c;
  const auto unary = [&](const fx::Primitive& p, Domain d = {}) {
    c[std::string(p.name)] = [&p, d](Batch& b) { elementwise(b, p, 1, {}, d); };
  };
  const auto binary = [&](const fx::Primitive& p) {
    c[std::string(p.name)] = [&p](Batch& b) { elementwise(b, p, 2); };
  };
  for (const fx::Primitive* p : {&prim::sin_p, &prim::cos_p, &prim::tan_p, &prim::tanh_p, &prim::sinh_p, &prim::cosh_p,
                                 &prim::atan_p, &prim::exp_p, &prim::expm1_p, &prim::log_p, &prim::log1p_p,
                                 &prim::sqrt_p, &prim::neg_p, &prim::abs_p, &prim::sign_p, &prim::floor_p,
                                 &prim::ceil_p, &prim::round_p, &prim::square_p, &prim::not_p, &prim::is_finite_p,
                                 &prim::stop_gradient_p})
    unary(*p);
  unary(prim::asin_p, kUnit);
  unary(prim::acos_p, kUnit);
  unary(prim::erf_inv_p, kUnit);
  for (const fx::Primitive* p : {&prim::add_any_p, &prim::add_p, &prim::sub_p, &prim::mul_p, &prim::div_p,
                                 &prim::rem_p, &prim::max_p, &prim::min_p, &prim::pow_p, &prim::atan2_p, &prim::and_p,
                                 &prim::or_p, &prim::xor_p, &prim::eq_p, &prim::ne_p, &prim::lt_p, &prim::le_p,
                                 &prim::gt_p, &prim::ge_p, &prim::shift_left_p, &prim::shift_right_logical_p,
                                 &prim::shift_right_arithmetic_p})
    binary(*p);
  c["integer_pow"] = integer_pow_cases;
  c["convert_element_type"] = convert_cases;
  c["bitcast_convert_type"] = bitcast_cases;
  c["select_n"] = select_n_cases;
  c["clamp"] = clamp_cases;
  for (const fx::Primitive* p : {&prim::reduce_sum_p, &prim::reduce_prod_p, &prim::reduce_max_p, &prim::reduce_min_p,
                                 &prim::reduce_and_p, &prim::reduce_or_p})
    c[std::string(p->name)] = [p](Batch& b) { reduction_cases(b, *p); };
  c["broadcast_in_dim"] = [](Batch& b) {
    structural(b, prim::broadcast_in_dim_p,
               {{{{3, 1}}, bcast({2, 3, 4}, {1, 2})},
                {{{}}, bcast({3, 4}, {})},
                {{{1, 1}}, bcast({3, 4}, {0, 1})},
                {{{4}}, bcast({3, 4}, {1})},
                {{{3}}, bcast({3, 4}, {0})},
                {{{1}}, bcast({2, 0}, {0})},
                {{{0}}, bcast({2, 0}, {1})},
                {{{}}, bcast({1000}, {})},
                {{{}}, bcast({70000}, {})},
                {{{1}}, bcast({70000}, {0})},
                {{{1000}}, bcast({2, 1000}, {1})},
                {{{2, 3}}, bcast({2, 3}, {0, 1})},
                {{{}}, bcast({}, {})},
                {{{}}, bcast({1, 1}, {})},
                {{{3, 1}}, bcast({3, 1}, {0, 1})},
                {{{1, 3, 1}}, bcast({2, 3, 700}, {0, 1, 2})}});
  };
  c["reshape"] = [](Batch& b) {
    structural(b, prim::reshape_p,
               {{{{3, 4}}, reshape_to({12})},
                {{{3, 4}}, reshape_to({2, 6})},
                {{{12}}, reshape_to({3, 4})},
                {{{}}, reshape_to({1, 1})},
                {{{1, 1}}, reshape_to({})},
                {{{0}}, reshape_to({2, 0})},
                {{{2, 0, 3}}, reshape_to({0, 6})},
                {{{1000}}, reshape_to({10, 100})},
                {{{70000}}, reshape_to({700, 100})},
                {{{3, 4}}, reshape_to({3, 4})}});
  };
  c["squeeze"] = [](Batch& b) {
    const auto dims = [](Ints d) { return fx::Params{{"dimensions", std::move(d)}}; };
    structural(b, prim::squeeze_p,
               {{{{3, 1}}, dims({1})},
                {{{1, 1}}, dims({0, 1})},
                {{{1}}, dims({0})},
                {{{2, 1, 0, 1}}, dims({1, 3})},
                {{{1, 1000}}, dims({0})},
                {{{70000, 1}}, dims({1})},
                {{{3, 4}}, dims({})}});
  };
  c["transpose"] = [](Batch& b) {
    const auto perm = [](Ints p) { return fx::Params{{"permutation", std::move(p)}}; };
    structural(b, prim::transpose_p,
               {{{{2, 3, 4}}, perm({2, 0, 1})},
                {{{2, 3, 4}}, perm({1, 0, 2})},
                {{{3, 4}}, perm({1, 0})},
                {{{}}, perm({})},
                {{{0, 3}}, perm({1, 0})},
                {{{2, 0, 3}}, perm({2, 1, 0})},
                {{{100, 10}}, perm({1, 0})},
                {{{700, 100}}, perm({1, 0})},
                {{{3, 4}}, perm({0, 1})}});
  };
  c["concatenate"] = [](Batch& b) {
    const auto dim = [](int64_t d) { return fx::Params{{"dimension", d}}; };
    structural(b, prim::concatenate_p,
               {{{{2, 3}, {2, 2}}, dim(1)},
                {{{2, 3}, {1, 3}, {0, 3}}, dim(0)},
                {{{0}, {0}}, dim(0)},
                {{{3}, {1000}}, dim(0)},
                {{{5}, {5}, {5}}, dim(0)},
                {{{2, 0, 3}, {2, 1, 3}}, dim(1)},
                {{{70000}, {5}}, dim(0)},
                {{{4}}, dim(0)}});
  };
  c["slice"] = [](Batch& b) {
    structural(b, prim::slice_p,
               {{{{3, 4}}, slice_params({0, 1}, {2, 3})},
                {{{3, 4}}, slice_params({0, 0}, {3, 4}, Ints{2, 3})},
                {{{5}}, slice_params({1}, {1})},
                {{{2, 0, 3}}, slice_params({1, 0, 1}, {2, 0, 3})},
                {{{1000}}, slice_params({3}, {997}, Ints{7})},
                {{{70000}}, slice_params({10}, {70000}, Ints{3})},
                {{{3, 4}}, slice_params({0, 0}, {3, 4})},
                {{{2, 3, 4}}, slice_params({1, 0, 1}, {2, 3, 4}, Ints{1, 2, 2})}});
  };
  c["dot_general"] = [](Batch& b) {
    const std::vector<std::pair<std::vector<fx::Shape>, fx::Params>> specs = {
        {{{2, 3}, {3, 4}}, dot_dims({1}, {0})},
        {{{2, 3, 4}, {2, 4, 5}}, dot_dims({2}, {1}, {0}, {0})},
        {{{5}, {5}}, dot_dims({0}, {0})},
        {{{3}, {4}}, dot_dims({}, {})},
        {{{2, 0}, {0, 3}}, dot_dims({1}, {0})},
        {{{0, 3}, {3, 2}}, dot_dims({1}, {0})},
        {{{30, 40}, {40, 50}}, dot_dims({1}, {0})},
        {{{3, 2}, {4, 3}}, dot_dims({0}, {1})},
        {{{}, {}}, dot_dims({}, {})},
        // gemm reading the operands in place (kernels/gemm.hpp): a batch axis
        // that is not leading and a transposed rhs; several contracting axes;
        // batch axes of extent 1; free axes that do not step as one (copied first).
        {{{4, 3, 5}, {6, 4, 5}}, dot_dims({2}, {2}, {0}, {1})},
        {{{2, 3, 4}, {3, 4, 5}}, dot_dims({1, 2}, {0, 1})},
        {{{2, 1, 3, 4}, {2, 1, 4, 5}}, dot_dims({3}, {2}, {0, 1}, {0, 1})},
        {{{2, 3, 4}, {3, 5}}, dot_dims({1}, {0})}};
    for (fx::DType t : kDTypes)
      for (size_t i = 0; i < specs.size(); ++i) {
        const auto& [shapes, params] = specs[i];
        if (!accepts(prim::dot_general_p, {{shapes[0], t, false}, {shapes[1], t, false}}, params)) continue;
        const uint64_t seed = b.seed();
        b.add("dot_general " + dt(t) + " " + shape_str(shapes[0]) + "x" + shape_str(shapes[1]),
              {operand(t, shapes[0], seed, 0), operand(t, shapes[1], seed, 1)}, bind_fn(prim::dot_general_p, params));
      }
  };
  c["iota"] = iota_cases;
  c["threefry2x32"] = [](Batch& b) { elementwise(b, prim::threefry2x32_p, 4); };
  c["iota_2x32_shape"] = iota_2x32_cases;
  c["sort"] = sort_cases;
  c["jit"] = pjit_cases;
  c["cond"] = cond_cases;
  c["while"] = while_cases;
  c["scan"] = scan_cases;
  c["custom_jvp_call"] = [](Batch& b) { custom_call_cases(b, false); };
  c["custom_vjp_call"] = [](Batch& b) { custom_call_cases(b, true); };
  add_indexing_cases(c);
  add_special_cases(c);
  add_linalg_cases(c);
  return c;
}

bool never_evaluated(const std::string& name);

std::vector<std::string> registered_names() {
  std::vector<std::string> names;
  for (const fx::Primitive* p : fx::all_primitives())
    if (!never_evaluated(std::string(p->name))) names.emplace_back(p->name);
  return names;
}

// custom_lin is never evaluated, compiled or not: it is the tangent of a
// custom_vjp function, which only reverse mode (transposing it) may use.
// Its lowering raises JAX's forward-mode error (CustomVjp tests).
bool never_evaluated(const std::string& name) { return name == "custom_lin"; }

TEST(JitRegistry, EveryRegisteredPrimitiveHasACase) {
  const std::map<std::string, CaseFn> table = case_table();
  for (const fx::Primitive* p : fx::all_primitives()) {
    if (never_evaluated(std::string(p->name))) continue;
    EXPECT_TRUE(table.count(std::string(p->name))) << "primitive '" << p->name << "' has no jit case in " << __FILE__;
  }
}

class JitRegistryPrimitive : public ::testing::TestWithParam<std::string> {};

TEST_P(JitRegistryPrimitive, CompiledEqualsEagerBitForBit) {
  const std::string name = GetParam();
  const fx::Primitive* p = nullptr;
  for (const fx::Primitive* q : fx::all_primitives())
    if (q->name == name) p = q;
  ASSERT_NE(p, nullptr);
  const std::map<std::string, CaseFn> table = case_table();
  const auto it = table.find(name);
  ASSERT_NE(it, table.end()) << "primitive '" << name << "' has no jit case in " << __FILE__;
  Batch b(name);
  it->second(b);
  if (!std::getenv("FLUXION_JIT_REGISTRY_FILTER")) {
    ASSERT_GT(b.size(), 0u) << "no dtype or shape of the cases for " << name << " is accepted";
  }
  b.verify(p);
}

INSTANTIATE_TEST_SUITE_P(All, JitRegistryPrimitive, ::testing::ValuesIn(registered_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           // GoogleTest names are identifiers: scatter-add runs as scatter_add.
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
