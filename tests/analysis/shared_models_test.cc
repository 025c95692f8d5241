// The fast sweep against the naive one (the oracle) on the shared real models.
#include <gtest/gtest.h>

#include "core/parallel.h"
#include "sweep_helpers.h"

namespace litemp {
namespace {

using test::ExpectSameSweep;
using test::ExpectSortedStable;
using test::Flags;
using test::Opts;
using test::Sweep;

struct SimCase {
  std::unique_ptr<Model> model;
  std::unique_ptr<QuantSim> sim;
  Tensor samples;
};

// Calibrates W8A8 on `calib_n` random samples and draws K more, uniform in [lo, hi).
SimCase Make(std::unique_ptr<Model> model, Shape sample, int64_t calib_n, int64_t k, float lo, float hi) {
  SimCase s;
  s.model = std::move(model);
  if (!s.model) return s;
  Shape cs = sample, ks = sample;
  cs.insert(cs.begin(), calib_n);
  ks.insert(ks.begin(), k);
  s.sim = test::CalibratedSim(*s.model, test::RandomTensor(cs, 21, lo, hi));
  s.samples = test::RandomTensor(ks, 22, lo, hi);
  return s;
}

SimCase Make(const std::string& file, Shape sample, int64_t calib_n, int64_t k, float lo, float hi) {
  return Make(test::LoadSharedModel(file), sample, calib_n, k, lo, hi);
}

// mnist_cnn with its batch fixed to 1 (input [1,1,28,28], Reshape to [1,256]), the way the
// ONNX model zoo ships it; the shared file has a dynamic batch.
std::unique_ptr<Model> MnistFixedBatch1() {
  auto m = test::LoadSharedModel("mnist_cnn.onnx");
  if (!m) return nullptr;
  onnx::ModelProto p = m->proto();
  auto* dim0 = p.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0);
  dim0->set_dim_value(1);
  bool found = false;
  for (auto& init : *p.mutable_graph()->mutable_initializer()) {
    if (init.name() != "flat_shape") continue;
    TensorToProto(Tensor::FromVector<int64_t>({1, 256}), &init);
    found = true;
  }
  EXPECT_TRUE(found) << "mnist_cnn.onnx changed: no 'flat_shape' initializer";
  std::string bytes;
  p.SerializeToString(&bytes);
  auto r = Model::FromBytes(bytes, "");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : nullptr;
}

// Fast == naive per layer within 1e-3 dB; both sorted and stable; flags untouched; the
// sweep really sees quantization noise.
void CheckFastEqualsNaive(SimCase& s, size_t expect_layers) {
  ASSERT_TRUE(s.sim);
  auto before = Flags(*s.sim);
  auto naive = Sweep(*s.sim, s.samples, Opts(true));
  EXPECT_EQ(Flags(*s.sim), before);
  SensitivityStats stats;
  auto fast = Sweep(*s.sim, s.samples, Opts(false, size_t{2} << 30, &stats));
  EXPECT_EQ(Flags(*s.sim), before);
  EXPECT_EQ(naive.size(), expect_layers);
  ExpectSameSweep(fast, naive, 1e-3);
  ExpectSortedStable(fast, *s.sim);
  ExpectSortedStable(naive, *s.sim);
  EXPECT_EQ(stats.chunks, 1);
  ASSERT_FALSE(fast.empty());
  EXPECT_GT(fast.front().psnr, 0);
  EXPECT_LT(fast.front().psnr, 80);  // the most sensitive layer really loses precision
}

TEST(SensitivitySharedModels, ResNet8FastEqualsNaive) {
  LITEMP_REQUIRE_SHARED();
  SimCase s = Make("resnet8_cifar10.onnx", {3, 32, 32}, 16, 8, 0, 255);
  // Conv 9, BN 7, Relu 7, AveragePool, Gemm, Softmax own enabled quantizers; the 3 Adds
  // feed Relus (an Add+Relu supergroup: output not quantized) and Flatten is data movement.
  CheckFastEqualsNaive(s, 26);
}

// conv1, relu1, conv2, relu2 (Conv+Relu supergroups), fc_matmul, fc_bias (MaxPool and
// Reshape are data movement).
constexpr size_t kMnistLayers = 6;

TEST(SensitivitySharedModels, MnistFastEqualsNaive) {
  LITEMP_REQUIRE_SHARED();
  SimCase s = Make("mnist_cnn.onnx", {1, 28, 28}, 16, 8, 0, 255);
  CheckFastEqualsNaive(s, kMnistLayers);
}

TEST(SensitivitySharedModels, MnistFixedBatchFastEqualsNaive) {
  LITEMP_REQUIRE_SHARED();
  SimCase s = Make(MnistFixedBatch1(), {1, 28, 28}, 16, 8, 0, 255);
  ASSERT_TRUE(s.sim);
  ASSERT_EQ(s.sim->input().fixed_batch, 1);
  CheckFastEqualsNaive(s, kMnistLayers);
}

TEST(SensitivitySharedModels, MobileNetV2FastEqualsNaive) {
  LITEMP_REQUIRE_SHARED();
  SimCase s = Make("mobilenet_v2.onnx", {3, 224, 224}, 4, 2, -1, 1);
  // 53 Conv + 35 Clip + 10 Add + GlobalAveragePool + Softmax (Flatten is data movement).
  CheckFastEqualsNaive(s, 100);
}

// No partial run reads a Relu6 (Clip) output from the cache: one that would starts at the
// Clip, from its input, which the cache holds for the Clip's own layer. So a sample's cache
// holds at most MobileNetV2's other float values (the FastEqualsNaive tests check the scores).
TEST(SensitivitySharedModels, MobileNetV2CachesNoClipOutput) {
  LITEMP_REQUIRE_SHARED();
  SimCase s = Make("mobilenet_v2.onnx", {3, 224, 224}, 2, 1, -1, 1);
  ASSERT_TRUE(s.sim);
  SensitivityStats stats;
  EXPECT_EQ(Sweep(*s.sim, s.samples, Opts(false, size_t{2} << 30, &stats)).size(), 100u);
  const Graph& g = s.sim->graph();
  size_t clips = 0, others = 0;  // bytes of a sample's float values
  for (const Value& v : g.values) {
    if (v.is_initializer || !v.shape_known || v.dtype != DType::kFloat32 || v.shape.empty()) continue;
    size_t bytes = 4;
    for (size_t d = 1; d < v.shape.size(); ++d) bytes *= static_cast<size_t>(std::max<int64_t>(v.shape[d], 1));
    (v.producer >= 0 && g.nodes[v.producer].op_type == "Clip" ? clips : others) += bytes;
  }
  EXPECT_GT(clips, others / 2);  // a large share: caching them would show
  EXPECT_GT(stats.cache_bytes_per_sample, 0u);
  EXPECT_LE(stats.cache_bytes_per_sample, others);
}

// Layers upstream of MobileNetV2's batched tail run it once per chunk when the samples go
// side by side (two threads, four samples in two runs): the same scores, bit for bit, as
// without.
TEST(SensitivitySharedModels, MobileNetV2BatchedTailSameScores) {
  LITEMP_REQUIRE_SHARED();
  const int saved = NumThreads();
  SetNumThreads(2);
  SimCase s = Make("mobilenet_v2.onnx", {3, 224, 224}, 4, 4, -1, 1);
  ASSERT_TRUE(s.sim);
  // The cached bytes per sample, from a plain sweep of one sample.
  SensitivityStats with, without;
  Sweep(*s.sim, SliceBatch(s.samples, 0, 1), Opts(false, size_t{2} << 30, &with));
  const size_t per = with.cache_bytes_per_sample;
  ASSERT_GT(per, 0u);
  // Two runs of two samples: the tail's rows go back to their runs.
  SensitivityOptions o = Opts(false, 4 * per, &with);
  o.run_bytes = 2 * per;
  auto tail = Sweep(*s.sim, s.samples, o);
  o.batched_tail = false;
  o.stats = &without;
  auto plain = Sweep(*s.sim, s.samples, o);
  SetNumThreads(saved);
  EXPECT_EQ(with.chunks, 1);
  EXPECT_EQ(with.run_samples, 2);
  EXPECT_GE(with.batched_tail_layers, 30);  // the layers before the last two stages
  EXPECT_LT(with.batched_tail_layers, 100);
  EXPECT_EQ(without.batched_tail_layers, 0);
  EXPECT_EQ(tail.size(), 100u);
  ExpectSameSweep(tail, plain, 0);
}

// The naive sweep run `chunk` samples at a time (FP32 and simulated outputs concatenated,
// then one PSNR): the exact oracle for a fast sweep split into chunks of that size.
std::vector<LayerSensitivity> NaiveChunked(QuantSim& sim, const Tensor& samples, int64_t chunk) {
  const std::vector<int>& outs = sim.graph().outputs;
  auto run = [&](QuantSim& s) -> Result<std::vector<Tensor>> {
    std::vector<std::vector<Tensor>> parts(outs.size());
    for (int64_t b = 0; b < samples.dim(0); b += chunk) {
      std::unordered_map<int, Tensor> res;
      LITEMP_RETURN_IF_ERROR(s.Run(SliceBatch(samples, b, std::min(samples.dim(0), b + chunk)), &res));
      for (size_t j = 0; j < outs.size(); ++j) parts[j].push_back(res[outs[j]]);
    }
    std::vector<Tensor> cat;
    for (auto& p : parts) {
      LITEMP_ASSIGN_OR_RETURN(Tensor t, ConcatBatch(p));
      cat.push_back(t);
    }
    return cat;
  };
  auto saved = Flags(sim);
  for (auto& q : sim.quantizers()) q.enabled = false;
  auto fp32 = run(sim);
  for (size_t i = 0; i < saved.size(); ++i) sim.quantizers()[i].enabled = saved[i];
  EXPECT_TRUE(fp32.ok()) << fp32.status().ToString();
  if (!fp32.ok()) return {};
  SimMetric metric = [&](QuantSim& s) -> Result<double> {
    LITEMP_ASSIGN_OR_RETURN(std::vector<Tensor> got, run(s));
    return Psnr(fp32.value(), got);
  };
  auto r = AnalyzePerLayerSensitivity(sim, metric, Opts(true));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : std::vector<LayerSensitivity>{};
}

// Splitting the samples to fit the memory budget changes only the float summation order:
// the chunked fast sweep equals the naive sweep run chunk by chunk. Against the unchunked
// sweep it differs slightly, because some kernels (oneDNN Gemm/MatMul) round differently
// for another batch size and fake-quant rounding can amplify a last-bit change.
void CheckChunking(SimCase& s, const std::string& what) {
  ASSERT_TRUE(s.sim) << what;
  SensitivityStats stats;
  auto whole = Sweep(*s.sim, s.samples, Opts(false, size_t{2} << 30, &stats));
  EXPECT_EQ(stats.chunks, 1) << what;
  ASSERT_GT(stats.cache_bytes_per_sample, 0u);
  // Three samples' worth of budget: chunks of 3, 3, 2.
  auto three = Sweep(*s.sim, s.samples, Opts(false, 3 * stats.cache_bytes_per_sample, &stats));
  EXPECT_EQ(stats.chunks, 3) << what;
  EXPECT_EQ(stats.chunk_samples, 3) << what;
  EXPECT_LE(stats.cache_bytes, 3 * stats.cache_bytes_per_sample + 4096) << what;
  ExpectSameSweep(three, NaiveChunked(*s.sim, s.samples, 3), 1e-6);
  ExpectSameSweep(three, whole, 0.02);
  ExpectSortedStable(three, *s.sim);
  // A budget below one sample: one sample per chunk.
  auto tiny = Sweep(*s.sim, s.samples, Opts(false, 1, &stats));
  EXPECT_EQ(stats.chunks, 8) << what;
  ExpectSameSweep(tiny, NaiveChunked(*s.sim, s.samples, 1), 1e-6);
  ExpectSameSweep(tiny, whole, 0.02);
  // Everything cached at once but run one sample at a time (run_bytes): the same numbers.
  SensitivityOptions o = Opts(false, size_t{2} << 30, &stats);
  o.run_bytes = 1;
  auto runs = Sweep(*s.sim, s.samples, o);
  EXPECT_EQ(stats.chunks, 1) << what;
  EXPECT_EQ(stats.run_samples, 1) << what;
  ExpectSameSweep(runs, tiny, 1e-6);
  // A budget that holds whole runs changes memory, never a bit of the result: five
  // samples' worth with runs of two caches chunks of four.
  const size_t per = stats.cache_bytes_per_sample;
  SensitivityOptions two = Opts(false, size_t{2} << 30, &stats);
  two.run_bytes = 2 * per;
  auto unchunked = Sweep(*s.sim, s.samples, two);
  EXPECT_EQ(stats.chunks, 1) << what;
  two.memory_budget_bytes = 5 * per;
  auto chunked = Sweep(*s.sim, s.samples, two);
  EXPECT_EQ(stats.chunks, 2) << what;
  EXPECT_EQ(stats.chunk_samples, stats.run_samples == 2 ? 4 : 5) << what;  // fixed batch 1: runs of 1
  ExpectSameSweep(chunked, unchunked, 0);
}

TEST(SensitivitySharedModels, ChunkingResNet8) {
  LITEMP_REQUIRE_SHARED();
  SimCase s = Make("resnet8_cifar10.onnx", {3, 32, 32}, 16, 8, 0, 255);
  CheckChunking(s, "resnet8");
}

TEST(SensitivitySharedModels, ChunkingMnist) {
  LITEMP_REQUIRE_SHARED();
  SimCase s = Make("mnist_cnn.onnx", {1, 28, 28}, 16, 8, 0, 255);
  CheckChunking(s, "mnist");
  SimCase f = Make(MnistFixedBatch1(), {1, 28, 28}, 16, 8, 0, 255);
  CheckChunking(f, "mnist fixed batch 1");
}

}  // namespace
}  // namespace litemp
