// A cache of large, already-touched buffers.
//
// Eager evaluation allocates a fresh output per primitive. For large arrays
// the C library maps new pages every time (glibc's mmap threshold tops out at
// 32 MiB) and the kernel faults them in one page at a time, which on some
// machines (virtual machines especially) costs far more than the arithmetic:
// 80 MB took ~250 ms to first touch and 4 ms to rewrite on the CI machine.
// Keeping freed blocks for reuse is what XLA's and PyTorch's allocators do.
//
// Blocks of at least kMinBytes are rounded up to a size class (at most 12.5%
// larger), handed out from the cache when one of that class is free, and
// returned to it on release while the cache holds less than kMaxCachedBytes;
// beyond that they go back to the system. Thread-safe.
#pragma once

#include <cstddef>

namespace fluxion::detail {

class BlockCache {
 public:
  static constexpr size_t kMinBytes = size_t{1} << 20;
  static constexpr size_t kMaxCachedBytes = size_t{1} << 30;
  static constexpr size_t kAlignment = 64;

  // The size class `bytes` is served from (>= bytes).
  static size_t size_class(size_t bytes);
  // A block of size_class(bytes) bytes, aligned to kAlignment.
  static void* take(size_t bytes);
  // Returns a block from take(); `bytes` is the same request size.
  static void give(void* block, size_t bytes);
  // Bytes held in the cache now (for tests).
  static size_t cached_bytes();
};

}  // namespace fluxion::detail
