// The sweep split across ranks (in-process ThreadComm ranks; `mpirun` runs are tested in
// tests/cli): every rank returns the whole result, bit for bit what one process computes,
// and a failure on one rank fails every rank.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "analysis/sweep.h"
#include "analysis/sweep_helpers.h"
#include "litemp/quantsim.h"
#include "litemp/sensitivity.h"
#include "testutil/generated_models.h"
#include "testutil/thread_comm.h"

namespace litemp {
namespace {

// Bitwise equality: same layers in the same order, same PSNR bits.
void ExpectIdentical(const std::vector<LayerSensitivity>& got, const std::vector<LayerSensitivity>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].layer, want[i].layer) << i;
    EXPECT_EQ(got[i].name, want[i].name) << i;
    EXPECT_EQ(std::memcmp(&got[i].psnr, &want[i].psnr, sizeof(double)), 0)
        << i << ": " << got[i].psnr << " vs " << want[i].psnr;
  }
}

class ShardedSweep : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = test::TransformerBlock().Build();
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    model_ = std::move(m).value();
    samples_ = {test::RandomTensor({6, 8, 16}, 3), test::RandomTensor({6, 8, 16}, 4)};
  }
  // A calibrated W8A8 simulation: each rank builds its own, as each process does.
  std::unique_ptr<QuantSim> Sim() const {
    auto s = QuantSim::Create(*model_, QuantSimOptions{});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return nullptr;
    QuantSim& sim = *s.value();
    Batch calib = {test::RandomTensor({12, 8, 16}, 1), test::RandomTensor({12, 8, 16}, 2)};
    std::unordered_map<int, Tensor> res;
    Status st = sim.ComputeEncodings(
        [&](const RunOptions& o) { return RunBatch(sim.executor(), sim.inputs(), calib, o, &res); });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return std::move(s).value();
  }
  // The sweep on `ranks` ranks; every rank's result (and its stats, when `stats`).
  std::vector<Result<std::vector<LayerSensitivity>>> Sharded(int ranks, SensitivityOptions o,
                                                             std::vector<SensitivityStats>* stats = nullptr) const {
    std::vector<Result<std::vector<LayerSensitivity>>> out(ranks, Status::Internal("not run"));
    if (stats) stats->assign(ranks, SensitivityStats{});
    test::RunRanks(ranks, [&](Comm& comm) {
      auto sim = Sim();
      if (!sim) return;
      SensitivityOptions mine = o;
      mine.comm = &comm;
      mine.stats = stats ? &(*stats)[comm.rank()] : nullptr;
      out[comm.rank()] = AnalyzePerLayerSensitivity(*sim, samples_, mine);
    });
    return out;
  }

  std::unique_ptr<Model> model_;
  Batch samples_;
};

TEST_F(ShardedSweep, FastSweepIsIdenticalOnAnyRankCount) {
  auto sim = Sim();
  ASSERT_TRUE(sim);
  SensitivityStats stats;
  auto one = test::Sweep(*sim, samples_, test::Opts(false, size_t{2} << 30, &stats));
  ASSERT_GE(one.size(), 10u);
  for (int ranks : {2, 3}) {
    SensitivityStats rank_stats;
    auto all = Sharded(ranks, test::Opts(false));
    for (int r = 0; r < ranks; ++r) {
      ASSERT_TRUE(all[r].ok()) << ranks << " ranks, rank " << r << ": " << all[r].status().ToString();
      ExpectIdentical(all[r].value(), one);
    }
  }
}

TEST_F(ShardedSweep, SplitRunsAndTheNaiveSweepAreIdenticalToo) {
  SensitivityOptions split = test::Opts(false);
  split.run_bytes = 1;  // one sample per run, several chunks
  split.memory_budget_bytes = 1;
  auto sim = Sim();
  ASSERT_TRUE(sim);
  auto one_split = test::Sweep(*sim, samples_, split);
  auto one_naive = test::Sweep(*sim, samples_, test::Opts(true));
  auto split2 = Sharded(2, split);
  auto naive2 = Sharded(2, test::Opts(true));
  for (int r = 0; r < 2; ++r) {
    ASSERT_TRUE(split2[r].ok()) << split2[r].status().ToString();
    ASSERT_TRUE(naive2[r].ok()) << naive2[r].status().ToString();
    ExpectIdentical(split2[r].value(), one_split);
    ExpectIdentical(naive2[r].value(), one_naive);
  }
}

TEST_F(ShardedSweep, EachRankCachesOnlyWhatItsLayersRead) {
  auto sim = Sim();
  ASSERT_TRUE(sim);
  SensitivityStats one;
  auto want = test::Sweep(*sim, samples_, test::Opts(false, size_t{2} << 30, &one));
  std::vector<SensitivityStats> stats;
  auto all = Sharded(2, test::Opts(false), &stats);
  for (int r = 0; r < 2; ++r) {
    ASSERT_TRUE(all[r].ok()) << all[r].status().ToString();
    ExpectIdentical(all[r].value(), want);
    EXPECT_LT(stats[r].cache_bytes_per_sample, one.cache_bytes_per_sample) << r;
    EXPECT_GT(stats[r].cache_bytes_per_sample, 0u) << r;
    EXPECT_EQ(stats[r].run_samples, one.run_samples) << r;  // the same runs: the same sums
  }
  // Under a budget that forces one process into chunks, a rank caching less fits more
  // samples per chunk, and still scores the same units.
  SensitivityOptions tight = test::Opts(false);
  tight.memory_budget_bytes = one.cache_bytes_per_sample * 3;
  tight.run_bytes = one.cache_bytes_per_sample * 2;  // runs of 2 samples
  SensitivityStats one_tight;
  tight.stats = &one_tight;
  auto want_tight = test::Sweep(*sim, samples_, tight);
  tight.stats = nullptr;
  ASSERT_EQ(one_tight.run_samples, 2);
  all = Sharded(2, tight, &stats);
  for (int r = 0; r < 2; ++r) {
    ASSERT_TRUE(all[r].ok()) << all[r].status().ToString();
    ExpectIdentical(all[r].value(), want_tight);
    EXPECT_EQ(stats[r].run_samples, 2) << r;
    EXPECT_GE(stats[r].chunk_samples, one_tight.chunk_samples) << r;
  }
}

