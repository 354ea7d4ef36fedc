// One gather loop for every layout change: transpose (permuted strides),
// broadcast (zero strides) and slice (offset, scaled strides) all copy
// out[i0, ..., ik] = in[offset + sum(ij * in_strides[j])] in row-major order.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace fluxion::kernels {

template <class T>
void strided_copy(const T* in, int64_t offset, const std::vector<int64_t>& in_strides,
                  const std::vector<int64_t>& out_shape, T* out) {
  const size_t rank = out_shape.size();
  int64_t total = 1;
  for (int64_t d : out_shape) total *= d;
  if (total == 0) return;
  if (rank == 0) {
    out[0] = in[offset];
    return;
  }
  const int64_t inner = out_shape[rank - 1];
  const int64_t inner_stride = in_strides[rank - 1];
  std::vector<int64_t> index(rank, 0);
  int64_t src = offset;
  for (int64_t done = 0; done < total; done += inner) {
    if (inner_stride == 1) {
      std::memcpy(out, in + src, static_cast<size_t>(inner) * sizeof(T));
    } else if (inner_stride == 0) {
      const T v = in[src];
      for (int64_t i = 0; i < inner; ++i) out[i] = v;
    } else {
      for (int64_t i = 0; i < inner; ++i) out[i] = in[src + i * inner_stride];
    }
    out += inner;
    // Odometer over the outer dimensions.
    for (size_t d = rank - 1; d-- > 0;) {
      src += in_strides[d];
      if (++index[d] < out_shape[d]) break;
      src -= in_strides[d] * out_shape[d];
      index[d] = 0;
    }
  }
}

}  // namespace fluxion::kernels
