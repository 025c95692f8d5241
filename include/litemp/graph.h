// Graph: litemp's in-memory view of an ONNX model's main graph.
//
// Nodes are stored in topological order. Every tensor name is a Value with an integer id;
// nodes refer to values by id (-1 for an omitted optional input). Constant nodes are
// folded into initializers at load time, so every node is a "layer" in AIMET's sense.
// Shapes and dtypes come from ONNX shape inference and may be partly unknown (-1 dims).
// Immutable after loading except through the documented setters. Thread-compatible.
#ifndef LITEMP_GRAPH_H_
#define LITEMP_GRAPH_H_

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

struct Attribute {
  enum class Type { kFloat, kInt, kString, kTensor, kFloats, kInts, kStrings, kGraph, kOther };
  Type type = Type::kOther;
  float f = 0;
  int64_t i = 0;
  std::string s;
  Tensor t;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;
};

// Typed access to a node's attributes by ONNX name.
class Attributes {
 public:
  bool Has(const std::string& name) const { return map_.count(name) != 0; }
  int64_t GetInt(const std::string& name, int64_t def) const;
  float GetFloat(const std::string& name, float def) const;
  std::string GetString(const std::string& name, const std::string& def) const;
  std::vector<int64_t> GetInts(const std::string& name, std::vector<int64_t> def = {}) const;
  std::vector<float> GetFloats(const std::string& name, std::vector<float> def = {}) const;
  // Returns nullptr when absent or not a tensor.
  const Tensor* GetTensor(const std::string& name) const;
  const Attribute* Find(const std::string& name) const;
  void Set(const std::string& name, Attribute a) { map_[name] = std::move(a); }
  const std::map<std::string, Attribute>& all() const { return map_; }

 private:
  std::map<std::string, Attribute> map_;
};

struct Node {
  std::string name;     // never empty: nameless nodes get "/<OpType>_<index>"
  std::string op_type;  // exact ONNX spelling
  std::string domain;   // "" for the default ONNX domain
  int opset = 0;        // opset version of `domain` the model imports
  std::vector<int> inputs;   // value ids; -1 = omitted optional input
  std::vector<int> outputs;  // value ids; -1 = omitted optional output
  Attributes attrs;
};

struct Value {
  std::string name;
  DType dtype = DType::kUndefined;
  Shape shape;             // -1 for unknown dims
  bool shape_known = false;  // false when even the rank is unknown
  int producer = -1;       // node index, -1 for inputs/initializers
  std::vector<int> consumers;  // node indices, ascending, may repeat
  bool is_graph_input = false;
  bool is_graph_output = false;
  bool is_initializer = false;   // includes folded Constant nodes
  bool from_constant_node = false;
};

class Graph {
 public:
  std::vector<Node> nodes;      // topological order
  std::vector<Value> values;
  std::vector<int> inputs;      // graph inputs that are not initializers, in model order
  std::vector<int> outputs;     // graph outputs in model order
  std::unordered_map<int, Tensor> initializers;  // value id -> data
  std::map<std::string, int64_t> opsets;         // domain -> version
  std::string name;

  // Value id for `name`, or -1.
  int FindValue(const std::string& name) const;
  // Node index for `name`, or -1.
  int FindNode(const std::string& name) const;
  // Adds a value and returns its id. REQUIRES: name is not already present.
  int AddValue(const std::string& name);
  // Initializer data for value `id`, or nullptr.
  const Tensor* Constant(int id) const;
  // Recomputes producer/consumer links and sorts nodes topologically; fails on cycles or
  // on inputs that nothing produces.
  Status Finalize();
  // Indices of the nodes that (transitively) consume any of `nodes`' outputs, including
  // `nodes` themselves, ascending (so still topological).
  std::vector<int> Downstream(const std::vector<int>& nodes) const;

 private:
  std::unordered_map<std::string, int> value_index_;
};

// OK when a batch may be run in slices and the outputs concatenated with the same bits:
// every graph output row i depends on input row i only (dim 0 of every input and output is
// the sample axis and no node mixes samples), and every node's kernel computes a sample the
// same way whatever the batch size (not so for Gemm and MatMul, whose blocking follows the
// row count). Checked on an allow-list of ops with their axis attributes; NotSupported
// naming the first node that mixes samples or is not on the list (unknown means "may mix").
Status CheckSamplesIndependent(const Graph& graph);

// Whether initializer `id` is the weight (input 1) of a Conv, ConvTranspose, Gemm or MatMul:
// every executor keeps its own copy of it, reordered to its kernel's layout.
bool IsLayerWeight(const Graph& graph, int id);
// Bytes of `graph`'s float32 layer weights: what each executor made of it adds.
size_t LayerWeightBytes(const Graph& graph);

// Whether node `node` is a Clip or Relu of one value (its bounds constant): its output
// costs one element-wise pass over that value to compute again, so the sensitivity sweep
// may do that rather than cache it (src/analysis/fast_sweep.cc, LayerRuns).
bool CheapToRecompute(const Graph& graph, int node);

}  // namespace litemp

#endif  // LITEMP_GRAPH_H_
