#include "data/preprocess.h"

#include <gtest/gtest.h>

#include <utility>

#include "data/resize.h"
#include "fixtures.h"

namespace litemp::data {
namespace {

using test::RandomImage;

float At(const Tensor& t, int c, int y, int x) { return t.data<float>()[(c * t.dim(1) + y) * t.dim(2) + x]; }

TEST(Preprocess, DefaultsGiveXOver255InChw) {
  U8Image img(1, 2, 3);
  img.pixels = {0, 51, 255, 102, 153, 204};
  auto t = Preprocess(img, {});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->shape(), (Shape{3, 1, 2}));
  EXPECT_EQ(At(t.value(), 0, 0, 0), 0.f);
  EXPECT_FLOAT_EQ(At(t.value(), 1, 0, 0), 0.2f);
  EXPECT_FLOAT_EQ(At(t.value(), 2, 0, 0), 1.f);
  EXPECT_FLOAT_EQ(At(t.value(), 0, 0, 1), 0.4f);
  EXPECT_FLOAT_EQ(At(t.value(), 2, 0, 1), 0.8f);
}

TEST(Preprocess, MeanStdPerChannelOrShared) {
  U8Image img(1, 1, 3);
  img.pixels = {255, 0, 51};
  PreprocessOptions o;
  o.mean = {0.5f};
  o.std = {0.5f};
  auto t = Preprocess(img, o);
  ASSERT_TRUE(t.ok());
  EXPECT_FLOAT_EQ(t->data<float>()[0], 1.f);
  EXPECT_FLOAT_EQ(t->data<float>()[1], -1.f);
  EXPECT_FLOAT_EQ(t->data<float>()[2], -0.6f);
  o.mean = {0.f, 0.5f, 0.1f};
  o.std = {1.f, 0.25f, 2.f};
  t = Preprocess(img, o);
  ASSERT_TRUE(t.ok());
  EXPECT_FLOAT_EQ(t->data<float>()[0], 1.f);
  EXPECT_FLOAT_EQ(t->data<float>()[1], -2.f);
  EXPECT_FLOAT_EQ(t->data<float>()[2], 0.05f);
  o.mean = {0.f, 0.5f};
  t = Preprocess(img, o);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("mean has 2 values"), std::string::npos) << t.status().ToString();
}

// Centre crop without resize: 5x5, crop 2 -> offset round(1.5) = 2 on both axes.
TEST(Preprocess, CropOnlyUsesTorchvisionOffsets) {
  U8Image img(5, 5, 1);
  for (int i = 0; i < 25; ++i) img.pixels[i] = static_cast<uint8_t>(i * 10);
  PreprocessOptions o;
  o.crop = 2;
  o.std = {1.f / 255.f};  // undo the /255 so values read as pixels
  auto t = Preprocess(img, o);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->shape(), (Shape{1, 2, 2}));
  EXPECT_NEAR(t->data<float>()[0], 120.f, 1e-3);  // row 2, col 2
  EXPECT_NEAR(t->data<float>()[1], 130.f, 1e-3);
  EXPECT_NEAR(t->data<float>()[2], 170.f, 1e-3);
  EXPECT_NEAR(t->data<float>()[3], 180.f, 1e-3);
}

// 6x4 (WxH) resized to shorter side 2 is 3x2 (int(2 * 6 / 4) = 3); crop 2 starts at
// column round(0.5) = 0.
TEST(Preprocess, ResizeThenCropGeometry) {
  U8Image img = RandomImage(4, 6, 3, 11);
  PreprocessOptions o;
  o.resize = 2;
  o.crop = 2;
  auto t = Preprocess(img, o);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->shape(), (Shape{3, 2, 2}));
  U8Image full = ResizeBilinear(img, 2, 3);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 2; ++x) EXPECT_EQ(At(t.value(), c, y, x), full.row(y)[x * 3 + c] / 255.f);

  // ImageNet geometry: 500x375 -> 341x256 -> crop 224 at (16, 58).
  img = RandomImage(375, 500, 3, 12);
  o.resize = 256;
  o.crop = 224;
  t = Preprocess(img, o);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->shape(), (Shape{3, 224, 224}));
  full = ResizeBilinear(img, 256, 341);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 224; y += 37)
      for (int x = 0; x < 224; x += 29) ASSERT_EQ(At(t.value(), c, y, x), full.row(16 + y)[(58 + x) * 3 + c] / 255.f);
}

// The hand-computed case of resize_test.cc through the shorter-side rule: a 4x2 (WxH)
// image with resize 1 becomes 2x1 = {38, 100}.
TEST(Preprocess, ShorterSideResizeHandComputed) {
  U8Image img(2, 4, 1);
  img.pixels = {7, 70, 140, 210, 24, 20, 30, 57};
  PreprocessOptions o;
  o.resize = 1;
  auto t = Preprocess(img, o);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->shape(), (Shape{1, 1, 2}));
  EXPECT_EQ(t->data<float>()[0], 38 / 255.f);
  EXPECT_EQ(t->data<float>()[1], 100 / 255.f);
  o.resize = 2;  // already the shorter side: unchanged
  t = Preprocess(img, o);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->shape(), (Shape{1, 2, 4}));
  for (int i = 0; i < 8; ++i) EXPECT_EQ(t->data<float>()[i], img.pixels[i] / 255.f);
}

