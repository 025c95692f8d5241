// The large-buffer pool: reuse, best fit, the retention limit, and Tensor's use of it.
#include "core/buffer_pool.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "litemp/tensor.h"

namespace litemp {
namespace {

// Each test starts from an empty pool with the default limit.
class BufferPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetBufferPoolLimit(0);
    SetBufferPoolLimit(size_t{512} << 20);
  }
  void TearDown() override {
    SetBufferPoolLimit(0);
#if !defined(__SANITIZE_ADDRESS__)
    SetBufferPoolLimit(size_t{512} << 20);
#endif
  }
};

TEST_F(BufferPoolTest, ReleasedLargeBufferIsReused) {
  const size_t mb = size_t{1} << 20;
  size_t cap = 0;
  void* p = AcquireBuffer(3 * mb, &cap);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u);
  EXPECT_GE(cap, 3 * mb);
  ReleaseBuffer(p, cap);
  EXPECT_EQ(GetBufferPoolStats().retained, cap);
  const size_t hits = GetBufferPoolStats().hits;
  size_t cap2 = 0;
  void* q = AcquireBuffer(3 * mb - 100, &cap2);  // within a quarter: best fit takes it
  EXPECT_EQ(q, p);
  EXPECT_EQ(cap2, cap);
  EXPECT_EQ(GetBufferPoolStats().hits, hits + 1);
  EXPECT_EQ(GetBufferPoolStats().retained, 0u);
  ReleaseBuffer(q, cap2);
}

TEST_F(BufferPoolTest, MuchLargerBlockIsNotHandedOut) {
  const size_t mb = size_t{1} << 20;
  size_t cap = 0;
  void* big = AcquireBuffer(8 * mb, &cap);
  ReleaseBuffer(big, cap);
  size_t cap2 = 0;
  void* small = AcquireBuffer(2 * mb, &cap2);  // 8 MiB would waste 75%
  EXPECT_NE(small, big);
  EXPECT_EQ(GetBufferPoolStats().retained, cap);
  ReleaseBuffer(small, cap2);
}

TEST_F(BufferPoolTest, SmallBuffersBypassThePool) {
  size_t cap = 0;
  void* p = AcquireBuffer(1000, &cap);
  EXPECT_EQ(cap, 1024u);  // rounded to the 64-byte alignment
  ReleaseBuffer(p, cap);
  EXPECT_EQ(GetBufferPoolStats().retained, 0u);
  void* z = AcquireBuffer(0, &cap);  // never a null buffer
  EXPECT_NE(z, nullptr);
  ReleaseBuffer(z, cap);
}

TEST_F(BufferPoolTest, LimitEvictsOldestFirst) {
  const size_t mb = size_t{1} << 20;
  SetBufferPoolLimit(5 * mb);
  size_t ca = 0, cb = 0;
  void* a = AcquireBuffer(2 * mb, &ca);
  void* b = AcquireBuffer(3 * mb, &cb);
  ReleaseBuffer(a, ca);
  ReleaseBuffer(b, cb);
  EXPECT_EQ(GetBufferPoolStats().retained, ca + cb);
  size_t cc = 0;
  void* c = AcquireBuffer(4 * mb, &cc);  // a miss
  ReleaseBuffer(c, cc);                  // over the limit: a (the oldest), then b go
  EXPECT_EQ(GetBufferPoolStats().retained, cc);
  SetBufferPoolLimit(0);
  EXPECT_EQ(GetBufferPoolStats().retained, 0u);
}

TEST_F(BufferPoolTest, TensorsRecycleTheirBuffers) {
  const void* first = nullptr;
  {
    Tensor t(DType::kFloat32, {4, 256, 1024});  // 4 MiB
    first = t.raw_data();
  }
  Tensor u(DType::kFloat32, {4, 256, 1024});
  EXPECT_EQ(u.raw_data(), first);
  Tensor shared = u;  // a second owner keeps the buffer out of the pool
  u = Tensor();
  EXPECT_EQ(GetBufferPoolStats().retained, 0u);
}

}  // namespace
}  // namespace litemp
