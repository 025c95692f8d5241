// .npz reader: zip records (zip64 included), inflate, CRC, member names, then .npy parsing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/npz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)litemp::data::ParseNpz(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
