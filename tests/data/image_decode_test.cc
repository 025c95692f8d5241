#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "data/image.h"
#include "fixtures.h"

namespace litemp::data {
namespace {

using test::EncodeJpeg;
using test::EncodePng;
using test::EncodePng8;
using test::PngSpec;
using test::RandomImage;

Result<U8Image> Decode(const std::string& bytes) {
  return DecodeImage(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// Four solid 8x8 quadrants, so a lossy JPEG reproduces each colour almost exactly.
U8Image Quadrants(int channels, const std::vector<std::vector<uint8_t>>& colours) {
  U8Image img(16, 16, channels);
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x)
      for (int c = 0; c < channels; ++c) img.row(y)[x * channels + c] = colours[(y / 8) * 2 + x / 8][c];
  return img;
}

::testing::AssertionResult Near(const U8Image& a, const U8Image& b, int tol) {
  if (a.height != b.height || a.width != b.width || a.channels != b.channels)
    return ::testing::AssertionFailure() << "size " << a.height << "x" << a.width << "x" << a.channels << " vs "
                                         << b.height << "x" << b.width << "x" << b.channels;
  for (size_t i = 0; i < a.pixels.size(); ++i)
    if (std::abs(int(a.pixels[i]) - int(b.pixels[i])) > tol)
      return ::testing::AssertionFailure() << "byte " << i << ": " << int(a.pixels[i]) << " vs " << int(b.pixels[i]);
  return ::testing::AssertionSuccess();
}

TEST(DecodeJpeg, RgbRoundTrip) {
  U8Image img = Quadrants(3, {{255, 0, 0}, {0, 255, 0}, {10, 20, 250}, {128, 128, 128}});
  auto got = Decode(EncodeJpeg(img));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(Near(got.value(), img, 3));
}

TEST(DecodeJpeg, ProgressiveRoundTrip) {
  U8Image img = Quadrants(3, {{255, 255, 0}, {0, 0, 0}, {90, 20, 200}, {1, 254, 128}});
  const std::string bytes = EncodeJpeg(img, 100, JCS_UNKNOWN, /*progressive=*/true);
  auto got = Decode(bytes);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(Near(got.value(), img, 3));
  EXPECT_FALSE(Decode(bytes.substr(0, bytes.size() * 2 / 3)).ok());
}

TEST(DecodeJpeg, GrayscaleDecodesToOneChannel) {
  U8Image img = Quadrants(1, {{0}, {60}, {180}, {255}});
  auto got = Decode(EncodeJpeg(img));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->channels, 1);
  EXPECT_TRUE(Near(got.value(), img, 2));
  U8Image rgb = GrayToRgb(got.value());
  EXPECT_EQ(rgb.channels, 3);
  EXPECT_EQ(rgb.pixels[3 * 200], got->pixels[200]);
  EXPECT_EQ(rgb.pixels[3 * 200 + 2], got->pixels[200]);
}

// PIL reads 4-component JPEGs as inverted CMYK and converts with
// R = (255-K') - (C*(255-K'))/255 (rounded as Convert.c's MULDIV255), where C and K' are
// the complements of the stored values.
uint8_t PilRgbFromStored(int stored_ink, int stored_k) {
  const int c = 255 - stored_ink, nk = stored_k;
  const double v = nk - std::floor(c * nk / 255.0 + 0.5);
  return static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
}

class CmykJpeg : public ::testing::TestWithParam<J_COLOR_SPACE> {};

TEST_P(CmykJpeg, ConvertsLikePil) {
  const std::vector<std::vector<uint8_t>> stored = {{200, 100, 50, 230}, {255, 255, 255, 255}, {0, 0, 0, 0}, {30, 140, 220, 128}};
  auto got = Decode(EncodeJpeg(Quadrants(4, stored), 100, GetParam()));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  U8Image want(16, 16, 3);
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) {
      const auto& s = stored[(y / 8) * 2 + x / 8];
      for (int c = 0; c < 3; ++c) want.row(y)[x * 3 + c] = PilRgbFromStored(s[c], s[3]);
    }
  EXPECT_TRUE(Near(got.value(), want, 3));
  EXPECT_EQ(want.row(0)[0], 180);  // hand check of the formula: 230 - round(55 * 230 / 255)
}

INSTANTIATE_TEST_SUITE_P(StoredAs, CmykJpeg, ::testing::Values(JCS_CMYK, JCS_YCCK));

TEST(DecodeJpeg, EveryTruncationIsAnError) {
  const std::string full = EncodeJpeg(RandomImage(24, 40, 3, 5), 90);
  ASSERT_TRUE(Decode(full).ok());
  for (size_t n = 0; n < full.size(); n += (n < 700 ? 1 : 7)) {
    auto got = Decode(full.substr(0, n));
    EXPECT_FALSE(got.ok()) << "truncated to " << n << " of " << full.size() << " bytes";
  }
  auto got = Decode(full.substr(0, full.size() / 2));
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("JPEG"), std::string::npos) << got.status().ToString();
}

