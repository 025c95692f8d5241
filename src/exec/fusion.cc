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
bool AsPostOp(const Graph& g, const Node& n, int in, FusibleNode* f) {
  if (!n.domain.empty() || n.outputs.size() != 1 || n.outputs[0] < 0) return false;
  const float inf = std::numeric_limits<float>::infinity();
  f->output = n.outputs[0];
  if (n.op_type == "Relu") {
    f->kind = PostOp::Kind::kClip;
    f->lo = 0;
    f->hi = inf;
    return n.inputs.size() == 1;
  }
  if (n.op_type == "Clip") {
    if (n.inputs.empty() || n.inputs[0] != in) return false;
    f->kind = PostOp::Kind::kClip;
    if (n.opset < 11) {  // bounds are attributes
      f->lo = n.attrs.GetFloat("min", std::numeric_limits<float>::lowest());
      f->hi = n.attrs.GetFloat("max", std::numeric_limits<float>::max());
      return n.inputs.size() == 1;
    }
    f->lo = -inf;
    f->hi = inf;
    return ScalarBound(g, n, 1, &f->lo) && ScalarBound(g, n, 2, &f->hi) && n.inputs.size() <= 3;
  }
  if (n.op_type == "Add" && n.inputs.size() == 2) {
    int other = n.inputs[0] == in ? n.inputs[1] : n.inputs[0];
    if (other == in || other < 0) return false;
    f->kind = PostOp::Kind::kAdd;
    f->addend = other;
    return true;
  }
  return false;
}

}  // namespace

std::vector<FusibleNode> FusibleChain(const Graph& g, int producer, const std::function<bool(int)>& hidden,
                                      const std::function<bool(int)>& runs) {
  std::vector<FusibleNode> chain;
  const Node& p = g.nodes[producer];
  if (p.outputs.empty()) return chain;
  int v = p.outputs[0];
  while (v >= 0 && hidden(v)) {
    const std::vector<int>& cons = g.values[v].consumers;
    if (cons.size() != 1 || !runs(cons[0])) break;
    FusibleNode f;
    f.node = cons[0];
    if (!AsPostOp(g, g.nodes[f.node], v, &f)) break;
    chain.push_back(f);
    v = f.output;
  }
  return chain;
}

}  // namespace litemp
