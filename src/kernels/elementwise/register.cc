#include "kernels/elementwise/unary.h"

namespace litemp {

void RegisterElementwiseKernels(KernelRegistry* r) {
  RegisterKernel<ReluKernel>(r, "Relu");
}

}  // namespace litemp
