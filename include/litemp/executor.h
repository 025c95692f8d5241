// Executor: runs a Graph on CPU kernels.
//
// Beyond plain inference it supports what quantization analysis needs:
//  (a) fetching any intermediate value,
//  (b) partial runs: only the nodes downstream of `start_nodes` run; every other value they
//      read comes from `cache` (typically the values of an earlier full run),
//  (c) a hook called on every value as it is produced (and on graph inputs as they are
//      read), which may replace the tensor: this is where fake-quantization happens.
// Intermediates are freed after their last use unless fetched. Element-wise consumers
// (Relu, Clip, a residual Add; the Mul of a SiLU) of an unobserved value run fused into its
// producer where the kernel supports it (see RunOptions::observes), and so does a hook's
// fake-quantization (RunOptions::quantize_step), with bit-identical results. Tensors
// handed to the hook may be channels-last (Layout::kNhwc) or channel-blocked (kNchw8c);
// tensors returned to callers are plain (unless RunOptions::plain_results is false).
// Thread-compatible: one Executor must not run on two threads at once.
#ifndef LITEMP_EXECUTOR_H_
#define LITEMP_EXECUTOR_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "litemp/graph.h"
#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

class Kernel;

// Called with the value id and its tensor; may replace *t (same shape and dtype).
using ValueHook = std::function<Status(int value_id, Tensor* t)>;

// Where a run's time went, node by node (RunOptions::profile).
struct NodeTime {
  double ms = 0;      // wall time: input conversions, the kernel, the hook on its outputs
  int64_t runs = 0;   // times its own kernel ran
  int64_t fused = 0;  // times it ran inside its producer's kernel (its time is charged there)
  int host = -1;      // the node whose kernel ran it (the last time), or -1
};

struct RunOptions {
  // Values to return besides the graph outputs.
  std::vector<int> fetch;
  // When false, graph outputs are not returned unless listed in `fetch`.
  bool fetch_graph_outputs = true;
  // When false, results keep the layout the executor holds them in (channels-last or
  // channel-blocked), without a copy: for handing them to a later run as its `cache`.
  bool plain_results = true;
  ValueHook on_value;
  // Whether on_value must see value `id` (asked during the run); null means every value.
  // Values nobody observes or fetches may be fused away, e.g. a Conv output read only by
  // its Relu: the Conv kernel applies the Relu and the Conv output never exists.
  std::function<bool(int id)> observes;
  // For an observed value whose on_value does exactly one per-tensor fake-quantization,
  // y = round_half_even(min(max(x / scale, lo), hi)) * scale (NaN -> lo): returns true and
  // sets the three numbers. The producing kernel may then apply it to its output as it
  // writes it (no extra pass over memory); on_value is not called for such a value, and
  // the Relu/Clip/Add after it may fuse too. Results are bit-identical either way.
  std::function<bool(int id, float* scale, float* lo, float* hi)> quantize_step;
  // Partial run: when non-empty only these nodes and their downstream nodes run.
  std::vector<int> start_nodes;
  // Values (by id) available to the run without computing them. Entries may be
  // undefined tensors. Not modified.
  const std::vector<Tensor>* cache = nullptr;
  // When set (one entry per node, indexed like graph().nodes), each node that runs adds its
  // wall time and one run to its entry, and a node fused into another one fusion. Not for
  // runs on several executors at once (SampleParallelRunner runs whole when it is set).
  std::vector<NodeTime>* profile = nullptr;
};

// Op types the executor cannot run, as one message ("unsupported ops: Foo (node 'a'),
// com.x::Bar (node 'b')"), or OK.
Status CheckSupported(const Graph& graph);

class Executor {
 public:
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Builds a kernel for every node. Fails up front listing every unsupported op, or naming
  // the first node whose attributes are invalid. Keeps its own copy of `graph`.
  static Result<std::unique_ptr<Executor>> Create(const Graph& graph);

  const Graph& graph() const { return graph_; }

  // Runs the graph. `feeds` maps value ids (graph inputs, or any value to override) to
  // tensors. On success *results holds every graph output and fetched value, plain layout.
  // On failure returns a status naming the node; *results is unspecified.
  Status Run(const std::unordered_map<int, Tensor>& feeds, const RunOptions& options,
             std::unordered_map<int, Tensor>* results);

  // Convenience: feeds by input name, graph outputs in model order.
  Status Run(const std::map<std::string, Tensor>& feeds, std::vector<Tensor>* outputs);

  // Replaces initializer `id` (e.g. with fake-quantized weights). Kernels that read it (and
  // one that ran a node reading it as a post-op, e.g. a Conv that runs the depthwise Conv
  // after it) are rebuilt on their next run.
  // REQUIRES: id is an initializer; same shape and dtype.
  Status SetConstant(int id, Tensor t);

 private:
  explicit Executor(const Graph& graph);
  Status EnsureKernel(int node);

  Graph graph_;
  std::vector<std::unique_ptr<Kernel>> kernels_;
  // The node whose kernel last ran node i as a post-op (it may hold i's constants), or -1.
  std::vector<int> fused_into_;
};

}  // namespace litemp

#endif  // LITEMP_EXECUTOR_H_
