// AnalyzePerLayerSensitivity: the public entry points, the naive sweep and the ordering.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "analysis/flag_guard.h"
#include "analysis/sweep.h"
#include "core/bytes.h"
#include "core/progress.h"
#include "litemp/sensitivity.h"

namespace litemp {

namespace {

// Enables one layer's quantizers, syncs the executor, scores, and disables them again.
Result<double> ScoreLayer(QuantSim& sim, const SweepLayer& l, const SimMetric& metric) {
  auto& qs = sim.quantizers();
  for (int qi : l.quantizers) qs[qi].enabled = true;
  Status s = sim.SyncConstants();
  Result<double> r = s.ok() ? metric(sim) : Result<double>(s);
  for (int qi : l.quantizers) qs[qi].enabled = false;
  return r;
}

std::vector<LayerSensitivity> Sorted(const QuantSim& sim, const std::vector<SweepLayer>& layers,
                                     const SweepScores& scores) {
  std::vector<LayerSensitivity> out;
  for (size_t i = 0; i < layers.size(); ++i) {
    const Node& n = sim.graph().nodes[layers[i].layer];
    out.push_back({layers[i].layer, n.name, n.op_type, scores.psnr[i], scores.seconds[i]});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const LayerSensitivity& a, const LayerSensitivity& b) { return a.psnr < b.psnr; });
  return out;
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Nodes that contribute to some graph output (the executor runs no others), or to
// graph.outputs[output] alone when output >= 0.
std::vector<char> LiveNodes(const Graph& g, int output) {
  std::vector<char> needed(g.values.size(), 0), live(g.nodes.size(), 0);
  for (size_t j = 0; j < g.outputs.size(); ++j)
    if (output < 0 || static_cast<int>(j) == output) needed[g.outputs[j]] = 1;
  for (int i = static_cast<int>(g.nodes.size()) - 1; i >= 0; --i) {
    for (int o : g.nodes[i].outputs)
      if (o >= 0 && needed[o]) live[i] = 1;
    if (live[i])
      for (int in : g.nodes[i].inputs)
        if (in >= 0) needed[in] = 1;
  }
  return live;
}

}  // namespace

Status GatherScores(Comm* comm, const std::vector<int>& owner, const Status& local, SweepScores* scores) {
  if (SizeOf(comm) <= 1) return local;
  ByteWriter w;
  for (size_t i = 0; local.ok() && i < owner.size(); ++i) {
    if (owner[i] != comm->rank()) continue;
    w.Put<uint64_t>(i);
    w.Put<double>(scores->psnr[i]);
    w.Put<double>(scores->seconds[i]);
  }
  LITEMP_ASSIGN_OR_RETURN(std::vector<std::string> all, comm->Exchange("sensitivity", local, w.Take()));
  for (const std::string& part : all) {
    ByteReader in(part);
    while (!in.done()) {
      uint64_t i = 0;
      double p = 0, sec = 0;
      LITEMP_RETURN_IF_ERROR(in.Get(&i));
      LITEMP_RETURN_IF_ERROR(in.Get(&p));
      LITEMP_RETURN_IF_ERROR(in.Get(&sec));
      if (i >= owner.size()) return Status::Internal("sensitivity: a rank sent an unknown layer");
      scores->psnr[i] = p;
      scores->seconds[i] = sec;
    }
  }
  return Status::OK();
}

Result<int> ScoredOutput(const QuantSim& sim, const SensitivityOptions& opts) {
  if (opts.output.empty()) return -1;
  return FindOutput(sim.graph(), opts.output);
}

Result<std::vector<SweepLayer>> PlanSweep(const QuantSim& sim, int output) {
  const Graph& g = sim.graph();
  // A layer that feeds no output never runs: calibration gave it no encodings and
  // quantizing it cannot change the outputs, so it is not scored.
  const std::vector<char> live = LiveNodes(g, output);
  std::vector<SweepLayer> layers;
  for (int l : sim.QuantizedLayers()) {
    if (!live[l]) continue;
    SweepLayer sl{l, {}};
    for (int qi : sim.layer_quantizers(l)) {
      const Quantizer& q = sim.quantizers()[qi];
      if (!q.enabled) continue;
      if (!q.has_encoding())
        return Status::InvalidArgument("quantizer on '" + g.values[q.value_id].name + "' (layer '" + g.nodes[l].name +
                                       "') has no encoding; run ComputeEncodings before the sensitivity sweep");
      sl.quantizers.push_back(qi);
    }
    layers.push_back(std::move(sl));
  }
  return layers;
}

Result<std::vector<LayerSensitivity>> AnalyzePerLayerSensitivity(QuantSim& sim, const SimMetric& metric,
                                                                 const SensitivityOptions& opts) {
  const auto t0 = std::chrono::steady_clock::now();
  LITEMP_ASSIGN_OR_RETURN(int output, ScoredOutput(sim, opts));
  LITEMP_ASSIGN_OR_RETURN(std::vector<SweepLayer> layers, PlanSweep(sim, output));
  QuantizerFlagGuard guard(sim);
  guard.DisableAll();
  // Every layer runs the whole model: equal costs.
  const std::vector<int> owner = AssignByCost(std::vector<double>(layers.size(), 1.0), SizeOf(opts.comm));
  const int me = RankOf(opts.comm);
  SweepScores scores{std::vector<double>(layers.size(), std::nan("")), std::vector<double>(layers.size(), 0.0)};
  Status local;
  {
    Progress progress("sensitivity", std::count(owner.begin(), owner.end(), me), opts.quiet);
    for (size_t i = 0; local.ok() && i < layers.size(); ++i) {
      if (owner[i] != me) continue;
      const auto tl = std::chrono::steady_clock::now();
      Result<double> r = ScoreLayer(sim, layers[i], metric);
      if (!r.ok()) {
        local = r.status().WithContext("sensitivity of layer '" + sim.graph().nodes[layers[i].layer].name + "'");
        break;
      }
      scores.psnr[i] = r.value();
      scores.seconds[i] = Since(tl);
      progress.Advance();
    }
    if (local.ok()) progress.Finish();
  }
  LITEMP_RETURN_IF_ERROR(GatherScores(opts.comm, owner, local, &scores));
  LITEMP_RETURN_IF_ERROR(guard.Restore());
  if (opts.stats) {
    *opts.stats = SensitivityStats{};
    opts.stats->layers = static_cast<int>(layers.size());
    opts.stats->seconds = Since(t0);
  }
  return Sorted(sim, layers, scores);
}

Result<std::vector<LayerSensitivity>> AnalyzePerLayerSensitivity(QuantSim& sim, const Tensor& samples,
                                                                 const SensitivityOptions& opts) {
  if (!samples.defined() || samples.rank() == 0 || samples.dim(0) < 1)
    return Status::InvalidArgument("sensitivity: samples must be [K, ...] with K >= 1, got " +
                                   ShapeToString(samples.shape()));
  return AnalyzePerLayerSensitivity(sim, Batch{samples}, opts);
}

Result<std::vector<LayerSensitivity>> AnalyzePerLayerSensitivity(QuantSim& sim, const Batch& samples,
                                                                 const SensitivityOptions& opts) {
  const auto t0 = std::chrono::steady_clock::now();
  LITEMP_RETURN_IF_ERROR(CheckInputShapes(sim.inputs(), samples).WithContext("sensitivity"));
  LITEMP_ASSIGN_OR_RETURN(int output, ScoredOutput(sim, opts));
  if (opts.naive) {
    LITEMP_RETURN_IF_ERROR(PlanSweep(sim, output).status());  // fail before the FP32 run
    LITEMP_ASSIGN_OR_RETURN(PsnrMetric metric, PsnrMetric::Create(sim, samples, opts.output));
    const double fp32_seconds = Since(t0);
    auto r = AnalyzePerLayerSensitivity(sim, metric.AsFunction(), opts);
    if (r.ok() && opts.stats) {
      opts.stats->seconds = Since(t0);
      opts.stats->fp32_seconds = fp32_seconds;
    }
    return r;
  }
  LITEMP_ASSIGN_OR_RETURN(std::vector<SweepLayer> layers, PlanSweep(sim, output));
  QuantizerFlagGuard guard(sim);
  guard.DisableAll();
  LITEMP_RETURN_IF_ERROR(sim.SyncConstants());
  SweepScores scores;
  SensitivityStats stats;
  const std::vector<int> owner = AssignLayers(sim, layers, opts.comm);
  const Status local = FastPsnrSweep(sim, samples, layers, owner, opts, &scores, &stats);
  LITEMP_RETURN_IF_ERROR(GatherScores(opts.comm, owner, local, &scores));
  LITEMP_RETURN_IF_ERROR(guard.Restore());
  if (opts.stats) {
    *opts.stats = stats;
    opts.stats->layers = static_cast<int>(layers.size());
    opts.stats->seconds = Since(t0);
  }
  return Sorted(sim, layers, scores);
}

}  // namespace litemp
