#include "oracle/op_case.h"

#include <onnx/shape_inference/implementation.h>

#include <cmath>
#include <random>

#include "kernels/util.h"
#include "litemp/model.h"

namespace litemp::test {

namespace {
// prefix + k, built with += (GCC 12 warns falsely about "x" + std::to_string(k)).
std::string Numbered(const char* prefix, size_t k) {
  std::string s = prefix;
  s += std::to_string(k);
  return s;
}
}  // namespace

CaseBuilder::CaseBuilder(std::string op_type, std::string name, int opset) {
  c_.op_type = std::move(op_type);
  c_.name = std::move(name);
  c_.opset = opset;
}
CaseBuilder& CaseBuilder::In(Tensor v) {
  c_.inputs.push_back({Numbered("x", c_.inputs.size()), std::move(v), false});
  return *this;
}
CaseBuilder& CaseBuilder::Const(Tensor v) {
  c_.inputs.push_back({Numbered("x", c_.inputs.size()), std::move(v), true});
  return *this;
}
CaseBuilder& CaseBuilder::Omit() {
  c_.inputs.push_back({"", Tensor(), false});
  return *this;
}
CaseBuilder& CaseBuilder::Attr(onnx::AttributeProto a) {
  c_.attrs.push_back(std::move(a));
  return *this;
}
CaseBuilder& CaseBuilder::Outputs(int n) {
  c_.num_outputs = n;
  return *this;
}
CaseBuilder& CaseBuilder::OutTypes(std::vector<DType> t) {
  c_.output_dtypes = std::move(t);
  return *this;
}
CaseBuilder& CaseBuilder::Rtol(double r) {
  c_.rtol = r;
  return *this;
}
CaseBuilder& CaseBuilder::Domain(std::string d) {
  c_.domain = std::move(d);
  return *this;
}

namespace {

onnx::AttributeProto Named(const std::string& name, onnx::AttributeProto::AttributeType t) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(t);
  return a;
}

std::mt19937& Rng() {
  static std::mt19937 rng(1234);
  return rng;
}

}  // namespace

onnx::AttributeProto AttrI(const std::string& name, int64_t v) {
  auto a = Named(name, onnx::AttributeProto::INT);
  a.set_i(v);
  return a;
}
onnx::AttributeProto AttrF(const std::string& name, float v) {
  auto a = Named(name, onnx::AttributeProto::FLOAT);
  a.set_f(v);
  return a;
}
onnx::AttributeProto AttrS(const std::string& name, const std::string& v) {
  auto a = Named(name, onnx::AttributeProto::STRING);
  a.set_s(v);
  return a;
}
onnx::AttributeProto AttrInts(const std::string& name, const std::vector<int64_t>& v) {
  auto a = Named(name, onnx::AttributeProto::INTS);
  for (int64_t x : v) a.add_ints(x);
  return a;
}
onnx::AttributeProto AttrFloats(const std::string& name, const std::vector<float>& v) {
  auto a = Named(name, onnx::AttributeProto::FLOATS);
  for (float x : v) a.add_floats(x);
  return a;
}
onnx::AttributeProto AttrT(const std::string& name, const Tensor& v) {
  auto a = Named(name, onnx::AttributeProto::TENSOR);
  TensorToProto(v, a.mutable_t());
  return a;
}

void ResetRandom(uint32_t seed) { Rng().seed(seed); }

Tensor Rand(const Shape& shape, float lo, float hi) {
  Tensor t(DType::kFloat32, shape);
  std::uniform_real_distribution<float> d(lo, hi);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = d(Rng());
  return t;
}

Tensor RandNonZero(const Shape& shape, float lo, float hi) {
  Tensor t = Rand(shape, lo, hi);
  std::bernoulli_distribution sign(0.5);
  for (int64_t i = 0; i < t.numel(); ++i)
    if (sign(Rng())) t.data<float>()[i] = -t.data<float>()[i];
  return t;
}

Tensor RandIntegral(const Shape& shape, int lo, int hi) {
  Tensor t(DType::kFloat32, shape);
  std::uniform_int_distribution<int> d(lo, hi);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = static_cast<float>(d(Rng()));
  return t;
}

Tensor RandInt(const Shape& shape, int64_t lo, int64_t hi, DType dt) {
  Tensor t(DType::kInt64, shape);
  std::uniform_int_distribution<int64_t> d(lo, hi);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<int64_t>()[i] = d(Rng());
  return dt == DType::kInt64 ? t : CastTo(t, dt);
}

