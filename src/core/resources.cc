#include "core/resources.h"

#include <sys/resource.h>

namespace litemp {

ResourceUsage ProcessResources() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  ResourceUsage r;
  r.peak_rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux reports KiB
  r.minor_faults = ru.ru_minflt;
  r.major_faults = ru.ru_majflt;
  return r;
}

}  // namespace litemp
