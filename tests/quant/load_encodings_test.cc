// Encodings reader: malformed files name the bad key; export -> read -> load reproduces the
// simulation exactly in all three versions.
#include "litemp/load_encodings.h"

#include <gtest/gtest.h>

#include "litemp/export.h"
#include "litemp/mixed_precision.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

// The parse error for `text`, or "" when it parses.
std::string ParseError(const std::string& text) {
  auto f = ParseEncodings(text, "t.encodings");
  return f.ok() ? "" : f.status().message();
}

TEST(ParseEncodings, ReadsAllThreeVersions) {
  auto v1 = ParseEncodings(R"({"version":"1.0.0","activation_encodings":[
      {"name":"x","enc_type":"PER_TENSOR","dtype":"INT","bw":8,"is_sym":false,"scale":[0.5],"offset":[-3]}],
    "param_encodings":[{"name":"w","enc_type":"PER_CHANNEL","dtype":"INT","bw":16,"is_sym":true,
      "scale":[0.25,0.125],"offset":[-32768,-32768]},{"name":"b","enc_type":"PER_TENSOR","dtype":"FLOAT","bw":16}],
    "quantizer_args":{"strict_symmetric":true}})",
                           "a");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  ASSERT_EQ(v1.value().entries.size(), 3u);
  EXPECT_EQ(v1.value().strict_symmetric, true);
  const FileEncoding& w = v1.value().entries[1];
  EXPECT_EQ(w.section, FileEncoding::kParam);
  EXPECT_EQ(w.bitwidth, 16);
  EXPECT_TRUE(w.symmetric);
  EXPECT_EQ(w.scale, (std::vector<float>{0.25f, 0.125f}));
  EXPECT_TRUE(v1.value().entries[2].fp16);

  auto v0 = ParseEncodings(R"({"version":"0.6.1","activation_encodings":{"x":[{"min":-1.5,"max":126,
      "scale":0.5,"offset":-3,"bitwidth":8,"is_symmetric":"False","dtype":"int"}]},
    "param_encodings":{"b":[{"bitwidth":16,"dtype":"float"}]}})",
                           "a");
  ASSERT_TRUE(v0.ok()) << v0.status().ToString();
  ASSERT_EQ(v0.value().entries.size(), 2u);
  EXPECT_EQ(v0.value().entries[0].offset, std::vector<int64_t>{-3});
  EXPECT_FALSE(v0.value().strict_symmetric.has_value());

  auto v2 = ParseEncodings(R"({"version":"2.0.0","encodings":[
      {"name":"x","output_dtype":"uint8","y_scale":0.5,"y_zero_point":3},
      {"name":"w","output_dtype":"int8","y_scale":[0.5,0.25],"axis":0},
      {"name":"b","output_dtype":"float16"}]})",
                           "a");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2.value().entries[0].offset, std::vector<int64_t>{-3});
  EXPECT_EQ(v2.value().entries[1].offset, (std::vector<int64_t>{-128, -128}));
  EXPECT_EQ(v2.value().entries[1].axis, 0);
  EXPECT_TRUE(v2.value().entries[2].fp16);
}

