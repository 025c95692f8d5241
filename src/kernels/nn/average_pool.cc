// AveragePool (opsets 1..22): 1-D/2-D/3-D, explicit or automatic padding, ceil_mode,
// count_include_pad and (opset 19+) dilations.
#include "core/parallel.h"
#include "kernels/nn/pool.h"

namespace litemp::nn {

namespace {

template <class T>
void AveragePoolPlanes(const PoolGeometry& g, const T* x, T* y, bool count_pad) {
  const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
  ForEachPoolWindow(g, [&](const PoolWindow& w) {
    const T* xp = x + w.plane * in_plane;
    double sum = 0;
    for (int64_t k0 = w.lo[0]; k0 < w.hi[0]; ++k0) {
      const int64_t i0 = w.s[0] + k0 * g.d[0];
      for (int64_t k1 = w.lo[1]; k1 < w.hi[1]; ++k1) {
        const T* row = xp + (i0 * g.in[1] + w.s[1] + k1 * g.d[1]) * g.in[2] + w.s[2];
        for (int64_t k2 = w.lo[2]; k2 < w.hi[2]; ++k2) sum += row[k2 * g.d[2]];
      }
    }
    double n = 1;
    for (int i = 0; i < 3; ++i)
      n *= count_pad ? PaddedTaps(w.s[i], g.k[i], g.d[i], g.in[i], g.pad[i], g.pad_end[i]) : w.hi[i] - w.lo[i];
    // An all-padding window without count_include_pad averages nothing: NaN, as in the
    // reference.
    y[w.plane * out_plane + w.out] = static_cast<T>(sum / n);
  });
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
