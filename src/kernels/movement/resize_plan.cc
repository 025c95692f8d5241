// Resize geometry: output sizes and per-axis sampling plans (indices and weights).
#include <algorithm>
#include <cmath>

#include "kernels/movement/common.h"
#include "kernels/movement/resize.h"
#include "kernels/util.h"

namespace litemp::movement {
namespace {

// x_original for output index x. `ow` is the fractional output width scale * in, which
// the ONNX reference uses for align_corners and tf_crop_and_resize (so scales of 0.6 on
// 4 pixels map with 2.4, not 2).
double SourceCoord(const ResizeAttrs& a, int64_t x, int64_t in, int64_t out, double scale, double rs, double re) {
  const double xd = static_cast<double>(x), ind = static_cast<double>(in);
  const double ow = scale * ind;
  switch (a.coord) {
    case CoordMode::kHalfPixel:
      return (xd + 0.5) / scale - 0.5;
    case CoordMode::kHalfPixelSymmetric: {
      const double adjustment = static_cast<double>(out) / ow;
      const double center = ind / 2;
      return center * (1 - adjustment) + (xd + 0.5) / scale - 0.5;
    }
    case CoordMode::kPytorchHalfPixel:
      return out > 1 ? (xd + 0.5) / scale - 0.5 : 0.0;
    case CoordMode::kAlignCorners:
      return ow == 1 ? 0.0 : xd * (ind - 1) / (ow - 1);
    case CoordMode::kAsymmetric:
      return xd / scale;
    case CoordMode::kTfHalfPixelForNn:
      return (xd + 0.5) / scale;
    case CoordMode::kTfCropAndResize:
      if (ow == 1) return (re - rs) * (ind - 1) / 2 + rs * (ind - 1);
      return xd * (re - rs) * (ind - 1) / (ow - 1) + rs * (ind - 1);
  }
  return 0;
}

int64_t NearestIndex(NearestMode m, double x, double scale) {
  const double f = std::floor(x);
  if (f == x) return static_cast<int64_t>(f);
  const double frac = x - f;
  switch (m) {
    case NearestMode::kRoundPreferFloor:
      return static_cast<int64_t>(frac <= 0.5 ? f : f + 1);
    case NearestMode::kRoundPreferCeil:
      return static_cast<int64_t>(frac < 0.5 ? f : f + 1);
    case NearestMode::kFloor:
      return static_cast<int64_t>(f);
    case NearestMode::kCeil:
      return static_cast<int64_t>(f + 1);
    case NearestMode::kLegacy:
      return static_cast<int64_t>(scale < 1 ? f + 1 : f);
  }
  return static_cast<int64_t>(f);
}

double CubicKernel(double x, double a) {
  x = std::fabs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

// Weights for neighbours base+first .. base+first+n-1, where the source coordinate is
// base + ratio with ratio in (0, 1].
void Coefficients(const ResizeAttrs& a, double ratio, double scale, int64_t* first, std::vector<double>* w) {
  w->clear();
  if (a.mode == ResizeMode::kLinear) {
    if (!a.antialias) {
      *first = 0;
      *w = {1 - ratio, ratio};
      return;
    }
    const double s = std::min(scale, 1.0);
    const int64_t start = static_cast<int64_t>(std::floor(-1 / s) + 1);
    const int64_t n = 2 - 2 * start;
    *first = start;
    for (int64_t i = start; i < start + n; ++i) w->push_back(std::clamp(1 - std::fabs((i - ratio) * s), 0.0, 1.0));
  } else {
    if (!a.antialias) {
      *first = -1;
      for (int64_t i = -1; i <= 2; ++i) w->push_back(CubicKernel(i - ratio, a.cubic_a));
      return;
    }
    const double s = std::min(scale, 1.0);
    const int64_t start = static_cast<int64_t>(std::floor(-2 / s) + 1);
    *first = start;
    for (int64_t i = start; i < 2 - start; ++i) w->push_back(CubicKernel(s * (i - ratio), a.cubic_a));
  }
  double sum = 0;
  for (double v : *w) sum += v;
  if (sum != 0)
    for (double& v : *w) v /= sum;
}

}  // namespace

AxisPlan PlanAxis(const ResizeAttrs& a, int64_t in, int64_t out, double scale, double rs, double re) {
  AxisPlan p;
  p.in = in;
  p.out = out;
  p.outside.assign(out, 0);
  std::vector<double> w;
  for (int64_t x = 0; x < out; ++x) {
    const double xo = SourceCoord(a, x, in, out, scale, rs, re);
    if (a.coord == CoordMode::kTfCropAndResize && (xo < 0 || xo > static_cast<double>(in - 1))) {
      p.outside[x] = 1;
      p.any_outside = true;
    }
    if (a.mode == ResizeMode::kNearest) {
      p.index.push_back(std::clamp<int64_t>(NearestIndex(a.nearest, xo, scale), 0, in - 1));
      p.weight.push_back(1);
      continue;
    }
    // The reference keeps ratio in (0, 1]: an integer coordinate is base + 1.
    double base = std::floor(xo), ratio = xo - base;
    if (ratio == 0) {
      base -= 1;
      ratio = 1;
    }
    int64_t first;
    Coefficients(a, ratio, scale, &first, &w);
    p.taps = static_cast<int>(w.size());
    if (a.exclude_outside) {
      double sum = 0;
      for (size_t k = 0; k < w.size(); ++k) {
        const int64_t i = static_cast<int64_t>(base) + first + static_cast<int64_t>(k);
        if (i < 0 || i >= in) w[k] = 0;
        sum += w[k];
      }
      if (sum != 0)
        for (double& v : w) v /= sum;
    }
    for (size_t k = 0; k < w.size(); ++k) {
      const int64_t i = static_cast<int64_t>(base) + first + static_cast<int64_t>(k);
      p.index.push_back(std::clamp<int64_t>(i, 0, in - 1));
      p.weight.push_back(w[k]);
    }
  }
  // Identity: same size, no extrapolation, output x reads only input x with weight 1.
  p.identity = in == out && !p.any_outside;
  for (int64_t x = 0; p.identity && x < out; ++x) {
    double self = 0, other = 0;
    for (int k = 0; k < p.taps; ++k) {
      const size_t j = x * p.taps + k;
      (p.index[j] == x ? self : other) += std::fabs(p.weight[j]);
    }
    p.identity = self == 1 && other == 0;
  }
  return p;
}

Result<ResizeGeometry> ComputeResizeGeometry(const ResizeAttrs& a, const Shape& in, const std::vector<double>* scales,
                                             const std::vector<int64_t>* sizes, const std::vector<double>* roi) {
  const int r = static_cast<int>(in.size());
  std::vector<int64_t> axes = a.axes;
  if (axes.empty()) {
    for (int i = 0; i < r; ++i) axes.push_back(i);
  } else {
    LITEMP_RETURN_IF_ERROR(NormalizeAxes(&axes, r));
  }
  const size_t n = axes.size();
  ResizeGeometry g;
  g.out = in;
  g.scale.assign(r, 1.0);
  g.roi_start.assign(r, 0.0);
  g.roi_end.assign(r, 1.0);
  if (a.coord == CoordMode::kTfCropAndResize && roi && !roi->empty()) {
    if (roi->size() != 2 * n)
      return Status::InvalidArgument("roi has " + std::to_string(roi->size()) + " values, expected " +
                                     std::to_string(2 * n) + " for input " + ShapeToString(in));
    for (size_t i = 0; i < n; ++i) {
      g.roi_start[axes[i]] = (*roi)[i];
      g.roi_end[axes[i]] = (*roi)[n + i];
    }
  }
  if (sizes) {
    if (sizes->size() != n)
      return Status::InvalidArgument("sizes " + IntsToString(*sizes) + " has " + std::to_string(sizes->size()) +
                                     " values, expected " + std::to_string(n) + " for input " + ShapeToString(in));
    for (size_t i = 0; i < n; ++i) {
      const int64_t d = axes[i];
      if ((*sizes)[i] < 0) return Status::InvalidArgument("sizes " + IntsToString(*sizes) + " has a negative value");
      g.out[d] = (*sizes)[i];
      g.scale[d] = in[d] > 0 ? static_cast<double>((*sizes)[i]) / static_cast<double>(in[d]) : 1.0;
    }
    if (a.aspect != AspectPolicy::kStretch) {
      double s = a.aspect == AspectPolicy::kNotLarger ? INFINITY : 0;
      for (int64_t d : axes)
        s = a.aspect == AspectPolicy::kNotLarger ? std::min(s, g.scale[d]) : std::max(s, g.scale[d]);
      for (int64_t d : axes) {
        g.scale[d] = s;
        g.out[d] = static_cast<int64_t>(s * static_cast<double>(in[d]) + 0.5);
      }
    }
  } else {
    if (!scales || scales->size() != n)
      return Status::InvalidArgument("scales has " + std::to_string(scales ? scales->size() : 0) +
                                     " values, expected " + std::to_string(n) + " for input " + ShapeToString(in));
    for (size_t i = 0; i < n; ++i) {
      const double s = (*scales)[i];
      if (!(s > 0)) return Status::InvalidArgument("scales must be positive, got " + std::to_string(s));
      g.scale[axes[i]] = s;
      g.out[axes[i]] = static_cast<int64_t>(std::floor(s * static_cast<double>(in[axes[i]])));
    }
  }
  return g;
}

}  // namespace litemp::movement
