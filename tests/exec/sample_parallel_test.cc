// Sample-parallel runs (include/litemp/sample_parallel.h): which graphs keep samples apart,
// and that splitting a batch over threads gives RunBatch's bits, FP32 and simulated.
#include "litemp/sample_parallel.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "core/parallel.h"
#include "litemp/quantsim.h"
#include "testutil/generated_models.h"
#include "testutil/kernel_runner.h"
#include "testutil/model_builder.h"

namespace litemp {
namespace {

using test::IntAttr;
using test::IntsAttr;
using test::ModelBuilder;

std::unique_ptr<Model> Build(const ModelBuilder& b) {
  auto m = b.Build();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m).value() : nullptr;
}

// x [N,4] -> op -> y [N,4]: one node in front of a Relu.
std::unique_ptr<Model> OneNode(const std::string& op, std::vector<onnx::AttributeProto> attrs,
                               std::vector<int64_t> x_dims = {-1, 4}) {
  ModelBuilder b(13);
  b.Input("x", x_dims).Output("y", {-1, 4}).Node(op, "mix", {"x"}, {"m"}, std::move(attrs)).Node("Relu", "relu", {"m"}, {"y"});
  return Build(b);
}

TEST(SamplesIndependent, GeneratedModels) {
  auto conv = Build(test::EncoderDecoder());
  EXPECT_TRUE(CheckSamplesIndependent(conv->graph()).ok()) << CheckSamplesIndependent(conv->graph()).ToString();
  // MatMul and Gemm keep samples apart but round by batch size (see SampleParallelRunner's
  // test below, which fails with them allowed).
  Status t = CheckSamplesIndependent(Build(test::TransformerBlock())->graph());
  EXPECT_NE(t.message().find("(MatMul)"), std::string::npos) << t.ToString();
  Status d = CheckSamplesIndependent(Build(test::DetectorHead())->graph());
  EXPECT_NE(d.message().find("(Gemm)"), std::string::npos) << d.ToString();
}

TEST(SamplesIndependent, NodesThatMixSamplesAreNamed) {
  // Softmax over the batch axis, a batch mean, a transpose moving the batch, a Shape.
  auto softmax = OneNode("Softmax", {IntAttr("axis", 0)});
  Status s = CheckSamplesIndependent(softmax->graph());
  EXPECT_EQ(s.code(), Status::Code::kNotSupported);
  EXPECT_NE(s.message().find("'mix' (Softmax)"), std::string::npos) << s.ToString();
  auto mean = OneNode("ReduceMean", {IntsAttr("axes", {0}), IntAttr("keepdims", 1)});
  EXPECT_FALSE(CheckSamplesIndependent(mean->graph()).ok());
  auto transpose = OneNode("Transpose", {IntsAttr("perm", {1, 0})});
  EXPECT_FALSE(CheckSamplesIndependent(transpose->graph()).ok());
  // The same ops on other axes are fine.
  EXPECT_TRUE(CheckSamplesIndependent(OneNode("Softmax", {IntAttr("axis", 1)})->graph()).ok());
  EXPECT_TRUE(CheckSamplesIndependent(OneNode("ReduceMean", {IntsAttr("axes", {-1}), IntAttr("keepdims", 1)})->graph()).ok());
  // An op not on the list counts as mixing.
  ModelBuilder b(13);
  b.Input("x", {-1, 4}).Output("y", {-1, 4}).Node("Shape", "shape", {"x"}, {"s"}).Node("Reshape", "r", {"x", "s"}, {"y"});
  auto shape = Build(b);
  EXPECT_NE(CheckSamplesIndependent(shape->graph()).message().find("'shape' (Shape)"), std::string::npos);
}

TEST(SamplesIndependent, SlicesThatWouldChangeValuesAreRefused) {
  // MaxPool's Indices number the sample in; Flatten past axis 1 folds dims into dim 0; a
  // Resize whose coordinates reach the next sample.
  ModelBuilder pool(13);
  pool.Input("x", {-1, 2, 4, 4}).Output("y", {-1, 2, 2, 2}).Output("i", {-1, 2, 2, 2}, onnx::TensorProto::INT64)
      .Node("MaxPool", "pool", {"x"}, {"y", "i"}, {IntsAttr("kernel_shape", {2, 2}), IntsAttr("strides", {2, 2})});
  EXPECT_NE(CheckSamplesIndependent(Build(pool)->graph()).message().find("'pool'"), std::string::npos);
  ModelBuilder flat(13);
  flat.Input("x", {-1, 2, 3}).Output("y", {-1, 3}).Node("Flatten", "flat", {"x"}, {"y"}, {IntAttr("axis", 2)});
  EXPECT_FALSE(CheckSamplesIndependent(Build(flat)->graph()).ok());
  for (const char* mode : {"tf_half_pixel_for_nn", "half_pixel"}) {
    onnx::AttributeProto m;
    m.set_name("coordinate_transformation_mode");
    m.set_type(onnx::AttributeProto::STRING);
    m.set_s(mode);
    ModelBuilder rs(13);
    rs.Input("x", {-1, 1, 2, 2}).Output("y", {-1, 1, 4, 4})
        .Initializer("scales", Tensor::FromVector<float>({1, 1, 2, 2}))
        .Node("Resize", "resize", {"x", "", "scales"}, {"y"}, {m});
    EXPECT_EQ(CheckSamplesIndependent(Build(rs)->graph()).ok(), std::string(mode) == "half_pixel") << mode;
  }
}

TEST(SamplesIndependent, BroadcastOperandsMustNotMoveTheSampleAxis) {
  // x [N,4] + c [2,1,4] broadcasts to [2,N,4]: the sample axis moves.
  ModelBuilder b(13);
  b.Input("x", {-1, 4}).Output("y", {2, -1, 4}).Initializer("c", test::RandomTensor({2, 1, 4}, 3)).Node("Add", "add", {"x", "c"}, {"y"});
  auto m = Build(b);
  EXPECT_FALSE(CheckSamplesIndependent(m->graph()).ok());
  ModelBuilder ok(13);
  ok.Input("x", {-1, 4}).Output("y", {-1, 4}).Initializer("c", test::RandomTensor({1, 4}, 3)).Node("Add", "add", {"x", "c"}, {"y"});
  EXPECT_TRUE(CheckSamplesIndependent(Build(ok)->graph()).ok());
}

void ExpectSameBits(const std::unordered_map<int, Tensor>& a, const std::unordered_map<int, Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [id, t] : a) {
    auto it = b.find(id);
    ASSERT_NE(it, b.end());
    Tensor x = ToPlain(t), y = ToPlain(it->second);
    ASSERT_EQ(x.shape(), y.shape());
    ASSERT_EQ(x.nbytes(), y.nbytes());
    EXPECT_EQ(std::memcmp(x.raw_data(), y.raw_data(), x.nbytes()), 0) << "value " << id;
  }
}

