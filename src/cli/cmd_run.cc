// litemp run / litemp analyze: the Lite-MP workflow (see include/litemp/workflow.h).
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/model_flags.h"
#include "litemp/fileio.h"
#include "litemp/workflow.h"

namespace litemp::cli {

namespace {
struct RunArgs {
  std::string model, out;
  DataFlags data;
  QuantFlags quant;
  ModelFlags model_flags;
  int64_t sens = 32, eval = 0;
  double percent = 10;
  std::optional<double> psnr_below;
  std::optional<int> count;
  std::string precision = "int16";
  std::string percent_sweep;
  std::string encodings_version = "1.0.0";
  std::string output;
  double memory_budget_mb = 512;
  bool json = false;
  bool analyze = false;
};

Status ToWorkflowOptions(const RunArgs& a, WorkflowOptions* out) {
  WorkflowOptions o;
  LITEMP_RETURN_IF_ERROR(a.data.ToOptions(&o.data));
  LITEMP_RETURN_IF_ERROR(a.quant.ToOptions(&o.quant));
  LITEMP_RETURN_IF_ERROR(a.model_flags.ToOptions(&o.prepare));
  LITEMP_CHECK(!a.out.empty(), "--out DIR is required");
  LITEMP_CHECK(a.sens >= 1, "--sens must be >= 1");
  LITEMP_CHECK(a.eval >= 0, "--eval must be >= 0");
  LITEMP_CHECK(a.memory_budget_mb > 0, "--memory-budget must be > 0 (MB)");
  auto target = ParseFlipTarget(a.precision);
  if (!target.ok()) return target.status().WithContext("--precision");
  o.model_path = a.model;
  o.out_dir = a.out;
  o.batch = a.data.batch;
  o.seed = a.data.seed;
  o.calib = static_cast<size_t>(a.quant.calib);
  o.sens = static_cast<size_t>(a.sens);
  o.eval_max = static_cast<size_t>(a.eval);
  o.target = target.value();
  o.selection.percent = a.percent;
  o.selection.psnr_below = a.psnr_below;
  o.selection.count = a.count;
  o.encodings_version = a.encodings_version;
  // A huge (or inf) budget means no limit; clamped so the conversion stays defined.
  o.memory_budget_bytes = static_cast<size_t>(std::min(a.memory_budget_mb, 1e12) * 1024 * 1024);
  o.analyze_only = a.analyze;
  o.output = a.output;
  o.quiet = a.json;
  if (!a.percent_sweep.empty()) {
    std::vector<float> v;
    LITEMP_RETURN_IF_ERROR(ParseFloatList("--percent-sweep", a.percent_sweep, &v));
    for (float p : v) {
      LITEMP_CHECK(p >= 0 && p <= 100, "--percent-sweep values must be in [0, 100]");
      o.percent_sweep.push_back(p);
    }
  }
  LITEMP_RETURN_IF_ERROR(a.model_flags.ApplyKernels());
  *out = std::move(o);
  return Status::OK();
}

int RunCommand(const RunArgs& a) {
  WorkflowOptions o;
  Status s = ToWorkflowOptions(a, &o);
  if (!s.ok()) return Fail(s);
  if (IsLeadRank() && !a.model_flags.KernelsChosen() && CpuHasAvx512())
    std::fprintf(stderr, "note: this CPU has AVX-512: --kernels native runs faster, with results that differ in "
                         "their last bits from the default portable kernels' (README: Kernels)\n");
  o.comm = JobComm();
  RunReport r;
  s = RunWorkflow(o, &r);
  if (!s.ok()) return Fail(s);
  if (!IsLeadRank()) return 0;
  if (a.json) {
    auto text = ReadFile(a.out + "/summary.json");
    std::printf("%s", text.ok() ? text.value().c_str() : "{}\n");
    return 0;
  }
  auto acc = [](const char* name, const std::optional<AccuracyResult>& x) {
    if (x) std::printf("  %-6s top-1 %.4f  top-5 %.4f  (%lld samples)\n", name, x->top1, x->top5, static_cast<long long>(x->samples));
  };
  acc("fp32", r.fp32);
  acc("w8a8", r.w8a8);
  acc("mixed", r.mixed);
  auto fid = [](const char* name, const std::optional<Fidelity>& f) {
    if (!f) return;
    std::printf("  %-6s vs fp32: PSNR %.2f dB  SQNR %.2f dB", name, f->psnr, f->sqnr);
    if (f->top1_agreement) std::printf("  top-1 agreement %.4f", *f->top1_agreement);
    std::printf("  (%lld samples)\n", static_cast<long long>(f->samples));
  };
  fid("w8a8", r.w8a8_fidelity);
  fid("mixed", r.mixed_fidelity);
  if (!r.prepared.empty()) std::printf("  prepared: %zu changes (summary.json 'prepared')\n", r.prepared.size());
  std::printf("  layers %d, flipped to %s: %zu\n", r.layers, r.precision.c_str(), r.flipped.size());
  for (const auto& n : r.flipped) std::printf("    %s\n", n.c_str());
  std::printf("  total %.1f s; results in %s\n", r.timings_s["total"], a.out.c_str());
  return 0;
}

// Registers the flags of `run` (or `analyze`) on `cmd`, writing into *args.
void AddRunFlags(CLI::App* cmd, RunArgs* args, bool analyze) {
  args->analyze = analyze;
  cmd->add_option("model", args->model, "ONNX model")->required();
  cmd->add_option("--out", args->out, "output folder")->required();
  args->data.Add(cmd);
  args->quant.Add(cmd, /*with_quant=*/false);
  args->model_flags.Add(cmd);
  cmd->add_option("--sens", args->sens, "sensitivity samples (the first of the calibration set)");
  cmd->add_option("--memory-budget", args->memory_budget_mb, "MB of cached activations for the sensitivity sweep");
  cmd->add_option("--output", args->output, "score and compare only this model output (default: every output)");
  if (!analyze) {
    cmd->add_option("--eval", args->eval, "evaluate at most N samples (default: all after calibration)");
    cmd->add_option("--percent", args->percent, "flip the most sensitive percent of layers");
    cmd->add_option("--psnr-below", args->psnr_below, "flip every layer below this PSNR (dB) instead");
    cmd->add_option("--count", args->count, "flip this many layers instead");
    cmd->add_option("--precision", args->precision, "int16 | fp16 | w8a16 (pair: param, activation)");
    cmd->add_option("--percent-sweep", args->percent_sweep, "also evaluate these percents, e.g. 0,5,10,20,30");
    cmd->add_option("--encodings-version", args->encodings_version, "1.0.0 | 0.6.1 | 2.0.0");
  }
  cmd->add_flag("--json", args->json, "print summary.json");
}

RunFn Add(CLI::App* app, bool analyze) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = analyze ? app->add_subcommand("analyze", "per-layer sensitivity only (steps 1, 2, 4)")
                      : app->add_subcommand("run", "the whole Lite-MP workflow: find and flip the sensitive layers");
  AddRunFlags(cmd, args.get(), analyze);
  return [args] { return RunCommand(*args); };
}
}  // namespace

RunFn AddRunCommand(CLI::App* app) { return Add(app, false); }
RunFn AddAnalyzeCommand(CLI::App* app) { return Add(app, true); }

Status ParseRunArgs(const std::vector<std::string>& argv, bool analyze, WorkflowOptions* out) {
  CLI::App app{analyze ? "analyze" : "run"};
  RunArgs args;
  AddRunFlags(&app, &args, analyze);
  std::vector<std::string> reversed(argv.rbegin(), argv.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return Status::InvalidArgument(e.what());
  }
  return ToWorkflowOptions(args, out);
}

Status ParseDataArgs(const std::vector<std::string>& argv, DataOptions* out) {
  CLI::App app{"data"};
  DataFlags flags;
  flags.Add(&app);
  std::vector<std::string> reversed(argv.rbegin(), argv.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return Status::InvalidArgument(e.what());
  }
  return flags.ToOptions(out);
}

}  // namespace litemp::cli
