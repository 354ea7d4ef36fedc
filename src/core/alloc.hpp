// Memory for values: a thread-local free-list pool for the small objects
// every eager operation creates (values, tracers, their shared_ptr control
// blocks), and a bounded cache of large element buffers.
//
// Why: the eager path is allocation-bound. A 0-d operation costs a few
// hundred nanoseconds, of which glibc's malloc/free took about a third
// (docs/BENCHMARKS.md): grad of a small function creates and drops hundreds
// of these objects, more at once than glibc's per-thread cache keeps, so
// most went through its slower bins. Large buffers have the opposite
// problem: glibc returns freed blocks above its mmap/trim thresholds to the
// kernel, and the next operation of the same size faults every page in
// again (about 10 µs per fault in a VM), which made the d = 100000 gradient
// swing between 0.6x and 8x its function. A process-wide mallopt would fix
// that too, but it would change the allocator of the user's whole program;
// this cache only holds Fluxion's own buffers, and only up to a cap.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>

namespace fluxion::detail {

// ---- small objects

// Blocks of up to this many bytes are pooled; larger requests go to operator
// new. Values and tracers take up to ~160 bytes, a primitive's Params up to
// four items of 120 bytes.
inline constexpr size_t kPoolMaxBytes = 512;

// A block of at least `bytes` (<= kPoolMaxBytes), 16-byte aligned, from the
// calling thread's free lists. Blocks may be freed on any thread: they join
// that thread's lists, which hold at most a fixed number of bytes and are
// released when the thread exits.
void* pool_allocate(size_t bytes);
void pool_deallocate(void* p, size_t bytes) noexcept;

// A standard allocator over the pool, for std::allocate_shared and the
// control blocks of std::shared_ptr (one-object requests only; anything else
// goes to operator new).
template <class T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() noexcept = default;
  template <class U> PoolAllocator(const PoolAllocator<U>&) noexcept {}

  static constexpr bool pooled(size_t n) {
    return alignof(T) <= 16 && n <= kPoolMaxBytes / (sizeof(T) ? sizeof(T) : 1);
  }
  T* allocate(size_t n) {
    if (pooled(n)) return static_cast<T*>(pool_allocate(n * sizeof(T)));
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(alignof(T))));
  }
  void deallocate(T* p, size_t n) noexcept {
    if (pooled(n)) pool_deallocate(p, n * sizeof(T));
    else ::operator delete(p, std::align_val_t(alignof(T)));
  }
  template <class U> bool operator==(const PoolAllocator<U>&) const noexcept { return true; }
};

// ---- element buffers

// 64-byte aligned storage of at least `bytes` bytes for an array's elements,
// uninitialised. Buffers of kBufferCacheMinBytes and up are reused from the
// cache when one of the same size class is there. The floor is low (4 KiB)
// because mid-sized buffers thrash glibc too: a Taylor recurrence under vmap
// keeps hundreds of 8 KB arrays alive and frees them in bursts, glibc trims
// the heap top with brk and faults the pages in again, which took a third
// of vmap(jet)'s time (docs/BENCHMARKS.md, "Taylor mode").
inline constexpr size_t kBufferAlignment = 64;
inline constexpr size_t kBufferCacheMinBytes = size_t{4} << 10;
// Buffers above this size are never cached. 128 MiB covers the 10^7-element
// float64 arrays of fx::random's samplers, whose first touch costs ~250 ms
// per 80 MB array in a VM against 4 ms to rewrite a touched one.
inline constexpr size_t kBufferCacheMaxBuffer = size_t{128} << 20;
// The most the cache holds in all, across threads (release_buffer_cache()
// gives it back).
inline constexpr size_t kBufferCacheCapBytes = size_t{1} << 30;

void* buffer_allocate(size_t bytes);
// `bytes` must be what was passed to buffer_allocate.
void buffer_deallocate(void* p, size_t bytes) noexcept;

// Bytes the large-buffer cache holds now, and a way to give them back
// (tests; a program that wants its memory back after a large computation).
size_t buffer_cache_bytes();
void release_buffer_cache();

}  // namespace fluxion::detail
