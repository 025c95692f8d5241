// Dropping Identity and inference Dropout: their readers read the input instead.
#include <unordered_map>

#include "litemp/model.h"
#include "prepare/passes.h"
#include "prepare/proto_index.h"

namespace litemp::prepare {

namespace {

// Whether Dropout's training_mode input is absent or a constant false.
bool InferenceMode(const onnx::GraphProto& g, const ProtoIndex& index, const onnx::NodeProto& n) {
  if (n.input_size() < 3 || n.input(2).empty()) return true;
  const int i = index.Initializer(n.input(2));
  if (i < 0) return false;
  auto t = TensorFromProto(g.initializer(i));
  return t.ok() && t->dtype() == DType::kBool && t->numel() == 1 && !t->data<bool>()[0];
}

// Whether `n` passes its input through unchanged: Identity, or Dropout in inference mode
// whose mask nothing reads.
bool PassesThrough(const onnx::GraphProto& g, const ProtoIndex& index, const onnx::NodeProto& n) {
  if (n.input_size() < 1 || n.input(0).empty() || n.output_size() < 1 || n.output(0).empty()) return false;
  if (IsOp(n, "Identity")) return n.output_size() == 1;
  if (!IsOp(n, "Dropout")) return false;
  if (n.output_size() > 1 && !n.output(1).empty() && index.IsRead(n.output(1))) return false;
  return InferenceMode(g, index, n);
}

}  // namespace

void DropIdentities(onnx::GraphProto* g, PrepareReport* report) {
  const ProtoIndex index(*g);
  std::unordered_map<std::string, std::string> alias;  // a removed node's output -> its input
  std::vector<char> remove(g->node_size(), 0);
  std::vector<int> writes_output;  // pass-through nodes writing a graph output
  for (int i = 0; i < g->node_size(); ++i) {
    const onnx::NodeProto& n = g->node(i);
    // A subgraph reading the output by name would need renaming inside it: left alone.
    if (!PassesThrough(*g, index, n) || index.InSubgraph(n.output(0))) continue;
    if (index.IsGraphOutput(n.output(0))) {
      writes_output.push_back(i);
      continue;
    }
    alias[n.output(0)] = n.input(0);
    remove[i] = 1;
  }
  // Chains resolve to their first input (the loader rejected cycles).
  auto resolve = [&](std::string name) {
    for (auto it = alias.find(name); it != alias.end(); it = alias.find(name)) name = it->second;
    return name;
  };
  // Graph output names must survive: the producer of the input takes the output's name.
  for (int i : writes_output) {
    const onnx::NodeProto& n = g->node(i);
    const std::string src = resolve(n.input(0)), out = n.output(0);
    const int p = index.Producer(src);
    if (p < 0 || index.IsGraphOutput(src) || index.InSubgraph(src) || index.IsGraphInput(src)) continue;
    for (auto& o : *g->mutable_node(p)->mutable_output())
      if (o == src) o = out;
    alias[src] = out;
    remove[i] = 1;
  }
  for (int i = 0; i < g->node_size(); ++i) {
    if (remove[i]) {
      ++report->dropped;
      report->actions.push_back("dropped " + g->node(i).op_type() + " '" + g->node(i).name() + "'");
      continue;
    }
    for (auto& in : *g->mutable_node(i)->mutable_input())
      if (!in.empty()) in = resolve(in);
  }
  RemoveNodes(g, remove);
}

}  // namespace litemp::prepare
