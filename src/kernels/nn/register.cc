#include "kernels/kernel.h"

namespace litemp {

void RegisterNnKernels(KernelRegistry* r) {}

}  // namespace litemp
