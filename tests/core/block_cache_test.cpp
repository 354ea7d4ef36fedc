// Large buffers are recycled through the block cache instead of being mapped
// afresh for every primitive (core/block_cache.hpp).
#include <gtest/gtest.h>

#include "core/block_cache.hpp"
#include "fluxion/fluxion.hpp"

namespace fx = fluxion;
using fx::detail::BlockCache;

TEST(BlockCache, SizeClassesWasteAtMostAnEighth) {
  for (size_t bytes : {size_t{1} << 20, (size_t{1} << 20) + 1, size_t{80000000}, size_t{3} << 28}) {
    const size_t cls = BlockCache::size_class(bytes);
    EXPECT_GE(cls, bytes);
    EXPECT_LE(cls, bytes + bytes / 8);
  }
}

TEST(BlockCache, FreedLargeArraysAreReused) {
  const int64_t n = 1 << 20;  // 8 MiB of float64
  { const fx::Array a = fx::zeros({n}) + 1.0; }
  const size_t cached = BlockCache::cached_bytes();
  EXPECT_GE(cached, BlockCache::size_class(n * 8));
  const fx::Array b = fx::zeros({n}) + 2.0;  // one of the two blocks comes back
  EXPECT_LT(BlockCache::cached_bytes(), cached);
  EXPECT_EQ(b.to_vector<double>()[n - 1], 2.0);
  // Small arrays do not go through the cache.
  const size_t before = BlockCache::cached_bytes();
  { const fx::Array s = fx::zeros({100}) + 1.0; }
  EXPECT_EQ(BlockCache::cached_bytes(), before);
}
