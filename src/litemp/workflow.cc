#include "litemp/workflow.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "litemp/evaluate.h"
#include "litemp/export.h"
#include "litemp/fileio.h"
#include "litemp/sensitivity.h"

namespace litemp {

namespace fs = std::filesystem;

namespace {

class Timer {
 public:
  double Seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(); }

 private:
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
};

AccuracyResult ToResult(const Accuracy& a) { return AccuracyResult{a.top1, a.top5, a.samples}; }

// A staging folder beside the output folder, removed unless Commit() moved its files in.
class Staging {
 public:
  explicit Staging(std::string out) : out_(std::move(out)) {}
  // Removes the staging folder, and the output folder too if this run created it and
  // nothing was committed (fs::remove leaves a non-empty folder alone).
  ~Staging() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
    if (created_out_ && !committed_) fs::remove(out_, ec);
  }
  Status Create() {
    std::error_code ec;
    created_out_ = fs::create_directories(out_, ec);
    if (ec || !fs::is_directory(out_)) return Status::IOError("cannot create output folder '" + out_ + "': " + ec.message());
    RemoveStale();
    dir_ = (fs::path(out_) / (kPrefix + std::to_string(::getpid()))).string();
    fs::remove_all(dir_, ec);
    fs::create_directories(dir_, ec);
    if (ec) return Status::IOError("cannot write in '" + out_ + "': " + ec.message());
    return Status::OK();
  }
  const std::string& dir() const { return dir_; }
  // Moves every staged file into the output folder, summary.json last. The previous
  // summary.json goes first: if the moves are cut short, the folder has no summary.json
  // rather than an old one beside new files.
  Status Commit() {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir_, ec)) files.push_back(e.path());
    if (ec) return Status::IOError("cannot list '" + dir_ + "': " + ec.message());
    std::stable_partition(files.begin(), files.end(), [](const fs::path& p) { return p.filename() != "summary.json"; });
    fs::remove(fs::path(out_) / "summary.json", ec);
    if (ec) return Status::IOError("cannot replace '" + out_ + "/summary.json': " + ec.message());
    for (const auto& f : files) {
      fs::rename(f, fs::path(out_) / f.filename(), ec);
      if (ec) return Status::IOError("cannot move '" + f.string() + "' into '" + out_ + "': " + ec.message());
      committed_ = true;
    }
    return Status::OK();
  }

 private:
  static constexpr const char* kPrefix = ".litemp-staging-";

  // Removes staging folders of runs that were killed (their process is gone).
  void RemoveStale() {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(out_, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind(kPrefix, 0) != 0) continue;
      const long pid = std::strtol(name.c_str() + std::strlen(kPrefix), nullptr, 10);
      if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove_all(e.path(), ec);
    }
  }

  std::string out_, dir_;
  bool created_out_ = false, committed_ = false;
};

}  // namespace