Batch RandomBatch(const ModelInputs& in, int64_t n, uint32_t seed) {
  Batch x;
  for (const ModelInput& mi : in) {
    Shape s = mi.shape;
    s[0] = n;
    for (auto& d : s)
      if (d < 0) d = 1;
    x.push_back(test::RandomTensor(s, seed++));
  }
  return x;
}

// FP32 and a calibrated W8A8 simulation: split runs equal whole-batch runs, bit for bit.
void CheckSplitMatchesWhole(const Model& model, int64_t n, bool expect_tail = false) {
  SetNumThreads(2);
  auto in = DescribeInputs(model.graph());
  ASSERT_TRUE(in.ok());
  const Batch x = RandomBatch(*in, n, 7);
  auto exec = Executor::Create(model.graph());
  ASSERT_TRUE(exec.ok());
  std::unordered_map<int, Tensor> whole, split;
  ASSERT_TRUE(RunBatch(**exec, *in, x, RunOptions{}, &whole).ok());
  SampleParallelRunner runner(**exec, *in, SampleParallelRunner::Policy::kAlways);
  EXPECT_EQ(runner.splits(n), CheckSamplesIndependent(model.graph()).ok());
  ASSERT_TRUE(runner.Run(x, RunOptions{}, &split).ok());
  EXPECT_EQ(runner.tail_runs(), expect_tail ? 1 : 0);
  {
    SCOPED_TRACE("fp32");
    ExpectSameBits(whole, split);
  }

  auto sim = QuantSim::Create(model, QuantSimOptions{});
  ASSERT_TRUE(sim.ok());
  QuantSim& s = **sim;
  std::unordered_map<int, Tensor> res;
  ASSERT_TRUE(s.ComputeEncodings([&](const RunOptions& o) { return RunBatch(s.executor(), *in, x, o, &res); }).ok());
  ASSERT_TRUE(s.SyncConstants().ok());
  ASSERT_TRUE(RunBatch(s.executor(), *in, x, s.SimOptions(), &whole).ok());
  SampleParallelRunner sim_runner(s.executor(), *in, SampleParallelRunner::Policy::kAlways);
  ASSERT_TRUE(sim_runner.Run(x, s.SimOptions(), &split).ok());
  EXPECT_EQ(sim_runner.tail_runs(), expect_tail ? 1 : 0);
  {
    SCOPED_TRACE("w8a8");
    ExpectSameBits(whole, split);
  }
  // Calibration with min_max observes samples apart, from both threads: the same encodings.
  ASSERT_TRUE(s.ObservationSplits());
  auto sim2 = QuantSim::Create(model, QuantSimOptions{});
  ASSERT_TRUE(sim2.ok());
  QuantSim& s2 = **sim2;
  SampleParallelRunner calib_runner(s2.executor(), *in, SampleParallelRunner::Policy::kAlways);
  ASSERT_TRUE(s2.ComputeEncodings([&](const RunOptions& o) { return calib_runner.Run(x, o, &res); }).ok());
  ASSERT_EQ(s.quantizers().size(), s2.quantizers().size());
  for (size_t q = 0; q < s.quantizers().size(); ++q) {
    const auto &a = s.quantizers()[q].encodings, &b = s2.quantizers()[q].encodings;
    ASSERT_EQ(a.size(), b.size()) << "quantizer " << q;
    for (size_t c = 0; c < a.size(); ++c) {
      EXPECT_EQ(a[c].min, b[c].min) << "quantizer " << q;
      EXPECT_EQ(a[c].max, b[c].max) << "quantizer " << q;
      EXPECT_EQ(a[c].scale, b[c].scale) << "quantizer " << q;
      EXPECT_EQ(a[c].offset, b[c].offset) << "quantizer " << q;
    }
  }
  // A quantizer change after the first split run reaches the copies (re-quantized weights).
  for (Quantizer& q : s.quantizers())
    if (q.role == QuantizerRole::kParam) q.enabled = false;
  ASSERT_TRUE(s.SyncConstants().ok());
  ASSERT_TRUE(RunBatch(s.executor(), *in, x, s.SimOptions(), &whole).ok());
  ASSERT_TRUE(sim_runner.Run(x, s.SimOptions(), &split).ok());
  ExpectSameBits(whole, split);
}

