// Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as
// easy as 1, 2, 3", SC'11), the counter-based hash behind jax.random.
//
// Each of the four operands (key words k0, k1, counter words x0, x1) is
// either n elements or a single value broadcast to all n (`scalar[i]`).
// The kernel is SIMD with Highway's run-time dispatch (AVX-512 / AVX2 /
// scalar), since threefry is pure 32-bit adds, rotations and xors.
#pragma once

#include <cstdint>
#include <utility>

namespace fluxion::kernels {

struct ThreefryOperands {
  const uint32_t* in[4];  // k0, k1, x0, x1
  bool scalar[4];         // true: in[i] points to one value broadcast to all
};

void threefry2x32(const ThreefryOperands& operands, uint32_t* out0, uint32_t* out1, int64_t n);

// One block, the reference the SIMD kernel is tested against.
std::pair<uint32_t, uint32_t> threefry2x32(uint32_t k0, uint32_t k1, uint32_t x0, uint32_t x1);

}  // namespace fluxion::kernels
