// PNG decoding with libpng. Errors longjmp back to DecodePngInner (see jpeg_decode.cc for
// why all state lives in the caller's frame).
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <png.h>

#include "data/image.h"

namespace litemp::data {
namespace {

constexpr int64_t kMaxPixels = int64_t{1} << 28;

struct PngState {
  png_structp png = nullptr;
  png_infop info = nullptr;
  const uint8_t* data = nullptr;
  size_t size = 0;
  size_t pos = 0;
  char message[256] = {};
  std::vector<png_bytep> rows;  // sized before setjmp's region touches it
};

void OnError(png_structp png, png_const_charp msg) {
  auto* state = static_cast<PngState*>(png_get_error_ptr(png));
  std::snprintf(state->message, sizeof(state->message), "%s", msg);
  png_longjmp(png, 1);
}

void OnWarning(png_structp, png_const_charp) {}  // ancillary-chunk issues; pixels are fine

void ReadFromMemory(png_structp png, png_bytep out, size_t n) {
  auto* state = static_cast<PngState*>(png_get_io_ptr(png));
  if (n > state->size - state->pos) png_error(png, "unexpected end of file (truncated)");
  std::memcpy(out, state->data + state->pos, n);
  state->pos += n;
}

bool DecodePngInner(PngState* state, U8Image* out) {
  if (setjmp(png_jmpbuf(state->png))) return false;
  png_structp png = state->png;
  png_infop info = state->info;
  png_set_read_fn(png, state, ReadFromMemory);
  png_read_info(png, info);
  const png_uint_32 w = png_get_image_width(png, info);
  const png_uint_32 h = png_get_image_height(png, info);
  const int color = png_get_color_type(png, info);
  const int depth = png_get_bit_depth(png, info);
  if (h != state->rows.size() || int64_t{w} * h > kMaxPixels) {
    std::snprintf(state->message, sizeof(state->message), "unsupported image size %ux%u", w, h);
    return false;
  }
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (depth == 16) png_set_strip_16(png);
  // Alpha (and palette tRNS, which palette expansion turns into alpha) is dropped, as
  // PIL's convert("RGB") does.
  if ((color & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS)) {
    png_set_strip_alpha(png);
  }
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const int channels = png_get_channels(png, info);
  const size_t rowbytes = png_get_rowbytes(png, info);
  if (png_get_bit_depth(png, info) != 8 || (channels != 1 && channels != 3) ||
      rowbytes != size_t(w) * channels) {
    std::snprintf(state->message, sizeof(state->message),
                  "unexpected layout after conversion (%d channels, %d bits)", channels,
                  png_get_bit_depth(png, info));
    return false;
  }
  *out = U8Image(static_cast<int>(h), static_cast<int>(w), channels);
  for (png_uint_32 y = 0; y < h; ++y) state->rows[y] = out->row(static_cast<int>(y));
  png_read_image(png, state->rows.data());
  png_read_end(png, nullptr);
  return true;
}

}  // namespace

Result<U8Image> DecodePng(const uint8_t* data, size_t size) {
  if (size < 8 || png_sig_cmp(data, 0, 8) != 0) return Status::InvalidArgument("not a PNG file");
  PngState state;
  state.data = data;
  state.size = size;
  state.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, OnError, OnWarning);
  if (!state.png) return Status::Internal("png_create_read_struct failed");
  state.info = png_create_info_struct(state.png);
  if (!state.info) {
    png_destroy_read_struct(&state.png, nullptr, nullptr);
    return Status::Internal("png_create_info_struct failed");
  }
  // Peek at the height so the row table is allocated outside the setjmp region: IHDR is
  // at a fixed offset (8-byte signature, 8-byte chunk header, width, height).
  if (size < 24) {
    png_destroy_read_struct(&state.png, &state.info, nullptr);
    return Status::InvalidArgument("corrupt PNG: truncated header");
  }
  uint32_t h = (uint32_t{data[20]} << 24) | (uint32_t{data[21]} << 16) | (uint32_t{data[22]} << 8) | data[23];
  if (h == 0 || h > (1u << 20)) {
    png_destroy_read_struct(&state.png, &state.info, nullptr);
    return Status::InvalidArgument("corrupt PNG: bad height " + std::to_string(h));
  }
  state.rows.resize(h);
  U8Image image;
  bool ok = DecodePngInner(&state, &image);
  png_destroy_read_struct(&state.png, &state.info, nullptr);
  if (!ok) return Status::InvalidArgument(std::string("corrupt PNG: ") + state.message);
  return image;
}

}  // namespace litemp::data
