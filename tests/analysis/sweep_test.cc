// The sensitivity sweep on a tiny hand-built model: fast vs naive, chunking, fixed batches,
// ordering, flag restoration and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

#include "sweep_helpers.h"
#include "testutil/model_builder.h"

namespace litemp {
namespace {

using test::CalibratedSim;
using test::ExpectSameSweep;
using test::ExpectSortedStable;
using test::Flags;
using test::Opts;
using test::Sweep;

std::vector<Tensor> SimOutputs(QuantSim& sim, const Tensor& x) {
  std::unordered_map<int, Tensor> res;
  Status s = sim.Run(x, &res);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::vector<Tensor> out;
  for (int o : sim.graph().outputs) out.push_back(res[o]);
  return out;
}

class TinySweep : public ::testing::Test {
 protected:
  void Build(int64_t fixed_batch) {
    model_ = test::TinyModel(fixed_batch);
    ASSERT_TRUE(model_);
    Tensor calib = test::RandomTensor({fixed_batch > 0 ? fixed_batch * 4 : 16, 4}, 1, -2, 2);
    samples_ = test::RandomTensor({5, 4}, 2, -2, 2);
    sim_ = CalibratedSim(*model_, calib, /*enable_all=*/true);
    ASSERT_TRUE(sim_);
  }
  void SetUp() override { Build(0); }
  int Node(const std::string& name) const { return model_->graph().FindNode(name); }

