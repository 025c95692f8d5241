#include "litemp/memory_estimate.h"

#include <algorithm>
#include <cassert>
#include <unordered_set>
#include <vector>

#include "core/parallel.h"
#include "onnx/external_data.h"

namespace litemp {

namespace {

// Bytes of value `v` with symbolic dim 0s taken as `batch`; other unknowns as described in
// the header, noted in *unknown.
int64_t ValueBytes(const Value& v, int64_t batch, bool* unknown) {
  if (!v.shape_known) {
    *unknown = true;
    return 0;
  }
  int64_t n = 1;
  for (size_t i = 0; i < v.shape.size(); ++i) {
    int64_t d = v.shape[i];
    if (d < 0) {
      if (i > 0) *unknown = true;
      d = i == 0 ? batch : 1;
    }
    n *= d;
  }
  size_t es = DTypeSize(v.dtype);
  if (es == 0) {  // type not inferred: assume float
    *unknown = true;
    es = 4;
  }
  return n * static_cast<int64_t>(es);
}

// A fixed dim 0 of the first graph input (the executor then always runs that batch), or 0.
int64_t FixedBatch(const Graph& g) {
  if (g.inputs.empty()) return 0;
  const Value& in = g.values[g.inputs[0]];
  return in.shape_known && !in.shape.empty() && in.shape[0] > 0 ? in.shape[0] : 0;
}

}  // namespace

int64_t PeakActivationBytes(const Graph& g, int64_t batch, bool* unknown_dims) {
  bool unknown = false;
  std::vector<int64_t> bytes(g.values.size(), 0);
  for (size_t id = 0; id < g.values.size(); ++id)
    if (!g.values[id].is_initializer) bytes[id] = ValueBytes(g.values[id], batch, &unknown);
  // Graph inputs are held by the caller for the whole run; graph outputs are kept to the end.
  int64_t live = 0;
  for (int id : g.inputs) live += bytes[id];
  int64_t peak = live;
  std::unordered_set<int> seen;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    // A node's outputs are allocated while its inputs are still alive.
    for (int o : n.outputs)
      if (o >= 0) live += bytes[o];
    peak = std::max(peak, live);
    seen.clear();
    for (int in : n.inputs) {
      if (in < 0 || !seen.insert(in).second) continue;
      const Value& v = g.values[in];
      if (v.is_initializer || v.is_graph_input || v.is_graph_output) continue;
      if (v.consumers.back() == static_cast<int>(i)) live -= bytes[in];  // its last consumer
    }
  }
  if (unknown_dims) *unknown_dims = unknown;
  return peak;
}

