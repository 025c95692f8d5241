#include "data/preprocess.h"

#include <algorithm>
#include <string>

#include "data/resize.h"

namespace litemp::data {
namespace {

// Refuse absurd --resize/--crop sizes before allocating (the decoders' limit).
constexpr int64_t kMaxOutputPixels = int64_t{1} << 28;

// Where one axis of the crop window comes from: `len` pixels starting at `src` in the
// resized image land at `dst` in the output (the rest of the output is padding).
struct Span {
  int src = 0, dst = 0, len = 0;
};

Span CropSpan(int size, int crop) {
  if (crop <= 0) return {0, 0, size};
  if (size >= crop) return {CenterCropOffset(size, crop), 0, crop};
  // torchvision pads (crop - size) // 2 before, the rest after, then crops at offset 0.
  return {0, (crop - size) / 2, size};
}

}  // namespace

Result<Tensor> Preprocess(const U8Image& input, const PreprocessOptions& options) {
  // PIL converts to "L" before any transform, so luminance is taken at full resolution.
  const bool to_gray = options.grayscale && input.channels != 1;
  if (to_gray && input.channels != 3) {
    return Status::InvalidArgument("--grayscale needs 1- or 3-channel images; this one has " +
                                   std::to_string(input.channels) + " channels");
  }
  const U8Image gray = to_gray ? RgbToGray(input) : U8Image();
  const U8Image& image = to_gray ? gray : input;
  const int in_c = image.channels;
  const int C = (options.to_rgb && !options.grayscale && in_c == 1) ? 3 : in_c;
  auto check_count = [&](const std::vector<float>& v, const char* what) -> Status {
    if (v.size() == 1 || v.size() == size_t(C)) return Status::OK();
    return Status::InvalidArgument(std::string(what) + " has " + std::to_string(v.size()) +
                                   " values; expected 1 or " + std::to_string(C) + " (image channels)");
  };
  LITEMP_RETURN_IF_ERROR(check_count(options.mean, "mean"));
  LITEMP_RETURN_IF_ERROR(check_count(options.std, "std"));
  if (image.height <= 0 || image.width <= 0 || in_c <= 0) {
    return Status::InvalidArgument("empty image");
  }

  int rh = image.height, rw = image.width;
  if (options.resize_h > 0 && options.resize_w > 0) {
    rh = options.resize_h;
    rw = options.resize_w;
  } else if (options.resize > 0) {
    ShorterSideSize(image.height, image.width, options.resize, &rh, &rw);
  }
  if (rh <= 0 || rw <= 0) {
    return Status::InvalidArgument("image " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                                   " is too elongated to resize to shorter side " + std::to_string(options.resize));
  }
  // The resampler's tap tables grow with the resized size, even when a crop keeps little.
  if (int64_t{rh} * rw > kMaxOutputPixels)
    return Status::InvalidArgument("--resize makes a " + std::to_string(rw) + "x" + std::to_string(rh) +
                                   " image, more than " + std::to_string(kMaxOutputPixels) + " pixels");
  const bool rect = options.crop_h > 0 && options.crop_w > 0;
  const int crop_h = rect ? options.crop_h : options.crop;
  const int crop_w = rect ? options.crop_w : options.crop;
  const Span sy = CropSpan(rh, crop_h), sx = CropSpan(rw, crop_w);
  const int oh = crop_h > 0 ? crop_h : rh;
  const int ow = crop_w > 0 ? crop_w : rw;
  if (int64_t{oh} * ow > kMaxOutputPixels)
    return Status::InvalidArgument("--resize/--crop make a " + std::to_string(ow) + "x" + std::to_string(oh) +
                                   " image, more than " + std::to_string(kMaxOutputPixels) + " pixels");
  const U8Image win = ResizeBilinearWindow(image, rh, rw, sy.src, sx.src, sy.len, sx.len);

  // Per-channel lookup table; the float32 operations match ToTensor (v / 255) followed by
  // Normalize ((x - mean) / std), so values equal torchvision's bit for bit.
  std::vector<float> lut(size_t(C) * 256);
  for (int c = 0; c < C; ++c) {
    const float m = options.mean.size() == 1 ? options.mean[0] : options.mean[c];
    const float s = options.std.size() == 1 ? options.std[0] : options.std[c];
    for (int v = 0; v < 256; ++v) lut[size_t(c) * 256 + v] = (static_cast<float>(v) / 255.f - m) / s;
  }

  Tensor out(DType::kFloat32, options.hwc ? Shape{oh, ow, C} : Shape{C, oh, ow});
  float* o = out.data<float>();
  const size_t plane = size_t(oh) * ow;
  // Element strides of a channel and of a pixel: [C,H,W] is planar, [H,W,C] interleaved.
  const size_t cs = options.hwc ? 1 : plane;
  const size_t ps = options.hwc ? size_t(C) : 1;
  for (int c = 0; c < C; ++c) {
    const float* l = &lut[size_t(c) * 256];
    float* p = o + c * cs;
    if (sy.len != oh || sx.len != ow) {  // zero padding
      for (size_t i = 0; i < plane; ++i) p[i * ps] = l[0];
    }
    const int src_c = in_c == 1 ? 0 : c;
    for (int y = 0; y < sy.len; ++y) {
      const uint8_t* src = win.row(y) + src_c;
      float* dst = p + (size_t(sy.dst + y) * ow + sx.dst) * ps;
      for (int x = 0; x < sx.len; ++x) dst[x * ps] = l[src[size_t(x) * in_c]];
    }
  }
  return out;
}

}  // namespace litemp::data
