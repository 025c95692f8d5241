#include "core/parallel.h"

namespace litemp {

void SetNumThreads(int n) {
  if (n > 0) omp_set_num_threads(n);
}

int NumThreads() { return omp_get_max_threads(); }

}  // namespace litemp
