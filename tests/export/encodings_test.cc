// Encodings JSON in AIMET's three versions, checked on a calibrated ResNet-8 simulation.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "litemp/export.h"
#include "litemp/mixed_precision.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

class Encodings : public ::testing::Test {
 protected:
  void SetUp() override {
    if (test::SharedDir().empty()) GTEST_SKIP() << "shared/ not found";
    auto m = Model::Load(test::SharedDir() + "/models/resnet8_cifar10.onnx");
    ASSERT_TRUE(m.ok());
    model_ = std::move(m).value();
    auto s = QuantSim::Create(*model_, QuantSimOptions{});
    ASSERT_TRUE(s.ok());
    sim_ = std::move(s).value();
    Tensor x = test::RandomTensor({4, 3, 32, 32}, 3, 0.f, 255.f);
    std::vector<int> layers = sim_->QuantizedLayers();
    FlipLayers(*sim_, {layers[0]}, ParseFlipTarget("fp16").value());
    FlipLayers(*sim_, {layers[1]}, ParseFlipTarget("int16").value());
    std::unordered_map<int, Tensor> res;
    ASSERT_TRUE(sim_->ComputeEncodings([&](const RunOptions& o) {
                      return RunBatch(sim_->executor(), sim_->input(), x, o, &res);
                    }).ok());
  }
  nlohmann::json Parse(const std::string& version) {
    auto text = EncodingsJson(*sim_, version);
    EXPECT_TRUE(text.ok());
    return nlohmann::json::parse(text.value());
  }
  std::unique_ptr<Model> model_;
  std::unique_ptr<QuantSim> sim_;
};

TEST_F(Encodings, Version100) {
  auto j = Parse("1.0.0");
  EXPECT_EQ(j["version"], "1.0.0");
  ASSERT_TRUE(j["activation_encodings"].is_array());
  ASSERT_TRUE(j["param_encodings"].is_array());
  bool saw_float = false, saw_int16 = false, saw_per_channel = false;
  for (const auto& e : j["param_encodings"]) {
    if (e["dtype"] == "FLOAT") {
      saw_float = true;
      EXPECT_EQ(e["bw"], 16);
      EXPECT_FALSE(e.contains("scale"));
      continue;
    }
    EXPECT_EQ(e["dtype"], "INT");
    EXPECT_TRUE(e["is_sym"].get<bool>());
    if (e["bw"] == 16) saw_int16 = true;
    if (e["enc_type"] == "PER_CHANNEL") {
      saw_per_channel = true;
      EXPECT_GT(e["scale"].size(), 1u);
      EXPECT_EQ(e["scale"].size(), e["offset"].size());
      EXPECT_EQ(e["offset"][0], e["bw"] == 16 ? -32768 : -128);
    }
  }
  EXPECT_TRUE(saw_float && saw_int16 && saw_per_channel);
  for (const auto& e : j["activation_encodings"]) {
    if (e["dtype"] == "FLOAT") continue;
    EXPECT_EQ(e["enc_type"], "PER_TENSOR");
    EXPECT_FALSE(e["is_sym"].get<bool>());
    EXPECT_LE(e["offset"][0].get<int64_t>(), 0);
    EXPECT_GT(e["scale"][0].get<double>(), 0);
  }
  EXPECT_EQ(j["quantizer_args"]["quant_scheme"], "min_max");
}

TEST_F(Encodings, Version061) {
  auto j = Parse("0.6.1");
  EXPECT_EQ(j["version"], "0.6.1");
  ASSERT_TRUE(j["activation_encodings"].is_object());
  for (auto it = j["activation_encodings"].begin(); it != j["activation_encodings"].end(); ++it) {
    for (const auto& e : it.value()) {
      if (e["dtype"] == "float") continue;
      EXPECT_EQ(e["is_symmetric"], "False");
      double scale = e["scale"], mn = e["min"], mx = e["max"];
      EXPECT_NEAR(mn, scale * e["offset"].get<double>(), 1e-6 * std::max(1.0, std::fabs(mn)));
      EXPECT_NEAR(mx - mn, scale * ((1 << e["bitwidth"].get<int>()) - 1), 1e-4 * std::max(1.0, mx - mn));
    }
  }
}

TEST_F(Encodings, Version200ZeroPoints) {
  auto j = Parse("2.0.0");
  EXPECT_EQ(j["version"], "2.0.0");
  bool saw_uint8 = false, saw_int8_axis = false, saw_fp16 = false;
  for (const auto& e : j["encodings"]) {
    std::string t = e["output_dtype"];
    if (t == "float16") saw_fp16 = true;
    if (t == "uint8") {
      saw_uint8 = true;
      int64_t zp = e.value("y_zero_point", 0);
      EXPECT_GE(zp, 0);
      EXPECT_LE(zp, 255);
    }
    if (t == "int8" && e.contains("axis")) {
      saw_int8_axis = true;
      EXPECT_FALSE(e.contains("y_zero_point"));  // symmetric: zero point 0 is omitted
      EXPECT_TRUE(e["y_scale"].is_array());
    }
  }
  EXPECT_TRUE(saw_uint8 && saw_int8_axis && saw_fp16);
}

TEST_F(Encodings, UnknownVersionIsAnError) { EXPECT_FALSE(EncodingsJson(*sim_, "3.0").ok()); }

}  // namespace
}  // namespace litemp
