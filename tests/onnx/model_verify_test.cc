// Loader input checks that run before ONNX's shape inference (crashers found by fuzz_model).
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include "litemp/model.h"

namespace litemp {
namespace {

void AddFloatInfo(onnx::ValueInfoProto* v, const std::string& name) {
  v->set_name(name);
  v->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
}

// A running sum as Scan-9 (ONNX's test_scan9_sum), with `num_scan_inputs` set or not.
std::string ScanModel(bool with_num_scan_inputs, int opset = 9) {
  onnx::ModelProto m;
  m.set_ir_version(4);
  auto* op = m.add_opset_import();
  op->set_version(opset);
  onnx::GraphProto* g = m.mutable_graph();
  AddFloatInfo(g->add_input(), "initial");
  AddFloatInfo(g->add_input(), "x");
  AddFloatInfo(g->add_output(), "y");
  AddFloatInfo(g->add_output(), "z");
  onnx::NodeProto* n = g->add_node();
  n->set_op_type("Scan");
  n->add_input("initial");
  n->add_input("x");
  n->add_output("y");
  n->add_output("z");
  onnx::AttributeProto* body = n->add_attribute();
  body->set_name("body");
  body->set_type(onnx::AttributeProto::GRAPH);
  onnx::GraphProto* b = body->mutable_g();
  AddFloatInfo(b->add_input(), "sum_in");
  AddFloatInfo(b->add_input(), "next");
  AddFloatInfo(b->add_output(), "sum_out");
  AddFloatInfo(b->add_output(), "scan_out");
  onnx::NodeProto* add = b->add_node();
  add->set_op_type("Add");
  add->add_input("sum_in");
  add->add_input("next");
  add->add_output("sum_out");
  onnx::NodeProto* id = b->add_node();
  id->set_op_type("Identity");
  id->add_input("sum_out");
  id->add_output("scan_out");
  if (with_num_scan_inputs) {
    onnx::AttributeProto* a = n->add_attribute();
    a->set_name("num_scan_inputs");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(1);
  }
  return m.SerializeAsString();
}

TEST(ModelVerify, MissingRequiredAttributeIsAnErrorNotACrash) {
  // Opset 9: a full schema check; opset 21 is newer than libonnx knows: required attributes only.
  for (int opset : {9, 21}) {
    auto m = Model::FromBytes(ScanModel(false, opset), ".");
    ASSERT_FALSE(m.ok()) << opset;
    EXPECT_EQ(m.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(m.status().message().find("(Scan)"), std::string::npos) << m.status().ToString();
    EXPECT_NE(m.status().message().find("num_scan_inputs"), std::string::npos) << m.status().ToString();
  }
}

TEST(ModelVerify, WellFormedScanPassesTheSchemaCheck) {
  // litemp has no Scan kernel, but the model itself is valid: it must get past verification.
  auto m = Model::FromBytes(ScanModel(true), ".");
  if (!m.ok()) {
    EXPECT_EQ(m.status().message().find("(Scan): "), std::string::npos) << m.status().ToString();
  }
}

TEST(ModelVerify, SubgraphNodesAreVerifiedToo) {
  onnx::ModelProto m;
  ASSERT_TRUE(m.ParseFromString(ScanModel(true)));
  // An Add with one input inside the body.
  m.mutable_graph()->mutable_node(0)->mutable_attribute(0)->mutable_g()->mutable_node(0)->mutable_input()->RemoveLast();
  auto r = Model::FromBytes(m.SerializeAsString(), ".");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("(Add)"), std::string::npos) << r.status().ToString();
}

TEST(ModelVerify, UndefinedInputIsAnErrorNotACrash) {
  // Shape-15 reading a value nothing defines: ONNX's Shape inference crashed on it.
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(15);
  onnx::GraphProto* g = m.mutable_graph();
  AddFloatInfo(g->add_input(), "x");
  onnx::ValueInfoProto* y = g->add_output();
  y->set_name("y");
  y->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::INT64);
  onnx::NodeProto* n = g->add_node();
  n->set_op_type("Shape");
  n->add_input("not_x");
  n->add_output("y");
  auto r = Model::FromBytes(m.SerializeAsString(), ".");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not_x"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace litemp
