// The workflow's own outputs against ONNX Runtime: ResNet-8 (its BatchNormalization layers
// unfolded in the shared file) is prepared by default, so the QDQ export describes the
// folded graph, and ORT running that export (optimizations disabled) must predict what the
// mixed-precision simulation predicted, sample by sample.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <onnx/onnx_pb.h>

#include "litemp/fidelity.h"
#include "litemp/fileio.h"
#include "litemp/workflow.h"
#include "oracle/ort_runner.h"
#include "testutil/generated_data.h"
#include "testutil/generated_models.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

namespace fs = std::filesystem;

int64_t ArgMax(const float* s, int64_t n) {
  int64_t best = 0;
  for (int64_t c = 1; c < n; ++c)
    if (s[c] > s[best]) best = c;
  return best;
}

TEST(WorkflowExport, ResNet8PreparedQdqAgreesWithTheSimulation) {
  LITEMP_REQUIRE_SHARED();
  if (!test::OrtUnavailableReason().empty()) GTEST_SKIP() << test::OrtUnavailableReason();
  const std::string shared = test::SharedDir();
  const fs::path out = fs::temp_directory_path() / ("litemp_wfexport_" + std::to_string(::getpid()));
  fs::remove_all(out);
  WorkflowOptions o;
  o.model_path = shared + "/models/resnet8_cifar10.onnx";
  o.data.images_dir = shared + "/data/cifar10_ic01";
  o.data.labels_file = shared + "/data/cifar10_ic01/y_labels.csv";
  o.data.raw_shape = {32, 32, 3};
  o.data.std = {1.f / 255.f};
  o.out_dir = out.string();
  o.quiet = true;
  RunReport r;
  Status s = RunWorkflow(o, &r);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(r.w8a8 && r.mixed && r.mixed_fidelity);
  int folded = 0;
  for (const auto& line : r.prepared) folded += line.find("BatchNormalization") != std::string::npos;
  EXPECT_GE(folded, 1) << "ResNet-8's BatchNormalization layers should be folded";
  for (const auto& l : r.sensitivity) EXPECT_NE(l.op_type, "BatchNormalization") << l.name;

  // The export is of the prepared graph: no BatchNormalization left in it.
  onnx::ModelProto qdq;
  std::ifstream in(out / "model_qdq.onnx", std::ios::binary);
  ASSERT_TRUE(qdq.ParseFromIstream(&in));
  for (const auto& n : qdq.graph().node()) EXPECT_NE(n.op_type(), "BatchNormalization") << n.name();

  // ORT on every evaluated sample, one batch; compare with the simulation's predictions.
  auto data = Dataset::Open(o.data);
  ASSERT_TRUE(data.ok());
  std::vector<size_t> idx;
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < data.value()->size(); ++i) by_name[data.value()->name(i)] = i;
  for (const auto& p : r.predictions) idx.push_back(by_name.at(p.file));
  auto x = data.value()->LoadBatch(idx);
  ASSERT_TRUE(x.ok());
  setenv("LITEMP_ORT_OPT", "disabled", 1);
  test::OrtBatch ort;
  auto id = ort.AddFile((out / "model_qdq.onnx").string(), {{qdq.graph().input(0).name(), x.value()}});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(ort.Run().ok());
  unsetenv("LITEMP_ORT_OPT");
  auto outs = ort.Outputs(id.value());
  ASSERT_TRUE(outs.ok()) << outs.status().ToString();
  const Tensor& y = outs.value()[0].second;
  const int64_t classes = y.numel() / y.dim(0);
  ASSERT_EQ(y.dim(0), static_cast<int64_t>(idx.size()));
  int64_t same = 0;
  for (size_t i = 0; i < idx.size(); ++i) same += ArgMax(y.data<float>() + i * classes, classes) == r.predictions[i].mixed;
  const double agreement = double(same) / idx.size();
  RecordProperty("agreement", std::to_string(same) + "/" + std::to_string(idx.size()));
  EXPECT_GE(agreement, 0.99) << same << " of " << idx.size();
  fs::remove_all(out);
}

