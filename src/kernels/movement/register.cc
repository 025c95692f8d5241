#include "kernels/kernel.h"

namespace litemp {

void RegisterMovementKernels(KernelRegistry* r) {}

}  // namespace litemp
