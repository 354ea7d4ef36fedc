// The small-object pool and the large-buffer cache (see alloc.hpp for why).
#include "core/alloc.hpp"

#include <atomic>
#include <bit>
#include <cstdint>
#include <mutex>

#if defined(__SANITIZE_ADDRESS__)
#define FLUXION_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FLUXION_ASAN 1
#endif
#endif

#ifdef FLUXION_ASAN
#include <sanitizer/asan_interface.h>
// Cached blocks stay poisoned, so a use after free of a value is still
// reported under AddressSanitizer ("use-after-poison") although the memory
// is not handed back to malloc.
#define FLUXION_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define FLUXION_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define FLUXION_POISON(p, n) ((void)(p), (void)(n))
#define FLUXION_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace fluxion::detail {
namespace {

struct FreeBlock {
  FreeBlock* next;
};

// ---- small objects: per-thread singly linked free lists, one per 16-byte size class.

constexpr size_t kGranule = 16;
constexpr size_t kSmallClasses = kPoolMaxBytes / kGranule;
// Bytes a thread's lists may hold. A gradient of a small function keeps a
// few hundred objects of ~100 bytes alive at its peak; beyond the cap
// blocks go back to malloc, so a burst of frees cannot pin memory.
constexpr size_t kPoolCapBytes = size_t{256} << 10;

constexpr size_t small_class(size_t bytes) { return bytes == 0 ? 0 : (bytes - 1) / kGranule; }
constexpr size_t small_class_bytes(size_t c) { return (c + 1) * kGranule; }

struct SmallPool {
  FreeBlock* heads[kSmallClasses] = {};
  size_t held = 0;
  ~SmallPool();
};

// Set once this thread's pool is destroyed: frees that come later (other
// thread_local destructors, and on the main thread static destructors of
// arrays) go straight to operator delete. A bool, trivially destructible,
// so it stays readable for the whole life of the thread.
thread_local bool t_pool_gone = false;
thread_local SmallPool t_pool;

SmallPool::~SmallPool() {
  t_pool_gone = true;
  for (size_t c = 0; c < kSmallClasses; ++c) {
    while (FreeBlock* b = heads[c]) {
      FLUXION_UNPOISON(b, small_class_bytes(c));
      heads[c] = b->next;
      ::operator delete(b);
    }
  }
  held = 0;
}

}  // namespace

void* pool_allocate(size_t bytes) {
  const size_t c = small_class(bytes);
  if (!t_pool_gone) {
    SmallPool& pool = t_pool;
    if (FreeBlock* b = pool.heads[c]) {
      FLUXION_UNPOISON(b, small_class_bytes(c));
      pool.heads[c] = b->next;
      pool.held -= small_class_bytes(c);
      return b;
    }
  }
  return ::operator new(small_class_bytes(c));
}

void pool_deallocate(void* p, size_t bytes) noexcept {
  if (!p) return;
  const size_t c = small_class(bytes);
  if (!t_pool_gone) {
    SmallPool& pool = t_pool;
    if (pool.held + small_class_bytes(c) <= kPoolCapBytes) {
      auto* b = static_cast<FreeBlock*>(p);
      b->next = pool.heads[c];
      pool.heads[c] = b;
      pool.held += small_class_bytes(c);
      FLUXION_POISON(b, small_class_bytes(c));
      return;
    }
  }
  ::operator delete(p);
}

// ---- large buffers: one process-wide cache, 8 size classes per power of two.

