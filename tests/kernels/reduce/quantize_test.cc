#include <cmath>
#include <random>

#include "kernels/util.h"
#include "reduce_test_util.h"

namespace litemp {
namespace {

using test::AInt;
using test::NodeSpec;
using test::RunKernel;

Tensor F(std::vector<float> v, Shape s = {}) { return Tensor::FromVector<float>(v, s); }
template <class T>
Tensor T1(std::vector<T> v, Shape s = {}) {
  return Tensor::FromVector<T>(v, s);
}

Result<std::vector<Tensor>> Q(int opset, std::vector<Tensor> in,
                              std::vector<std::pair<std::string, Attribute>> attrs = {}) {
  NodeSpec spec = test::Spec("QuantizeLinear", std::move(attrs));
  spec.opset = opset;
  return RunKernel(RegisterReduceKernels, spec, in);
}
Result<std::vector<Tensor>> DQ(int opset, std::vector<Tensor> in,
                               std::vector<std::pair<std::string, Attribute>> attrs = {}) {
  NodeSpec spec = test::Spec("DequantizeLinear", std::move(attrs));
  spec.opset = opset;
  return RunKernel(RegisterReduceKernels, spec, in);
}

// Round half to even, written without the C library's rounding mode.
double HalfEven(double v) {
  const double f = std::floor(v), d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return std::fmod(f, 2) == 0 ? f : f + 1;
}

TEST(QuantizeLinear, SpecExamplePerTensorUint8) {
  auto r = Q(10, {F({0, 2, 3, 1000, -254, -1000}, {6}), Tensor::Scalar<float>(2),
                  Tensor::Scalar<uint8_t>(128)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 3 / 2 = 1.5 rounds to 2 (half to even); 1000 and -1000 saturate.
  EXPECT_TRUE(test::TensorsNear(r.value()[0], T1<uint8_t>({128, 129, 130, 255, 1, 0})));
}

TEST(QuantizeLinear, SpecExamplePerAxis) {
  Tensor x =
      F({-162, 10, -100, 232, -20, -50, -76, 0, 0, 252, 32, -44, 245, -485, -960, -270, -375, -470},
        {1, 3, 3, 2});
  auto r = Q(13, {x, F({2, 4, 5}, {3}), T1<uint8_t>({84, 24, 196}, {3})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], T1<uint8_t>({3, 89, 34, 200, 74, 59, 5, 24, 24, 87,
                                                           32, 13, 245, 99, 4, 142, 121, 102},
                                                          {1, 3, 3, 2})));
  auto back = DQ(13, {r.value()[0], F({2, 4, 5}, {3}), T1<uint8_t>({84, 24, 196}, {3})});
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(test::TensorsNear(back.value()[0], x));
}

TEST(QuantizeLinear, PerAxisInt8TiesAndSaturation) {
  // axis 1: scales [1, 2, 0.5], zero points [0, -1, 1].
  Tensor x = F({2.5f, 3, 0.25f, -2.5f, -5, 100, 3.5f, -3, -0.25f}, {3, 3});
  auto r = Q(13, {x, F({1, 2, 0.5f}, {3}), T1<int8_t>({0, -1, 1}, {3})}, {{"axis", AInt(1)}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 2.5->2, 1.5->2 (+-1 = 1), 0.5->0 (+1 = 1); -2.5->-2, -2.5->-2 (-1 = -3), 200 (+1) -> 127;
  // 3.5->4, -1.5->-2 (-1 = -3), -0.5->-0 (+1 = 1).
  EXPECT_TRUE(
      test::TensorsNear(r.value()[0], T1<int8_t>({2, 1, 1, -2, -3, 127, 4, -3, 1}, {3, 3})));
  // Negative axis selects the same dim.
  auto r2 = Q(13, {x, F({1, 2, 0.5f}, {3}), T1<int8_t>({0, -1, 1}, {3})}, {{"axis", AInt(-1)}});
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(test::TensorsNear(r2.value()[0], r.value()[0], 0, 0));
  // A scale that does not match the axis length is an error.
  EXPECT_FALSE(Q(13, {x, F({1, 2}, {2}), T1<int8_t>({0, 0}, {2})}).ok());
}

TEST(QuantizeLinear, Int16AndUint16) {
  auto r = Q(21, {F({0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 70000, -70000}, {8}),
                  Tensor::Scalar<float>(1), Tensor::Scalar<int16_t>(0)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], T1<int16_t>({0, 2, 2, 0, -2, -2, 32767, -32768})));
  r = Q(21, {F({0.25f, 0.75f, -0.25f, 40000, -20000}, {5}), Tensor::Scalar<float>(0.5f),
             Tensor::Scalar<uint16_t>(32768)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], T1<uint16_t>({32768, 32770, 32768, 65535, 0})));
  // Per-axis uint16 round trip.
  Tensor q = T1<uint16_t>({0, 65535, 100, 200}, {2, 2});
  auto d = DQ(21, {q, F({0.5f, 2}, {2}), T1<uint16_t>({100, 200}, {2})}, {{"axis", AInt(0)}});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(test::TensorsNear(d.value()[0], F({-50, 32717.5f, -200, 0}, {2, 2})));
}

TEST(QuantizeLinear, SpecUint16AndInt16Examples) {
  auto r = Q(21, {F({0, -128, 3, -3, 2.9f, -2.9f, 3.1f, -3.1f, 65536, -65534, 70000, -70000}, {12}),
                  Tensor::Scalar<float>(2), Tensor::Scalar<uint16_t>(32767)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(
      r.value()[0],
      T1<uint16_t>({32767, 32703, 32769, 32765, 32768, 32766, 32769, 32765, 65535, 0, 65535, 0})));
  auto d = DQ(21, {T1<int16_t>({-300, -30, -1025, 1270}), Tensor::Scalar<float>(2),
                   Tensor::Scalar<int16_t>(-1024)});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(test::TensorsNear(d.value()[0], F({1448, 1988, -2, 4588})));
}

TEST(QuantizeLinear, ZeroPointDefaultsAndOutputDtype) {
  auto r = Q(13, {F({-1, 1.4f, 300}, {3}), Tensor::Scalar<float>(1)});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(test::TensorsNear(r.value()[0], T1<uint8_t>({0, 1, 255})));
  r = Q(21, {F({-1, 1.4f, 300}, {3}), Tensor::Scalar<float>(1)},
        {{"output_dtype", AInt(static_cast<int>(DType::kInt16))}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], T1<int16_t>({-1, 1, 300})));
}

TEST(QuantizeLinear, BlockedIsNotSupported) {
  auto r = Q(21, {F({1, 2, 3, 4}, {2, 2}), F({1, 1}, {2, 1})}, {{"block_size", AInt(2)}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
  r = Q(21, {F({1, 2, 3, 4}, {2, 2}), F({1, 1}, {2, 1})});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
  auto d = DQ(21, {T1<int8_t>({1, 2, 3, 4}, {2, 2}), F({1, 1}, {1, 2})}, {{"block_size", AInt(2)}});
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(d.status().IsNotSupported());
}

TEST(QuantizeLinear, Float16InputAndScale) {
  Tensor x(DType::kFloat16, {4});
  const float xv[] = {1.0f, 3.0f, -5.0f, 1000.0f};
  for (int i = 0; i < 4; ++i) x.data<uint16_t>()[i] = FloatToHalf(xv[i]);
  Tensor s(DType::kFloat16, {});
  s.data<uint16_t>()[0] = FloatToHalf(2.0f);
  auto r = Q(19, {x, s, Tensor::Scalar<int8_t>(0)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(
      test::TensorsNear(r.value()[0], T1<int8_t>({0, 2, -2, 127})));  // 0.5->0, 1.5->2, -2.5->-2
  auto d = DQ(19, {T1<int8_t>({-3, 5}), s});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d.value()[0].dtype(), DType::kFloat16);
  EXPECT_EQ(HalfToFloat(d.value()[0].data<uint16_t>()[0]), -6.0f);
  EXPECT_EQ(HalfToFloat(d.value()[0].data<uint16_t>()[1]), 10.0f);
}

TEST(DequantizeLinear, SpecExampleAndInt32) {
  auto r = DQ(
      10, {T1<uint8_t>({0, 3, 128, 255}), Tensor::Scalar<float>(2), Tensor::Scalar<uint8_t>(128)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({-256, -250, 0, 254})));
  r = DQ(13, {T1<int32_t>({0, 100, -1000, 2000000}), Tensor::Scalar<float>(0.5f)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({0, 50, -500, 1000000})));
  // The zero point must have x's type.
  EXPECT_FALSE(
      DQ(13, {T1<uint8_t>({1}), Tensor::Scalar<float>(1), Tensor::Scalar<int8_t>(0)}).ok());
}

TEST(QuantizeLinear, RandomPerAxisMatchesNaive) {
  std::mt19937 rng(3);
  Tensor x = test::RandomTensor({4, 6, 5}, 8, -50, 50);
  std::vector<float> scale(6);
  std::vector<int8_t> zp(6);
  for (int c = 0; c < 6; ++c) {
    scale[c] = std::uniform_real_distribution<float>(0.05f, 1.f)(rng);
    zp[c] = static_cast<int8_t>(static_cast<int>(rng() % 41) - 20);
  }
  auto r = Q(13, {x, F(scale, {6}), T1<int8_t>(zp, {6})});
  ASSERT_TRUE(r.ok());
  auto d = DQ(13, {r.value()[0], F(scale, {6}), T1<int8_t>(zp, {6})});
  ASSERT_TRUE(d.ok());
  for (int64_t i = 0; i < x.numel(); ++i) {
    const int c = (i / 5) % 6;
    const float q = x.data<float>()[i] / scale[c];  // float division, as the spec's reference
    const double want = std::clamp(HalfEven(q) + zp[c], -128.0, 127.0);
    ASSERT_EQ(r.value()[0].data<int8_t>()[i], static_cast<int8_t>(want)) << i;
    ASSERT_EQ(d.value()[0].data<float>()[i], (static_cast<float>(want) - zp[c]) * scale[c]) << i;
  }
}

}  // namespace
}  // namespace litemp
