#include "data/image.h"

#include <algorithm>
#include <cassert>

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

U8Image RgbToGray(const U8Image& rgb) {
  assert(rgb.channels == 3);
  U8Image gray(rgb.height, rgb.width, 1);
  const size_t n = size_t(rgb.height) * rgb.width;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = &rgb.pixels[3 * i];
    // Pillow's L24 macro (Convert.c, rgb2l); at most 255 * 65536 + 0x8000 fits in uint32.
    gray.pixels[i] = static_cast<uint8_t>((p[0] * 19595u + p[1] * 38470u + p[2] * 7471u + 0x8000u) >> 16);
  }
  return gray;
}

}  // namespace litemp::data
