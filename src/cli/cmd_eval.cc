// litemp eval MODEL <data> [--quant P] [--encodings FILE]: top-1/top-5 accuracy of the FP32
// model, of a calibrated quantization simulation (calibrated on the split's calibration
// samples, evaluated on the rest), or of a simulation with encodings from a file (AIMET's
// load_encodings_to_sim: no calibration, every sample evaluated). A simulation is also
// compared with FP32 on the same samples (fidelity.h), which is all there is without labels.
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/model_flags.h"
#include "litemp/evaluate.h"
#include "litemp/load_encodings.h"
#include "litemp/model.h"
#include "litemp/quantsim.h"
#include "litemp/workflow.h"

namespace litemp::cli {

namespace {
std::string Fixed(double v, int digits = 4) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

struct EvalArgs {
  std::string model;
  DataFlags data;
  QuantFlags quant;
  ModelFlags model_flags;
  std::string encodings;
  std::string output;
  bool json = false;
};

int RunEval(const EvalArgs& a) {
  auto t0 = std::chrono::steady_clock::now();
  DataOptions dopt;
  Status s = a.data.ToOptions(&dopt);
  if (!s.ok()) return Fail(s);
  QuantSimOptions qopt;
  s = a.quant.ToOptions(&qopt);
  if (!s.ok()) return Fail(s);
  PrepareOptions popt;
  s = a.model_flags.ToOptions(&popt);
  if (s.ok()) s = a.model_flags.ApplyKernels();
  if (!s.ok()) return Fail(s);
  auto model = LoadModelForQuantization(a.model, popt, nullptr);
  if (!model.ok()) return Fail(model.status());
  auto data = Dataset::Open(dopt);
  if (!data.ok()) return Fail(data.status());
  if (data.value()->size() == 0) return Fail("the dataset is empty");
  const bool from_file = !a.encodings.empty();
  const bool quant = !a.quant.quant.empty() || from_file;
  const std::string precision = from_file ? "encodings" : quant ? a.quant.quant : "fp32";
  std::vector<size_t> all(data.value()->size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  if (!quant && !data.value()->has_labels())
    return Fail("without --labels there is nothing to score in FP32; give --quant or --encodings to compare a "
                "simulation with FP32");
  EvalOptions eo;
  eo.batch = a.data.batch;
  eo.quiet = a.json;
  eo.output = a.output;
  Accuracy acc;
  size_t calib_n = 0;
  if (!quant) {
    auto in = DescribeInputs(model.value()->graph());
    if (!in.ok()) return Fail(in.status());
    auto exec = Executor::Create(model.value()->graph());
    if (!exec.ok()) return Fail(exec.status());
    eo.label = "fp32 eval";
    s = EvaluateClassification(*exec.value(), in.value(), *data.value(), all, eo, &acc);
  } else {
    auto sim = QuantSim::Create(*model.value(), qopt);
    if (!sim.ok()) return Fail(sim.status());
    // Labels, the scored output and the data's shape fail now, not after calibrating.
    s = CheckClassificationSetup(sim.value()->executor(), sim.value()->inputs(), *data.value(), all, a.output);
    if (!s.ok()) return Fail(s);
    std::vector<size_t> eval = all;
    if (from_file) {
      s = LoadEncodingsFile(*sim.value(), a.encodings);
      if (!s.ok()) {
        // Folding renames or removes tensors an encodings file of the original graph names.
        if (!a.model_flags.no_prepare)
          return Fail(s.ToString() + " (the model was prepared first; encodings of the unprepared graph need --no-prepare)");
        return Fail(s);
      }
    } else {
      Split split = MakeSplit(data.value()->size(), static_cast<size_t>(a.quant.calib), 0, 0, a.data.seed);
      if (split.eval.empty())
        return Fail("no samples left to evaluate after " + std::to_string(split.calib.size()) +
                    " calibration samples (lower --calib)");
      calib_n = split.calib.size();
      s = CalibrateOnDataset(*sim.value(), *data.value(), split.calib, a.data.batch, a.json);
      if (!s.ok()) return Fail(s);
      eval = split.eval;
    }
    eo.label = precision + " eval";
    s = sim.value()->SyncConstants();
    if (!s.ok()) return Fail(s);
    // FP32 (the reference) and the simulation, each batch decoded once.
    auto in = DescribeInputs(model.value()->graph());
    if (!in.ok()) return Fail(in.status());
    auto exec = Executor::Create(model.value()->graph());
    if (!exec.ok()) return Fail(exec.status());
    Accuracy fp32;
    std::vector<EvalTarget> targets(2);
    targets[0].name = "fp32";
    targets[0].exec = exec.value().get();
    targets[0].inputs = &in.value();
    targets[0].result = &fp32;
    targets[1].name = precision;
    targets[1].exec = &sim.value()->executor();
    targets[1].inputs = &sim.value()->inputs();
    targets[1].run = sim.value()->SimOptions();
    targets[1].result = &acc;
    s = EvaluateClassificationMany(targets, *data.value(), eval, eo);
  }
  if (!s.ok()) return Fail(s);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (a.json) {
    nlohmann::ordered_json j;
    j["model"] = a.model;
    j["precision"] = precision;
    if (quant) {
      j["scheme"] = a.quant.scheme;
      j["config"] = a.quant.config;
      j["calib_samples"] = calib_n;
      if (from_file) j["encodings"] = a.encodings;
    }
    j["samples"] = acc.samples;
    if (acc.labelled) {
      j["top1"] = acc.top1;
      j["top5"] = acc.top5;
    }
    if (acc.fidelity) {
      const Fidelity& f = *acc.fidelity;
      nlohmann::ordered_json fj;
      fj["psnr"] = f.psnr;
      fj["sqnr"] = f.sqnr;
      if (f.top1_agreement) fj["top1_agreement"] = *f.top1_agreement;
      fj["outputs"] = nlohmann::ordered_json::array();
      for (const OutputFidelity& o : f.outputs) fj["outputs"].push_back({{"output", o.name}, {"psnr", o.psnr}, {"sqnr", o.sqnr}});
      j["fidelity"] = std::move(fj);
    }
    j["seconds"] = secs;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::string what = acc.labelled ? "top-1 " + Fixed(acc.top1) + "  top-5 " + Fixed(acc.top5) : "no labels";
    if (acc.fidelity) {
      what += "  PSNR vs fp32 " + Fixed(acc.fidelity->psnr, 2) + " dB";
      if (acc.fidelity->top1_agreement) what += "  top-1 agreement " + Fixed(*acc.fidelity->top1_agreement);
    }
    std::printf("%s: %s  (%lld samples%s, %.1f s)\n", precision.c_str(), what.c_str(), static_cast<long long>(acc.samples),
                quant && !from_file ? (", calibrated on " + std::to_string(calib_n)).c_str() : "", secs);
  }
  return 0;
}
}  // namespace

RunFn AddEvalCommand(CLI::App* app) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app->add_subcommand("eval", "top-1/top-5 accuracy, and a simulation's fidelity to FP32");
  cmd->add_option("model", args->model, "ONNX model")->required();
  args->data.Add(cmd);
  args->quant.Add(cmd, /*with_quant=*/true);
  args->model_flags.Add(cmd);
  cmd->add_option("--encodings", args->encodings,
                  "AIMET encodings file (1.0.0/0.6.1/2.0.0) to evaluate with instead of calibrating");
  cmd->add_option("--output", args->output, "score and compare only this model output (default: the first is scored, all compared)");
  cmd->add_flag("--json", args->json, "print JSON");
  return [args] { return RunEval(*args); };
}

}  // namespace litemp::cli
