#include "core/block_cache.hpp"

#include <bit>
#include <map>
#include <mutex>
#include <new>

namespace fluxion::detail {
namespace {

struct Cache {
  std::mutex mutex;
  std::multimap<size_t, void*> free;  // size class -> block
  size_t bytes = 0;
};

// Never destroyed: blocks may be released by static Arrays after main.
Cache& cache() {
  static Cache* c = new Cache;
  return *c;
}

void release(void* p) { ::operator delete(p, std::align_val_t(BlockCache::kAlignment)); }

}  // namespace

size_t BlockCache::size_class(size_t bytes) {
  // Eight classes per power of two.
  const size_t step = std::bit_floor(bytes) / 8;
  return (bytes + step - 1) / step * step;
}

void* BlockCache::take(size_t bytes) {
  const size_t cls = size_class(bytes);
  {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    const auto it = c.free.find(cls);
    if (it != c.free.end()) {
      void* p = it->second;
      c.free.erase(it);
      c.bytes -= cls;
      return p;
    }
  }
  return ::operator new(cls, std::align_val_t(kAlignment));
}

void BlockCache::give(void* block, size_t bytes) {
  const size_t cls = size_class(bytes);
  {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.bytes + cls <= kMaxCachedBytes) {
      c.free.emplace(cls, block);
      c.bytes += cls;
      return;
    }
  }
  release(block);
}

size_t BlockCache::cached_bytes() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return c.bytes;
}

}  // namespace fluxion::detail
