// SharedPrefix (include/litemp/shared_prefix.h): which nodes two simulations compute
// alike, and that a run starting from the first's values gives the second's own bits,
// whole or a sample at a time, and in a multi-target evaluation.
#include "litemp/shared_prefix.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#include "core/parallel.h"
#include "litemp/evaluate.h"
#include "litemp/mixed_precision.h"
#include "litemp/model.h"
#include "litemp/quantsim.h"
#include "litemp/sample_parallel.h"
#include "testutil/generated_models.h"
#include "testutil/kernel_runner.h"
#include "testutil/model_builder.h"

namespace litemp {
namespace {

using Policy = SampleParallelRunner::Policy;

// A W8A8 simulation with `flipped` (node indices) at int16, calibrated on `calib`.
std::unique_ptr<QuantSim> Sim(const Model& model, const Tensor& calib, const std::vector<int>& flipped = {}) {
  auto sim = QuantSim::Create(model, QuantSimOptions{});
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  if (!sim.ok()) return nullptr;
  QuantSim& s = *sim.value();
  FlipLayers(s, flipped, ParseFlipTarget("int16").value());
  std::unordered_map<int, Tensor> res;
  Status st = s.ComputeEncodings([&](const RunOptions& o) { return RunBatch(s.executor(), s.inputs(), Batch{calib}, o, &res); });
  if (st.ok()) st = s.SyncConstants();
  EXPECT_TRUE(st.ok()) << st.ToString();
  return st.ok() ? std::move(sim).value() : nullptr;
}

// The quantized layers of `sim`, in topological order.
std::vector<int> Layers(const QuantSim& sim) { return sim.QuantizedLayers(); }

bool SameBits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && a.dtype() == b.dtype() && a.layout() == b.layout() &&
         std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()) == 0;
}

// The simulation's options, counting the reads of graph inputs (their hook runs once per
// run when a node reading them runs).
RunOptions CountingInputReads(QuantSim& sim, std::atomic<int>* reads) {
  RunOptions o = sim.SimOptions();
  ValueHook hook = o.on_value;
  const Graph* g = &sim.graph();
  o.on_value = [hook, g, reads](int id, Tensor* t) {
    if (g->values[id].is_graph_input) ++*reads;
    return hook(id, t);
  };
  return o;
}

// Runs `second` on x from `first`'s values (runners with `policy`) and whole on its own;
// expects the same outputs, bit for bit, and no read of the graph input when the plan
// starts past the first node (the prefix did not run).
void ExpectRunFromGivesWholeBits(QuantSim& first, QuantSim& second, const SharedPrefix& plan, const Tensor& x,
                                 Policy policy, bool expect_split) {
  std::unordered_map<int, Tensor> want, ra, rb;
  ASSERT_TRUE(RunBatch(second.executor(), second.inputs(), Batch{x}, second.SimOptions(), &want).ok());
  SampleParallelRunner a(first.executor(), first.inputs(), policy), b(second.executor(), second.inputs(), policy);
  EXPECT_EQ(a.splits(x.dim(0)), expect_split);
  ASSERT_TRUE(a.Run(Batch{x}, first.SimOptions(), &ra, plan.frontier).ok());
  // The kept values are not results.
  for (int v : plan.frontier)
    if (!first.graph().values[v].is_graph_output) EXPECT_EQ(ra.count(v), 0u);
  std::atomic<int> input_reads{0};
  Status s = b.RunFrom(a, plan, Batch{x}, CountingInputReads(second, &input_reads), &rb);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(input_reads.load(), 0);  // the first nodes (and the input's quantizer) did not run
  ASSERT_EQ(rb.size(), want.size());
  for (const auto& [id, t] : want) {
    ASSERT_TRUE(rb.count(id)) << second.graph().values[id].name;
    EXPECT_TRUE(SameBits(rb[id], t)) << second.graph().values[id].name;
  }
}

class SharedPrefixTest : public ::testing::Test {
 protected:
  void SetUp() override { saved_ = NumThreads(); }
  void TearDown() override { SetNumThreads(saved_); }
  int saved_ = 1;
};

