// PerLayerMse against a brute-force reference (fetch every layer output of both runs).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis/flag_guard.h"
#include "core/parallel.h"
#include "sweep_helpers.h"
#include "testutil/generated_models.h"
#include "testutil/model_builder.h"

namespace litemp {
namespace {

using test::Flags;

// MSE of each quantized layer's first output, from two full runs that fetch every output.
std::map<int, double> BruteForce(QuantSim& sim, const Tensor& x) {
  const Graph& g = sim.graph();
  std::vector<int> fetch;
  for (int l : sim.QuantizedLayers()) fetch.push_back(g.nodes[l].outputs[0]);
  std::unordered_map<int, Tensor> sim_out, fp32_out;
  EXPECT_TRUE(sim.Run(x, &sim_out, fetch).ok());
  std::vector<bool> saved = Flags(sim);
  for (auto& q : sim.quantizers()) q.enabled = false;
  EXPECT_TRUE(sim.Run(x, &fp32_out, fetch).ok());
  for (size_t i = 0; i < saved.size(); ++i) sim.quantizers()[i].enabled = saved[i];
  EXPECT_TRUE(sim.SyncConstants().ok());
  std::map<int, double> mse;
  for (int l : sim.QuantizedLayers()) {
    const int v = g.nodes[l].outputs[0];
    const Tensor& a = fp32_out[v];
    const Tensor& b = sim_out[v];
    if (a.dtype() != DType::kFloat32) continue;
    double sum = 0;
    for (int64_t i = 0; i < a.numel(); ++i) {
      double d = double(b.data<float>()[i]) - a.data<float>()[i];
      sum += d * d;
    }
    mse[l] = sum / a.numel();
  }
  return mse;
}

// Every quantized layer is scored, and as the brute force scores it, to relative `tol`.
// ResNet-8's Conv outputs are quantized, a case the simulation otherwise quantizes inside
// the kernel.
void ExpectMatchesBruteForce(const std::string& name, const Shape& sample, double tol) {
  auto model = test::LoadSharedModel(name);
  ASSERT_TRUE(model);
  Shape calib_shape = sample, x_shape = sample;
  calib_shape[0] = 16;
  x_shape[0] = 6;
  auto sim = test::CalibratedSim(*model, test::RandomTensor(calib_shape, 5, 0.f, 255.f));
  ASSERT_TRUE(sim);
  const Tensor x = test::RandomTensor(x_shape, 6, 0.f, 255.f);
  const std::vector<bool> before = Flags(*sim);
  auto whole = PerLayerMse(*sim, x);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(Flags(*sim), before);
  auto split = PerLayerMse(*sim, x, /*run_bytes=*/1);  // one sample per group
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  const std::map<int, double> want = BruteForce(*sim, x);
  ASSERT_EQ(whole->size(), want.size());
  ASSERT_EQ(split->size(), want.size());
  bool some_error = false;
  for (size_t i = 0; i < whole->size(); ++i) {
    const LayerMse& m = (*whole)[i];
    ASSERT_TRUE(want.count(m.layer)) << m.name;
    EXPECT_NEAR(m.mse, want.at(m.layer), tol * std::max(1.0, want.at(m.layer))) << m.name;
    EXPECT_NEAR((*split)[i].mse, m.mse, tol * std::max(1.0, m.mse)) << m.name;
    some_error |= m.mse > 0;
  }
  EXPECT_TRUE(some_error);  // W8A8 differs from FP32 somewhere
}

TEST(PerLayerMse, MatchesBruteForceOnResNet8) {
  LITEMP_REQUIRE_SHARED();
  // Batch sizes (whole, split, brute force) sum convolutions in other orders: ~1e-6 apart.
  ExpectMatchesBruteForce("resnet8_cifar10.onnx", {1, 3, 32, 32}, 1e-5);
}

TEST(PerLayerMse, MatchesBruteForceOnMnist) {
  LITEMP_REQUIRE_SHARED();
  ExpectMatchesBruteForce("mnist_cnn.onnx", {1, 1, 28, 28}, 1e-9);
  auto model = test::LoadSharedModel("mnist_cnn.onnx");
  ASSERT_TRUE(model);
  auto sim = test::CalibratedSim(*model, test::RandomTensor({16, 1, 28, 28}, 5, 0.f, 255.f));
  ASSERT_TRUE(sim);
  const Tensor x = test::RandomTensor({6, 1, 28, 28}, 6, 0.f, 255.f);
  // Samples that do not fit the model are an error.
  EXPECT_FALSE(PerLayerMse(*sim, test::RandomTensor({2, 3, 28, 28}, 7)).ok());
  EXPECT_FALSE(PerLayerMse(*sim, Tensor()).ok());
  // An uncalibrated simulation has nothing to compare.
  auto raw = QuantSim::Create(*model, QuantSimOptions{});
  ASSERT_TRUE(raw.ok());
  EXPECT_FALSE(PerLayerMse(*raw.value(), x).ok());
}

TEST(PerLayerMse, FixedBatchModelPadsTheLastGroup) {
  auto model = test::TinyModel(/*fixed_batch=*/2);
  ASSERT_TRUE(model);
  auto sim = test::CalibratedSim(*model, test::RandomTensor({2, 4}, 5, -3.f, 3.f));
  ASSERT_TRUE(sim);
  const Tensor x = test::RandomTensor({3, 4}, 6, -3.f, 3.f);  // 2 + 1 padded
  auto r = PerLayerMse(*sim, x);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::map<int, double> want = BruteForce(*sim, x);
  ASSERT_EQ(r->size(), want.size());
  ASSERT_FALSE(r->empty());
  for (const LayerMse& m : *r) EXPECT_NEAR(m.mse, want.at(m.layer), 1e-12) << m.name;
}

// Groups run a sample at a time, side by side on two threads, give whole groups' bits: the
// same running sums, in the same order. `runs`: (run_bytes, groups after the first); with
// at least 4 groups two threads split them (SplitThreads), with fewer they run whole.
void ExpectBySampleBits(const Model& model, const Shape& sample, int64_t k,
                        const std::vector<std::pair<size_t, int64_t>>& runs) {
  Shape calib_shape = sample, x_shape = sample;
  calib_shape[0] = 8;
  x_shape[0] = k;
  auto sim = test::CalibratedSim(model, test::RandomTensor(calib_shape, 5, 0.f, 1.f));
  ASSERT_TRUE(sim);
  const Tensor x = test::RandomTensor(x_shape, 6, 0.f, 1.f);
  ASSERT_TRUE(CheckSamplesIndependent(sim->graph()).ok());
  for (const auto& [rb, groups] : runs) {
    auto whole = PerLayerMse(*sim, x, rb, nullptr, /*by_sample=*/false);
    ASSERT_TRUE(whole.ok()) << whole.status().ToString();
    for (int threads : {2, 1}) {
      SetNumThreads(threads);
      const std::vector<bool> before = Flags(*sim);
      int used = 0;
      auto by_sample = PerLayerMse(*sim, x, rb, nullptr, /*by_sample=*/true, &used);
      EXPECT_EQ(used, threads == 2 && groups >= 4 ? 2 : 1) << "run_bytes " << rb;
      EXPECT_EQ(Flags(*sim), before);
      ASSERT_TRUE(by_sample.ok()) << by_sample.status().ToString();
      ASSERT_EQ(by_sample->size(), whole->size());
      for (size_t i = 0; i < whole->size(); ++i) {
        EXPECT_EQ((*by_sample)[i].layer, (*whole)[i].layer);
        // Bitwise: == on the doubles.
        EXPECT_EQ((*by_sample)[i].mse, (*whole)[i].mse) << (*whole)[i].name << ", run_bytes " << rb << ", threads " << threads;
      }
    }
    SetNumThreads(2);
  }
}

// Flags disabled again after a Restore are put back by the destructor (an early return
// after the per-layer MSE's first group must not leave every quantizer off).
TEST(QuantizerFlagGuard, RestoresAfterASecondDisable) {
  auto model = test::TinyModel();
  ASSERT_TRUE(model);
  auto sim = test::CalibratedSim(*model, test::RandomTensor({2, 4}, 5, -3.f, 3.f));
  ASSERT_TRUE(sim);
  const std::vector<bool> before = Flags(*sim);
  ASSERT_NE(std::count(before.begin(), before.end(), true), 0);
  {
    QuantizerFlagGuard guard(*sim);
    guard.DisableAll();
    ASSERT_TRUE(guard.Restore().ok());
    guard.DisableAll();
  }
  EXPECT_EQ(Flags(*sim), before);
}

TEST(PerLayerMse, BySampleGivesWholeGroupsBits) {
  const int saved = NumThreads();
  auto enc = test::EncoderDecoder().Build();
  ASSERT_TRUE(enc.ok()) << enc.status().ToString();
  // 18432 bytes of layer outputs a sample: 13 samples in groups of 1, 2, 3 and 12.
  ExpectBySampleBits(**enc, {1, 3, 16, 16}, 13, {{1, 12}, {40000, 6}, {60000, 4}, {1 << 30, 1}});
  SetNumThreads(saved);
}

// A layer whose output comes from constants alone (an unprepared model) is scored once per
// group; a sample at a time would add it once per sample. Such models run whole groups.
TEST(PerLayerMse, ConstantLayerOutputsKeepWholeGroups) {
  const int saved = NumThreads();
  SetNumThreads(2);
  test::ModelBuilder b(13);
  b.Input("x", {-1, 2, 4, 4}).Output("y", {-1, 2, 4, 4});
  b.Initializer("k", test::RandomTensor({1, 2, 4, 4}, 1)).Initializer("w", test::RandomTensor({2, 2, 1, 1}, 2));
  b.Node("Conv", "from_constants", {"k", "w"}, {"c"}).Node("Conv", "from_x", {"x", "w"}, {"h"});
  b.Node("Add", "add", {"h", "c"}, {"y"});
  auto m = b.Build();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_TRUE(CheckSamplesIndependent(m.value()->graph()).ok());
  auto sim = test::CalibratedSim(**m, test::RandomTensor({8, 2, 4, 4}, 5, -1.f, 1.f));
  ASSERT_TRUE(sim);
  const Tensor x = test::RandomTensor({9, 2, 4, 4}, 6, -1.f, 1.f);
  auto whole = PerLayerMse(*sim, x, 1, nullptr, /*by_sample=*/false);
  int used = 0;
  auto got = PerLayerMse(*sim, x, 1, nullptr, /*by_sample=*/true, &used);  // 8 groups of 1
  ASSERT_TRUE(whole.ok() && got.ok());
  EXPECT_EQ(used, 1);
  ASSERT_EQ(got->size(), whole->size());
  for (size_t i = 0; i < whole->size(); ++i) EXPECT_EQ((*got)[i].mse, (*whole)[i].mse) << (*whole)[i].name;
  SetNumThreads(saved);
}

TEST(PerLayerMse, BySampleGivesWholeGroupsBitsOnMobileNetV2) {
  LITEMP_REQUIRE_SHARED();
  const int saved = NumThreads();
  auto mobilenet = test::LoadSharedModel("mobilenet_v2.onnx");
  ASSERT_TRUE(mobilenet);
  // 52 MB a sample: 9 samples in groups of 1 and 2.
  ExpectBySampleBits(*mobilenet, {1, 3, 224, 224}, 9, {{1, 8}, {size_t{120} << 20, 4}});
  SetNumThreads(saved);
}

}  // namespace
}  // namespace litemp
