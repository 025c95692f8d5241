// Bad model files through `litemp run/info/bench`: each must end in one `error:` line that
// names the file or node, a non-zero exit (never a signal), and nothing in --out.
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "cli/cli_fixture.h"

namespace litemp::test {
namespace {

using BadModel = CliTest;

// The control: the same fixture with the good model succeeds, so the failures below come
// from the bad input alone.
TEST_F(BadModel, GoodModelRuns) {
  CliResult r = Run(model_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(ReadBytes(out_ + "/summary.json").empty());
}

TEST_F(BadModel, EmptyFile) { ExpectFails(Run(Write("empty.onnx", "")), {"empty.onnx"}); }

TEST_F(BadModel, MissingFile) { ExpectFails(Run(Path("nope.onnx")), {"nope.onnx"}); }

TEST_F(BadModel, Directory) { ExpectFails(Run(data_), {data_}); }

TEST_F(BadModel, Truncated) {
  std::string bytes = TinyClassifier().Bytes();
  // Cut at several points: some cuts still parse as a (broken) protobuf.
  for (size_t cut : {bytes.size() / 2, bytes.size() - 7, size_t{40}, size_t{3}}) {
    SCOPED_TRACE(cut);
    ExpectFails(Run(Write("cut.onnx", bytes.substr(0, cut))), {"cut.onnx"});
  }
}

TEST_F(BadModel, RandomBytes) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 4; ++trial) {
    std::string bytes(512 << trial, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    SCOPED_TRACE(trial);
    ExpectFails(Run(Write("random.onnx", bytes)), {"random.onnx"});
  }
}

TEST_F(BadModel, NotOnnx) {
  ExpectFails(Run(data_ + "/labels.csv"), {"labels.csv"});
  ExpectFails(Run(Write("png.onnx", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR")), {"png.onnx"});
}

TEST_F(BadModel, Cycle) {
  ModelBuilder b = TinyClassifier();
  b.proto().mutable_graph()->mutable_node(1)->set_input(0, "y");  // relu reads fc's output
  ExpectFails(Run(Write("cycle.onnx", b.Bytes())), {"cycle", "relu"});
}

TEST_F(BadModel, DanglingInput) {
  ModelBuilder b = TinyClassifier();
  b.proto().mutable_graph()->mutable_node(1)->set_input(0, "ghost");
  ExpectFails(Run(Write("dangling.onnx", b.Bytes())), {"relu", "ghost"});
}

TEST_F(BadModel, OutputNotProduced) {
  ModelBuilder b = TinyClassifier();
  b.Output("phantom", {-1, 3});
  ExpectFails(Run(Write("phantom.onnx", b.Bytes())), {"phantom"});
}

TEST_F(BadModel, UnknownOp) {
  ModelBuilder b = TinyClassifier();
  b.proto().mutable_graph()->mutable_node(1)->set_op_type("Frobnicate");
  std::string path = Write("unknown_op.onnx", b.Bytes());
  ExpectFails(Run(path), {"Frobnicate", "relu"});
  EXPECT_TRUE(FailsCleanly(RunCli({"bench", path, "--iters", "1"}), {"Frobnicate"}));
}

TEST_F(BadModel, UnknownDomain) {
  ModelBuilder b = TinyClassifier();
  b.proto().mutable_graph()->mutable_node(1)->set_domain("com.acme");
  ExpectFails(Run(Write("domain.onnx", b.Bytes())), {"com.acme", "relu"});
  b.Opset("com.acme", 1);
  ExpectFails(Run(Write("domain2.onnx", b.Bytes())), {"com.acme", "relu"});
}

TEST_F(BadModel, TwoInputs) {
  ModelBuilder b = TinyClassifier();
  b.Input("extra", {-1, 3});
  ExpectFails(Run(Write("two.onnx", b.Bytes())), {"extra"});
}

TEST_F(BadModel, WrongInputShapeForData) {
  // The data are 4x4x1; read as 2x8x1 they no longer fit x [N,1,4,4].
  std::vector<std::string> data = TinyDataFlags(data_);
  data.back() = "2,8,1";
  ExpectFails(Run(model_, {}, data), {"'x'", "[N,1,4,4]"});
}

TEST_F(BadModel, SymbolicShapeWithoutData) {
  ModelBuilder b = TinyClassifier();
  auto* dims = b.proto().mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  dims->mutable_dim(2)->set_dim_param("h");
  std::string path = Write("symbolic.onnx", b.Bytes());
  // bench has no data to resolve 'h' from.
  EXPECT_TRUE(FailsCleanly(RunCli({"bench", path, "--iters", "1"}), {"'x'", "symbolic"}));
  // With data the shape resolves at run time.
  EXPECT_EQ(Run(path).exit_code, 0);
}

TEST_F(BadModel, ReshapeThatCannotApply) {
  ModelBuilder b = TinyClassifier();
  auto* flat = b.proto().mutable_graph()->mutable_node(3);  // Flatten -> Reshape to [-1, 3]
  flat->set_op_type("Reshape");
  flat->add_input("shape");
  b.Initializer("shape", Tensor::FromVector<int64_t>({-1, 3}));
  ExpectFails(Run(Write("reshape.onnx", b.Bytes())), {"flat"});
}

TEST_F(BadModel, NonFiniteWeights) {
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    ModelBuilder b = TinyClassifier();
    auto* w = b.proto().mutable_graph()->mutable_initializer(0);  // conv weight "w"
    std::string raw = w->raw_data();
    std::memcpy(raw.data() + 4 * sizeof(float), &bad, sizeof(float));
    w->set_raw_data(raw);
    SCOPED_TRACE(bad);
    ExpectFails(Run(Write("nan_w.onnx", b.Bytes())), {"'w'"});
  }
}

TEST_F(BadModel, NoNodes) {
  ModelBuilder b;
  b.Input("x", {-1, 3}).Output("x", {-1, 3});
  ExpectFails(Run(Write("no_nodes.onnx", b.Bytes())), {"no_nodes.onnx"});
}

TEST_F(BadModel, WeightShapeMismatch) {
  ModelBuilder b = TinyClassifier();
  b.proto().mutable_graph()->mutable_initializer(0)->set_dims(1, 2);  // w [4,2,3,3] on 1 channel
  auto* w = b.proto().mutable_graph()->mutable_initializer(0);
  w->set_raw_data(std::string(4 * 2 * 9 * sizeof(float), '\0'));
  ExpectFails(Run(Write("w_shape.onnx", b.Bytes())), {"conv"});
  ModelBuilder g = TinyClassifier();
  g.proto().mutable_graph()->mutable_initializer(2)->set_dims(0, 5);  // fw [5,3] after 4 features
  g.proto().mutable_graph()->mutable_initializer(2)->set_raw_data(std::string(5 * 3 * sizeof(float), '\0'));
  ExpectFails(Run(Write("gemm_shape.onnx", g.Bytes())), {"fc"});
}

TEST_F(BadModel, InitializerDataSizeMismatch) {
  ModelBuilder b = TinyClassifier();
  b.proto().mutable_graph()->mutable_initializer(0)->set_raw_data(std::string(10, '\0'));
  ExpectFails(Run(Write("short_w.onnx", b.Bytes())), {"'w'"});
}

TEST_F(BadModel, ExternalDataMissingOrOutside) {
  for (const std::string& location : {std::string("missing.bin"), std::string("../escape.bin")}) {
    ModelBuilder b = TinyClassifier();
    auto* w = b.proto().mutable_graph()->mutable_initializer(0);
    w->clear_raw_data();
    w->set_data_location(onnx::TensorProto::EXTERNAL);
    auto* kv = w->add_external_data();
    kv->set_key("location");
    kv->set_value(location);
    SCOPED_TRACE(location);
    ExpectFails(Run(Write("external.onnx", b.Bytes())), {"'w'", location});
  }
}

TEST_F(BadModel, OutputIsNotClassScores) {
  ModelBuilder b = TinyClassifier();
  b.proto().mutable_graph()->mutable_output(0)->set_name("r");  // the [N,4,4,4] Relu output
  ExpectFails(Run(Write("not_scores.onnx", b.Bytes())), {"'r'", "[N, classes]"});
}

// Not a bad input: a branch that feeds no output is never computed, so it has no
// encodings; the sweep must leave it out rather than fail.
TEST_F(BadModel, DeadBranchIsNotSwept) {
  ModelBuilder b = TinyClassifier();
  b.Node("Sigmoid", "dead", {"c"}, {"unused"});
  CliResult r = Run(Write("dead.onnx", b.Bytes()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadBytes(out_ + "/sensitivity.csv").find("dead"), std::string::npos);
}

TEST_F(BadModel, InputRankOrTypeDoesNotFit) {
  ModelBuilder flat = TinyClassifier();
  auto* dims = flat.proto().mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  dims->mutable_dim()->RemoveLast();
  dims->mutable_dim()->RemoveLast();
  dims->mutable_dim(1)->set_dim_value(16);  // x [N,16] but the images are [N,1,4,4]
  ExpectFails(Run(Write("flat_input.onnx", flat.Bytes())), {"'x'"});
  ModelBuilder ints = TinyClassifier();
  ints.proto().mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->set_elem_type(
      onnx::TensorProto::INT64);
  ExpectFails(Run(Write("int_input.onnx", ints.Bytes())), {"'x'"});
}

TEST_F(BadModel, InfoAndAnalyzeNameTheFileToo) {
  std::string cut = Write("cut.onnx", TinyClassifier().Bytes().substr(0, 50));
  EXPECT_TRUE(FailsCleanly(RunCli({"info", cut}), {"cut.onnx"}));
  std::vector<std::string> a{"analyze", cut, "--out", out_};
  for (const auto& f : TinyDataFlags(data_)) a.push_back(f);
  ExpectFails(RunCli(a), {"cut.onnx"});
}

// Not a bad input: a model with a fixed batch of 5 runs on 12 samples with --batch 4
// (batches are split and padded to the model's batch).
TEST_F(BadModel, FixedBatchModelRuns) {
  ModelBuilder b = TinyClassifier();
  b.proto().mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)
      ->set_dim_value(5);
  CliResult r = Run(Write("fixed.onnx", b.Bytes()));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Nonsense attributes on the Conv: each must be refused naming the node, not divide by zero.
TEST_F(BadModel, BadConvAttributes) {
  struct Case {
    const char* name;
    std::vector<int64_t> value;
  };
  for (const Case& c : std::vector<Case>{{"group", {0}},
                                         {"group", {3}},
                                         {"strides", {0, 0}},
                                         {"strides", {1}},
                                         {"dilations", {0, 1}},
                                         {"kernel_shape", {5, 5}},
                                         {"pads", {-9, -9, -9, -9}}}) {
    ModelBuilder b = TinyClassifier();
    auto* a = b.proto().mutable_graph()->mutable_node(0)->add_attribute();
    a->set_name(c.name);
    if (std::string(c.name) == "group") {
      a->set_type(onnx::AttributeProto::INT);
      a->set_i(c.value[0]);
    } else {
      a->set_type(onnx::AttributeProto::INTS);
      for (int64_t v : c.value) a->add_ints(v);
      if (std::string(c.name) == "pads") b.proto().mutable_graph()->mutable_node(0)->mutable_attribute()->DeleteSubrange(0, 1);
    }
    SCOPED_TRACE(c.name);
    ExpectFails(Run(Write("conv_attr.onnx", b.Bytes())), {"conv"});
  }
}

}  // namespace
}  // namespace litemp::test
