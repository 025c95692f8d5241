// The exported QDQ model, run by ONNX Runtime, must reproduce the simulation.
//
// Exact semantics are compared with ORT's graph optimizations disabled: at level "all" ORT
// fuses Q/DQ pairs into integer kernels (QLinearConv, QGemm, ...) with int32 accumulation,
// quantized biases and fixed-point requantization, which is a different (also valid)
// arithmetic. With optimizations disabled, ORT runs the same Q/DQ/float ops as the sim:
//  - all-8-bit models must match within one output step (in practice bit for bit);
//  - where 16-bit or fp16 layers are present, FP32 kernels that sum in a different order
//    (oneDNN vs MLAS) land on the other side of a rounding boundary of these fine grids for
//    ~0.1-0.4% of elements. So the first quantized layer (identical inputs) must agree
//    within one step of its own grid on all but a small fraction of elements, and the
//    output (where such flips may have propagated through 8-bit layers) within
//    kFlipOutputSteps steps, with the same top-1 everywhere.
// With ORT's default optimizations only top-1 agreement is required (at most one sample of
// eight may differ: integer kernels move near-ties).
#include <gtest/gtest.h>

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "litemp/data.h"
#include "litemp/evaluate.h"
#include "litemp/export.h"
#include "litemp/mixed_precision.h"
#include "litemp/stats.h"
#include "oracle/ort_runner.h"
#include "testutil/kernel_runner.h"
#include "testutil/model_builder.h"

#include <map>

namespace litemp {
namespace {

// Output tolerance (in output steps) when 16-bit/fp16 layers are present; see the top.
// Measured worst case 7 (resnet8 int16 flip): 1-step flips of a fine grid that reach
// 8-bit layers become 1-step flips there and grow a little through the network.
constexpr double kFlipOutputSteps = 10;
// Share of the first quantized layer's elements allowed to flip (measured <= 0.35%).
constexpr double kFirstLayerFlipShare = 0.01;
// FP32 summation error of a K-term dot product is about K * 2^-24 * sum|terms|; relative
// to the output's largest magnitude, 4e-6 covers the 3x3x3 first convolutions here.
constexpr double kSumNoise = 4e-6;

struct Case {
  std::string model;
  DataOptions data;
  std::string flip;  // "" = plain W8A8; else the most-upstream 3 layers are flipped to it
  double output_steps = 1;  // output tolerance with ORT optimizations off, in output steps
  // Non-empty: a known disagreement with ORT's optimized graph, reported but not asserted.
  std::string fused_known_issue;
};

Case ResNet8(std::string flip) {
  Case c;
  c.model = "resnet8_cifar10.onnx";
  c.data.images_dir = test::SharedDir() + "/data/cifar10_ic01";
  c.data.labels_file = c.data.images_dir + "/y_labels.csv";
  c.data.raw_shape = {32, 32, 3};
  c.data.std = {1.f / 255.f};
  if (!flip.empty()) c.output_steps = kFlipOutputSteps;
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
  c.output_steps = kFlipOutputSteps;  // deep (K up to 960) convs flip 8-bit ties as well
  return c;
}

int64_t ArgMax(const float* p, int64_t n) {
  int64_t b = 0;
  for (int64_t i = 1; i < n; ++i)
    if (p[i] > p[b]) b = i;
  return b;
}

// Sets an environment variable for one scope (ORT's optimization level is read per run).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    if (old) old_ = old;
    had_ = old != nullptr;
    setenv(name, value, 1);
  }
  ~ScopedEnv() { had_ ? (void)setenv(name_.c_str(), old_.c_str(), 1) : (void)unsetenv(name_.c_str()); }

 private:
  std::string name_, old_;
  bool had_ = false;
};

