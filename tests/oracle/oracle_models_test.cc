// The shared real models (shared/models/*.onnx) and the generated non-classifier models
// (testutil/generated_models.h) against ONNX Runtime on seeded random inputs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "litemp/fileio.h"
#include "litemp/model.h"
#include "oracle/oracle_harness.h"
#include "testutil/generated_models.h"
#include "testutil/kernel_runner.h"

namespace litemp::test {
namespace {

struct ModelCase {
  const char* file;
  int batch;
  float lo, hi;  // the input range the model expects
};

// mnist_cnn reshapes to a fixed [1,256], so it only runs at batch 1.
const ModelCase kModels[] = {
    {"mobilenet_v2.onnx", 1, -1.f, 1.f},   {"mobilenet_v2.onnx", 4, -1.f, 1.f},
    {"resnet8_cifar10.onnx", 1, 0.f, 255.f}, {"resnet8_cifar10.onnx", 4, 0.f, 255.f},
    {"mnist_cnn.onnx", 1, 0.f, 255.f},
};

class OracleModel : public ::testing::TestWithParam<ModelCase> {};

TEST_P(OracleModel, MatchesOrt) {
  LITEMP_REQUIRE_SHARED();
  if (!OrtUnavailableReason().empty()) GTEST_SKIP() << OrtUnavailableReason();
  const ModelCase& mc = GetParam();
  std::string path = (std::filesystem::path(SharedDir()) / "models" / mc.file).string();
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found";
  auto model = Model::Load(path);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Graph& g = model.value()->graph();
  ResetRandom(static_cast<uint32_t>(mc.batch * 7919 + std::string(mc.file).size()));
  NamedTensors inputs;
  for (int id : g.inputs) {
    Shape s = g.values[id].shape;
    ASSERT_FALSE(s.empty()) << "input '" << g.values[id].name << "' has no known shape";
    s[0] = mc.batch;
    for (int64_t d : s) ASSERT_GT(d, 0) << "input '" << g.values[id].name << "' has an unknown dim";
    inputs.emplace_back(g.values[id].name, Rand(s, mc.lo, mc.hi));
  }
  auto diffs = CompareModelWithOrt(path, inputs, 1e-4);
  ASSERT_TRUE(diffs.ok()) << diffs.status().ToString();
  for (const auto& d : diffs.value()) ADD_FAILURE() << mc.file << " batch " << mc.batch << ": " << d;
}

std::string Name(const ::testing::TestParamInfo<ModelCase>& info) {
  std::string s = info.param.file;
  s = s.substr(0, s.find('.'));
  return s + "_batch" + std::to_string(info.param.batch);
}

INSTANTIATE_TEST_SUITE_P(Shared, OracleModel, ::testing::ValuesIn(kModels), Name);

struct GeneratedCase {
  const char* name;
  ModelBuilder (*build)();
};

class OracleGenerated : public ::testing::TestWithParam<GeneratedCase> {};

TEST_P(OracleGenerated, MatchesOrt) {
  if (!OrtUnavailableReason().empty()) GTEST_SKIP() << OrtUnavailableReason();
  const GeneratedCase& gc = GetParam();
  ModelBuilder b = gc.build();
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("litemp_oracle_" + std::string(gc.name) + "_" + std::to_string(::getpid()) + ".onnx")).string();
  ASSERT_TRUE(WriteFileAtomic(path, b.Bytes()).ok());
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Graph& g = model.value()->graph();
  ResetRandom(17);
  NamedTensors inputs;
  for (int id : g.inputs) {
    Shape s = g.values[id].shape;
    s[0] = 3;
    inputs.emplace_back(g.values[id].name, Rand(s, -1.f, 1.f));
  }
  auto diffs = CompareModelWithOrt(path, inputs, 1e-4);
  std::filesystem::remove(path);
  ASSERT_TRUE(diffs.ok()) << diffs.status().ToString();
  for (const auto& d : diffs.value()) ADD_FAILURE() << gc.name << ": " << d;
}

const GeneratedCase kGenerated[] = {
    {"encoder_decoder", EncoderDecoder}, {"transformer_block", TransformerBlock}, {"detector_head", DetectorHead},
    {"bert_encoder", [] { return BertEncoder(); }}, {"efficientnet_like", [] { return EfficientNetLike(); }}};

INSTANTIATE_TEST_SUITE_P(Generated, OracleGenerated, ::testing::ValuesIn(kGenerated),
                         [](const ::testing::TestParamInfo<GeneratedCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace litemp::test
