// Scoring several models in one pass must match scoring them one by one, with each
// sample decoded once.
#include "litemp/evaluate.h"

#include <gtest/gtest.h>

#include <atomic>

#include "litemp/model.h"
#include "litemp/quantsim.h"
#include "litemp/sensitivity.h"
#include "testutil/kernel_runner.h"
#include "testutil/thread_comm.h"

namespace litemp {
namespace {

// Random [1,28,28] "images" with labels 0..9; counts decodes.
class CountingDataset final : public Dataset {
 public:
  explicit CountingDataset(size_t n) {
    for (size_t i = 0; i < n; ++i) names_.push_back("s" + std::to_string(i));
  }
  size_t size() const override { return names_.size(); }
  const std::string& name(size_t i) const override { return names_[i]; }
  int64_t label(size_t i) const override {
    if (!labelled) return -1;
    return i == bad_label_at ? 10 : static_cast<int64_t>(i % 10);
  }
  bool has_labels() const override { return labelled; }
  bool labelled = true;
  size_t bad_label_at = static_cast<size_t>(-1);  // this sample gets label 10 (MNIST has 0..9)
  Result<Tensor> Load(size_t i) const override {
    ++loads;
    return test::RandomTensor({1, 28, 28}, static_cast<uint32_t>(100 + i), 0.f, 255.f);
  }
  mutable std::atomic<int> loads{0};

