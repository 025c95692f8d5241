#include "quant/encoding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace litemp {
namespace {

QuantSpec Spec(int bw, bool sym) {
  QuantSpec s;
  s.bitwidth = bw;
  s.symmetric = sym;
  return s;
}

TEST(Encoding, Int8SymmetricUsesOffsetMinus128) {
  Encoding e = ComputeEncoding(-1.f, 2.f, Spec(8, true));
  EXPECT_EQ(e.offset, -128);
  EXPECT_FLOAT_EQ(e.scale, 2.f / 127.f);  // max(2/127, 1/128)
  EXPECT_FLOAT_EQ(e.min, -128 * 2.f / 127.f);
  EXPECT_FLOAT_EQ(e.max, 2.f);
}

TEST(Encoding, Int16SymmetricUsesOffsetMinus32768) {
  Encoding e = ComputeEncoding(-3.f, 1.f, Spec(16, true));
  EXPECT_EQ(e.offset, -32768);
  EXPECT_FLOAT_EQ(e.scale, 3.f / 32768.f);
}

TEST(Encoding, AsymmetricRoundsOffset) {
  Encoding e = ComputeEncoding(-1.f, 3.f, Spec(8, false));
  EXPECT_FLOAT_EQ(e.scale, 4.f / 255.f);
  EXPECT_EQ(e.offset, -64);  // round(-63.75)
}

TEST(Encoding, RangeIsAtLeastOneHundredthAndIncludesZero) {
  Encoding e = ComputeEncoding(0.f, 0.f, Spec(8, false));
  EXPECT_FLOAT_EQ(e.scale, 0.01f / 255.f);
  EXPECT_EQ(e.offset, 0);
  Encoding pos = ComputeEncoding(0.5f, 1.f, Spec(8, false));  // min widened to 0
  EXPECT_EQ(pos.offset, 0);
  EXPECT_FLOAT_EQ(pos.scale, 1.f / 255.f);
  Encoding neg = ComputeEncoding(-2.f, -1.f, Spec(8, false));  // max widened to 0
  EXPECT_EQ(neg.offset, -255);
}

TEST(Encoding, StrictAndUnsignedSymmetric) {
  QuantSpec strict = Spec(8, true);
  strict.strict_symmetric = true;
  Encoding e = ComputeEncoding(-1.f, 1.f, strict);
  EXPECT_EQ(e.steps, 254);
  EXPECT_EQ(e.offset, -127);
  EXPECT_FLOAT_EQ(e.scale, 1.f / 127.f);
  QuantSpec uns = Spec(8, true);
  uns.unsigned_symmetric = true;
  Encoding u = ComputeEncoding(0.f, 2.55f, uns);
  EXPECT_EQ(u.offset, 0);
  EXPECT_FLOAT_EQ(u.scale, 0.01f);
  Encoding signed_case = ComputeEncoding(-1.f, 2.55f, uns);  // min < 0: signed grid
  EXPECT_EQ(signed_case.offset, -128);
}

TEST(FakeQuantize, RoundsHalfToEvenAndSaturates) {
  Encoding e = MakeEncoding(1.f, -128, Spec(8, true));
  std::vector<float> x = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 126.5f, 200.f, -200.f, 0.f};
  std::vector<float> y(x.size());
  FakeQuantize(x.data(), y.data(), static_cast<int64_t>(x.size()), e);
  std::vector<float> want = {0.f, 2.f, 2.f, -0.f, -2.f, 126.f, 127.f, -128.f, 0.f};
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(y[i], want[i]) << "x=" << x[i];
}

TEST(FakeQuantize, OddOffsetRoundsBeforeShifting) {
  // round(x/scale) then clamp, as ONNX Runtime does: 0.5 -> 0 even with offset -127.
  Encoding e = MakeEncoding(1.f, -127, Spec(8, false));
  float x = 0.5f, y = -1.f;
  FakeQuantize(&x, &y, 1, e);
  EXPECT_EQ(y, 0.f);
}

TEST(FakeQuantize, NanMapsToGridMinimumLikeOnnxRuntime) {
  Encoding e = MakeEncoding(0.5f, -10, Spec(8, false));
  float x = std::numeric_limits<float>::quiet_NaN(), y = 0;
  FakeQuantize(&x, &y, 1, e);
  EXPECT_EQ(y, -5.f);
}

TEST(FakeQuantizeFp16, RoundsToNearestEvenAndOverflowsToInf) {
  std::vector<float> x = {1.f + std::ldexp(1.f, -11), 1.f + 3 * std::ldexp(1.f, -11), 65520.f, 65519.f, 1e-8f, -2.f};
  std::vector<float> y(x.size());
  FakeQuantizeFp16(x.data(), y.data(), static_cast<int64_t>(x.size()));
  EXPECT_EQ(y[0], 1.f);                                // tie -> even mantissa
  EXPECT_EQ(y[1], 1.f + 2 * std::ldexp(1.f, -10));     // tie -> even (up)
  EXPECT_TRUE(std::isinf(y[2]));
  EXPECT_EQ(y[3], 65504.f);
  EXPECT_EQ(y[4], std::ldexp(1.f, -24) * std::round(1e-8f / std::ldexp(1.f, -24)));  // subnormal
  EXPECT_EQ(y[5], -2.f);
}

}  // namespace
}  // namespace litemp

namespace litemp {
namespace {

// FakeQuantize divides without a division instruction; it must still match
// clamp(nearbyint(x / s)) * s bit for bit, ties (x = (k + 0.5) * s) and specials included.
TEST(FakeQuantize, MatchesDivisionBitForBit) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> mant(1.f, 2.f), val(-300.f, 300.f);
  std::uniform_int_distribution<int> ex(-24, 4);
  std::vector<float> x(200000), got(x.size());
  for (int trial = 0; trial < 40; ++trial) {
    Encoding e;
    e.scale = std::ldexp(mant(rng), ex(rng));
    e.offset = trial % 2 ? -128 : -32768;
    e.steps = trial % 2 ? 255 : 65535;
    for (size_t i = 0; i < x.size(); ++i) {
      const float k = std::floor(val(rng));
      switch (i % 4) {
        case 0: x[i] = val(rng) * e.scale; break;
        case 1: x[i] = (k + 0.5f) * e.scale; break;  // ties
        case 2: x[i] = val(rng) * std::ldexp(1.f, ex(rng)); break;
        default: x[i] = k * e.scale; break;
      }
    }
    x[0] = INFINITY, x[1] = -INFINITY, x[2] = NAN, x[3] = 3e38f, x[4] = -3e38f, x[5] = 1e-40f, x[6] = 0.f;
    FakeQuantize(x.data(), got.data(), static_cast<int64_t>(x.size()), e);
    const float lo = static_cast<float>(e.offset), hi = static_cast<float>(e.offset + e.steps);
    for (size_t i = 0; i < x.size(); ++i) {
      float r = std::min(hi, std::max(lo, x[i] / e.scale));
      float want = std::nearbyint(r) * e.scale;
      ASSERT_EQ(std::memcmp(&want, &got[i], sizeof(float)), 0)
          << "x=" << x[i] << " scale=" << e.scale << " want " << want << " got " << got[i];
    }
  }
}

}  // namespace
}  // namespace litemp