Tensor RandBool(const Shape& shape) {
  Tensor t(DType::kBool, shape);
  std::bernoulli_distribution d(0.5);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<bool>()[i] = d(Rng());
  return t;
}

Tensor I64(const std::vector<int64_t>& v, Shape shape) { return Tensor::FromVector<int64_t>(v, std::move(shape)); }
Tensor I64Scalar(int64_t v) { return Tensor::Scalar<int64_t>(v); }
Tensor F32(const std::vector<float>& v, Shape shape) { return Tensor::FromVector<float>(v, std::move(shape)); }

namespace {

double Get(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kFloat32: return t.data<float>()[i];
    case DType::kFloat64: return t.data<double>()[i];
    case DType::kFloat16: return HalfToFloat(t.data<uint16_t>()[i]);
    case DType::kInt8: return t.data<int8_t>()[i];
    case DType::kUInt8: return t.data<uint8_t>()[i];
    case DType::kInt16: return t.data<int16_t>()[i];
    case DType::kUInt16: return t.data<uint16_t>()[i];
    case DType::kInt32: return t.data<int32_t>()[i];
    case DType::kUInt32: return t.data<uint32_t>()[i];
    case DType::kInt64: return static_cast<double>(t.data<int64_t>()[i]);
    case DType::kUInt64: return static_cast<double>(t.data<uint64_t>()[i]);
    case DType::kBool: return t.data<bool>()[i];
    default: return 0;
  }
}

void Put(Tensor* t, int64_t i, double v) {
  switch (t->dtype()) {
    case DType::kFloat32: t->data<float>()[i] = static_cast<float>(v); break;
    case DType::kFloat64: t->data<double>()[i] = v; break;
    case DType::kFloat16: t->data<uint16_t>()[i] = FloatToHalf(static_cast<float>(v)); break;
    case DType::kInt8: t->data<int8_t>()[i] = static_cast<int8_t>(v); break;
    case DType::kUInt8: t->data<uint8_t>()[i] = static_cast<uint8_t>(v); break;
    case DType::kInt16: t->data<int16_t>()[i] = static_cast<int16_t>(v); break;
    case DType::kUInt16: t->data<uint16_t>()[i] = static_cast<uint16_t>(v); break;
    case DType::kInt32: t->data<int32_t>()[i] = static_cast<int32_t>(v); break;
    case DType::kUInt32: t->data<uint32_t>()[i] = static_cast<uint32_t>(v); break;
    case DType::kInt64: t->data<int64_t>()[i] = static_cast<int64_t>(v); break;
    case DType::kUInt64: t->data<uint64_t>()[i] = static_cast<uint64_t>(v); break;
    case DType::kBool: t->data<bool>()[i] = v != 0; break;
    default: break;
  }
}

}  // namespace

Tensor CastTo(const Tensor& t, DType dt) {
  Tensor out(dt, t.shape());
  for (int64_t i = 0; i < t.numel(); ++i) Put(&out, i, Get(t, i));
  return out;
}

