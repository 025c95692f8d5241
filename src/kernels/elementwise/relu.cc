// Relu (opset 6..21): y = max(x, 0) on float and (14+) signed integer types. Layout-agnostic,
// so it accepts NHWC and keeps it.
#include "kernels/elementwise/unary.h"
#include "kernels/elementwise/unary_ops.h"

namespace litemp {

Status ReluKernel::Init(const KernelInit& init) { return Status::OK(); }

Status ReluKernel::Run(KernelContext& ctx) {
  const Tensor* x = ctx.input(0);
  if (!x) return Status::InvalidArgument("expected 1 input");
  return ApplyUnary(*x, ReluOp{}, ctx.output(0));
}

}  // namespace litemp