namespace {

constexpr unsigned kMinShift = std::bit_width(kBufferCacheMinBytes) - 1;  // 2^12
constexpr unsigned kMaxShift = std::bit_width(kBufferCacheMaxBuffer) - 1;  // 2^27
constexpr size_t kLargeClasses = (kMaxShift - kMinShift) * 8 + 1;
static_assert(size_t{1} << kMinShift == kBufferCacheMinBytes && size_t{1} << kMaxShift == kBufferCacheMaxBuffer);

// Size class of a cacheable request: the request rounded up to a multiple of
// 1/8 of its power of two (at most 12.5 % more), so that any buffer of the
// class serves any request of it.
struct LargeClass {
  size_t index, bytes;
};
size_t large_class_bytes(size_t index) {
  const unsigned k = static_cast<unsigned>(index / 8) + kMinShift;
  return (8 + index % 8) << (k - 3);
}
LargeClass large_class(size_t bytes) {
  const unsigned k = std::bit_width(bytes) - 1;  // 2^k <= bytes < 2^(k+1)
  const size_t step = size_t{1} << (k - 3);
  const size_t rounded = (bytes + step - 1) / step * step;
  const unsigned k2 = std::bit_width(rounded) - 1;  // k, or k + 1 when rounded up to 2^(k+1)
  const size_t index = (k2 - kMinShift) * 8 + (rounded >> (k2 - 3)) - 8;
  return {index, rounded};
}

bool cacheable(size_t bytes) { return bytes >= kBufferCacheMinBytes && bytes <= kBufferCacheMaxBuffer; }

void* aligned_new(size_t bytes) { return ::operator new(bytes, std::align_val_t(kBufferAlignment)); }
void aligned_delete(void* p) { ::operator delete(p, std::align_val_t(kBufferAlignment)); }

// Set when the cache is destroyed at exit; separate from it and trivially
// destructible, so it can still be read afterwards.
constinit std::atomic<bool> g_buffers_closed{false};

class BufferCache {
 public:
  constexpr BufferCache() = default;
  BufferCache(const BufferCache&) = delete;
  BufferCache& operator=(const BufferCache&) = delete;
  // At exit the buffers go back to the heap (so leak checkers see none), and
  // buffers freed later (arrays in static storage) bypass the cache.
  ~BufferCache() {
    g_buffers_closed.store(true);
    release();
  }

  void* take(const LargeClass& c) {
    if (g_buffers_closed.load(std::memory_order_relaxed)) return nullptr;
    std::lock_guard lock(mutex_);
    FreeBlock* b = heads_[c.index];
    if (!b) return nullptr;
    FLUXION_UNPOISON(b, c.bytes);
    heads_[c.index] = b->next;
    held_ -= c.bytes;
    return b;
  }
  bool give(void* p, const LargeClass& c) {
    if (g_buffers_closed.load(std::memory_order_relaxed)) return false;
    std::lock_guard lock(mutex_);
    if (held_ + c.bytes > kBufferCacheCapBytes) return false;
    auto* b = static_cast<FreeBlock*>(p);
    b->next = heads_[c.index];
    heads_[c.index] = b;
    held_ += c.bytes;
    FLUXION_POISON(b, c.bytes);
    return true;
  }
  size_t held() {
    std::lock_guard lock(mutex_);
    return held_;
  }
  void release() {
    std::lock_guard lock(mutex_);
    for (size_t c = 0; c < kLargeClasses; ++c) {
      while (FreeBlock* b = heads_[c]) {
        FLUXION_UNPOISON(b, large_class_bytes(c));
        heads_[c] = b->next;
        aligned_delete(b);
      }
    }
    held_ = 0;
  }

 private:
  std::mutex mutex_;
  FreeBlock* heads_[kLargeClasses] = {};
  size_t held_ = 0;
};

constinit BufferCache g_buffers;

}  // namespace

void* buffer_allocate(size_t bytes) {
  if (!cacheable(bytes)) return aligned_new(bytes);
  const LargeClass c = large_class(bytes);
  if (void* p = g_buffers.take(c)) return p;
  return aligned_new(c.bytes);
}

void buffer_deallocate(void* p, size_t bytes) noexcept {
  if (!p) return;
  if (cacheable(bytes) && g_buffers.give(p, large_class(bytes))) return;
  aligned_delete(p);
}

size_t buffer_cache_bytes() { return g_buffers.held(); }
void release_buffer_cache() { g_buffers.release(); }

}  // namespace fluxion::detail
