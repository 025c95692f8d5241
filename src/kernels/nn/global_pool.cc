// GlobalAveragePool / GlobalMaxPool. Channels-last and blocked input (the layouts between
// convolutions) are reduced over pixels with per-channel accumulators; the output is always plain
// [N, C, 1, ..., 1].
#include <algorithm>
#include <vector>

#include "core/parallel.h"
#include "kernels/nn/lanes.h"
#include "kernels/nn/pool.h"

namespace litemp::nn {

namespace {

template <bool kIsMax, class T>
void PoolPlain(const T* x, T* y, int64_t planes, int64_t size) {
  ParallelFor(
      planes,
      [&](int64_t b, int64_t e) {
        for (int64_t p = b; p < e; ++p) {
          if constexpr (kIsMax) {
            y[p] = MaxOf(x + p * size, size);
          } else {
            y[p] = static_cast<T>(SumDouble(x + p * size, size) / static_cast<double>(size));
          }
        }
      },
      size);
}

// x is [N, pixels, C]; y is [N, C].
template <bool kIsMax, class T>
void PoolNhwc(const T* x, T* y, int64_t n, int64_t pixels, int64_t c) {
  ParallelFor(
      n,
      [&](int64_t b, int64_t e) {
        using Acc = std::conditional_t<kIsMax, T, double>;
        std::vector<Acc> acc(c);
        for (int64_t i = b; i < e; ++i) {
          const T* xi = x + i * pixels * c;
          if constexpr (kIsMax) {
            std::copy(xi, xi + c, acc.begin());
          } else {
            std::fill(acc.begin(), acc.end(), 0.0);
          }
          for (int64_t px = kIsMax ? 1 : 0; px < pixels; ++px) {
            const T* row = xi + px * c;
            Acc* a = acc.data();
            if constexpr (kIsMax) {
              for (int64_t ch = 0; ch < c; ++ch) a[ch] = std::max(a[ch], row[ch]);
            } else {
              for (int64_t ch = 0; ch < c; ++ch) a[ch] += static_cast<double>(row[ch]);
            }
          }
          for (int64_t ch = 0; ch < c; ++ch)
            y[i * c + ch] = kIsMax ? static_cast<T>(acc[ch])
                                   : static_cast<T>(acc[ch] / static_cast<double>(pixels));
        }
      },
      pixels * c);
}

// x is nChw8c, n images of [pixels][8]; y is [n][8]. Several images at a time: each
// channel's sum runs over its pixels in order as in PoolNhwc (the same bits), and the
// images' sums overlap instead of waiting on one another: eight with AVX-512's 32
// registers (EfficientNet-like, one thread: its 17 pools 0.166-0.177 -> 0.147-0.161 ms,
// AMD EPYC Zen 5), four where eight images' double sums would fill AVX2's 16.
template <bool kIsMax, class T>
void PoolBlocked(const T* x, T* y, int64_t n, int64_t pixels) {
#ifdef __AVX512F__
  constexpr int64_t kImages = 8;
#else
  constexpr int64_t kImages = 4;
#endif
  ParallelFor(
      (n + kImages - 1) / kImages,
      [&](int64_t b, int64_t e) {
        using Acc = std::conditional_t<kIsMax, T, double>;
        for (int64_t i = b; i < e; ++i) {
          const int64_t i0 = i * kImages, k = std::min(kImages, n - i0);
          Acc acc[kImages][8];
          for (int64_t j = 0; j < k; ++j)
            for (int ch = 0; ch < 8; ++ch) acc[j][ch] = kIsMax ? static_cast<Acc>(x[(i0 + j) * pixels * 8 + ch]) : 0.0;
          for (int64_t px = kIsMax ? 1 : 0; px < pixels; ++px)
            for (int64_t j = 0; j < k; ++j) {
              const T* row = x + ((i0 + j) * pixels + px) * 8;
              for (int ch = 0; ch < 8; ++ch) {
                if constexpr (kIsMax) acc[j][ch] = std::max(acc[j][ch], row[ch]);
                else acc[j][ch] += static_cast<double>(row[ch]);
              }
            }
          for (int64_t j = 0; j < k; ++j)
            for (int ch = 0; ch < 8; ++ch)
              y[(i0 + j) * 8 + ch] = kIsMax ? static_cast<T>(acc[j][ch])
                                            : static_cast<T>(acc[j][ch] / static_cast<double>(pixels));
        }
      },
      pixels * 8 * kImages);
}

}  // namespace

template <bool kIsMax>
Status GlobalPoolKernel<kIsMax>::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (x.rank() < 2)
    return Status::InvalidArgument("input shape " + ShapeToString(x.shape()) + " has rank " +
                                   std::to_string(x.rank()) +
                                   ", expected at least 2 ([N, C, ...])");
  Shape out = {x.dim(0), x.dim(1)};
  for (int i = 2; i < x.rank(); ++i) out.push_back(1);
  const int64_t planes = x.dim(0) * x.dim(1);
  const int64_t size = planes == 0 ? 0 : x.numel() / planes;
  if (size == 0 && planes > 0)
    return Status::InvalidArgument("input shape " + ShapeToString(x.shape()) +
                                   " has an empty spatial extent");
  return DispatchFloat(x.dtype(), [&]<class T>() {
    Tensor y(x.dtype(), out);
    if (x.layout() == Layout::kNhwc) {
      PoolNhwc<kIsMax, T>(x.data<T>(), y.data<T>(), x.dim(0), size, x.dim(1));
    } else if (x.layout() == Layout::kNchw8c) {  // N*C/8 images of 8 channels-last lanes
      PoolBlocked<kIsMax, T>(x.data<T>(), y.data<T>(), x.dim(0) * x.dim(1) / 8, size);
    } else {
      PoolPlain<kIsMax, T>(x.data<T>(), y.data<T>(), planes, size);
    }
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

template class GlobalPoolKernel<false>;
template class GlobalPoolKernel<true>;

}  // namespace litemp::nn
