// Pooling kernels (MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool) and the window
// geometry they share.
//
// Geometry follows the ONNX spec and its reference implementation: explicit pads, or auto_pad
// SAME_UPPER/SAME_LOWER/VALID; ceil_mode rounds the output size up but drops a last window that
// would start inside the end padding. Windows are clipped to the input; padded positions never
// contribute to a max, and contribute zeros to an average only when count_include_pad is set
// (the divisor is then the full kernel size).
#ifndef LITEMP_KERNELS_NN_POOL_H_
#define LITEMP_KERNELS_NN_POOL_H_

#include <cstdint>
#include <vector>

#include "core/parallel.h"
#include "kernels/kernel.h"
#include "kernels/util.h"

namespace litemp::nn {

// Pooling attributes as parsed once from a node.
struct PoolAttrs {
  enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };
  std::vector<int64_t> kernel;     // one per spatial dim
  std::vector<int64_t> strides;    // empty = all 1
  std::vector<int64_t> pads;       // begins then ends; empty = all 0
  std::vector<int64_t> dilations;  // empty = all 1
  AutoPad auto_pad = AutoPad::kNotSet;
  bool ceil_mode = false;
};

// Reads kernel_shape, strides, pads, dilations, auto_pad and ceil_mode, validating counts and
// values. `allow_dilations` is false for ops/opsets without the attribute (it is then ignored
// if absent and rejected if present).
Status ParsePoolAttrs(const KernelInit& init, bool allow_dilations, PoolAttrs* out);

// Window geometry for one input shape, always expressed in 3 spatial dims: 1-D and 2-D pools
// are padded in front with unit dims (kernel 1, stride 1, no pad) so one loop nest serves all.
struct PoolGeometry {
  int spatial_rank = 0;  // 1, 2 or 3 (the real rank)
  int64_t batch = 0, channels = 0;
  int64_t in[3] = {1, 1, 1};   // input spatial sizes
  int64_t out[3] = {1, 1, 1};  // output spatial sizes
  int64_t k[3] = {1, 1, 1};    // kernel
  int64_t s[3] = {1, 1, 1};    // strides
  int64_t d[3] = {1, 1, 1};    // dilations
  int64_t pad[3] = {0, 0, 0};      // begin padding
  int64_t pad_end[3] = {0, 0, 0};  // end padding (explicit or from auto_pad)
  Shape out_shape;             // [N, C, out spatial...]
  int64_t in_plane() const { return in[0] * in[1] * in[2]; }
  int64_t out_plane() const { return out[0] * out[1] * out[2]; }
  int64_t kernel_size() const { return k[0] * k[1] * k[2]; }
};

// Computes the geometry for input shape `x` ([N, C, D1..Dn], n = kernel rank).
Result<PoolGeometry> ComputePoolGeometry(const PoolAttrs& a, const Shape& x);

// Valid kernel taps [*lo, *hi) along one dim for a window starting at `start` (may be
// negative) over an input of size `size`.
inline void KernelRange(int64_t start, int64_t k, int64_t d, int64_t size, int64_t* lo,
                        int64_t* hi) {
  int64_t a = start < 0 ? (-start + d - 1) / d : 0;
  int64_t b = size - start <= 0 ? 0 : (size - start + d - 1) / d;
  *lo = a;
  *hi = b < k ? b : k;
  if (*hi < *lo) *hi = *lo;
}

// One output position of a pooling window over a plain [N*C planes, D0, D1, D2] input.
struct PoolWindow {
  int64_t plane;     // n * C + c
  int64_t out;       // offset of the output element within its plane
  int64_t s[3];      // window start per dim (may be negative)
  int64_t lo[3], hi[3];  // valid taps [lo, hi) per dim (see KernelRange)
};

// Calls fn(window) for every output position of every plane, planes split over threads.
template <class F>
void ForEachPoolWindow(const PoolGeometry& g, F&& fn) {
  ParallelFor(
      g.batch * g.channels,
      [&](int64_t p0, int64_t p1) {
        PoolWindow w;
        for (w.plane = p0; w.plane < p1; ++w.plane)
          for (int64_t o0 = 0; o0 < g.out[0]; ++o0) {
            w.s[0] = o0 * g.s[0] - g.pad[0];
            KernelRange(w.s[0], g.k[0], g.d[0], g.in[0], &w.lo[0], &w.hi[0]);
            for (int64_t o1 = 0; o1 < g.out[1]; ++o1) {
              w.s[1] = o1 * g.s[1] - g.pad[1];
              KernelRange(w.s[1], g.k[1], g.d[1], g.in[1], &w.lo[1], &w.hi[1]);
              for (int64_t o2 = 0; o2 < g.out[2]; ++o2) {
                w.s[2] = o2 * g.s[2] - g.pad[2];
                KernelRange(w.s[2], g.k[2], g.d[2], g.in[2], &w.lo[2], &w.hi[2]);
                w.out = (o0 * g.out[1] + o1) * g.out[2] + o2;
                fn(static_cast<const PoolWindow&>(w));
              }
            }
          }
      },
      g.out_plane() * g.kernel_size());
}

// Taps of a window starting at `start` that fall inside the padded input
// [-pad_begin, size + pad_end): AveragePool's divisor with count_include_pad. A ceil-mode
// window running past the end padding counts only its taps inside it (ONNX Runtime, PyTorch).
inline int64_t PaddedTaps(int64_t start, int64_t k, int64_t d, int64_t size, int64_t pad_begin,
                          int64_t pad_end) {
  int64_t lo, hi;
  KernelRange(start + pad_begin, k, d, size + pad_begin + pad_end, &lo, &hi);
  return hi - lo;
}

// Max (is_max) or average pooling of a channels-last [N, H, W, C] buffer into a channels-last
// output, for 2-D geometry. Averages accumulate in T over at most kernel_size() taps.
template <class T>
void PoolNhwc(const PoolGeometry& g, const T* x, T* y, bool is_max, bool count_pad);

// Blocked [N][C/8][H][W][8] pooled as N*C/8 channels-last images of 8 channels.
inline PoolGeometry BlockedAsNhwc(PoolGeometry g) {
  g.batch *= g.channels / 8;
  g.channels = 8;
  return g;
}

// MaxPool and AveragePool accept NHWC and blocked input (2-D pooling of float tensors) and
// keep it; MaxPool's Indices output is computed on the plain layout.
class MaxPoolKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  PoolAttrs attrs_;
  int storage_order_ = 0;
};

class AveragePoolKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  PoolAttrs attrs_;
  bool count_include_pad_ = false;
};

// GlobalAveragePool (kIsMax false) / GlobalMaxPool (kIsMax true): [N, C, D1..Dn] ->
// [N, C, 1..1]. Accepts NHWC and blocked input and always produces a plain output.
template <bool kIsMax>
class GlobalPoolKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init) { return Status::OK(); }
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  Status Run(KernelContext& ctx) override;
};
using GlobalAveragePoolKernel = GlobalPoolKernel<false>;
using GlobalMaxPoolKernel = GlobalPoolKernel<true>;

}  // namespace litemp::nn

#endif  // LITEMP_KERNELS_NN_POOL_H_
