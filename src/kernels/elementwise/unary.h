// Element-wise unary kernels. Each accepts NHWC input and keeps its layout.
#ifndef LITEMP_KERNELS_ELEMENTWISE_UNARY_H_
#define LITEMP_KERNELS_ELEMENTWISE_UNARY_H_

#include <algorithm>

#include "core/parallel.h"
#include "kernels/kernel.h"
#include "kernels/util.h"

namespace litemp {

class ReluKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;
};

}  // namespace litemp

#endif  // LITEMP_KERNELS_ELEMENTWISE_UNARY_H_