// A crop larger than the image pads with zero pixels (torchvision's CenterCrop): a 2x1
// image in a 4x4 crop sits at row (4-1)//2 = 1, column (4-2)//2 = 1.
TEST(Preprocess, CropLargerThanImagePadsWithZeroPixels) {
  U8Image img(1, 2, 1);
  img.pixels = {255, 51};
  PreprocessOptions o;
  o.crop = 4;
  o.mean = {0.5f};
  o.std = {0.5f};
  auto t = Preprocess(img, o);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->shape(), (Shape{1, 4, 4}));
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) {
      float want = -1.f;  // pixel 0
      if (y == 1 && x == 1) want = 1.f;
      if (y == 1 && x == 2) want = -0.6f;
      EXPECT_FLOAT_EQ(At(t.value(), 0, y, x), want) << y << "," << x;
    }
}

TEST(Preprocess, GrayToRgbReplicates) {
  U8Image img = RandomImage(3, 4, 1, 2);
  PreprocessOptions o;
  o.to_rgb = true;
  o.mean = {0.f, 0.1f, 0.2f};
  auto t = Preprocess(img, o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->shape(), (Shape{3, 3, 4}));
  for (int i = 0; i < 12; ++i) {
    const float v = img.pixels[i] / 255.f;
    EXPECT_FLOAT_EQ(t->data<float>()[i], v);
    EXPECT_FLOAT_EQ(t->data<float>()[12 + i], v - 0.1f);
    EXPECT_FLOAT_EQ(t->data<float>()[24 + i], v - 0.2f);
  }
}

// --resize H,W: exact size with the same resampler. Hand-computed on a 2x2 image widened to
// 4 columns (PIL bilinear taps 0.75/0.25 at the inner columns, 22-bit fixed point):
// 0, 63.75 -> 64, 191.25 -> 191, 255; the unchanged height skips the vertical pass.
TEST(Preprocess, ExactResizeHandComputed) {
  U8Image img(2, 2, 1);
  img.pixels = {0, 255, 0, 255};
  PreprocessOptions o;
  o.resize_h = 2;
  o.resize_w = 4;
  o.std = {1.f / 255.f};  // values read as pixels
  auto t = Preprocess(img, o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->shape(), (Shape{1, 2, 4}));
  const float want[] = {0, 64, 191, 255};
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 4; ++x) EXPECT_NEAR(At(t.value(), 0, y, x), want[x], 1e-3) << y << "," << x;
}

// Exact sizes of any aspect (up and down on each axis) equal ResizeBilinear, which is the
// resampler of the shorter-side form.
TEST(Preprocess, ExactResizeEqualsResizeBilinear) {
  const U8Image img = RandomImage(7, 10, 3, 21);
  for (auto [h, w] : {std::pair{3, 16}, std::pair{12, 4}, std::pair{7, 10}, std::pair{1, 1}}) {
    PreprocessOptions o;
    o.resize_h = h;
    o.resize_w = w;
    o.resize = 5;  // unused when the exact size is set
    auto t = Preprocess(img, o);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ASSERT_EQ(t->shape(), (Shape{3, h, w}));
    const U8Image full = ResizeBilinear(img, h, w);
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) ASSERT_EQ(At(t.value(), c, y, x), full.row(y)[x * 3 + c] / 255.f);
  }
}

// --crop H,W: each axis uses torchvision's offset, or pads when the image is smaller.
TEST(Preprocess, RectangularCrop) {
  const U8Image img = RandomImage(5, 7, 1, 22);
  PreprocessOptions o;
  o.crop_h = 2;  // rows from round(1.5) = 2
  o.crop_w = 9;  // wider than 7: padded, image at column (9 - 7) // 2 = 1
  o.crop = 3;    // unused when the rectangle is set
  auto t = Preprocess(img, o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->shape(), (Shape{1, 2, 9}));
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 9; ++x) {
      const float want = (x >= 1 && x <= 7) ? img.row(2 + y)[x - 1] / 255.f : 0.f;
      EXPECT_EQ(At(t.value(), 0, y, x), want) << y << "," << x;
    }
}

TEST(Preprocess, HugeResizeIsRefusedBeforeAllocating) {
  const U8Image img = RandomImage(4, 4, 1, 23);
  PreprocessOptions o;
  o.resize_h = 100000;
  o.resize_w = 100000;
  o.crop = 8;  // the crop is small, the resized image is not
  auto t = Preprocess(img, o);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("--resize"), std::string::npos) << t.status().ToString();
}

}  // namespace
}  // namespace litemp::data