TEST_F(SharedPrefixTest, FlippedLayerStartsTheRunOnAGeneratedModel) {
  auto m = test::EncoderDecoder().Build();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Model& model = **m;
  const Tensor calib = test::RandomTensor({8, 3, 16, 16}, 1);
  auto w8a8 = Sim(model, calib);
  ASSERT_TRUE(w8a8);
  const std::vector<int> layers = Layers(*w8a8);
  ASSERT_GE(layers.size(), 4u);
  const int flipped = layers[2];
  auto mixed = Sim(model, calib, {flipped});
  ASSERT_TRUE(mixed);
  auto plan = PlanSharedPrefix(*w8a8, *mixed);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_FALSE(plan->empty());
  // Every node before the flipped layer is shared; it and everything after run.
  const Graph& g = model.graph();
  std::vector<char> runs(g.nodes.size(), 0);
  for (int n : plan->start_nodes) runs[n] = 1;
  for (int n : g.Downstream({flipped})) EXPECT_TRUE(runs[n]) << g.nodes[n].name;
  // The nodes before it (in topological order), less those whose outputs the first run
  // may fuse away (a BatchNormalization read by its Relu): the frontier is what it holds.
  EXPECT_GE(plan->shared_nodes, 1);
  EXPECT_LE(plan->shared_nodes, flipped);
  ASSERT_FALSE(plan->frontier.empty());
  for (int v : plan->frontier) {
    EXPECT_LT(g.values[v].producer, flipped);
    const std::vector<int>& c = g.values[v].consumers;
    EXPECT_FALSE(c.size() == 1 && (g.nodes[c[0]].op_type == "Relu" || g.nodes[c[0]].op_type == "Clip"))
        << g.values[v].name;
  }

  const Tensor x = test::RandomTensor({6, 3, 16, 16}, 2);
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    SetNumThreads(threads);
    ExpectRunFromGivesWholeBits(*w8a8, *mixed, *plan, x, Policy::kAlways, threads == 2);
    ExpectRunFromGivesWholeBits(*w8a8, *mixed, *plan, x, Policy::kNever, false);
  }
}

TEST_F(SharedPrefixTest, AnyDifferenceUpFrontSharesNothing) {
  auto m = test::EncoderDecoder().Build();
  ASSERT_TRUE(m.ok());
  const Model& model = **m;
  const Tensor calib = test::RandomTensor({8, 3, 16, 16}, 1);
  auto a = Sim(model, calib);
  ASSERT_TRUE(a);
  const int first_layer = Layers(*a)[0];
  auto flipped_first = Sim(model, calib, {first_layer});
  ASSERT_TRUE(flipped_first);
  auto p = PlanSharedPrefix(*a, *flipped_first);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->empty());
  EXPECT_TRUE(p->frontier.empty());
  // The same settings but one encoding a step apart: the input's quantizer differs.
  auto b = Sim(model, calib);
  ASSERT_TRUE(b);
  const int input = model.graph().inputs[0];
  for (Quantizer& q : b->quantizers())
    if (q.value_id == input && q.enabled) q.encodings[0].scale = std::nextafter(q.encodings[0].scale, 1.f);
  p = PlanSharedPrefix(*a, *b);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->empty());
  // A simulation of another model (the same graph, loaded twice) is never shared.
  auto m2 = test::EncoderDecoder().Build();
  ASSERT_TRUE(m2.ok());
  auto other = Sim(**m2, calib);
  ASSERT_TRUE(other);
  p = PlanSharedPrefix(*a, *other);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->empty());
}

TEST_F(SharedPrefixTest, TheSameSimulationTakesTheOutputs) {
  auto m = test::EncoderDecoder().Build();
  ASSERT_TRUE(m.ok());
  const Tensor calib = test::RandomTensor({8, 3, 16, 16}, 1);
  auto a = Sim(**m, calib), b = Sim(**m, calib);
  ASSERT_TRUE(a && b);
  auto p = PlanSharedPrefix(*a, *b);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->shared_nodes, static_cast<int>((*m)->graph().nodes.size()));
  EXPECT_TRUE(p->start_nodes.empty());
  EXPECT_EQ(p->frontier, (*m)->graph().outputs);
  const Tensor x = test::RandomTensor({6, 3, 16, 16}, 2);
  SetNumThreads(2);
  ExpectRunFromGivesWholeBits(*a, *b, *p, x, Policy::kAlways, true);
  ExpectRunFromGivesWholeBits(*a, *b, *p, x, Policy::kNever, false);
}

// MobileNetV2 with a middle block flipped: its values are channels-last or blocked (native
// kernels) and the frontier holds them as the first executor left them.
TEST_F(SharedPrefixTest, MobileNetV2MiddleBlock) {
  LITEMP_REQUIRE_SHARED();
  auto m = Model::Load(test::SharedDir() + "/models/mobilenet_v2.onnx");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Model& model = **m;
  const Tensor calib = test::RandomTensor({4, 3, 224, 224}, 3);
  auto w8a8 = Sim(model, calib);
  ASSERT_TRUE(w8a8);
  const std::vector<int> layers = Layers(*w8a8);
  auto mixed = Sim(model, calib, {layers[12], layers[30]});
  ASSERT_TRUE(mixed);
  auto plan = PlanSharedPrefix(*w8a8, *mixed);
  ASSERT_TRUE(plan.ok());
  EXPECT_GE(plan->shared_nodes, 12);
  const Tensor x = test::RandomTensor({4, 3, 224, 224}, 4);
  SetNumThreads(2);
  ExpectRunFromGivesWholeBits(*w8a8, *mixed, *plan, x, Policy::kAlways, true);
  ExpectRunFromGivesWholeBits(*w8a8, *mixed, *plan, x, Policy::kNever, false);
}

