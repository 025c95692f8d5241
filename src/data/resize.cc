#include "data/resize.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <vector>

namespace litemp::data {
namespace {

// PIL's PRECISION_BITS for 8-bit images: 32 - 8 (pixel) - 2 (headroom).
constexpr int kPrecisionBits = 22;

// Filter taps of every output position along one axis (PIL's precompute_coeffs followed
// by normalize_coeffs_8bpc, for the BILINEAR filter with support 1).
struct Taps {
  int ksize = 0;
  std::vector<int> first;  // first input index per output position
  std::vector<int> count;  // number of taps per output position
  std::vector<int32_t> weights;  // ksize per output position, fixed point
};

double Triangle(double x) {
  if (x < 0.0) x = -x;
  return x < 1.0 ? 1.0 - x : 0.0;
}

// The arithmetic (double precision, truncating casts, operation order) follows PIL's
// Resample.c exactly: a different rounding of a tap bound changes pixels.
Taps ComputeTaps(int in_size, int out_size) {
  Taps t;
  const double scale = static_cast<double>(in_size) / out_size;
  const double filterscale = scale < 1.0 ? 1.0 : scale;
  const double support = 1.0 * filterscale;
  t.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  t.first.resize(out_size);
  t.count.resize(out_size);
  t.weights.assign(size_t(out_size) * t.ksize, 0);
  std::vector<double> k(t.ksize);
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = (xx + 0.5) * scale;
    const double ss = 1.0 / filterscale;
    int xmin = static_cast<int>(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    double ww = 0.0;
    for (int x = 0; x < xmax; ++x) {
      const double w = Triangle((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    int32_t* out = &t.weights[size_t(xx) * t.ksize];
    for (int x = 0; x < xmax; ++x) {
      double v = ww != 0.0 ? k[x] / ww : k[x];
      out[x] = v < 0 ? static_cast<int32_t>(-0.5 + v * (1 << kPrecisionBits))
                     : static_cast<int32_t>(0.5 + v * (1 << kPrecisionBits));
    }
    t.first[xx] = xmin;
    t.count[xx] = xmax;
  }
  return t;
}

inline uint8_t Clip8(int32_t v) {
  int32_t s = v >> kPrecisionBits;  // arithmetic shift, like PIL's lookup index
  return static_cast<uint8_t>(s < 0 ? 0 : (s > 255 ? 255 : s));
}

// Filters rows [row0, row0 + rows) of `in` horizontally into out columns [x0, x0 + ww).
template <int kC>
void Horizontal(const U8Image& in, int row0, int rows, const Taps& t, int x0, int ww, int channels,
                U8Image* out) {
  const int C = kC > 0 ? kC : channels;
  for (int y = 0; y < rows; ++y) {
    const uint8_t* src = in.row(row0 + y);
    uint8_t* dst = out->row(y);
    for (int xo = 0; xo < ww; ++xo) {
      const int xx = x0 + xo;
      const int32_t* k = &t.weights[size_t(xx) * t.ksize];
      const uint8_t* s = src + size_t(t.first[xx]) * C;
      const int n = t.count[xx];
      uint8_t* d = dst + size_t(xo) * C;
      if constexpr (kC > 0) {
        int32_t acc[kC];
        for (int c = 0; c < kC; ++c) acc[c] = 1 << (kPrecisionBits - 1);
        for (int x = 0; x < n; ++x) {
          for (int c = 0; c < kC; ++c) acc[c] += s[x * kC + c] * k[x];
        }
        for (int c = 0; c < kC; ++c) d[c] = Clip8(acc[c]);
      } else {
        for (int c = 0; c < C; ++c) {
          int32_t acc = 1 << (kPrecisionBits - 1);
          for (int x = 0; x < n; ++x) acc += s[x * C + c] * k[x];
          d[c] = Clip8(acc);
        }
      }
    }
  }
}

// Filters `in` (whose row 0 is input row `row0`) vertically into out rows [y0, y0 + wh).
void Vertical(const U8Image& in, int row0, const Taps& t, int y0, int wh, U8Image* out) {
  const size_t stride = size_t(in.width) * in.channels;
  std::vector<int32_t> acc(stride);
  for (int yo = 0; yo < wh; ++yo) {
    const int yy = y0 + yo;
    const int32_t* k = &t.weights[size_t(yy) * t.ksize];
    const int first = t.first[yy] - row0;
    std::fill(acc.begin(), acc.end(), 1 << (kPrecisionBits - 1));
    for (int y = 0; y < t.count[yy]; ++y) {
      const uint8_t* src = in.row(first + y);
      const int32_t w = k[y];
      for (size_t i = 0; i < stride; ++i) acc[i] += src[i] * w;
    }
    uint8_t* dst = out->row(yo);
    for (size_t i = 0; i < stride; ++i) dst[i] = Clip8(acc[i]);
  }
}

}  // namespace

void ShorterSideSize(int h, int w, int size, int* out_h, int* out_w) {
  // Exact integer floor equals Python's int(size * long / short) for any image size.
  if (w <= h) {
    *out_w = size;
    *out_h = static_cast<int>(int64_t{size} * h / w);
  } else {
    *out_h = size;
    *out_w = static_cast<int>(int64_t{size} * w / h);
  }
}

int CenterCropOffset(int in, int crop) {
  const int d = in - crop;
  if (d % 2 == 0) return d / 2;
  const int lo = d / 2;              // d / 2.0 == lo + 0.5
  return lo % 2 == 0 ? lo : lo + 1;  // round half to even
}

U8Image ResizeBilinearWindow(const U8Image& in, int out_h, int out_w, int y0, int x0, int wh, int ww) {
  assert(y0 >= 0 && x0 >= 0 && y0 + wh <= out_h && x0 + ww <= out_w);
  const int C = in.channels;
  const bool need_h = out_w != in.width;
  const bool need_v = out_h != in.height;
  U8Image out(wh, ww, C);
  if (wh == 0 || ww == 0) return out;

  // Input rows the vertical pass reads (or the window's own rows when it is skipped).
  Taps tv;
  int row0 = y0, rows = wh;
  if (need_v) {
    tv = ComputeTaps(in.height, out_h);
    row0 = tv.first[y0];
    rows = tv.first[y0 + wh - 1] + tv.count[y0 + wh - 1] - row0;
  }

  // Horizontal pass (or a copy of the window's columns) into `mid`.
  U8Image mid(rows, ww, C);
  if (need_h) {
    Taps th = ComputeTaps(in.width, out_w);
    switch (C) {
      case 1: Horizontal<1>(in, row0, rows, th, x0, ww, C, &mid); break;
      case 3: Horizontal<3>(in, row0, rows, th, x0, ww, C, &mid); break;
      default: Horizontal<0>(in, row0, rows, th, x0, ww, C, &mid); break;
    }
  } else {
    for (int y = 0; y < rows; ++y) {
      std::memcpy(mid.row(y), in.row(row0 + y) + size_t(x0) * C, size_t(ww) * C);
    }
  }
  if (!need_v) return mid;  // rows == wh, row0 == y0
  Vertical(mid, row0, tv, y0, wh, &out);
  return out;
}

}  // namespace litemp::data
