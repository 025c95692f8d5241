// Model loader: bytes -> ModelProto -> shape inference -> Graph -> kernels (Executor::Create).
// External data resolves against a folder that does not exist, so no file is ever read.
#include <cstddef>
#include <cstdint>
#include <string>

#include "litemp/executor.h"
#include "litemp/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto model = litemp::Model::FromBytes(std::string(reinterpret_cast<const char*>(data), size), "/nonexistent/fuzz");
  if (!model.ok()) return 0;
  (void)litemp::Executor::Create(model.value()->graph());
  return 0;
}
