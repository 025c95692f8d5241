// litemp info MODEL: inputs, outputs, op counts, parameters, FLOPs, unsupported ops.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"
#include "litemp/executor.h"
#include "litemp/model.h"
#include "litemp/stats.h"

namespace litemp::cli {

namespace {
struct InfoArgs {
  std::string model;
  bool json = false;
};

std::string DimsString(const Value& v) {
  if (!v.shape_known) return "?";
  std::string r = "[";
  for (size_t i = 0; i < v.shape.size(); ++i)
    r += (i ? "," : "") + (v.shape[i] < 0 ? std::string("?") : std::to_string(v.shape[i]));
  return r + "]";
}

int RunInfo(const InfoArgs& a) {
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
  return 0;
}
}  // namespace

RunFn AddInfoCommand(CLI::App* app) {
  auto args = std::make_shared<InfoArgs>();
  auto* cmd = app->add_subcommand("info", "inputs, outputs, op counts, parameters, FLOPs, unsupported ops");
  cmd->add_option("model", args->model, "ONNX model")->required();
  cmd->add_flag("--json", args->json, "print JSON");
  return [args] { return RunInfo(*args); };
}

}  // namespace litemp::cli
