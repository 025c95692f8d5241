// Turns a decoded 8-bit image into the float32 [C,H,W] model input, the way the
// torchvision pipeline Resize(resize) -> CenterCrop(crop) -> ToTensor -> Normalize does.
#ifndef LITEMP_DATA_PREPROCESS_H_
#define LITEMP_DATA_PREPROCESS_H_

#include <vector>

#include "data/image.h"
#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp::data {

struct PreprocessOptions {
  int resize = 0;  // shorter side; 0 keeps the size
  int crop = 0;    // centre crop side; 0 = none
  std::vector<float> mean = {0.f};  // one value, or one per output channel
  std::vector<float> std = {1.f};
  bool to_rgb = false;  // replicate 1-channel images into 3 channels
};

// Resize (PIL bilinear, shorter side), centre crop (zero-padded like torchvision when the
// crop is larger than the image), then (x/255 - mean[c]) / std[c] in float32.
// InvalidArgument when mean/std have neither 1 nor C values, or the output would exceed
// 2^28 pixels.
Result<Tensor> Preprocess(const U8Image& image, const PreprocessOptions& options);

}  // namespace litemp::data

#endif  // LITEMP_DATA_PREPROCESS_H_
