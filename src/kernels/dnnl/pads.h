// Convolution geometry shared by Conv and ConvTranspose: attribute parsing (kernel_shape,
// strides, dilations, pads, auto_pad, group, output_padding, output_shape) and the ONNX
// output-size / auto_pad rules. Plain value types; no oneDNN.
#ifndef LITEMP_KERNELS_DNNL_PADS_H_
#define LITEMP_KERNELS_DNNL_PADS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/kernel.h"

namespace litemp {

enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };

// Attributes of a Conv/ConvTranspose node as written in the model. Empty vectors mean
// "not given" (defaults are filled in by Resolve*, once the spatial rank is known).
struct ConvAttrs {
  std::vector<int64_t> kernel_shape, strides, dilations, pads;
  std::vector<int64_t> output_padding, output_shape;  // ConvTranspose only
  AutoPad auto_pad = AutoPad::kNotSet;
  int64_t group = 1;

  // Reads and validates the attributes (values, not lengths: the rank comes later).
  // `transpose` also reads output_padding/output_shape.
  Status Parse(const Attributes& a, bool transpose);
};

// A fully resolved convolution over up to 3 spatial dims. Everything is in ONNX terms:
// dilations are >= 1, pads may be negative only for ConvTranspose with output_shape.
struct ConvGeometry {
  int nsp = 0;                 // number of spatial dims (1..3)
  int64_t n = 0, c = 0, m = 0;  // batch, input channels, output channels
  int64_t group = 1;
  std::vector<int64_t> in, out, k, s, d, pb, pe;  // per spatial dim
  std::vector<int64_t> out_pad;                  // ConvTranspose output_padding

  Shape OutputShape() const;
  // Multiply-adds of the whole op.
  double Macs() const;
};

// Conv: x [N,C,D...], w [M,C/group,K...]. Checks shapes against the attributes and fills `g`.
Status ResolveConv(const ConvAttrs& a, const Shape& x, const Shape& w, ConvGeometry* g);
// ConvTranspose: x [N,C,D...], w [C,M/group,K...].
Status ResolveConvTranspose(const ConvAttrs& a, const Shape& x, const Shape& w, ConvGeometry* g);

}  // namespace litemp

#endif  // LITEMP_KERNELS_DNNL_PADS_H_