// The generated models (image out, two inputs, two outputs) without labels: ORT running
// each exported QDQ model must be as close to FP32 as the mixed simulation said it is.
struct Generated {
  const char* name;
  test::ModelBuilder (*build)();
};

class WorkflowExportGenerated : public ::testing::TestWithParam<Generated> {};

TEST_P(WorkflowExportGenerated, QdqFidelityMatchesTheSimulation) {
  if (!test::OrtUnavailableReason().empty()) GTEST_SKIP() << test::OrtUnavailableReason();
  const fs::path dir = fs::temp_directory_path() / ("litemp_wfexport_" + std::string(GetParam().name) + "_" +
                                                    std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  test::ModelBuilder b = GetParam().build();
  const std::string model = (dir / "model.onnx").string();
  ASSERT_TRUE(WriteFileAtomic(model, b.Bytes()).ok());
  test::WriteGeneratedSamples(b, (dir / "data").string(), 24);
  WorkflowOptions o;
  o.model_path = model;
  o.data.images_dir = (dir / "data").string();
  o.out_dir = (dir / "out").string();
  o.calib = 12;
  o.sens = 6;
  o.selection.percent = 20;
  o.quiet = true;
  RunReport r;
  Status s = RunWorkflow(o, &r);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(r.mixed_fidelity.has_value());

  // The evaluated samples, fed to the original model (FP32) and to the QDQ export.
  auto data = Dataset::Open(o.data);
  ASSERT_TRUE(data.ok());
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < data.value()->size(); ++i) by_name[data.value()->name(i)] = i;
  std::vector<size_t> idx;
  for (const auto& p : r.predictions) idx.push_back(by_name.at(p.file));
  std::vector<std::string> names;
  for (const auto& in : b.proto().graph().input()) names.push_back(in.name());
  auto x = data.value()->LoadBatchInputs(names, idx);
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  test::NamedTensors feeds;
  for (size_t k = 0; k < names.size(); ++k) feeds.emplace_back(names[k], x.value()[k]);
  setenv("LITEMP_ORT_OPT", "disabled", 1);
  test::OrtBatch ort;
  auto fp32_id = ort.AddFile(model, feeds);
  auto qdq_id = ort.AddFile((dir / "out" / "model_qdq.onnx").string(), feeds);
  ASSERT_TRUE(fp32_id.ok() && qdq_id.ok());
  ASSERT_TRUE(ort.Run().ok());
  unsetenv("LITEMP_ORT_OPT");
  auto fp32 = ort.Outputs(fp32_id.value());
  auto qdq = ort.Outputs(qdq_id.value());
  ASSERT_TRUE(fp32.ok()) << fp32.status().ToString();
  ASSERT_TRUE(qdq.ok()) << qdq.status().ToString();
  ASSERT_EQ(fp32->size(), qdq->size());
  std::vector<std::string> out_names;
  std::vector<Tensor> e, a;
  for (size_t j = 0; j < fp32->size(); ++j) {
    out_names.push_back((*fp32)[j].first);
    e.push_back((*fp32)[j].second);
    a.push_back((*qdq)[j].second);
  }
  FidelityMeter m(out_names);
  ASSERT_TRUE(m.Add(e, a, static_cast<int64_t>(idx.size())).ok());
  auto f = m.Finish();
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  RecordProperty("ort_psnr", std::to_string(f->psnr));
  RecordProperty("sim_psnr", std::to_string(r.mixed_fidelity->psnr));
  EXPECT_NEAR(f->psnr, r.mixed_fidelity->psnr, 0.05) << GetParam().name;  // measured: within 0.002 dB
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Generated, WorkflowExportGenerated,
                         ::testing::Values(Generated{"encoder_decoder", test::EncoderDecoder},
                                           Generated{"transformer_block", test::TransformerBlock},
                                           Generated{"detector_head", test::DetectorHead}),
                         [](const ::testing::TestParamInfo<Generated>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace litemp
