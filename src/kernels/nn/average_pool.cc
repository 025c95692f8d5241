// AveragePool (opsets 1..22): 1-D/2-D/3-D, explicit or automatic padding, ceil_mode,
// count_include_pad and (opset 19+) dilations.
#include "core/parallel.h"
#include "kernels/nn/pool.h"

namespace litemp::nn {

namespace {

template <class T>
void AveragePoolPlanes(const PoolGeometry& g, const T* x, T* y, bool count_pad) {
  const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
  ParallelFor(
      g.batch * g.channels,
      [&](int64_t p0, int64_t p1) {
        for (int64_t p = p0; p < p1; ++p) {
          const T* xp = x + p * in_plane;
          T* yp = y + p * out_plane;
          for (int64_t o0 = 0; o0 < g.out[0]; ++o0) {
            const int64_t s0 = o0 * g.s[0] - g.pad[0];
            int64_t lo0, hi0;
            KernelRange(s0, g.k[0], g.d[0], g.in[0], &lo0, &hi0);
            for (int64_t o1 = 0; o1 < g.out[1]; ++o1) {
              const int64_t s1 = o1 * g.s[1] - g.pad[1];
              int64_t lo1, hi1;
              KernelRange(s1, g.k[1], g.d[1], g.in[1], &lo1, &hi1);
              for (int64_t o2 = 0; o2 < g.out[2]; ++o2) {
                const int64_t s2 = o2 * g.s[2] - g.pad[2];
                int64_t lo2, hi2;
                KernelRange(s2, g.k[2], g.d[2], g.in[2], &lo2, &hi2);
                double sum = 0;
                for (int64_t k0 = lo0; k0 < hi0; ++k0) {
                  const int64_t i0 = s0 + k0 * g.d[0];
                  for (int64_t k1 = lo1; k1 < hi1; ++k1) {
                    const T* row = xp + (i0 * g.in[1] + s1 + k1 * g.d[1]) * g.in[2] + s2;
                    for (int64_t k2 = lo2; k2 < hi2; ++k2) sum += row[k2 * g.d[2]];
                  }
                }
                const double n =
                    count_pad ? static_cast<double>(PaddedTaps(s0, g.k[0], g.d[0], g.in[0], g.pad[0], g.pad_end[0]) *
                                                    PaddedTaps(s1, g.k[1], g.d[1], g.in[1], g.pad[1], g.pad_end[1]) *
                                                    PaddedTaps(s2, g.k[2], g.d[2], g.in[2], g.pad[2], g.pad_end[2]))
                              : static_cast<double>((hi0 - lo0) * (hi1 - lo1) * (hi2 - lo2));
                // An all-padding window without count_include_pad averages nothing: NaN, as in the
                // reference.
                yp[(o0 * g.out[1] + o1) * g.out[2] + o2] = static_cast<T>(sum / n);
              }
            }
          }
        }
      },
      out_plane * g.kernel_size());
}

}  // namespace

Status AveragePoolKernel::Init(const KernelInit& init) {
  LITEMP_RETURN_IF_ERROR(ParsePoolAttrs(init, /*allow_dilations=*/init.opset() >= 19, &attrs_));
  count_include_pad_ = init.attrs().GetInt("count_include_pad", 0) != 0;
  return Status::OK();
}

Status AveragePoolKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  LITEMP_ASSIGN_OR_RETURN(PoolGeometry g, ComputePoolGeometry(attrs_, x.shape()));
  return DispatchFloat(x.dtype(), [&]<class T>() {
    Tensor y(x.dtype(), g.out_shape, x.layout());
    if (x.layout() != Layout::kPlain) {
      PoolNhwc<T>(x.layout() == Layout::kNhwc ? g : BlockedAsNhwc(g), x.data<T>(), y.data<T>(), /*is_max=*/false,
                  count_include_pad_);
    } else {
      AveragePoolPlanes<T>(g, x.data<T>(), y.data<T>(), count_include_pad_);
    }
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp::nn
