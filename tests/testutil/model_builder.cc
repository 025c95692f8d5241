#include "testutil/model_builder.h"

#include <fstream>
#include <utility>

namespace litemp::test {

namespace {
void Typed(onnx::ValueInfoProto* vi, const std::string& name, const std::vector<int64_t>& dims, int elem) {
  vi->set_name(name);
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(elem);
  auto* sh = tt->mutable_shape();
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] >= 0) {
      sh->add_dim()->set_dim_value(dims[i]);
    } else {
      std::string param = "d";  // built with += (GCC 12 warns falsely about "d" + to_string)
      param += std::to_string(i);
      sh->add_dim()->set_dim_param(i == 0 ? "N" : param);
    }
  }
}
}  // namespace

ModelBuilder::ModelBuilder(int opset) {
  m_.set_ir_version(8);
  m_.set_producer_name("litemp-tests");
  Opset("", opset);
  m_.mutable_graph()->set_name("test");
}

ModelBuilder& ModelBuilder::Opset(const std::string& domain, int version) {
  auto* os = m_.add_opset_import();
  os->set_domain(domain);
  os->set_version(version);
  return *this;
}

ModelBuilder& ModelBuilder::Input(const std::string& name, std::vector<int64_t> dims, int elem) {
  Typed(m_.mutable_graph()->add_input(), name, dims, elem);
  return *this;
}

ModelBuilder& ModelBuilder::Output(const std::string& name, std::vector<int64_t> dims, int elem) {
  Typed(m_.mutable_graph()->add_output(), name, dims, elem);
  return *this;
}

ModelBuilder& ModelBuilder::Initializer(const std::string& name, const Tensor& t) {
  auto* init = m_.mutable_graph()->add_initializer();
  TensorToProto(t, init);
  init->set_name(name);
  return *this;
}

ModelBuilder& ModelBuilder::ExternalInitializer(const std::string& name, const Tensor& t, const std::string& dir,
                                                const std::string& location, int64_t offset) {
  const std::string path = dir + "/" + location;
  {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    if (!f) f.open(path, std::ios::binary | std::ios::out | std::ios::trunc);  // a new file
    f.seekp(offset);
    f.write(static_cast<const char*>(t.raw_data()), static_cast<std::streamsize>(t.nbytes()));
  }
  auto* init = m_.mutable_graph()->add_initializer();
  init->set_name(name);
  init->set_data_type(static_cast<int32_t>(t.dtype()));
  for (int64_t d : t.shape()) init->add_dims(d);
  init->set_data_location(onnx::TensorProto::EXTERNAL);
  const std::pair<const char*, std::string> entries[] = {
      {"location", location}, {"offset", std::to_string(offset)}, {"length", std::to_string(t.nbytes())}};
  for (const auto& [key, value] : entries) {
    auto* kv = init->add_external_data();
    kv->set_key(key);
    kv->set_value(value);
  }
  return *this;
}

ModelBuilder& ModelBuilder::Node(const std::string& op, const std::string& name, std::vector<std::string> inputs,
                                 std::vector<std::string> outputs, std::vector<onnx::AttributeProto> attrs,
                                 const std::string& domain) {
  auto* n = m_.mutable_graph()->add_node();
  n->set_op_type(op);
  n->set_name(name);
  n->set_domain(domain);
  for (auto& i : inputs) n->add_input(i);
  for (auto& o : outputs) n->add_output(o);
  for (auto& a : attrs) *n->add_attribute() = a;
  if (!domain.empty()) {
    bool known = false;
    for (const auto& os : m_.opset_import()) known |= os.domain() == domain;
    if (!known) {
      auto* os = m_.add_opset_import();
      os->set_domain(domain);
      os->set_version(1);
    }
  }
  return *this;
}

std::string ModelBuilder::Bytes() const {
  std::string b;
  m_.SerializeToString(&b);
  return b;
}

Result<std::unique_ptr<Model>> ModelBuilder::Build() const { return Model::FromBytes(Bytes(), ""); }

onnx::AttributeProto IntsAttr(const std::string& name, const std::vector<int64_t>& v) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a.add_ints(x);
  return a;
}

onnx::AttributeProto IntAttr(const std::string& name, int64_t v) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INT);
  a.set_i(v);
  return a;
}

onnx::AttributeProto FloatAttr(const std::string& name, float v) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::FLOAT);
  a.set_f(v);
  return a;
}

}  // namespace litemp::test
