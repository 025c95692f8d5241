// Quantsim config parser: JSON text -> QuantsimConfig (every key validated).
#include <cstddef>
#include <cstdint>
#include <string>

#include "quant/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)litemp::ParseQuantsimConfig(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  return 0;
}