 private:
  std::vector<std::string> names_;
};

std::unique_ptr<Model> LoadMnist() {
  auto r = Model::Load(test::SharedDir() + "/models/mnist_cnn.onnx");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : nullptr;
}

// A W<bits>A<bits> simulation of `model` calibrated on samples 0..7 of `data`; null (with a
// test failure) when that fails.
std::unique_ptr<QuantSim> CalibratedSim(const Model& model, const Dataset& data, int bits) {
  QuantSimOptions qo;
  qo.param.bitwidth = bits;
  qo.activation.bitwidth = bits;
  auto sim = QuantSim::Create(model, qo);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  if (!sim.ok()) return nullptr;
  Status s = CalibrateOnDataset(*sim.value(), data, {0, 1, 2, 3, 4, 5, 6, 7}, 4, true);
  if (s.ok()) s = sim.value()->SyncConstants();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return s.ok() ? std::move(sim).value() : nullptr;
}

TEST(EvaluateClassificationMany, MatchesSeparateRunsAndDecodesOnce) {
  LITEMP_REQUIRE_SHARED();
  auto model = LoadMnist();
  ASSERT_TRUE(model);
  CountingDataset data(50);
  std::vector<size_t> eval;
  for (size_t i = 8; i < 50; ++i) eval.push_back(i);

  auto sim = CalibratedSim(*model, data, 2);  // W2A2: coarse enough that its predictions differ from FP32's
  ASSERT_TRUE(sim);
  auto in = DescribeInputs(model->graph());
  ASSERT_TRUE(in.ok());
  auto exec = Executor::Create(model->graph());
  ASSERT_TRUE(exec.ok());

  EvalOptions eo;
  eo.batch = 16;
  eo.quiet = true;
  Accuracy fp32_one, sim_one;
  ASSERT_TRUE(EvaluateClassification(**exec, *in, data, eval, eo, &fp32_one).ok());
  EvalOptions so = eo;
  so.run = sim->SimOptions();
  ASSERT_TRUE(EvaluateClassification(sim->executor(), sim->inputs(), data, eval, so, &sim_one).ok());

  data.loads = 0;
  Accuracy fp32_many, sim_many;
  std::vector<EvalTarget> targets(2);
  targets[0] = EvalTarget{"fp32", exec->get(), &*in, RunOptions{}, &fp32_many};
  targets[1] = EvalTarget{"w2a2", &sim->executor(), &sim->inputs(), sim->SimOptions(), &sim_many};
  double load_s = -1;
  ASSERT_TRUE(EvaluateClassificationMany(targets, data, eval, eo, &load_s).ok());
  EXPECT_EQ(data.loads.load(), static_cast<int>(eval.size()));
  EXPECT_GE(load_s, 0.0);
  EXPECT_EQ(fp32_many.predicted, fp32_one.predicted);
  EXPECT_EQ(sim_many.predicted, sim_one.predicted);
  EXPECT_EQ(fp32_many.top1, fp32_one.top1);
  EXPECT_EQ(sim_many.top5, sim_one.top5);
  EXPECT_EQ(sim_many.samples, static_cast<int64_t>(eval.size()));
  EXPECT_NE(sim_many.predicted, fp32_many.predicted);  // else the targets are indistinguishable
  EXPECT_GT(targets[0].seconds, 0.0);
  EXPECT_GT(targets[1].seconds, 0.0);
}

TEST(CheckClassificationSetup, FindsALabelOutOfRangeWithOneRun) {
  LITEMP_REQUIRE_SHARED();
  auto model = LoadMnist();
  ASSERT_TRUE(model);
  auto in = DescribeInputs(model->graph());
  ASSERT_TRUE(in.ok());
  auto exec = Executor::Create(model->graph());
  ASSERT_TRUE(exec.ok());
  CountingDataset data(40);
  std::vector<size_t> all;
  for (size_t i = 0; i < 40; ++i) all.push_back(i);
  EXPECT_TRUE(CheckClassificationSetup(**exec, *in, data, all).ok());
  data.bad_label_at = 33;
  data.loads = 0;
  Status s = CheckClassificationSetup(**exec, *in, data, all);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("'s33'"), std::string::npos) << s.ToString();
  EXPECT_EQ(data.loads.load(), 1);  // one sample decoded, not the whole set
}

// The fidelity of a simulation to FP32 over the whole evaluation set, labels or not: PSNR
// and SQNR over the stacked outputs, top-1 agreement of the predictions.
TEST(EvaluateClassificationMany, FidelityWithAndWithoutLabels) {
  LITEMP_REQUIRE_SHARED();
  auto model = LoadMnist();
  ASSERT_TRUE(model);
  CountingDataset data(45);
  std::vector<size_t> eval;
  for (size_t i = 8; i < 45; ++i) eval.push_back(i);
  auto sim = CalibratedSim(*model, data, 3);
  ASSERT_TRUE(sim);
  auto in = DescribeInputs(model->graph());
  auto exec = std::move(Executor::Create(model->graph())).value();

  // Expected: both models on every evaluation sample at once.
  Tensor x = data.LoadBatch(eval).value();
  std::unordered_map<int, Tensor> ref, got;
  ASSERT_TRUE(RunBatch(*exec, *in, Batch{x}, RunOptions{}, &ref).ok());
  ASSERT_TRUE(RunBatch(sim->executor(), sim->inputs(), Batch{x}, sim->SimOptions(), &got).ok());
  const int out = model->graph().outputs[0];
  const double psnr = Psnr(ref[out], got[out]).value();
  ASSERT_LT(psnr, 60);  // really quantized

  for (bool labelled : {true, false}) {
    SCOPED_TRACE(labelled ? "labelled" : "unlabelled");
    data.labelled = labelled;
    Accuracy fp32, q;
    std::vector<EvalTarget> targets(2);
    targets[0] = EvalTarget{"fp32", exec.get(), &*in, RunOptions{}, &fp32};
    targets[1] = EvalTarget{"w3a3", &sim->executor(), &sim->inputs(), sim->SimOptions(), &q};
    EvalOptions eo;
    eo.batch = 16;  // three batches, the last partial
    eo.quiet = true;
    ASSERT_TRUE(EvaluateClassificationMany(targets, data, eval, eo).ok());
    EXPECT_EQ(q.labelled, labelled);
    EXPECT_FALSE(fp32.fidelity.has_value());  // the reference
    ASSERT_TRUE(q.fidelity.has_value());
    EXPECT_NEAR(q.fidelity->psnr, psnr, 1e-6);
    EXPECT_EQ(q.fidelity->samples, static_cast<int64_t>(eval.size()));
    ASSERT_EQ(q.predicted.size(), eval.size());
    int64_t same = 0;
    for (size_t i = 0; i < eval.size(); ++i) same += q.predicted[i] == fp32.predicted[i];
    ASSERT_TRUE(q.fidelity->top1_agreement.has_value());
    EXPECT_DOUBLE_EQ(*q.fidelity->top1_agreement, double(same) / eval.size());
    if (!labelled) {
      EXPECT_EQ(q.top1, 0.0);
      EXPECT_EQ(fp32.top5, 0.0);
    } else {
      EXPECT_GT(fp32.top1 + q.top1, 0.0);
    }
  }
}

TEST(EvaluateClassificationMany, UnknownOutputIsNamed) {
  LITEMP_REQUIRE_SHARED();
  auto model = LoadMnist();
  ASSERT_TRUE(model);
  CountingDataset data(3);
  auto in = DescribeInputs(model->graph());
  auto exec = std::move(Executor::Create(model->graph())).value();
  Accuracy a;
  EvalOptions eo;
  eo.quiet = true;
  eo.output = "nope";
  Status s = EvaluateClassification(*exec, *in, data, {0, 1, 2}, eo, &a);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("'nope'"), std::string::npos) << s.ToString();
  s = CheckClassificationSetup(*exec, *in, data, {0}, "nope");
  EXPECT_FALSE(s.ok());
  eo.output = model->graph().values[model->graph().outputs[0]].name;
  EXPECT_TRUE(EvaluateClassification(*exec, *in, data, {0, 1, 2}, eo, &a).ok());
}

TEST(EvaluateClassificationMany, IncompleteTargetIsAnError) {
  CountingDataset data(2);
  std::vector<EvalTarget> targets(1);
  EvalOptions eo;
  eo.quiet = true;
  Status s = EvaluateClassificationMany(targets, data, {0, 1}, eo);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(data.loads.load(), 0);
}

