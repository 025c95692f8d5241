#include "data/image.h"

#include <gtest/gtest.h>

#include <cmath>

#include "fixtures.h"

namespace litemp::data {
namespace {

// PIL's convert("L") of pure colours (Image.new("RGB", (1, 1), c).convert("L")).
TEST(RgbToGray, PilValuesOfPureColours) {
  U8Image rgb(1, 5, 3);
  rgb.pixels = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0};
  const U8Image gray = RgbToGray(rgb);
  ASSERT_EQ(gray.channels, 1);
  ASSERT_EQ(gray.width, 5);
  EXPECT_EQ(gray.pixels, (std::vector<uint8_t>{76, 150, 29, 255, 0}));
}

// Every pixel is Pillow's L24 fixed point, which is R*299/1000 + G*587/1000 + B*114/1000
// rounded to nearest (the two differ by well under a level before rounding).
TEST(RgbToGray, MatchesTheFormulaOnRandomPixels) {
  const U8Image rgb = test::RandomImage(9, 11, 3, 5);
  const U8Image gray = RgbToGray(rgb);
  for (size_t i = 0; i < gray.pixels.size(); ++i) {
    const uint32_t r = rgb.pixels[3 * i], g = rgb.pixels[3 * i + 1], b = rgb.pixels[3 * i + 2];
    ASSERT_EQ(gray.pixels[i], (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16) << i;
    const double exact = r * 0.299 + g * 0.587 + b * 0.114;
    ASSERT_LE(std::abs(gray.pixels[i] - exact), 0.51) << i;
  }
}

}  // namespace
}  // namespace litemp::data