TEST_F(ShardedSweep, LayersAreSplitByDownstreamCost) {
  auto sim = Sim();
  ASSERT_TRUE(sim);
  auto plan = PlanSweep(*sim);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const std::vector<double> cost = LayerCosts(*sim, plan.value());
  ASSERT_EQ(cost.size(), plan.value().size());
  // The first layer's partial run recomputes more than the last one's.
  EXPECT_GT(cost.front(), cost.back());
  test::ThreadJob job(2);
  test::ThreadComm comm(&job, 0);
  const std::vector<int> owner = AssignLayers(*sim, plan.value(), &comm);
  EXPECT_EQ(owner, AssignByCost(cost, 2));
  double load[2] = {0, 0};
  for (size_t i = 0; i < owner.size(); ++i) load[owner[i]] += cost[i];
  const double biggest = *std::max_element(cost.begin(), cost.end());
  EXPECT_GT(load[0], 0);
  EXPECT_GT(load[1], 0);
  EXPECT_LE(std::abs(load[0] - load[1]), biggest);
  EXPECT_EQ(AssignLayers(*sim, plan.value(), nullptr), std::vector<int>(owner.size(), 0));
}

TEST_F(ShardedSweep, SecondsAreGatheredWithTheScores) {
  // Seconds are measured only where a layer was scored, and gathered with the PSNRs: every
  // layer has a time on every rank, so the shares together cover the sweep.
  auto all = Sharded(2, test::Opts(false));
  ASSERT_TRUE(all[0].ok()) << all[0].status().ToString();
  ASSERT_TRUE(all[1].ok()) << all[1].status().ToString();
  for (size_t i = 0; i < all[0].value().size(); ++i) {
    EXPECT_GT(all[0].value()[i].seconds, 0.0) << i;
    EXPECT_EQ(all[0].value()[i].seconds, all[1].value()[i].seconds) << i;
  }
}

TEST_F(ShardedSweep, PerLayerMseIsIdenticalOnAnyRankCount) {
  auto sim = Sim();
  ASSERT_TRUE(sim);
  // run_bytes 1: six groups of one sample; the default: a first group of one (it sizes the
  // rest), then the other five together. 8 ranks: more ranks than groups.
  for (size_t run : {size_t{1}, size_t{256} << 20}) {
    auto want = PerLayerMse(*sim, samples_, run);
    ASSERT_TRUE(want.ok()) << want.status().ToString();
    ASSERT_GE(want.value().size(), 10u);
    for (int ranks : {2, 3, 8}) {
      std::vector<Result<std::vector<LayerMse>>> got(ranks, Status::Internal("not run"));
      test::RunRanks(ranks, [&](Comm& c) {
        auto s = Sim();
        if (s) got[c.rank()] = PerLayerMse(*s, samples_, run, &c);
      });
      for (int r = 0; r < ranks; ++r) {
        ASSERT_TRUE(got[r].ok()) << got[r].status().ToString();
        ASSERT_EQ(got[r].value().size(), want.value().size());
        for (size_t i = 0; i < want.value().size(); ++i) {
          EXPECT_EQ(got[r].value()[i].layer, want.value()[i].layer);
          EXPECT_EQ(std::memcmp(&got[r].value()[i].mse, &want.value()[i].mse, sizeof(double)), 0)
              << ranks << " ranks, rank " << r << ", layer " << i;
        }
      }
    }
  }
}

TEST_F(ShardedSweep, PerLayerMseOfNoSamplesIsEmptyOnEveryRank) {
  const Batch none = {test::RandomTensor({0, 8, 16}, 5), test::RandomTensor({0, 8, 16}, 6)};
  auto sim = Sim();
  ASSERT_TRUE(sim);
  auto one = PerLayerMse(*sim, none);
  std::vector<Result<std::vector<LayerMse>>> got(2, Status::Internal("not run"));
  test::RunRanks(2, [&](Comm& c) {
    auto s = Sim();
    if (s) got[c.rank()] = PerLayerMse(*s, none, size_t{256} << 20, &c);
  });
  for (const auto& r : got) {
    EXPECT_EQ(r.ok(), one.ok()) << r.status().ToString();
    if (r.ok() && one.ok()) EXPECT_EQ(r.value().size(), one.value().size());
  }
}

TEST_F(ShardedSweep, AFailingRankFailsEveryRankNamingIt) {
  ASSERT_EQ(setenv("LITEMP_TEST_FAULT", "1:sensitivity:error", 1), 0);
  auto all = Sharded(2, test::Opts(false));
  unsetenv("LITEMP_TEST_FAULT");
  for (int r = 0; r < 2; ++r) {
    ASSERT_FALSE(all[r].ok()) << r;
    EXPECT_EQ(all[r].status().message(), "rank 1: fault injected at 'sensitivity' (LITEMP_TEST_FAULT)");
  }
}

}  // namespace
}  // namespace litemp