  std::unique_ptr<Model> model_;
  std::unique_ptr<QuantSim> sim_;
  Tensor samples_;
};

TEST_F(TinySweep, TheModelExercisesSharedInputs) {
  // The point of the tiny model: A owns the quantizers of x and c, and B reads both without
  // being downstream of A, so recomputing only A's downstream would be wrong.
  const Graph& g = model_->graph();
  std::set<std::string> owned;
  for (int qi : sim_->layer_quantizers(Node("A"))) owned.insert(g.values[sim_->quantizers()[qi].value_id].name);
  EXPECT_EQ(owned, (std::set<std::string>{"x", "c", "a"}));
  std::vector<int> down = g.Downstream({Node("A")});
  EXPECT_EQ(std::count(down.begin(), down.end(), Node("B")), 0);
  EXPECT_EQ(sim_->QuantizedLayers(), (std::vector<int>{Node("A"), Node("B"), Node("C"), Node("D")}));
}

TEST_F(TinySweep, FastEqualsNaive) {
  auto naive = Sweep(*sim_, samples_, Opts(true));
  SensitivityStats stats;
  auto fast = Sweep(*sim_, samples_, Opts(false, size_t{2} << 30, &stats));
  ASSERT_EQ(naive.size(), 4u);
  ExpectSameSweep(fast, naive, 1e-9);
  ExpectSortedStable(fast, *sim_);
  ExpectSortedStable(naive, *sim_);
  EXPECT_EQ(stats.chunks, 1);
  EXPECT_EQ(stats.layers, 4);
  EXPECT_GT(stats.cache_bytes, 0u);
  // Really quantized: finite, below the ceiling.
  for (const auto& l : fast) {
    EXPECT_GT(l.psnr, 10) << l.name;
    EXPECT_LT(l.psnr, 100) << l.name;
  }
}

TEST_F(TinySweep, LayerScoreIsPsnrOfThatLayerAlone) {
  // Hand-driven: only A's quantizers on, full simulation, min PSNR over y1 and y2.
  auto fp32_metric = PsnrMetric::Create(*sim_, samples_);
  ASSERT_TRUE(fp32_metric.ok());
  auto saved = Flags(*sim_);
  for (size_t i = 0; i < sim_->quantizers().size(); ++i)
    sim_->quantizers()[i].enabled = sim_->quantizers()[i].layer == Node("A");
  std::vector<Tensor> out = SimOutputs(*sim_, samples_);
  for (size_t i = 0; i < saved.size(); ++i) sim_->quantizers()[i].enabled = saved[i];
  double y1 = Psnr(fp32_metric->fp32_outputs()[0], out[0]).value();
  double y2 = Psnr(fp32_metric->fp32_outputs()[1], out[1]).value();
  auto fast = test::ByLayer(Sweep(*sim_, samples_, Opts(false)));
  EXPECT_NEAR(fast[Node("A")], std::min(y1, y2), 1e-9);
  EXPECT_NE(y1, y2);
}

TEST_F(TinySweep, ChunkingGivesTheSamePsnrs) {
  auto whole = Sweep(*sim_, samples_, Opts(false));
  SensitivityStats stats;
  auto chunked = Sweep(*sim_, samples_, Opts(false, /*budget=*/1, &stats));
  EXPECT_EQ(stats.chunks, 5);
  EXPECT_EQ(stats.chunk_samples, 1);
  ExpectSameSweep(chunked, whole, 1e-6);
  // A budget of two samples' worth: chunks of 2, 2, 1.
  auto two = Sweep(*sim_, samples_, Opts(false, 2 * stats.cache_bytes_per_sample, &stats));
  EXPECT_EQ(stats.chunks, 3);
  EXPECT_EQ(stats.chunk_samples, 2);
  ExpectSameSweep(two, whole, 1e-6);
  // All cached at once, run two samples at a time.
  SensitivityOptions o = Opts(false, size_t{2} << 30, &stats);
  o.run_bytes = 2 * stats.cache_bytes_per_sample;
  auto runs = Sweep(*sim_, samples_, o);
  EXPECT_EQ(stats.chunks, 1);
  EXPECT_EQ(stats.run_samples, 2);
  ExpectSameSweep(runs, whole, 1e-6);
}

TEST_F(TinySweep, FixedBatchPadsTheLastChunk) {
  Build(2);  // K = 5 runs as 2 + 2 + 1 (padded)
  EXPECT_EQ(sim_->input().fixed_batch, 2);
  auto naive = Sweep(*sim_, samples_, Opts(true));
  SensitivityStats stats;
  auto fast = Sweep(*sim_, samples_, Opts(false, size_t{2} << 30, &stats));
  ASSERT_EQ(naive.size(), 4u);
  ExpectSameSweep(fast, naive, 1e-9);
  EXPECT_EQ(stats.chunks, 1);
  auto chunked = Sweep(*sim_, samples_, Opts(false, 1, &stats));
  EXPECT_EQ(stats.chunks, 3);
  EXPECT_EQ(stats.chunk_samples, 2);
  EXPECT_EQ(stats.run_samples, 2);  // always the fixed batch
  ExpectSameSweep(chunked, naive, 1e-6);
}

TEST_F(TinySweep, FlagsAndConstantsAreRestored) {
  // Disable D's only quantizer: D drops out of the sweep and must stay disabled.
  for (int qi : sim_->layer_quantizers(Node("D"))) sim_->quantizers()[qi].enabled = false;
  auto before = Flags(*sim_);
  std::vector<Tensor> out_before = SimOutputs(*sim_, samples_);
  for (bool naive : {false, true}) {
    auto r = Sweep(*sim_, samples_, Opts(naive));
    EXPECT_EQ(r.size(), 3u);
    for (const auto& l : r) EXPECT_NE(l.name, "D");
    EXPECT_EQ(Flags(*sim_), before);
    // The executor's constants are synced back: a run after the sweep is unchanged, also
    // when driven through the executor directly.
    std::vector<Tensor> out_after = SimOutputs(*sim_, samples_);
    for (size_t i = 0; i < out_before.size(); ++i) EXPECT_TRUE(test::TensorsNear(out_after[i], out_before[i], 0, 0));
    std::unordered_map<int, Tensor> res;
    ASSERT_TRUE(RunBatch(sim_->executor(), sim_->input(), samples_, sim_->SimOptions(), &res).ok());
    EXPECT_TRUE(test::TensorsNear(res[sim_->graph().outputs[0]], out_before[0], 0, 0));
  }
}

TEST_F(TinySweep, FlagsAreRestoredOnError) {
  auto before = Flags(*sim_);
  int calls = 0;
  SimMetric failing = [&](QuantSim&) -> Result<double> {
    if (++calls == 2) return Status::Internal("boom");
    return 1.0;
  };
  auto r = AnalyzePerLayerSensitivity(*sim_, failing, Opts(false));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("layer 'B'"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("boom"), std::string::npos);
  EXPECT_EQ(Flags(*sim_), before);

  // The fast sweep failing on NaN samples (NaN in the FP32 outputs is an error).
  Tensor bad = samples_.Clone();
  bad.data<float>()[3] = std::numeric_limits<float>::quiet_NaN();
  for (bool naive : {false, true}) {
    auto f = AnalyzePerLayerSensitivity(*sim_, bad, Opts(naive));
    ASSERT_FALSE(f.ok());
    EXPECT_NE(f.status().message().find("NaN"), std::string::npos) << f.status().message();
    EXPECT_EQ(Flags(*sim_), before);
  }
}

TEST_F(TinySweep, OnlyTheLayersOwnEnabledQuantizersAreOn) {
  // Turn off x's quantizer beforehand: A's run must not turn it on.
  const Graph& g = model_->graph();
  int xq = -1;
  for (size_t i = 0; i < sim_->quantizers().size(); ++i)
    if (g.values[sim_->quantizers()[i].value_id].name == "x") xq = static_cast<int>(i);
  ASSERT_GE(xq, 0);
  sim_->quantizers()[xq].enabled = false;
  auto before = Flags(*sim_);
  std::vector<std::set<int>> seen;
  SimMetric record = [&](QuantSim& s) -> Result<double> {
    std::set<int> on;
    for (size_t i = 0; i < s.quantizers().size(); ++i)
      if (s.quantizers()[i].enabled) on.insert(static_cast<int>(i));
    seen.push_back(on);
    return 0.0;
  };
  ASSERT_TRUE(AnalyzePerLayerSensitivity(*sim_, record, Opts(true)).ok());
  std::vector<int> layers = sim_->QuantizedLayers();
  ASSERT_EQ(seen.size(), layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    std::set<int> want;
    for (int qi : sim_->layer_quantizers(layers[i]))
      if (before[qi]) want.insert(qi);
    EXPECT_EQ(seen[i], want) << g.nodes[layers[i]].name;
    EXPECT_FALSE(seen[i].count(xq));
  }
}

TEST_F(TinySweep, TiesKeepTopologicalOrder) {
  std::vector<int> layers = sim_->QuantizedLayers();
  SimMetric constant = [](QuantSim&) -> Result<double> { return 42.0; };
  auto r = AnalyzePerLayerSensitivity(*sim_, constant, Opts(true));
  ASSERT_TRUE(r.ok());
  std::vector<int> got;
  for (const auto& l : r.value()) got.push_back(l.layer);
  EXPECT_EQ(got, layers);
  // Score = number of quantizers on: A (3) sorts last; B, C, D (1 each) keep their order.
  SimMetric count = [](QuantSim& s) -> Result<double> {
    double n = 0;
    for (const auto& q : s.quantizers()) n += q.enabled;
    return n;
  };
  r = AnalyzePerLayerSensitivity(*sim_, count, Opts(true));
  ASSERT_TRUE(r.ok());
  got.clear();
  for (const auto& l : r.value()) got.push_back(l.layer);
  EXPECT_EQ(got, (std::vector<int>{Node("B"), Node("C"), Node("D"), Node("A")}));
  EXPECT_EQ(r.value().back().psnr, 3.0);
}

TEST_F(TinySweep, UncalibratedSimIsRejected) {
  auto sim = QuantSim::Create(*model_, QuantSimOptions{});
  ASSERT_TRUE(sim.ok());
  auto before = Flags(*sim.value());
  for (bool naive : {false, true}) {
    auto r = AnalyzePerLayerSensitivity(*sim.value(), samples_, Opts(naive));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("ComputeEncodings"), std::string::npos) << r.status().message();
    EXPECT_EQ(Flags(*sim.value()), before);
  }
}

TEST_F(TinySweep, BadSamplesAreRejected) {
  EXPECT_FALSE(AnalyzePerLayerSensitivity(*sim_, test::RandomTensor({5, 3}, 1), Opts(false)).ok());
  EXPECT_FALSE(AnalyzePerLayerSensitivity(*sim_, Tensor(), Opts(false)).ok());
  EXPECT_FALSE(AnalyzePerLayerSensitivity(*sim_, Tensor(DType::kFloat32, {0, 4}), Opts(false)).ok());
  EXPECT_FALSE(PsnrMetric::Create(*sim_, Tensor()).ok());
}

TEST_F(TinySweep, PsnrMetricCachesFp32) {
  auto before = Flags(*sim_);
  auto m = PsnrMetric::Create(*sim_, samples_);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(Flags(*sim_), before);
  // FP32 reference = the plain model.
  auto exec = Executor::Create(model_->graph());
  ASSERT_TRUE(exec.ok());
  std::vector<Tensor> fp32;
  ASSERT_TRUE(exec.value()->Run({{"x", samples_}}, &fp32).ok());
  ASSERT_EQ(m->fp32_outputs().size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(test::TensorsNear(m->fp32_outputs()[i], fp32[i], 0, 0));
  // Scores the whole W8A8 simulation.
  std::vector<Tensor> sim_out = SimOutputs(*sim_, samples_);
  auto score = m->Score(*sim_);
  ASSERT_TRUE(score.ok());
  EXPECT_DOUBLE_EQ(score.value(), Psnr(fp32, sim_out).value());
  EXPECT_LT(score.value(), 100);
  auto fn = MakePsnrEvalFn(*sim_, samples_);
  ASSERT_TRUE(fn.ok());
  EXPECT_DOUBLE_EQ(fn.value()(*sim_).value(), score.value());
}

}  // namespace
}  // namespace litemp

