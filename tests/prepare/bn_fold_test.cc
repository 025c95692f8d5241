// BatchNormalization folding (src/prepare/bn_fold.cc): each producer kind on generated
// models, compared with the unprepared model on litemp's executor, plus the cases that must
// stay unfolded.
#include <algorithm>

#include "prepare/prepare_helpers.h"

namespace litemp::test {
namespace {

bool HasLine(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

// Prepares `b`, expects exactly `ops` afterwards and the same outputs on x = `x_shape`.
void ExpectFolds(const ModelBuilder& b, const Shape& x_shape, const std::vector<std::string>& ops,
                 const std::string& action) {
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), ops);
  EXPECT_TRUE(HasLine(p->report.actions, action)) << "no action '" << action << "'";
  EXPECT_EQ(p->report.nodes_after, static_cast<int>(ops.size()));
  for (const auto& init : p->proto.graph().initializer())
    EXPECT_EQ(init.name().find("bn."), std::string::npos) << "BatchNormalization parameter " << init.name() << " left";
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor(x_shape, 11, -2.f, 2.f)}}));
}

TEST(FoldBn, ConvWithBias) {
  ExpectFolds(ConvBn(4, 6, 1, true), {2, 4, 6, 6}, {"Conv"}, "folded BatchNormalization 'bn' into Conv 'conv'");
}
TEST(FoldBn, ConvWithoutBias) { ExpectFolds(ConvBn(4, 6, 1, false), {2, 4, 6, 6}, {"Conv"}, "into Conv 'conv'"); }
TEST(FoldBn, GroupedConv) { ExpectFolds(ConvBn(4, 6, 2, true), {2, 4, 6, 6}, {"Conv"}, "into Conv 'conv'"); }
TEST(FoldBn, DepthwiseConv) { ExpectFolds(ConvBn(4, 8, 4, false), {2, 4, 6, 6}, {"Conv"}, "into Conv 'conv'"); }

TEST(FoldBn, KeepsNamesOfNodeAndOutput) {
  auto p = Prepare(ConvBn(4, 6, 1, true));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->proto.graph().node_size(), 1);
  EXPECT_EQ(p->proto.graph().node(0).name(), "conv");
  EXPECT_EQ(p->proto.graph().node(0).output(0), "y");
  EXPECT_EQ(p->report.folded_bn, 1);
  EXPECT_EQ(p->report.nodes_before, 2);
  EXPECT_EQ(p->report.removed_initializers, 4);  // the BatchNormalization's parameters
}

TEST(FoldBn, GroupedConvTranspose) {
  ExpectFolds(ConvTransposeBn(true), {2, 4, 5, 5}, {"ConvTranspose"}, "into ConvTranspose 'deconv'");
  ExpectFolds(ConvTransposeBn(false), {2, 4, 5, 5}, {"ConvTranspose"}, "into ConvTranspose 'deconv'");
}

TEST(FoldBn, GemmTransB) {
  const Shape c{4};
  ExpectFolds(GemmBn(true, &c), {3, 5}, {"Gemm"}, "into Gemm 'fc'");
  ExpectFolds(GemmBn(true, nullptr), {3, 5}, {"Gemm"}, "into Gemm 'fc'");
}

TEST(FoldBn, GemmNoTransB) {
  const Shape c{4};
  ExpectFolds(GemmBn(false, &c), {3, 5}, {"Gemm"}, "into Gemm 'fc'");
  ExpectFolds(GemmBn(false, nullptr), {3, 5}, {"Gemm"}, "into Gemm 'fc'");
}

TEST(FoldBn, GemmWithBroadcastC) {
  for (const Shape& c : {Shape{}, Shape{1}, Shape{1, 4}, Shape{3, 1}, Shape{3, 4}}) {
    SCOPED_TRACE(ShapeToString(c));
    ExpectFolds(GemmBn(c.size() == 2, &c), {3, 5}, {"Gemm"}, "into Gemm 'fc'");
  }
}

// x [3,5] -> MatMul 'mm' (W [5,4]) -> BatchNormalization -> y: becomes one Gemm.
TEST(FoldBn, MatMulBecomesGemm) {
  ModelBuilder b = MatMulBn("mm", "bn", 5, 4);
  ExpectFolds(b, {3, 5}, {"Gemm"}, "folded BatchNormalization 'bn' into MatMul 'mm' (now a Gemm)");
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->proto.graph().node(0).name(), "mm");
}

// The BatchNormalization's channel axis 1 is not the MatMul's last axis on a rank-3 output,
// although the sizes match: folding along the weight's columns would be wrong.
TEST(FoldBn, MatMulRank3StaysUnfolded) {
  ModelBuilder b;
  b.Input("x", {2, 3, 5}).Output("y", {2, 3, 3});
  b.Initializer("w", RandomTensor({5, 3}, 13));
  b.Node("MatMul", "mm", {"x", "w"}, {"m"});
  AddBatchNorm(b, "bn", "m", "y", 3, 14);
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), (std::vector<std::string>{"MatMul", "BatchNormalization"}));
  EXPECT_TRUE(HasLine(p->report.notes, "BatchNormalization 'bn' not folded: its output is not known to be 2-D"));
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({2, 3, 5}, 15)}}));
}

