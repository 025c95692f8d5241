// Encodings reader: JSON text -> EncodingsFile (1.0.0, 0.6.1, 2.0.0), validated.
#include <cstddef>
#include <cstdint>
#include <string>

#include "litemp/load_encodings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)litemp::ParseEncodings(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  return 0;
}