// Runs `path` (plus `extra` tensors made graph outputs) at ORT optimization level `opt`;
// returns every output concatenated over fixed-batch chunks, by name.
std::map<std::string, Tensor> RunOrt(const std::string& path, const QuantSim& sim, const Tensor& x,
                                     const std::vector<std::string>& extra, const char* opt) {
  std::string model = path;
  if (!extra.empty()) {
    onnx::ModelProto m;
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(m.ParseFromIstream(&in));
    for (const auto& name : extra) {
      auto* o = m.mutable_graph()->add_output();
      o->set_name(name);
      o->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    }
    model = path + ".probe.onnx";
    std::ofstream out(model, std::ios::binary);
    m.SerializeToOstream(&out);
  }
  ScopedEnv env("LITEMP_ORT_OPT", opt);
  const int64_t n = x.dim(0);
  const int64_t b = sim.input().fixed_batch > 0 ? sim.input().fixed_batch : n;
  test::OrtBatch ort;
  std::vector<int> ids;
  for (int64_t i = 0; i < n; i += b) {
    auto id = ort.AddFile(model, {{sim.input().name, SliceBatch(x, i, std::min(n, i + b))}});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    if (!id.ok()) return {};
    ids.push_back(id.value());
  }
  Status s = ort.Run();
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::map<std::string, std::vector<Tensor>> parts;
  for (int id : ids) {
    auto outs = ort.Outputs(id);
    EXPECT_TRUE(outs.ok()) << outs.status().ToString();
    if (!outs.ok()) return {};
    for (auto& [name, t] : outs.value()) parts[name].push_back(t);
  }
  std::map<std::string, Tensor> r;
  for (auto& [name, p] : parts) r[name] = ConcatBatch(p).value();
  return r;
}

