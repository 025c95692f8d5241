#include "litemp/stats.h"

namespace litemp {

bool IsLayerWeight(const Graph& g, int id) {
  for (int c : g.values[id].consumers) {
    const Node& n = g.nodes[c];
    const bool layer = n.domain.empty() && (n.op_type == "Conv" || n.op_type == "ConvTranspose" ||
                                            n.op_type == "Gemm" || n.op_type == "MatMul");
    if (layer && n.inputs.size() > 1 && n.inputs[1] == id) return true;
  }
  return false;
}

bool CheapToRecompute(const Graph& g, int node) {
  const Node& n = g.nodes[node];
  if (!n.domain.empty() || (n.op_type != "Clip" && n.op_type != "Relu") || n.outputs.size() != 1) return false;
  int values = 0;
  for (int in : n.inputs) values += in >= 0 && !g.values[in].is_initializer;
  return values == 1;
}

size_t LayerWeightBytes(const Graph& g) {
  size_t bytes = 0;
  for (const auto& [id, t] : g.initializers)
    if (t.dtype() == DType::kFloat32 && IsLayerWeight(g, id)) bytes += t.nbytes();
  return bytes;
}

ModelStats ComputeStats(const Graph& g, const std::vector<Shape>* shapes) {
  ModelStats st;
  // Weights: float initializers, and integer ones stored quantized (the data input of a
  // DequantizeLinear; not its zero points, nor shape or index constants).
  for (const auto& [id, t] : g.initializers) {
    bool weight = IsFloat(t.dtype());
    for (int c : g.values[id].consumers)
      weight |= g.nodes[c].op_type == "DequantizeLinear" && !g.nodes[c].inputs.empty() && g.nodes[c].inputs[0] == id;
    if (weight) st.parameters += t.numel();
  }
  auto shape_of = [&](int id) -> Shape {
    if (id < 0) return {};
    if (shapes && id < static_cast<int>(shapes->size()) && !(*shapes)[id].empty()) return (*shapes)[id];
    Shape s = g.values[id].shape;
    for (auto& d : s)
      if (d < 0) d = 1;
    return s;
  };
  st.node_flops.assign(g.nodes.size(), 0);
  for (const Node& n : g.nodes) {
    double& flops = st.node_flops[&n - g.nodes.data()];
    st.op_counts[n.domain.empty() ? n.op_type : n.domain + "::" + n.op_type]++;
    if (!n.domain.empty() || n.inputs.size() < 2) continue;
    Shape w = shape_of(n.inputs[1]);
    Shape y = n.outputs.empty() ? Shape{} : shape_of(n.outputs[0]);
    Shape x = shape_of(n.inputs[0]);
    if (w.empty() || y.empty() || x.empty()) continue;
    if (n.op_type == "Conv" && w.size() >= 3) {
      double k = static_cast<double>(NumElements(w)) / w[0];  // Cin/group * prod(kernel)
      flops = 2.0 * NumElements(y) * k;
    } else if (n.op_type == "ConvTranspose" && w.size() >= 3) {
      double k = static_cast<double>(NumElements(w)) / w[0];  // Cout/group * prod(kernel)
      flops = 2.0 * NumElements(x) * k;
    } else if (n.op_type == "Gemm") {
      bool ta = n.attrs.GetInt("transA", 0) != 0;
      int64_t kdim = x.size() == 2 ? x[ta ? 0 : 1] : 0;
      flops = 2.0 * NumElements(y) * kdim;
    } else if (n.op_type == "MatMul") {
      int64_t kdim = x.back();
      flops = 2.0 * NumElements(y) * kdim;
    }
    st.flops += flops;
  }
  return st;
}

}  // namespace litemp
