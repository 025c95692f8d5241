// litemp prepare MODEL --out FILE: fold BatchNormalization and constants, drop
// Identity/Dropout, fix input shapes (include/litemp/prepare.h), write the result.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/model_flags.h"
#include "litemp/prepare.h"

namespace litemp::cli {

namespace {

struct PrepareArgs {
  std::string model, out;
  std::vector<std::string> shapes;
  std::string kernels;  // constant folding runs litemp's kernels
  bool no_fold_bn = false, no_fold_constants = false, no_drop_identity = false, json = false;
};

int RunPrepare(const PrepareArgs& a) {
  PrepareOptions o;
  o.fold_bn = !a.no_fold_bn;
  o.fold_constants = !a.no_fold_constants;
  o.drop_identity = !a.no_drop_identity;
  for (const auto& text : a.shapes) {
    auto s = ParseInputShape(text);
    if (!s.ok()) return Fail(s.status());
    o.shapes.push_back(std::move(s).value());
  }
  Status ks = CheckKernels(a.kernels);
  if (ks.ok()) ks = ApplyKernels(a.kernels);
  if (!ks.ok()) return Fail(ks);
  PrepareReport r;
  // Loading the prepared model proves it loads before anything is written.
  auto model = LoadPreparedModel(a.model, o, &r);
  if (!model.ok()) return Fail(model.status());
  // Large external data is written inline (read into memory for the write).
  Status saved = SaveModel(model.value()->proto(), a.out, model.value()->external_data_dir());
  if (!saved.ok()) return Fail(saved);
  if (a.json) {
    nlohmann::ordered_json j;
    j["model"] = a.model;
    j["out"] = a.out;
    j["nodes_before"] = r.nodes_before;
    j["nodes_after"] = r.nodes_after;
    j["folded_bn"] = r.folded_bn;
    j["folded_constants"] = r.folded_constants;
    j["dropped"] = r.dropped;
    j["removed_initializers"] = r.removed_initializers;
    j["actions"] = r.actions;
    j["notes"] = r.notes;
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("model: %s\n", a.model.c_str());
  for (const auto& line : r.actions) std::printf("  %s\n", line.c_str());
  for (const auto& line : r.notes) std::printf("  note: %s\n", line.c_str());
  if (r.actions.empty()) std::printf("  nothing to change\n");
  std::printf("nodes: %d -> %d\nwrote %s\n", r.nodes_before, r.nodes_after, a.out.c_str());
  return 0;
}

}  // namespace

RunFn AddPrepareCommand(CLI::App* app) {
  auto args = std::make_shared<PrepareArgs>();
  auto* cmd =
      app->add_subcommand("prepare", "fold BatchNormalization and constants, drop Identity/Dropout, fix input shapes");
  cmd->add_option("model", args->model, "ONNX model")->required();
  cmd->add_option("--out", args->out, "where to write the prepared model")->required();
  cmd->add_option("--shape", args->shapes, "NAME:D0,D1,... fixes an input's dims (N keeps one); repeatable")
      ->allow_extra_args(false)  // one value per --shape: MODEL after it is not a second one
      ->take_all();
  cmd->add_flag("--no-fold-bn", args->no_fold_bn, "keep BatchNormalization nodes");
  cmd->add_flag("--no-fold-constants", args->no_fold_constants, "keep constant subgraphs and Constant nodes");
  cmd->add_flag("--no-drop-identity", args->no_drop_identity, "keep Identity and Dropout nodes");
  AddKernelsFlag(cmd, &args->kernels);
  cmd->add_flag("--json", args->json, "print JSON");
  return [args] { return RunPrepare(*args); };
}

}  // namespace litemp::cli