// Models it cannot split (MatMul, Gemm) are run whole: the same bits too.
TEST(SampleParallelRunner, GeneratedModelsGiveRunBatchBits) {
  const char* names[] = {"EncoderDecoder", "TransformerBlock", "DetectorHead"};
  int i = 0;
  for (auto make : {test::EncoderDecoder, test::TransformerBlock, test::DetectorHead}) {
    SCOPED_TRACE(names[i++]);
    auto m = Build(make());
    ASSERT_TRUE(m);
    CheckSplitMatchesWhole(*m, 5);
  }
}

// MobileNetV2 also batches its tail (the last two stages and the classifier): the same
// bits.
TEST(SampleParallelRunner, MobileNetV2GivesRunBatchBits) {
  LITEMP_REQUIRE_SHARED();
  auto m = Model::Load(test::SharedDir() + "/models/mobilenet_v2.onnx");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  CheckSplitMatchesWhole(**m, 4, /*expect_tail=*/true);
}

// The tail starts where one value crosses to nodes whose weights outweigh their
// activations, after which every graph output comes; small models have none.
TEST(BatchedTail, MobileNetV2EndsWithItsWeightHeavyLayers) {
  LITEMP_REQUIRE_SHARED();
  auto m = Model::Load(test::SharedDir() + "/models/mobilenet_v2.onnx");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Graph& g = (*m)->graph();
  const BatchedTail t = PlanBatchedTail(g);
  ASSERT_GT(t.start, 0);
  ASSERT_GE(t.frontier, 0);
  EXPECT_LT(g.values[t.frontier].producer, t.start);
  for (int c : g.values[t.frontier].consumers) EXPECT_GE(c, t.start);
  for (int o : g.outputs) EXPECT_GE(g.values[o].producer, t.start);
  size_t tail_weights = 0, convs = 0;
  for (int i = t.start; i < static_cast<int>(g.nodes.size()); ++i) {
    // Nothing else crosses: the tail reads only the frontier, its own values and constants.
    for (int in : g.nodes[i].inputs)
      if (in >= 0 && !g.values[in].is_initializer) EXPECT_TRUE(in == t.frontier || g.values[in].producer >= t.start);
    if (g.nodes[i].op_type == "Conv") {
      ++convs;
      tail_weights += g.Constant(g.nodes[i].inputs[1])->nbytes();
    }
  }
  EXPECT_GE(tail_weights, size_t{1} << 20);
  // Blocks of the last stages and the classifier, not the whole network (53 convolutions).
  EXPECT_GE(convs, 3u);
  EXPECT_LE(convs, 20u);
  for (auto make : {test::EncoderDecoder, test::TransformerBlock, test::DetectorHead}) {
    auto small = Build(make());
    ASSERT_TRUE(small);
    EXPECT_EQ(PlanBatchedTail(small->graph()).start, -1);
  }
}

