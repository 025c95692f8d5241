// The memory estimate of `litemp run` (include/litemp/memory_estimate.h) on hand-built
// graphs whose every byte count is worked out below.
#include "litemp/memory_estimate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "litemp/fileio.h"
#include "litemp/sensitivity.h"
#include "testutil/kernel_runner.h"
#include "testutil/model_builder.h"

namespace litemp {
namespace {

using test::IntsAttr;
using test::ModelBuilder;
using test::RandomTensor;

// x [n,4,8,8] -> Conv (w [8,4,3,3]) -> c -> Relu -> r; s = r + c -> GlobalAveragePool -> p
// -> Flatten -> f [n,8] -> MatMul (w2 [8,10]) -> y [n,10]. Per sample (float32): x 1024
// bytes, c r s 2048 each, p f 32 each, y 40; 7272 in all, 5224 without r (the sweep
// computes the Relu's output again rather than caching it).
ModelBuilder ResidualModel(int64_t n) {
  ModelBuilder b;
  b.Input("x", {n, 4, 8, 8}).Output("y", {n, 10});
  b.Initializer("w", RandomTensor({8, 4, 3, 3}, 1)).Initializer("w2", RandomTensor({8, 10}, 2));
  b.Node("Conv", "conv", {"x", "w"}, {"c"}, {IntsAttr("pads", {1, 1, 1, 1})});
  b.Node("Relu", "relu", {"c"}, {"r"});
  b.Node("Add", "add", {"r", "c"}, {"s"});
  b.Node("GlobalAveragePool", "gap", {"s"}, {"p"});
  b.Node("Flatten", "flat", {"p"}, {"f"});
  b.Node("MatMul", "mm", {"f", "w2"}, {"y"});
  return b;
}

TEST(MemoryEstimate, ActivationsPeakWhileTheResidualIsAlive) {
  auto m = ResidualModel(-1).Build();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  bool unknown = true;
  // x is held throughout; c lives until the Add, so x + c + r + s = 7168 bytes per sample at
  // the Add, the most at any point (after it: x + p = 1056, ...).
  EXPECT_EQ(PeakActivationBytes(m.value()->graph(), 1, &unknown), 7168);
  EXPECT_FALSE(unknown);
  EXPECT_EQ(PeakActivationBytes(m.value()->graph(), 32), 32 * 7168);
}

TEST(MemoryEstimate, RunSizesAreTheSweepsAndTheMsesDefaults) {
  EXPECT_EQ(static_cast<size_t>(kRunBytes), SensitivityOptions{}.run_bytes);
}

TEST(MemoryEstimate, AddsUpTheComponents) {
  auto m = ResidualModel(-1).Build();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  MemoryEstimate e = EstimateRunMemory(*m.value());  // run's defaults: batch 32, sens 32, 512 MB
  const int64_t w = 8 * 4 * 3 * 3 * 4, w2 = 8 * 10 * 4;
  EXPECT_EQ(e.weights_mapped, 0);
  EXPECT_EQ(e.weights_in_memory, w + w2);
  EXPECT_EQ(e.weights_proto, w + w2);
  EXPECT_EQ(e.layer_weights, w + w2);               // both are layer weights
  EXPECT_EQ(e.weight_copies, (3 + 2) * (w + w2));  // 3 executors, 2 simulations
  EXPECT_EQ(e.activations, 32 * 7168);
  EXPECT_EQ(e.sweep_cache_per_sample, 5224);
  EXPECT_EQ(e.sweep_cache, 32 * 5224);  // all 32 samples fit the budget
  EXPECT_EQ(e.sweep_samples, 32 * 1024);
  EXPECT_EQ(e.runtime, kRuntimeBytes);
  EXPECT_EQ(e.batch_inputs, 32 * 1024);
  EXPECT_EQ(e.evaluation, 32 * 7168 + 32 * 1024);
  EXPECT_EQ(e.sweep_run, 32 * 7168);  // all 32 samples' values are under 256 MiB: one run
  EXPECT_EQ(e.sweep, 32 * 5224 + 32 * 1024 + 32 * 7168);
  // The per-layer MSE keeps every value of its samples (the Relu's output too).
  EXPECT_EQ(e.layer_mse, 32 * 1024 + 32 * 7272 + 32 * 7168);
  // Phases do not add up: the largest one counts, plus the allocator's share of it.
  EXPECT_EQ(e.largest_phase, e.layer_mse);
  EXPECT_EQ(e.allocator, static_cast<int64_t>(kAllocatorOverhead * static_cast<double>(e.layer_mse)));
  EXPECT_EQ(e.total, 2 * (w + w2) + 5 * (w + w2) + kRuntimeBytes + e.layer_mse + e.allocator);
  EXPECT_FALSE(e.unknown_dims);

  // A budget of 20000 bytes holds 3 samples' cached values at a time.
  MemoryEstimateOptions o;
  o.batch = 4;
  o.memory_budget_bytes = 20000;
  e = EstimateRunMemory(*m.value(), o);
  EXPECT_EQ(e.activations, 4 * 7168);
  EXPECT_EQ(e.evaluation, 4 * 7168 + 4 * 1024);
  EXPECT_EQ(e.sweep_cache, 3 * 5224);
  EXPECT_EQ(e.sweep_run, 3 * 7168);  // runs within a chunk
  EXPECT_EQ(e.sweep, 3 * 5224 + 32 * 1024 + 3 * 7168);
  // The per-layer MSE is not bound by the budget: its groups fill 256 MiB runs.
  EXPECT_EQ(e.layer_mse, 32 * 1024 + 32 * 7272 + 32 * 7168);
  EXPECT_EQ(e.largest_phase, e.layer_mse);
  // Never less than one sample, whatever the budget.
  o.memory_budget_bytes = 1;
  EXPECT_EQ(EstimateRunMemory(*m.value(), o).sweep_cache, 5224);
}

// ResidualModel up to f [n,8] (no MatMul), on 512x512 inputs: it keeps samples apart, and
// 256 MiB groups hold 9 samples, so the 31 after the first make 4 groups: two threads run
// them a sample at a time each, more threads would idle and run them whole (SplitThreadsFor).
// Per sample: x 4 MiB, c r s 8 MiB each, p f 32 bytes each; at most x + c + r + s live;
// the sweep caches all but r.
TEST(MemoryEstimate, PerLayerMseBySampleHoldsASamplePerThread) {
  ModelBuilder b;
  b.Input("x", {-1, 4, 512, 512}).Output("f", {-1, 8});
  b.Initializer("w", RandomTensor({8, 4, 3, 3}, 1));
  b.Node("Conv", "conv", {"x", "w"}, {"c"}, {IntsAttr("pads", {1, 1, 1, 1})});
  b.Node("Relu", "relu", {"c"}, {"r"});
  b.Node("Add", "add", {"r", "c"}, {"s"});
  b.Node("GlobalAveragePool", "gap", {"s"}, {"p"});
  b.Node("Flatten", "flat", {"p"}, {"f"});
  auto m = b.Build();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_TRUE(CheckSamplesIndependent(m.value()->graph()).ok());
  const int64_t x = 4 << 20, per_sample = x + 3 * (8 << 20) + 64, live = x + 3 * (8 << 20);
  const int64_t w = 8 * 4 * 3 * 3 * 4;
  MemoryEstimateOptions o;
  o.threads = 2;
  MemoryEstimate e = EstimateRunMemory(*m.value(), o);
  EXPECT_EQ(e.sweep_cache_per_sample, per_sample - (8 << 20));
  // The samples, then per thread a sample's values and a run of one; 2 x 2 executors, one
  // of them the simulation's own.
  EXPECT_EQ(e.layer_mse, 32 * x + 2 * (per_sample + live) + 3 * w);
  // Whole groups of 9 samples.
  const int64_t whole = 32 * x + 9 * per_sample + 9 * live;
  o.threads = 1;
  EXPECT_EQ(EstimateRunMemory(*m.value(), o).layer_mse, whole);
  o.threads = 4;
  EXPECT_EQ(EstimateRunMemory(*m.value(), o).layer_mse, whole);
}

TEST(MemoryEstimate, FixedBatchModelsRunTheirBatch) {
  auto m = ResidualModel(2).Build();  // x [2,4,8,8]: --batch does not apply
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  MemoryEstimateOptions o;
  o.memory_budget_bytes = 5 * 5224;  // 5 samples, rounded down to whole batches of 2
  const MemoryEstimate e = EstimateRunMemory(*m.value(), o);
  EXPECT_EQ(e.activations, 2 * 7168);
  EXPECT_EQ(e.batch_inputs, 2 * 1024);
  EXPECT_EQ(e.sweep_cache_per_sample, 5224);
  EXPECT_EQ(e.sweep_cache, 4 * 5224);
  EXPECT_EQ(e.sweep_samples, 32 * 1024);
}

TEST(MemoryEstimate, UnknownDimsCountAsOneAndAreFlagged) {
  // x [N,4,H,8]: H unknown all the way through to s.
  auto m = ModelBuilder().Input("x", {-1, 4, -1, 8}).Output("y", {-1, 4, -1, 8}).Node("Relu", "r", {"x"}, {"y"}).Build();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const MemoryEstimate e = EstimateRunMemory(*m.value());
  EXPECT_TRUE(e.unknown_dims);
  EXPECT_EQ(e.activations, 2 * 32 * 4 * 8 * 4);  // x and y, H taken as 1
}

TEST(MemoryEstimate, MappedExternalWeightsAreCountedApart) {
  const auto dir = std::filesystem::temp_directory_path() / ("litemp_memest_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  ModelBuilder b;
  b.Input("x", {-1, 128}).Output("y", {-1, 256});
  b.ExternalInitializer("w", RandomTensor({128, 256}, 3), dir.string(), "w.bin", 0);  // 128 KiB: mapped
  b.Initializer("bias", RandomTensor({256}, 4));
  b.Node("MatMul", "mm", {"x", "w"}, {"h"}).Node("Add", "add", {"h", "bias"}, {"y"});
  ASSERT_TRUE(WriteFileAtomic((dir / "m.onnx").string(), b.Bytes()).ok());
  auto m = Model::Load((dir / "m.onnx").string());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const MemoryEstimate e = EstimateRunMemory(*m.value());
  EXPECT_EQ(e.weights_mapped, 128 * 256 * 4);
  EXPECT_EQ(e.weights_in_memory, 256 * 4);
  EXPECT_EQ(e.weights_proto, 256 * 4);
  EXPECT_EQ(e.layer_weights, 128 * 256 * 4);  // mapped, but every executor and sim copies it
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace litemp
