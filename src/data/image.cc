#include "data/image.h"

#include <algorithm>

namespace litemp::data {

Result<U8Image> DecodeImage(const uint8_t* data, size_t size) {
  static constexpr uint8_t kPngMagic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return DecodeJpeg(data, size);
  if (size >= 8 && std::equal(kPngMagic, kPngMagic + 8, data)) return DecodePng(data, size);
  return Status::InvalidArgument("neither a JPEG nor a PNG file (unrecognised magic bytes)");
}

U8Image GrayToRgb(const U8Image& gray) {
  U8Image rgb(gray.height, gray.width, 3);
  const size_t n = size_t(gray.height) * gray.width;
  for (size_t i = 0; i < n; ++i) {
    rgb.pixels[3 * i] = rgb.pixels[3 * i + 1] = rgb.pixels[3 * i + 2] = gray.pixels[i];
  }
  return rgb;
}

}  // namespace litemp::data