// Kept values from inside the tail make a split run take no tail; before it, they are kept
// per sample as without one. Either way the results and kept values are the whole run's.
TEST(SampleParallelRunner, KeptValuesAndTheBatchedTail) {
  LITEMP_REQUIRE_SHARED();
  auto m = Model::Load(test::SharedDir() + "/models/mobilenet_v2.onnx");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Graph& g = (*m)->graph();
  SetNumThreads(2);
  auto in = DescribeInputs(g);
  ASSERT_TRUE(in.ok());
  const Batch x = RandomBatch(*in, 4, 9);
  auto exec = Executor::Create(g);
  ASSERT_TRUE(exec.ok());
  SampleParallelRunner runner(**exec, *in, SampleParallelRunner::Policy::kAlways);
  const BatchedTail t = runner.batched_tail();
  ASSERT_GT(t.start, 0);
  const int before = g.nodes[t.start - 1].outputs[0], inside = g.nodes[t.start].outputs[0];
  std::unordered_map<int, Tensor> whole;
  ASSERT_TRUE(RunBatch(**exec, *in, x, RunOptions{}, &whole).ok());
  for (int from_value : {before, inside}) {
    SCOPED_TRACE(from_value == before ? "kept before the tail" : "kept inside the tail");
    // A run from the consumers of `from_value` on, reading what they read from before.
    std::vector<int> start;
    for (int c : g.values[from_value].consumers) start.push_back(c);
    SharedPrefix share;
    share.start_nodes = g.Downstream(start);
    std::vector<char> runs(g.nodes.size(), 0);
    for (int i : share.start_nodes) runs[i] = 1;
    for (int i : share.start_nodes)
      for (int v : g.nodes[i].inputs)
        if (v >= 0 && !g.values[v].is_initializer && (g.values[v].producer < 0 || !runs[g.values[v].producer]) &&
            std::find(share.frontier.begin(), share.frontier.end(), v) == share.frontier.end())
          share.frontier.push_back(v);
    share.shared_nodes = 1;
    std::unordered_map<int, Tensor> split;
    const int tail_runs = runner.tail_runs();
    ASSERT_TRUE(runner.Run(x, RunOptions{}, &split, share.frontier).ok());
    EXPECT_EQ(runner.tail_runs() - tail_runs, from_value == before ? 1 : 0);
    ASSERT_EQ(split.size(), g.outputs.size());
    for (int o : g.outputs) {
      Tensor a = ToPlain(whole.at(o)), b = ToPlain(split.at(o));
      ASSERT_EQ(a.nbytes(), b.nbytes());
      EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()), 0);
    }
    // The kept values feed the run from them: the graph outputs again, bit for bit.
    std::unordered_map<int, Tensor> from;
    SampleParallelRunner second(**exec, *in, SampleParallelRunner::Policy::kAlways);
    Status rs = second.RunFrom(runner, share, x, RunOptions{}, &from);
    ASSERT_TRUE(rs.ok()) << rs.ToString();
    for (int o : g.outputs) {
      Tensor a = ToPlain(whole.at(o)), b = ToPlain(from.at(o));
      EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()), 0);
    }
  }
}

