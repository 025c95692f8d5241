#include "litemp/workflow.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/bytes.h"
#include "core/resources.h"
#include "core/stopwatch.h"
#include "litemp/evaluate.h"
#include "litemp/export.h"
#include "litemp/fileio.h"
#include "litemp/kernel_set.h"
#include "litemp/sensitivity.h"
#include "litemp/shared_prefix.h"
#include "litemp/staging.h"

namespace litemp {

namespace {

AccuracyResult ToResult(const Accuracy& a) { return AccuracyResult{a.top1, a.top5, a.samples}; }

// Steps 0, 3 and 7 in one pass over the evaluation set: FP32 (the plain model: every
// quantizer off is FP32, and faster), W8A8, mixed and each percent-sweep point, each batch
// decoded once. Fills the accuracies, the curve's top-1 and the timings of `r`. A null
// curve simulation is a point with mixed's flips, or none: it scores as mixed or W8A8.
Status ScoreAll(Executor& fp32_exec, const ModelInputs& in, QuantSim& w8a8_sim, QuantSim& mixed_sim,
                const std::vector<std::unique_ptr<QuantSim>>& curve_sims, const Dataset& data,
                const std::vector<size_t>& eval, const WorkflowOptions& o, RunReport* r, Accuracy* fp32,
                Accuracy* w8a8, Accuracy* mixed) {
  LITEMP_RETURN_IF_ERROR(w8a8_sim.SyncConstants());
  std::vector<Accuracy> curve(curve_sims.size());
  std::vector<EvalTarget> targets;
  auto add = [&](std::string name, Executor* e, const ModelInputs* mi, RunOptions run, Accuracy* acc) {
    EvalTarget t;
    t.name = std::move(name);
    t.exec = e;
    t.inputs = mi;
    t.run = std::move(run);
    t.result = acc;
    targets.push_back(std::move(t));
  };
  add("fp32", &fp32_exec, &in, RunOptions{}, fp32);
  add("w8a8", &w8a8_sim.executor(), &w8a8_sim.inputs(), w8a8_sim.SimOptions(), w8a8);
  add("mixed", &mixed_sim.executor(), &mixed_sim.inputs(), mixed_sim.SimOptions(), mixed);
  std::vector<QuantSim*> sims = {&w8a8_sim, &mixed_sim};  // of targets 1..
  for (size_t i = 0; i < curve_sims.size(); ++i) {
    if (!curve_sims[i]) continue;
    add("the percent sweep", &curve_sims[i]->executor(), &curve_sims[i]->inputs(), curve_sims[i]->SimOptions(), &curve[i]);
    sims.push_back(curve_sims[i].get());
  }
  // Mixed and the sweep's points each run from the earlier simulation (W8A8 or another
  // point) they share most nodes with: up to their first flipped layer, or all of them.
  for (size_t i = 1; i < sims.size(); ++i) {
    EvalTarget& t = targets[i + 1];
    for (size_t j = 0; j < i; ++j) {
      LITEMP_ASSIGN_OR_RETURN(SharedPrefix p, PlanSharedPrefix(*sims[j], *sims[i]));
      if (p.shared_nodes <= t.share.shared_nodes) continue;
      t.share = std::move(p);
      t.shares_with = static_cast<int>(j + 1);
    }
  }
  EvalOptions eo;
  eo.output = o.output;
  eo.batch = o.batch;
  eo.quiet = o.quiet || RankOf(o.comm) != 0;
  eo.comm = o.comm;
  eo.label = curve_sims.empty() ? "evaluate fp32, w8a8, mixed" : "evaluate fp32, w8a8, mixed, curve";
  double load_s = 0;
  LITEMP_RETURN_IF_ERROR(EvaluateClassificationMany(targets, data, eval, eo, &load_s));
  if (fp32->labelled) {
    r->fp32 = ToResult(*fp32);
    r->w8a8 = ToResult(*w8a8);
    r->mixed = ToResult(*mixed);
  }
  r->w8a8_fidelity = w8a8->fidelity;
  r->mixed_fidelity = mixed->fidelity;
  for (size_t i = 0; i < curve.size(); ++i) {
    if (!curve_sims[i]) curve[i] = static_cast<size_t>(r->percent_curve[i].flipped) == r->flipped.size() ? *mixed : *w8a8;
    r->percent_curve[i].top1 = curve[i].labelled ? curve[i].top1 : std::nan("");
    r->percent_curve[i].fidelity = curve[i].fidelity;
  }
  r->timings_s["load_eval_data"] = load_s;
  r->timings_s["fp32_eval"] = targets[0].seconds;
  r->timings_s["w8a8_eval"] = targets[1].seconds;
  r->timings_s["mixed_eval"] = targets[2].seconds;
  if (!curve.empty()) {
    double c = 0;
    for (size_t i = 3; i < targets.size(); ++i) c += targets[i].seconds;
    r->timings_s["percent_sweep_eval"] = c;
  }
  return Status::OK();
}

// A hash of every quantizer's enabled flag and encodings: ranks that calibrated alike agree.
uint64_t EncodingsFingerprint(const QuantSim& sim) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  auto mix = [&h](const void* p, size_t n) {
    for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<const unsigned char*>(p)[i]) * 1099511628211ull;
  };
  for (const Quantizer& q : sim.quantizers()) {
    mix(&q.enabled, sizeof q.enabled);
    for (const Encoding& e : q.encodings) {
      mix(&e.min, sizeof e.min);
      mix(&e.max, sizeof e.max);
      mix(&e.scale, sizeof e.scale);
      mix(&e.offset, sizeof e.offset);
      mix(&e.steps, sizeof e.steps);
    }
  }
  return h;
}

