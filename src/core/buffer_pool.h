// Recycling of large tensor buffers.
//
// Inference allocates the same large activations on every run. malloc serves such sizes
// with fresh mmaps, so every run paid page faults and the kernel's zeroing of each page
// (174k faults for 12 MobileNetV2 batch-32 runs; 20k with the pool). Freed large buffers
// are kept here instead, up to a limit, and handed out again best-fit.
// Buffers below kMinPooledBytes go straight to malloc, whose own bins serve them well.
// Thread-safe.
#ifndef LITEMP_CORE_BUFFER_POOL_H_
#define LITEMP_CORE_BUFFER_POOL_H_

#include <cstddef>

namespace litemp {

inline constexpr size_t kMinPooledBytes = size_t{1} << 20;

// A 64-byte aligned block of at least `bytes` bytes (contents unspecified); *capacity
// receives its real size, which ReleaseBuffer needs. Throws std::bad_alloc.
void* AcquireBuffer(size_t bytes, size_t* capacity);
// Returns a block from AcquireBuffer; it is kept for reuse or freed.
void ReleaseBuffer(void* p, size_t capacity);

struct BufferPoolStats {
  size_t hits = 0;      // acquisitions served from the pool
  size_t misses = 0;    // pooled-size acquisitions that allocated
  size_t retained = 0;  // bytes currently kept
};
BufferPoolStats GetBufferPoolStats();
// Bytes the pool may keep (default 512 MiB); 0 disables pooling and frees what it keeps.
void SetBufferPoolLimit(size_t bytes);

}  // namespace litemp

#endif  // LITEMP_CORE_BUFFER_POOL_H_
