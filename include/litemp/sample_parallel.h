// SampleParallelRunner: runs a batch with its samples spread over the threads.
//
// RunBatch gives every kernel all threads and the whole batch: at batch 32 each layer's
// activations are tens of MB, so the convolutions stream them through DRAM and the threads
// meet at a barrier after every op. This runs instead one sample at a time per thread, on a
// copy of the executor per thread whose kernels then run single-threaded, with activations
// that fit in the caches. With oneDNN's AVX-512 kernels (the native kernel set) that is
// 1.1-1.3x the throughput on MobileNetV2 at batch 32 (Intel Xeon, 2 threads), with the
// portable set's AVX-512 convolutions (src/kernels/dnnl/conv_avx512_as_avx2.h) 1.04-1.07x
// (best of run 97.1-100.9 -> 92.5-95.1 ms); with oneDNN's AVX2 kernels alone it is no
// faster (measured on the same machine), so kAuto splits only with AVX-512. Runs
// whose hooks do serial work on every value (calibration's observers) gain on any kernels:
// the hooks then run side by side too (kAutoObserving).
//
// The outputs are the same bits as RunBatch's: the graph must keep samples apart, with
// kernels whose result for a sample does not depend on the batch size or thread count
// (CheckSamplesIndependent; tests/exec/sample_parallel_test.cc checks the bits). Models
// with a fixed batch size, and runs whose options fetch values, start part-way, read a
// cache or profile, are run whole; the values kept for RunFrom and RunFrom's own partial
// runs are per sample when the batch splits (tests/eval/shared_prefix_test.cc checks
// those bits).
//
// The hooks in RunOptions are then called from several threads at once, one sample at a
// time (and, for a batched tail below, once on the whole batch): they must be thread-safe
// and per-element (fake quantization is, and so is min/max observation,
// QuantSim::ObservationSplits; a histogram observer is not). The executor's constants may
// change between runs (the copies follow them), not during one.
#ifndef LITEMP_SAMPLE_PARALLEL_H_
#define LITEMP_SAMPLE_PARALLEL_H_

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "litemp/runner.h"
#include "litemp/shared_prefix.h"

namespace litemp {

// What a run does besides its kernels (ThreadPerRunPays).
enum class RunKind {
  kPlain,      // kernels, with fake quantization fused in or done by hooks
  kObserving,  // also serial work on values between the kernels: calibration's observers,
               // the sensitivity sweep's caching and scoring
};

// Whether spreading independent runs over the threads, one run per thread with
// single-threaded kernels, beats giving each run all threads: with several threads, for
// plain runs where convolutions run AVX-512 (the native set, or the portable set's
// stand-ins; oneDNN's AVX2 kernels gain nothing), for observing runs on any kernels.
// Measured on MobileNetV2, Intel Xeon, 2 threads, oneDNN's AVX2 kernels: calibration
// 1.25-1.64 -> 0.78-0.90 s, sensitivity sweep 8.5-9.1 -> 7.7-8.1 s; FP32 and W8A8
// evaluation no faster.
bool ThreadPerRunPays(RunKind kind = RunKind::kPlain);

// SplitThreadsFor (core/parallel.h) with the current thread count: threads to spread
// `items` independent runs over, each thread on `executors` executors of its own
// (`weight_bytes` each: LayerWeightBytes), or 1 when a split does not pay.
int SplitThreads(int64_t items, size_t weight_bytes, int executors = 1);

// One executor per thread: thread 0 uses `main`, the others copies of it made on first
// use. Sync() hands on constants `main` replaced since (SetConstant); call it before
// runs whenever they may have changed.
class ExecutorCopies {
 public:
  explicit ExecutorCopies(Executor& main) : main_(main) {}
  ~ExecutorCopies();
  // Makes the copies for `threads` threads and brings their constants in line with main's.
  Status Sync(int threads);
  // The executor of OpenMP thread `t` (0 <= t < threads of the last Sync).
  Executor& Get(int t) { return t == 0 ? main_ : *copies_[t - 1]; }