namespace litemp {
namespace {

class TinySweepOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = test::TinyModel(0);
    ASSERT_TRUE(model_);
    samples_ = test::RandomTensor({5, 4}, 2, -2, 2);
    sim_ = test::CalibratedSim(*model_, test::RandomTensor({16, 4}, 1, -2, 2), /*enable_all=*/true);
    ASSERT_TRUE(sim_);
  }
  int Node(const std::string& name) const { return model_->graph().FindNode(name); }
  std::unique_ptr<Model> model_;
  std::unique_ptr<QuantSim> sim_;
  Tensor samples_;
};

TEST_F(TinySweepOutput, OneOutputScoresOnlyItsLayersAndOnlyIt) {
  // y2 = Sigmoid(B(x, c)): only B and D feed it; C's PSNR would come from y1.
  SensitivityOptions fast = test::Opts(false), naive = test::Opts(true);
  fast.output = naive.output = "y2";
  auto f = test::ByLayer(test::Sweep(*sim_, samples_, fast));
  auto n = test::ByLayer(test::Sweep(*sim_, samples_, naive));
  ASSERT_EQ(f.size(), 2u);
  ASSERT_TRUE(f.count(Node("B")) && f.count(Node("D")));
  EXPECT_EQ(n.size(), 2u);
  for (const auto& [layer, p] : f) EXPECT_NEAR(p, n[layer], 1e-9) << layer;

  // B alone, scored on y2 only: the hand-driven PSNR of y2.
  auto fp32 = PsnrMetric::Create(*sim_, samples_);
  ASSERT_TRUE(fp32.ok());
  auto saved = test::Flags(*sim_);
  for (size_t i = 0; i < sim_->quantizers().size(); ++i)
    sim_->quantizers()[i].enabled = saved[i] && sim_->quantizers()[i].layer == Node("B");
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(sim_->Run(samples_, &res).ok());
  for (size_t i = 0; i < saved.size(); ++i) sim_->quantizers()[i].enabled = saved[i];
  const double y2 = Psnr(fp32->fp32_outputs()[1], res[sim_->graph().outputs[1]]).value();
  EXPECT_NEAR(f[Node("B")], y2, 1e-9);
}

