// Relu: y = max(x, 0). Layout-agnostic, so it accepts NHWC and keeps it.
#include "kernels/elementwise/unary.h"

namespace litemp {

Status ReluKernel::Init(const KernelInit& init) { return Status::OK(); }

Status ReluKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  return DispatchNumeric(x.dtype(), [&]<class T>() {
    Tensor y(x.dtype(), x.shape(), x.layout());
    const T* a = x.data<T>();
    T* b = y.data<T>();
    ParallelFor(x.numel(), [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) b[i] = std::max(a[i], T(0));
    });
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp
