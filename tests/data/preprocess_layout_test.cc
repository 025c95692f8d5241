// Preprocess's --grayscale and --layout nhwc.
#include <gtest/gtest.h>

#include "data/preprocess.h"
#include "fixtures.h"

namespace litemp::data {
namespace {

using test::RandomImage;

TEST(PreprocessGrayscale, RgbBecomesOneLuminanceChannel) {
  const U8Image rgb = RandomImage(4, 6, 3, 31);
  PreprocessOptions o;
  o.grayscale = true;
  o.to_rgb = true;  // grayscale wins
  o.mean = {0.25f};
  o.std = {0.5f};
  auto t = Preprocess(rgb, o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->shape(), (Shape{1, 4, 6}));
  const U8Image gray = RgbToGray(rgb);
  for (int i = 0; i < 24; ++i) EXPECT_EQ(t->data<float>()[i], (gray.pixels[i] / 255.f - 0.25f) / 0.5f) << i;

  o.mean = {0.1f, 0.2f, 0.3f};  // one channel takes one value
  EXPECT_FALSE(Preprocess(rgb, o).ok());
}

// Luminance is taken before resizing, as PIL converts on open.
TEST(PreprocessGrayscale, ConvertsBeforeResizing) {
  const U8Image rgb = RandomImage(8, 8, 3, 32);
  PreprocessOptions o;
  o.grayscale = true;
  o.resize = 3;
  auto t = Preprocess(rgb, o);
  PreprocessOptions plain;
  plain.resize = 3;
  auto want = Preprocess(RgbToGray(rgb), plain);
  ASSERT_TRUE(t.ok() && want.ok());
  ASSERT_EQ(t->shape(), (Shape{1, 3, 3}));
  for (int i = 0; i < 9; ++i) EXPECT_EQ(t->data<float>()[i], want->data<float>()[i]);
}

TEST(PreprocessGrayscale, GrayStaysAndOtherChannelCountsFail) {
  const U8Image gray = RandomImage(3, 3, 1, 33);
  PreprocessOptions o;
  o.grayscale = true;
  auto t = Preprocess(gray, o);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->shape(), (Shape{1, 3, 3}));
  for (int i = 0; i < 9; ++i) EXPECT_EQ(t->data<float>()[i], gray.pixels[i] / 255.f);
  auto rgba = Preprocess(RandomImage(3, 3, 4, 34), o);
  ASSERT_FALSE(rgba.ok());
  EXPECT_NE(rgba.status().message().find("--grayscale"), std::string::npos) << rgba.status().ToString();
}

// [H,W,C] holds exactly the [C,H,W] values transposed, with resize, crop, padding and
// per-channel normalisation in play.
TEST(PreprocessLayout, HwcIsChwTransposed) {
  const U8Image img = RandomImage(9, 13, 3, 35);
  PreprocessOptions o;
  o.resize_h = 7;
  o.resize_w = 10;
  o.crop_h = 9;  // padded rows
  o.crop_w = 6;
  o.mean = {0.1f, 0.2f, 0.3f};
  o.std = {0.5f, 0.25f, 2.f};
  auto chw = Preprocess(img, o);
  o.hwc = true;
  auto hwc = Preprocess(img, o);
  ASSERT_TRUE(chw.ok() && hwc.ok());
  ASSERT_EQ(chw->shape(), (Shape{3, 9, 6}));
  ASSERT_EQ(hwc->shape(), (Shape{9, 6, 3}));
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 9; ++y)
      for (int x = 0; x < 6; ++x)
        ASSERT_EQ(hwc->data<float>()[(y * 6 + x) * 3 + c], chw->data<float>()[(c * 9 + y) * 6 + x]) << c << y << x;
}

}  // namespace
}  // namespace litemp::data
