// litemp info MODEL: inputs, outputs, op counts, parameters, FLOPs, unsupported ops, and
// an estimate of the memory `litemp run` needs (include/litemp/memory_estimate.h).
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"
#include "litemp/executor.h"
#include "litemp/memory_estimate.h"
#include "litemp/model.h"
#include "litemp/stats.h"

namespace litemp::cli {

namespace {
struct InfoArgs {
  std::string model;
  bool json = false;
  // As `litemp run` takes them, with its defaults.
  int64_t batch = 32, sens = 32;
  double memory_budget_mb = 512;
};

double Mb(int64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

nlohmann::ordered_json EstimateJson(const InfoArgs& a, const MemoryEstimate& e) {
  nlohmann::ordered_json j;
  j["batch"] = a.batch;
  j["sens"] = a.sens;
  j["memory_budget_mb"] = a.memory_budget_mb;
  j["total_bytes"] = e.total;
  j["weights_mapped_bytes"] = e.weights_mapped;
  j["weights_in_memory_bytes"] = e.weights_in_memory;
  j["weights_proto_bytes"] = e.weights_proto;
  j["weight_copies_bytes"] = e.weight_copies;
  j["runtime_bytes"] = e.runtime;
  j["evaluation_bytes"] = e.evaluation;
  j["activations_bytes"] = e.activations;
  j["sweep_bytes"] = e.sweep;
  j["sweep_cache_bytes"] = e.sweep_cache;
  j["sweep_cache_bytes_per_sample"] = e.sweep_cache_per_sample;
  j["layer_mse_bytes"] = e.layer_mse;
  j["allocator_bytes"] = e.allocator;
  j["unknown_dims"] = e.unknown_dims;
  return j;
}

void PrintEstimate(const InfoArgs& a, const MemoryEstimate& e) {
  std::printf("memory estimate of `litemp run` (--batch %lld --sens %lld --memory-budget %g), per process: %.0f MB\n",
              static_cast<long long>(a.batch), static_cast<long long>(a.sens), a.memory_budget_mb, Mb(e.total));
  std::printf("  weights: %.1f MB in memory (and again in the ModelProto), %.1f MB mapped from external data\n",
              Mb(e.weights_in_memory), Mb(e.weights_mapped));
  std::printf("  weight copies (executors' prepared, simulations' quantized): %.1f MB; runtime %.0f MB\n",
              Mb(e.weight_copies), Mb(e.runtime));
  std::printf("  largest phase of: evaluation %.1f MB (activations of one batch %.1f MB), sensitivity sweep %.1f MB "
              "(cache %.1f MB, %.2f MB per sample), per-layer MSE %.1f MB; allocator overhead %.1f MB\n",
              Mb(e.evaluation), Mb(e.activations), Mb(e.sweep), Mb(e.sweep_cache), Mb(e.sweep_cache_per_sample),
              Mb(e.layer_mse), Mb(e.allocator));
  if (e.unknown_dims) std::printf("  (some dims are unknown and counted as 1: the estimate is low)\n");
}

std::string DimsString(const Value& v) {
  if (!v.shape_known) return "?";
  std::string r = "[";
  for (size_t i = 0; i < v.shape.size(); ++i)
    r += (i ? "," : "") + (v.shape[i] < 0 ? std::string("?") : std::to_string(v.shape[i]));
  return r + "]";
}

int RunInfo(const InfoArgs& a) {
  if (a.batch < 1) return Fail("--batch must be >= 1");
  if (a.sens < 1) return Fail("--sens must be >= 1");
  if (!(a.memory_budget_mb > 0)) return Fail("--memory-budget must be > 0 (MB)");
  auto loaded = Model::Load(a.model);
  if (!loaded.ok()) return Fail(loaded.status());
  const Graph& g = loaded.value()->graph();
  ModelStats st = ComputeStats(g);
  Status sup = CheckSupported(g);
  nlohmann::ordered_json j;
  j["model"] = a.model;
  auto io = [&](const std::vector<int>& ids) {
    nlohmann::json arr = nlohmann::json::array();
    for (int id : ids) {
      const Value& v = g.values[id];
      arr.push_back({{"name", v.name}, {"dtype", DTypeName(v.dtype)}, {"shape", DimsString(v)}});
    }
    return arr;
  };
  j["inputs"] = io(g.inputs);
  j["outputs"] = io(g.outputs);
  j["opsets"] = g.opsets;
  j["nodes"] = g.nodes.size();
  j["op_counts"] = st.op_counts;
  j["parameters"] = st.parameters;
  j["flops_per_sample"] = st.flops;
  j["unsupported"] = sup.ok() ? "" : sup.message();
  MemoryEstimateOptions mo;
  mo.batch = a.batch;
  mo.sens = a.sens;
  mo.memory_budget_bytes = static_cast<int64_t>(std::min(a.memory_budget_mb, 1e12) * 1024 * 1024);  // as run
  const MemoryEstimate est = EstimateRunMemory(*loaded.value(), mo);
  j["memory_estimate"] = EstimateJson(a, est);
  if (a.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("model: %s\n", a.model.c_str());
  for (int id : g.inputs)
    std::printf("input:  %s %s %s\n", g.values[id].name.c_str(), DTypeName(g.values[id].dtype), DimsString(g.values[id]).c_str());
  for (int id : g.outputs)
    std::printf("output: %s %s %s\n", g.values[id].name.c_str(), DTypeName(g.values[id].dtype), DimsString(g.values[id]).c_str());
  std::printf("opset: %lld\nnodes: %zu\n", static_cast<long long>(g.opsets.at("")), g.nodes.size());
  for (const auto& [op, n] : st.op_counts) std::printf("  %-24s %d\n", op.c_str(), n);
  std::printf("parameters: %lld\n", static_cast<long long>(st.parameters));
  std::printf("FLOPs per sample (Conv/Gemm/MatMul): %.3f G\n", st.flops / 1e9);
  std::printf("%s\n", sup.ok() ? "all ops supported" : sup.message().c_str());
  PrintEstimate(a, est);
  return 0;
}
}  // namespace

RunFn AddInfoCommand(CLI::App* app) {
  auto args = std::make_shared<InfoArgs>();
  auto* cmd = app->add_subcommand(
      "info", "inputs, outputs, op counts, parameters, FLOPs, unsupported ops, memory `litemp run` needs");
  cmd->add_option("model", args->model, "ONNX model")->required();
  cmd->add_flag("--json", args->json, "print JSON");
  // The memory estimate's assumptions, as `litemp run` takes them.
  cmd->add_option("--batch", args->batch, "batch size of the run the memory estimate is for (default 32)");
  cmd->add_option("--sens", args->sens, "sensitivity samples of that run (default 32)");
  cmd->add_option("--memory-budget", args->memory_budget_mb, "that run's --memory-budget, MB (default 512)");
  return [args] { return RunInfo(*args); };
}

}  // namespace litemp::cli
