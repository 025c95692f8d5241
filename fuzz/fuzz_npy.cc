// .npy reader: header parsing, dtype conversion, shape/size checks.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)litemp::data::ParseNpy(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
