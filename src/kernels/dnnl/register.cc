#include "kernels/dnnl/conv.h"
#include "kernels/dnnl/gemm.h"

namespace litemp {

void RegisterDnnlKernels(KernelRegistry* r) {
  RegisterKernel<ConvKernel>(r, "Conv");
  RegisterKernel<ConvTransposeKernel>(r, "ConvTranspose");
  RegisterKernel<GemmKernel>(r, "Gemm");
  RegisterKernel<MatMulKernel>(r, "MatMul");
}

}  // namespace litemp
