#include <algorithm>
#include <vector>

#include "litemp/sample_parallel.h"

namespace litemp {

namespace {

// A tail is worth a whole-batch run when its layers read at least this many bytes of
// weights (more than a core's L2 holds on most CPUs: read once per sample otherwise)...
constexpr size_t kMinTailWeightBytes = size_t{1} << 20;
// ...and twice the bytes its nodes write per sample (so the batch's activations there cost
// less than reading the weights again for every sample). MobileNetV2 at batch 32, Intel
// Xeon, 2 threads, best of run: no tail 97.6-102.0 ms; 4x (the last stage's last block and
// the head) 93.4-94.8; 2x (the last two stages) 92.5-97.9, medians 95.5 and 94.8 ms.
constexpr double kTailWeightsPerActivation = 2.0;

// Bytes of one sample of value `id` (its first dim is the sample axis; a scalar is no
// sample's); -1 when unknown.
int64_t SampleBytes(const Value& v) {
  if (!v.shape_known) return -1;
  if (v.shape.empty()) return 0;
  int64_t n = DTypeSize(v.dtype);
  for (size_t d = 1; d < v.shape.size(); ++d) {
    if (v.shape[d] < 0) return -1;
    n *= v.shape[d];
  }
  return n;
}

bool IsDepthwise(const Node& n) { return n.domain.empty() && n.op_type == "Conv" && n.attrs.GetInt("group", 1) > 1; }

// Ops a producer's kernel may apply as it writes (exec/fusion.cc): a value `v` read only by
// one of them is fused away in whole runs, so no tail starts at it. That includes a 1x1
// Conv after a depthwise one and its clips (an inverted residual block's project layer).
bool Fusable(const Graph& g, const Node& n, int v) {
  if (!n.domain.empty()) return false;
  if (n.op_type == "Relu" || n.op_type == "Clip" || n.op_type == "Add" || n.op_type == "Mul" || IsDepthwise(n))
    return true;
  if (n.op_type != "Conv" || n.inputs.size() < 2) return false;
  const Tensor* w = g.Constant(n.inputs[1]);
  if (!w || w->rank() != 4 || w->dim(2) != 1 || w->dim(3) != 1) return false;
  for (int p = g.values[v].producer; p >= 0;) {
    const Node& m = g.nodes[p];
    if (IsDepthwise(m)) return true;
    if (m.op_type != "Relu" && m.op_type != "Clip") return false;
    p = m.inputs.empty() || m.inputs[0] < 0 ? -1 : g.values[m.inputs[0]].producer;
  }
  return false;
}

}  // namespace

BatchedTail PlanBatchedTail(const Graph& g) {
  const int nodes = static_cast<int>(g.nodes.size());
  if (nodes < 2) return {};
  // Weights and per-sample output bytes of the nodes from k on.
  std::vector<double> weights(nodes + 1, 0), acts(nodes + 1, 0);
  for (int i = nodes - 1; i >= 0; --i) {
    double w = 0, a = 0;
    for (int in : g.nodes[i].inputs)
      if (in >= 0 && g.values[in].is_initializer && IsLayerWeight(g, in)) w += g.Constant(in)->nbytes();
    for (int out : g.nodes[i].outputs) {
      if (out < 0) continue;
      const int64_t b = SampleBytes(g.values[out]);
      if (b < 0) return {};  // unknown sizes: no judgement
      a += static_cast<double>(b);
    }
    weights[i] = weights[i + 1] + w;
    acts[i] = acts[i + 1] + a;
  }
  // Values crossing cut k (made before node k, read at or after it): difference counts.
  std::vector<int> crossing(nodes + 1, 0);
  std::vector<int> last_use(g.values.size(), -1);
  for (size_t v = 0; v < g.values.size(); ++v) {
    const Value& val = g.values[v];
    if (val.is_initializer || val.consumers.empty()) continue;
    last_use[v] = val.consumers.back();
    const int first_cut = val.producer + 1;  // 0 for graph inputs
    if (first_cut <= last_use[v]) {
      ++crossing[first_cut];
      --crossing[last_use[v] + 1];
    }
  }
  int first_output = nodes;  // no graph output may come from the per-sample part
  for (int o : g.outputs) first_output = std::min(first_output, g.values[o].producer);
  int open = 0;
  for (int k = 0; k <= first_output && k < nodes; ++k) {
    open += crossing[k];
    if (k == 0 || open != 1) continue;
    if (weights[k] < kMinTailWeightBytes || weights[k] < kTailWeightsPerActivation * acts[k]) continue;
    // The one value crossing: made before k, read from k on.
    int frontier = -1;
    for (int in_node = k; in_node < nodes && frontier < 0; ++in_node)
      for (int in : g.nodes[in_node].inputs)
        if (in >= 0 && !g.values[in].is_initializer && g.values[in].producer < k) frontier = in;
    if (frontier < 0 || g.values[frontier].is_graph_input || SampleBytes(g.values[frontier]) <= 0) continue;
    const Value& f = g.values[frontier];
    if (f.consumers.size() == 1 && Fusable(g, g.nodes[f.consumers[0]], frontier)) continue;
    return {k, frontier, static_cast<int64_t>(acts[k])};
  }
  return {};
}

}  // namespace litemp
