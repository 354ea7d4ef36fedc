// The small-object pool and the large-buffer cache behind values
// (src/core/alloc.hpp): blocks are reused, never shared while live, may be
// freed on another thread, and the cache stays under its cap.
#include <gtest/gtest.h>

#include <cstdint>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/alloc.hpp"
#include "core/value.hpp"
#include "fluxion/fluxion.hpp"

namespace fx = fluxion;
namespace fd = fluxion::detail;

TEST(SmallPool, BlocksAreDistinctWritableAndReused) {
  std::vector<void*> blocks;
  for (size_t bytes : {1, 16, 17, 100, 160, 256})
    for (int i = 0; i < 50; ++i) {
      void* p = fd::pool_allocate(bytes);
      ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
      std::memset(p, static_cast<int>(blocks.size() & 0xff), bytes);
      blocks.push_back(p);
    }
  for (size_t i = 0; i < blocks.size(); ++i)
    for (size_t j = i + 1; j < blocks.size(); ++j) ASSERT_NE(blocks[i], blocks[j]);
  size_t k = 0;
  for (size_t bytes : {1, 16, 17, 100, 160, 256})
    for (int i = 0; i < 50; ++i) fd::pool_deallocate(blocks[k++], bytes);
  // The most recently freed block of a size class is handed out first.
  void* again = fd::pool_allocate(256);
  EXPECT_EQ(again, blocks.back());
  fd::pool_deallocate(again, 256);
}

TEST(SmallPool, ValuesMayDieOnAnotherThread) {
  std::vector<fx::Array> made;
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) made.push_back(fx::Array(static_cast<double>(i)) + 1.0);
  });
  producer.join();  // its pool is gone; the values live on
  std::thread consumer([&] {
    double total = 0;
    for (const fx::Array& a : made) total += a.item<double>();
    EXPECT_EQ(total, 1000.0 * 1001.0 / 2.0);
    made.clear();  // freed into this thread's pool, released when it exits
  });
  consumer.join();
  EXPECT_TRUE(made.empty());
}

TEST(BufferCache, ReusesFreedLargeBuffersUpToTheCap) {
  fd::release_buffer_cache();
  ASSERT_EQ(fd::buffer_cache_bytes(), 0u);
  const size_t bytes = 800000;  // an f64[100000]
  void* p = fd::buffer_allocate(bytes);
  ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % fd::kBufferAlignment, 0u);
  std::memset(p, 1, bytes);
  fd::buffer_deallocate(p, bytes);
  const size_t held = fd::buffer_cache_bytes();
  EXPECT_GE(held, bytes);
  EXPECT_LE(held, bytes + bytes / 8);  // size classes waste at most 1/8
  void* q = fd::buffer_allocate(bytes - 1000);  // same size class
  EXPECT_EQ(q, p);
  EXPECT_EQ(fd::buffer_cache_bytes(), 0u);
  fd::buffer_deallocate(q, bytes - 1000);

  // Freeing far more than the cap keeps only up to the cap.
  std::vector<void*> many;
  for (size_t i = 0; i < 2 * fd::kBufferCacheCapBytes / bytes; ++i) many.push_back(fd::buffer_allocate(bytes));
  for (void* b : many) fd::buffer_deallocate(b, bytes);
  EXPECT_LE(fd::buffer_cache_bytes(), fd::kBufferCacheCapBytes);
  EXPECT_GT(fd::buffer_cache_bytes(), fd::kBufferCacheCapBytes / 2);

  // Buffers too small or too large for the cache go straight back.
  fd::release_buffer_cache();
  fd::buffer_deallocate(fd::buffer_allocate(fd::kBufferCacheMinBytes - 1), fd::kBufferCacheMinBytes - 1);
  fd::buffer_deallocate(fd::buffer_allocate(fd::kBufferCacheMaxBuffer + 1), fd::kBufferCacheMaxBuffer + 1);
  EXPECT_EQ(fd::buffer_cache_bytes(), 0u);
}

TEST(BufferCache, ArraysAreCorrectOnReusedBuffers) {
  const int64_t n = 100000;
  for (int round = 0; round < 3; ++round) {
    const fx::Array x = fx::arange(n).astype(fx::float64);
    const fx::Array y = x * 2.0 + 1.0;
    EXPECT_EQ(fx::sum(y).item<double>(), static_cast<double>(n) * static_cast<double>(n));
    const fx::Array g = fx::grad([](const fx::Array& v) { return fx::sum(v * v); })(x);
    EXPECT_EQ(g[n - 1].item<double>(), 2.0 * static_cast<double>(n - 1));
  }
}

// Reverse mode hands each linear program's storage to the next recording on
// the thread (StagingInterpreter::recycle): the values it referred to must be
// released at once, and later programs, longer or shorter, must be recorded
// as if from scratch.
TEST(RecycledPrograms, ReleaseTheirValuesAndRecordAfresh) {
  std::weak_ptr<const fd::Value> weak_vector, weak_scalar;
  {
    const fx::Array c = fx::array({1.0, 2.0, 3.0});
    const fx::Array s = fx::array({2.5}).reshape({});  // 0-d: a literal in the program
    weak_vector = c.value();
    weak_scalar = s.value();
    const auto f = [&](const fx::Array& x) { return fx::sum(fx::sin(x) * c * s); };
    const auto long_f = [&](const fx::Array& x) {
      fx::Array y = x;
      for (int k = 0; k < 40; ++k) y = fx::sin(y) * s;
      return fx::sum(y * c);
    };
    const fx::Array x = fx::array({0.1, 0.2, 0.3});
    const std::string program = fx::make_jaxpr(fx::grad(f))(x).str();
    for (int i = 0; i < 3; ++i) {
      EXPECT_NEAR(fx::grad(f)(x)[2].item<double>(), std::cos(0.3) * 3.0 * 2.5, 1e-14);
      (void)fx::grad(long_f)(x);
      EXPECT_EQ(fx::make_jaxpr(fx::grad(f))(x).str(), program);
    }
  }
  EXPECT_TRUE(weak_vector.expired());
  EXPECT_TRUE(weak_scalar.expired());
}
