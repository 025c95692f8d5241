// Registers the normalisation and pooling kernels.
#include "kernels/nn/norm.h"
#include "kernels/nn/pool.h"

namespace litemp {

void RegisterNnKernels(KernelRegistry* r) {
  RegisterKernel<BatchNormKernel>(r, "BatchNormalization");
  RegisterKernel<LayerNormKernel>(r, "LayerNormalization");
  RegisterKernel<InstanceNormKernel>(r, "InstanceNormalization");
  RegisterKernel<GroupNormKernel>(r, "GroupNormalization");
  RegisterKernel<LpNormKernel>(r, "LpNormalization");
  RegisterKernel<LrnKernel>(r, "LRN");
  RegisterKernel<MaxPoolKernel>(r, "MaxPool");
  RegisterKernel<AveragePoolKernel>(r, "AveragePool");
  RegisterKernel<GlobalAveragePoolKernel>(r, "GlobalAveragePool");
  RegisterKernel<GlobalMaxPoolKernel>(r, "GlobalMaxPool");
}

}  // namespace litemp
