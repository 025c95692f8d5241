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

// The fast PSNR sweep: *psnr[i] for layers[i]. REQUIRES: every quantizer is disabled and the
// executor's constants are synced to that; leaves them disabled (the caller restores).
Status FastPsnrSweep(QuantSim& sim, const Batch& samples, const std::vector<SweepLayer>& layers,
                     const SensitivityOptions& opts, std::vector<double>* psnr, SensitivityStats* stats);

}  // namespace litemp

#endif  // LITEMP_ANALYSIS_SWEEP_H_