 private:
  Executor& main_;
  std::vector<std::unique_ptr<Executor>> copies_;
};

// The end of a model whose layers read more weights than they write activations (a CNN's
// last stages and classifier): a split plain run takes it as one whole batch on all
// threads, after the samples' runs up to it, so no thread reads those weights again for
// every sample (MobileNetV2, portable kernels, Intel Xeon, 2 threads: batch 32 best of run
// 97.6-102.0 -> 92.5-97.9 ms; the README run's evaluations 2.9-3.5 -> 2.7-3.3 s each).
// Chosen on the graph alone: the earliest node from which on the layer weights come to at
// least 1 MiB and twice the bytes the nodes write per sample, where one value (the
// frontier) crosses from the nodes before to the tail, no graph output comes from before
// it, and that value is not one a whole run fuses away (read by one Relu, Clip, Add, Mul
// or depthwise Conv only, or by a 1x1 Conv after a depthwise one). The bits do not
// change: the frontier values are those a whole run makes, joined in the layout a sample's
// run holds them in, which is the whole run's (kernels choose layouts by channel counts,
// not by batch size; the tests compare the bits).
// Runs with kAutoObserving (hooks that may keep per-sample state) take no tail.
struct BatchedTail {
  int start = -1;          // first node of the tail (every later node belongs to it); -1: none
  int frontier = -1;       // the value it reads from before it
  int64_t sample_bytes = 0;  // what its nodes write per sample
};
BatchedTail PlanBatchedTail(const Graph& graph);

class SampleParallelRunner {
 public:
  enum class Policy {
    kAuto,           // split when it pays for plain runs (ThreadPerRunPays)
    kAutoObserving,  // split when it pays for observing runs
    kAlways,  // split whenever it is exact and SplitThreads allows (tests)
    kNever,   // RunBatch
  };
  // `exec` and `in` must outlive the runner.
  SampleParallelRunner(Executor& exec, const ModelInputs& in, Policy policy = Policy::kAuto);
  ~SampleParallelRunner();

  // As RunBatch(exec, in, batch, options, results).
  Status Run(const Batch& batch, const RunOptions& options, std::unordered_map<int, Tensor>* results);
  // The same, keeping besides the values `keep` as the executor produced them (no copies;
  // not added to *results) for RunFrom on the same batch until the next run or DropKept.
  // Models with a fixed batch size keep nothing.
  Status Run(const Batch& batch, const RunOptions& options, std::unordered_map<int, Tensor>* results,
             const std::vector<int>& keep);
  // As Run(batch, options, results) on an executor of the same graph, running only
  // `share`'s start nodes and their downstream nodes and reading its frontier from the
  // values `from` kept in its last run on this batch (SharedPrefix: they must be the values
  // this executor would compute). Runs whole when `from` kept nothing usable, so the
  // results are the same either way. `options` may not fetch, start part-way or cache.
  // With the same simulation (no start nodes) the results are `from`'s outputs.
  Status RunFrom(const SampleParallelRunner& from, const SharedPrefix& share, const Batch& batch,
                 const RunOptions& options, std::unordered_map<int, Tensor>* results,
                 const std::vector<int>& keep = {});
  void DropKept() { kept_.clear(); }
  // Whether Run splits batches of `batch` samples (now: with the current threads).
  bool splits(int64_t batch) const;
  // The tail a split plain run takes as one batch (start -1: none), and how many runs
  // took it so far.
  const BatchedTail& batched_tail() const { return tail_; }
  int tail_runs() const { return tail_runs_; }

 private:
  // Runs the batch whole or a sample at a time, sample (or batch) i with options_for(i);
  // values in `keep` go to kept_. `asked`: the caller's options (what *results holds).
  Status RunParts(const Batch& batch, bool whole, const std::function<RunOptions(int64_t)>& options_for,
                  const std::vector<int>& keep, const RunOptions& asked, std::unordered_map<int, Tensor>* results);
  Status RunSplit(const Batch& batch, const std::function<RunOptions(int64_t)>& options_for,
                  const std::vector<int>& keep, const RunOptions& asked, std::unordered_map<int, Tensor>* results);
  bool Whole(const Batch& batch) const;

  Executor& exec_;
  const ModelInputs& in_;
  bool split_ = false;
  BatchedTail tail_;  // none unless plain runs split
  int tail_runs_ = 0;
  size_t weight_bytes_ = 0;
  ExecutorCopies copies_;
  // Values kept by the last Run: one cache (by value id) for the batch, or one per sample
  // when it ran split.
  std::vector<std::vector<Tensor>> kept_;
};

}  // namespace litemp

#endif  // LITEMP_SAMPLE_PARALLEL_H_
