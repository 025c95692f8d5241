// Resize (opsets 10-19+) and Upsample (7, 9): separable N-D resampling.
//
// Every axis gets a plan: for each output index, a few input indices and weights
// (1 tap for nearest, 2 for linear, 4 for cubic, more with antialias). Nearest runs as one
// gather; linear/cubic run one weighted pass per resized axis, innermost first, which is
// the order the ONNX reference interpolates in. Coordinates and weights follow the ONNX
// reference implementation (onnx/reference/ops/op_resize.py), including its treatment of
// integer source coordinates and of exclude_outside. NHWC inputs are resampled in their
// storage order and stay NHWC.
#ifndef LITEMP_KERNELS_MOVEMENT_RESIZE_H_
#define LITEMP_KERNELS_MOVEMENT_RESIZE_H_

#include <cstdint>
#include <vector>

#include "kernels/kernel.h"

namespace litemp::movement {

enum class ResizeMode { kNearest, kLinear, kCubic };
enum class CoordMode {
  kHalfPixel,
  kHalfPixelSymmetric,
  kPytorchHalfPixel,
  kAlignCorners,
  kAsymmetric,
  kTfHalfPixelForNn,
  kTfCropAndResize,
};
// kLegacy is Upsample's and Resize-10's rule: floor when upsampling, ceil when
// downsampling (what onnxruntime does for those versions).
enum class NearestMode { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil, kLegacy };
enum class AspectPolicy { kStretch, kNotLarger, kNotSmaller };

struct ResizeAttrs {
  ResizeMode mode = ResizeMode::kNearest;
  CoordMode coord = CoordMode::kHalfPixel;
  NearestMode nearest = NearestMode::kRoundPreferFloor;
  double cubic_a = -0.75;
  bool exclude_outside = false;
  double extrapolation = 0;
  bool antialias = false;
  AspectPolicy aspect = AspectPolicy::kStretch;
  std::vector<int64_t> axes;  // opset 18; empty = every axis
};

// How one axis is resampled.
struct AxisPlan {
  int64_t in = 0, out = 0;
  int taps = 1;                // taps per output index
  std::vector<int64_t> index;  // out * taps, clamped into [0, in)
  std::vector<double> weight;  // out * taps
  std::vector<char> outside;   // out; 1 where tf_crop_and_resize extrapolates
  bool any_outside = false;
  bool identity = false;  // output i is exactly input i
};

// Plans one axis. `scale` is the effective scale (output_width = scale * in, possibly
// fractional); roi_* are the normalised crop bounds for tf_crop_and_resize.
// REQUIRES: in > 0.
AxisPlan PlanAxis(const ResizeAttrs& a, int64_t in, int64_t out, double scale, double roi_start, double roi_end);

struct ResizeGeometry {
  Shape out;
  std::vector<double> scale, roi_start, roi_end;  // per axis of the input
};

// Output shape, scales and ROI per axis. Exactly one of scales/sizes is non-null; each
// has one value per entry of attrs.axes (or per axis when axes is empty); roi, when
// non-null and non-empty, has twice that many.
Result<ResizeGeometry> ComputeResizeGeometry(const ResizeAttrs& a, const Shape& in, const std::vector<double>* scales,
                                             const std::vector<int64_t>* sizes, const std::vector<double>* roi);

// Resamples x (plain or NHWC) with one plan per logical axis into *y (same dtype/layout).
Status ApplyResize(const ResizeAttrs& a, const Tensor& x, const std::vector<AxisPlan>& plans, Tensor* y);

// Geometry + plans + apply.
Status RunResize(const ResizeAttrs& a, const Tensor& x, const std::vector<double>* scales,
                 const std::vector<int64_t>* sizes, const std::vector<double>* roi, Tensor* y);

class ResizeKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  int opset_ = 0;
  ResizeAttrs attrs_;
};

// Upsample = Resize with asymmetric coordinates and legacy nearest rounding.
class UpsampleKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  int opset_ = 0;
  ResizeAttrs attrs_;
  std::vector<double> attr_scales_;  // opset < 9
};

}  // namespace litemp::movement

#endif  // LITEMP_KERNELS_MOVEMENT_RESIZE_H_
