// Threefry-2x32, SIMD with run-time dispatch (see threefry.hpp).
//
// The schedule is Random123's: key words ks = (k0, k1, k0 ^ k1 ^ 0x1BD11BDA),
// five groups of four rounds (rotations 13,15,26,6 then 17,29,16,24,
// alternating), and after group g the key ks[(g+1)%3], ks[(g+2)%3] + g + 1
// is injected. This is exactly what jax/_src/random/threefry2x32.py lowers to.
#include "kernels/threefry.hpp"

#include <algorithm>
#include <cstddef>

// As in unary_math.cpp: build only the scalar fallback, AVX2 and AVX-512
// bodies (each target recompiles the file; the CI machine has two cores).
#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS (HWY_SSSE3 | HWY_SSE4 | HWY_AVX3_DL)
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/threefry.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#ifndef FLUXION_KERNELS_THREEFRY_ONCE
#define FLUXION_KERNELS_THREEFRY_ONCE
namespace fluxion::kernels::detail {
inline constexpr uint32_t kThreefryParity = 0x1BD11BDA;
}  // namespace fluxion::kernels::detail
#endif

HWY_BEFORE_NAMESPACE();
namespace fluxion::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// One round: x0 += x1; x1 = rotl(x1, R) ^ x0. Rotations are compile-time
// constants so each becomes one instruction (vprold) or two shifts and an or.
template <int R, class V>
HWY_INLINE void Round(V& x0, V& x1) {
  x0 = hn::Add(x0, x1);
  x1 = hn::Xor(hn::RotateRight<32 - R>(x1), x0);
}

template <int R0, int R1, int R2, int R3, class V>
HWY_INLINE void FourRounds(V& x0, V& x1) {
  Round<R0>(x0, x1);
  Round<R1>(x0, x1);
  Round<R2>(x0, x1);
  Round<R3>(x0, x1);
}

template <class D, class V = hn::Vec<D>>
HWY_INLINE void Hash(D d, V k0, V k1, V& x0, V& x1) {
  const V k2 = hn::Xor(hn::Xor(k0, k1), hn::Set(d, detail::kThreefryParity));
  x0 = hn::Add(x0, k0);
  x1 = hn::Add(x1, k1);
  FourRounds<13, 15, 26, 6>(x0, x1);
  x0 = hn::Add(x0, k1);
  x1 = hn::Add(x1, hn::Add(k2, hn::Set(d, 1u)));
  FourRounds<17, 29, 16, 24>(x0, x1);
  x0 = hn::Add(x0, k2);
  x1 = hn::Add(x1, hn::Add(k0, hn::Set(d, 2u)));
  FourRounds<13, 15, 26, 6>(x0, x1);
  x0 = hn::Add(x0, k0);
  x1 = hn::Add(x1, hn::Add(k1, hn::Set(d, 3u)));
  FourRounds<17, 29, 16, 24>(x0, x1);
  x0 = hn::Add(x0, k1);
  x1 = hn::Add(x1, hn::Add(k2, hn::Set(d, 4u)));
  FourRounds<13, 15, 26, 6>(x0, x1);
  x0 = hn::Add(x0, k2);
  x1 = hn::Add(x1, hn::Add(k0, hn::Set(d, 5u)));
}

void Threefry(const ThreefryOperands& ops, uint32_t* out0, uint32_t* out1, size_t n) {
  const hn::ScalableTag<uint32_t> d;
  using V = hn::Vec<decltype(d)>;
  const size_t N = hn::Lanes(d);
  // Broadcast operands are loaded once; the others chunk by chunk.
  V bcast[4];
  for (int j = 0; j < 4; ++j) bcast[j] = ops.scalar[j] ? hn::Set(d, ops.in[j][0]) : hn::Zero(d);
  auto load = [&](int j, size_t i) HWY_ATTR { return ops.scalar[j] ? bcast[j] : hn::LoadU(d, ops.in[j] + i); };
  size_t i = 0;
  for (; i + N <= n; i += N) {
    V x0 = load(2, i), x1 = load(3, i);
    Hash(d, load(0, i), load(1, i), x0, x1);
    hn::StoreU(x0, d, out0 + i);
    hn::StoreU(x1, d, out1 + i);
  }
  if (i == n) return;
  // The last partial vector goes through zero-padded stack buffers, so
  // nothing past n is read or written.
  HWY_ALIGN uint32_t buf[4][hn::MaxLanes(d)] = {};
  for (int j = 0; j < 4; ++j)
    if (!ops.scalar[j]) std::copy(ops.in[j] + i, ops.in[j] + n, buf[j]);
  auto tail = [&](int j) HWY_ATTR { return ops.scalar[j] ? bcast[j] : hn::Load(d, buf[j]); };
  V x0 = tail(2), x1 = tail(3);
  Hash(d, tail(0), tail(1), x0, x1);
  hn::Store(x0, d, buf[0]);
  hn::Store(x1, d, buf[1]);
  std::copy(buf[0], buf[0] + (n - i), out0 + i);
  std::copy(buf[1], buf[1] + (n - i), out1 + i);
}

}  // namespace HWY_NAMESPACE
}  // namespace fluxion::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace fluxion::kernels {

HWY_EXPORT(Threefry);

void threefry2x32(const ThreefryOperands& operands, uint32_t* out0, uint32_t* out1, int64_t n) {
  if (n > 0) HWY_DYNAMIC_DISPATCH(Threefry)(operands, out0, out1, static_cast<size_t>(n));
}

namespace {
constexpr uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
}  // namespace

std::pair<uint32_t, uint32_t> threefry2x32(uint32_t k0, uint32_t k1, uint32_t x0, uint32_t x1) {
  static constexpr int kRotations[2][4] = {{13, 15, 26, 6}, {17, 29, 16, 24}};
  const uint32_t ks[3] = {k0, k1, k0 ^ k1 ^ detail::kThreefryParity};
  x0 += ks[0];
  x1 += ks[1];
  for (uint32_t g = 0; g < 5; ++g) {
    for (int r : kRotations[g % 2]) {
      x0 += x1;
      x1 = rotl(x1, r) ^ x0;
    }
    x0 += ks[(g + 1) % 3];
    x1 += ks[(g + 2) % 3] + g + 1;
  }
  return {x0, x1};
}

}  // namespace fluxion::kernels
#endif  // HWY_ONCE
