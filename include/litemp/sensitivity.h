// Per-layer sensitivity analysis: AIMET's QuantAnalyzer / Lite-MP sweep, natively.
//
// Starting from a calibrated QuantSim, every quantized layer is simulated alone (all other
// quantizers off) on K samples and scored by the PSNR of the model outputs against FP32.
// The lowest PSNR marks the most sensitive layer.
//
//   auto sens = AnalyzePerLayerSensitivity(*sim, samples);   // samples: [K, ...]
//   for (const LayerSensitivity& l : sens.value()) printf("%s %.2f\n", l.name.c_str(), l.psnr);
//
// The default (fast) sweep runs the FP32 model once, keeps the intermediate values, and for
// each layer recomputes only the part of the graph downstream of it; the naive sweep runs
// the whole simulation once per layer. Both give the same numbers: bit for bit when the fast
// sweep runs all K samples at once; when it splits them (memory budget, run size, fixed
// batch) up to float summation order and the last bits of batch-size-dependent kernels.
//
// PSNR follows AIMET exactly (docs/aimet-facts.md): over all elements of the K outputs
// stacked, range = max(max(e) - min(e), max|e|) (at least 1e-10), noise = RMS(e - a) (at
// least 1e-15), psnr = 20 log10(range / noise) clipped to [-100, 100]; NaN/Inf in the
// simulated output gives -100, NaN/Inf in the FP32 output is an error. With several float
// outputs the minimum is taken; integer outputs are ignored.
//
// Thread-compatible: a sweep drives the QuantSim's executor, so nothing else may use the
// same QuantSim meanwhile.
#ifndef LITEMP_SENSITIVITY_H_
#define LITEMP_SENSITIVITY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "litemp/comm.h"
#include "litemp/quantsim.h"
#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

// ---------------------------------------------------------------------------------------
// PSNR

// PSNR of `actual` against `expected` (same shape; float32 or float64; any layout).
// Returns InvalidArgument when the shapes or dtypes differ, the tensors are empty or not
// float, or `expected` holds NaN/Inf. NaN/Inf in `actual` is not an error: it gives -100.
Result<double> Psnr(const Tensor& expected, const Tensor& actual);

// Several outputs (e.g. every graph output of a model, in the same order on both sides):
// each float pair is scored as above and the minimum returned; non-float pairs are skipped.
// InvalidArgument when the counts differ, a pair mismatches, or no pair is float.
Result<double> Psnr(const std::vector<Tensor>& expected, const std::vector<Tensor>& actual);

// ---------------------------------------------------------------------------------------
// Metrics

// A score for the simulation as currently configured; higher means closer to FP32.
// The sweep calls it once per layer with only that layer's quantizers enabled.
using SimMetric = std::function<Result<double>(QuantSim& sim)>;

// AIMET's make_psnr_eval_fn: holds K samples and their FP32 outputs, and scores a
// simulation run on the same samples by Psnr() over every graph output.
class PsnrMetric {
 public:
  // Runs `samples` ([K, ...], K >= 1, fitting sim.input()) through `sim` with every
  // quantizer disabled and caches the outputs. On return (OK or not) the quantizers'
  // enabled flags are as before. Fails when the run fails or an FP32 output holds NaN/Inf.
  // `output`: score only the graph output of that name (empty: every output).
  static Result<PsnrMetric> Create(QuantSim& sim, const Tensor& samples, const std::string& output = "");
  // A multi-input model: one [K, ...] tensor per input (sim.inputs() order).
  static Result<PsnrMetric> Create(QuantSim& sim, const Batch& samples, const std::string& output = "");

  // Runs the samples through `sim` as configured now and returns Psnr(fp32, simulated).
  // REQUIRES: `sim` runs the same model the metric was created with.
  Result<double> Score(QuantSim& sim) const;
  // Scores outputs obtained elsewhere (graph outputs of the K samples, in model order).
  Result<double> Score(const std::vector<Tensor>& outputs) const;