// One step of `q` at value v: the integer grid's scale, or fp16's spacing at |v|.
double Step(const Quantizer& q, float v) {
  if (q.dtype != QuantDType::kFloat16) return q.encodings[0].scale;
  int e;
  std::frexp(std::max(std::fabs(v), 6.1035156e-05f), &e);  // normal range; subnormal spacing below
  return std::ldexp(1.0, e - 11);
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
  std::vector<int> layers = sim.QuantizedLayers();
  ASSERT_FALSE(layers.empty());
  if (!c.flip.empty()) {
    std::vector<int> flipped(layers.begin(), layers.begin() + std::min<size_t>(3, layers.size()));
    FlipLayers(sim, flipped, ParseFlipTarget(c.flip).value());
    ASSERT_TRUE(CalibrateOnDataset(sim, *data.value(), split.calib, 8, true).ok());
  }
  const Graph& g = sim.graph();
  // Probes: the activation quantizers of the first quantized layer (its inputs are the
  // quantized graph input, identical in both runtimes).
  std::vector<const Quantizer*> probes;
  std::vector<int> fetch;
  std::vector<std::string> probe_names;
  bool fine = false;  // any 16-bit or fp16 quantizer
  for (const auto& q : sim.quantizers()) {
    if (!q.enabled || !q.has_encoding()) continue;
    fine |= q.dtype == QuantDType::kFloat16 || q.spec.bitwidth > 8;
    if (q.layer == layers[0] && q.role == QuantizerRole::kOutput) {
      probes.push_back(&q);
      fetch.push_back(q.value_id);
      probe_names.push_back(g.values[q.value_id].name);
    }
  }
  auto x = data.value()->LoadBatch(split.eval);
  ASSERT_TRUE(x.ok());
  std::unordered_map<int, Tensor> res;
  Status s = sim.Run(x.value(), &res, fetch);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const int out_id = g.outputs[0];
  const Tensor ours = ToPlain(res[out_id]);
  const std::string out_name = g.values[out_id].name;

  std::string dir = std::filesystem::temp_directory_path() / ("litemp_export_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = dir + "/" + c.model + ".qdq.onnx";
  s = ExportQdqModel(sim, *model.value(), path);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const int64_t n = x->dim(0);
  const int64_t classes = ours.numel() / n;

  // 1. Exact semantics, ORT optimizations disabled.
  auto exact = RunOrt(path, sim, x.value(), probe_names, "disabled");
  ASSERT_TRUE(exact.count(out_name)) << "ORT did not return " << out_name;
  for (size_t p = 0; p < probes.size(); ++p) {
    ASSERT_TRUE(exact.count(probe_names[p])) << probe_names[p];
    const Tensor a = ToPlain(res[probes[p]->value_id]);
    const Tensor& b = exact[probe_names[p]];
    ASSERT_EQ(a.shape(), b.shape()) << probe_names[p];
    // Allowed: one step of the grid, plus (for fp16, whose grid near zero is finer than
    // FP32's summation error) kSumNoise times the tensor's largest magnitude.
    double amax = 0;
    for (int64_t i = 0; i < a.numel(); ++i) amax = std::max(amax, std::fabs(double(a.data<float>()[i])));
    int64_t flips = 0;
    double worst = 0;  // in allowed units
    for (int64_t i = 0; i < a.numel(); ++i) {
      const float u = a.data<float>()[i], v = b.data<float>()[i];
      if (u == v) continue;
      ++flips;
      double allowed = Step(*probes[p], std::min(std::fabs(u), std::fabs(v))) * 1.01 + kSumNoise * amax;
      worst = std::max(worst, std::fabs(double(u) - v) / allowed);
    }
    std::printf("%s flip=%s: first layer '%s': %lld/%lld elements differ, worst %.2f of allowed\n", c.model.c_str(),
                c.flip.c_str(), probe_names[p].c_str(), (long long)flips, (long long)a.numel(), worst);
    EXPECT_LE(worst, 1.0) << probe_names[p] << ": a semantic mismatch, not a rounding-boundary flip";
    EXPECT_LE(flips, fine ? kFirstLayerFlipShare * a.numel() : 0) << probe_names[p];
  }
  const Tensor& theirs = exact[out_name];
  ASSERT_EQ(theirs.shape(), ours.shape());
  // One step of the output quantizer (or a tiny tolerance when the output is not quantized).
  double step = 1e-5;
  for (const auto& q : sim.quantizers())
    if (q.value_id == out_id && q.enabled && !q.encodings.empty()) step = q.encodings[0].scale;
  double max_diff = 0;
  int64_t off_grid = 0;
  for (int64_t i = 0; i < ours.numel(); ++i) {
    double d = std::fabs(double(ours.data<float>()[i]) - theirs.data<float>()[i]);
    max_diff = std::max(max_diff, d);
    off_grid += d > step * 0.5;
  }
  std::printf("%s flip=%s: ORT disabled: output max diff %.3g (%.2f steps), %lld/%lld elements differ\n",
              c.model.c_str(), c.flip.c_str(), max_diff, max_diff / step, (long long)off_grid,
              (long long)ours.numel());
  EXPECT_LE(max_diff, step * (c.output_steps + 1e-4)) << c.model << " flip=" << c.flip;
  for (int64_t i = 0; i < n; ++i)
    EXPECT_EQ(ArgMax(ours.data<float>() + i * classes, classes), ArgMax(theirs.data<float>() + i * classes, classes))
        << c.model << " sample " << i;

  // 2. ORT's default optimizations (integer kernels): the same decisions.
  const char* fused_opt = std::getenv("LITEMP_EXPORT_FUSED_OPT");  // diagnosis only
  auto fused = RunOrt(path, sim, x.value(), {}, fused_opt ? fused_opt : "all");
  ASSERT_TRUE(fused.count(out_name));
  const Tensor& f = fused[out_name];
  int64_t agree = 0;
  double fmax = 0;
  for (int64_t i = 0; i < ours.numel(); ++i)
    fmax = std::max(fmax, std::fabs(double(ours.data<float>()[i]) - f.data<float>()[i]));
  for (int64_t i = 0; i < n; ++i)
    agree += ArgMax(ours.data<float>() + i * classes, classes) == ArgMax(f.data<float>() + i * classes, classes);
  std::printf("%s flip=%s: ORT all: top-1 agrees on %lld/%lld, output max diff %.2f steps\n", c.model.c_str(),
              c.flip.c_str(), (long long)agree, (long long)n, fmax / step);
  if (c.fused_known_issue.empty()) {
    EXPECT_GE(agree, n - 1) << c.model << " flip=" << c.flip;
  } else {
    std::printf("KNOWN ISSUE (not asserted): %s\n", c.fused_known_issue.c_str());
  }
  // 3. litemp runs its own export (com.microsoft 16-bit Q/DQ, split-off biases included) with
  // the simulation's kernels: all-8-bit models within one output step; where layers were
  // exported as Conv + Add(bias), the separate bias add rounds differently from oneDNN's fused
  // bias and moves fine-grid ties as with ORT above; through MobileNetV2's depth that grew to
  // 12 output steps (measured), so twice the ORT tolerance, and identical top-1.
  auto qdq = Model::Load(path);
  ASSERT_TRUE(qdq.ok()) << qdq.status().ToString();
  // Shape inference passes through the (com.microsoft) Q/DQ: the same static FLOPs.
  EXPECT_NEAR(ComputeStats(qdq.value()->graph()).flops, ComputeStats(model.value()->graph()).flops, 1.0);
  EXPECT_GT(ComputeStats(qdq.value()->graph()).flops, 0.0);
  auto exec = Executor::Create(qdq.value()->graph());
  ASSERT_TRUE(exec.ok()) << exec.status().ToString();
  auto in = DescribeInput(qdq.value()->graph());
  ASSERT_TRUE(in.ok());
  std::unordered_map<int, Tensor> mine;
  s = RunBatch(*exec.value(), in.value(), x.value(), RunOptions{}, &mine);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const Tensor self = ToPlain(mine[qdq.value()->graph().outputs[0]]);
  ASSERT_EQ(self.shape(), ours.shape());
  double self_max = 0;
  for (int64_t i = 0; i < ours.numel(); ++i)
    self_max = std::max(self_max, std::fabs(double(ours.data<float>()[i]) - self.data<float>()[i]));
  std::printf("%s flip=%s: litemp on its own export: output max diff %.2f steps\n", c.model.c_str(), c.flip.c_str(),
              self_max / step);
  const double self_steps = c.output_steps > 1 ? 2 * c.output_steps : 1;
  EXPECT_LE(self_max, step * (self_steps + 1e-4)) << c.model << " flip=" << c.flip;
  for (int64_t i = 0; i < n; ++i)
    EXPECT_EQ(ArgMax(ours.data<float>() + i * classes, classes), ArgMax(self.data<float>() + i * classes, classes))
        << c.model << " sample " << i << " (litemp on its export)";
  if (!std::getenv("LITEMP_EXPORT_KEEP")) std::filesystem::remove_all(dir);  // keep to inspect
}

// An 8-bit Conv with a near-dead output channel: its tiny weight scale makes ORT's own int32
// bias (bias / (input_scale * weight_scale)) overflow, so the export splits the bias into an
// Add; ORT at every optimization level must still agree with the simulation.
TEST(QdqExport, DeadChannelBiasSurvivesOrtOptimizations) {
  if (!test::OrtUnavailableReason().empty()) GTEST_SKIP() << test::OrtUnavailableReason();
  Tensor w = test::RandomTensor({4, 3, 3, 3}, 11);
  for (int i = 0; i < 27; ++i) w.data<float>()[2 * 27 + i] = 1e-9f;  // channel 2 all but dead
  auto built = test::ModelBuilder(13)
                   .Input("x", {-1, 3, 8, 8})
                   .Output("y", {-1, 4, 8, 8})
                   .Initializer("w", w)
                   .Initializer("b", Tensor::FromVector<float>({0.5f, -0.25f, 40.f, 1.f}))
                   .Node("Conv", "conv", {"x", "w", "b"}, {"y"}, {test::IntsAttr("pads", {1, 1, 1, 1})})
                   .Build();
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const Model& model = *built.value();
  auto sim_or = QuantSim::Create(model, QuantSimOptions{});
  ASSERT_TRUE(sim_or.ok()) << sim_or.status().ToString();
  QuantSim& sim = *sim_or.value();
  const Tensor x = test::RandomTensor({2, 3, 8, 8}, 12, -1e-4f, 1e-4f);  // tiny input scale too
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(sim.ComputeEncodings([&](const RunOptions& o) { return RunBatch(sim.executor(), sim.input(), x, o, &res); }).ok());
  res.clear();
  ASSERT_TRUE(sim.Run(x, &res).ok());
  const Tensor ours = ToPlain(res[sim.graph().outputs[0]]);

  const std::string dir = std::filesystem::temp_directory_path() / ("litemp_dead_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/dead.qdq.onnx";
  ASSERT_TRUE(ExportQdqModel(sim, model, path).ok());
  onnx::ModelProto exported;
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(exported.ParseFromIstream(&in));
  bool split = false;
  for (const auto& n : exported.graph().node()) {
    if (n.op_type() == "Conv") {
      EXPECT_EQ(n.input_size(), 2) << "the bias should have moved to an Add";
    }
    split |= n.op_type() == "Add";
  }
  EXPECT_TRUE(split);
  const Quantizer* out_q = nullptr;
  for (const auto& q : sim.quantizers())
    if (q.enabled && q.role == QuantizerRole::kOutput && q.value_id == sim.graph().outputs[0]) out_q = &q;
  ASSERT_NE(out_q, nullptr);
  for (const char* opt : {"disabled", "all"}) {
    auto theirs = RunOrt(path, sim, x, {}, opt);
    ASSERT_TRUE(theirs.count("y")) << opt;
    double worst = 0;
    for (int64_t i = 0; i < ours.numel(); ++i)
      worst = std::max(worst, std::fabs(double(ours.data<float>()[i]) - theirs["y"].data<float>()[i]));
    EXPECT_LE(worst, out_q->encodings[0].scale * 1.0001) << "ORT " << opt;
  }
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
