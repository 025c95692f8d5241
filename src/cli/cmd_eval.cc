// litemp eval MODEL <data> [--quant P] [--encodings FILE]: top-1/top-5 accuracy of the FP32
// model, of a calibrated quantization simulation (calibrated on the split's calibration
// samples, evaluated on the rest), or of a simulation with encodings from a file (AIMET's
// load_encodings_to_sim: no calibration, every sample evaluated).
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/flags.h"
#include "litemp/evaluate.h"
#include "litemp/load_encodings.h"
#include "litemp/model.h"
#include "litemp/quantsim.h"

namespace litemp::cli {

namespace {
struct EvalArgs {
  std::string model;
  DataFlags data;
  QuantFlags quant;
  std::string encodings;
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
  auto model = Model::Load(a.model);
  if (!model.ok()) return Fail(model.status());
  auto data = Dataset::Open(dopt);
  if (!data.ok()) return Fail(data.status());
  if (data.value()->size() == 0) return Fail("the dataset is empty");
  const bool from_file = !a.encodings.empty();
  const bool quant = !a.quant.quant.empty() || from_file;
  std::vector<size_t> all(data.value()->size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  EvalOptions eo;
  eo.batch = a.data.batch;
  eo.quiet = a.json;
  Accuracy acc;
  size_t calib_n = 0;
  if (!quant) {
    auto in = DescribeInput(model.value()->graph());
    if (!in.ok()) return Fail(in.status());
    auto exec = Executor::Create(model.value()->graph());
    if (!exec.ok()) return Fail(exec.status());
    eo.label = "fp32 eval";
    s = EvaluateClassification(*exec.value(), in.value(), *data.value(), all, eo, &acc);
  } else {
    auto sim = QuantSim::Create(*model.value(), qopt);
    if (!sim.ok()) return Fail(sim.status());
    std::vector<size_t> eval = all;
    if (from_file) {
      s = LoadEncodingsFile(*sim.value(), a.encodings);
      if (!s.ok()) return Fail(s);
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
    eo.label = (from_file ? "encodings" : a.quant.quant) + " eval";
    s = sim.value()->SyncConstants();
    if (!s.ok()) return Fail(s);
    eo.run = sim.value()->SimOptions();
    s = EvaluateClassification(sim.value()->executor(), sim.value()->input(), *data.value(), eval, eo, &acc);
  }
  if (!s.ok()) return Fail(s);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string precision = from_file ? "encodings" : quant ? a.quant.quant : "fp32";
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
    j["top1"] = acc.top1;
    j["top5"] = acc.top5;
    j["seconds"] = secs;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s: top-1 %.4f  top-5 %.4f  (%lld samples%s, %.1f s)\n", precision.c_str(), acc.top1, acc.top5,
                static_cast<long long>(acc.samples),
                quant && !from_file ? (", calibrated on " + std::to_string(calib_n)).c_str() : "", secs);
  }
  return 0;
}
}  // namespace

RunFn AddEvalCommand(CLI::App* app) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app->add_subcommand("eval", "top-1/top-5 accuracy on a labelled dataset");
  cmd->add_option("model", args->model, "ONNX model")->required();
  args->data.Add(cmd);
  args->quant.Add(cmd, /*with_quant=*/true);
  cmd->add_option("--encodings", args->encodings,
                  "AIMET encodings file (1.0.0/0.6.1/2.0.0) to evaluate with instead of calibrating");
  cmd->add_flag("--json", args->json, "print JSON");
  return [args] { return RunEval(*args); };
}

}  // namespace litemp::cli
