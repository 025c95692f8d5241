// Registers the reduction, softmax, cumulative-sum and quantization kernels.
#include "kernels/reduce/reduce.h"

namespace litemp {

void RegisterReduceKernels(KernelRegistry* r) {
  RegisterKernel<ReduceKernel<ReduceOp::kSum>>(r, "ReduceSum");
  RegisterKernel<ReduceKernel<ReduceOp::kMean>>(r, "ReduceMean");
  RegisterKernel<ReduceKernel<ReduceOp::kMax>>(r, "ReduceMax");
  RegisterKernel<ReduceKernel<ReduceOp::kMin>>(r, "ReduceMin");
  RegisterKernel<ReduceKernel<ReduceOp::kProd>>(r, "ReduceProd");
  RegisterKernel<ReduceKernel<ReduceOp::kL1>>(r, "ReduceL1");
  RegisterKernel<ReduceKernel<ReduceOp::kL2>>(r, "ReduceL2");
  RegisterKernel<ReduceKernel<ReduceOp::kLogSum>>(r, "ReduceLogSum");
  RegisterKernel<ReduceKernel<ReduceOp::kLogSumExp>>(r, "ReduceLogSumExp");
  RegisterKernel<ReduceKernel<ReduceOp::kSumSquare>>(r, "ReduceSumSquare");
  RegisterKernel<ArgReduceKernel<true>>(r, "ArgMax");
  RegisterKernel<ArgReduceKernel<false>>(r, "ArgMin");
  RegisterKernel<SoftmaxKernel<SoftmaxKind::kSoftmax>>(r, "Softmax");
  RegisterKernel<SoftmaxKernel<SoftmaxKind::kLogSoftmax>>(r, "LogSoftmax");
  RegisterKernel<SoftmaxKernel<SoftmaxKind::kHardmax>>(r, "Hardmax");
  RegisterKernel<CumSumKernel>(r, "CumSum");
  RegisterKernel<QuantizeLinearKernel>(r, "QuantizeLinear");
  RegisterKernel<DequantizeLinearKernel>(r, "DequantizeLinear");
}

}  // namespace litemp
