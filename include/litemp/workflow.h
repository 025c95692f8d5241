// The Lite-MP workflow of SPEC.md as one call: FP32 eval -> W8A8 QuantSim -> calibrate ->
// W8A8 eval -> per-layer sensitivity -> flip the most sensitive layers -> recalibrate ->
// mixed eval -> export + reports. `litemp run` and `litemp analyze` are thin wrappers.
//
// Outputs are staged in a hidden folder inside `out_dir` (".litemp-staging-<pid>") and
// moved in at the end, summary.json last (the previous summary.json is removed just
// before): a failed or interrupted run leaves the previous results in `out_dir` intact, and
// no summary.json only if it was cut short during those final renames. A killed run's
// staging folder is removed by the next run into the same folder. A failed run removes
// `out_dir` again if it created it.
#ifndef LITEMP_WORKFLOW_H_
#define LITEMP_WORKFLOW_H_

#include <string>
#include <vector>

#include "litemp/comm.h"
#include "litemp/data.h"
#include "litemp/mixed_precision.h"
#include "litemp/prepare.h"
#include "litemp/quantsim.h"
#include "litemp/report.h"

namespace litemp {

struct WorkflowOptions {
  std::string model_path;
  // Model preparation before quantizing (BN and constant folding, Identity/Dropout dropped,
  // input shapes fixed); all on by default, as AIMET folds BN before quantizing.
  PrepareOptions prepare;
  DataOptions data;
  int batch = 32;
  uint64_t seed = 0;
  size_t calib = 100, sens = 32, eval_max = 0;  // eval_max 0 = every remaining sample
  QuantSimOptions quant;                        // the base simulation (W8A8 by default)
  FlipTarget target{"int16", {QuantDType::kInt, 16}, {QuantDType::kInt, 16}};
  FlipSelection selection;
  std::vector<double> percent_sweep;  // optional accuracy-vs-percent curve
  std::string out_dir;
  std::string encodings_version = "1.0.0";
  size_t memory_budget_bytes = size_t{512} << 20;
  bool analyze_only = false;  // steps 1, 2 and 4 (`litemp analyze`)
  bool quiet = false;         // no progress bars
  // The graph output scored and compared (accuracy, fidelity); empty: the first output is
  // scored as classes and every output compared.
  std::string output;
  // Ranks sharing the run (null: this process alone), e.g. `mpirun -n R litemp run`. Every
  // rank calls RunWorkflow with the same options: each calibrates (and checks that all
  // computed the same encodings), the sweep's layers and the evaluation's batches are split
  // across ranks, and only rank 0 writes outputs or shows progress. Results are
  // byte-identical to one process's with the same threads per process; an error on any
  // rank fails every rank, naming it (an exception or a crash is the caller's to handle:
  // the CLI aborts the job).
  Comm* comm = nullptr;
};

// Runs the workflow and writes its outputs; fills *report (on success only).
Status RunWorkflow(const WorkflowOptions& options, RunReport* report);

// Loads `path` for quantization: prepared as `prepare` says (`report`, optional, filled), or
// exactly as Model::Load does when `prepare` asks for no change at all.
Result<std::unique_ptr<Model>> LoadModelForQuantization(const std::string& path, const PrepareOptions& prepare,
                                                        PrepareReport* report);
// Same, from a serialized ModelProto in memory; external data resolves against `dir`.
Result<std::unique_ptr<Model>> LoadModelBytesForQuantization(const std::string& bytes, const std::string& dir,
                                                             const PrepareOptions& prepare, PrepareReport* report);

}  // namespace litemp

#endif  // LITEMP_WORKFLOW_H_