Status RunWorkflow(const WorkflowOptions& o, RunReport* report) {
  Timer total;
  RunReport r;
  r.command = o.analyze_only ? "analyze" : "run";
  r.model = o.model_path;
  r.precision = o.target.name;
  r.scheme = SchemeName(o.quant.scheme);
  r.config = o.quant.config;
  r.percent = o.selection.percent;
  LITEMP_RETURN_IF_ERROR(ValidateSelection(o.selection));
  // Checked before the long steps, not when the export finally needs it.
  LITEMP_RETURN_IF_ERROR(CheckEncodingsVersion(o.encodings_version).WithContext("--encodings-version"));
  if (o.sens > o.calib) return Status::InvalidArgument("--sens must not exceed --calib (the sensitivity samples are the first calibration samples)");

  Staging staging(o.out_dir);
  LITEMP_RETURN_IF_ERROR(staging.Create());
  LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<Model> model, Model::Load(o.model_path));
  LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<Dataset> data, Dataset::Open(o.data));
  Split split = MakeSplit(data->size(), o.calib, o.sens, o.eval_max, o.seed);
  if (split.calib.empty()) return Status::InvalidArgument("the dataset is empty");
  if (split.sens.empty()) return Status::InvalidArgument("--sens must be >= 1");
  if (!o.analyze_only && split.eval.empty())
    return Status::InvalidArgument("no samples left to evaluate after " + std::to_string(split.calib.size()) +
                                   " calibration samples (lower --calib)");
  r.samples = {{"total", static_cast<int64_t>(data->size())},
               {"calib", static_cast<int64_t>(split.calib.size())},
               {"sens", static_cast<int64_t>(split.sens.size())},
               {"eval", static_cast<int64_t>(o.analyze_only ? 0 : split.eval.size())}};

  LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<QuantSim> sim, QuantSim::Create(*model, o.quant));
  EvalOptions eo;
  eo.batch = o.batch;
  eo.quiet = o.quiet;
  Accuracy fp32, w8a8, mixed;
  if (!o.analyze_only) {  // 0. FP32 accuracy (the simulation with every quantizer off is FP32)
    Timer t;
    LITEMP_ASSIGN_OR_RETURN(ModelInput in, DescribeInput(model->graph()));
    LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<Executor> exec, Executor::Create(model->graph()));
    eo.label = "fp32 eval";
    LITEMP_RETURN_IF_ERROR(EvaluateClassification(*exec, in, *data, split.eval, eo, &fp32));
    r.fp32 = ToResult(fp32);
    r.timings_s["fp32_eval"] = t.Seconds();
  }
  {  // 1-2. W8A8 simulation, calibrated.
    Timer t;
    LITEMP_RETURN_IF_ERROR(CalibrateOnDataset(*sim, *data, split.calib, o.batch, o.quiet));
    r.timings_s["calibrate"] = t.Seconds();
  }
  auto evaluate_sim = [&](const std::string& label, Accuracy* acc) -> Status {
    LITEMP_RETURN_IF_ERROR(sim->SyncConstants());
    EvalOptions se = eo;
    se.label = label;
    se.run = sim->SimOptions();
    return EvaluateClassification(sim->executor(), sim->input(), *data, split.eval, se, acc);
  };
  if (!o.analyze_only) {  // 3. W8A8 accuracy
    Timer t;
    LITEMP_RETURN_IF_ERROR(evaluate_sim("w8a8 eval", &w8a8));
    r.w8a8 = ToResult(w8a8);
    r.timings_s["w8a8_eval"] = t.Seconds();
  }
  // 4. Per-layer sensitivity on the first `sens` calibration samples.
  std::vector<LayerSensitivity> sens;
  {
    Timer t;
    LITEMP_ASSIGN_OR_RETURN(Tensor samples, data->LoadBatch(split.sens));
    SensitivityOptions so;
    so.quiet = o.quiet;
    so.memory_budget_bytes = o.memory_budget_bytes;
    LITEMP_ASSIGN_OR_RETURN(sens, AnalyzePerLayerSensitivity(*sim, samples, so));
    r.timings_s["sensitivity"] = t.Seconds();
  }
  r.layers = static_cast<int>(sens.size());
  std::vector<double> psnrs;
  for (const auto& s : sens) psnrs.push_back(s.psnr);
  // `analyze` only ranks; nothing is flipped.
  size_t k = o.analyze_only ? 0 : CountToFlip(psnrs, o.selection);
  std::vector<int> flipped;
  for (size_t i = 0; i < k; ++i) {
    flipped.push_back(sens[i].layer);
    r.flipped.push_back(sens[i].name);
  }
  if (!o.analyze_only) {
    // Optional accuracy-vs-percent curve: each point flips from the W8A8 state.
    for (double pct : o.percent_sweep) {
      LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<QuantSim> s2, QuantSim::Create(*model, o.quant));
      FlipSelection sel;
      sel.percent = pct;
      size_t kk = CountToFlip(psnrs, sel);
      std::vector<int> layers;
      for (size_t i = 0; i < kk; ++i) layers.push_back(sens[i].layer);
      FlipLayers(*s2, layers, o.target);
      LITEMP_RETURN_IF_ERROR(CalibrateOnDataset(*s2, *data, split.calib, o.batch, true));
      LITEMP_RETURN_IF_ERROR(s2->SyncConstants());
      EvalOptions pe = eo;
      pe.label = "curve " + std::to_string(static_cast<int>(pct)) + "%";
      pe.run = s2->SimOptions();
      Accuracy a;
      LITEMP_RETURN_IF_ERROR(EvaluateClassification(s2->executor(), s2->input(), *data, split.eval, pe, &a));
      r.percent_curve.push_back(PercentPoint{pct, static_cast<int>(kk), a.top1});
    }
    // 5-6. Flip and recalibrate everything.
    Timer t;
    FlipLayers(*sim, flipped, o.target);
    LITEMP_RETURN_IF_ERROR(CalibrateOnDataset(*sim, *data, split.calib, o.batch, o.quiet));
    r.timings_s["recalibrate"] = t.Seconds();
    // 7. Mixed accuracy and export.
    Timer te;
    LITEMP_RETURN_IF_ERROR(evaluate_sim("mixed eval", &mixed));
    r.mixed = ToResult(mixed);
    r.timings_s["mixed_eval"] = te.Seconds();
    Timer tx;
    LITEMP_ASSIGN_OR_RETURN(std::string enc, EncodingsJson(*sim, o.encodings_version));
    LITEMP_RETURN_IF_ERROR(WriteFileAtomic(staging.dir() + "/model.encodings", enc));
    LITEMP_RETURN_IF_ERROR(ExportQdqModel(*sim, *model, staging.dir() + "/model_qdq.onnx"));
    r.timings_s["export"] = tx.Seconds();
    for (size_t i = 0; i < split.eval.size(); ++i) {
      size_t s = split.eval[i];
      r.predictions.push_back(Prediction{data->name(s), data->label(s), fp32.predicted[i], w8a8.predicted[i],
                                         mixed.predicted[i]});
    }
  }
  // The report wants layers in graph order (its precision map); it ranks them itself.
  std::vector<size_t> by_graph(sens.size());
  for (size_t i = 0; i < sens.size(); ++i) by_graph[i] = i;
  std::sort(by_graph.begin(), by_graph.end(), [&](size_t a, size_t b) { return sens[a].layer < sens[b].layer; });
  for (size_t i : by_graph) {
    LayerReport lr;
    lr.name = sens[i].name;
    lr.op_type = sens[i].op_type;
    lr.psnr = sens[i].psnr;
    lr.flipped = i < k;
    lr.precision = LayerPrecision(*sim, sens[i].layer);
    for (int qi : sim->layer_quantizers(sens[i].layer)) {
      const Quantizer& q = sim->quantizers()[qi];
      if (q.role == QuantizerRole::kOutput && q.enabled && !q.encodings.empty())
        lr.output_range = std::make_pair(static_cast<double>(q.encodings[0].min), static_cast<double>(q.encodings[0].max));
    }
    r.sensitivity.push_back(std::move(lr));
  }
  r.timings_s["total"] = total.Seconds();
  LITEMP_RETURN_IF_ERROR(WriteRunReport(r, staging.dir()));
  LITEMP_RETURN_IF_ERROR(staging.Commit());
  *report = std::move(r);
  return Status::OK();
}

}  // namespace litemp
