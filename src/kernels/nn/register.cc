// Registers the normalisation and pooling kernels.
#include "kernels/nn/norm.h"
#include "kernels/nn/pool.h"

namespace litemp {

void RegisterNnKernels(KernelRegistry* r) {
  RegisterKernel<nn::BatchNormKernel>(r, "BatchNormalization");
  RegisterKernel<nn::LayerNormKernel>(r, "LayerNormalization");
  RegisterKernel<nn::InstanceNormKernel>(r, "InstanceNormalization");
  RegisterKernel<nn::GroupNormKernel>(r, "GroupNormalization");
  RegisterKernel<nn::LpNormKernel>(r, "LpNormalization");
  RegisterKernel<nn::LrnKernel>(r, "LRN");
  RegisterKernel<nn::MaxPoolKernel>(r, "MaxPool");
  RegisterKernel<nn::AveragePoolKernel>(r, "AveragePool");
  RegisterKernel<nn::GlobalAveragePoolKernel>(r, "GlobalAveragePool");
  RegisterKernel<nn::GlobalMaxPoolKernel>(r, "GlobalMaxPool");
}

}  // namespace litemp
