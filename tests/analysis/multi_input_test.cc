// A two-input model (a transformer block) through calibration, the fast and the naive
// sweep, and per-layer MSE: every input is fed, cached and sliced alike.
#include <gtest/gtest.h>

#include "analysis/sweep_helpers.h"
#include "litemp/quantsim.h"
#include "litemp/sensitivity.h"
#include "testutil/generated_models.h"

namespace litemp {
namespace {

class TwoInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = test::TransformerBlock().Build();
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    model_ = std::move(m).value();
    auto s = QuantSim::Create(*model_, QuantSimOptions{});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    sim_ = std::move(s).value();
    ASSERT_EQ(sim_->inputs().size(), 2u);
    Batch calib = {test::RandomTensor({12, 8, 16}, 1), test::RandomTensor({12, 8, 16}, 2)};
    std::unordered_map<int, Tensor> res;
    Status st = sim_->ComputeEncodings(
        [&](const RunOptions& o) { return RunBatch(sim_->executor(), sim_->inputs(), calib, o, &res); });
    ASSERT_TRUE(st.ok()) << st.ToString();
    samples_ = {test::RandomTensor({5, 8, 16}, 3), test::RandomTensor({5, 8, 16}, 4)};
  }
  std::unique_ptr<Model> model_;
  std::unique_ptr<QuantSim> sim_;
  Batch samples_;
};

TEST_F(TwoInputs, FastSweepEqualsNaiveAndSplits) {
  auto naive = test::Sweep(*sim_, samples_, test::Opts(true));
  auto fast = test::Sweep(*sim_, samples_, test::Opts(false));
  ASSERT_GE(naive.size(), 10u);  // MatMuls, LayerNorms, Softmax, the GELU's ops...
  test::ExpectSameSweep(fast, naive, 1e-9);
  // One sample per run: both inputs sliced the same way.
  SensitivityOptions split = test::Opts(false);
  split.run_bytes = 1;
  SensitivityStats stats;
  split.stats = &stats;
  test::ExpectSameSweep(test::Sweep(*sim_, samples_, split), naive, 1e-3);
  EXPECT_EQ(stats.run_samples, 1);
  for (const auto& l : fast) EXPECT_LT(l.psnr, 100) << l.name;
}

TEST_F(TwoInputs, SwappedInputsChangeTheResult) {
  // The inputs are not interchangeable once quantized per input: feeding them swapped must
  // change some layer's score, or the test could not see a mix-up.
  auto fast = test::ByLayer(test::Sweep(*sim_, samples_, test::Opts(false)));
  Batch swapped = {samples_[1], samples_[0]};
  auto other = test::ByLayer(test::Sweep(*sim_, swapped, test::Opts(false)));
  bool differs = false;
  for (const auto& [layer, p] : fast) differs |= std::abs(p - other[layer]) > 1e-6;
  EXPECT_TRUE(differs);
}

// A fixed batch of 2 on both inputs: 5 samples run as 2 + 2 + 1 (padded), both inputs
// sliced alike, and the outputs equal the symbolic-batch model's.
TEST_F(TwoInputs, FixedBatchChunksEveryInputAlike) {
  test::ModelBuilder b = test::TransformerBlock();
  auto* g = b.proto().mutable_graph();
  for (auto* vi : {g->mutable_input(0), g->mutable_input(1), g->mutable_output(0)})
    vi->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)->set_dim_value(2);
  auto fixed = b.Build();
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  auto in = DescribeInputs(fixed.value()->graph());
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(FixedBatch(in.value()), 2);
  auto exec = Executor::Create(fixed.value()->graph());
  ASSERT_TRUE(exec.ok());
  std::unordered_map<int, Tensor> chunked, whole;
  ASSERT_TRUE(RunBatch(*exec.value(), in.value(), samples_, RunOptions{}, &chunked).ok());
  auto plain_in = DescribeInputs(model_->graph());
  auto plain = Executor::Create(model_->graph());
  ASSERT_TRUE(RunBatch(*plain.value(), plain_in.value(), samples_, RunOptions{}, &whole).ok());
  const Tensor& a = chunked[fixed.value()->graph().outputs[0]];
  const Tensor& e = whole[model_->graph().outputs[0]];
  ASSERT_EQ(a.shape(), e.shape());
  EXPECT_GT(Psnr(e, a).value(), 90.0);
  Batch uneven = {samples_[0], SliceBatch(samples_[1], 0, 4)};
  Status st = RunBatch(*exec.value(), in.value(), uneven, RunOptions{}, &chunked);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.ToString().find("'pos'"), std::string::npos) << st.ToString();
}

TEST_F(TwoInputs, PerLayerMseRuns) {
  auto mse = PerLayerMse(*sim_, samples_);
  ASSERT_TRUE(mse.ok()) << mse.status().ToString();
  EXPECT_GE(mse->size(), 10u);
  double total = 0;
  for (const auto& m : *mse) total += m.mse;
  EXPECT_GT(total, 0);
}

TEST_F(TwoInputs, BadBatchesNameTheInputs) {
  auto one = AnalyzePerLayerSensitivity(*sim_, samples_[0], test::Opts(false));
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.status().ToString().find("2 inputs"), std::string::npos) << one.status().ToString();
  Batch uneven = {samples_[0], test::RandomTensor({4, 8, 16}, 5)};
  auto r = AnalyzePerLayerSensitivity(*sim_, uneven, test::Opts(false));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("'pos'"), std::string::npos) << r.status().ToString();
  Batch wrong = {samples_[0], test::RandomTensor({5, 8, 15}, 6)};
  r = AnalyzePerLayerSensitivity(*sim_, wrong, test::Opts(false));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("input 'pos' expects"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace litemp
