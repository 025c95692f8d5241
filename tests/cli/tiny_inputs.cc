#include "cli/tiny_inputs.h"

#include <random>

#include "cli/cli_runner.h"
#include "litemp/model.h"

namespace litemp::test {

namespace {

void SetType(onnx::ValueInfoProto* vi, const std::string& name, const std::vector<int64_t>& dims) {
  vi->set_name(name);
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  auto* sh = tt->mutable_shape();
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] >= 0) {
      sh->add_dim()->set_dim_value(dims[i]);
    } else {
      std::string name = "d";  // built with += (GCC 12 warns falsely about "d" + to_string)
      name += std::to_string(i);
      sh->add_dim()->set_dim_param(i == 0 ? "N" : name);
    }
  }
}

Tensor Seeded(const Shape& shape, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  Tensor t(DType::kFloat32, shape);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = dist(rng);
  return t;
}

}  // namespace

ModelBuilder::ModelBuilder(int opset) {
  m_.set_ir_version(8);
  m_.set_producer_name("litemp-tests");
  Opset("", opset);
  m_.mutable_graph()->set_name("tiny");
}

ModelBuilder& ModelBuilder::Input(const std::string& name, const std::vector<int64_t>& dims) {
  SetType(m_.mutable_graph()->add_input(), name, dims);
  return *this;
}

ModelBuilder& ModelBuilder::Output(const std::string& name, const std::vector<int64_t>& dims) {
  SetType(m_.mutable_graph()->add_output(), name, dims);
  return *this;
}

ModelBuilder& ModelBuilder::Init(const std::string& name, const Tensor& t) {
  auto* p = m_.mutable_graph()->add_initializer();
  TensorToProto(t, p);
  p->set_name(name);
  return *this;
}

onnx::NodeProto& ModelBuilder::Node(const std::string& op, const std::string& name, const std::vector<std::string>& ins,
                                    const std::vector<std::string>& outs, const std::string& domain) {
  auto* n = m_.mutable_graph()->add_node();
  n->set_op_type(op);
  n->set_name(name);
  if (!domain.empty()) n->set_domain(domain);
  for (const auto& i : ins) n->add_input(i);
  for (const auto& o : outs) n->add_output(o);
  return *n;
}

ModelBuilder& ModelBuilder::Opset(const std::string& domain, int version) {
  auto* os = m_.add_opset_import();
  os->set_domain(domain);
  os->set_version(version);
  return *this;
}

std::string ModelBuilder::Bytes() const {
  std::string bytes;
  m_.SerializeToString(&bytes);
  return bytes;
}

ModelBuilder TinyClassifier(bool log_layer) {
  ModelBuilder b;
  b.Input("x", {-1, 1, 4, 4});
  std::string first = "x";
  if (log_layer) {
    b.Node("Mul", "square", {"x", "x"}, {"sq"});
    b.Node("Log", "log", {"sq"}, {"lg"});
    first = "lg";
  }
  b.Init("w", Seeded({4, 1, 3, 3}, 1)).Init("b", Seeded({4}, 2));
  auto& conv = b.Node("Conv", "conv", {first, "w", "b"}, {"c"});
  auto* pads = conv.add_attribute();
  pads->set_name("pads");
  pads->set_type(onnx::AttributeProto::INTS);
  for (int i = 0; i < 4; ++i) pads->add_ints(1);
  b.Node("Relu", "relu", {"c"}, {"r"});
  b.Node("GlobalAveragePool", "gap", {"r"}, {"g"});
  b.Node("Flatten", "flat", {"g"}, {"f"});
  b.Init("fw", Seeded({4, 3}, 3)).Init("fb", Seeded({3}, 4));
  b.Node("Gemm", "fc", {"f", "fw", "fb"}, {"y"});
  b.Output("y", {-1, 3});
  return b;
}

void WriteTinyDataset(const std::string& dir, int n, int classes) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> pix(1, 255);
  std::string csv = "file,label\n";
  for (int i = 0; i < n; ++i) {
    std::string name = "img" + std::to_string(i) + ".bin";
    std::string px(16, '\0');
    for (auto& c : px) c = static_cast<char>(pix(rng));
    px[0] = 1;  // a dark pixel: its square is below half an 8-bit step (see TinyClassifier)
    WriteBytes(dir + "/" + name, px);
    csv += name + "," + std::to_string(i % classes) + "\n";
  }
  WriteBytes(dir + "/labels.csv", csv);
}

std::vector<std::string> TinyDataFlags(const std::string& dir) {
  return {"--images", dir, "--labels", dir + "/labels.csv", "--raw-shape", "4,4,1"};
}

}  // namespace litemp::test
