// Thread helpers over OpenMP. The runtime's thread count is set once per process with
// SetNumThreads (the CLI's --threads); kernels split work with ParallelFor.
#ifndef LITEMP_CORE_PARALLEL_H_
#define LITEMP_CORE_PARALLEL_H_

#include <cstdint>

#include <omp.h>

namespace litemp {

// Sets the OpenMP (and so oneDNN) thread count; n <= 0 keeps the default.
void SetNumThreads(int n);
int NumThreads();

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
