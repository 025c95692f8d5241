// `--shape name:dims` (src/prepare/input_shapes.cc): parsing, fixing input dims before shape
// inference so static shapes reach downstream values, and errors naming the input.
#include "prepare/prepare_helpers.h"

namespace litemp::test {
namespace {

constexpr int64_t N = InputShape::kKeep;

TEST(ParseInputShape, NamesAndDims) {
  auto s = ParseInputShape("x:1,3,224,224");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "x");
  EXPECT_EQ(s->dims, (std::vector<int64_t>{1, 3, 224, 224}));
  // TensorFlow-style names hold a ':'; the dims follow the last one.
  s = ParseInputShape("input:0:N,3,48,64");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "input:0");
  EXPECT_EQ(s->dims, (std::vector<int64_t>{N, 3, 48, 64}));
}

TEST(ParseInputShape, BadText) {
  for (const char* text : {"x", "x:", ":1,2", "x:1,,2", "x:1,2,", "x:0,3", "x:-1", "x:a", "x: 1", "x:+1", "x:1.5",
                           "x:n", "x:99999999999"}) {
    auto s = ParseInputShape(text);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(s.status().message().find("--shape"), std::string::npos) << s.status().message();
    EXPECT_NE(s.status().message().find(std::string("'") + text + "'"), std::string::npos) << s.status().message();
  }
}

// x [N,3,H,W] -> Conv 'conv' (4 filters 3x3, pad 1) -> Relu -> y.
ModelBuilder SymbolicConv() {
  ModelBuilder b;
  b.Input("x", {-1, 3, -1, -1}).Output("y", {-1, 4, -1, -1});
  b.Initializer("w", RandomTensor({4, 3, 3, 3}, 1));
  b.Node("Conv", "conv", {"x", "w"}, {"c"}, {IntsAttr("pads", {1, 1, 1, 1})});
  b.Node("Relu", "relu", {"c"}, {"y"});
  return b;
}

PrepareOptions WithShape(const std::string& text) {
  PrepareOptions o;
  auto s = ParseInputShape(text);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (s.ok()) o.shapes.push_back(s.value());
  return o;
}

TEST(InputShapes, StaticShapesPropagate) {
  auto p = Prepare(SymbolicConv(), WithShape("x:N,3,48,64"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_FALSE(p->report.actions.empty());
  EXPECT_EQ(p->report.actions[0], "input 'x': [N,3,d2,d3] -> [N,3,48,64]");
  const auto& dims = p->proto.graph().input(0).type().tensor_type().shape().dim();
  EXPECT_EQ(dims[0].dim_param(), "N");
  EXPECT_EQ(dims[2].dim_value(), 48);
  EXPECT_EQ(dims[3].dim_value(), 64);
  std::string bytes;
  p->proto.SerializeToString(&bytes);
  auto m = Model::FromBytes(bytes, ".");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Graph& g = m.value()->graph();
  EXPECT_EQ(g.values[g.FindValue("c")].shape, (Shape{-1, 4, 48, 64}));
  EXPECT_EQ(g.values[g.FindValue("y")].shape, (Shape{-1, 4, 48, 64}));
  auto out = RunLitemp(p->proto, {{"x", RandomTensor({2, 3, 48, 64}, 2)}});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out.value()[0].shape(), (Shape{2, 4, 48, 64}));
}

// A fixed dim may change too: the declared output shape, now stale, is re-inferred.
TEST(InputShapes, FixedDimsChange) {
  ModelBuilder b;
  b.Input("x", {1, 3, 8, 8}).Output("y", {1, 4, 8, 8});
  b.Initializer("w", RandomTensor({4, 3, 3, 3}, 1));
  b.Node("Conv", "conv", {"x", "w"}, {"y"}, {IntsAttr("pads", {1, 1, 1, 1})});
  auto p = Prepare(b, WithShape("x:2,3,16,16"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const auto& y = p->proto.graph().output(0).type().tensor_type().shape();
  ASSERT_EQ(y.dim_size(), 4);
  EXPECT_EQ(y.dim(0).dim_value(), 2);
  EXPECT_EQ(y.dim(3).dim_value(), 16);
  auto out = RunLitemp(p->proto, {{"x", RandomTensor({2, 3, 16, 16}, 2)}});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
}

void ExpectShapeError(const std::string& text, const std::vector<std::string>& parts) {
  SCOPED_TRACE(text);
  auto p = Prepare(SymbolicConv(), WithShape(text));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Status::Code::kInvalidArgument);
  for (const auto& part : parts) EXPECT_NE(p.status().message().find(part), std::string::npos) << p.status().message();
}

TEST(InputShapes, Errors) {
  ExpectShapeError("nope:1,3,8,8", {"no input 'nope'", "'x' [N,3,d2,d3]"});
  ExpectShapeError("w:4,3,3,3", {"no input 'w'"});  // an initializer is not an input
  ExpectShapeError("x:1,3,8", {"input 'x'", "[N,3,d2,d3]", "4 dims", "3 given"});
  ExpectShapeError("x:1,3,8,8,1", {"input 'x'", "[N,3,d2,d3]", "5 given"});
}

TEST(InputShapes, RepeatedInput) {
  PrepareOptions o = WithShape("x:1,3,8,8");
  o.shapes.push_back(o.shapes[0]);
  auto p = Prepare(SymbolicConv(), o);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("input 'x' is given twice"), std::string::npos) << p.status().message();
}

}  // namespace
}  // namespace litemp::test
