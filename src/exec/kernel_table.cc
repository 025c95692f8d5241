// The one list of kernel groups. Explicit calls, no static-initialiser registration: a
// missing group is a link error, not a silently smaller registry.
#include "kernels/kernel.h"

namespace litemp {

const KernelRegistry& KernelRegistry::Global() {
  static const KernelRegistry* reg = [] {
    auto* r = new KernelRegistry();
    RegisterElementwiseKernels(r);
    RegisterNnKernels(r);
    RegisterMovementKernels(r);
    RegisterReduceKernels(r);
    RegisterDnnlKernels(r);
    return r;
  }();
  return *reg;
}

}  // namespace litemp
