#include "core/progress.h"
#include "litemp/evaluate.h"
#include "litemp/quantsim.h"
#include "litemp/sample_parallel.h"

namespace litemp {

Status CalibrateOnDataset(QuantSim& sim, const Dataset& data, const std::vector<size_t>& indices, int batch,
                          bool quiet) {
  if (indices.empty()) return Status::InvalidArgument("the calibration set is empty");
  batch = std::max(1, batch);
  // Min/max statistics are exact whatever order the samples come in: the batch's samples may
  // then run side by side (where that pays), with the same encodings.
  SampleParallelRunner runner(sim.executor(), sim.inputs(),
                              sim.ObservationSplits() ? SampleParallelRunner::Policy::kAutoObserving
                                                      : SampleParallelRunner::Policy::kNever);
  return sim.ComputeEncodings([&](const RunOptions& opts) -> Status {
    Progress progress("calibrate", static_cast<int64_t>(indices.size()), quiet);
    for (size_t b = 0; b < indices.size(); b += batch) {
      std::vector<size_t> idx(indices.begin() + b, indices.begin() + std::min(indices.size(), b + batch));
      LITEMP_ASSIGN_OR_RETURN(Batch x, LoadModelBatch(data, sim.inputs(), idx));
      std::unordered_map<int, Tensor> res;
      LITEMP_RETURN_IF_ERROR(runner.Run(x, opts, &res));
      progress.Advance(static_cast<int64_t>(idx.size()));
    }
    progress.Finish();
    return Status::OK();
  });
}

}  // namespace litemp
