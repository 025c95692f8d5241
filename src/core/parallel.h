// Thread helpers over OpenMP. The runtime's thread count is set once per process with
// SetNumThreads (the CLI's --threads); kernels split work with ParallelFor.
#ifndef LITEMP_CORE_PARALLEL_H_
#define LITEMP_CORE_PARALLEL_H_

#include <cstddef>
#include <cstdint>

#include <omp.h>

namespace litemp {

// Splits n into `parts` runs whose lengths differ by at most one: the length of run i,
// and where it starts (EvenStart(n, parts, parts) == n). Kernels give threads and
// register tiles even shares with them.
inline int64_t EvenPart(int64_t n, int64_t parts, int64_t i) { return n / parts + (i < n % parts ? 1 : 0); }
inline int64_t EvenStart(int64_t n, int64_t parts, int64_t i) {
  return i * (n / parts) + (i < n % parts ? i : n % parts);
}

// Sets the OpenMP (and so oneDNN) thread count; n <= 0 keeps the default.
void SetNumThreads(int n);
int NumThreads();

// Weights the executor copies of a split may hold (SplitThreadsFor).
constexpr size_t kSplitCopyBytes = size_t{1} << 30;

// With `threads` threads, how many to spread `items` independent runs (samples, sweep units,
// groups) over, each thread on `executors` executors of its own, all but one of them copies
// adding `weight_bytes` each: `threads`, or 1 (run the items in turn, each with all threads)
// when fewer than two items would fall to each thread (threads a split leaves idle cost
// more than it saves; on many cores a batch of 32 runs whole) or when the copies would hold
// more than kSplitCopyBytes.
inline int SplitThreadsFor(int threads, int64_t items, size_t weight_bytes, int executors = 1) {
  if (threads < 2 || items < 2 * int64_t{threads}) return 1;
  const size_t copies = static_cast<size_t>(threads) * static_cast<size_t>(executors < 1 ? 1 : executors) - 1;
  if (weight_bytes > 0 && copies > kSplitCopyBytes / weight_bytes) return 1;
  return threads;
}

// Calls fn(begin, end) on disjoint chunks covering [0, n). Runs serially when the work is
// small (n * cost_per_item below ~32k) so tiny tensors do not pay for a parallel region.
template <class F>
void ParallelFor(int64_t n, F&& fn, int64_t cost_per_item = 1) {
  if (n <= 0) return;
  int threads = omp_get_max_threads();
  if (threads <= 1 || n * cost_per_item < 32768 || omp_in_parallel()) {
    fn(int64_t{0}, n);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    int t = omp_get_thread_num(), nt = omp_get_num_threads();
    int64_t chunk = (n + nt - 1) / nt;
    int64_t b = t * chunk, e = b + chunk < n ? b + chunk : n;
    if (b < e) fn(b, e);
  }
}

}  // namespace litemp

#endif  // LITEMP_CORE_PARALLEL_H_