  const Tensor& samples() const { return samples_[0]; }  // the first input's
  const Batch& inputs() const { return samples_; }
  const std::vector<Tensor>& fp32_outputs() const { return fp32_; }
  // As a SimMetric (copies the cached tensors' handles, not their data).
  SimMetric AsFunction() const;

 private:
  PsnrMetric(Batch samples, std::vector<Tensor> fp32, int output)
      : samples_(std::move(samples)), fp32_(std::move(fp32)), output_(output) {}
  Batch samples_;
  std::vector<Tensor> fp32_;
  int output_ = -1;  // index in graph.outputs scored alone; -1: all
};

// Same as PsnrMetric::Create(sim, samples)->AsFunction(), named after AIMET.
Result<SimMetric> MakePsnrEvalFn(QuantSim& sim, const Tensor& samples);

// ---------------------------------------------------------------------------------------
// The sweep

struct LayerSensitivity {
  int layer = -1;        // node index in sim.graph()
  std::string name;      // node name
  std::string op_type;
  double psnr = 0;       // score with only this layer quantized (dB for PSNR)
  double seconds = 0;    // time spent scoring it (on the rank that scored it)
};

// What a sweep did, for reports and benchmarks.
struct SensitivityStats {
  int layers = 0;
  int chunks = 0;                // sample chunks the fast sweep cached (1 = all at once)
  int64_t chunk_samples = 0;     // samples per chunk
  int64_t run_samples = 0;       // samples per executor run within a chunk
  size_t cache_bytes = 0;        // peak bytes of cached FP32 values (fast sweep)
  size_t cache_bytes_per_sample = 0;
  double seconds = 0;            // the whole sweep
  double fp32_seconds = 0;       // of which FP32 runs (the caching passes, or the baseline)
  int batched_tail_layers = 0;   // layers whose runs took the batched tail (below)
};

struct SensitivityOptions {
  // Run the whole simulation once per layer instead of the downstream part only. Slower;
  // the reference the fast sweep is tested against.
  bool naive = false;
  // Upper bound for the FP32 values the fast sweep caches. When the K samples' values do
  // not fit, samples are processed in chunks that do (at least one sample, or one fixed
  // batch, per chunk). Transient values of the runs themselves are not counted. A chunk
  // holds whole runs (below), so any budget of at least run_bytes gives bit-identical
  // results; a smaller one shrinks the runs too. The default, two default runs' worth, was
  // also the fastest measured on MobileNetV2 (K=32: 8-10 s against 10-12 s with all 1.6 GB
  // cached at once): later chunks reuse the pages earlier chunks freed instead of faulting
  // in fresh ones.
  size_t memory_budget_bytes = size_t{512} << 20;
  // Within a chunk, the fast sweep runs the executor on groups of samples whose cached values
  // take about this many bytes (at least one sample; a fixed-batch model always runs its
  // batch). Small groups keep each run's intermediate tensors small, which is faster (cache
  // locality, no fresh pages for every tensor) at the same memory. 0 = the whole chunk at
  // once. The results depend on it only through kernels whose rounding depends on the batch
  // size (e.g. oneDNN Gemm/MatMul): a few thousandths of a dB at most in the tests.
  size_t run_bytes = size_t{256} << 20;
  // Where the samples go side by side a sample at a time, a layer upstream of the model's
  // batched tail (PlanBatchedTail, litemp/sample_parallel.h) runs each sample up to the
  // tail and the tail once for the chunk, on all threads: the same bits, sooner (MobileNetV2
  // K=32, Intel Xeon, 2 threads: fast sweep 5.22-5.79 -> 4.95-5.49 s). False for comparisons.
  bool batched_tail = true;
  // No progress bar.
  bool quiet = false;
  // Score only this graph output (and only layers that feed it); empty: every output, the
  // minimum PSNR taken. Unknown names fail with InvalidArgument listing the outputs.
  std::string output;
  // When set, filled in on success.
  SensitivityStats* stats = nullptr;
  // Ranks sharing the sweep (null: this process alone). Every rank must call with the same
  // sim, samples and options; each scores the layers AssignByCost gives it (balanced by
  // the FLOPs downstream of each layer) and every rank returns the whole, identical result,
  // byte for byte what one process with the same threads computes. A failure while scoring,
  // on any rank, fails every rank; checks before it (shapes, options) fail alike on every
  // rank given the same arguments.
  Comm* comm = nullptr;
};