TEST(DecodeJpeg, CorruptBytesNeverCrash) {
  const std::string full = EncodeJpeg(RandomImage(32, 32, 3, 9), 75);
  std::mt19937 rng(3);
  int errors = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string bad = full;
    for (int k = 0; k < 4; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
    auto got = Decode(bad);  // either an error or some image; it must return
    if (!got.ok()) {
      ++errors;
    } else {
      EXPECT_EQ(got->pixels.size(), size_t(got->height) * got->width * got->channels);
    }
  }
  EXPECT_GT(errors, 0);
}

TEST(DecodePng, Rgb8Exact) {
  U8Image img = RandomImage(7, 9, 3, 1);
  auto got = Decode(EncodePng8(img));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->pixels, img.pixels);
}

TEST(DecodePng, InterlacedExact) {
  U8Image img = RandomImage(13, 11, 3, 2);
  auto got = Decode(EncodePng8(img, /*interlace=*/true));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->pixels, img.pixels);
}

TEST(DecodePng, AlphaIsDropped) {
  U8Image rgba = RandomImage(5, 6, 4, 3);
  auto got = Decode(EncodePng8(rgba));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->channels, 3);
  for (int i = 0; i < 30; ++i)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(got->pixels[i * 3 + c], rgba.pixels[i * 4 + c]);

  U8Image la = RandomImage(5, 6, 2, 4);
  got = Decode(EncodePng8(la));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->channels, 1);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(got->pixels[i], la.pixels[i * 2]);
}

TEST(DecodePng, GrayDecodesToOneChannel) {
  U8Image g = RandomImage(4, 5, 1, 5);
  auto got = Decode(EncodePng8(g));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->channels, 1);
  EXPECT_EQ(got->pixels, g.pixels);
}

TEST(DecodePng, OneBitGrayExpandsTo0And255) {
  PngSpec s;
  s.width = 8;
  s.height = 1;
  s.color_type = PNG_COLOR_TYPE_GRAY;
  s.bit_depth = 1;
  s.rows = {{0b10110001}};
  auto got = Decode(EncodePng(s));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->pixels, (std::vector<uint8_t>{255, 0, 255, 255, 0, 0, 0, 255}));
}

TEST(DecodePng, PaletteWithTransparencyExpandsToRgb) {
  PngSpec s;
  s.width = 3;
  s.height = 2;
  s.color_type = PNG_COLOR_TYPE_PALETTE;
  s.palette = {{10, 20, 30}, {200, 100, 0}, {1, 2, 3}};
  s.trns = {0, 128};
  s.rows = {{0, 1, 2}, {2, 2, 1}};
  auto got = Decode(EncodePng(s));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->channels, 3);
  EXPECT_EQ(got->pixels, (std::vector<uint8_t>{10, 20, 30, 200, 100, 0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 200, 100, 0}));
}

TEST(DecodePng, SixteenBitKeepsHighByte) {
  PngSpec s;
  s.width = 2;
  s.height = 1;
  s.color_type = PNG_COLOR_TYPE_RGB;
  s.bit_depth = 16;
  s.rows = {{0x12, 0x34, 0xAB, 0xFF, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0x01, 0x00, 0x00}};
  auto got = Decode(EncodePng(s));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->pixels, (std::vector<uint8_t>{0x12, 0xAB, 0x00, 0xFF, 0x7F, 0x00}));
}

TEST(DecodePng, EveryTruncationIsAnError) {
  const std::string full = EncodePng8(RandomImage(20, 20, 3, 6));
  ASSERT_TRUE(Decode(full).ok());
  // The last 12 bytes are the IEND chunk, which carries no pixels.
  for (size_t n = 0; n + 12 < full.size(); ++n) {
    EXPECT_FALSE(Decode(full.substr(0, n)).ok()) << "truncated to " << n << " of " << full.size();
  }
}

TEST(DecodePng, CorruptBytesNeverCrash) {
  const std::string full = EncodePng8(RandomImage(16, 16, 3, 8));
  std::mt19937 rng(4);
  int errors = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string bad = full;
    bad[8 + rng() % (bad.size() - 8)] = static_cast<char>(rng());
    if (!Decode(bad).ok()) ++errors;
  }
  EXPECT_GT(errors, 250);  // CRCs catch nearly every flipped byte
}

TEST(DecodeImage, SniffsContentNotExtension) {
  EXPECT_FALSE(Decode("").ok());
  auto r = Decode("GIF89a....");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("neither a JPEG nor a PNG"), std::string::npos);
}

}  // namespace
}  // namespace litemp::data