// The evaluation split across ranks (ThreadComm ranks, each with its own executors as each
// process has): every rank gets the whole result, identical to one process's, labelled or
// not, with more ranks than some blocks have batches.
TEST(EvaluateClassificationMany, ShardedAcrossRanksIsIdentical) {
  LITEMP_REQUIRE_SHARED();
  auto model = LoadMnist();
  ASSERT_TRUE(model);
  CountingDataset data(45);
  std::vector<size_t> eval;
  for (size_t i = 8; i < 45; ++i) eval.push_back(i);
  auto in = DescribeInputs(model->graph());
  ASSERT_TRUE(in.ok());
  struct Run {
    Accuracy fp32, q;
    Status status;
  };
  auto evaluate = [&](Comm* comm, Run* run) {
    auto sim = CalibratedSim(*model, data, 3);
    auto exec = Executor::Create(model->graph());
    if (!sim || !exec.ok()) {
      run->status = Status::Internal("setup failed");
      return;
    }
    std::vector<EvalTarget> targets(2);
    targets[0] = EvalTarget{"fp32", exec->get(), &*in, RunOptions{}, &run->fp32};
    targets[1] = EvalTarget{"w3a3", &sim->executor(), &sim->inputs(), sim->SimOptions(), &run->q};
    EvalOptions eo;
    eo.batch = 8;  // five batches, the last partial
    eo.quiet = true;
    eo.comm = comm;
    run->status = EvaluateClassificationMany(targets, data, eval, eo);
  };
  auto expect_same = [](const Accuracy& got, const Accuracy& want) {
    EXPECT_EQ(got.samples, want.samples);
    EXPECT_EQ(got.labelled, want.labelled);
    EXPECT_EQ(got.top1, want.top1);
    EXPECT_EQ(got.top5, want.top5);
    EXPECT_EQ(got.predicted, want.predicted);
    ASSERT_EQ(got.fidelity.has_value(), want.fidelity.has_value());
    if (!want.fidelity) return;
    EXPECT_EQ(got.fidelity->samples, want.fidelity->samples);
    EXPECT_EQ(got.fidelity->psnr, want.fidelity->psnr);  // bit-identical, not near
    EXPECT_EQ(got.fidelity->sqnr, want.fidelity->sqnr);
    EXPECT_EQ(got.fidelity->top1_agreement, want.fidelity->top1_agreement);
    ASSERT_EQ(got.fidelity->outputs.size(), want.fidelity->outputs.size());
    for (size_t o = 0; o < want.fidelity->outputs.size(); ++o) {
      EXPECT_EQ(got.fidelity->outputs[o].psnr, want.fidelity->outputs[o].psnr);
      EXPECT_EQ(got.fidelity->outputs[o].sqnr, want.fidelity->outputs[o].sqnr);
    }
  };
  for (bool labelled : {true, false}) {
    SCOPED_TRACE(labelled ? "labelled" : "unlabelled");
    data.labelled = labelled;
    Run one;
    evaluate(nullptr, &one);
    ASSERT_TRUE(one.status.ok()) << one.status.ToString();
    ASSERT_TRUE(one.q.fidelity.has_value());
    for (int ranks : {2, 7}) {
      std::vector<Run> runs(ranks);
      test::RunRanks(ranks, [&](Comm& c) { evaluate(&c, &runs[c.rank()]); });
      for (int r = 0; r < ranks; ++r) {
        SCOPED_TRACE(std::to_string(ranks) + " ranks, rank " + std::to_string(r));
        ASSERT_TRUE(runs[r].status.ok()) << runs[r].status.ToString();
        expect_same(runs[r].fp32, one.fp32);
        expect_same(runs[r].q, one.q);
      }
    }
  }
}

// A bad label seen by one rank only (its block) fails every rank, naming the sample.
TEST(EvaluateClassificationMany, ShardedErrorReachesEveryRank) {
  LITEMP_REQUIRE_SHARED();
  auto model = LoadMnist();
  ASSERT_TRUE(model);
  CountingDataset data(32);
  data.bad_label_at = 30;  // in rank 1's block
  std::vector<size_t> eval;
  for (size_t i = 0; i < 32; ++i) eval.push_back(i);
  auto in = DescribeInputs(model->graph());
  ASSERT_TRUE(in.ok());
  std::vector<Status> got(2);
  test::RunRanks(2, [&](Comm& c) {
    auto exec = std::move(Executor::Create(model->graph())).value();
    Accuracy a;
    std::vector<EvalTarget> targets = {EvalTarget{"fp32", exec.get(), &*in, RunOptions{}, &a}};
    EvalOptions eo;
    eo.batch = 8;
    eo.quiet = true;
    eo.comm = &c;
    got[c.rank()] = EvaluateClassificationMany(targets, data, eval, eo);
  });
  for (const Status& s : got) {
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.message().rfind("rank 1: ", 0), 0u) << s.ToString();
    EXPECT_NE(s.message().find("'s30'"), std::string::npos) << s.ToString();
  }
}

}  // namespace
}  // namespace litemp
