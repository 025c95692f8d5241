// Model loading: protobuf -> external data -> shape inference -> litemp::Graph.
#include "litemp/model.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>

#include "onnx/ms_schemas.h"

#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include "litemp/fileio.h"
#include "onnx/external_data.h"
#include "onnx/isolated_inference.h"

namespace litemp {

Model::Model() : proto_(std::make_unique<onnx::ModelProto>()) {}
Model::~Model() = default;

namespace {

// Resolves initializer `t` when its data is external: small data is read into the proto
// (ONNX shape inference reads only inline data), large data becomes *mapped, a tensor
// viewing the file's mapping (or a copy; see ExternalTensor), and the proto keeps its
// reference. Errors name the initializer.
Status ResolveExternalData(onnx::TensorProto* t, const std::string& dir, Tensor* mapped) {
  if (t->data_location() != onnx::TensorProto::EXTERNAL) return Status::OK();
  LITEMP_ASSIGN_OR_RETURN(ExternalDataRef ref, LocateExternalData(*t, dir));
  if (ref.length < kMapExternalDataBytes) return InlineExternalData(t, dir);
  auto tensor = ExternalTensor(*t, ref);
  if (!tensor.ok()) return tensor.status().WithContext("initializer '" + t->name() + "'");
  *mapped = std::move(tensor).value();
  return Status::OK();
}

void ReadTypeInfo(const onnx::ValueInfoProto& vi, Value* v) {
  if (!vi.type().has_tensor_type()) return;
  const auto& tt = vi.type().tensor_type();
  if (tt.elem_type() != 0 && v->dtype == DType::kUndefined) v->dtype = static_cast<DType>(tt.elem_type());
  if (!tt.has_shape() || v->shape_known) return;
  v->shape.clear();
  for (const auto& d : tt.shape().dim()) v->shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
  v->shape_known = true;
}

Status ConvertAttribute(const onnx::AttributeProto& a, Attribute* out) {
  using T = Attribute::Type;
  switch (a.type()) {
    case onnx::AttributeProto::FLOAT: out->type = T::kFloat; out->f = a.f(); break;
    case onnx::AttributeProto::INT: out->type = T::kInt; out->i = a.i(); break;
    case onnx::AttributeProto::STRING: out->type = T::kString; out->s = a.s(); break;
    case onnx::AttributeProto::FLOATS:
      out->type = T::kFloats;
      out->floats.assign(a.floats().begin(), a.floats().end());
      break;
    case onnx::AttributeProto::INTS:
      out->type = T::kInts;
      out->ints.assign(a.ints().begin(), a.ints().end());
      break;
    case onnx::AttributeProto::STRINGS:
      out->type = T::kStrings;
      out->strings.assign(a.strings().begin(), a.strings().end());
      break;
    case onnx::AttributeProto::TENSOR: {
      out->type = T::kTensor;
      auto t = TensorFromProto(a.t());
      if (!t.ok()) return t.status();
      out->t = std::move(t).value();
      break;
    }
    case onnx::AttributeProto::GRAPH: case onnx::AttributeProto::GRAPHS: out->type = T::kGraph; break;
    default: out->type = T::kOther; break;
  }
  return Status::OK();
}

// Value of a Constant node (any of its value* attributes) as a tensor.
Result<Tensor> ConstantValue(const Node& n) {
  const Attributes& a = n.attrs;
  if (const Tensor* t = a.GetTensor("value")) return *t;
  if (const Attribute* f = a.Find("value_float")) return Tensor::Scalar<float>(f->f);
  if (const Attribute* i = a.Find("value_int")) return Tensor::Scalar<int64_t>(i->i);
  if (const Attribute* fs = a.Find("value_floats")) return Tensor::FromVector<float>(fs->floats);
  if (const Attribute* is = a.Find("value_ints")) return Tensor::FromVector<int64_t>(is->ints);
  return Status::NotSupported("Constant node '" + n.name + "' has no supported value attribute");
}

// `external[i]`, when defined, is initializer i's data (ResolveExternalData's *mapped).
Status BuildGraph(const onnx::ModelProto& m, const std::vector<Tensor>& external, Graph* g) {
  const onnx::GraphProto& gp = m.graph();
  g->name = gp.name();
  for (const auto& op : m.opset_import()) g->opsets[op.domain() == "ai.onnx" ? "" : op.domain()] = op.version();
  if (!g->opsets.count("")) g->opsets[""] = 1;
  auto id_for = [&](const std::string& name) {
    int id = g->FindValue(name);
    return id >= 0 ? id : g->AddValue(name);
  };
  for (int i = 0; i < gp.initializer_size(); ++i) {
    const onnx::TensorProto& init = gp.initializer(i);
    auto t = external[i].defined() ? Result<Tensor>(external[i]) : TensorFromProto(init);
    if (!t.ok()) return t.status().WithContext("initializer '" + init.name() + "'");
    int id = id_for(init.name());
    g->values[id].is_initializer = true;
    g->values[id].dtype = t->dtype();
    g->values[id].shape = t->shape();
    g->values[id].shape_known = true;
    g->initializers[id] = std::move(t).value();
  }
  for (const auto& in : gp.input()) {
    int id = id_for(in.name());
    ReadTypeInfo(in, &g->values[id]);
    if (!g->values[id].is_initializer) {
      g->values[id].is_graph_input = true;
      g->inputs.push_back(id);
    }
  }
  std::set<std::string> used_names;
  for (const auto& np : gp.node()) used_names.insert(np.name());
  std::map<std::string, int> op_counter;
  for (int i = 0; i < gp.node_size(); ++i) {
    const auto& np = gp.node(i);
    Node n;
    n.op_type = np.op_type();
    n.domain = np.domain() == "ai.onnx" ? "" : np.domain();
    n.name = np.name();
    if (n.name.empty()) {
      // AIMET-style names: "/Conv", "/Conv_1", ... unique across the graph.
      int k = op_counter[n.op_type]++;
      std::string cand = "/" + n.op_type + (k ? "_" + std::to_string(k) : "");
      while (used_names.count(cand)) cand = "/" + n.op_type + "_" + std::to_string(++k), op_counter[n.op_type] = k + 1;
      n.name = cand;
      used_names.insert(cand);
    }
    auto it = g->opsets.find(n.domain);
    n.opset = it == g->opsets.end() ? 0 : static_cast<int>(it->second);
    for (const auto& a : np.attribute()) {
      Attribute attr;
      LITEMP_RETURN_IF_ERROR(ConvertAttribute(a, &attr).WithContext("node '" + n.name + "' attribute '" + a.name() + "'"));
      n.attrs.Set(a.name(), std::move(attr));
    }
    for (const auto& in : np.input()) n.inputs.push_back(in.empty() ? -1 : id_for(in));
    for (const auto& out : np.output()) n.outputs.push_back(out.empty() ? -1 : id_for(out));
    if (n.op_type == "Constant" && n.domain.empty()) {
      auto t = ConstantValue(n);
      if (!t.ok()) return t.status();
      if (n.outputs.size() != 1 || n.outputs[0] < 0)
        return Status::InvalidArgument("Constant node '" + n.name + "' must have one output");
      Value& v = g->values[n.outputs[0]];
      if (v.is_initializer) return Status::InvalidArgument("value '" + v.name + "' is defined twice");
      v.is_initializer = v.from_constant_node = true;
      v.dtype = t->dtype();
      v.shape = t->shape();
      v.shape_known = true;
      g->initializers[n.outputs[0]] = std::move(t).value();
      continue;
    }
    g->nodes.push_back(std::move(n));
  }
  for (const auto& vi : gp.value_info()) {
    int id = g->FindValue(vi.name());
    if (id >= 0) ReadTypeInfo(vi, &g->values[id]);
  }
  for (const auto& out : gp.output()) {
    int id = g->FindValue(out.name());
    if (id < 0) return Status::InvalidArgument("graph output '" + out.name() + "' is not produced by any node");
    ReadTypeInfo(out, &g->values[id]);
    g->values[id].is_graph_output = true;
    g->outputs.push_back(id);
  }
  return g->Finalize();
}

// ONNX's shape-inference functions trust the schema: Scan-9's dereferences its required
// num_scan_inputs unchecked, so a model without it crashed the loader (found by fuzz_model).
// Every node, in subgraphs too, is checked against its schema first, as ONNX Runtime does.
// Debian's libonnx knows opsets up to 17; for newer ones its schemas are stale (Pad-18 gained
// an input), so only the required attributes are checked there. Ops ONNX does not know
// (other domains) are left to BuildGraph.
Status CheckNode(const onnx::NodeProto& np, const std::map<std::string, int64_t>& opsets) {
  const std::string domain = np.domain() == "ai.onnx" ? "" : np.domain();
  auto it = opsets.find(domain);
  if (it == opsets.end()) return Status::OK();
  const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(np.op_type(), static_cast<int>(it->second), domain);
  if (!schema) return Status::OK();
  const auto& known = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto range = known.find(domain);
  const bool current = range != known.end() && it->second <= range->second.second;
  const std::string where = "node '" + np.name() + "' (" + np.op_type() + "): ";
  if (current) {
    try {
      schema->Verify(np);
    } catch (const std::exception& e) {
      return Status::InvalidArgument(where + e.what());
    }
    return Status::OK();
  }
  for (const auto& [name, attr] : schema->attributes()) {
    if (!attr.required) continue;
    bool found = false;
    for (const auto& a : np.attribute()) found = found || a.name() == name;
    if (!found) return Status::InvalidArgument(where + "required attribute '" + name + "' is missing");
  }
  return Status::OK();
}

Status VerifyNodes(const onnx::GraphProto& g, const std::map<std::string, int64_t>& opsets) {
  for (const auto& np : g.node()) {
    LITEMP_RETURN_IF_ERROR(CheckNode(np, opsets));
    for (const auto& a : np.attribute()) {
      if (a.has_g()) LITEMP_RETURN_IF_ERROR(VerifyNodes(a.g(), opsets));
      for (const auto& sg : a.graphs()) LITEMP_RETURN_IF_ERROR(VerifyNodes(sg, opsets));
    }
  }
  return Status::OK();
}

// Whether every node input is defined before its node (graph inputs, initializers, earlier
// outputs, enclosing graphs for subgraphs). ONNX's inference functions dereference the types
// of their inputs unchecked (Shape-15 on an undefined input crashed; found by fuzz_model), so
// graphs that fail this skip shape inference; BuildGraph then sorts them or names the
// dangling input.
bool DefinedInOrder(const onnx::GraphProto& g, std::set<std::string> known) {
  for (const auto& v : g.input()) known.insert(v.name());
  for (const auto& t : g.initializer()) known.insert(t.name());
  for (const auto& np : g.node()) {
    for (const auto& in : np.input())
      if (!in.empty() && !known.count(in)) return false;
    for (const auto& a : np.attribute()) {
      if (a.has_g() && !DefinedInOrder(a.g(), known)) return false;
      for (const auto& sg : a.graphs())
        if (!DefinedInOrder(sg, known)) return false;
    }
    for (const auto& out : np.output()) known.insert(out);
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<Model>> Model::Load(const std::string& path) {
  if (std::filesystem::is_directory(path)) return Status::IOError("'" + path + "' is a directory, not an ONNX model");
  LITEMP_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  auto dir = std::filesystem::path(path).parent_path().string();
  auto r = FromBytes(bytes, dir.empty() ? "." : dir);
  if (!r.ok()) return r.status().WithContext("'" + path + "'");
  r.value()->path_ = path;
  return r;
}

Result<std::unique_ptr<Model>> Model::FromBytes(const std::string& bytes, const std::string& dir) {
  std::unique_ptr<Model> m(new Model());
  if (bytes.empty()) return Status::Corruption("empty file, not an ONNX model");
  if (!m->proto_->ParseFromString(bytes))
    return Status::Corruption("not an ONNX model (protobuf parse failed; truncated or another format?)");
  if (!m->proto_->has_graph() || m->proto_->graph().node_size() == 0)
    return Status::Corruption("not an ONNX model (no graph nodes)");
  if (m->proto_->ir_version() <= 0) return Status::Corruption("not an ONNX model (no ir_version)");
  m->external_data_dir_ = dir;
  auto* gp = m->proto_->mutable_graph();
  std::vector<Tensor> external(gp->initializer_size());
  for (int i = 0; i < gp->initializer_size(); ++i)
    LITEMP_RETURN_IF_ERROR(ResolveExternalData(gp->mutable_initializer(i), dir, &external[i]));
  RegisterMicrosoftQdqSchemas();  // before verification and the fork (the child inherits them)
  std::map<std::string, int64_t> opsets;
  for (const auto& op : m->proto_->opset_import()) opsets[op.domain() == "ai.onnx" ? "" : op.domain()] = op.version();
  LITEMP_RETURN_IF_ERROR(VerifyNodes(*gp, opsets));
  // Shape inference annotates value_info; its failures are not fatal (our kernels compute
  // shapes at run time). It runs in a child process: libonnx crashes on some bad models
  // (fuzzing found QLinearConv and ConvTranspose inference reading out of bounds).
  if (DefinedInOrder(*gp, {})) (void)InferShapesIsolated(m->proto_.get());
  LITEMP_RETURN_IF_ERROR(BuildGraph(*m->proto_, external, &m->graph_));
  return m;
}

Status SaveModel(const onnx::ModelProto& model, const std::string& path, const std::string& external_dir) {
  const onnx::ModelProto* out = &model;
  onnx::ModelProto inlined;  // a copy only when some data must be brought in
  for (int i = 0; i < model.graph().initializer_size(); ++i) {
    if (model.graph().initializer(i).data_location() != onnx::TensorProto::EXTERNAL) continue;
    if (out == &model) {
      inlined = model;
      out = &inlined;
    }
    LITEMP_RETURN_IF_ERROR(
        InlineExternalData(inlined.mutable_graph()->mutable_initializer(i), external_dir).WithContext("'" + path + "'"));
  }
  std::string bytes;
  if (!out->SerializeToString(&bytes))
    return Status::Internal("cannot serialize model for '" + path + "' (over protobuf's 2 GiB limit?)");
  return WriteFileAtomic(path, bytes);
}

}  // namespace litemp
