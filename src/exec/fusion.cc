#include "exec/fusion.h"

#include <limits>

namespace litemp {

namespace {

// A float32 scalar constant at input i of n (into *v), or an omitted input (v unchanged).
bool ScalarBound(const Graph& g, const Node& n, size_t i, float* v) {
  if (i >= n.inputs.size() || n.inputs[i] < 0) return true;
  const Tensor* t = g.Constant(n.inputs[i]);
  if (!t || t->dtype() != DType::kFloat32 || t->numel() != 1) return false;
  *v = t->data<float>()[0];
  return true;
}

// Node n as a post-op reading value `in`; false when it cannot be one.
bool AsPostOp(const Graph& g, const Node& n, int in, FusibleStep* f) {
  if (!n.domain.empty() || n.outputs.size() != 1 || n.outputs[0] < 0) return false;
  const float inf = std::numeric_limits<float>::infinity();
  f->output = n.outputs[0];
  if (n.op_type == "Relu") {
    f->op.kind = PostOp::Kind::kClip;
    f->op.lo = 0;
    f->op.hi = inf;
    return n.inputs.size() == 1;
  }
  if (n.op_type == "Clip") {
    if (n.inputs.empty() || n.inputs[0] != in) return false;
    f->op.kind = PostOp::Kind::kClip;
    if (n.opset < 11) {  // bounds are attributes
      f->op.lo = n.attrs.GetFloat("min", std::numeric_limits<float>::lowest());
      f->op.hi = n.attrs.GetFloat("max", std::numeric_limits<float>::max());
      return n.inputs.size() == 1;
    }
    f->op.lo = -inf;
    f->op.hi = inf;
    return ScalarBound(g, n, 1, &f->op.lo) && ScalarBound(g, n, 2, &f->op.hi) && n.inputs.size() <= 3;
  }
  if (n.op_type == "Conv") {  // depthwise or 1x1: ConvKernel checks the rest (shapes, layouts)
    if (n.inputs.size() < 2 || n.inputs.size() > 3 || n.inputs[0] != in) return false;
    const Tensor* w = g.Constant(n.inputs[1]);
    const Tensor* b = n.inputs.size() == 3 && n.inputs[2] >= 0 ? g.Constant(n.inputs[2]) : nullptr;
    if (!w || w->rank() != 4 || (n.inputs.size() == 3 && n.inputs[2] >= 0 && !b)) return false;
    const int64_t group = n.attrs.GetInt("group", 1);
    if (w->dim(1) == 1 && group == w->dim(0) && group >= 2) {
      f->op.kind = PostOp::Kind::kDepthwiseConv;
      return true;
    }
    if (group == 1 && w->dim(2) == 1 && w->dim(3) == 1) {
      f->op.kind = PostOp::Kind::kPointwiseConv;
      return true;
    }
    return false;
  }
  if ((n.op_type == "Add" || n.op_type == "Mul") && n.inputs.size() == 2) {
    int other = n.inputs[0] == in ? n.inputs[1] : n.inputs[0];
    if (other == in || other < 0) return false;
    f->op.kind = n.op_type == "Add" ? PostOp::Kind::kAdd : PostOp::Kind::kMul;
    f->operand = other;
    return true;
  }
  return false;
}

// True when value v goes, through nodes that read it alone (Relu, Clip), into a depthwise
// Conv: the Conv that makes v had better start a pass of its own with that one (a
// MobileNetV1-style stack of depthwise and 1x1 layers) than end another's.
bool FeedsDepthwise(const Graph& g, int v) {
  for (int steps = 0; steps < 4 && v >= 0; ++steps) {
    const std::vector<int>& cons = g.values[v].consumers;
    if (cons.size() != 1) return false;
    const Node& n = g.nodes[cons[0]];
    if (!n.domain.empty() || n.outputs.size() != 1) return false;
    if (n.op_type == "Conv") return n.attrs.GetInt("group", 1) > 1;
    if (n.op_type != "Relu" && n.op_type != "Clip") return false;
    v = n.outputs[0];
  }
  return false;
}

// v read by exactly a Sigmoid s = Sigmoid(v) and a Mul(v, s) (either order), s read only
// by that Mul and neither observed nor materialised: one kSiLU step ending at the Mul's
// output.
bool AsSiLU(const Graph& g, int v, const ChainRules& rules, FusibleStep* f) {
  const std::vector<int>& cons = g.values[v].consumers;
  if (cons.size() != 2) return false;
  for (int i = 0; i < 2; ++i) {
    const Node& s = g.nodes[cons[i]];
    const Node& m = g.nodes[cons[1 - i]];
    if (s.op_type != "Sigmoid" || !s.domain.empty() || s.inputs.size() != 1 || s.outputs.size() != 1) continue;
    const int so = s.outputs[0];
    if (so < 0 || g.values[so].consumers.size() != 1 || g.values[so].consumers[0] != cons[1 - i]) continue;
    if (m.op_type != "Mul" || !m.domain.empty() || m.inputs.size() != 2 || m.outputs.size() != 1 || m.outputs[0] < 0)
      continue;
    if (!((m.inputs[0] == v && m.inputs[1] == so) || (m.inputs[0] == so && m.inputs[1] == v))) continue;
    if (!rules.runs(cons[0]) || !rules.runs(cons[1]) || rules.observed(so) || rules.materialise(so)) return false;
    f->op.kind = PostOp::Kind::kSiLU;
    f->node = cons[1 - i];
    f->node2 = cons[i];
    f->output = m.outputs[0];
    return true;
  }
  return false;
}

}  // namespace

std::vector<FusibleStep> FusibleChain(const Graph& g, int producer, const ChainRules& rules) {
  std::vector<FusibleStep> chain;
  const Node& p = g.nodes[producer];
  if (p.outputs.empty()) return chain;
  int v = p.outputs[0];
  while (v >= 0) {
    if (rules.observed(v)) {
      FusibleStep q;
      if (!rules.quantize || !rules.quantize(v, &q.op)) break;
      q.op.kind = PostOp::Kind::kQuantize;
      q.output = v;
      chain.push_back(q);
    }
    if (rules.materialise(v)) break;
    const std::vector<int>& cons = g.values[v].consumers;
    FusibleStep silu;
    if (AsSiLU(g, v, rules, &silu)) {
      chain.push_back(silu);
      v = silu.output;
      continue;
    }
    if (cons.size() != 1 || !rules.runs(cons[0])) break;
    FusibleStep f;
    f.node = cons[0];
    if (!AsPostOp(g, g.nodes[f.node], v, &f)) break;
    if (f.op.kind == PostOp::Kind::kDepthwiseConv || f.op.kind == PostOp::Kind::kPointwiseConv) {
      // Only a Conv's kernel runs them: a depthwise layer on the Conv's own output after
      // clips, fake-quantizations and SiLUs (one per chain), then possibly a 1x1 layer on
      // the depthwise one's output after the same kinds of steps.
      if (p.op_type != "Conv" || !p.domain.empty()) break;
      bool elementwise = true;
      int depthwise = 0;
      for (const FusibleStep& s : chain) {
        const PostOp::Kind k = s.op.kind;
        if (k == PostOp::Kind::kDepthwiseConv) ++depthwise;
        else if (k != PostOp::Kind::kClip && k != PostOp::Kind::kQuantize && k != PostOp::Kind::kSiLU)
          elementwise = false;
      }
      const bool fits = elementwise && depthwise == (f.op.kind == PostOp::Kind::kDepthwiseConv ? 0 : 1);
      if (!fits || (f.op.kind == PostOp::Kind::kPointwiseConv && FeedsDepthwise(g, f.output))) break;
    }
    chain.push_back(f);
    v = f.output;
  }
  return chain;
}

}  // namespace litemp
