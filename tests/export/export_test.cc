// The exported QDQ model, run by ONNX Runtime, must give the simulation's outputs: within
// one output quantization step everywhere and the same top-1 class for every sample.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "litemp/data.h"
#include "litemp/evaluate.h"
#include "litemp/export.h"
#include "litemp/mixed_precision.h"
#include "oracle/ort_runner.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

struct Case {
  std::string model;
  DataOptions data;
  std::string flip;  // "" = plain W8A8; else the most-upstream 3 layers are flipped to it
};

Case ResNet8(std::string flip) {
  Case c;
  c.model = "resnet8_cifar10.onnx";
  c.data.images_dir = test::SharedDir() + "/data/cifar10_ic01";
  c.data.labels_file = c.data.images_dir + "/y_labels.csv";
  c.data.raw_shape = {32, 32, 3};
  c.data.std = {1.f / 255.f};
  c.flip = std::move(flip);
  return c;
}

Case Mnist() {
  Case c;
  c.model = "mnist_cnn.onnx";
  c.data.idx_images = test::SharedDir() + "/data/mnist/t10k-images-idx3-ubyte.gz";
  c.data.idx_labels = test::SharedDir() + "/data/mnist/t10k-labels-idx1-ubyte.gz";
  c.data.std = {1.f / 255.f};
  c.data.limit = 64;
  return c;
}

Case MobileNet() {
  Case c;
  c.model = "mobilenet_v2.onnx";
  c.data.images_dir = test::SharedDir() + "/data/imagenet_sample";
  c.data.labels_file = c.data.images_dir + "/labels.csv";
  c.data.resize = 256;
  c.data.crop = 224;
  c.data.mean = {0.5f};
  c.data.std = {0.5f};
  c.data.limit = 24;
  c.flip = "int16";
  return c;
}

int64_t ArgMax(const float* p, int64_t n) {
  int64_t b = 0;
  for (int64_t i = 1; i < n; ++i)
    if (p[i] > p[b]) b = i;
  return b;
}

void CheckExport(const Case& c) {
  if (test::SharedDir().empty()) GTEST_SKIP() << "shared/ not found";
  if (!test::OrtUnavailableReason().empty()) GTEST_SKIP() << test::OrtUnavailableReason();
  auto model = Model::Load(test::SharedDir() + "/models/" + c.model);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto data = Dataset::Open(c.data);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  Split split = MakeSplit(data.value()->size(), 16, 0, 8, 0);
  auto sim_or = QuantSim::Create(*model.value(), QuantSimOptions{});
  ASSERT_TRUE(sim_or.ok()) << sim_or.status().ToString();
  QuantSim& sim = *sim_or.value();
  ASSERT_TRUE(CalibrateOnDataset(sim, *data.value(), split.calib, 8, true).ok());
  if (!c.flip.empty()) {
    std::vector<int> layers = sim.QuantizedLayers();
    layers.resize(3);
    FlipLayers(sim, layers, ParseFlipTarget(c.flip).value());
    ASSERT_TRUE(CalibrateOnDataset(sim, *data.value(), split.calib, 8, true).ok());
  }
  auto x = data.value()->LoadBatch(split.eval);
  ASSERT_TRUE(x.ok());
  std::unordered_map<int, Tensor> res;
  Status s = sim.Run(x.value(), &res);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const int out_id = sim.graph().outputs[0];
  const Tensor& ours = res[out_id];

  std::string dir = std::filesystem::temp_directory_path() / ("litemp_export_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = dir + "/" + c.model + ".qdq.onnx";
  s = ExportQdqModel(sim, *model.value(), path);
  ASSERT_TRUE(s.ok()) << s.ToString();
  // Fixed-batch models run one chunk per ORT call.
  const int64_t n = x->dim(0);
  const int64_t b = sim.input().fixed_batch > 0 ? sim.input().fixed_batch : n;
  test::OrtBatch ort;
  std::vector<int> ids;
  for (int64_t i = 0; i < n; i += b) {
    auto id = ort.AddFile(path, {{sim.input().name, SliceBatch(x.value(), i, std::min(n, i + b))}});
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(id.value());
  }
  ASSERT_TRUE(ort.Run().ok());
  std::vector<Tensor> parts;
  for (int id : ids) {
    auto outs = ort.Outputs(id);
    ASSERT_TRUE(outs.ok()) << outs.status().ToString();
    parts.push_back(outs.value()[0].second);
  }
  Tensor theirs = ConcatBatch(parts).value();
  ASSERT_EQ(theirs.shape(), ours.shape());
  // One step of the output quantizer (or a tiny tolerance when the output is not quantized).
  double step = 1e-5;
  for (const auto& q : sim.quantizers())
    if (q.value_id == out_id && q.enabled && !q.encodings.empty()) step = q.encodings[0].scale;
  const int64_t classes = ours.numel() / n;
  double max_diff = 0;
  for (int64_t i = 0; i < ours.numel(); ++i)
    max_diff = std::max(max_diff, std::fabs(double(ours.data<float>()[i]) - theirs.data<float>()[i]));
  int64_t off_grid = 0;
  for (int64_t i = 0; i < ours.numel(); ++i)
    off_grid += std::fabs(double(ours.data<float>()[i]) - theirs.data<float>()[i]) > step * 0.5;
  std::printf("%s flip=%s: max diff %.3g (%.2f steps), %lld/%lld elements differ\n", c.model.c_str(), c.flip.c_str(),
              max_diff, max_diff / step, (long long)off_grid, (long long)ours.numel());
  EXPECT_LE(max_diff, step * 1.0001) << c.model << " flip=" << c.flip;
  for (int64_t i = 0; i < n; ++i)
    EXPECT_EQ(ArgMax(ours.data<float>() + i * classes, classes), ArgMax(theirs.data<float>() + i * classes, classes))
        << c.model << " sample " << i;
  std::filesystem::remove_all(dir);
}

TEST(QdqExport, ResNet8W8A8MatchesOnnxRuntime) { CheckExport(ResNet8("")); }
TEST(QdqExport, ResNet8Int16FlipsMatchOnnxRuntime) { CheckExport(ResNet8("int16")); }
TEST(QdqExport, ResNet8Fp16FlipsMatchOnnxRuntime) { CheckExport(ResNet8("fp16")); }
TEST(QdqExport, ResNet8W8A16FlipsMatchOnnxRuntime) { CheckExport(ResNet8("w8a16")); }
TEST(QdqExport, MnistFixedBatchMatchesOnnxRuntime) { CheckExport(Mnist()); }
TEST(QdqExport, MobileNetInt16FlipsMatchOnnxRuntime) { CheckExport(MobileNet()); }

}  // namespace
}  // namespace litemp
