// What the process has used so far: peak resident memory and page faults (getrusage), for
// run reports and benchmarks.
#ifndef LITEMP_CORE_RESOURCES_H_
#define LITEMP_CORE_RESOURCES_H_

#include <cstdint>

namespace litemp {

struct ResourceUsage {
  double peak_rss_mb = 0;    // MiB
  int64_t minor_faults = 0;  // page faults served without I/O (first touches)
  int64_t major_faults = 0;
};

ResourceUsage ProcessResources();

}  // namespace litemp

#endif  // LITEMP_CORE_RESOURCES_H_
