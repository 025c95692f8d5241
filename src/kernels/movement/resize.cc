// Resize and Upsample kernels: attribute parsing and input handling per opset.
//
// Resize-10: inputs (X, scales); asymmetric coordinates, legacy nearest rounding.
// Resize-11: inputs (X, roi, scales, sizes?); coordinate_transformation_mode,
//   cubic_coeff_a, exclude_outside, extrapolation_value, nearest_mode.
// Resize-13: roi and scales become optional; tf_half_pixel_for_nn is dropped (still
//   accepted here). Resize-18: antialias, axes, keep_aspect_ratio_policy.
//   Resize-19: half_pixel_symmetric.
// Upsample-7: 'scales' attribute; Upsample-9: 'scales' input. Modes nearest/linear.
#include "kernels/movement/resize.h"

#include "kernels/movement/common.h"

namespace litemp::movement {
namespace {

Status ParseMode(const std::string& s, ResizeMode* m) {
  if (s == "nearest") {
    *m = ResizeMode::kNearest;
  } else if (s == "linear" || s == "bilinear") {
    *m = ResizeMode::kLinear;
  } else if (s == "cubic") {
    *m = ResizeMode::kCubic;
  } else {
    return Status::InvalidArgument("mode '" + s + "' is not one of nearest, linear, cubic");
  }
  return Status::OK();
}

Status ParseCoord(const std::string& s, CoordMode* m) {
  static const std::pair<const char*, CoordMode> kModes[] = {
      {"half_pixel", CoordMode::kHalfPixel},
      {"half_pixel_symmetric", CoordMode::kHalfPixelSymmetric},
      {"pytorch_half_pixel", CoordMode::kPytorchHalfPixel},
      {"align_corners", CoordMode::kAlignCorners},
      {"asymmetric", CoordMode::kAsymmetric},
      {"tf_half_pixel_for_nn", CoordMode::kTfHalfPixelForNn},
      {"tf_crop_and_resize", CoordMode::kTfCropAndResize},
  };
  for (const auto& [name, mode] : kModes) {
    if (s == name) {
      *m = mode;
      return Status::OK();
    }
  }
  return Status::InvalidArgument("coordinate_transformation_mode '" + s +
                                 "' is not one of half_pixel, half_pixel_symmetric, pytorch_half_pixel, "
                                 "align_corners, asymmetric, tf_half_pixel_for_nn, tf_crop_and_resize");
}

Status ParseNearest(const std::string& s, NearestMode* m) {
  if (s == "round_prefer_floor") {
    *m = NearestMode::kRoundPreferFloor;
  } else if (s == "round_prefer_ceil") {
    *m = NearestMode::kRoundPreferCeil;
  } else if (s == "floor") {
    *m = NearestMode::kFloor;
  } else if (s == "ceil") {
    *m = NearestMode::kCeil;
  } else {
    return Status::InvalidArgument("nearest_mode '" + s +
                                   "' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil");
  }
  return Status::OK();
}

Status ParseAspect(const std::string& s, AspectPolicy* p) {
  if (s == "stretch") {
    *p = AspectPolicy::kStretch;
  } else if (s == "not_larger") {
    *p = AspectPolicy::kNotLarger;
  } else if (s == "not_smaller") {
    *p = AspectPolicy::kNotSmaller;
  } else {
    return Status::InvalidArgument("keep_aspect_ratio_policy '" + s +
                                   "' is not one of stretch, not_larger, not_smaller");
  }
  return Status::OK();
}

// A float input as doubles; null/empty tensors give an empty vector.
Result<std::vector<double>> OptionalDoubles(const Tensor* t, const std::string& what) {
  if (!t || t->numel() == 0) return std::vector<double>{};
  return ReadDoubles(*t, what);
}

}  // namespace

Status ResizeKernel::Init(const KernelInit& init) {
  opset_ = init.opset();
  const Attributes& at = init.attrs();
  LITEMP_RETURN_IF_ERROR(ParseMode(at.GetString("mode", "nearest"), &attrs_.mode));
  if (opset_ < 11) {
    if (attrs_.mode == ResizeMode::kCubic) return Status::InvalidArgument("mode 'cubic' needs opset 11 or later");
    attrs_.coord = CoordMode::kAsymmetric;
    attrs_.nearest = NearestMode::kLegacy;
    return Status::OK();
  }
  LITEMP_RETURN_IF_ERROR(ParseCoord(at.GetString("coordinate_transformation_mode", "half_pixel"), &attrs_.coord));
  LITEMP_RETURN_IF_ERROR(ParseNearest(at.GetString("nearest_mode", "round_prefer_floor"), &attrs_.nearest));
  attrs_.cubic_a = at.GetFloat("cubic_coeff_a", -0.75f);
  attrs_.exclude_outside = at.GetInt("exclude_outside", 0) != 0;
  attrs_.extrapolation = at.GetFloat("extrapolation_value", 0.f);
  if (opset_ >= 18) {
    attrs_.antialias = at.GetInt("antialias", 0) != 0 && attrs_.mode != ResizeMode::kNearest;
    attrs_.axes = at.GetInts("axes");
    LITEMP_RETURN_IF_ERROR(ParseAspect(at.GetString("keep_aspect_ratio_policy", "stretch"), &attrs_.aspect));
  }
  return Status::OK();
}

Status ResizeKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  std::vector<double> roi, scales;
  std::vector<int64_t> sizes;
  if (opset_ < 11) {
    LITEMP_ASSIGN_OR_RETURN(scales, OptionalDoubles(ctx.input(1), "scales"));
  } else {
    if (attrs_.coord == CoordMode::kTfCropAndResize) {
      LITEMP_ASSIGN_OR_RETURN(roi, OptionalDoubles(ctx.input(1), "roi"));
    }
    LITEMP_ASSIGN_OR_RETURN(scales, OptionalDoubles(ctx.input(2), "scales"));
    if (ctx.input(3) && ctx.input(3)->numel() > 0) {
      LITEMP_ASSIGN_OR_RETURN(sizes, ReadInts(*ctx.input(3), "sizes"));
    }
  }
  if (scales.empty() == sizes.empty())
    return Status::InvalidArgument("exactly one of 'scales' and 'sizes' must be given (scales has " +
                                   std::to_string(scales.size()) + " values, sizes " + std::to_string(sizes.size()) +
                                   ")");
  if (!scales.empty() && attrs_.aspect != AspectPolicy::kStretch)
    return Status::InvalidArgument("keep_aspect_ratio_policy applies only to 'sizes', not 'scales'");
  Tensor y;
  LITEMP_RETURN_IF_ERROR(
      RunResize(attrs_, x, scales.empty() ? nullptr : &scales, sizes.empty() ? nullptr : &sizes, &roi, &y));
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

Status UpsampleKernel::Init(const KernelInit& init) {
  opset_ = init.opset();
  const std::string mode = init.attrs().GetString("mode", "nearest");
  LITEMP_RETURN_IF_ERROR(ParseMode(mode, &attrs_.mode));
  if (attrs_.mode == ResizeMode::kCubic) return Status::InvalidArgument("mode '" + mode + "' is not nearest or linear");
  attrs_.coord = CoordMode::kAsymmetric;
  attrs_.nearest = NearestMode::kLegacy;
  if (opset_ < 9) {
    if (!init.attrs().Has("scales")) return Status::InvalidArgument("missing required attribute 'scales'");
    for (float s : init.attrs().GetFloats("scales")) attr_scales_.push_back(s);
  }
  return Status::OK();
}

Status UpsampleKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  std::vector<double> scales = attr_scales_;
  if (opset_ >= 9) {
    if (!ctx.input(1)) return Status::InvalidArgument("missing the 'scales' input");
    LITEMP_ASSIGN_OR_RETURN(scales, ReadDoubles(*ctx.input(1), "scales"));
  }
  Tensor y;
  LITEMP_RETURN_IF_ERROR(RunResize(attrs_, x, &scales, nullptr, nullptr, &y));
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