// Scores every layer that owns at least one enabled quantizer and feeds some graph output
// (sim.QuantizedLayers() in that topological order, minus dead branches) by PSNR against
// FP32 on `samples` ([K, ...], K >= 1), with only that layer's enabled quantizers on (every
// other quantizer off). Returns the layers sorted ascending by PSNR, ties kept in
// topological order (a stable sort).
//
// REQUIRES: `sim` is calibrated (ComputeEncodings ran); encodings are not recomputed.
// Fails with InvalidArgument when an enabled integer quantizer has no encoding, the samples
// do not fit the model input, an FP32 output holds NaN/Inf, or (fast sweep, samples split
// into several runs) an output does not follow the batch dimension; other errors come from
// the runs and name the layer.
// On return, OK or not, every quantizer's enabled flag is as before and the executor's
// constants are synced to them; nothing else in `sim` changes.
Result<std::vector<LayerSensitivity>> AnalyzePerLayerSensitivity(QuantSim& sim, const Tensor& samples,
                                                                 const SensitivityOptions& opts = {});
// A multi-input model: one [K, ...] tensor per input (sim.inputs() order).
Result<std::vector<LayerSensitivity>> AnalyzePerLayerSensitivity(QuantSim& sim, const Batch& samples,
                                                                 const SensitivityOptions& opts = {});

// The same sweep with any metric (always the naive path: one metric call per layer, plus
// nothing for the baseline, which the metric owns). opts.naive, memory_budget_bytes and
// run_bytes are ignored. Same ordering, preconditions and restoration guarantees as above.
Result<std::vector<LayerSensitivity>> AnalyzePerLayerSensitivity(QuantSim& sim, const SimMetric& metric,
                                                                 const SensitivityOptions& opts = {});

// ---------------------------------------------------------------------------------------
// Per-layer MSE (AIMET QuantAnalyzer's per-layer MSE loss)

struct LayerMse {
  int layer = -1;      // node index in sim.graph()
  std::string name;
  double mse = 0;      // mean of (simulated - FP32)^2 over the layer's first output
};

// For every layer of sim.QuantizedLayers() (in that order) with a float32 first output: the
// mean squared error between that output in the FP32 model and in the simulation as
// configured now (every enabled quantizer on), over `samples` ([K, ...]). Unlike the
// sensitivity sweep, the error accumulates through the upstream layers: it shows where the
// simulated model drifts away from FP32. Samples run in groups whose FP32 layer outputs take
// about `run_bytes` (at least one sample, or one fixed batch; the first group, of one,
// sizes the rest). On return the quantizers' enabled flags are as before.
// With `comm`, the groups are split in contiguous blocks over its ranks (each also runs the
// first group, to size the others) and every rank returns the whole result, bit-identical
// to one process's; every rank must call with the same arguments.
// `by_sample`: where the model keeps samples apart (CheckSamplesIndependent), has no fixed
// batch, every compared output is computed from the inputs, and SplitThreads finds the
// groups after the first worth spreading, they run side by side, one per thread, each a
// sample at a time in order: the same bits, with one sample's FP32 outputs held per thread
// instead of a group's. false runs whole groups in turn (tests compare the two).
// *threads_used (if given): the threads that ran those groups (1: in turn, whole).
Result<std::vector<LayerMse>> PerLayerMse(QuantSim& sim, const Tensor& samples, size_t run_bytes = size_t{256} << 20,
                                          Comm* comm = nullptr, bool by_sample = true, int* threads_used = nullptr);
Result<std::vector<LayerMse>> PerLayerMse(QuantSim& sim, const Batch& samples, size_t run_bytes = size_t{256} << 20,
                                          Comm* comm = nullptr, bool by_sample = true, int* threads_used = nullptr);

}  // namespace litemp

#endif  // LITEMP_SENSITIVITY_H_
