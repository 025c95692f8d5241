#include "kernels/kernel.h"

namespace litemp {

void RegisterDnnlKernels(KernelRegistry* r) {}

}  // namespace litemp
