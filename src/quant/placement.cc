#include "quant/placement.h"

#include <set>

namespace litemp {

bool IsDataMovementOp(const std::string& op) {
  static const std::set<std::string> kOps = {
      "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Gather", "Split", "Slice",
      "Pad", "Expand", "Tile", "Identity", "Dropout", "MaxPool", "DepthToSpace", "SpaceToDepth",
      "ReduceMax", "ReduceMin", "TopK", "Compress", "NonZero", "Shape"};
  return kOps.count(op) != 0;
}

namespace {
bool IsConstFloat(const Graph& g, int id) {
  return id >= 0 && g.values[id].is_initializer && g.Constant(id) && g.Constant(id)->dtype() == DType::kFloat32;
}

// The MatMul weight may sit behind one Transpose of a constant.
int MatMulWeightSource(const Graph& g, const Node& n) {
  if (n.inputs.size() < 2) return -1;
  int w = n.inputs[1];
  if (IsConstFloat(g, w)) return w;
  int p = w >= 0 ? g.values[w].producer : -1;
  if (p >= 0 && g.nodes[p].op_type == "Transpose" && IsConstFloat(g, g.nodes[p].inputs[0])) return g.nodes[p].inputs[0];
  return -1;
}
}  // namespace

std::string ParamRole(const Graph& g, int node, int i) {
  const Node& n = g.nodes[node];
  if (i >= static_cast<int>(n.inputs.size()) || !IsConstFloat(g, n.inputs[i])) return "";
  const std::string& op = n.op_type;
  if (op == "Conv" || op == "ConvTranspose" || op == "Gemm" || op == "InstanceNormalization" ||
      op == "LayerNormalization" || op == "GroupNormalization") {
    if (i == 1) return "weight";
    if (i == 2) return "bias";
  }
  if (op == "BatchNormalization") {
    static const char* kRoles[] = {"", "weight", "bias", "running_mean", "running_var"};
    if (i >= 1 && i <= 4) return kRoles[i];
  }
  if (op == "MatMul" && i == 1) return "weight";
  if ((op == "RNN" || op == "LSTM" || op == "GRU") && (i == 1 || i == 2)) return "weight";
  if ((op == "RNN" || op == "LSTM" || op == "GRU") && i == 3) return "bias";
  if (op == "Add" && n.inputs.size() == 2) {
    // Bias of a MatMul: Add(MatMul(x, W), b) with b rank 1 and the MatMul used only here.
    int other = n.inputs[1 - i];
    int p = other >= 0 ? g.values[other].producer : -1;
    if (p >= 0 && g.nodes[p].op_type == "MatMul" && g.values[other].consumers.size() == 1 &&
        g.Constant(n.inputs[i])->rank() == 1)
      return "bias";
  }
  return "";
}

namespace {
int ChannelAxis(const Node& n, const Tensor& w) {
  if (w.rank() <= 1) return 0;
  if (n.op_type == "ConvTranspose") return 1;
  if (n.op_type == "Gemm") return n.attrs.GetInt("transB", 0) ? 0 : 1;
  if (n.op_type == "MatMul") return w.rank() - 1;
  return 0;
}
}  // namespace

std::vector<Quantizer> PlaceQuantizers(const Graph& g, const QuantsimConfig& cfg) {
  std::vector<Quantizer> qs;
  std::vector<char> has_act_q(g.values.size(), 0);
  const int num_nodes = static_cast<int>(g.nodes.size());
  auto op_cfg = [&](const std::string& op) -> const OpTypeConfig* {
    auto it = cfg.op_type.find(op);
    return it == cfg.op_type.end() ? nullptr : &it->second;
  };
  std::vector<char> param_done(g.values.size(), 0);
  for (int ni = 0; ni < num_nodes; ++ni) {
    const Node& n = g.nodes[ni];
    const OpTypeConfig* oc = op_cfg(n.op_type);
    bool act_sym = oc && oc->is_symmetric ? *oc->is_symmetric : cfg.ops_symmetric;
    // Parameters, and the MatMul weight behind a Transpose.
    for (int i = 0; i < static_cast<int>(n.inputs.size()); ++i) {
      std::string role = ParamRole(g, ni, i);
      int id = n.inputs[i];
      if (role.empty() && n.op_type == "MatMul" && i == 1) {
        id = MatMulWeightSource(g, n);
        if (id >= 0) role = "weight";
      }
      if (role.empty() || param_done[id]) continue;
      param_done[id] = 1;
      Quantizer q;
      q.role = QuantizerRole::kParam;
      q.value_id = id;
      q.layer = ni;
      q.param_role = role;
      bool on = cfg.params_quantized, sym = cfg.params_symmetric;
      if (auto it = cfg.params.find(role); it != cfg.params.end()) {
        on = it->second.is_quantized.value_or(on);
        sym = it->second.is_symmetric.value_or(sym);
      }
      if (oc) {
        if (auto it = oc->params.find(role); it != oc->params.end()) {
          on = it->second.is_quantized.value_or(on);
          sym = it->second.is_symmetric.value_or(sym);
        }
      }
      q.enabled = on;
      q.spec.symmetric = sym;
      const Tensor& w = *g.Constant(id);
      q.axis = ChannelAxis(n, w);
      q.channels = w.rank() ? static_cast<int>(w.dim(q.axis)) : 1;
      qs.push_back(std::move(q));
    }
    // Input quantizers: graph inputs and non-parameter float constants, owned by the first
    // consumer.
    for (int i = 0; i < static_cast<int>(n.inputs.size()); ++i) {
      int id = n.inputs[i];
      if (id < 0 || has_act_q[id] || param_done[id] || g.values[id].producer >= 0) continue;
      const Value& v = g.values[id];
      bool is_float = v.is_initializer ? IsConstFloat(g, id) : (v.dtype == DType::kFloat32);
      if (!is_float || !ParamRole(g, ni, i).empty()) continue;
      has_act_q[id] = 1;
      Quantizer q;
      q.role = QuantizerRole::kInput;
      q.value_id = id;
      q.layer = ni;
      q.enabled = oc && oc->is_input_quantized ? *oc->is_input_quantized : cfg.ops_input_quantized;
      q.spec.symmetric = act_sym;
      qs.push_back(std::move(q));
    }
    // Output quantizers on float outputs, except for data-movement ops.
    if (IsDataMovementOp(n.op_type)) continue;
    for (int id : n.outputs) {
      if (id < 0 || has_act_q[id]) continue;
      DType dt = g.values[id].dtype;
      if (dt != DType::kFloat32 && dt != DType::kUndefined) continue;
      has_act_q[id] = 1;
      Quantizer q;
      q.role = QuantizerRole::kOutput;
      q.value_id = id;
      q.layer = ni;
      q.enabled = oc && oc->is_output_quantized ? *oc->is_output_quantized : cfg.ops_output_quantized;
      q.spec.symmetric = act_sym;
      if (oc && oc->encoding_constraints) q.fixed_range = oc->encoding_constraints;
      qs.push_back(std::move(q));
    }
  }
  std::vector<int> out_q(g.values.size(), -1);
  for (size_t i = 0; i < qs.size(); ++i)
    if (qs[i].role == QuantizerRole::kOutput) out_q[qs[i].value_id] = static_cast<int>(i);
  // Supergroups: in a matched chain every output quantizer but the last is disabled.
  auto sole_consumer = [&](int node) -> int {
    const Node& n = g.nodes[node];
    if (n.outputs.empty() || n.outputs[0] < 0) return -1;
    const Value& v = g.values[n.outputs[0]];
    if (v.is_graph_output || v.consumers.size() != 1) return -1;
    return v.consumers[0];
  };
  for (const auto& group : cfg.supergroups) {
    for (int ni = 0; ni < num_nodes; ++ni) {
      if (g.nodes[ni].op_type != group[0]) continue;
      std::vector<int> chain{ni};
      for (size_t k = 1; k < group.size(); ++k) {
        int c = sole_consumer(chain.back());
        if (c < 0 || g.nodes[c].op_type != group[k]) break;
        chain.push_back(c);
      }
      if (chain.size() != group.size()) continue;
      for (size_t k = 0; k + 1 < chain.size(); ++k) {
        int q = out_q[g.nodes[chain[k]].outputs[0]];
        if (q >= 0) qs[q].enabled = false;
      }
    }
  }
  for (auto& q : qs) {
    const Value& v = g.values[q.value_id];
    if (q.role == QuantizerRole::kInput && v.is_graph_input && cfg.model_input_quantized)
      q.enabled = *cfg.model_input_quantized;
    if (q.role == QuantizerRole::kOutput && v.is_graph_output && cfg.model_output_quantized)
      q.enabled = *cfg.model_output_quantized;
  }
  // Per-channel, where configured, applies to every parameter with more than one channel
  // along its axis (1-D parameters use axis 0).
  for (auto& q : qs) {
    if (q.role != QuantizerRole::kParam) continue;
    const OpTypeConfig* oc = op_cfg(g.nodes[q.layer].op_type);
    bool pc = oc && oc->per_channel ? *oc->per_channel : cfg.per_channel;
    q.per_channel = pc && q.channels > 1;
    if (!q.per_channel) q.channels = 1;
    q.spec.strict_symmetric = cfg.strict_symmetric;
    q.spec.unsigned_symmetric = cfg.unsigned_symmetric;
  }
  for (auto& q : qs) {
    if (q.role == QuantizerRole::kParam) continue;
    q.spec.strict_symmetric = cfg.strict_symmetric;
    q.spec.unsigned_symmetric = cfg.unsigned_symmetric;
  }
  return qs;
}

}  // namespace litemp
