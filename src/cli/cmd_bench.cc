// litemp bench MODEL: times inference on seeded random inputs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/model_flags.h"
#include "core/parallel.h"
#include "litemp/kernel_set.h"
#include "litemp/model.h"
#include "litemp/profile.h"
#include "litemp/quantsim.h"
#include "litemp/runner.h"
#include "litemp/sample_parallel.h"
#include "litemp/stats.h"
#include "litemp/workflow.h"

namespace litemp::cli {

namespace {
struct BenchArgs {
  std::string model;
  int batch = 1, iters = 10, warmup = 2, threads = 0;
  bool json = false, profile = false;
  QuantFlags quant;
  ModelFlags model_flags;
};

int RunBench(const BenchArgs& a) {
  if (a.batch < 1) return Fail("--batch must be >= 1");
  if (a.iters < 1) return Fail("--iters must be >= 1");
  Status ts = ApplyThreads(a.threads);
  if (!ts.ok()) return Fail(ts);
  PrepareOptions popt;
  Status ps = a.model_flags.ToOptions(&popt);
  if (ps.ok()) ps = a.model_flags.ApplyKernels();
  if (!ps.ok()) return Fail(ps);
  auto model = LoadModelForQuantization(a.model, popt, nullptr);
  if (!model.ok()) return Fail(model.status());
  const Graph& g = model.value()->graph();
  auto in = DescribeInputs(g);
  if (!in.ok()) return Fail(in.status());
  QuantSimOptions qopt;
  Status qs = a.quant.ToOptions(&qopt);
  if (!qs.ok()) return Fail(qs);
  // FP32: a plain executor. Quantized: the simulation's executor with its hook, calibrated
  // on the benchmark's own random batch.
  std::unique_ptr<Executor> plain;
  std::unique_ptr<QuantSim> sim;
  if (a.quant.quant.empty()) {
    auto e = Executor::Create(g);
    if (!e.ok()) return Fail(e.status());
    plain = std::move(e).value();
  } else {
    auto q = QuantSim::Create(*model.value(), qopt);
    if (!q.ok()) return Fail(q.status());
    sim = std::move(q).value();
  }
  Executor* exec = plain ? plain.get() : &sim->executor();
  Batch x;  // seeded random values, one tensor per input
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  for (const ModelInput& mi : in.value()) {
    Shape shape = mi.shape;
    if (shape.empty()) return Fail("input '" + mi.name + "' has no static shape; cannot make random inputs");
    shape[0] = a.batch;
    for (size_t i = 1; i < shape.size(); ++i)
      if (shape[i] < 0)
        return Fail("input '" + mi.name + "' has a symbolic dimension " + std::to_string(i) + "; fix it with --shape " +
                    mi.name + ":N,...");
    Tensor t(DType::kFloat32, shape);
    for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = dist(rng);
    x.push_back(std::move(t));
  }

  // One run records every value's shape for the FLOP count (per chunk when chunked).
  std::vector<Shape> shapes(g.values.size());
  RunOptions record;
  record.on_value = [&](int id, Tensor* t) {
    shapes[id] = t->shape();
    return Status::OK();
  };
  std::unordered_map<int, Tensor> res;
  Status s = RunBatch(*exec, in.value(), x, record, &res);
  if (!s.ok()) return Fail(s);
  RunOptions timed;
  if (sim) {
    s = sim->ComputeEncodings([&](const RunOptions& o) { return RunBatch(*exec, in.value(), x, o, &res); });
    if (!s.ok()) return Fail(s);
    s = sim->SyncConstants();
    if (!s.ok()) return Fail(s);
    timed = sim->SimOptions();
  }
  const int64_t fixed = FixedBatch(in.value());
  double chunks = fixed > 0 ? std::ceil(double(a.batch) / fixed) : 1.0;
  const ModelStats stats = ComputeStats(g, &shapes);
  double flops = stats.flops * chunks;
  // Timed as the evaluation runs: with the samples spread over the threads where that pays.
  SampleParallelRunner runner(*exec, in.value());
  for (int i = 0; i < a.warmup; ++i) {
    s = runner.Run(x, timed, &res);
    if (!s.ok()) return Fail(s);
  }
  std::vector<double> ms;
  for (int i = 0; i < a.iters; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    s = runner.Run(x, timed, &res);
    if (!s.ok()) return Fail(s);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  // Profiled runs come after the timed ones (timing each node costs a little) and run whole,
  // after as many warm-up runs (a split batch has not built the whole batch's primitives).
  ProfileSummary prof;
  if (a.profile) {
    std::vector<NodeTime> times(exec->graph().nodes.size());
    RunOptions o = timed;
    o.profile = &times;
    for (int i = 0; i < a.warmup + a.iters; ++i) {
      if (i == a.warmup) times.assign(times.size(), NodeTime{});
      s = RunBatch(*exec, in.value(), x, o, &res);
      if (!s.ok()) return Fail(s);
    }
    // --json lists every node (for scripts); the text lists the ten slowest.
    prof = SummarizeProfile(exec->graph(), times, a.iters, a.json ? static_cast<int>(times.size()) : 10);
  }
  Result<KernelSet> kernels = UseKernelSet();  // fixed by the runs above
  if (!kernels.ok()) return Fail(kernels.status());
  double median = ms[ms.size() / 2];
  double gflops = flops / (median * 1e-3) / 1e9;
  if (a.json) {
    nlohmann::ordered_json j;
    j["model"] = a.model;
    j["batch"] = a.batch;
    j["precision"] = a.quant.quant.empty() ? "fp32" : a.quant.quant;
    j["threads"] = NumThreads();
    j["kernels"] = KernelSetName(kernels.value());  // ran, so the set is fixed and valid
    j["isa"] = KernelIsa();
    j["samples_split"] = runner.splits(a.batch);
    j["iters"] = a.iters;
    j["ms_per_batch"] = median;
    j["ms_min"] = ms.front();
    j["flops_per_batch"] = flops;
    j["gflops"] = gflops;
    if (a.profile) {
      nlohmann::ordered_json pj;
      pj["runs"] = prof.runs;
      pj["ms_per_run"] = prof.ms;
      pj["ops"] = nlohmann::json::array();
      for (const OpTime& t : prof.ops)
        pj["ops"].push_back({{"op", t.op}, {"nodes", t.nodes}, {"fused", t.fused}, {"ms", t.ms}, {"share", t.share}});
      pj["nodes"] = nlohmann::json::array();
      for (const NodeTimeRow& r : prof.nodes) {
        nlohmann::ordered_json row = {{"name", r.name}, {"op", r.op}, {"ms", r.ms}, {"share", r.share}};
        // Profiled runs are whole batches, so a node's FLOPs are those of a whole batch; with
        // those of the nodes that ran inside its kernel, as its time includes theirs.
        if (stats.node_flops.size() == exec->graph().nodes.size() && r.ms > 0) {
          double f = stats.node_flops[r.index];
          for (int n : r.fused) f += stats.node_flops[n];
          row["gflops"] = f * chunks / (r.ms * 1e-3) / 1e9;
        }
        if (!r.fused.empty()) {
          row["fused"] = nlohmann::json::array();
          for (int n : r.fused) row["fused"].push_back(exec->graph().nodes[n].name);
        }
        pj["nodes"].push_back(row);
      }
      j["profile"] = pj;
    }
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("batch %d, %d threads%s, %s kernels (%s): %.2f ms/batch (median of %d; min %.2f), %.1f GFLOP/s\n",
                a.batch, NumThreads(), runner.splits(a.batch) ? " (samples split over them)" : "",
                KernelSetName(kernels.value()), KernelIsa().c_str(), median, a.iters, ms.front(), gflops);
    if (a.profile) std::printf("%s", FormatProfile(prof).c_str());
  }
  return 0;
}
}  // namespace

RunFn AddBenchCommand(CLI::App* app) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app->add_subcommand("bench", "time inference on random inputs");
  cmd->add_option("model", args->model, "ONNX model")->required();
  cmd->add_option("--batch", args->batch, "batch size");
  cmd->add_option("--iters", args->iters, "timed iterations");
  cmd->add_option("--warmup", args->warmup, "untimed iterations first");
  cmd->add_option("--threads", args->threads, "threads, 1..1024 (default: all cores)");
  args->quant.Add(cmd, /*with_quant=*/true);
  args->model_flags.Add(cmd);
  cmd->add_flag("--profile", args->profile,
                "then as many runs again, whole batches, timing each node: time by op type and the slowest nodes "
                "(a node fused into its producer is charged there)");
  cmd->add_flag("--json", args->json, "print JSON");
  return [args] { return RunBench(*args); };
}

}  // namespace litemp::cli
