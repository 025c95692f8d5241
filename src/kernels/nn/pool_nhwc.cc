// Channels-last MaxPool/AveragePool for rank-4 float tensors: each window is reduced with
// per-channel loops (contiguous, vectorised), and the output stays channels-last.
#include <limits>
#include <vector>

#include "core/parallel.h"
#include "kernels/nn/pool.h"

namespace litemp::nn {

template <class T>
void PoolNhwc(const PoolGeometry& g, const T* x, T* y, bool is_max, bool count_pad) {
  // 2-D pooling: geometry dims 1 and 2 are H and W (dim 0 is the unit front dim).
  const int64_t c = g.channels, ih = g.in[1], iw = g.in[2], oh = g.out[1], ow = g.out[2];
  ParallelFor(
      g.batch * oh,
      [&](int64_t r0, int64_t r1) {
        std::vector<T> acc(c);
        for (int64_t r = r0; r < r1; ++r) {
          const int64_t n = r / oh, o1 = r % oh;
          const int64_t s1 = o1 * g.s[1] - g.pad[1];
          int64_t lo1, hi1;
          KernelRange(s1, g.k[1], g.d[1], ih, &lo1, &hi1);
          for (int64_t o2 = 0; o2 < ow; ++o2) {
            const int64_t s2 = o2 * g.s[2] - g.pad[2];
            int64_t lo2, hi2;
            KernelRange(s2, g.k[2], g.d[2], iw, &lo2, &hi2);
            T* a = acc.data();
            const T init = is_max ? -std::numeric_limits<T>::infinity() : T(0);
            for (int64_t ch = 0; ch < c; ++ch) a[ch] = init;
            for (int64_t k1 = lo1; k1 < hi1; ++k1) {
              const int64_t i1 = s1 + k1 * g.d[1];
              for (int64_t k2 = lo2; k2 < hi2; ++k2) {
                const T* px = x + ((n * ih + i1) * iw + s2 + k2 * g.d[2]) * c;
                if (is_max) {
                  for (int64_t ch = 0; ch < c; ++ch) a[ch] = std::max(a[ch], px[ch]);
                } else {
                  for (int64_t ch = 0; ch < c; ++ch) a[ch] += px[ch];
                }
              }
            }
            T* py = y + ((n * oh + o1) * ow + o2) * c;
            if (is_max) {
              for (int64_t ch = 0; ch < c; ++ch) py[ch] = a[ch];
            } else {
              const T inv = static_cast<T>(
                  1.0 / (count_pad ? static_cast<double>(PaddedTaps(s1, g.k[1], g.d[1], ih, g.pad[1], g.pad_end[1]) *
                                                         PaddedTaps(s2, g.k[2], g.d[2], iw, g.pad[2], g.pad_end[2]))
                                   : static_cast<double>((hi1 - lo1) * (hi2 - lo2))));
              for (int64_t ch = 0; ch < c; ++ch) py[ch] = a[ch] * inv;
            }
          }
        }
      },
      ow * c * g.kernel_size());
}

template void PoolNhwc<float>(const PoolGeometry&, const float*, float*, bool, bool);
template void PoolNhwc<double>(const PoolGeometry&, const double*, double*, bool, bool);

}  // namespace litemp::nn
