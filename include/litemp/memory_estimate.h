// Memory estimate: how much memory `litemp run` will need for a model, worked out from the
// loaded model and its statically inferred shapes before anything runs (`litemp info`
// prints it), so that a machine, a --batch or a --memory-budget can be chosen that fits.
//
// The estimate is what the whole run holds (weights, their copies, the process itself) plus
// its largest phase: the heap reuses what one phase freed for the next, so phases do not
// add up. All in bytes ("MB" below is MiB):
//  - weights, as loaded: bytes that view memory-mapped external data (file pages; resident
//    once read, but the kernel can drop them again, so they do not need free memory) and
//    bytes held in memory, which the Model holds twice: as tensors and in its ModelProto
//    (kept for the exporters);
//  - weight copies: every executor prepares its own copy of each Conv, ConvTranspose, Gemm
//    and MatMul weight (oneDNN reorders it to the layout its kernel runs fastest on), and
//    every QuantSim holds a fake-quantized float copy of each weight it quantizes. A run
//    has the FP32 executor and two simulations (W8A8 and mixed) alive at once, each with
//    its executor; every --percent-sweep point adds one of each;
//  - runtime: the process's own footprint (code, libraries, oneDNN, threads), a constant
//    measured as the peak of `litemp run` on a 6k-parameter model;
//  - the largest of three phases:
//    - evaluation (and calibration): the most bytes one executor run on a batch holds at
//      once (walking the nodes in execution order, freeing each value after its last
//      consumer, as the executor does), plus the decoded batch;
//    - sensitivity sweep: its input samples; its cache of FP32 values, min(memory budget,
//      sens x cache bytes per sample) in whole samples as the sweep's chunks are (every
//      float activation of a sample but the outputs of Clips and Relus read by one node, as
//      the runs compute those again: approximate, high by the values no partial run reads,
//      low where a Clip's input is not otherwise cached);
//      and one partial run's own values, taken as a full run of the sweep's run size
//      (enough samples for 256 MiB of cached values, at most a chunk); where a chunk's
//      samples go side by side (SplitThreadsFor), an executor copy per extra thread;
//    - per-layer MSE: the sweep's samples, the FP32 layer outputs of one group (as many
//      samples as 256 MiB of values holds) and the simulation's run on that group; where
//      the groups run side by side (the model keeps samples apart, has no fixed batch, and
//      SplitThreadsFor in core/parallel.h finds them worth spreading), per thread one
//      sample's FP32 layer outputs and a run of one sample, plus the weight copies of the
//      two executors each thread runs on (one is the simulation's own). Approximate: the
//      groups are sized here from every float value of a sample (the run sizes them from
//      the quantized layers' outputs, somewhat fewer bytes) and MPI ranks are not modelled
//      (each rank decides on its own share of the groups);
//  - allocator overhead: 15% of that phase, for what the heap cannot reuse (blocks freed by
//    one phase do not always fit the next one's requests) and oneDNN's scratch memory;
//    measured, not derived. Estimates against the peak RSS of `litemp run` (the peak varies
//    by ~10% between identical runs, with transparent huge pages). MobileNetV2 (AMD EPYC
//    Zen 5, 2026-12-08): with the README's flags 858 MiB / 672 MB (high: the sweep's runs
//    are taken whole, 9 samples, where the threads run one sample each), with --batch 16
//    --memory-budget 128 338 / 354, with --calib 16 --sens 8 --batch 8 491 / 536. AMD Zen
//    2, 2026-12-06, before the sweep stopped caching Relu outputs: ResNet-8 87 / 92-100,
//    with --calib 32 --sens 16 --batch 16 65 / 45; the MNIST CNN 45 / 41. On small models
//    the fixed runtime dominates and the estimate errs high.
// Not modelled: sample-parallel evaluation and calibration (litemp/sample_parallel.h), whose
// per-thread executor copies add a weight copy each but whose runs hold one sample per
// thread instead of a batch (MobileNetV2's README run peaks lower: 804 MB);
// calibration's own memory (it grows with the number of calibration batches:
// ResNet-8 at --calib 32 vs 100 peaks at 40 vs 57 MB), the plain-layout copies the executor makes for ops that cannot read blocked
// layouts, fusion (which saves fused-away values), the memory preparation
// (BatchNormalization folding) saves or adds, and --percent-sweep: one more simulation per
// point with flips of its own, and the values a point or the mixed simulation takes from an
// earlier one (litemp/shared_prefix.h), up to a batch of them (MobileNetV2, --percent-sweep
// 0,5,10,20, portable kernels: 921-925 MB, against 915-934 with no point sharing or reused).
//
// Unknown dimensions: a symbolic dim 0 is the batch; any other unknown dim counts as 1 and a
// value of unknown rank as empty, and `unknown_dims` says so (the estimate is then low).
// Thread-safe (no state).
#ifndef LITEMP_MEMORY_ESTIMATE_H_
#define LITEMP_MEMORY_ESTIMATE_H_