TEST(ParseEncodings, ErrorsNameTheKeyPath) {
  const std::string head = R"({"version":"1.0.0","param_encodings":[)";
  const std::string ok_entry = R"({"name":"w","dtype":"INT","bw":8,"is_sym":true,"scale":[1],"offset":[-128]})";
  struct Case {
    std::string text, want;
  };
  const std::vector<Case> cases = {
      {"{", "t.encodings: not valid JSON"},
      {"[]", "(top level): must be an object"},
      {"{}", ".version: is missing"},
      {R"({"version":"3.0"})", "version: '3.0' is not supported"},
      {R"({"version":"1.0.0","param_encodings":{}})", "param_encodings: must be a list"},
      {head + ok_entry + "," + R"({"name":"v","dtype":"INT","bw":8,"is_sym":true,"scale":[-1],"offset":[0]}]})",
       "param_encodings[1].scale[0]: must be a positive finite number"},
      {head + R"({"name":"w","dtype":"INT","bw":8,"is_sym":true,"scale":[1],"offset":[1]}]})",
       "param_encodings[0].offset[0]: offset 1 is outside [-255, 0]"},
      {head + R"({"name":"w","dtype":"INT","bw":3,"is_sym":true,"scale":[1],"offset":[0]}]})",
       "param_encodings[0].bw: must be an integer in [4, 16]"},
      {head + R"({"name":"w","enc_type":"PER_CHANNEL","dtype":"INT","bw":8,"is_sym":true,"scale":[1,2],"offset":[0]}]})",
       "param_encodings[0]: 2 scales but 1 offsets"},
      {head + R"({"name":"w","dtype":"INT","bw":8,"is_sym":true,"scale":[1,2],"offset":[0,0]}]})",
       "param_encodings[0].scale: PER_TENSOR needs exactly one scale"},
      {head + R"({"name":"w","dtype":"INT","bw":8,"is_sym":true,"scale":[1e300],"offset":[0]}]})",
       "param_encodings[0].scale[0]: must be a positive finite number"},
      {head + R"({"name":"w","dtype":"INT","bw":8,"is_sym":true,"scale":[1],"offset":[1e300]}]})",
       "param_encodings[0].offset[0]: must be an integer"},
      {head + R"({"name":"w","dtype":"INT","bw":8,"is_sym":"yes","scale":[1],"offset":[0]}]})",
       "param_encodings[0].is_sym: must be true/false"},
      {head + R"({"dtype":"INT"}]})", "param_encodings[0].name: is missing"},
      {head + R"({"name":"w","enc_type":"PER_BLOCK","dtype":"INT","bw":4}]})",
       "param_encodings[0].enc_type: 'PER_BLOCK' is not supported"},
      {R"({"version":"0.6.1","activation_encodings":{"x":[{"bitwidth":8,"is_symmetric":"False","scale":1}]}})",
       "activation_encodings.x[0].offset: is missing"},
      {R"({"version":"2.0.0","encodings":[{"name":"x","output_dtype":"int99","y_scale":1}]})",
       "encodings[0].output_dtype: bitwidth 99 is outside [4, 16]"},
      // fuzz_encodings: an output_dtype shorter than "uint" threw std::out_of_range.
      {R"({"version":"2.0.0","encodings":[{"name":"x","output_dtype":""}]})",
       "encodings[0].output_dtype: '' is not float16, intN or uintN"},
      {R"({"version":"2.0.0","encodings":[{"name":"x","output_dtype":"ui"}]})",
       "encodings[0].output_dtype: 'ui' is not float16, intN or uintN"},
      {R"({"version":"2.0.0","encodings":[{"name":"x","output_dtype":"uint8","y_scale":1,"y_zero_point":256}]})",
       "encodings[0].y_zero_point: must be an integer in [0, 255]"},
  };
  for (const auto& c : cases) EXPECT_NE(ParseError(c.text).find(c.want), std::string::npos) << c.text << " -> " << ParseError(c.text);
}

// A ResNet-8 simulation calibrated W8A8 (per-channel weights) with one layer at fp16 and one
// at int16, so every kind of entry appears.
class LoadEncodings : public ::testing::Test {
 protected:
  void SetUp() override {
    LITEMP_REQUIRE_SHARED();
    auto m = Model::Load(test::SharedDir() + "/models/resnet8_cifar10.onnx");
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    model_ = std::move(m).value();
    ref_ = NewSim();
    std::vector<int> layers = ref_->QuantizedLayers();
    FlipLayers(*ref_, {layers[0]}, ParseFlipTarget("fp16").value());
    FlipLayers(*ref_, {layers[2]}, ParseFlipTarget("int16").value());
    ASSERT_TRUE(ref_->ComputeEncodings([&](const RunOptions& o) {
                      std::unordered_map<int, Tensor> res;
                      return RunBatch(ref_->executor(), ref_->input(), Batch(1), o, &res);
                    }).ok());
  }
  std::unique_ptr<QuantSim> NewSim() {
    auto s = QuantSim::Create(*model_, QuantSimOptions{});
    EXPECT_TRUE(s.ok());
    return std::move(s).value();
  }
  static Tensor Batch(uint32_t seed) { return test::RandomTensor({4, 3, 32, 32}, seed, 0.f, 255.f); }
  static std::vector<float> Output(QuantSim& sim) {
    std::unordered_map<int, Tensor> res;
    Status s = sim.Run(Batch(2), &res);
    EXPECT_TRUE(s.ok()) << s.ToString();
    const Tensor& t = res.at(sim.graph().outputs[0]);
    return std::vector<float>(t.data<float>(), t.data<float>() + t.numel());
  }
  Status Load(QuantSim& sim, const std::string& text) {
    auto f = ParseEncodings(text, "m.encodings");
    if (!f.ok()) return f.status();
    return LoadEncodingsToSim(sim, f.value(), "m.encodings");
  }
  std::unique_ptr<Model> model_;
  std::unique_ptr<QuantSim> ref_;
};

