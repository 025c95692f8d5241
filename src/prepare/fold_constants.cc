// Constant folding: nodes whose value does not depend on the graph inputs are computed once
// by litemp's own kernels (so the result is exactly what the executor would compute at run
// time) and stored as initializers.
#include <algorithm>
#include <exception>
#include <map>
#include <set>

#include "litemp/executor.h"
#include "litemp/model.h"
#include "prepare/passes.h"
#include "prepare/proto_index.h"

namespace litemp::prepare {

namespace {

// A result may add at most this many bytes beyond its inputs: a small constant expanded
// into a big tensor (ConstantOfShape, Expand, Tile, Range) is cheaper to compute than to
// store, and would bloat the model file.
constexpr int64_t kMaxGrowthBytes = int64_t{1} << 20;

std::string Where(const Node& n) { return "node '" + n.name + "' (" + n.op_type + ")"; }

// Ops kept as nodes even on constant inputs: random ops give a new value on every run;
// (De)QuantizeLinear of a constant is how a QDQ model stores an int8 weight (the runtime
// fuses it; folding would store it as float, four times larger). Other domains hold the
// contrib forms of those. Nodes with subgraphs (If, Loop, Scan) are not run one by one.
bool NeverFolded(const Node& n) {
  static const std::set<std::string> kOps = {"RandomNormal",      "RandomUniform",    "RandomNormalLike",
                                             "RandomUniformLike", "Multinomial",      "Bernoulli",
                                             "QuantizeLinear",    "DequantizeLinear", "DynamicQuantizeLinear"};
  if (!n.domain.empty() || kOps.count(n.op_type)) return true;
  for (const auto& [name, a] : n.attrs.all())
    if (a.type == Attribute::Type::kGraph) return true;
  return false;
}

// Shape of a value whose dims in the slice start..end are static (the Shape kernel's slice:
// opset 15, clamped into [0, rank]); false when one of them is not known.
bool StaticShape(const Graph& graph, const Node& n, Tensor* out) {
  if (n.op_type != "Shape" || n.inputs.empty() || n.inputs[0] < 0 || n.outputs.size() != 1 || n.outputs[0] < 0)
    return false;
  const Value& v = graph.values[n.inputs[0]];
  if (!v.shape_known) return false;
  const int64_t r = static_cast<int64_t>(v.shape.size());
  auto clamp = [r](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + r : i, 0, r); };
  const bool sliced = n.opset >= 15;
  const int64_t s = sliced ? clamp(n.attrs.GetInt("start", 0)) : 0;
  const int64_t e = sliced && n.attrs.Has("end") ? clamp(n.attrs.GetInt("end", r)) : r;
  std::vector<int64_t> dims;
  for (int64_t i = s; i < e; ++i) {
    if (v.shape[i] < 0) return false;
    dims.push_back(v.shape[i]);
  }
  *out = Tensor::FromVector<int64_t>(dims, {static_cast<int64_t>(dims.size())});
  return true;
}

int64_t StaticBytes(const Value& v) {
  if (!v.shape_known || DTypeSize(v.dtype) == 0) return -1;
  for (int64_t d : v.shape)
    if (d < 0) return -1;
  return NumElements(v.shape) * static_cast<int64_t>(DTypeSize(v.dtype));
}

// Runs `n` alone on its constant inputs (`known`, by value id of `graph`).
Result<std::vector<Tensor>> RunNode(const Graph& graph, const Node& n, const std::vector<Tensor>& known) {
  Graph sub;
  sub.name = graph.name;
  sub.opsets = graph.opsets;
  Node copy = n;
  // Values keep their inferred types: some kernels read them (KernelInit::output_info).
  auto add_value = [&](int id) {
    int local = sub.FindValue(graph.values[id].name);
    if (local >= 0) return local;
    local = sub.AddValue(graph.values[id].name);
    Value& v = sub.values[local];
    v.dtype = graph.values[id].dtype;
    v.shape = graph.values[id].shape;
    v.shape_known = graph.values[id].shape_known;
    return local;
  };
  for (int& in : copy.inputs) {
    if (in < 0) continue;
    const int id = in;
    in = add_value(id);
    sub.values[in].is_initializer = true;
    sub.initializers[in] = known[id];
  }
  for (int& out : copy.outputs) {
    if (out < 0) continue;
    out = add_value(out);
    sub.values[out].is_graph_output = true;
    sub.outputs.push_back(out);
  }
  sub.nodes.push_back(std::move(copy));
  LITEMP_RETURN_IF_ERROR(sub.Finalize());
  LITEMP_ASSIGN_OR_RETURN(auto exec, Executor::Create(sub));
  std::unordered_map<int, Tensor> results;
  try {
    LITEMP_RETURN_IF_ERROR(exec->Run({}, RunOptions{}, &results));
  } catch (const std::exception& e) {  // bad_alloc on an absurd size, say
    return Status::Internal(e.what());
  }
  std::vector<Tensor> outs;
  for (int id : sub.nodes[0].outputs) outs.push_back(id < 0 ? Tensor() : results[id]);
  return outs;
}

// Whether `n` may be replaced by its value at all: an op that may fold, with an output that
// is not a graph output (some runtimes reject a graph output that is an initializer).
bool MayFold(const Graph& graph, const Node& n) {
  if (NeverFolded(n)) return false;
  bool any_output = false;
  for (int o : n.outputs) {
    if (o < 0) continue;
    if (graph.values[o].is_graph_output) return false;
    any_output = true;
  }
  return any_output;
}

// Whether every input of `n` is known (and there is one); sums their sizes into *bytes.
bool InputsKnown(const Node& n, const std::vector<Tensor>& known, int64_t* bytes) {
  bool any = false;
  *bytes = 0;
  for (int in : n.inputs) {
    if (in < 0) continue;
    if (!known[in].defined()) return false;
    any = true;
    *bytes += static_cast<int64_t>(known[in].nbytes());
  }
  return any;
}

std::string Growth(const Node& n, int64_t bytes) {
  return "left " + Where(n) + " unfolded: its " + std::to_string(bytes >> 10) +
         " KiB result is cheaper to compute than to store";
}

// Computes the outputs of `n` into `known` when it can be folded; returns whether it was.
bool FoldNode(const Graph& graph, const Node& n, std::vector<Tensor>* known, PrepareReport* report) {
  if (!MayFold(graph, n)) return false;
  Tensor shape;
  if (StaticShape(graph, n, &shape)) {
    (*known)[n.outputs[0]] = shape;
    return true;
  }
  int64_t in_bytes = 0;
  if (!InputsKnown(n, *known, &in_bytes)) return false;
  int64_t predicted = 0;
  for (int o : n.outputs) {
    const int64_t b = o < 0 ? 0 : StaticBytes(graph.values[o]);
    predicted = b < 0 || predicted < 0 ? -1 : predicted + b;
  }
  if (predicted > in_bytes + kMaxGrowthBytes) {
    report->notes.push_back(Growth(n, predicted));
    return false;
  }
  auto outs = RunNode(graph, n, *known);
  if (!outs.ok()) {
    // An op litemp lacks is simply left to run later; anything else is worth a note.
    if (!outs.status().IsNotSupported())
      report->notes.push_back("left " + Where(n) + " unfolded: " + outs.status().ToString());
    return false;
  }
  int64_t bytes = 0;
  for (const Tensor& t : outs.value()) bytes += t.defined() ? static_cast<int64_t>(t.nbytes()) : 0;
  if (bytes > in_bytes + kMaxGrowthBytes) {
    report->notes.push_back(Growth(n, bytes));
    return false;
  }
  for (size_t k = 0; k < n.outputs.size(); ++k)
    if (n.outputs[k] >= 0) (*known)[n.outputs[k]] = outs.value()[k];
  return true;
}

}  // namespace

