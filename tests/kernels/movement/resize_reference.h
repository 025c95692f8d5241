// A direct, slow port of the ONNX reference Resize (onnx/reference/ops/op_resize.py):
// N-D interpolation by recursion over axes, neighbours found by sorting distances in an
// edge-padded copy, coefficients recomputed per output element. Structurally unlike the
// kernel's per-axis plans, so randomized tests can use it as an oracle. Plain float data,
// every axis resized. One deliberate difference from the Python: pytorch_half_pixel maps
// a length-1 output to 0 as the spec text says (the Python uses -0.5).
#ifndef LITEMP_TESTS_KERNELS_MOVEMENT_RESIZE_REFERENCE_H_
#define LITEMP_TESTS_KERNELS_MOVEMENT_RESIZE_REFERENCE_H_

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

namespace litemp::mtest::resize_ref {

struct Options {
  std::string mode = "nearest";  // nearest | linear | cubic
  std::string coord = "half_pixel";
  std::string nearest_mode = "round_prefer_floor";
  double cubic_a = -0.75;
  bool exclude_outside = false;
  bool antialias = false;
  double extrapolation = 0;
};

inline std::vector<double> Coeffs(const Options& o, double ratio, double scale) {
  if (o.mode == "nearest") {
    if (ratio == std::floor(ratio)) return {0, 1};
    if (o.nearest_mode == "round_prefer_floor") return {double(ratio <= 0.5), double(ratio > 0.5)};
    if (o.nearest_mode == "round_prefer_ceil") return {double(ratio < 0.5), double(ratio >= 0.5)};
    if (o.nearest_mode == "floor") return {1, 0};
    return {0, 1};
  }
  const double A = o.cubic_a;
  if (o.mode == "linear") {
    if (!o.antialias) return {1 - ratio, ratio};
    const double s = std::min(scale, 1.0);
    const int start = static_cast<int>(std::floor(-1 / s) + 1);
    const int footprint = 2 - 2 * start;
    std::vector<double> c;
    double sum = 0;
    for (int i = start; i < start + footprint; ++i) {
      c.push_back(std::clamp(1 - std::fabs((i - ratio) * s), 0.0, 1.0));
      sum += c.back();
    }
    for (double& v : c) v /= sum;
    return c;
  }
  if (!o.antialias) {
    const double r = ratio;
    return {((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A, ((A + 2) * r - (A + 3)) * r * r + 1,
            ((A + 2) * (1 - r) - (A + 3)) * (1 - r) * (1 - r) + 1,
            ((A * ((1 - r) + 1) - 5 * A) * ((1 - r) + 1) + 8 * A) * ((1 - r) + 1) - 4 * A};
  }
  const double s = std::min(scale, 1.0);
  auto w = [A](double x) {
    x = std::fabs(x);
    if (x <= 1) return (A + 2) * x * x * x - (A + 3) * x * x + 1;
    if (x < 2) return A * x * x * x - 5 * A * x * x + 8 * A * x - 4 * A;
    return 0.0;
  };
  const int i_start = static_cast<int>(std::floor(-2 / s) + 1), i_end = 2 - i_start;
  std::vector<double> c;
  double sum = 0;
  for (int i = i_start; i < i_end; ++i) {
    c.push_back(w(s * (i - ratio)));
    sum += c.back();
  }
  for (double& v : c) v /= sum;
  return c;
}

// The n indices of [0, limit) nearest to x, preferring smaller ones, ascending.
inline std::vector<int> NeighborIdxes(double x, int n, int limit) {
  std::vector<int> idx(limit);
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [x](int a, int b) {
    const double da = std::fabs(x - a), db = std::fabs(x - b);
    return da != db ? da < db : a < b;
  });
  idx.resize(n);
  std::sort(idx.begin(), idx.end());
  return idx;
}

inline double Interp1D(const std::vector<double>& data, double scale, int out_int, double x, const Options& o,
                       double roi_start, double roi_end) {
  const int in = static_cast<int>(data.size());
  const double ow = scale * in;
  double xo;
  if (o.coord == "align_corners") {
    xo = ow == 1 ? 0 : x * (in - 1) / (ow - 1);
  } else if (o.coord == "asymmetric") {
    xo = x / scale;
  } else if (o.coord == "tf_crop_and_resize") {
    xo = ow == 1 ? (roi_end - roi_start) * (in - 1) / 2 : x * (roi_end - roi_start) * (in - 1) / (ow - 1);
    xo += roi_start * (in - 1);
    if (xo < 0 || xo > in - 1) return o.extrapolation;
  } else if (o.coord == "pytorch_half_pixel") {
    xo = out_int > 1 ? (x + 0.5) / scale - 0.5 : 0;
  } else if (o.coord == "half_pixel_symmetric") {
    const double adjustment = out_int / ow, center = in / 2.0;
    xo = center * (1 - adjustment) + (x + 0.5) / scale - 0.5;
  } else if (o.coord == "tf_half_pixel_for_nn") {
    xo = (x + 0.5) / scale;
  } else {
    xo = (x + 0.5) / scale - 0.5;
  }
  const double xi = std::floor(xo);
  const double ratio = xo == xi ? 1 : xo - xi;
  std::vector<double> c = Coeffs(o, ratio, scale);
  const int n = static_cast<int>(c.size());
  // Edge-pad by ceil(n/2) and take the n nearest entries of the padded array.
  const int pad = (n + 1) / 2;
  std::vector<double> padded(in + 2 * pad);
  for (int i = 0; i < in + 2 * pad; ++i) padded[i] = data[std::clamp(i - pad, 0, in - 1)];
  const std::vector<int> idx = NeighborIdxes(xo + pad, n, in + 2 * pad);
  if (o.exclude_outside) {
    double sum = 0;
    for (int k = 0; k < n; ++k) {
      if (idx[k] - pad < 0 || idx[k] - pad >= in) c[k] = 0;
      sum += c[k];
    }
    for (double& v : c) v /= sum;
  }
  double r = 0;
  for (int k = 0; k < n; ++k) r += c[k] * padded[idx[k]];
  return r;
}

// data: row-major with `shape`; roi: [starts..., ends...] for these n axes.
inline double InterpND(const double* data, const std::vector<int>& shape, int n, const std::vector<double>& scales,
                       const std::vector<int>& out, const std::vector<int>& x, const std::vector<double>& roi,
                       const Options& o) {
  if (n == 1) return Interp1D(std::vector<double>(data, data + shape[0]), scales[0], out[0], x[0], o, roi[0], roi[1]);
  int inner = 1;
  for (int d = 1; d < n; ++d) inner *= shape[d];
  std::vector<double> sub_roi;
  for (int d = 1; d < n; ++d) sub_roi.push_back(roi[d]);
  for (int d = n + 1; d < 2 * n; ++d) sub_roi.push_back(roi[d]);
  const std::vector<int> sub_shape(shape.begin() + 1, shape.end());
  const std::vector<double> sub_scales(scales.begin() + 1, scales.end());
  const std::vector<int> sub_out(out.begin() + 1, out.end()), sub_x(x.begin() + 1, x.end());
  std::vector<double> res1d;
  for (int i = 0; i < shape[0]; ++i)
    res1d.push_back(InterpND(data + i * inner, sub_shape, n - 1, sub_scales, sub_out, sub_x, sub_roi, o));
  return Interp1D(res1d, scales[0], out[0], x[0], o, roi[0], roi[n]);
}

// Resizes `data` (shape `shape`) to `out` using per-axis `scales` (out = floor(scale*in)
// or scale = out/in, as the caller decides). roi is empty or [starts..., ends...].
inline std::vector<double> Resize(const std::vector<double>& data, const std::vector<int>& shape,
                                  const std::vector<double>& scales, const std::vector<int>& out,
                                  std::vector<double> roi, const Options& o) {
  const int r = static_cast<int>(shape.size());
  if (roi.empty()) {
    roi.assign(r, 0.0);
    roi.resize(2 * r, 1.0);
  }
  int total = 1;
  for (int d : out) total *= d;
  std::vector<double> y(total);
  for (int i = 0; i < total; ++i) {
    std::vector<int> x(r);
    int t = i;
    for (int d = r - 1; d >= 0; --d) {
      x[d] = t % out[d];
      t /= out[d];
    }
    y[i] = InterpND(data.data(), shape, r, scales, out, x, roi, o);
  }
  return y;
}

}  // namespace litemp::mtest::resize_ref

#endif  // LITEMP_TESTS_KERNELS_MOVEMENT_RESIZE_REFERENCE_H_
