// JPEG decoder (libjpeg-turbo behind litemp's error handling).
#include "data/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)litemp::data::DecodeJpeg(data, size);
  return 0;
}
