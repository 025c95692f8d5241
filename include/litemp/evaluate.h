// Classification accuracy of a model (or a simulation of it) over a dataset.
#ifndef LITEMP_EVALUATE_H_
#define LITEMP_EVALUATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include <optional>

#include "litemp/comm.h"
#include "litemp/data.h"
#include "litemp/fidelity.h"
#include "litemp/runner.h"
#include "litemp/shared_prefix.h"

namespace litemp {

struct Accuracy {
  int64_t samples = 0;
  bool labelled = false;            // top1/top5 were measured (the data has labels)
  double top1 = 0, top5 = 0;        // fractions in [0, 1]
  // Top-1 class per evaluated sample, in `indices` order; empty when the scored output is
  // not [N, classes] (possible only without labels).
  std::vector<int64_t> predicted;
  // Against the reference target (EvaluateClassificationMany's first), for the others.
  std::optional<Fidelity> fidelity;
};

struct EvalOptions {
  int batch = 32;
  bool quiet = false;           // no progress bar
  std::string label = "eval";   // progress label
  // Hooks (e.g. fake-quant) applied to every batch. Batches may run sample-parallel
  // (litemp/sample_parallel.h): hooks must be thread-safe and per-element, as
  // QuantSim::SimOptions() is.
  RunOptions run;
  // The graph output scored (classes, agreement) and compared (fidelity); empty: the first
  // output is scored and every output compared.
  std::string output;
  // Ranks sharing the evaluation (null: this process alone). Each runs a contiguous block of
  // the batches; every rank gets the whole result, byte-identical to one process's with the
  // same threads. Every rank must call with the same arguments.
  Comm* comm = nullptr;
};

// Runs samples `indices` of `data` through `exec` and scores the first graph output (or
// options.output), read as [N, classes] (trailing singleton dims allowed). Fails on a label
// outside [0, classes), naming the sample. A NaN score never ranks above a number. Without
// labels (data.has_labels() false) only the predicted classes are filled, and only when the
// output is [N, classes]; any other output shape is then fine.
Status EvaluateClassification(Executor& exec, const ModelInputs& in, const Dataset& data,
                              const std::vector<size_t>& indices, const EvalOptions& options, Accuracy* result);

// One model (or simulation) scored by EvaluateClassificationMany.
struct EvalTarget {
  std::string name;           // for messages, e.g. "fp32", "w8a8"
  Executor* exec = nullptr;
  const ModelInputs* inputs = nullptr;
  RunOptions run;             // hooks for this target (thread-safe: see EvalOptions::run)
  Accuracy* result = nullptr;
  double seconds = 0;         // out: time spent running this target's batches
  // Optional: an earlier target (by index) that computes the values `share` names alike
  // (PlanSharedPrefix); each batch then runs from that target's values at its frontier.
  int shares_with = -1;
  SharedPrefix share;
};

// Scores every target on the same samples, loading (decoding) each batch once: what a
// workflow comparing FP32, W8A8 and mixed precision on one evaluation set wants. The first
// target is the reference: every other target's result gets its Fidelity to it (see
// fidelity.h). Without labels that is the only score, and a failure to compare (NaN/Inf in
// the reference, outputs of different shapes, no float output) is an error; with labels it
// is best effort: such a target keeps its accuracy and gets no fidelity. Targets must run
// the same model (same outputs).
// options.run is not used (each target has its own). `load_seconds` (optional) gets
// the time spent loading data.
Status EvaluateClassificationMany(std::vector<EvalTarget>& targets, const Dataset& data,
                                  const std::vector<size_t>& indices, const EvalOptions& options,
                                  double* load_seconds = nullptr);

// A cheap check before long work: runs the first of `indices` through `exec` and verifies
// that `output` (empty: the first) exists and, when the data has labels, can be scored
// ([N, classes], float) and every label of `indices` is a class index; the same errors
// EvaluateClassification would give at the end.
Status CheckClassificationSetup(Executor& exec, const ModelInputs& in, const Dataset& data,
                                const std::vector<size_t>& indices, const std::string& output = "");


// Samples `indices` of `data` as a batch for a model with inputs `in` (Dataset::LoadBatchInputs).
Result<Batch> LoadModelBatch(const Dataset& data, const ModelInputs& in, const std::vector<size_t>& indices);

// Calibrates `sim` (QuantSim::ComputeEncodings) on samples `indices` of `data`, in
// batches of `batch`, with a progress bar unless quiet.
class QuantSim;
Status CalibrateOnDataset(QuantSim& sim, const Dataset& data, const std::vector<size_t>& indices, int batch,
                          bool quiet);

}  // namespace litemp

#endif  // LITEMP_EVALUATE_H_