TEST(FoldBn, ProducerOutputReadElsewhereStaysUnfolded) {
  ModelBuilder b = ConvBn(4, 6, 1, true);
  b.Node("Relu", "relu", {"c"}, {"z"}).Output("z", {-1, 6, 6, 6});
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(CountOp(p->proto, "BatchNormalization"), 1);
  EXPECT_EQ(p->report.folded_bn, 0);
  EXPECT_TRUE(HasLine(p->report.notes, "'bn' not folded: the output of 'conv' is read by more"));
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({2, 4, 6, 6}, 16)}}));
}

TEST(FoldBn, ProducerOutputIsGraphOutputStaysUnfolded) {
  ModelBuilder b = ConvBn(4, 6, 1, true);
  b.Output("c", {-1, 6, 6, 6});
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(CountOp(p->proto, "BatchNormalization"), 1);
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({2, 4, 6, 6}, 17)}}));
}

TEST(FoldBn, RuntimeParametersStayUnfolded) {
  ModelBuilder b;
  b.Input("x", {-1, 4, 6, 6}).Input("gamma", {6}).Output("y", {-1, 6, 6, 6});
  b.Initializer("w", RandomTensor({6, 4, 3, 3}, 1));
  b.Node("Conv", "conv", {"x", "w"}, {"c"}, {IntsAttr("pads", {1, 1, 1, 1})});
  b.Initializer("beta", RandomTensor({6}, 2)).Initializer("mean", RandomTensor({6}, 3));
  b.Initializer("var", RandomTensor({6}, 4, 0.5f, 1.f));
  b.Node("BatchNormalization", "bn", {"c", "gamma", "beta", "mean", "var"}, {"y"});
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), (std::vector<std::string>{"Conv", "BatchNormalization"}));
  EXPECT_TRUE(HasLine(p->report.notes, "'gamma' is not an initializer"));
  EXPECT_TRUE(
      SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({2, 4, 6, 6}, 18)}, {"gamma", RandomTensor({6}, 19)}}));
}

// Opset 9's training form: running mean/var and saved statistics as outputs.
TEST(FoldBn, TrainingFormStaysUnfolded) {
  ModelBuilder b(9);
  b.Input("x", {-1, 4, 6, 6}).Output("y", {-1, 6, 6, 6});
  b.Initializer("w", RandomTensor({6, 4, 3, 3}, 1));
  b.Node("Conv", "conv", {"x", "w"}, {"c"}, {IntsAttr("pads", {1, 1, 1, 1})});
  AddBatchNorm(b, "bn", "c", "y", 6, 3);
  auto* bn = b.proto().mutable_graph()->mutable_node(1);
  for (const char* out : {"rm", "rv", "sm", "sv"}) bn->add_output(out);
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(CountOp(p->proto, "BatchNormalization"), 1);
  EXPECT_TRUE(HasLine(p->report.notes, "'bn' not folded: it has training outputs"));
}

// Two Convs share one weight; only the first has a BatchNormalization: it gets a copy.
TEST(FoldBn, SharedWeightIsCloned) {
  ModelBuilder b;
  b.Input("x", {-1, 4, 6, 6}).Output("y", {-1, 6, 6, 6}).Output("z", {-1, 6, 6, 6});
  b.Initializer("w", RandomTensor({6, 4, 3, 3}, 1)).Initializer("b", RandomTensor({6}, 2));
  b.Node("Conv", "conv", {"x", "w", "b"}, {"c"}, {IntsAttr("pads", {1, 1, 1, 1})});
  b.Node("Conv", "conv2", {"x", "w", "b"}, {"z"}, {IntsAttr("pads", {1, 1, 1, 1})});
  AddBatchNorm(b, "bn", "c", "y", 6, 3);
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), (std::vector<std::string>{"Conv", "Conv"}));
  const auto& g = p->proto.graph();
  EXPECT_EQ(g.node(0).input(1), "w_folded");
  EXPECT_EQ(g.node(0).input(2), "b_folded");
  EXPECT_EQ(g.node(1).input(1), "w");
  EXPECT_EQ(g.node(1).input(2), "b");
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({2, 4, 6, 6}, 20)}}));
}

// Conv -> BatchNormalization -> BatchNormalization: the second folds into the folded Conv.
TEST(FoldBn, ChainOfTwoFoldsTwice) {
  ModelBuilder b = ConvBn(4, 6, 1, false);
  b.proto().mutable_graph()->mutable_node(1)->set_output(0, "y1");
  AddBatchNorm(b, "bn2", "y1", "y", 6, 21);
  auto p = Prepare(b);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), std::vector<std::string>{"Conv"});
  EXPECT_EQ(p->report.folded_bn, 2);
  EXPECT_TRUE(SameOutputs(b.proto(), p->proto, {{"x", RandomTensor({2, 4, 6, 6}, 22)}}));
}

TEST(FoldBn, NoFoldBnOptionKeepsIt) {
  PrepareOptions o;
  o.fold_bn = false;
  auto p = Prepare(ConvBn(4, 6, 1, true), o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(OpTypes(p->proto), (std::vector<std::string>{"Conv", "BatchNormalization"}));
}

}  // namespace
}  // namespace litemp::test
