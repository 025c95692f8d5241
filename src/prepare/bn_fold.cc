// Folding one inference BatchNormalization into the node that writes its input.
//
// BatchNormalization computes y = (x - mean) * s + beta per channel (axis 1) with
// s = scale / sqrt(var + epsilon). For a producer computing x = W * a + b along that
// channel, y = (W * s) * a + ((b - mean) * s + beta): the producer takes W' = W * s and
// b' = (b - mean) * s + beta, both computed in double and rounded to float once.
#include <cmath>
#include <functional>

#include "prepare/passes.h"
#include "prepare/proto_index.h"

namespace litemp::prepare {

namespace {

// A BatchNormalization's per-channel parameters, in double.
struct BnParams {
  std::vector<double> s, mean, beta;  // s = scale / sqrt(var + epsilon)
  int64_t channels() const { return static_cast<int64_t>(s.size()); }
};

Status Unfoldable(std::string why) { return Status::NotSupported(std::move(why)); }

// Writes `t` as the initializer input `slot` of node `p` reads, appending the input when
// absent. The initializer changes in place only when nothing else reads it; otherwise
// (another node, a graph input or output) `p` gets a copy under a fresh name.
void WriteParam(onnx::GraphProto* g, ProtoIndex* index, int p, int slot, const Tensor& t) {
  onnx::NodeProto* n = g->mutable_node(p);
  const std::string name = slot < n->input_size() ? n->input(slot) : "";
  const int init = name.empty() ? -1 : index->Initializer(name);
  if (init >= 0 && index->ReadOnlyBy(name, p) && !index->IsGraphInput(name)) {
    SetInitializer(g, init, t);
    return;
  }
  const std::string fresh = index->FreshName(name.empty() ? n->name() + "_bias" : name + "_folded");
  AddInitializer(g, fresh, t);
  while (n->input_size() <= slot) n->add_input("");
  n->set_input(slot, fresh);
}

// The optional bias of `p` (input `slot`), or zeros; a present one must be float32 [C].
Result<Tensor> Bias(const onnx::GraphProto& g, const ProtoIndex& index, const onnx::NodeProto& p, int slot,
                    int64_t channels) {
  if (p.input_size() <= slot || p.input(slot).empty()) return Tensor::Zeros(DType::kFloat32, {channels});
  LITEMP_ASSIGN_OR_RETURN(Tensor b, FloatInitializer(g, index, p.input(slot)));
  if (b.shape() != Shape{channels})
    return Unfoldable("bias '" + p.input(slot) + "' has shape " + ShapeToString(b.shape()) + ", expected [" +
                      std::to_string(channels) + "]");
  return b;
}

// W' = W * s[channel_of(element index)].
Tensor ScaleWeight(const Tensor& w, const BnParams& bn, const std::function<int64_t(int64_t)>& channel_of) {
  Tensor out(DType::kFloat32, w.shape());
  const float* src = w.data<float>();
  float* dst = out.data<float>();
  for (int64_t e = 0; e < w.numel(); ++e)
    dst[e] = static_cast<float>(static_cast<double>(src[e]) * bn.s[channel_of(e)]);
  return out;
}

// b' = (b - mean) * s + beta, per channel.
Tensor FoldBias(const Tensor& b, const BnParams& bn) {
  Tensor out(DType::kFloat32, {bn.channels()});
  for (int64_t c = 0; c < bn.channels(); ++c)
    out.data<float>()[c] =
        static_cast<float>((static_cast<double>(b.data<float>()[c]) - bn.mean[c]) * bn.s[c] + bn.beta[c]);
  return out;
}

std::string ChannelMismatch(const std::string& what, int64_t have, int64_t channels) {
  return what + " has " + std::to_string(have) + " output channels, the BatchNormalization " + std::to_string(channels);
}

// Conv: W [Cout, Cin/group, k...]. ConvTranspose: W [Cin, Cout/group, k...], where output
// channel g * Cout/group + j of group g reads W[ci, j] for the Cin/group rows ci of group g.
Status FoldConv(const BnParams& bn, int p, onnx::GraphProto* g, ProtoIndex* index) {
  const onnx::NodeProto& n = g->node(p);
  const bool transpose = n.op_type() == "ConvTranspose";
  LITEMP_ASSIGN_OR_RETURN(Tensor w, FloatInitializer(*g, *index, n.input(1)));
  const int64_t group = IntAttr(n, "group", 1);
  if (w.rank() < 3 || group < 1)
    return Unfoldable("weight shape " + ShapeToString(w.shape()) + " with group " + std::to_string(group));
  const int64_t d0 = w.dim(0), d1 = w.dim(1), inner = w.numel() / std::max<int64_t>(d0 * d1, 1);
  const int64_t cout = transpose ? d1 * group : d0;
  if (cout != bn.channels())
    return Unfoldable(ChannelMismatch("weight " + ShapeToString(w.shape()), cout, bn.channels()));
  if (transpose && d0 % group != 0)
    return Unfoldable("weight " + ShapeToString(w.shape()) + " does not split into " + std::to_string(group) +
                      " groups");
  LITEMP_ASSIGN_OR_RETURN(Tensor b, Bias(*g, *index, n, 2, cout));
  const int64_t cin_per_group = transpose ? d0 / group : 1;
  Tensor w2 = ScaleWeight(w, bn, [&](int64_t e) {
    if (!transpose) return e / (d1 * inner);
    const int64_t ci = e / (d1 * inner), j = (e / inner) % d1;
    return (ci / cin_per_group) * d1 + j;
  });
  WriteParam(g, index, p, 1, w2);
  WriteParam(g, index, p, 2, FoldBias(b, bn));
  return Status::OK();
}

// Y = alpha * A' * B' + beta * C with B [K, N] (or [N, K] when transB): columns (rows) of B
// scale by s, and C' = (beta * C - mean) * s + bn_beta, broadcast to [N] or [Mc, N]; beta
// becomes 1.
Status FoldGemm(const BnParams& bn, int64_t opset, int p, onnx::GraphProto* g, ProtoIndex* index) {
  const onnx::NodeProto& n = g->node(p);
  if (opset < 7) return Unfoldable("Gemm before opset 7 broadcasts C only with its 'broadcast' attribute");
  LITEMP_ASSIGN_OR_RETURN(Tensor w, FloatInitializer(*g, *index, n.input(1)));
  const bool trans_b = IntAttr(n, "transB", 0) != 0;
  if (w.rank() != 2) return Unfoldable("weight shape " + ShapeToString(w.shape()) + " is not 2-D");
  const int64_t cols = w.dim(1), channels = trans_b ? w.dim(0) : w.dim(1);
  if (channels != bn.channels())
    return Unfoldable(ChannelMismatch("weight " + ShapeToString(w.shape()), channels, bn.channels()));
  Tensor c = Tensor::Zeros(DType::kFloat32, {});
  if (n.input_size() > 2 && !n.input(2).empty()) {
    LITEMP_ASSIGN_OR_RETURN(c, FloatInitializer(*g, *index, n.input(2)));
    const int64_t nc = c.rank() == 0 ? 1 : c.dim(-1);
    if (c.rank() > 2 || (nc != 1 && nc != channels))
      return Unfoldable("C has shape " + ShapeToString(c.shape()) + ", which does not broadcast to [M," +
                        std::to_string(channels) + "]");
  }
  const double beta = FloatAttr(n, "beta", 1.f);
  const int64_t rows = c.rank() == 2 ? c.dim(0) : 1, nc = c.rank() == 0 ? 1 : c.dim(-1);
  Tensor c2(DType::kFloat32, c.rank() == 2 ? Shape{rows, channels} : Shape{channels});
  for (int64_t m = 0; m < rows; ++m)
    for (int64_t k = 0; k < channels; ++k) {
      const double cv = c.data<float>()[m * nc + (nc == 1 ? 0 : k)];
      c2.data<float>()[m * channels + k] = static_cast<float>((beta * cv - bn.mean[k]) * bn.s[k] + bn.beta[k]);
    }
  WriteParam(g, index, p, 1, ScaleWeight(w, bn, [&](int64_t e) { return trans_b ? e / cols : e % cols; }));
  WriteParam(g, index, p, 2, c2);
  SetFloatAttr(g->mutable_node(p), "beta", 1.f);
  return Status::OK();
}

// MatMul with a constant W [K, N] and a rank-2 output: the BatchNormalization's channel is
// its last axis, so it becomes Gemm(A, W * s, (0 - mean) * s + beta).
Status FoldMatMul(const Graph& graph, const BnParams& bn, int64_t opset, int p, onnx::GraphProto* g,
                  ProtoIndex* index) {
  const onnx::NodeProto& n = g->node(p);
  if (opset < 7) return Unfoldable("a Gemm with a broadcast bias needs opset 7");
  const int out = graph.FindValue(n.output(0));
  if (out < 0 || !graph.values[out].shape_known || graph.values[out].shape.size() != 2)
    return Unfoldable("its output is not known to be 2-D");
  LITEMP_ASSIGN_OR_RETURN(Tensor w, FloatInitializer(*g, *index, n.input(1)));
  if (w.rank() != 2) return Unfoldable("weight shape " + ShapeToString(w.shape()) + " is not 2-D");
  const int64_t cols = w.dim(1);
  if (cols != bn.channels())
    return Unfoldable(ChannelMismatch("weight " + ShapeToString(w.shape()), cols, bn.channels()));
  WriteParam(g, index, p, 1, ScaleWeight(w, bn, [&](int64_t e) { return e % cols; }));
  WriteParam(g, index, p, 2, FoldBias(Tensor::Zeros(DType::kFloat32, {cols}), bn));
  g->mutable_node(p)->set_op_type("Gemm");
  return Status::OK();
}

// Reads the parameters of BatchNormalization node `bn`. NotSupported (saying why) unless it
// is the inference form (one output, not training mode, spatial) and scale, B, mean and var
// are float32 initializers of one shape [C] giving finite s.
Result<BnParams> ReadBatchNorm(const onnx::GraphProto& g, const ProtoIndex& index, const onnx::NodeProto& bn) {
  for (int i = 1; i < bn.output_size(); ++i)
    if (!bn.output(i).empty()) return Unfoldable("it has training outputs (running mean/var)");
  if (IntAttr(bn, "training_mode", 0) != 0) return Unfoldable("training_mode is set");
  if (IntAttr(bn, "spatial", 1) != 1) return Unfoldable("spatial is 0 (per-element statistics)");
  if (bn.input_size() != 5 || bn.output_size() < 1 || bn.output(0).empty())
    return Unfoldable("it does not have 5 inputs and an output");
  Tensor p[4];
  for (int i = 0; i < 4; ++i) {
    LITEMP_ASSIGN_OR_RETURN(p[i], FloatInitializer(g, index, bn.input(i + 1)));
    if (p[i].rank() != 1 || p[i].shape() != p[0].shape())
      return Unfoldable("parameter '" + bn.input(i + 1) + "' has shape " + ShapeToString(p[i].shape()) +
                        ", expected [C]");
  }
  const double eps = FloatAttr(bn, "epsilon", 1e-5f);
  BnParams r;
  for (int64_t c = 0; c < p[0].numel(); ++c) {
    const double s = p[0].data<float>()[c] / std::sqrt(static_cast<double>(p[3].data<float>()[c]) + eps);
    if (!std::isfinite(s))
      return Unfoldable("scale / sqrt(var + epsilon) is not finite for channel " + std::to_string(c));
    r.s.push_back(s);
    r.beta.push_back(p[1].data<float>()[c]);
    r.mean.push_back(p[2].data<float>()[c]);
  }
  return r;
}

// Folds into node `p` by rewriting its weight and bias; a MatMul becomes a Gemm with a
// bias. NotSupported (saying why) with `g` unchanged when it cannot. Does not rewire outputs.
Status FoldIntoProducer(const Graph& graph, int64_t opset, const BnParams& bn, int p, onnx::GraphProto* g,
                        ProtoIndex* index) {
  const onnx::NodeProto& n = g->node(p);
  if (n.input_size() < 2 || n.input(1).empty()) return Unfoldable("'" + n.name() + "' has no weight input");
  if (IsOp(n, "Conv") || IsOp(n, "ConvTranspose")) return FoldConv(bn, p, g, index);
  if (IsOp(n, "Gemm")) return FoldGemm(bn, opset, p, g, index);
  if (IsOp(n, "MatMul")) return FoldMatMul(graph, bn, opset, p, g, index);
  return Unfoldable("its input comes from " + n.op_type() + " '" + n.name() +
                    "', not a Conv, ConvTranspose, Gemm or MatMul");
}

}  // namespace

void FoldBatchNorms(const Graph& graph, int64_t opset, const std::string& external_dir, onnx::GraphProto* g,
                    PrepareReport* report) {
  ProtoIndex index(*g, external_dir);
  for (int i = 0; i < g->node_size(); ++i) {
    const onnx::NodeProto& bn = g->node(i);
    if (!IsOp(bn, "BatchNormalization")) continue;
    const std::string bn_name = bn.name();
    auto params = ReadBatchNorm(*g, index, bn);
    const int p = bn.input_size() > 0 ? index.Producer(bn.input(0)) : -1;
    Status s = params.status();
    if (s.ok() && p < 0) s = Unfoldable("its input is not written by a node");
    if (s.ok() && !index.ReadOnlyBy(bn.input(0), i))
      s = Unfoldable("the output of '" + g->node(p).name() + "' is read by more than this BatchNormalization");
    const std::string producer_op = p >= 0 ? g->node(p).op_type() : "";
    if (s.ok()) s = FoldIntoProducer(graph, opset, params.value(), p, g, &index);
    if (!s.ok()) {
      report->notes.push_back("BatchNormalization '" + bn_name + "' not folded: " + s.message());
      continue;
    }
    onnx::NodeProto* producer = g->mutable_node(p);
    producer->set_output(0, bn.output(0));
    ++report->folded_bn;
    report->actions.push_back("folded BatchNormalization '" + bn_name + "' into " + producer_op + " '" +
                              producer->name() + "'" + (producer_op != producer->op_type() ? " (now a Gemm)" : ""));
    std::vector<char> remove(g->node_size(), 0);
    remove[i] = 1;
    RemoveNodes(g, remove);
    index = ProtoIndex(*g, external_dir);
    --i;  // the next node now sits at i
  }
}

}  // namespace litemp::prepare
