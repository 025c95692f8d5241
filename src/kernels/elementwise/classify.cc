// IsNaN (opset 9..21) and IsInf (10..21; detect_negative and detect_positive default 1):
// float input (float16 too), bool output.
#include <cmath>
#include <string>
#include <type_traits>

#include "kernels/elementwise/cast.h"
#include "kernels/elementwise/unary.h"

namespace litemp {

Status ClassifyKernel::Init(const KernelInit& init) {
  is_nan_ = init.node().op_type == "IsNaN";
  detect_negative_ = init.attrs().GetInt("detect_negative", 1) != 0;
  detect_positive_ = init.attrs().GetInt("detect_positive", 1) != 0;
  return Status::OK();
}

Status ClassifyKernel::Run(KernelContext& ctx) {
  const Tensor* in = ctx.input(0);
  if (!in) return Status::InvalidArgument("expected 1 input");
  Tensor x = *in;
  if (x.dtype() == DType::kFloat16) {
    LITEMP_ASSIGN_OR_RETURN(x, CastTensor(*in, DType::kFloat32));
  }
  return DispatchFloat(x.dtype(), [&]<class T>() -> Status {
    Tensor y(DType::kBool, x.shape());
    const T* a = x.data<T>();
    bool* b = y.data<bool>();
    const T inf = std::numeric_limits<T>::infinity();
    const bool neg = detect_negative_, pos = detect_positive_;
    ParallelFor(x.numel(), [&](int64_t s, int64_t e) {
      if (is_nan_) {
        for (int64_t i = s; i < e; ++i) b[i] = a[i] != a[i];
      } else {
        for (int64_t i = s; i < e; ++i) b[i] = (pos && a[i] == inf) || (neg && a[i] == -inf);
      }
    });
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp
