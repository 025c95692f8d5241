// The iteration plan shared by the Reduce* kernels: dims are merged into alternating kept and
// reduced blocks so that every reduction walks contiguous runs of memory.
#ifndef LITEMP_KERNELS_REDUCE_REDUCE_PLAN_H_
#define LITEMP_KERNELS_REDUCE_REDUCE_PLAN_H_

#include <cstdint>
#include <vector>

#include "core/parallel.h"
#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp::reduce {

struct ReducePlan {
  std::vector<int64_t> size;     // merged blocks, outermost first (size-1 dims dropped)
  std::vector<char> reduced;     // per block
  std::vector<int64_t> xstride;  // input stride of each block
  std::vector<int64_t> ostride;  // output stride of each block (0 when reduced)
  Shape out_shape;
  int64_t out_numel = 0;
  int64_t count = 1;  // input elements folded into each output
};

// Builds the plan for reducing `in` over `axes` (already normalised, unique). An empty
// `axes` with `noop` reduces nothing; empty without noop reduces every dim.
ReducePlan MakeReducePlan(const Shape& in, const std::vector<int64_t>& axes, bool keepdims,
                          bool noop);

// Calls fn(x_offset, out_offset, len) for every innermost run of the input. When the
// innermost block is reduced all `len` elements fold into out_offset; otherwise element i
// folds into out_offset + i. Runs touching disjoint outputs may be handed to different
// threads; one output is only ever touched by one thread.
template <class F>
void ForEachReduceRun(const ReducePlan& p, int64_t cost_per_elem, F&& fn) {
  const int nb = static_cast<int>(p.size.size());
  if (nb == 0) {
    fn(int64_t{0}, int64_t{0}, int64_t{1});
    return;
  }
  const int64_t len = p.size[nb - 1];
  // Odometer over blocks [first, nb - 1) starting at offsets (x0, o0); `idx` is scratch.
  auto walk = [&](int64_t x0, int64_t o0, int first, std::vector<int64_t>& idx) {
    const int n = nb - 1 - first;
    int64_t total = 1;
    for (int j = first; j < nb - 1; ++j) total *= p.size[j];
    idx.assign(n, 0);
    int64_t xo = x0, oo = o0;
    for (int64_t t = 0; t < total; ++t) {
      fn(xo, oo, len);
      for (int j = n - 1; j >= 0; --j) {
        const int b = first + j;
        xo += p.xstride[b];
        oo += p.ostride[b];
        if (++idx[j] < p.size[b]) break;
        xo -= p.xstride[b] * p.size[b];
        oo -= p.ostride[b] * p.size[b];
        idx[j] = 0;
      }
    }
  };
  if (nb >= 2 && !p.reduced[0]) {
    // The outermost block is kept: its slices write disjoint outputs, so split it.
    ParallelFor(
        p.size[0],
        [&](int64_t b, int64_t e) {
          std::vector<int64_t> idx;
          for (int64_t i = b; i < e; ++i) walk(i * p.xstride[0], i * p.ostride[0], 1, idx);
        },
        p.xstride[0] * cost_per_elem);
  } else {
    std::vector<int64_t> idx;
    walk(0, 0, 0, idx);
  }
}

}  // namespace litemp::reduce

#endif  // LITEMP_KERNELS_REDUCE_REDUCE_PLAN_H_
