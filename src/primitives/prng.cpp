// The PRNG primitives jax.random is built on:
//
// threefry2x32(k0, k1, x0, x1) -> (y0, y1): the Threefry-2x32 hash of the
// counter (x0, x1) under the key (k0, k1), elementwise over uint32 operands
// with JAX's broadcasting rule (0-d operands broadcast, others share a rank
// with extents equal or 1). Two results, as JAX's multiple_results primitive.
//
// iota_2x32_shape[shape] () -> (hi, lo): the row-major flat index of every
// element of `shape` as a 64-bit count split in two uint32 words; the
// counters of jax_threefry_partitionable=True (jax/_src/random/prng.py).
//
// Neither has a derivative (integer outputs). Both are elementwise in the
// sense vmap needs: threefry2x32 batches by broadcasting (JAX's
// batching.defbroadcasting), iota_2x32_shape has no operands.
#include <limits>

#include "kernels/threefry.hpp"
#include "compiler/emitter.hpp"
#include "primitives/batch_helpers.hpp"
#include "primitives/lax.hpp"
#include "primitives/primitives.hpp"
#include "primitives/rule_helpers.hpp"
#include "primitives/taylor.hpp"

namespace fluxion::prim {
namespace {

std::vector<AbstractValue> threefry_aval(const Primitive& p, AvalRefs in, const Params&) {
  if (in.size() != 4)
    throw TypeError("threefry2x32 takes 4 operands (k0, k1, x0, x1), got " + std::to_string(in.size()));
  for (const AbstractValue* a : in)
    if (a->dtype != DType::uint32)
      throw TypeError("threefry2x32: arguments must have uint32 type, got " + to_string(*in[0]) + ", " +
                      to_string(*in[1]) + ", " + to_string(*in[2]) + ", " + to_string(*in[3]));
  AbstractValue out = elementwise_aval(p.name, in, bit(DType::uint32));
  out.weak_type = false;
  return {out, out};
}

std::vector<Array> threefry_impl(const Primitive&, std::span<const Array> operands,
                                 std::span<const AbstractValue> out, const Params&) {
  const std::vector<Array> in = expand_operands(operands, out[0].shape);
  auto y0 = output(out[0]), y1 = output(out[1]);
  const int64_t n = out[0].size();
  kernels::ThreefryOperands ops{};
  for (int i = 0; i < 4; ++i) {
    ops.in[i] = detail::data_as<uint32_t>(in[i]);
    ops.scalar[i] = in[i].size() == 1 && n != 1;
  }
  kernels::threefry2x32(ops, out_data<uint32_t>(y0), out_data<uint32_t>(y1), n);
  return {Array(std::move(y0)), Array(std::move(y1))};
}

std::vector<AbstractValue> iota_2x32_aval(const Primitive& p, AvalRefs in, const Params& params) {
  if (!in.empty()) throw TypeError("iota_2x32_shape takes no operands, got " + std::to_string(in.size()));
  const auto& shape = params.get<std::vector<int64_t>>("shape");
  detail::check_shape(shape, p.name);
  const AbstractValue out{shape, DType::uint32, false};
  return {out, out};
}

std::vector<Array> iota_2x32_impl(const Primitive&, std::span<const Array>, std::span<const AbstractValue> out,
                                  const Params&) {
  auto hi = output(out[0]), lo = output(out[1]);
  uint32_t* h = out_data<uint32_t>(hi);
  uint32_t* l = out_data<uint32_t>(lo);
  const int64_t n = out[0].size();
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t count = static_cast<uint64_t>(i);
    h[i] = static_cast<uint32_t>(count >> 32);
    l[i] = static_cast<uint32_t>(count);
  }
  return {Array(std::move(hi)), Array(std::move(lo))};
}

}  // namespace

const Primitive threefry2x32_p{.name = "threefry2x32", .multiple_results = true, .abstract_eval = threefry_aval,
                               .impl = threefry_impl, .jvp = zero_jvp, .batch = elementwise_batch, .jet = taylor_constant,
                               .lower = compiler::lower_via_eager};
const Primitive iota_2x32_shape_p{.name = "iota_2x32_shape", .multiple_results = true,
                                  .abstract_eval = iota_2x32_aval, .impl = iota_2x32_impl, .jvp = zero_jvp,
                                  .jet = taylor_constant, .lower = compiler::lower_via_eager};

}  // namespace fluxion::prim
