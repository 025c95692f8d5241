// Model preparation against ONNX Runtime: ORT on the prepared model matches ORT on the
// original within 1e-4 relative (|prepared - original| <= 1e-4 * max(1, |original|)), on the
// shared models and on generated ones. ORT's own graph optimizations are disabled, so it
// really computes every BatchNormalization of the original.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>

#include "backend/tensor_compare.h"
#include "litemp/prepare.h"
#include "oracle/ort_runner.h"
#include "prepare/prepare_helpers.h"
#include "testutil/kernel_runner.h"

namespace litemp::test {
namespace {

// Runs the original (`bytes`, or the file `path`) and its prepared form through ORT and
// compares every output. Returns the prepared model's BatchNormalization count.
int ExpectOrtAgrees(const std::string& label, const std::string& path, const std::string& bytes,
                    const NamedTensors& inputs) {
  SCOPED_TRACE(label);
  onnx::ModelProto proto;
  if (!bytes.empty()) {
    EXPECT_TRUE(proto.ParseFromString(bytes));
  } else {
    auto m = Model::Load(path);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    if (!m.ok()) return -1;
    proto = m.value()->proto();
  }
  PrepareReport report;
  Status s = PrepareModelProto(&proto, ".", {}, &report);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::string prepared;
  proto.SerializeToString(&prepared);
  OrtBatch batch("disabled");
  auto original = bytes.empty() ? batch.AddFile(path, inputs) : batch.Add(bytes, inputs);
  auto mine = batch.Add(prepared, inputs);
  EXPECT_TRUE(original.ok() && mine.ok());
  if (!original.ok() || !mine.ok()) return -1;
  Status ran = batch.Run();
  EXPECT_TRUE(ran.ok()) << ran.ToString();
  auto want = batch.Outputs(original.value());
  auto got = batch.Outputs(mine.value());
  EXPECT_TRUE(want.ok()) << want.status().ToString();
  EXPECT_TRUE(got.ok()) << got.status().ToString();
  if (!want.ok() || !got.ok()) return -1;
  EXPECT_EQ(got->size(), want->size());
  for (size_t i = 0; i < std::min(got->size(), want->size()); ++i) {
    EXPECT_EQ((*got)[i].first, (*want)[i].first);
    std::string d = CompareTensors((*got)[i].second, (*want)[i].second, Tolerance{0, 1e-4, 1});
    EXPECT_TRUE(d.empty()) << "output '" << (*want)[i].first << "': " << d;
  }
  int bn = 0;
  for (const auto& n : proto.graph().node()) bn += n.op_type() == "BatchNormalization";
  return bn;
}

#define LITEMP_REQUIRE_ORT() \
  if (!OrtUnavailableReason().empty()) GTEST_SKIP() << OrtUnavailableReason()

struct SharedCase {
  const char* file;
  const char* input;
  Shape shape;
  float lo, hi;
};

class OraclePrepareShared : public ::testing::TestWithParam<SharedCase> {};

TEST_P(OraclePrepareShared, OrtAgreesAndNoBatchNormIsLeft) {
  LITEMP_REQUIRE_SHARED();
  LITEMP_REQUIRE_ORT();
  const SharedCase& c = GetParam();
  const std::string path = SharedDir() + "/models/" + c.file;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found";
  EXPECT_EQ(ExpectOrtAgrees(c.file, path, "", {{c.input, RandomTensor(c.shape, 3, c.lo, c.hi)}}), 0);
}

// mnist_cnn reshapes to a fixed [1,256], so it only runs at batch 1.
INSTANTIATE_TEST_SUITE_P(Shared, OraclePrepareShared,
                         ::testing::Values(SharedCase{"resnet8_cifar10.onnx", "input_1", {2, 3, 32, 32}, 0.f, 255.f},
                                           SharedCase{"mobilenet_v2.onnx", "input", {2, 3, 224, 224}, -1.f, 1.f},
                                           SharedCase{"mnist_cnn.onnx", "Input3", {1, 1, 28, 28}, 0.f, 255.f}),
                         [](const ::testing::TestParamInfo<SharedCase>& info) {
                           std::string s = info.param.file;
                           return s.substr(0, s.find('.'));
                         });

TEST(OraclePrepare, GeneratedModels) {
  LITEMP_REQUIRE_ORT();
  const Shape c31{3, 1};
  EXPECT_EQ(ExpectOrtAgrees("mixed", "", MixedModel().Bytes(), {{"x", RandomTensor({2, 3, 8, 8}, 4)}}), 0);
  EXPECT_EQ(ExpectOrtAgrees("grouped ConvTranspose", "", ConvTransposeBn(true).Bytes(),
                            {{"x", RandomTensor({2, 4, 5, 5}, 5)}}),
            0);
  EXPECT_EQ(
      ExpectOrtAgrees("depthwise Conv", "", ConvBn(4, 8, 4, false).Bytes(), {{"x", RandomTensor({2, 4, 6, 6}, 6)}}), 0);
  EXPECT_EQ(ExpectOrtAgrees("Gemm C [3,1]", "", GemmBn(false, &c31).Bytes(), {{"x", RandomTensor({3, 5}, 7)}}), 0);
}

}  // namespace
}  // namespace litemp::test
