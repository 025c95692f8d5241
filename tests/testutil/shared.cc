#include <cstdlib>
#include <filesystem>

#include "testutil/kernel_runner.h"

namespace litemp::test {

std::string SharedDir() {
  const char* env = std::getenv("LITEMP_SHARED");
  std::string dir = env && *env ? env : LITEMP_SHARED_DEFAULT;
  if (!std::filesystem::exists(std::filesystem::path(dir) / "models")) return "";
  return dir;
}

}  // namespace litemp::test
