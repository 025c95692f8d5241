// Internals shared by the naive and the fast sensitivity sweeps.
#ifndef LITEMP_ANALYSIS_SWEEP_H_
#define LITEMP_ANALYSIS_SWEEP_H_

#include <vector>

#include "litemp/sensitivity.h"

namespace litemp {

// One layer of the sweep and the quantizers it turns on (those enabled before the sweep).
struct SweepLayer {
  int layer = -1;
  std::vector<int> quantizers;
};

// sim.QuantizedLayers() that feed some graph output (only graph.outputs[output] when
// output >= 0), with their enabled quantizers. InvalidArgument when an enabled quantizer of
// such a layer has no encoding (the sim was not calibrated).
Result<std::vector<SweepLayer>> PlanSweep(const QuantSim& sim, int output = -1);

// The index in graph.outputs that opts.output names, or -1 for every output.
Result<int> ScoredOutput(const QuantSim& sim, const SensitivityOptions& opts);

// A sweep's per-layer results, indexed like its layers.
struct SweepScores {
  std::vector<double> psnr, seconds;
};

// The fast PSNR sweep of the layers `owner` gives this rank (owner[i] == RankOf(opts.comm)):
// scores->psnr[i] and seconds[i] for those, NaN and 0 for the others. REQUIRES: every
// quantizer is disabled and the executor's constants are synced to that; leaves them
// disabled (the caller restores).
Status FastPsnrSweep(QuantSim& sim, const Batch& samples, const std::vector<SweepLayer>& layers,
                     const std::vector<int>& owner, const SensitivityOptions& opts, SweepScores* scores,
                     SensitivityStats* stats);

// What scoring each layer costs, relative: the FLOPs its partial run recomputes, plus
// 1 MFLOP per node run (a node's fixed overhead).
std::vector<double> LayerCosts(const QuantSim& sim, const std::vector<SweepLayer>& layers);

// Which rank scores each layer: AssignByCost over LayerCosts.
std::vector<int> AssignLayers(const QuantSim& sim, const std::vector<SweepLayer>& layers, const Comm* comm);

// Collective over opts.comm: every rank passes its own layers' scores (and its status);
// on return every rank holds every layer's. With no comm, returns `local`.
Status GatherScores(Comm* comm, const std::vector<int>& owner, const Status& local, SweepScores* scores);

}  // namespace litemp

#endif  // LITEMP_ANALYSIS_SWEEP_H_
