// CheckSamplesIndependent: a forward pass over the graph marking each value as constant
// (no input reaches it) or per-sample (dim 0 is the sample axis, row i from input row i).
// A node with a per-sample input must be an allow-listed op whose axes leave dim 0 alone
// and whose kernel computes a sample the same way whatever the batch size.
#include <algorithm>
#include <set>

#include "litemp/graph.h"

namespace litemp {

namespace {

enum class Kind { kConst, kSample };

const std::set<std::string>& UnaryOps() {
  static const std::set<std::string> ops = {
      "Relu", "Clip", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Reciprocal", "Neg", "Abs", "Erf", "Cast", "Identity",
      "Dropout", "HardSigmoid", "HardSwish", "LeakyRelu", "Elu", "Selu", "Celu", "Softplus", "Softsign", "Floor", "Ceil",
      "Round", "Sign", "Not", "Gelu", "Mish", "Sin", "Cos", "IsNaN", "IsInf", "ThresholdedRelu", "Shrink"};
  return ops;
}
const std::set<std::string>& BroadcastOps() {
  static const std::set<std::string> ops = {"Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Equal",
                                            "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor",
                                            "Where", "PRelu", "Mod", "BitShift"};
  return ops;
}
// Ops that work on each sample alone (N is a loop around them); inputs past the first must
// be constant.
const std::set<std::string>& PerSampleOps() {
  static const std::set<std::string> ops = {"Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool",
                                            "GlobalMaxPool", "LpPool", "GlobalLpPool", "BatchNormalization",
                                            "InstanceNormalization", "LRN", "DepthToSpace", "SpaceToDepth"};
  return ops;
}

int RankOf(const Graph& g, int v) { return v >= 0 && g.values[v].shape_known ? static_cast<int>(g.values[v].shape.size()) : -1; }

// Integer contents of constant value `v` (int64 or int32), or false.
bool ConstInts(const Graph& g, int v, std::vector<int64_t>* out) {
  const Tensor* t = v >= 0 ? g.Constant(v) : nullptr;
  if (!t) return false;
  out->clear();
  if (t->dtype() == DType::kInt64) out->assign(t->data<int64_t>(), t->data<int64_t>() + t->numel());
  else if (t->dtype() == DType::kInt32) out->assign(t->data<int32_t>(), t->data<int32_t>() + t->numel());
  else return false;
  return true;
}

// Axes (attribute `name`, or constant input `input` from opset `input_opset` on) into
// *axes, normalised against `rank`; false when they cannot be read.
bool AxesOf(const Graph& g, const Node& n, const char* name, size_t input, int input_opset, int rank,
            std::vector<int64_t>* axes, bool* present) {
  *present = true;
  if (n.opset >= input_opset) {
    if (input >= n.inputs.size() || n.inputs[input] < 0) {
      *present = false;
      return true;
    }
    if (!ConstInts(g, n.inputs[input], axes)) return false;
  } else {
    if (!n.attrs.Has(name)) {
      *present = false;
      return true;
    }
    *axes = n.attrs.GetInts(name);
  }
  for (int64_t& a : *axes) {
    if (a < 0) a += rank;
    if (a < 0 || a >= rank) return false;
  }
  return true;
}

bool Contains0(const std::vector<int64_t>& v) { return std::find(v.begin(), v.end(), 0) != v.end(); }

// Whether node `n`, some of whose inputs are per-sample (`kinds`), keeps samples apart.
bool KeepsSamples(const Graph& g, const Node& n, const std::vector<Kind>& kind) {
  auto is_sample = [&](size_t i) { return i < n.inputs.size() && n.inputs[i] >= 0 && kind[n.inputs[i]] == Kind::kSample; };
  auto rest_const = [&](size_t from) {
    for (size_t i = from; i < n.inputs.size(); ++i)
      if (is_sample(i)) return false;
    return true;
  };
  const int in_rank = n.inputs.empty() ? -1 : RankOf(g, n.inputs[0]);
  const int out_rank = n.outputs.empty() ? -1 : RankOf(g, n.outputs[0]);
  const std::string& op = n.op_type;
  if (!n.domain.empty()) return false;
  // MaxPool's Indices count the sample in (n * C + c) * H * W + ...: a slice renumbers them.
  if (op == "MaxPool" && n.outputs.size() > 1 && n.outputs[1] >= 0) return false;
  if (UnaryOps().count(op) || PerSampleOps().count(op)) return is_sample(0) && rest_const(1);
  if (op == "QuantizeLinear" || op == "DequantizeLinear") {
    if (!is_sample(0) || !rest_const(1)) return false;
    const Tensor* scale = n.inputs.size() > 1 ? g.Constant(n.inputs[1]) : nullptr;
    if (!scale || scale->numel() <= 1) return true;
    int64_t axis = n.attrs.GetInt("axis", 1);
    return in_rank > 0 && (axis < 0 ? axis + in_rank : axis) != 0;
  }
  if (BroadcastOps().count(op)) {
    if (out_rank < 1) return false;
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      if (n.inputs[i] < 0) continue;
      const int r = RankOf(g, n.inputs[i]);
      if (is_sample(i)) {
        if (r != out_rank) return false;  // a lower-rank per-sample operand would move the sample axis
      } else if (r < 0 || r > out_rank || (r == out_rank && g.values[n.inputs[i]].shape[0] != 1)) {
        return false;
      }
    }
    return true;
  }
  if (op == "Resize" || op == "Upsample") {
    if (!is_sample(0) || !rest_const(1)) return false;
    // The scale of dim 0 must be 1 (output sizes would fix N), with no `axes` moving it, and
    // the coordinate mode must map each sample onto itself (tf_half_pixel_for_nn reads the
    // next row; tf_crop_and_resize's roi may span samples).
    if (n.attrs.Has("axes")) return false;
    const std::string mode = n.attrs.GetString("coordinate_transformation_mode", "half_pixel");
    if (mode != "half_pixel" && mode != "asymmetric" && mode != "align_corners" && mode != "pytorch_half_pixel" &&
        mode != "half_pixel_symmetric")
      return false;
    if (op == "Upsample" && n.opset < 9) {
      std::vector<float> sc = n.attrs.GetFloats("scales");
      return !sc.empty() && sc[0] == 1.f;
    }
    const size_t at = op == "Resize" && n.opset >= 11 ? 2 : 1;
    if (op == "Resize" && n.opset >= 11 && n.inputs.size() > 3 && n.inputs[3] >= 0) return false;
    const Tensor* sc = at < n.inputs.size() && n.inputs[at] >= 0 ? g.Constant(n.inputs[at]) : nullptr;
    return sc && sc->dtype() == DType::kFloat32 && sc->numel() > 0 && sc->data<float>()[0] == 1.f;
  }
  if (op == "Flatten") {  // axis 1 only: a later axis folds other dims into dim 0
    int64_t axis = n.attrs.GetInt("axis", 1);
    return is_sample(0) && in_rank > 0 && (axis < 0 ? axis + in_rank : axis) == 1;
  }
  if (op == "Reshape") {
    std::vector<int64_t> shape;
    if (!is_sample(0) || !ConstInts(g, n.inputs.size() > 1 ? n.inputs[1] : -1, &shape) || shape.empty()) return false;
    if (n.attrs.GetInt("allowzero", 0) != 0) return false;
    if (shape[0] == 0) return true;  // copies N
    if (shape[0] != -1) return false;
    // [-1, d1, ...]: -1 is N only when the rest is exactly one sample's size.
    const Value& x = g.values[n.inputs[0]];
    if (!x.shape_known) return false;
    int64_t per_sample = 1, rest = 1;
    for (size_t d = 1; d < x.shape.size(); ++d) {
      if (x.shape[d] < 0) return false;
      per_sample *= x.shape[d];
    }
    for (size_t d = 1; d < shape.size(); ++d) {
      if (shape[d] <= 0) return false;
      rest *= shape[d];
    }
    return rest == per_sample;
  }
  if (op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") {
    if (!is_sample(0) || in_rank < 1) return false;
    int64_t axis = n.attrs.GetInt("axis", n.opset >= 13 ? -1 : 1);
    return (axis < 0 ? axis + in_rank : axis) >= 1;
  }
  if (op == "LayerNormalization") {
    int64_t axis = n.attrs.GetInt("axis", -1);
    return is_sample(0) && rest_const(1) && in_rank > 0 && (axis < 0 ? axis + in_rank : axis) >= 1;
  }
  if (op == "Transpose") {
    std::vector<int64_t> perm = n.attrs.GetInts("perm");
    return is_sample(0) && (in_rank == 1 || (!perm.empty() && perm[0] == 0));
  }
  if (op == "Concat" || op == "Split") {
    for (size_t i = 0; i < n.inputs.size(); ++i)
      if (n.inputs[i] >= 0 && is_sample(i) != (i == 0 || op == "Concat")) return false;
    int64_t axis = n.attrs.GetInt("axis", 0);
    return in_rank > 0 && (axis < 0 ? axis + in_rank : axis) != 0;
  }
  if (op == "Slice") {
    if (!is_sample(0) || !rest_const(1) || n.opset < 10) return false;
    std::vector<int64_t> axes;
    bool present = false;
    return in_rank > 0 && AxesOf(g, n, "axes", 3, 10, in_rank, &axes, &present) && present && !Contains0(axes);
  }
  if (op.rfind("Reduce", 0) == 0 || op == "ArgMax" || op == "ArgMin") {
    if (!is_sample(0) || !rest_const(1) || in_rank < 1) return false;
    if (op == "ArgMax" || op == "ArgMin") {
      int64_t axis = n.attrs.GetInt("axis", 0);
      return (axis < 0 ? axis + in_rank : axis) != 0;
    }
    std::vector<int64_t> axes;
    bool present = false;
    const int from = op == "ReduceSum" ? 13 : 18;  // axes became an input
    return AxesOf(g, n, "axes", 1, from, in_rank, &axes, &present) && present && !axes.empty() && !Contains0(axes);
  }
  if (op == "Squeeze" || op == "Unsqueeze") {
    if (!is_sample(0) || !rest_const(1)) return false;
    std::vector<int64_t> axes;
    bool present = false;
    const int rank = op == "Squeeze" ? in_rank : out_rank;
    return rank > 0 && AxesOf(g, n, "axes", 1, 13, rank, &axes, &present) && present && !Contains0(axes);
  }
  // Gemm and MatMul keep samples apart, but their kernels' blocking (so the summation
  // order) follows the row count: a sample alone gets other last bits than in its batch.
  if (op == "Pad") {
    if (!is_sample(0) || !rest_const(1) || in_rank < 1) return false;
    std::vector<int64_t> pads = n.opset >= 11 ? std::vector<int64_t>{} : n.attrs.GetInts("pads");
    if (n.opset >= 11 && !ConstInts(g, n.inputs.size() > 1 ? n.inputs[1] : -1, &pads)) return false;
    if (n.opset >= 18 && n.inputs.size() > 3 && n.inputs[3] >= 0) return false;  // axes: keep it simple
    return pads.size() == 2 * static_cast<size_t>(in_rank) && pads[0] == 0 && pads[in_rank] == 0;
  }
  if (op == "Gather") {
    int64_t axis = n.attrs.GetInt("axis", 0);
    if (is_sample(0) && !is_sample(1)) return in_rank > 0 && (axis < 0 ? axis + in_rank : axis) != 0;
    if (!is_sample(0) && is_sample(1)) return axis == 0;  // an embedding lookup per sample
    return false;
  }
  if (op == "Tile" || op == "Expand") {
    std::vector<int64_t> v;
    if (!is_sample(0) || !ConstInts(g, n.inputs.size() > 1 ? n.inputs[1] : -1, &v) || v.empty()) return false;
    return op == "Tile" ? v[0] == 1 : (static_cast<int>(v.size()) == in_rank && v[0] == 1);
  }
  return false;
}

}  // namespace

Status CheckSamplesIndependent(const Graph& graph) {
  std::vector<Kind> kind(graph.values.size(), Kind::kConst);
  for (int id : graph.inputs) {
    if (RankOf(graph, id) < 1) return Status::NotSupported("input '" + graph.values[id].name + "' has no known sample axis");
    kind[id] = Kind::kSample;
  }
  for (const Node& n : graph.nodes) {
    bool any = false;
    for (int v : n.inputs) any |= v >= 0 && kind[v] == Kind::kSample;
    if (!any) continue;  // computed from constants only
    if (!KeepsSamples(graph, n, kind))
      return Status::NotSupported("node '" + n.name + "' (" + n.op_type + ") may mix samples");
    for (int v : n.outputs)
      if (v >= 0) kind[v] = Kind::kSample;
  }
  for (int id : graph.outputs)
    if (kind[id] != Kind::kSample || RankOf(graph, id) < 1)
      return Status::NotSupported("output '" + graph.values[id].name + "' does not follow the samples");
  return Status::OK();
}

}  // namespace litemp
