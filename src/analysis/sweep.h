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

// sim.QuantizedLayers() that feed some graph output, with their enabled quantizers.
// InvalidArgument when an enabled quantizer of such a layer has no encoding (the sim was
// not calibrated).
Result<std::vector<SweepLayer>> PlanSweep(const QuantSim& sim);

// Rows [begin, begin + rows) of `samples`, zero-padded to `batch` rows (a fixed-batch model).
Tensor SampleRows(const Tensor& samples, int64_t begin, int64_t rows, int64_t batch);

// The fast PSNR sweep: *psnr[i] for layers[i]. REQUIRES: every quantizer is disabled and the
// executor's constants are synced to that; leaves them disabled (the caller restores).
Status FastPsnrSweep(QuantSim& sim, const Tensor& samples, const std::vector<SweepLayer>& layers,
                     const SensitivityOptions& opts, std::vector<double>* psnr, SensitivityStats* stats);

}  // namespace litemp

#endif  // LITEMP_ANALYSIS_SWEEP_H_
