// 8-bit images and their decoders (JPEG via libjpeg-turbo, PNG via libpng).
//
// Decoders mirror what PIL's Image.open(f).convert("RGB") produces, because the reference
// accuracies in shared/models/MODELS.md were measured on PIL-decoded pixels. Corrupt or
// truncated files return an error (never abort or longjmp out). Thread-safe: no shared state.
#ifndef LITEMP_DATA_IMAGE_H_
#define LITEMP_DATA_IMAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "litemp/status.h"

namespace litemp::data {

// Interleaved (HWC) 8-bit pixels.
struct U8Image {
  int height = 0;
  int width = 0;
  int channels = 0;
  std::vector<uint8_t> pixels;  // height * width * channels

  U8Image() = default;
  U8Image(int h, int w, int c) : height(h), width(w), channels(c), pixels(size_t(h) * w * c) {}
  uint8_t* row(int y) { return pixels.data() + size_t(y) * width * channels; }
  const uint8_t* row(int y) const { return pixels.data() + size_t(y) * width * channels; }
};

// Decodes a JPEG to 1 channel (grayscale files) or 3 channels (RGB). YCbCr/RGB decode to
// RGB; CMYK/YCCK convert to RGB the way PIL does (it assumes Adobe-inverted CMYK). libjpeg
// warnings about corrupt data (truncation, bad Huffman codes, ...) are errors.
Result<U8Image> DecodeJpeg(const uint8_t* data, size_t size);

// Decodes a PNG to 1 channel (gray, gray+alpha) or 3 channels (RGB, RGBA, palette): palette
// expanded, bit depths < 8 expanded, 16-bit reduced to its high byte (as PIL does for RGB),
// alpha and tRNS dropped, interlacing handled.
Result<U8Image> DecodePng(const uint8_t* data, size_t size);

// Picks the decoder by magic bytes, not by extension (some ".JPEG" files are PNGs).
// InvalidArgument for anything that is neither.
Result<U8Image> DecodeImage(const uint8_t* data, size_t size);

// Replicates a 1-channel image into 3 channels (PIL's convert("RGB") of an "L" image).
U8Image GrayToRgb(const U8Image& gray);

// PIL's convert("L") of an RGB image: the ITU-R 601-2 luma R*299/1000 + G*587/1000 +
// B*114/1000 in PIL's 16-bit fixed point, (R*19595 + G*38470 + B*7471 + 0x8000) >> 16,
// i.e. rounded to nearest. REQUIRES: rgb.channels == 3.
U8Image RgbToGray(const U8Image& rgb);

}  // namespace litemp::data

#endif  // LITEMP_DATA_IMAGE_H_