void FoldConstants(const Graph& graph, onnx::GraphProto* g, PrepareReport* report) {
  std::vector<Tensor> known(graph.values.size());
  for (const auto& [id, t] : graph.initializers) known[id] = t;
  std::vector<char> folded(graph.nodes.size(), 0);
  for (size_t i = 0; i < graph.nodes.size(); ++i) folded[i] = FoldNode(graph, graph.nodes[i], &known, report);

  const ProtoIndex index(*g);
  std::vector<char> remove(g->node_size(), 0);
  std::map<std::string, int> ops;
  // The loader already turned Constant nodes into initializers of `graph`.
  for (int i = 0; i < g->node_size(); ++i) {
    const onnx::NodeProto& np = g->node(i);
    if (!IsOp(np, "Constant") || np.output_size() != 1 || index.IsGraphOutput(np.output(0))) continue;
    const int id = graph.FindValue(np.output(0));
    if (id < 0 || !known[id].defined()) continue;
    AddInitializer(g, np.output(0), known[id]);
    remove[i] = 1;
    ++ops["Constant"];
  }
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (!folded[i]) continue;
    const Node& n = graph.nodes[i];
    int proto_node = -1;
    for (int o : n.outputs) {
      if (o < 0) continue;
      proto_node = index.Producer(graph.values[o].name);
      // Only values something unfolded still reads become initializers.
      bool needed = index.InSubgraph(graph.values[o].name);
      for (int c : graph.values[o].consumers) needed = needed || !folded[c];
      if (needed) AddInitializer(g, graph.values[o].name, known[o]);
    }
    if (proto_node >= 0) remove[proto_node] = 1;
    ++ops[n.op_type];
  }
  RemoveNodes(g, remove);
  int total = 0;
  std::string detail;
  for (const auto& [op, count] : ops) {
    total += count;
    if (!detail.empty()) detail += ", ";
    detail += op + " " + std::to_string(count);
  }
  if (total == 0) return;
  report->folded_constants += total;
  report->actions.push_back("folded " + std::to_string(total) + " constant node" + (total > 1 ? "s" : "") +
                            " into initializers (" + detail + ")");
}

void NameNodes(const Graph& graph, onnx::GraphProto* g) {
  for (auto& np : *g->mutable_node()) {
    if (!np.name().empty()) continue;
    for (const auto& out : np.output()) {
      const int id = out.empty() ? -1 : graph.FindValue(out);
      if (id < 0 || graph.values[id].producer < 0) continue;
      np.set_name(graph.nodes[graph.values[id].producer].name);
      break;
    }
  }
}

}  // namespace litemp::prepare