// Random [3,16,16] samples with labels 0..2 (EncoderDecoder's output read as scores is not
// [N, classes]: evaluate without labels, on fidelity to the first target).
class Images final : public Dataset {
 public:
  explicit Images(size_t n, Shape shape = {3, 16, 16}) : shape_(std::move(shape)) {
    for (size_t i = 0; i < n; ++i) names_.push_back("s" + std::to_string(i));
  }
  size_t size() const override { return names_.size(); }
  const std::string& name(size_t i) const override { return names_[i]; }
  int64_t label(size_t) const override { return -1; }
  bool has_labels() const override { return false; }
  Result<Tensor> Load(size_t i) const override { return test::RandomTensor(shape_, static_cast<uint32_t>(50 + i)); }

 private:
  Shape shape_;
  std::vector<std::string> names_;
};

// A simulation evaluated after W8A8 and, when sharing, its source target and plan.
struct Scored {
  QuantSim* sim = nullptr;
  int shares_with = -1;  // target index: 1 is W8A8, 2 the first of these, ...
  SharedPrefix share;
};

// Fidelity to FP32 of W8A8 and `more`, evaluated with and without their sharing: the same
// numbers, and with sharing they never read the input (they started past it).
void ExpectSharingChangesNothing(const Model& model, QuantSim& w8a8, const std::vector<Scored>& more,
                                 const Dataset& data, int batch) {
  auto exec = std::move(Executor::Create(model.graph())).value();
  auto in = DescribeInputs(model.graph()).value();
  std::vector<size_t> eval;
  for (size_t i = 0; i < data.size(); ++i) eval.push_back(i);
  EvalOptions eo;
  eo.batch = batch;
  eo.quiet = true;
  std::atomic<int> input_reads{0};  // by `more`
  auto evaluate = [&](bool share, std::vector<Accuracy>* acc) {
    acc->assign(2 + more.size(), Accuracy{});
    std::vector<EvalTarget> t(2);
    t[0] = EvalTarget{"fp32", exec.get(), &in, RunOptions{}, &(*acc)[0]};
    t[1] = EvalTarget{"w8a8", &w8a8.executor(), &w8a8.inputs(), w8a8.SimOptions(), &(*acc)[1]};
    for (const Scored& m : more) {
      t.push_back(EvalTarget{"more", &m.sim->executor(), &m.sim->inputs(), CountingInputReads(*m.sim, &input_reads),
                             &(*acc)[t.size()]});
      if (share) {
        t.back().shares_with = m.shares_with;
        t.back().share = m.share;
      }
    }
    Status s = EvaluateClassificationMany(t, data, eval, eo);
    ASSERT_TRUE(s.ok()) << s.ToString();
  };
  std::vector<Accuracy> plain, shared;
  evaluate(false, &plain);
  EXPECT_GT(input_reads.load(), 0);
  input_reads = 0;
  evaluate(true, &shared);
  EXPECT_EQ(input_reads.load(), 0);
  ASSERT_EQ(shared.size(), plain.size());
  for (size_t t = 1; t < plain.size(); ++t) {
    ASSERT_TRUE(plain[t].fidelity && shared[t].fidelity) << t;
    EXPECT_EQ(shared[t].fidelity->psnr, plain[t].fidelity->psnr) << t;
    EXPECT_EQ(shared[t].fidelity->sqnr, plain[t].fidelity->sqnr) << t;
  }
  EXPECT_NE(plain[2].fidelity->psnr, plain[1].fidelity->psnr);  // the first of `more` is not W8A8
}

