// Model loading: what a valid model becomes (graph, names, folded Constants, external
// data, shapes) and how invalid ones fail (each with a message naming the problem).
#include "litemp/model.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>

#include "testutil/kernel_runner.h"
#include "testutil/model_builder.h"

namespace litemp {
namespace {

using test::ModelBuilder;

void ExpectError(const Result<std::unique_ptr<Model>>& r, const std::string& want) {
  ASSERT_FALSE(r.ok()) << "expected an error containing '" << want << "'";
  EXPECT_NE(r.status().ToString().find(want), std::string::npos) << r.status().ToString();
}

TEST(ModelLoad, BuildsATopologicalGraphWithNamesAndShapes) {
  // Nodes listed out of order (litemp sorts them; ONNX shape inference is skipped); both nameless.
  auto m = ModelBuilder(13)
               .Input("x", {-1, 4})
               .Output("z", {-1, 4})
               .Node("Relu", "", {"y"}, {"z"})
               .Node("Neg", "", {"x"}, {"y"})
               .Build();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Graph& g = m.value()->graph();
  ASSERT_EQ(g.nodes.size(), 2u);
  EXPECT_EQ(g.nodes[0].op_type, "Neg");  // sorted: producer first
  EXPECT_EQ(g.nodes[1].op_type, "Relu");
  EXPECT_EQ(g.nodes[0].name, "/Neg");    // AIMET-style names for nameless nodes
  EXPECT_EQ(g.nodes[1].name, "/Relu");
  const Value& y = g.values[g.FindValue("y")];
  EXPECT_EQ(y.producer, 0);
  ASSERT_EQ(y.consumers.size(), 1u);
  EXPECT_EQ(y.consumers[0], 1);
  EXPECT_EQ(g.inputs.size(), 1u);
  EXPECT_EQ(g.outputs.size(), 1u);
  // In order (as ONNX requires), ONNX shape inference fills in the intermediate's shape.
  auto ordered = ModelBuilder(13)
                     .Input("x", {-1, 4})
                     .Output("z", {-1, 4})
                     .Node("Neg", "", {"x"}, {"y"})
                     .Node("Relu", "", {"y"}, {"z"})
                     .Build();
  ASSERT_TRUE(ordered.ok()) << ordered.status().ToString();
  const Graph& og = ordered.value()->graph();
  EXPECT_EQ(og.values[og.FindValue("y")].shape, (Shape{-1, 4}));
}

TEST(ModelLoad, ConstantNodesBecomeInitializers) {
  onnx::AttributeProto value;
  value.set_name("value");
  value.set_type(onnx::AttributeProto::TENSOR);
  TensorToProto(Tensor::FromVector<float>({1.f, 2.f, 3.f, 4.f}), value.mutable_t());
  auto m = ModelBuilder(13)
               .Input("x", {1, 4})
               .Output("y", {1, 4})
               .Node("Constant", "k", {}, {"c"}, {value})
               .Node("Add", "add", {"x", "c"}, {"y"})
               .Build();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Graph& g = m.value()->graph();
  ASSERT_EQ(g.nodes.size(), 1u);  // the Constant node is gone
  const Tensor* c = g.Constant(g.FindValue("c"));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->data<float>()[3], 4.f);
}

TEST(ModelLoad, ReadsExternalData) {
  const auto dir = std::filesystem::temp_directory_path() / ("litemp_ext_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const float w[4] = {0.5f, -1.f, 2.f, 8.f};
  std::ofstream(dir / "w.bin", std::ios::binary).write(reinterpret_cast<const char*>(w), sizeof(w));
  ModelBuilder b(13);
  b.Input("x", {1, 4}).Output("y", {1, 4}).Node("Mul", "mul", {"x", "w"}, {"y"});
  auto* init = b.proto().mutable_graph()->add_initializer();
  init->set_name("w");
  init->set_data_type(onnx::TensorProto::FLOAT);
  init->add_dims(4);
  init->set_data_location(onnx::TensorProto::EXTERNAL);
  auto* loc = init->add_external_data();
  loc->set_key("location");
  loc->set_value("w.bin");
  auto m = Model::FromBytes(b.Bytes(), dir.string());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Tensor* t = m.value()->graph().Constant(m.value()->graph().FindValue("w"));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->data<float>()[3], 8.f);
  // A missing file, and a location escaping the folder, are errors naming the initializer.
  ExpectError(Model::FromBytes(b.Bytes(), (dir / "nowhere").string()), "'w'");
  loc->set_value("../w.bin");
  ExpectError(Model::FromBytes(b.Bytes(), dir.string()), "'w'");
  std::filesystem::remove_all(dir);
}

TEST(ModelLoad, RejectsNonModels) {
  ExpectError(Model::FromBytes("", ""), "empty");
  ExpectError(Model::FromBytes("this is not a protobuf \xff\xfe", ""), "not an ONNX model");
  std::string good = ModelBuilder(13).Input("x", {1}).Output("y", {1}).Node("Relu", "r", {"x"}, {"y"}).Bytes();
  ExpectError(Model::FromBytes(good.substr(0, good.size() / 2), ""), "not an ONNX model");
  ExpectError(Model::FromBytes(ModelBuilder(13).Input("x", {1}).Bytes(), ""), "no graph nodes");
  ExpectError(Model::Load("/nonexistent/model.onnx"), "/nonexistent/model.onnx");
}

TEST(ModelLoad, RejectsBrokenGraphs) {
  // A cycle: a = Relu(b), b = Neg(a).
  ExpectError(ModelBuilder(13)
                  .Input("x", {1})
                  .Output("b", {1})
                  .Node("Relu", "r", {"b"}, {"a"})
                  .Node("Neg", "n", {"a"}, {"b"})
                  .Build(),
              "cycle");
  // An input nothing produces.
  ExpectError(ModelBuilder(13).Input("x", {1}).Output("y", {1}).Node("Add", "add", {"x", "ghost"}, {"y"}).Build(),
              "ghost");
  // An output nothing produces.
  ExpectError(ModelBuilder(13).Input("x", {1}).Output("nope", {1}).Node("Relu", "r", {"x"}, {"y"}).Build(), "nope");
  // A value defined twice.
  ExpectError(ModelBuilder(13)
                  .Input("x", {1})
                  .Output("y", {1})
                  .Node("Relu", "r1", {"x"}, {"y"})
                  .Node("Neg", "r2", {"x"}, {"y"})
                  .Build(),
              "produced by two nodes");
}

}  // namespace
}  // namespace litemp
