#include "prepare/proto_index.h"

#include <utility>

#include "litemp/model.h"

namespace litemp::prepare {

namespace {

void CollectSubgraphReads(const onnx::GraphProto& g, std::unordered_set<std::string>* reads) {
  for (const auto& n : g.node()) {
    for (const auto& in : n.input()) reads->insert(in);
    for (const auto& a : n.attribute()) {
      if (a.has_g()) CollectSubgraphReads(a.g(), reads);
      for (const auto& sg : a.graphs()) CollectSubgraphReads(sg, reads);
    }
  }
  for (const auto& o : g.output()) reads->insert(o.name());
}

const std::vector<int> kNoReaders;

}  // namespace

ProtoIndex::ProtoIndex(const onnx::GraphProto& g, std::string external_dir) : external_dir_(std::move(external_dir)) {
  for (int i = 0; i < g.initializer_size(); ++i) {
    initializer_[g.initializer(i).name()] = i;
    taken_.insert(g.initializer(i).name());
  }
  for (const auto& v : g.input()) {
    inputs_.insert(v.name());
    taken_.insert(v.name());
  }
  for (const auto& v : g.output()) {
    outputs_.insert(v.name());
    taken_.insert(v.name());
  }
  for (const auto& v : g.value_info()) taken_.insert(v.name());
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& n = g.node(i);
    for (const auto& o : n.output()) {
      if (o.empty()) continue;
      producer_.emplace(o, i);
      taken_.insert(o);
    }
    for (const auto& in : n.input())
      if (!in.empty()) readers_[in].push_back(i);
    for (const auto& a : n.attribute()) {
      if (a.has_g()) CollectSubgraphReads(a.g(), &subgraph_reads_);
      for (const auto& sg : a.graphs()) CollectSubgraphReads(sg, &subgraph_reads_);
    }
  }
  taken_.insert(subgraph_reads_.begin(), subgraph_reads_.end());
}

int ProtoIndex::Producer(const std::string& name) const {
  auto it = producer_.find(name);
  return it == producer_.end() ? -1 : it->second;
}

const std::vector<int>& ProtoIndex::Readers(const std::string& name) const {
  auto it = readers_.find(name);
  return it == readers_.end() ? kNoReaders : it->second;
}

int ProtoIndex::Initializer(const std::string& name) const {
  auto it = initializer_.find(name);
  return it == initializer_.end() ? -1 : it->second;
}

bool ProtoIndex::ReadOnlyBy(const std::string& name, int node) const {
  const auto& r = Readers(name);
  return r.size() == 1 && r[0] == node && !IsGraphOutput(name) && !InSubgraph(name);
}

bool ProtoIndex::IsRead(const std::string& name) const {
  return !Readers(name).empty() || IsGraphOutput(name) || InSubgraph(name);
}

std::string ProtoIndex::FreshName(const std::string& base) {
  std::string name = base;
  for (int k = 1; taken_.count(name); ++k) name = base + "_" + std::to_string(k);
  taken_.insert(name);
  return name;
}

int64_t DefaultOpset(const onnx::ModelProto& m) {
  for (const auto& op : m.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx") return op.version();
  return 1;
}

bool IsOp(const onnx::NodeProto& n, const char* op) {
  return n.op_type() == op && (n.domain().empty() || n.domain() == "ai.onnx");
}

void RemoveNodes(onnx::GraphProto* g, const std::vector<char>& remove) {
  google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
  for (int i = 0; i < g->node_size(); ++i)
    if (!remove[i]) kept.Add()->Swap(g->mutable_node(i));
  g->mutable_node()->Swap(&kept);
}

void SetInitializer(onnx::GraphProto* g, int index, const Tensor& t) {
  // A fresh proto: the old one may hold typed fields (float_data) that raw_data would contradict.
  onnx::TensorProto p;
  TensorToProto(t, &p);
  p.set_name(g->initializer(index).name());
  g->mutable_initializer(index)->Swap(&p);
}

void AddInitializer(onnx::GraphProto* g, const std::string& name, const Tensor& t) {
  auto* p = g->add_initializer();
  TensorToProto(t, p);
  p->set_name(name);
}

Result<Tensor> FloatInitializer(const onnx::GraphProto& g, const ProtoIndex& index, const std::string& name) {
  const int i = index.Initializer(name);
  if (i < 0) return Status::NotSupported("'" + name + "' is not an initializer");
  LITEMP_ASSIGN_OR_RETURN(Tensor t, TensorFromProto(g.initializer(i), index.external_dir()));
  if (t.dtype() != DType::kFloat32)
    return Status::NotSupported("initializer '" + name + "' is " + DTypeName(t.dtype()) + ", not float32");
  return t;
}

int RemoveUnusedInitializers(onnx::GraphProto* g) {
  const ProtoIndex index(*g);
  std::unordered_set<std::string> dropped;
  google::protobuf::RepeatedPtrField<onnx::TensorProto> kept;
  for (int i = 0; i < g->initializer_size(); ++i) {
    if (index.IsRead(g->initializer(i).name())) {
      kept.Add()->Swap(g->mutable_initializer(i));
    } else {
      dropped.insert(g->initializer(i).name());
    }
  }
  g->mutable_initializer()->Swap(&kept);
  // Models before IR 4 list initializers as graph inputs too; an unread one goes with them.
  google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> inputs;
  for (int i = 0; i < g->input_size(); ++i)
    if (!dropped.count(g->input(i).name())) inputs.Add()->Swap(g->mutable_input(i));
  g->mutable_input()->Swap(&inputs);
  return static_cast<int>(dropped.size());
}

void PruneValueInfo(onnx::GraphProto* g) {
  const ProtoIndex index(*g);
  google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> kept;
  for (int i = 0; i < g->value_info_size(); ++i) {
    const std::string& name = g->value_info(i).name();
    if (index.Producer(name) >= 0 && !index.IsGraphOutput(name)) kept.Add()->Swap(g->mutable_value_info(i));
  }
  g->mutable_value_info()->Swap(&kept);
}

void SetFloatAttr(onnx::NodeProto* n, const std::string& name, float v) {
  onnx::AttributeProto* a = nullptr;
  for (auto& x : *n->mutable_attribute())
    if (x.name() == name) a = &x;
  if (!a) a = n->add_attribute();
  a->Clear();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

int64_t IntAttr(const onnx::NodeProto& n, const std::string& name, int64_t def) {
  for (const auto& a : n.attribute())
    if (a.name() == name && a.type() == onnx::AttributeProto::INT) return a.i();
  return def;
}

float FloatAttr(const onnx::NodeProto& n, const std::string& name, float def) {
  for (const auto& a : n.attribute())
    if (a.name() == name && a.type() == onnx::AttributeProto::FLOAT) return a.f();
  return def;
}

}  // namespace litemp::prepare
