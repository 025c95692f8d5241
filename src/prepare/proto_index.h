// ProtoIndex: who produces and who reads each name of an ONNX GraphProto, and small edits
// the preparation passes share (removing nodes, writing initializers, pruning).
//
// The passes edit the protobuf itself rather than litemp's Graph, so everything litemp
// does not model (doc strings, metadata, subgraphs, attributes of unknown ops) survives.
// An index is a snapshot: rebuild it after changing the graph. Thread-compatible.
#ifndef LITEMP_PREPARE_PROTO_INDEX_H_
#define LITEMP_PREPARE_PROTO_INDEX_H_

#include <onnx/onnx_pb.h>

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp::prepare {

class ProtoIndex {
 public:
  // `external_dir` is the folder the locations of g's external-data initializers are
  // relative to (the Model's external_data_dir()); FloatInitializer reads them from there.
  explicit ProtoIndex(const onnx::GraphProto& g, std::string external_dir = {});

  // Index of the node writing `name`, or -1.
  int Producer(const std::string& name) const;
  // Nodes reading `name`, one entry per input slot (a node reading it twice is listed twice).
  const std::vector<int>& Readers(const std::string& name) const;
  // Index into g.initializer() for `name`, or -1.
  int Initializer(const std::string& name) const;
  bool IsGraphInput(const std::string& name) const { return inputs_.count(name) != 0; }
  bool IsGraphOutput(const std::string& name) const { return outputs_.count(name) != 0; }
  // Whether a node inside some subgraph attribute (If/Loop/Scan bodies) reads `name`.
  // Over-approximate: a subgraph's own local names count too.
  bool InSubgraph(const std::string& name) const { return subgraph_reads_.count(name) != 0; }
  // Whether node `node` through exactly one input slot is all that reads `name`: no other
  // node, subgraph or graph output.
  bool ReadOnlyBy(const std::string& name, int node) const;
  // Whether something (a node, subgraph or graph output) reads `name`.
  bool IsRead(const std::string& name) const;
  // `base` if no name in the graph uses it, else base_1, base_2, ...; the returned name is
  // taken, so later calls never return it again.
  std::string FreshName(const std::string& base);
  const std::string& external_dir() const { return external_dir_; }

 private:
  std::string external_dir_;
  std::unordered_map<std::string, int> producer_;
  std::unordered_map<std::string, std::vector<int>> readers_;
  std::unordered_map<std::string, int> initializer_;
  std::unordered_set<std::string> inputs_, outputs_, subgraph_reads_, taken_;
};

// Version of the default ONNX domain the model imports (1 when it imports none).
int64_t DefaultOpset(const onnx::ModelProto& m);
// Whether `n` is `op` of the default ONNX domain.
bool IsOp(const onnx::NodeProto& n, const char* op);

// Removes the nodes whose `remove` entry is set, keeping the order of the rest.
void RemoveNodes(onnx::GraphProto* g, const std::vector<char>& remove);
// Replaces initializer `index` by `t` (dims, type, raw data), keeping its name.
void SetInitializer(onnx::GraphProto* g, int index, const Tensor& t);
// Appends initializer `name` = `t`.
void AddInitializer(onnx::GraphProto* g, const std::string& name, const Tensor& t);
// Reads initializer `name` as a float32 tensor, external data from index.external_dir()
// (a view of the file's mapping for large data, no copy); NotSupported when it is absent or
// of another type, and Model::Load's errors for bad external data.
Result<Tensor> FloatInitializer(const onnx::GraphProto& g, const ProtoIndex& index, const std::string& name);
// Removes initializers (and their graph-input entries) that nothing reads; returns how many.
int RemoveUnusedInitializers(onnx::GraphProto* g);
// Drops value_info entries for names no node writes any more (and for graph outputs,
// which carry their own type).
void PruneValueInfo(onnx::GraphProto* g);
// Sets attribute `name` of `n` to the float `v`, replacing an existing one.
void SetFloatAttr(onnx::NodeProto* n, const std::string& name, float v);
// Integer / float attribute `name` of `n`, or `def`.
int64_t IntAttr(const onnx::NodeProto& n, const std::string& name, int64_t def);
float FloatAttr(const onnx::NodeProto& n, const std::string& name, float def);

}  // namespace litemp::prepare

#endif  // LITEMP_PREPARE_PROTO_INDEX_H_
