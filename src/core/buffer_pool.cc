#include "core/buffer_pool.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <new>

namespace litemp {

namespace {

struct Block {
  void* p;
  uint64_t seq;  // release order: the oldest block is evicted first
};

struct Pool {
  std::mutex mu;
  std::multimap<size_t, Block> free;  // by capacity
#if defined(__SANITIZE_ADDRESS__)
  size_t limit = 0;  // recycled memory would hide use-after-free from ASan
#else
  size_t limit = size_t{512} << 20;
#endif
  size_t retained = 0;
  uint64_t seq = 0;
  size_t hits = 0, misses = 0;

  // Frees the oldest blocks until `retained` is within `limit`. REQUIRES: mu held.
  void Trim() {
    while (retained > limit && !free.empty()) {
      auto oldest = free.begin();
      for (auto it = free.begin(); it != free.end(); ++it)
        if (it->second.seq < oldest->second.seq) oldest = it;
      retained -= oldest->first;
      std::free(oldest->second.p);
      free.erase(oldest);
    }
  }
};

Pool& GetPool() {
  static Pool* pool = new Pool;  // never destroyed: tensors may be freed during exit
  return *pool;
}

}  // namespace

void* AcquireBuffer(size_t bytes, size_t* capacity) {
  size_t alloc = (bytes + 63) / 64 * 64;
  if (alloc == 0) alloc = 64;
  if (alloc >= kMinPooledBytes) {
    Pool& pool = GetPool();
    std::lock_guard<std::mutex> lock(pool.mu);
    // Best fit, wasting at most a quarter of the block.
    auto it = pool.free.lower_bound(alloc);
    if (it != pool.free.end() && it->first - alloc <= alloc / 4) {
      void* p = it->second.p;
      *capacity = it->first;
      pool.retained -= it->first;
      pool.free.erase(it);
      ++pool.hits;
      return p;
    }
    ++pool.misses;
  }
  void* p = std::aligned_alloc(64, alloc);
  if (!p) throw std::bad_alloc();
  *capacity = alloc;
  return p;
}

void ReleaseBuffer(void* p, size_t capacity) {
  if (capacity >= kMinPooledBytes) {
    Pool& pool = GetPool();
    std::lock_guard<std::mutex> lock(pool.mu);
    if (capacity <= pool.limit) {
      pool.free.emplace(capacity, Block{p, pool.seq++});
      pool.retained += capacity;
      pool.Trim();
      return;
    }
  }
  std::free(p);
}

BufferPoolStats GetBufferPoolStats() {
  Pool& pool = GetPool();
  std::lock_guard<std::mutex> lock(pool.mu);
  return BufferPoolStats{pool.hits, pool.misses, pool.retained};
}

void SetBufferPoolLimit(size_t bytes) {
  Pool& pool = GetPool();
  std::lock_guard<std::mutex> lock(pool.mu);
  pool.limit = bytes;
  pool.Trim();
}

}  // namespace litemp
