#include "data/resize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "fixtures.h"

namespace litemp::data {
namespace {

using test::RandomImage;

// Oracle: PIL's Resample.c written out plainly -- full image, one pixel at a time.
struct NaiveTaps {
  std::vector<int> lo;
  std::vector<std::vector<int32_t>> w;
};

NaiveTaps MakeNaiveTaps(int in, int out) {
  NaiveTaps t;
  const double scale = double(in) / out;
  const double fs = std::max(scale, 1.0);
  const double support = fs;
  for (int xx = 0; xx < out; ++xx) {
    const double center = (xx + 0.5) * scale;
    const int lo = std::max(0, static_cast<int>(center - support + 0.5));
    const int hi = std::min(in, static_cast<int>(center + support + 0.5));
    std::vector<double> w;
    double sum = 0;
    for (int x = lo; x < hi; ++x) {
      double d = std::fabs((x - center + 0.5) * (1.0 / fs));
      w.push_back(d < 1.0 ? 1.0 - d : 0.0);
      sum += w.back();
    }
    std::vector<int32_t> wi;
    for (double v : w) wi.push_back(static_cast<int32_t>(0.5 + v / sum * (1 << 22)));
    t.lo.push_back(lo);
    t.w.push_back(wi);
  }
  return t;
}

uint8_t NaiveClip(int64_t acc) { return static_cast<uint8_t>(std::clamp<int64_t>(acc >> 22, 0, 255)); }

U8Image NaiveResize(const U8Image& in, int oh, int ow) {
  const int C = in.channels;
  U8Image mid = in;
  if (ow != in.width) {
    NaiveTaps t = MakeNaiveTaps(in.width, ow);
    mid = U8Image(in.height, ow, C);
    for (int y = 0; y < in.height; ++y)
      for (int x = 0; x < ow; ++x)
        for (int c = 0; c < C; ++c) {
          int64_t acc = 1 << 21;
          for (size_t k = 0; k < t.w[x].size(); ++k) acc += int64_t{in.row(y)[(t.lo[x] + k) * C + c]} * t.w[x][k];
          mid.row(y)[x * C + c] = NaiveClip(acc);
        }
  }
  if (oh == in.height) return mid;
  NaiveTaps t = MakeNaiveTaps(in.height, oh);
  U8Image out(oh, ow, C);
  for (int y = 0; y < oh; ++y)
    for (int x = 0; x < ow; ++x)
      for (int c = 0; c < C; ++c) {
        int64_t acc = 1 << 21;
        for (size_t k = 0; k < t.w[y].size(); ++k) acc += int64_t{mid.row(t.lo[y] + k)[x * C + c]} * t.w[y][k];
        out.row(y)[x * C + c] = NaiveClip(acc);
      }
  return out;
}

U8Image FromRows(const std::vector<std::vector<int>>& rows, int channels = 1) {
  U8Image img(static_cast<int>(rows.size()), static_cast<int>(rows[0].size()) / channels, channels);
  for (size_t y = 0; y < rows.size(); ++y)
    for (size_t i = 0; i < rows[y].size(); ++i) img.row(static_cast<int>(y))[i] = static_cast<uint8_t>(rows[y][i]);
  return img;
}

TEST(ShorterSideSize, MatchesTorchvision) {
  int h, w;
  ShorterSideSize(375, 500, 256, &h, &w);  // int(256 * 500 / 375) = int(341.33)
  EXPECT_EQ(h, 256);
  EXPECT_EQ(w, 341);
  ShorterSideSize(500, 333, 256, &h, &w);  // int(256 * 500 / 333) = int(384.38)
  EXPECT_EQ(h, 384);
  EXPECT_EQ(w, 256);
  ShorterSideSize(100, 100, 7, &h, &w);
  EXPECT_EQ(h, 7);
  EXPECT_EQ(w, 7);
  ShorterSideSize(2, 4, 2, &h, &w);  // already the right size
  EXPECT_EQ(h, 2);
  EXPECT_EQ(w, 4);
}

TEST(CenterCropOffset, RoundsHalfToEvenLikePython) {
  EXPECT_EQ(CenterCropOffset(256, 224), 16);
  EXPECT_EQ(CenterCropOffset(341, 224), 58);  // round(58.5) == 58
  EXPECT_EQ(CenterCropOffset(343, 224), 60);  // round(59.5) == 60
  EXPECT_EQ(CenterCropOffset(5, 2), 2);       // round(1.5) == 2
  EXPECT_EQ(CenterCropOffset(7, 2), 2);       // round(2.5) == 2
  EXPECT_EQ(CenterCropOffset(4, 3), 0);       // round(0.5) == 0
  EXPECT_EQ(CenterCropOffset(224, 224), 0);
}

// A 4x2 (WxH) image to shorter side 1 (-> 2x1). With scale 2 the triangle filter spans 2
// input pixels each side (antialiasing): column weights are 0.75,0.75,0.25 at x=0,1,2
// (normalised 3/7,3/7,1/7) and 1/7,3/7,3/7 at x=1,2,3; rows 1/2,1/2.
//   row 0 [7,70,140,210]: (21+210+140)/7 = 53,  (70+420+630)/7 = 160
//   row 1 [24,20,30,57]:  (72+60+30)/7 = 23.14 -> 23,  (20+90+171)/7 = 40.14 -> 40
//   vertical: (53+23)/2 = 38, (160+40)/2 = 100
TEST(ResizeBilinear, DownscaleHandComputed) {
  U8Image in = FromRows({{7, 70, 140, 210}, {24, 20, 30, 57}});
  U8Image out = ResizeBilinear(in, 1, 2);
  ASSERT_EQ(out.height, 1);
  ASSERT_EQ(out.width, 2);
  EXPECT_EQ(out.pixels, (std::vector<uint8_t>{38, 100}));
}

// Each pass rounds to uint8, as PIL does. Row 0 [0,1,1,0] filters to 4/7 = 0.57 -> 1 in
// both columns; the vertical pass then gives (1 + 0) / 2 = 0.5 -> 1 (PIL adds half before
// truncating). Without the intermediate rounding it would be 0.29 -> 0.
TEST(ResizeBilinear, RoundsAfterEachPass) {
  U8Image in = FromRows({{0, 1, 1, 0}, {0, 0, 0, 0}});
  U8Image out = ResizeBilinear(in, 1, 2);
  EXPECT_EQ(out.pixels, (std::vector<uint8_t>{1, 1}));
}

// Upscaling 2 -> 4 keeps the support at 1: [a, .75a+.25b, .25a+.75b, b].
TEST(ResizeBilinear, UpscaleHandComputed) {
  U8Image in = FromRows({{0, 200}});
  U8Image out = ResizeBilinear(in, 2, 4);
  EXPECT_EQ(out.pixels, (std::vector<uint8_t>{0, 50, 150, 200, 0, 50, 150, 200}));
}

TEST(ResizeBilinear, SameSizeIsIdentity) {
  U8Image in = RandomImage(2, 4, 3, 1);
  EXPECT_EQ(ResizeBilinear(in, 2, 4).pixels, in.pixels);
}

TEST(ResizeBilinear, ConstantImageStaysConstant) {
  U8Image in(37, 53, 3);
  std::fill(in.pixels.begin(), in.pixels.end(), 201);
  for (auto [h, w] : {std::pair{10, 13}, {80, 90}, {37, 20}, {5, 53}}) {
    U8Image out = ResizeBilinear(in, h, w);
    EXPECT_TRUE(std::all_of(out.pixels.begin(), out.pixels.end(), [](uint8_t v) { return v == 201; }))
        << h << "x" << w;
  }
}

TEST(ResizeBilinear, MatchesNaiveOracleOnRandomImages) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 60; ++trial) {
    const int h = 1 + rng() % 40, w = 1 + rng() % 40, c = std::vector<int>{1, 2, 3, 4}[rng() % 4];
    const int oh = 1 + rng() % 50, ow = 1 + rng() % 50;
    U8Image in = RandomImage(h, w, c, trial);
    U8Image got = ResizeBilinear(in, oh, ow);
    U8Image want = NaiveResize(in, oh, ow);
    ASSERT_EQ(got.pixels, want.pixels) << h << "x" << w << "x" << c << " -> " << oh << "x" << ow;
  }
}

TEST(ResizeBilinear, WindowEqualsCropOfFullResize) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 60; ++trial) {
    const int h = 1 + rng() % 60, w = 1 + rng() % 60, c = 1 + rng() % 3;
    const int oh = 1 + rng() % 40, ow = 1 + rng() % 40;
    const int wh = 1 + rng() % oh, ww = 1 + rng() % ow;
    const int y0 = rng() % (oh - wh + 1), x0 = rng() % (ow - ww + 1);
    U8Image in = RandomImage(h, w, c, 100 + trial);
    U8Image full = NaiveResize(in, oh, ow);
    U8Image win = ResizeBilinearWindow(in, oh, ow, y0, x0, wh, ww);
    ASSERT_EQ(win.height, wh);
    ASSERT_EQ(win.width, ww);
    for (int y = 0; y < wh; ++y) {
      for (int i = 0; i < ww * c; ++i) {
        ASSERT_EQ(win.row(y)[i], full.row(y0 + y)[x0 * c + i]) << "trial " << trial << " y " << y << " i " << i;
      }
    }
  }
}

}  // namespace
}  // namespace litemp::data
