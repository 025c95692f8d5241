// Geometry of the image preprocessing: torchvision's Resize(int)/CenterCrop sizes and
// offsets, and PIL's Image.resize(BILINEAR) on 8-bit images.
//
// The shared MobileNetV2 reference accuracy was measured on PIL/torchvision-preprocessed
// images, so these reproduce those libraries bit for bit rather than a textbook bilinear.
#ifndef LITEMP_DATA_RESIZE_H_
#define LITEMP_DATA_RESIZE_H_

#include "data/image.h"

namespace litemp::data {

// torchvision Resize(size): the shorter side becomes `size`, the longer
// int(size * long / short). REQUIRES: h, w, size > 0.
void ShorterSideSize(int h, int w, int size, int* out_h, int* out_w);

// torchvision CenterCrop offset: int(round((in - crop) / 2.0)) with Python's round (half
// to even), so 1.5 -> 2 but 2.5 -> 2. REQUIRES: in >= crop.
int CenterCropOffset(int in, int crop);

// PIL Image.resize((out_w, out_h), Image.BILINEAR): separable triangle filter whose support
// grows with the downscale factor (antialiasing), 22-bit fixed-point weights, horizontal
// pass then vertical, each rounded to uint8; a pass is skipped when its size is unchanged.
// Only the output window of wh x ww pixels at (y0, x0) is computed (the result equals
// cropping the full resize); only the input rows that window needs are filtered.
// REQUIRES: the window lies inside out_h x out_w.
U8Image ResizeBilinearWindow(const U8Image& in, int out_h, int out_w, int y0, int x0, int wh, int ww);

inline U8Image ResizeBilinear(const U8Image& in, int out_h, int out_w) {
  return ResizeBilinearWindow(in, out_h, out_w, 0, 0, out_h, out_w);
}

}  // namespace litemp::data

#endif  // LITEMP_DATA_RESIZE_H_