TEST_F(TinySweepOutput, UnknownOutputIsNamed) {
  SensitivityOptions o = test::Opts(false);
  o.output = "nope";
  auto r = AnalyzePerLayerSensitivity(*sim_, samples_, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("'nope'"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().ToString().find("'y1'"), std::string::npos) << r.status().ToString();
  o.naive = true;
  EXPECT_FALSE(AnalyzePerLayerSensitivity(*sim_, samples_, o).ok());
  EXPECT_FALSE(PsnrMetric::Create(*sim_, samples_, "nope").ok());
}

// x [n,8] -> MatMul -> a -> Relu -> r -> MatMul -> bb -> Clip -> k1 -> Clip -> k2 -> MatMul
// -> y [n,4]; s = Add(r, x). Outputs y, k1 and s. The runs that would read k2 compute it
// again from bb (which the first Clip's layer reads anyway), so k2 is not cached. r is: the
// Add reads it too and is not downstream of the second MatMul, whose runs therefore cannot
// start at the Relu. k1 is, as a graph output. Every score as the naive sweep's, bit for bit.
TEST(SweepCache, RecomputesClipOutputsOnlyWhereNothingElseReadsThem) {
  test::ModelBuilder b;
  b.Input("x", {-1, 8}).Output("y", {-1, 4}).Output("k1", {-1, 8}).Output("s", {-1, 8});
  b.Initializer("w1", test::RandomTensor({8, 8}, 11)).Initializer("w2", test::RandomTensor({8, 8}, 12));
  b.Initializer("w3", test::RandomTensor({8, 4}, 13));
  b.Initializer("lo1", Tensor::FromVector<float>({0.f}, {})).Initializer("hi1", Tensor::FromVector<float>({1.5f}, {}));
  b.Initializer("lo2", Tensor::FromVector<float>({0.25f}, {})).Initializer("hi2", Tensor::FromVector<float>({1.f}, {}));
  b.Node("MatMul", "m1", {"x", "w1"}, {"a"}).Node("Relu", "relu", {"a"}, {"r"});
  b.Node("MatMul", "m2", {"r", "w2"}, {"bb"}).Node("Add", "add", {"r", "x"}, {"s"});
  b.Node("Clip", "clip1", {"bb", "lo1", "hi1"}, {"k1"}).Node("Clip", "clip2", {"k1", "lo2", "hi2"}, {"k2"});
  b.Node("MatMul", "m3", {"k2", "w3"}, {"y"});
  auto model = b.Build();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto sim = CalibratedSim(*model.value(), test::RandomTensor({16, 8}, 14, -2, 2), /*enable_all=*/true);
  ASSERT_TRUE(sim);
  const Tensor samples = test::RandomTensor({6, 8}, 15, -2, 2);
  SensitivityStats stats;
  auto fast = Sweep(*sim, samples, Opts(false, size_t{2} << 30, &stats));
  auto naive = Sweep(*sim, samples, Opts(true));
  ASSERT_EQ(fast.size(), naive.size());
  ExpectSameSweep(fast, naive, 0);  // all samples at once: bit for bit
  EXPECT_EQ(stats.chunks, 1);
  // Cached per sample: x, a, r, bb, k1, s (8 floats each) and y (4); not k2.
  EXPECT_EQ(stats.cache_bytes_per_sample, (6 * 8 + 4) * sizeof(float));
}

}  // namespace
}  // namespace litemp