TEST(SampleParallelRunner, HistogramCalibrationNeedsWholeBatches) {
  auto m = Build(test::EncoderDecoder());
  for (Scheme scheme : {Scheme::kTfEnhanced, Scheme::kPercentile}) {
    QuantSimOptions o;
    o.scheme = scheme;
    auto sim = QuantSim::Create(*m, o);
    ASSERT_TRUE(sim.ok());
    EXPECT_FALSE((*sim)->ObservationSplits());
  }
}

TEST(SampleParallelRunner, GraphsThatMixSamplesRunWhole) {
  auto m = OneNode("Softmax", {IntAttr("axis", 0)});
  auto in = DescribeInputs(m->graph());
  ASSERT_TRUE(in.ok());
  auto exec = Executor::Create(m->graph());
  ASSERT_TRUE(exec.ok());
  SetNumThreads(2);
  SampleParallelRunner runner(**exec, *in, SampleParallelRunner::Policy::kAlways);
  EXPECT_FALSE(runner.splits(8));
  const Batch x = RandomBatch(*in, 3, 1);
  std::unordered_map<int, Tensor> whole, got;
  ASSERT_TRUE(RunBatch(**exec, *in, x, RunOptions{}, &whole).ok());
  ASSERT_TRUE(runner.Run(x, RunOptions{}, &got).ok());
  ExpectSameBits(whole, got);
}

TEST(SampleParallelRunner, NeverAndOneThreadRunWhole) {
  auto m = Build(test::DetectorHead());
  auto in = DescribeInputs(m->graph());
  auto exec = Executor::Create(m->graph());
  ASSERT_TRUE(in.ok() && exec.ok());
  SetNumThreads(2);
  EXPECT_FALSE(SampleParallelRunner(**exec, *in, SampleParallelRunner::Policy::kNever).splits(8));
  SetNumThreads(1);
  EXPECT_FALSE(SampleParallelRunner(**exec, *in, SampleParallelRunner::Policy::kAlways).splits(8));
  SetNumThreads(2);
}

// A split needs two runs per thread and copies within kSplitCopyBytes of weights.
TEST(SplitThreads, NeedsTwoRunsPerThreadAndCopiesThatFit) {
  const int saved = NumThreads();
  SetNumThreads(4);
  EXPECT_EQ(SplitThreads(8, 1000), 4);
  EXPECT_EQ(SplitThreads(7, 1000), 1);  // a thread would get one run
  EXPECT_EQ(SplitThreads(8, kSplitCopyBytes / 3), 4);      // 3 copies fit
  EXPECT_EQ(SplitThreads(8, kSplitCopyBytes / 3 + 1), 1);  // they would not
  EXPECT_EQ(SplitThreads(8, kSplitCopyBytes / 7, 2), 4);   // 2 executors a thread: 7 copies
  EXPECT_EQ(SplitThreads(8, kSplitCopyBytes / 6, 2), 1);
  SetNumThreads(1);
  EXPECT_EQ(SplitThreads(8, 1000), 1);
  SetNumThreads(saved);
  auto m = Build(test::EncoderDecoder());
  ASSERT_TRUE(m);
  // Conv and ConvTranspose weights count; biases and BatchNormalization's numbers do not.
  size_t bytes = 0, all = 0;
  for (const auto& [id, t] : m->graph().initializers) {
    all += t.nbytes();
    if (t.rank() == 4) bytes += t.nbytes();
  }
  EXPECT_EQ(LayerWeightBytes(m->graph()), bytes);
  EXPECT_GT(bytes, 0u);
  EXPECT_LT(bytes, all);
}

}  // namespace
}  // namespace litemp