#include <cstdint>

#include "litemp/graph.h"
#include "litemp/model.h"

namespace litemp {

// The defaults are `litemp run`'s.
struct MemoryEstimateOptions {
  int64_t batch = 32;                               // --batch
  int64_t sens = 32;                                // --sens
  int64_t memory_budget_bytes = int64_t{512} << 20;  // --memory-budget
  int simulations = 2;  // QuantSims alive at once: W8A8 and mixed (+1 per --percent-sweep point)
  int executors = 3;    // executors alive at once: FP32 and one per simulation
  int threads = 0;      // --threads (0: the current thread count)
};

// Process footprint before any model data (see the runtime component above).
constexpr int64_t kRuntimeBytes = int64_t{40} << 20;

// Sizes of runs the sweep and the per-layer MSE hold at once (SensitivityOptions::run_bytes
// and PerLayerMse's default).
constexpr int64_t kRunBytes = int64_t{256} << 20;
// The allocator overhead, as a fraction of the largest phase (see above).
constexpr double kAllocatorOverhead = 0.15;

struct MemoryEstimate {
  int64_t weights_mapped = 0;     // initializer bytes viewing memory-mapped external data
  int64_t weights_in_memory = 0;  // initializer bytes held in memory, as tensors
  int64_t weights_proto = 0;      // the same bytes again, in the Model's ModelProto
  int64_t layer_weights = 0;      // of all these, the float Conv/ConvTranspose/Gemm/MatMul weights
  int64_t weight_copies = 0;      // (executors + simulations) x layer_weights
  int64_t runtime = kRuntimeBytes;
  // Evaluation phase.
  int64_t activations = 0;        // peak live bytes of one executor run on a batch
  int64_t batch_inputs = 0;       // one decoded batch of inputs
  int64_t evaluation = 0;         // activations + batch_inputs
  // Sweep phase.
  int64_t sweep_cache_per_sample = 0;  // float activations of one sample
  int64_t sweep_cache = 0;        // the sweep's cache, as chunked under the memory budget
  int64_t sweep_samples = 0;      // the sweep's input samples (sens of them)
  int64_t sweep_run = 0;          // the values of one partial run
  int64_t sweep = 0;              // sweep_cache + sweep_samples + sweep_run
  // Per-layer MSE phase: sweep_samples + a group's FP32 layer outputs and simulated run (or
  // a sample's, per thread, with two weight copies per thread but one).
  int64_t layer_mse = 0;
  int64_t largest_phase = 0;      // max(evaluation, sweep, layer_mse)
  int64_t allocator = 0;          // kAllocatorOverhead x largest_phase
  int64_t total = 0;              // weights (mapped, in memory, proto) + weight_copies +
                                  // runtime + largest_phase + allocator
  bool unknown_dims = false;      // some non-batch dim or rank was unknown (see above)
};

// Estimates the peak memory of `litemp run` on `model` with `options`.
// REQUIRES: options.batch >= 1, options.sens >= 1, options.memory_budget_bytes > 0.
MemoryEstimate EstimateRunMemory(const Model& model, const MemoryEstimateOptions& options = {});

// The activations component alone: the most bytes of non-initializer values live at once
// when `graph` runs on a batch of `batch` (substituted for symbolic dim 0s), with each value
// freed after its last consumer and graph inputs and outputs held throughout. Sets
// *unknown_dims (if not null) when some other dim or a rank was unknown.
int64_t PeakActivationBytes(const Graph& graph, int64_t batch, bool* unknown_dims = nullptr);

}  // namespace litemp

#endif  // LITEMP_MEMORY_ESTIMATE_H_