// The evaluation with a target that shares gives the fidelity it gives without.
TEST_F(SharedPrefixTest, EvaluationResultsDoNotChange) {
  auto m = test::EncoderDecoder().Build();
  ASSERT_TRUE(m.ok());
  const Model& model = **m;
  const Tensor calib = test::RandomTensor({8, 3, 16, 16}, 1);
  auto w8a8 = Sim(model, calib);
  ASSERT_TRUE(w8a8);
  auto mixed = Sim(model, calib, {Layers(*w8a8)[3]});
  auto same = Sim(model, calib, {Layers(*w8a8)[3]});
  ASSERT_TRUE(mixed && same);
  Scored m2{mixed.get(), 1, PlanSharedPrefix(*w8a8, *mixed).value()};
  Scored m3{same.get(), 2, PlanSharedPrefix(*mixed, *same).value()};
  EXPECT_FALSE(m2.share.empty());
  EXPECT_TRUE(m3.share.start_nodes.empty());  // `same` is mixed: it takes mixed's outputs
  Images data(21);
  SetNumThreads(2);
  ExpectSharingChangesNothing(model, *w8a8, {m2, m3}, data, 8);  // three batches, the last partial

  // A target may only share with an earlier one.
  std::vector<Accuracy> acc(2);
  std::vector<EvalTarget> bad(2);
  bad[0] = EvalTarget{"w8a8", &w8a8->executor(), &w8a8->inputs(), w8a8->SimOptions(), &acc[0]};
  bad[1] = EvalTarget{"mixed", &mixed->executor(), &mixed->inputs(), mixed->SimOptions(), &acc[1]};
  bad[0].shares_with = 1;
  EvalOptions eo;
  eo.quiet = true;
  Status s = EvaluateClassificationMany(bad, data, {0, 1}, eo);
  EXPECT_NE(s.message().find("shares values with a later"), std::string::npos) << s.ToString();
}

// x -> c0 -> r; r -> ca -> a -> c1 -> b1; r -> c2 -> b2; b1 * b2 -> c3 -> y (1x1 convs, 4
// channels): two branches off r, one reading it through ca. (A Mul: an Add could be fused
// into c1, which then is no place to start from.)
std::unique_ptr<Model> TwoBranches() {
  test::ModelBuilder b(13);
  b.Input("x", {-1, 4, 6, 6}).Output("y", {-1, 4, 6, 6});
  const char* convs[][3] = {{"c0", "x", "r"}, {"ca", "r", "a"}, {"c1", "a", "b1"}, {"c2", "r", "b2"}, {"c3", "s", "y"}};
  uint32_t seed = 10;
  for (auto& c : convs) b.Initializer(std::string(c[0]) + ".w", test::RandomTensor({4, 4, 1, 1}, seed++));
  for (auto& c : convs) {
    if (std::string(c[0]) == "c3") b.Node("Mul", "mul", {"b1", "b2"}, {"s"});
    b.Node("Conv", c[0], {c[1], std::string(c[0]) + ".w"}, {c[2]});
  }
  auto m = b.Build();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m).value() : nullptr;
}

int NodeNamed(const Graph& g, const std::string& name) {
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].name == name) return static_cast<int>(i);
  return -1;
}

// A point that flips c1 and c2 shares most with mixed (c1 flipped): c0, ca and c1. It reads r
// (for c2) and b1 from mixed's run; mixed starts at c1 and never reads r, so W8A8 must keep
// r for mixed to hand on.
TEST_F(SharedPrefixTest, ChainedSharingKeepsWhatTheMiddleTargetDoesNotCompute) {
  auto model = TwoBranches();
  ASSERT_TRUE(model);
  const Graph& g = model->graph();
  const Tensor calib = test::RandomTensor({8, 4, 6, 6}, 1);
  const int c1 = NodeNamed(g, "c1"), c2 = NodeNamed(g, "c2");
  auto w8a8 = Sim(*model, calib), mixed = Sim(*model, calib, {c1}), point = Sim(*model, calib, {c1, c2});
  ASSERT_TRUE(w8a8 && mixed && point);
  auto from_w8a8 = PlanSharedPrefix(*w8a8, *point).value();
  auto from_mixed = PlanSharedPrefix(*mixed, *point).value();
  ASSERT_GT(from_mixed.shared_nodes, from_w8a8.shared_nodes);
  const int r = g.values[g.nodes[c2].inputs[0]].producer >= 0 ? g.nodes[c2].inputs[0] : -1;
  ASSERT_GE(r, 0);
  EXPECT_NE(std::find(from_mixed.frontier.begin(), from_mixed.frontier.end(), r), from_mixed.frontier.end());
  auto mixed_plan = PlanSharedPrefix(*w8a8, *mixed).value();
  EXPECT_EQ(std::find(mixed_plan.frontier.begin(), mixed_plan.frontier.end(), r), mixed_plan.frontier.end());

  Images data(20, {4, 6, 6});
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    SetNumThreads(threads);
    ExpectSharingChangesNothing(*model, *w8a8, {{mixed.get(), 1, mixed_plan}, {point.get(), 2, from_mixed}}, data, 10);
  }
}

}  // namespace
}  // namespace litemp
