// QDQ ONNX export. Activations: the producer's output T is renamed T/pre_qdq and
// QuantizeLinear -> DequantizeLinear writes T again, so every consumer (and a graph output
// named T) reads the quantized value unchanged. Graph inputs cannot be renamed; their
// consumers are rewired instead. Constant tensors are stored already quantized (int8/
// uint8/int16/uint16 or float16) and followed by DequantizeLinear (or Cast).
#include <onnx/onnx_pb.h>

#include <cmath>
#include <set>
#include <unordered_map>

#include "kernels/util.h"
#include "litemp/export.h"
#include "litemp/fileio.h"

namespace litemp {

namespace {

struct QdqContext {
  onnx::GraphProto* g;
  std::set<std::string> names;  // every tensor name in use
  int64_t default_opset;
  bool uses_ms = false;

  std::string Unique(const std::string& base) {
    std::string n = base;
    for (int k = 1; names.count(n); ++k) n = base + "_" + std::to_string(k);
    names.insert(n);
    return n;
  }
};

bool IsSigned(const Encoding& e) { return e.symmetric && e.offset < 0; }

// ONNX element type of the stored integers.
int32_t StorageType(const Quantizer& q) {
  bool sign = IsSigned(q.encodings[0]);
  if (q.spec.bitwidth <= 8) return sign ? onnx::TensorProto::INT8 : onnx::TensorProto::UINT8;
  return sign ? onnx::TensorProto::INT16 : onnx::TensorProto::UINT16;
}

int64_t ZeroPoint(const Quantizer& q, const Encoding& e) {
  // The stored integer is r + zp with r in [offset, offset + steps].
  if (!IsSigned(e)) return -e.offset;
  return -e.offset - (int64_t{1} << (q.spec.bitwidth - 1));
}

void FillInts(onnx::TensorProto* t, int32_t type, const std::vector<int64_t>& v, const Shape& dims) {
  t->set_data_type(type);
  for (int64_t d : dims) t->add_dims(d);
  std::string raw;
  for (int64_t x : v) {
    switch (type) {
      case onnx::TensorProto::INT8: raw.push_back(static_cast<char>(static_cast<int8_t>(x))); break;
      case onnx::TensorProto::UINT8: raw.push_back(static_cast<char>(static_cast<uint8_t>(x))); break;
      default: {
        uint16_t u = static_cast<uint16_t>(x);
        raw.append(reinterpret_cast<const char*>(&u), 2);
      }
    }
  }
  t->set_raw_data(raw);
}

// Adds scale and zero-point initializers; returns their names.
std::pair<std::string, std::string> AddScaleZp(QdqContext& c, const Quantizer& q, const std::string& base) {
  auto* s = c.g->add_initializer();
  s->set_name(c.Unique(base + "_scale"));
  s->set_data_type(onnx::TensorProto::FLOAT);
  std::vector<int64_t> zps;
  for (const auto& e : q.encodings) {
    s->add_float_data(e.scale);
    zps.push_back(ZeroPoint(q, e));
  }
  Shape dims;
  if (q.encodings.size() > 1) {
    s->add_dims(static_cast<int64_t>(q.encodings.size()));
    dims = {static_cast<int64_t>(q.encodings.size())};
  }
  auto* z = c.g->add_initializer();
  z->set_name(c.Unique(base + "_zero_point"));
  FillInts(z, StorageType(q), zps, dims);
  return {s->name(), z->name()};
}

// A Q or DQ node in the right domain for this quantizer.
onnx::NodeProto MakeQdqNode(QdqContext& c, const Quantizer& q, const char* op, const std::string& in,
                            const std::string& out, const std::pair<std::string, std::string>& sz,
                            int channel_axis) {
  onnx::NodeProto n;
  n.set_op_type(op);
  n.set_name(c.Unique(out + "/" + op));
  bool default_ok = (q.spec.bitwidth <= 8 && c.default_opset >= 13) || c.default_opset >= 21;
  if (!default_ok) {
    n.set_domain("com.microsoft");
    c.uses_ms = true;
  }
  n.add_input(in);
  n.add_input(sz.first);
  n.add_input(sz.second);
  n.add_output(out);
  if (q.encodings.size() > 1) {
    auto* a = n.add_attribute();
    a->set_name("axis");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(channel_axis);
  }
  return n;
}

onnx::NodeProto MakeCast(QdqContext& c, const std::string& in, const std::string& out, int to) {
  onnx::NodeProto n;
  n.set_op_type("Cast");
  n.set_name(c.Unique(out + "/Cast"));
  n.add_input(in);
  n.add_output(out);
  auto* a = n.add_attribute();
  a->set_name("to");
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(to);
  return n;
}

// Q -> DQ (or Cast -> Cast) from `in` to `out`.
std::vector<onnx::NodeProto> ActivationNodes(QdqContext& c, const Quantizer& q, const std::string& in,
                                             const std::string& out) {
  if (q.dtype == QuantDType::kFloat16) {
    std::string h = c.Unique(out + "/fp16");
    return {MakeCast(c, in, h, onnx::TensorProto::FLOAT16), MakeCast(c, h, out, onnx::TensorProto::FLOAT)};
  }
  auto sz = AddScaleZp(c, q, out);
  std::string qn = c.Unique(out + "/quantized");
  return {MakeQdqNode(c, q, "QuantizeLinear", in, qn, sz, q.axis),
          MakeQdqNode(c, q, "DequantizeLinear", qn, out, sz, q.axis)};
}

// Stores constant `t` quantized under a new name and returns the node restoring `name`.
onnx::NodeProto ConstantNode(QdqContext& c, const Quantizer& q, const Tensor& t, const std::string& name) {
  auto* init = c.g->add_initializer();
  init->set_name(c.Unique(name + "/quantized"));
  if (q.dtype == QuantDType::kFloat16) {
    Tensor h(DType::kFloat16, t.shape());
    FloatToHalf(t.data<float>(), h.data<uint16_t>(), t.numel());
    TensorToProto(h, init);
    return MakeCast(c, init->name(), name, onnx::TensorProto::FLOAT);
  }
  // Integers r + zp with r = round(clamp(x / scale)), exactly the simulation's grid.
  const int64_t channels = static_cast<int64_t>(q.encodings.size());
  int64_t inner = 1;
  for (int i = q.axis + 1; i < t.rank(); ++i) inner *= t.dim(i);
  std::vector<int64_t> v(t.numel());
  for (int64_t i = 0; i < t.numel(); ++i) {
    const Encoding& e = q.encodings[channels > 1 ? (i / inner) % channels : 0];
    float r = t.data<float>()[i] / e.scale;
    r = std::min(static_cast<float>(e.offset + e.steps), std::max(static_cast<float>(e.offset), r));
    v[i] = static_cast<int64_t>(std::nearbyint(r)) + ZeroPoint(q, e);
  }
  FillInts(init, StorageType(q), v, t.shape());
  auto sz = AddScaleZp(c, q, name);
  return MakeQdqNode(c, q, "DequantizeLinear", init->name(), name, sz, q.axis);
}

// ONNX Runtime's BiasQuantization rewrite (graph level "basic") replaces the float bias of a
// Conv/ConvTranspose/Gemm whose input comes from a DequantizeLinear by
// int32(round(bias / (input_scale * weight_scale))). With 16-bit scales (or a tiny 8-bit weight
// scale, e.g. a dead channel) that int32 overflows and the optimized model computes garbage;
// with a float weight ORT even quantizes the weight to int8 itself. Such layers are exported
// without their bias, followed by Add(bias): the rewrite leaves them alone, every runtime
// reads them the same way, and the float sum is the one the simulation computes. Other
// layers keep their bias, so ORT can still fuse them into QLinearConv/QGemm.
bool OrtWouldMisquantizeBias(const Quantizer* in_q, const Quantizer* w_q, const Tensor& bias) {
  if (!in_q || in_q->dtype != QuantDType::kInt || in_q->encodings.size() != 1) return false;  // rewrite skips it
  if (!w_q || w_q->dtype != QuantDType::kInt) return true;
  if (in_q->spec.bitwidth > 8 || w_q->spec.bitwidth > 8) return true;
  const int64_t c = bias.numel();
  for (int64_t i = 0; i < c; ++i) {
    const Encoding& we = w_q->encodings[w_q->encodings.size() > 1 ? std::min<int64_t>(i, w_q->encodings.size() - 1) : 0];
    double q = std::fabs(static_cast<double>(bias.data<float>()[i])) / (double{in_q->encodings[0].scale} * we.scale);
    if (!(q < 2147483647.0)) return true;
  }
  return false;
}

// The bias as a tensor that broadcasts against the layer's output: [M, 1, ..., 1] with one 1
// per spatial dim for Conv/ConvTranspose (weight rank - 2), [M] for Gemm.
std::string AddBroadcastBias(QdqContext& c, const Tensor& bias, int spatial_dims, const std::string& name) {
  auto* init = c.g->add_initializer();
  Shape dims{bias.numel()};
  for (int i = 0; i < spatial_dims; ++i) dims.push_back(1);
  TensorToProto(bias.Reshaped(dims), init);
  init->set_name(c.Unique(name + "/broadcast"));
  return init->name();
}

}  // namespace

Status ExportQdqModel(const QuantSim& sim, const Model& model, const std::string& path) {
  onnx::ModelProto m = model.proto();
  onnx::GraphProto* g = m.mutable_graph();
  QdqContext c{g, {}, 0};
  for (const auto& op : m.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx") c.default_opset = op.version();
  for (const auto& n : g->node())
    for (const auto& o : n.output()) c.names.insert(o);
  for (const auto& i : g->input()) c.names.insert(i.name());
  for (const auto& i : g->initializer()) c.names.insert(i.name());

  const Graph& graph = sim.graph();
  std::unordered_map<std::string, const Quantizer*> by_tensor;
  for (const auto& q : sim.quantizers())
    if (q.enabled && q.has_encoding()) by_tensor[graph.values[q.value_id].name] = &q;

  std::vector<onnx::NodeProto> prologue;  // constant DQs and graph-input QDQs
  std::unordered_map<std::string, std::string> input_rename;
  // Constant tensors held as initializers. Names are copied first: ConstantNode adds
  // initializers, which may reallocate the list (iterating it meanwhile read freed memory:
  // a crash or hang on mnist_cnn).
  std::vector<std::string> init_names;
  for (const auto& init : g->initializer()) init_names.push_back(init.name());
  std::set<std::string> replaced;
  for (const std::string& name : init_names) {
    auto it = by_tensor.find(name);
    if (it == by_tensor.end()) continue;
    const int id = graph.FindValue(name);
    const Tensor* t = id >= 0 ? graph.Constant(id) : nullptr;
    if (!t || t->dtype() != DType::kFloat32) continue;
    prologue.push_back(ConstantNode(c, *it->second, *t, name));
    replaced.insert(name);
  }
  if (!replaced.empty()) {
    auto* inits = g->mutable_initializer();
    for (int i = inits->size() - 1; i >= 0; --i)
      if (replaced.count(inits->Get(i).name())) inits->DeleteSubrange(i, 1);
    auto* ins = g->mutable_input();
    for (int i = ins->size() - 1; i >= 0; --i)
      if (replaced.count(ins->Get(i).name())) ins->DeleteSubrange(i, 1);
  }
  // Graph inputs: quantize into a new name, rewire consumers.
  for (const auto& in : g->input()) {
    auto it = by_tensor.find(in.name());
    if (it == by_tensor.end() || replaced.count(in.name())) continue;
    std::string out = c.Unique(in.name() + "/qdq");
    for (auto& n : ActivationNodes(c, *it->second, in.name(), out)) prologue.push_back(std::move(n));
    input_rename[in.name()] = out;
  }
  // Node outputs: rename, then re-create the name through Q/DQ right after the producer.
  std::vector<onnx::NodeProto> nodes;
  std::set<std::string> split_biases;  // float biases moved out of their layer into an Add
  auto quantizer_of = [&](const std::string& tensor) -> const Quantizer* {
    auto it = by_tensor.find(tensor);
    return it == by_tensor.end() ? nullptr : it->second;
  };
  // Appends `n` with graph-input renames applied and its quantized outputs re-created
  // through Q/DQ right after it.
  auto emit = [&](onnx::NodeProto n) {
    for (auto& in : *n.mutable_input()) {
      auto r = input_rename.find(in);
      if (r != input_rename.end()) in = r->second;
    }
    std::vector<onnx::NodeProto> after;
    for (auto& out : *n.mutable_output()) {
      auto it = by_tensor.find(out);
      if (out.empty() || it == by_tensor.end()) continue;
      std::string pre = c.Unique(out + "/pre_qdq");
      for (auto& q : ActivationNodes(c, *it->second, pre, out)) after.push_back(std::move(q));
      out = pre;
    }
    nodes.push_back(std::move(n));
    for (auto& a : after) nodes.push_back(std::move(a));
  };
  for (auto n : g->node()) {
    const bool conv = n.op_type() == "Conv" || n.op_type() == "ConvTranspose";
    const bool gemm = n.op_type() == "Gemm";
    const Tensor* bias = nullptr;
    const Tensor* weight = nullptr;
    if ((conv || gemm) && n.domain().empty() && n.input_size() == 3 && !n.input(2).empty() &&
        !replaced.count(n.input(2)) && n.output_size() == 1) {
      const int bid = graph.FindValue(n.input(2)), wid = graph.FindValue(n.input(1));
      bias = bid >= 0 ? graph.Constant(bid) : nullptr;
      weight = wid >= 0 ? graph.Constant(wid) : nullptr;
    }
    bool gemm_plain = true;  // Add(bias) equals Gemm's C only for beta = 1 and an [M] bias
    for (const auto& a : n.attribute())
      if (a.name() == "beta" && a.f() != 1.f) gemm_plain = false;
    if (bias && weight && bias->dtype() == DType::kFloat32 && bias->rank() == 1 && (conv || gemm_plain) &&
        OrtWouldMisquantizeBias(quantizer_of(n.input(0)), quantizer_of(n.input(1)), *bias)) {
      const std::string bias_name = n.input(2), out = n.output(0);
      split_biases.insert(bias_name);
      const std::string b = AddBroadcastBias(c, *bias, conv ? weight->rank() - 2 : 0, bias_name);
      const std::string no_bias = c.Unique(out + "/no_bias");
      n.mutable_input()->RemoveLast();
      n.set_output(0, no_bias);
      onnx::NodeProto add;
      add.set_op_type("Add");
      add.set_name(c.Unique(n.name() + "/bias_add"));
      add.add_input(no_bias);
      add.add_input(b);
      add.add_output(out);
      emit(std::move(n));
      emit(std::move(add));
      continue;
    }
    emit(std::move(n));
  }
  // Drop float biases that only the split layers read.
  std::set<std::string> still_read;
  for (const auto& n : nodes)
    for (const auto& in : n.input()) still_read.insert(in);
  auto unused = [&](const std::string& name) { return split_biases.count(name) && !still_read.count(name); };
  auto* inits = g->mutable_initializer();
  for (int i = inits->size() - 1; i >= 0; --i)
    if (unused(inits->Get(i).name())) inits->DeleteSubrange(i, 1);
  auto* graph_inputs = g->mutable_input();
  for (int i = graph_inputs->size() - 1; i >= 0; --i)
    if (unused(graph_inputs->Get(i).name())) graph_inputs->DeleteSubrange(i, 1);
  g->clear_node();
  for (auto& n : prologue) *g->add_node() = std::move(n);
  for (auto& n : nodes) *g->add_node() = std::move(n);
  g->clear_value_info();  // refers to renamed tensors; runtimes re-infer
  if (c.uses_ms) {
    bool has = false;
    for (const auto& op : m.opset_import()) has = has || op.domain() == "com.microsoft";
    if (!has) {
      auto* op = m.add_opset_import();
      op->set_domain("com.microsoft");
      op->set_version(1);
    }
  }
  return SaveModel(m, path, model.external_data_dir());
}

Status ExportSim(const QuantSim& sim, const Model& model, const std::string& dir, const std::string& prefix,
                 const std::string& version) {
  LITEMP_ASSIGN_OR_RETURN(std::string enc, EncodingsJson(sim, version));
  LITEMP_RETURN_IF_ERROR(WriteFileAtomic(dir + "/" + prefix + ".encodings", enc));
  LITEMP_RETURN_IF_ERROR(SaveModel(model.proto(), dir + "/" + prefix + ".onnx", model.external_data_dir()));
  return ExportQdqModel(sim, model, dir + "/" + prefix + "_qdq.onnx");
}

}  // namespace litemp