MemoryEstimate EstimateRunMemory(const Model& model, const MemoryEstimateOptions& o) {
  assert(o.batch >= 1 && o.sens >= 1 && o.memory_budget_bytes > 0);
  const Graph& g = model.graph();
  MemoryEstimate e;
  for (const auto& [id, t] : g.initializers) {
    const int64_t b = static_cast<int64_t>(t.nbytes());
    if (InExternalDataMapping(t.raw_data())) {
      e.weights_mapped += b;
    } else {
      e.weights_in_memory += b;
    }
    if (t.dtype() == DType::kFloat32 && IsLayerWeight(g, id)) e.layer_weights += b;
  }
  // Every in-memory initializer is also in the ModelProto: inline raw or typed data, or a
  // Constant node's attribute.
  e.weights_proto = e.weights_in_memory;
  e.weight_copies = static_cast<int64_t>(o.executors + o.simulations) * e.layer_weights;

  // Per sample: a fixed-batch model's values hold that many samples, and it always runs
  // that batch.
  const int64_t fb = FixedBatch(g);
  const int64_t per = std::max<int64_t>(fb, 1);
  bool unknown = false;
  int64_t cached = 0, all = 0, inputs = 0;  // the sweep's cache; every float value
  for (const Value& v : g.values) {
    if (v.is_initializer || !IsFloat(v.dtype)) continue;
    const int64_t b = ValueBytes(v, 1, &unknown);
    all += b;
    // The sweep computes most Clip and Relu outputs again (src/analysis/fast_sweep.cc); one
    // that is a graph output or read by several nodes may stay cached, so it counts here.
    const bool again =
        v.producer >= 0 && CheapToRecompute(g, v.producer) && v.consumers.size() == 1 && !v.is_graph_output;
    if (!again) cached += b;
  }
  for (int id : g.inputs) inputs += ValueBytes(g.values[id], 1, &unknown);
  e.unknown_dims = unknown;
  const int64_t input_per_sample = (inputs + per - 1) / per;
  // Activations of a run on `n` samples (a fixed-batch model runs its batch).
  auto run_bytes = [&](int64_t n) {
    bool u = false;
    const int64_t b = PeakActivationBytes(g, n, &u);
    e.unknown_dims = e.unknown_dims || u;
    return b;
  };

  e.activations = run_bytes(o.batch);
  e.batch_inputs = (fb > 0 ? fb : o.batch) * input_per_sample;
  e.evaluation = e.activations + e.batch_inputs;

  e.sweep_cache_per_sample = (cached + per - 1) / per;
  e.sweep_samples = o.sens * input_per_sample;
  // Chunks of whole samples (whole fixed batches) whose cache fits the budget, at least one,
  // and runs within them; as the fast sweep (src/analysis/fast_sweep.cc) sizes them.
  int64_t chunk = o.sens;
  if (e.sweep_cache_per_sample > 0 && e.sweep_cache_per_sample * o.sens > o.memory_budget_bytes) {
    chunk = std::max<int64_t>(1, o.memory_budget_bytes / e.sweep_cache_per_sample);
    if (fb > 0) chunk = std::max(fb, chunk / fb * fb);
    chunk = std::min(chunk, o.sens);
  }
  // Samples whose values fill a run: the sweep's cached ones, the MSE's all of them.
  auto fill = [&](int64_t per_sample) {
    return per_sample > 0 ? std::clamp<int64_t>(kRunBytes / per_sample, 1, o.sens) : o.sens;
  };
  const int64_t all_per_sample = (all + per - 1) / per, group = fill(all_per_sample);
  const int64_t run = std::min(fill(e.sweep_cache_per_sample), chunk);
  e.sweep_cache = chunk * e.sweep_cache_per_sample;
  e.sweep_run = run_bytes(run);
  e.sweep = e.sweep_cache + e.sweep_samples + e.sweep_run;
  const int threads = o.threads > 0 ? o.threads : NumThreads();
  const bool apart = fb <= 0 && CheckSamplesIndependent(g).ok();
  // A sweep whose chunk's samples go side by side adds an executor copy per extra thread.
  if (apart && SplitThreadsFor(threads, chunk, static_cast<size_t>(e.layer_weights)) > 1)
    e.sweep += (threads - 1) * e.layer_weights;
  // PerLayerMse runs its groups after the first side by side where that pays: a sample at a
  // time per thread, on two executors of its own (one a copy of the simulation's, whose
  // executor is already counted).
  const int64_t mse_groups = (o.sens - 1 + group - 1) / group;
  if (apart && SplitThreadsFor(threads, mse_groups, static_cast<size_t>(e.layer_weights), 2) > 1) {
    e.layer_mse =
        e.sweep_samples + threads * (all_per_sample + run_bytes(1)) + (2 * threads - 1) * e.layer_weights;
  } else {
    e.layer_mse = e.sweep_samples + group * all_per_sample + run_bytes(group);
  }

  e.largest_phase = std::max({e.evaluation, e.sweep, e.layer_mse});
  e.allocator = static_cast<int64_t>(kAllocatorOverhead * static_cast<double>(e.largest_phase));
  e.total = e.weights_mapped + e.weights_in_memory + e.weights_proto + e.weight_copies + e.runtime +
            e.largest_phase + e.allocator;
  return e;
}

}  // namespace litemp