TEST_F(LoadEncodings, RoundTripGivesIdenticalOutputs) {
  const std::vector<float> want = Output(*ref_);
  for (const char* version : {"1.0.0", "0.6.1", "2.0.0"}) {
    SCOPED_TRACE(version);
    auto text = EncodingsJson(*ref_, version);
    ASSERT_TRUE(text.ok());
    auto sim = NewSim();
    Status s = Load(*sim, text.value());
    ASSERT_TRUE(s.ok()) << s.ToString();
    for (size_t i = 0; i < sim->quantizers().size(); ++i) {
      const Quantizer &a = ref_->quantizers()[i], &b = sim->quantizers()[i];
      ASSERT_EQ(b.enabled, a.enabled && a.has_encoding()) << i;
      if (b.enabled) {
        EXPECT_EQ(b.dtype, a.dtype) << i;
        EXPECT_EQ(b.spec.bitwidth, a.spec.bitwidth) << i;
        EXPECT_TRUE(b.frozen);
      }
    }
    EXPECT_EQ(Output(*sim), want);
    // Frozen: calibrating on other data keeps the loaded encodings.
    ASSERT_TRUE(sim->ComputeEncodings([&](const RunOptions& o) {
                     std::unordered_map<int, Tensor> res;
                     return RunBatch(sim->executor(), sim->input(), Batch(7), o, &res);
                   }).ok());
    EXPECT_EQ(Output(*sim), want);
  }
}

TEST_F(LoadEncodings, MismatchesNameTheEntryAndChangeNothing) {
  auto sim = NewSim();
  const std::vector<float> before = Output(*ref_);
  std::string weight;
  for (const auto& q : ref_->quantizers())
    if (q.role == QuantizerRole::kParam && q.per_channel) {
      weight = ref_->graph().values[q.value_id].name;
      break;
    }
  ASSERT_FALSE(weight.empty());
  Status s = Load(*sim, R"({"version":"1.0.0","param_encodings":[{"name":"nope","dtype":"INT","bw":8,"is_sym":true,
      "scale":[1],"offset":[-128]}]})");
  EXPECT_NE(s.message().find("m.encodings: param_encodings[0]: the simulation has no parameter quantizer on tensor 'nope'"),
            std::string::npos)
      << s.ToString();
  s = Load(*sim, R"({"version":"2.0.0","encodings":[{"name":")" + weight +
                     R"(","output_dtype":"int8","y_scale":[1,2,3]}]})");
  EXPECT_NE(s.message().find("encodings[0] ('" + weight + "'): 3 channels, but the tensor has"), std::string::npos)
      << s.ToString();
  s = Load(*sim, R"({"version":"2.0.0","encodings":[{"name":")" + weight +
                     R"(","output_dtype":"int8","y_scale":[1,2],"axis":3}]})");
  EXPECT_NE(s.message().find("axis 3 is not the channel axis 0"), std::string::npos) << s.ToString();
  // Failed loads left the simulation alone: nothing is frozen yet.
  for (const auto& q : sim->quantizers()) EXPECT_FALSE(q.frozen);
  EXPECT_EQ(Output(*ref_), before);
}

}  // namespace
}  // namespace litemp
