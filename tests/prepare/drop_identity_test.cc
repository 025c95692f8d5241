// Dropping Identity and Dropout (src/prepare/drop_identity.cc): readers are rewired, graph
// output names survive, and what is not a pass-through stays.
#include "prepare/prepare_helpers.h"

namespace litemp::test {
namespace {

struct NodeLine {
  std::string op, name, input, output;
};

// x [N,8] -> the single-input, single-output `nodes`; `outputs` are graph outputs [N,8].
ModelBuilder Graph8(const std::vector<std::string>& outputs, const std::vector<NodeLine>& nodes) {
  ModelBuilder b;
  b.Input("x", {-1, 8});
  for (const auto& o : outputs) b.Output(o, {-1, 8});
  for (const auto& n : nodes) b.Node(n.op, n.name, {n.input}, {n.output});
  return b;
}

// Prepares `b`, expects the op types `ops` and the original's outputs; returns the result.
Prepared ExpectPrepared(const ModelBuilder& b, const std::vector<std::string>& ops, uint32_t seed) {
  auto p = Prepare(b);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  if (!p.ok()) return {};
  EXPECT_EQ(OpTypes(p->proto), ops);
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({3, 8}, seed)}}));
  return p.value();
}

TEST(DropIdentity, ChainIsRemoved) {
  Prepared p = ExpectPrepared(Graph8({"y"}, {{"Relu", "relu", "x", "r"},
                                             {"Identity", "id1", "r", "i1"},
                                             {"Dropout", "drop", "i1", "d"},
                                             {"Identity", "id2", "d", "i2"},
                                             {"Sigmoid", "sig", "i2", "y"}}),
                              {"Relu", "Sigmoid"}, 1);
  ASSERT_EQ(p.proto.graph().node_size(), 2);
  EXPECT_EQ(p.proto.graph().node(1).input(0), "r");
  EXPECT_EQ(p.report.dropped, 3);
  EXPECT_EQ(p.report.actions,
            (std::vector<std::string>{"dropped Identity 'id1'", "dropped Dropout 'drop'", "dropped Identity 'id2'"}));
}

// relu -> Identity -> graph output y, and relu's output also read by neg: relu now writes
// y itself and neg reads y.
TEST(DropIdentity, GraphOutputNameSurvives) {
  Prepared p = ExpectPrepared(
      Graph8({"y", "z"}, {{"Relu", "relu", "x", "r"}, {"Identity", "id", "r", "y"}, {"Neg", "neg", "r", "z"}}),
      {"Relu", "Neg"}, 2);
  ASSERT_EQ(p.proto.graph().node_size(), 2);
  EXPECT_EQ(p.proto.graph().node(0).output(0), "y");
  EXPECT_EQ(p.proto.graph().node(1).input(0), "y");
}

// Two graph outputs copy one value: the producer takes the first name, the second Identity
// stays (one value cannot have two names).
TEST(DropIdentity, TwoOutputsOfOneValue) {
  Prepared p = ExpectPrepared(
      Graph8({"y1", "y2"},
             {{"Relu", "relu", "x", "r"}, {"Identity", "id1", "r", "y1"}, {"Identity", "id2", "r", "y2"}}),
      {"Relu", "Identity"}, 3);
  ASSERT_EQ(p.proto.graph().node_size(), 2);
  EXPECT_EQ(p.proto.graph().node(1).input(0), "y1");
}

TEST(DropIdentity, InputPassedToOutputStays) {
  Prepared p = ExpectPrepared(Graph8({"y", "z"}, {{"Identity", "id", "x", "y"}, {"Relu", "relu", "x", "z"}}),
                              {"Identity", "Relu"}, 4);
  EXPECT_EQ(p.report.dropped, 0);
}

TEST(DropIdentity, DropoutWithReadMaskStays) {
  ModelBuilder b = Graph8({"y"}, {});
  b.Node("Dropout", "drop", {"x"}, {"d", "mask"}).Output("mask", {-1, 8}, onnx::TensorProto::BOOL);
  b.Node("Relu", "relu", {"d"}, {"y"});
  ExpectPrepared(b, {"Dropout", "Relu"}, 5);
}

TEST(DropIdentity, DropoutTrainingModeInput) {
  for (bool training : {false, true}) {
    SCOPED_TRACE(training);
    ModelBuilder b = Graph8({"y"}, {});
    b.Initializer("ratio", Tensor::Scalar<float>(0.25f)).Initializer("train", Tensor::Scalar<bool>(training));
    b.Node("Dropout", "drop", {"x", "ratio", "train"}, {"d"});
    b.Node("Relu", "relu", {"d"}, {"y"});
    auto p = Prepare(b);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(CountOp(p->proto, "Dropout"), training ? 1 : 0);
    // Its ratio and training_mode go with it.
    EXPECT_EQ(p->proto.graph().initializer_size(), training ? 2 : 0);
  }
}

TEST(DropIdentity, OptionOffKeepsThem) {
  PrepareOptions o;
  o.drop_identity = false;
  auto p = Prepare(Graph8({"y"}, {{"Identity", "id", "x", "i"}, {"Relu", "relu", "i", "y"}}), o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), (std::vector<std::string>{"Identity", "Relu"}));
}

}  // namespace
}  // namespace litemp::test