// Every rank calibrates on its own (no waiting, nothing to send but a hash); this checks
// they got the same encodings, which results byte-identical to one process's require. They
// differ only where ranks run different kernels (native kernels on nodes with different
// CPUs) or different thread counts.
Status CheckSameEncodings(Comm* comm, const Status& local, const QuantSim& sim) {
  if (SizeOf(comm) <= 1) return local;
  ByteWriter w;
  w.Put(local.ok() ? EncodingsFingerprint(sim) : uint64_t{0});
  LITEMP_ASSIGN_OR_RETURN(std::vector<std::string> all, comm->Exchange("calibration", local, w.Take()));
  for (size_t r = 1; r < all.size(); ++r)
    if (all[r] != all[0])
      return Status::Internal("rank " + std::to_string(r) + " calibrated to different encodings than rank 0; every " +
                              "rank must run the same kernels (--kernels native: the same CPU type; the default portable kernels "
                              "agree on any AVX2 machine) with the same --threads");
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<Model>> LoadModelForQuantization(const std::string& path, const PrepareOptions& p,
                                                        PrepareReport* report) {
  if (!p.fold_bn && !p.fold_constants && !p.drop_identity && p.shapes.empty()) return Model::Load(path);
  return LoadPreparedModel(path, p, report);
}

Result<std::unique_ptr<Model>> LoadModelBytesForQuantization(const std::string& bytes, const std::string& dir,
                                                             const PrepareOptions& p, PrepareReport* report) {
  if (!p.fold_bn && !p.fold_constants && !p.drop_identity && p.shapes.empty()) return Model::FromBytes(bytes, dir);
  return LoadPreparedModelFromBytes(bytes, dir, p, report);
}

namespace {

// A job's last exchange, made once: every rank says whether it finished. The lead writes
// its outputs only after it, so no rank's failure can stop a job halfway through writing.
struct JobEnd {
  Comm* comm = nullptr;
  bool done = false;
  Status Finish(const Status& s) {
    const bool exchange = !done && SizeOf(comm) > 1 && !comm->failed();
    done = true;
    return exchange ? comm->Agree("done", s) : s;
  }
};

// The workflow up to staging the outputs (lead rank only), which RunWorkflow commits.
Status RunWorkflowHere(const WorkflowOptions& o, JobEnd* end, Staging* staging, RunReport* report) {
  const bool lead = RankOf(o.comm) == 0;  // the rank that writes and shows progress
  const bool quiet = o.quiet || !lead;
  Stopwatch total;
  RunReport r;
  r.command = o.analyze_only ? "analyze" : "run";
  r.model = o.model_path;
  r.precision = o.target.name;
  r.scheme = SchemeName(o.quant.scheme);
  r.config = o.quant.config;
  r.percent = o.selection.percent;
  r.output = o.output;
  LITEMP_RETURN_IF_ERROR(ValidateSelection(o.selection));
  for (double pct : o.percent_sweep) {
    FlipSelection point;
    point.percent = pct;
    LITEMP_RETURN_IF_ERROR(ValidateSelection(point).WithContext("--percent-sweep"));
  }
  // Checked before the long steps, not when the export finally needs it.
  LITEMP_RETURN_IF_ERROR(CheckEncodingsVersion(o.encodings_version).WithContext("--encodings-version"));
  if (o.sens > o.calib) return Status::InvalidArgument("--sens must not exceed --calib (the sensitivity samples are the first calibration samples)");

  if (lead) {
    // An output folder that cannot be made fails now, not after the long steps; nothing is
    // left behind until the results are staged at the end.
    Staging probe(o.out_dir);
    LITEMP_RETURN_IF_ERROR(probe.Create());
  }
  PrepareReport prepared;
  LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<Model> model, LoadModelForQuantization(o.model_path, o.prepare, &prepared));
  r.prepared = prepared.actions;
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
  LITEMP_ASSIGN_OR_RETURN(ModelInputs in, DescribeInputs(model->graph()));
  LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<Executor> exec, Executor::Create(model->graph()));
  // Labels and the output's shape fail now, not after the long steps.
  if (!o.analyze_only) LITEMP_RETURN_IF_ERROR(CheckClassificationSetup(*exec, in, *data, split.eval, o.output));
  {  // 1-2. W8A8 simulation, calibrated.
    Stopwatch t;
    LITEMP_RETURN_IF_ERROR(CheckSameEncodings(o.comm, CalibrateOnDataset(*sim, *data, split.calib, o.batch, quiet), *sim));
    r.timings_s["calibrate"] = t.Seconds();
  }
  // 4. Per-layer sensitivity on the first `sens` calibration samples.
  std::vector<LayerSensitivity> sens;
  std::map<int, double> mse;  // by layer
  {
    Stopwatch t;
    LITEMP_ASSIGN_OR_RETURN(Batch samples, LoadModelBatch(*data, in, split.sens));
    SensitivityOptions so;
    so.quiet = quiet;
    so.memory_budget_bytes = o.memory_budget_bytes;
    so.output = o.output;
    so.comm = o.comm;
    LITEMP_ASSIGN_OR_RETURN(sens, AnalyzePerLayerSensitivity(*sim, samples, so));
    r.timings_s["sensitivity"] = t.Seconds();
    // Where the all-W8A8 model drifts from FP32, on the same samples (for the report).
    Stopwatch tm;
    LITEMP_ASSIGN_OR_RETURN(std::vector<LayerMse> per_layer, PerLayerMse(*sim, samples, size_t{256} << 20, o.comm));
    for (const LayerMse& m : per_layer) mse[m.layer] = m.mse;
    r.timings_s["layer_mse"] = tm.Seconds();
  }
  r.layers = static_cast<int>(sens.size());
  std::vector<double> psnrs;
  for (const auto& s : sens) psnrs.push_back(s.psnr);
  // `analyze` only ranks; nothing is flipped.
  size_t k = o.analyze_only ? 0 : CountToFlip(psnrs, o.selection);
  for (size_t i = 0; i < k; ++i) r.flipped.push_back(sens[i].name);
  // A fresh simulation with `count` most sensitive layers flipped, then recalibrated.
  auto flipped_sim = [&](size_t count, bool silent) -> Result<std::unique_ptr<QuantSim>> {
    LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<QuantSim> s2, QuantSim::Create(*model, o.quant));
    FlipSelection sel;
    sel.count = static_cast<int>(count);
    LITEMP_RETURN_IF_ERROR(FlipLayersToHigherPrecision(*s2, sens, sel, o.target).status());
    LITEMP_RETURN_IF_ERROR(CalibrateOnDataset(*s2, *data, split.calib, o.batch, silent));
    LITEMP_RETURN_IF_ERROR(s2->SyncConstants());
    return s2;
  };
  const QuantSim* final_sim = sim.get();
  std::unique_ptr<QuantSim> mixed_sim;
  Accuracy fp32, w8a8, mixed;
  if (!o.analyze_only) {
    // 5-6. Flip and recalibrate everything (in a second simulation: `sim` stays W8A8 so that
    // FP32, W8A8 and mixed are scored in one pass over the evaluation set).
    Stopwatch t;
    LITEMP_ASSIGN_OR_RETURN(mixed_sim, flipped_sim(k, quiet));
    r.timings_s["recalibrate"] = t.Seconds();
    final_sim = mixed_sim.get();
    // Optional accuracy-vs-percent curve: one more simulation per point, scored in the same pass.
    Stopwatch tc;
    std::vector<std::unique_ptr<QuantSim>> curve_sims;
    for (double pct : o.percent_sweep) {
      FlipSelection sel;
      sel.percent = pct;
      size_t kk = CountToFlip(psnrs, sel);
      // The same flips as mixed, or none, give the same simulation (calibration is
      // deterministic): that one is scored for the point.
      std::unique_ptr<QuantSim> s2;
      if (kk != k && kk != 0) {
        LITEMP_ASSIGN_OR_RETURN(s2, flipped_sim(kk, true));
      }
      curve_sims.push_back(std::move(s2));
      r.percent_curve.push_back(PercentPoint{pct, static_cast<int>(kk), 0, std::nullopt});
    }
    if (!curve_sims.empty()) r.timings_s["percent_sweep_calibrate"] = tc.Seconds();
    // 0, 3, 7. FP32, W8A8 and mixed accuracy (and the curve's points), each batch decoded once.
    LITEMP_RETURN_IF_ERROR(ScoreAll(*exec, in, *sim, *mixed_sim, curve_sims, *data, split.eval, o, &r, &fp32, &w8a8, &mixed));
    LITEMP_RETURN_IF_ERROR(end->Finish(Status::OK()));
    if (lead) {
      Stopwatch tx;
      LITEMP_RETURN_IF_ERROR(staging->Create());
      LITEMP_ASSIGN_OR_RETURN(std::string enc, EncodingsJson(*mixed_sim, o.encodings_version));
      LITEMP_RETURN_IF_ERROR(WriteFileAtomic(staging->dir() + "/model.encodings", enc));
      LITEMP_RETURN_IF_ERROR(ExportQdqModel(*mixed_sim, *model, staging->dir() + "/model_qdq.onnx"));
      r.timings_s["export"] = tx.Seconds();
    }
    for (size_t i = 0; i < split.eval.size(); ++i) {
      size_t s = split.eval[i];
      auto at = [i](const Accuracy& a) { return i < a.predicted.size() ? a.predicted[i] : int64_t{-1}; };
      r.predictions.push_back(Prediction{data->name(s), data->label(s), at(fp32), at(w8a8), at(mixed)});
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
    lr.precision = LayerPrecision(*final_sim, sens[i].layer);
    if (auto m = mse.find(sens[i].layer); m != mse.end()) lr.w8a8_mse = m->second;
    for (int qi : final_sim->layer_quantizers(sens[i].layer)) {
      const Quantizer& q = final_sim->quantizers()[qi];
      if (q.role == QuantizerRole::kOutput && q.enabled && !q.encodings.empty())
        lr.output_range = std::make_pair(static_cast<double>(q.encodings[0].min), static_cast<double>(q.encodings[0].max));
    }
    r.sensitivity.push_back(std::move(lr));
  }
  r.timings_s["total"] = total.Seconds();
  const ResourceUsage use = ProcessResources();
  r.resources = {{"peak_rss_mb", use.peak_rss_mb},
                 {"minor_page_faults", static_cast<double>(use.minor_faults)},
                 {"major_page_faults", static_cast<double>(use.major_faults)}};
  // With several ranks the figures are the lead rank's own.
  r.resources["ranks"] = SizeOf(o.comm);
  if (Result<KernelSet> k = UseKernelSet(); k.ok()) {
    r.kernels = KernelSetName(*k);
    r.kernel_isa = KernelIsa();
  }
  LITEMP_RETURN_IF_ERROR(end->Finish(Status::OK()));  // a no-op after `run`'s export
  if (lead) {
    if (staging->dir().empty()) LITEMP_RETURN_IF_ERROR(staging->Create());
    LITEMP_RETURN_IF_ERROR(WriteRunReport(r, staging->dir()));
  }
  *report = std::move(r);
  return Status::OK();
}

}  // namespace

Status RunWorkflow(const WorkflowOptions& o, RunReport* report) {
  Staging staging(o.out_dir);
  RunReport r;
  JobEnd end{o.comm};
  Status s = RunWorkflowHere(o, &end, &staging, &r);
  // A rank that failed early ends here: a rank still working meets it in its next exchange.
  s = end.Finish(s);
  if (s.ok() && RankOf(o.comm) == 0) s = staging.Commit();
  if (s.ok()) *report = std::move(r);
  return s;
}

}  // namespace litemp