Result<std::string> BuildModel(const OpCase& c) {
  onnx::ModelProto m;
  // The lowest IR version that allows the opset, so older ORT-era rules apply.
  m.set_ir_version(c.opset >= 21 ? 10 : c.opset >= 19 ? 9 : c.opset >= 15 ? 8 : 7);
  m.set_producer_name("litemp-oracle");
  auto* os = m.add_opset_import();
  os->set_domain(c.domain);
  os->set_version(c.opset);
  if (!c.domain.empty()) {  // other domains' versions say nothing of ONNX's (e.g. com.microsoft 1)
    auto* onnx_os = m.add_opset_import();
    onnx_os->set_domain("");
    onnx_os->set_version(17);
  }
  auto* g = m.mutable_graph();
  g->set_name(c.op_type + "_" + c.name);
  auto* n = g->add_node();
  n->set_op_type(c.op_type);
  n->set_domain(c.domain);
  n->set_name("node");
  for (size_t k = 0; k < c.inputs.size(); ++k) {
    const CaseInput& in = c.inputs[k];
    n->add_input(in.name);
    if (in.name.empty()) continue;
    if (k == 0 && c.conv_producer) {
      // x0 = Conv(x0_pre, identity 3x3 kernel, pads 1): same values, Conv-produced layout.
      const int64_t ch = in.value.dim(1);
      Tensor w = Tensor::Zeros(DType::kFloat32, {ch, ch, 3, 3});
      for (int64_t i = 0; i < ch; ++i) w.data<float>()[(i * ch + i) * 9 + 4] = 1.f;
      auto* wt = g->add_initializer();
      TensorToProto(w, wt);
      wt->set_name("conv_w");
      auto* conv = g->add_node();
      conv->set_op_type("Conv");
      conv->set_name("producer");
      conv->add_input(in.name + "_pre");
      conv->add_input("conv_w");
      conv->add_output(in.name);
      *conv->add_attribute() = AttrInts("pads", {1, 1, 1, 1});
      auto* vi = g->add_input();
      vi->set_name(in.name + "_pre");
      auto* tt = vi->mutable_type()->mutable_tensor_type();
      tt->set_elem_type(static_cast<int>(in.value.dtype()));
      for (int64_t d : in.value.shape()) tt->mutable_shape()->add_dim()->set_dim_value(d);
      continue;
    }
    if (in.constant) {
      auto* t = g->add_initializer();
      TensorToProto(in.value, t);
      t->set_name(in.name);
      continue;
    }
    auto* vi = g->add_input();
    vi->set_name(in.name);
    auto* tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(static_cast<int>(in.value.dtype()));
    auto* sh = tt->mutable_shape();
    for (int64_t d : in.value.shape()) sh->add_dim()->set_dim_value(d);
  }
  for (const auto& a : c.attrs) *n->add_attribute() = a;
  if (c.conv_producer) {
    // Keep topological order: the producer Conv was appended after the op's node.
    g->mutable_node()->SwapElements(0, 1);
    n = g->mutable_node(1);
  }
  for (int i = 0; i < c.num_outputs; ++i) {
    std::string name = Numbered("y", static_cast<size_t>(i));
    n->add_output(name);
    g->add_output()->set_name(name);
  }
  // ORT needs typed graph outputs: take them from ONNX shape inference where it knows the op.
  onnx::ModelProto inferred = m;
  try {
    onnx::shape_inference::InferShapes(inferred);
  } catch (const std::exception&) {
  }
  DType first = c.inputs.empty() ? DType::kFloat32 : c.inputs[0].value.dtype();
  for (int i = 0; i < c.num_outputs; ++i) {
    auto* out = g->mutable_output(i);
    int et = 0;
    if (i < static_cast<int>(c.output_dtypes.size())) {
      et = static_cast<int>(c.output_dtypes[i]);
    } else {
      for (const auto& vi : inferred.graph().output())
        if (vi.name() == out->name() && vi.type().tensor_type().elem_type() != 0) et = vi.type().tensor_type().elem_type();
      for (const auto& vi : inferred.graph().value_info())
        if (vi.name() == out->name() && vi.type().tensor_type().elem_type() != 0) et = vi.type().tensor_type().elem_type();
      if (et == 0) et = static_cast<int>(first);
    }
    out->mutable_type()->mutable_tensor_type()->set_elem_type(et);
  }
  std::string bytes;
  if (!m.SerializeToString(&bytes)) return Status::Internal("cannot serialize the model of case " + c.name);
  return bytes;
}

std::vector<OpCase> WithConvProducer(const std::vector<OpCase>& cases) {
  std::vector<OpCase> out;
  for (const OpCase& c : cases) {
    if (c.inputs.empty() || c.inputs[0].name.empty() || c.inputs[0].constant) continue;
    const Tensor& x = c.inputs[0].value;
    if (x.dtype() != DType::kFloat32 || x.rank() != 4 || x.numel() == 0) continue;
    OpCase w = c;
    w.name += "_after_conv";
    w.conv_producer = true;
    out.push_back(std::move(w));
  }
  return out;
}

std::vector<std::pair<std::string, Tensor>> CaseFeeds(const OpCase& c) {
  std::vector<std::pair<std::string, Tensor>> feeds;
  for (size_t k = 0; k < c.inputs.size(); ++k) {
    const CaseInput& in = c.inputs[k];
    if (in.name.empty() || in.constant) continue;
    feeds.emplace_back(k == 0 && c.conv_producer ? in.name + "_pre" : in.name, in.value);
  }
  return feeds;
}

const CaseTable& AllCases() {
  static const CaseTable* table = [] {
    auto* t = new CaseTable();
    AddElementwiseCases(t);
    AddBinaryCases(t);
    AddNnCases(t);
    AddPoolCases(t);
    AddMovementCases(t);
    AddReduceCases(t);
    return t;
  }();
  return *table;
}

}  // namespace litemp::test
