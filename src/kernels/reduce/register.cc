// Registers the reduction, softmax, cumulative-sum and quantization kernels.
#include "kernels/reduce/reduce.h"

namespace litemp {

void RegisterReduceKernels(KernelRegistry* r) {
  RegisterKernel<reduce::ReduceKernel<reduce::ReduceOp::kSum>>(r, "ReduceSum");
  RegisterKernel<reduce::ReduceKernel<reduce::ReduceOp::kMean>>(r, "ReduceMean");
  RegisterKernel<reduce::ReduceKernel<reduce::ReduceOp::kMax>>(r, "ReduceMax");
  RegisterKernel<reduce::ReduceKernel<reduce::ReduceOp::kMin>>(r, "ReduceMin");
  RegisterKernel<reduce::ReduceKernel<reduce::ReduceOp::kProd>>(r, "ReduceProd");
  RegisterKernel<reduce::ReduceKernel<reduce::ReduceOp::kL1>>(r, "ReduceL1");
  RegisterKernel<reduce::ReduceKernel<reduce::ReduceOp::kL2>>(r, "ReduceL2");
  RegisterKernel<reduce::ReduceKernel<reduce::ReduceOp::kLogSum>>(r, "ReduceLogSum");
  RegisterKernel<reduce::ReduceKernel<reduce::ReduceOp::kLogSumExp>>(r, "ReduceLogSumExp");
  RegisterKernel<reduce::ReduceKernel<reduce::ReduceOp::kSumSquare>>(r, "ReduceSumSquare");
  RegisterKernel<reduce::ArgReduceKernel<true>>(r, "ArgMax");
  RegisterKernel<reduce::ArgReduceKernel<false>>(r, "ArgMin");
  RegisterKernel<reduce::SoftmaxKernel<reduce::SoftmaxKind::kSoftmax>>(r, "Softmax");
  RegisterKernel<reduce::SoftmaxKernel<reduce::SoftmaxKind::kLogSoftmax>>(r, "LogSoftmax");
  RegisterKernel<reduce::SoftmaxKernel<reduce::SoftmaxKind::kHardmax>>(r, "Hardmax");
  RegisterKernel<reduce::CumSumKernel>(r, "CumSum");
  RegisterKernel<reduce::QuantizeLinearKernel>(r, "QuantizeLinear");
  RegisterKernel<reduce::DequantizeLinearKernel>(r, "DequantizeLinear");
  RegisterKernel<reduce::QuantizeLinearKernel>(r, "QuantizeLinear", "com.microsoft");
  RegisterKernel<reduce::DequantizeLinearKernel>(r, "DequantizeLinear", "com.microsoft");
}

}  // namespace litemp
