// PNG decoder (libpng behind litemp's error handling).
#include "data/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)litemp::data::DecodePng(data, size);
  return 0;
}
