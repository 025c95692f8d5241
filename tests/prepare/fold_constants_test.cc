// Constant folding (src/prepare/fold_constants.cc): constant subgraphs become initializers
// computed by litemp's kernels; what must stay a node stays.
#include "prepare/prepare_helpers.h"

namespace litemp::test {
namespace {

Tensor I64s(const std::vector<int64_t>& v) { return Tensor::FromVector<int64_t>(v); }

onnx::AttributeProto TensorAttr(const std::string& name, const Tensor& t) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::TENSOR);
  TensorToProto(t, a.mutable_t());
  return a;
}

// x [batch,3,4,4] -> Shape -> Gather [0] -> Concat with [-1] -> Reshape x to [batch, 48].
ModelBuilder ShapeChain(int64_t batch) {
  ModelBuilder b;
  b.Input("x", {batch, 3, 4, 4}).Output("y", {batch, 48});
  b.Initializer("first", I64s({0})).Initializer("rest", I64s({-1}));
  b.Node("Shape", "shape", {"x"}, {"s"});
  b.Node("Gather", "gather", {"s", "first"}, {"n"}, {IntAttr("axis", 0)});
  b.Node("Concat", "concat", {"n", "rest"}, {"target"}, {IntAttr("axis", 0)});
  b.Node("Reshape", "reshape", {"x", "target"}, {"r"});
  b.Node("Relu", "relu", {"r"}, {"y"});
  return b;
}

TEST(FoldConstants, ShapeOfStaticShapeFoldsDownstream) {
  ModelBuilder b = ShapeChain(2);
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), (std::vector<std::string>{"Reshape", "Relu"}));
  EXPECT_EQ(p->report.folded_constants, 3);
  ASSERT_EQ(p->report.actions.size(), 2u);
  EXPECT_EQ(p->report.actions[0], "folded 3 constant nodes into initializers (Concat 1, Gather 1, Shape 1)");
  EXPECT_EQ(p->report.actions[1], "removed 2 unused initializers");  // "first" and "rest"
  ASSERT_EQ(p->proto.graph().initializer_size(), 1);
  auto target = TensorFromProto(p->proto.graph().initializer(0));
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(p->proto.graph().initializer(0).name(), "target");
  EXPECT_TRUE(TensorsNear(target.value(), I64s({2, -1})));
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({2, 3, 4, 4}, 1)}}));
}

TEST(FoldConstants, SymbolicShapeStays) {
  auto p = Prepare(ShapeChain(-1));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->report.folded_constants, 0);
  EXPECT_EQ(p->proto.graph().node_size(), 5);
}

// Opset 15's Shape(start=2) of [N,3,4,4] reads only static dims: x becomes [N*3,4,4].
TEST(FoldConstants, SlicedShapeOfSymbolicBatch) {
  ModelBuilder b(15);
  b.Input("x", {-1, 3, 4, 4}).Output("y", {-1, 4, 4});
  b.Initializer("rest", I64s({-1}));
  b.Node("Shape", "shape", {"x"}, {"s"}, {IntAttr("start", 2)});
  b.Node("Concat", "concat", {"rest", "s"}, {"target"}, {IntAttr("axis", 0)});
  b.Node("Reshape", "reshape", {"x", "target"}, {"y"});
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), std::vector<std::string>{"Reshape"});
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({2, 3, 4, 4}, 8)}}));
}

TEST(FoldConstants, InitializerArithmeticAndConstantNodes) {
  ModelBuilder b;
  b.Input("x", {-1, 4}).Output("y", {-1, 4});
  b.Initializer("a", RandomTensor({4}, 2)).Initializer("c", RandomTensor({1}, 3));
  b.Node("Constant", "k", {}, {"kv"}, {TensorAttr("value", Tensor::FromVector<float>({0.5f, 1.f, 2.f, 4.f}))});
  b.Node("Add", "add", {"a", "c"}, {"ac"});
  b.Node("Mul", "mul", {"ac", "kv"}, {"m"});
  b.Node("Mul", "scale", {"x", "m"}, {"y"});
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), std::vector<std::string>{"Mul"});
  EXPECT_EQ(p->proto.graph().node(0).name(), "scale");
  EXPECT_EQ(p->report.folded_constants, 3);
  EXPECT_EQ(p->report.actions[0], "folded 3 constant nodes into initializers (Add 1, Constant 1, Mul 1)");
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({3, 4}, 4)}}));
}

// A graph output stays a node's output; a QDQ weight stays int8 behind its DequantizeLinear.
TEST(FoldConstants, GraphOutputsAndDequantizeStay) {
  ModelBuilder b;
  b.Input("x", {-1, 4}).Output("y", {-1, 4}).Output("k", {4});
  b.Initializer("a", RandomTensor({4}, 5)).Initializer("c", RandomTensor({4}, 6));
  b.Node("Add", "const_out", {"a", "c"}, {"k"});
  Tensor q(DType::kInt8, {4});
  for (int i = 0; i < 4; ++i) q.data<int8_t>()[i] = static_cast<int8_t>(10 * i - 7);
  b.Initializer("q", q).Initializer("qs", Tensor::Scalar<float>(0.05f)).Initializer("qz", Tensor::Scalar<int8_t>(0));
  b.Node("DequantizeLinear", "dq", {"q", "qs", "qz"}, {"w"});
  b.Node("Mul", "mul", {"x", "w"}, {"y"});
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), (std::vector<std::string>{"Add", "DequantizeLinear", "Mul"}));
  EXPECT_EQ(p->report.folded_constants, 0);
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({3, 4}, 7)}}));
}

// ConstantOfShape([1024,1024]) is 4 MiB from 16 bytes: cheaper to compute than to store.
TEST(FoldConstants, LargeExpansionStays) {
  ModelBuilder b;
  b.Input("x", {1024, 1024}).Output("y", {1024, 1024});
  b.Initializer("shape", I64s({1024, 1024}));
  b.Node("ConstantOfShape", "fill", {"shape"}, {"ones"}, {TensorAttr("value", Tensor::FromVector<float>({1.f}))});
  b.Node("Add", "add", {"x", "ones"}, {"y"});
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), (std::vector<std::string>{"ConstantOfShape", "Add"}));
  ASSERT_EQ(p->report.notes.size(), 1u);
  EXPECT_EQ(p->report.notes[0],
            "left node 'fill' (ConstantOfShape) unfolded: its 4096 KiB result is cheaper to "
            "compute than to store");
}

TEST(FoldConstants, OptionOffKeepsEverything) {
  PrepareOptions o;
  o.fold_constants = false;
  auto p = Prepare(ShapeChain(2), o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->proto.graph().node_size(), 5);
  EXPECT_TRUE(p->report.actions.empty());
}

}  // namespace
}  // namespace litemp::test
