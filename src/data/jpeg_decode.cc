// JPEG decoding with libjpeg-turbo. libjpeg reports fatal errors by calling error_exit,
// which must not return; we longjmp back to DecodeJpegInner. Everything the jump skips is
// plain C state, and all state read after the jump lives in the caller's frame.
#include <csetjmp>
#include <cstdio>
#include <cstring>

#include <jerror.h>
#include <jpeglib.h>

#include "data/image.h"

namespace litemp::data {
namespace {

// Refuse absurd dimensions from a corrupt header before allocating.
constexpr int64_t kMaxPixels = int64_t{1} << 28;

struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

struct JpegState {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
};

[[noreturn]] void OnError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings (level -1) mostly mean corrupt data that libjpeg papered over (e.g. a truncated
// file padded with a fake EOI); decoding such a file would feed made-up pixels to the model,
// so they are errors. Only warnings that do not touch pixel data are ignored.
void OnMessage(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace output
  int code = cinfo->err->msg_code;
  if (code == JWRN_ADOBE_XFORM || code == JWRN_JFIF_MAJOR) return;
  OnError(cinfo);
}

// PIL decodes 4-component JPEGs as Adobe-inverted CMYK ("CMYK;I") and converts with
// Convert.c's cmyk2rgb; this reproduces both steps on libjpeg's raw CMYK output.
inline uint8_t PilCmykToRgb(int raw_ink, int raw_k) {
  int ink = 255 - raw_ink;  // un-invert
  int nk = raw_k;           // 255 - (255 - raw_k)
  int tmp = ink * nk + 128;
  int v = nk - (((tmp >> 8) + tmp) >> 8);
  return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// Returns false with state->err.message set on failure. Holds no C++ objects.
bool DecodeJpegInner(const uint8_t* data, size_t size, JpegState* state, U8Image* out) {
  jpeg_decompress_struct* cinfo = &state->cinfo;
  if (setjmp(state->err.jump)) {
    jpeg_destroy_decompress(cinfo);
    return false;
  }
  jpeg_create_decompress(cinfo);
  jpeg_mem_src(cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(cinfo, TRUE);
  const int components = cinfo->num_components;
  const bool cmyk = components == 4;
  if (components == 1) {
    cinfo->out_color_space = JCS_GRAYSCALE;
  } else if (cmyk) {
    cinfo->out_color_space = JCS_CMYK;  // libjpeg turns YCCK into CMYK
  } else {
    cinfo->out_color_space = JCS_RGB;
  }
  // Defaults kept on purpose (ISLOW DCT, fancy upsampling, no DCT scaling): PIL's.
  jpeg_start_decompress(cinfo);
  const int w = static_cast<int>(cinfo->output_width);
  const int h = static_cast<int>(cinfo->output_height);
  if (int64_t{w} * h > kMaxPixels || w <= 0 || h <= 0) {
    std::snprintf(state->err.message, sizeof(state->err.message), "unsupported image size %dx%d", w, h);
    jpeg_destroy_decompress(cinfo);
    return false;
  }
  const int out_channels = components == 1 ? 1 : 3;
  *out = U8Image(h, w, out_channels);
  if (!cmyk) {
    while (cinfo->output_scanline < cinfo->output_height) {
      JSAMPROW row = out->row(static_cast<int>(cinfo->output_scanline));
      jpeg_read_scanlines(cinfo, &row, 1);
    }
  } else {
    // CMYK rows are 4 bytes per pixel: decode into a scratch row from libjpeg's image
    // pool (released by jpeg_destroy_decompress, also on the error path).
    JSAMPARRAY scratch = (*cinfo->mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(cinfo),
                                                     JPOOL_IMAGE, static_cast<JDIMENSION>(w) * 4, 1);
    while (cinfo->output_scanline < cinfo->output_height) {
      int y = static_cast<int>(cinfo->output_scanline);
      jpeg_read_scanlines(cinfo, scratch, 1);
      const uint8_t* src = scratch[0];
      uint8_t* dst = out->row(y);
      for (int x = 0; x < w; ++x, src += 4, dst += 3) {
        dst[0] = PilCmykToRgb(src[0], src[3]);
        dst[1] = PilCmykToRgb(src[1], src[3]);
        dst[2] = PilCmykToRgb(src[2], src[3]);
      }
    }
  }
  jpeg_finish_decompress(cinfo);
  jpeg_destroy_decompress(cinfo);
  return true;
}

}  // namespace

Result<U8Image> DecodeJpeg(const uint8_t* data, size_t size) {
  JpegState state;
  std::memset(&state, 0, sizeof(state));
  state.cinfo.err = jpeg_std_error(&state.err.pub);
  state.err.pub.error_exit = OnError;
  state.err.pub.emit_message = OnMessage;
  U8Image image;
  if (!DecodeJpegInner(data, size, &state, &image)) {
    return Status::InvalidArgument(std::string("corrupt JPEG: ") + state.err.message);
  }
  return image;
}

}  // namespace litemp::data
