// Turns a decoded 8-bit image into the float32 model input, the way the torchvision
// pipeline [convert("L")] -> Resize -> CenterCrop -> ToTensor -> Normalize does, laid out
// [C,H,W] or [H,W,C].
#ifndef LITEMP_DATA_PREPROCESS_H_
#define LITEMP_DATA_PREPROCESS_H_

#include <vector>

#include "data/image.h"
#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp::data {

struct PreprocessOptions {
  int resize = 0;                  // shorter side; 0 keeps the size
  int resize_h = 0, resize_w = 0;  // exact size when both > 0 (then `resize` is unused)
  int crop = 0;                    // centre crop side; 0 = none
  int crop_h = 0, crop_w = 0;      // rectangular crop when both > 0 (then `crop` is unused)
  std::vector<float> mean = {0.f};  // one value, or one per output channel
  std::vector<float> std = {1.f};
  bool to_rgb = false;     // replicate 1-channel images into 3 channels
  bool grayscale = false;  // 3-channel images become 1 luminance channel; wins over to_rgb
  bool hwc = false;        // [H,W,C] output instead of [C,H,W]
};

// Grayscale conversion (RgbToGray), resize (PIL bilinear: shorter side, or exact size),
// centre crop (zero-padded like torchvision when the crop is larger than the image), then
// (x/255 - mean[c]) / std[c] in float32. The values do not depend on `hwc`, only their order.
// InvalidArgument when mean/std have neither 1 nor C values, when `grayscale` meets an
// image of neither 1 nor 3 channels, or when the resized or output image would exceed
// 2^28 pixels.
Result<Tensor> Preprocess(const U8Image& image, const PreprocessOptions& options);

}  // namespace litemp::data

#endif  // LITEMP_DATA_PREPROCESS_H_
