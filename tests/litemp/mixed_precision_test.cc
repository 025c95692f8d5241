#include "litemp/mixed_precision.h"

#include <gtest/gtest.h>

#include <cmath>

#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

TEST(CountToFlip, PercentIsCeiled) {
  std::vector<double> psnr(60, 30.0);
  FlipSelection s;
  s.percent = 10;
  EXPECT_EQ(CountToFlip(psnr, s), 6u);  // exactly 6, not 7
  s.percent = 1;
  EXPECT_EQ(CountToFlip(psnr, s), 1u);  // ceil(0.6)
  s.percent = 0;
  EXPECT_EQ(CountToFlip(psnr, s), 0u);
  s.percent = 100;
  EXPECT_EQ(CountToFlip(psnr, s), 60u);
  std::vector<double> three(3, 1.0);
  s.percent = 34;
  EXPECT_EQ(CountToFlip(three, s), 2u);  // ceil(1.02)
}

TEST(CountToFlip, ThresholdAndCount) {
  std::vector<double> psnr = {10, 20, 25, 40};
  FlipSelection s;
  s.psnr_below = 25;
  EXPECT_EQ(CountToFlip(psnr, s), 2u);
  FlipSelection c;
  c.count = 3;
  EXPECT_EQ(CountToFlip(psnr, c), 3u);
  c.count = 9;
  EXPECT_EQ(CountToFlip(psnr, c), 4u);
  FlipSelection both;
  both.count = 1;
  both.psnr_below = 3;
  EXPECT_FALSE(ValidateSelection(both).ok());
  FlipSelection bad;
  bad.percent = 150;
  EXPECT_FALSE(ValidateSelection(bad).ok());
}

TEST(ParseFlipTarget, KnownNames) {
  auto i16 = ParseFlipTarget("int16");
  ASSERT_TRUE(i16.ok());
  EXPECT_EQ(i16->param.bitwidth, 16);
  EXPECT_EQ(i16->activation.bitwidth, 16);
  auto f = ParseFlipTarget("fp16");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->activation.dtype, QuantDType::kFloat16);
  auto pair = ParseFlipTarget("w8a16");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->param.bitwidth, 8);
  EXPECT_EQ(pair->activation.bitwidth, 16);
  EXPECT_FALSE(ParseFlipTarget("w16a8").ok());  // activation side must be 16-bit
  EXPECT_FALSE(ParseFlipTarget("int4").ok());
}

TEST(FlipLayers, SetsEveryQuantizerOfTheLayer) {
  LITEMP_REQUIRE_SHARED();
  auto model = Model::Load(test::SharedDir() + "/models/mobilenet_v2.onnx");
  ASSERT_TRUE(model.ok());
  auto sim = QuantSim::Create(*model.value(), QuantSimOptions{});
  ASSERT_TRUE(sim.ok());
  QuantSim& s = *sim.value();
  std::vector<int> layers = s.QuantizedLayers();
  ASSERT_GT(layers.size(), 60u);
  int conv = -1;
  for (int l : layers)
    if (s.graph().nodes[l].op_type == "Conv") conv = l;
  ASSERT_GE(conv, 0);
  EXPECT_EQ(LayerPrecision(s, conv), "w8a8");
  FlipLayers(s, {conv}, ParseFlipTarget("w8a16").value());
  EXPECT_EQ(LayerPrecision(s, conv), "w8a16");
  FlipLayers(s, {conv}, ParseFlipTarget("int16").value());
  EXPECT_EQ(LayerPrecision(s, conv), "w16a16");
  for (int qi : s.layer_quantizers(conv)) {
    const Quantizer& q = s.quantizers()[qi];
    EXPECT_EQ(q.spec.bitwidth, 16);  // disabled ones (bias) too
    EXPECT_FALSE(q.has_encoding());
  }
  FlipLayers(s, {conv}, ParseFlipTarget("fp16").value());
  EXPECT_EQ(LayerPrecision(s, conv), "fp16");
  // Other layers untouched.
  for (int l : layers) {
    if (l == conv) continue;
    std::string p = LayerPrecision(s, l);
    EXPECT_TRUE(p == "w8a8" || p == "a8" || p == "w8") << p << " " << s.graph().nodes[l].name;
  }
}

TEST(FlipLayersToHigherPrecision, FlipsTheMostSensitiveByPercent) {
  LITEMP_REQUIRE_SHARED();
  auto model = Model::Load(test::SharedDir() + "/models/mnist_cnn.onnx");
  ASSERT_TRUE(model.ok());
  auto sim = QuantSim::Create(*model.value(), QuantSimOptions{});
  ASSERT_TRUE(sim.ok());
  QuantSim& s = *sim.value();
  std::vector<int> layers = s.QuantizedLayers();
  ASSERT_GE(layers.size(), 4u);
  // A made-up ranking: the last layer is the most sensitive, then the first.
  std::vector<LayerSensitivity> sens;
  sens.push_back({layers.back(), "last", "", 10.0});
  sens.push_back({layers.front(), "first", "", 20.0});
  for (size_t i = 1; i + 1 < layers.size(); ++i) sens.push_back({layers[i], "mid", "", 30.0 + i});
  FlipSelection sel;
  sel.percent = 100.0 * 2 / layers.size();  // exactly two layers
  auto flipped = FlipLayersToHigherPrecision(s, sens, sel, ParseFlipTarget("int16").value());
  ASSERT_TRUE(flipped.ok()) << flipped.status().ToString();
  EXPECT_EQ(flipped.value(), (std::vector<int>{layers.back(), layers.front()}));
  for (int l : layers) {
    bool is_flipped = l == layers.back() || l == layers.front();
    EXPECT_EQ(LayerPrecision(s, l).find("16") != std::string::npos, is_flipped) << LayerPrecision(s, l);
  }
  std::swap(sens[0], sens[1]);  // no longer ascending
  EXPECT_FALSE(FlipLayersToHigherPrecision(s, sens, sel, ParseFlipTarget("int16").value()).ok());
  std::swap(sens[0], sens[1]);
  sens[0].psnr = NAN;  // NaN must come last
  EXPECT_FALSE(FlipLayersToHigherPrecision(s, sens, sel, ParseFlipTarget("int16").value()).ok());
  sens[0].psnr = 10.0;
  sens[0].layer = 100000;  // from another model
  EXPECT_FALSE(FlipLayersToHigherPrecision(s, sens, sel, ParseFlipTarget("int16").value()).ok());
}

}  // namespace
}  // namespace litemp
