// `litemp prepare MODEL --out FILE`: writes a loadable prepared model and says what it did;
// bad models, bad --shape values and an unwritable --out end in one `error:` line, a
// non-zero exit and no output file.
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "litemp/model.h"
#include "prepare/prepare_helpers.h"

namespace litemp::test {
namespace {

class PrepareCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    bn_model_ = Write("bn.onnx", ConvBn(4, 6, 1, true).Bytes());
    prepared_ = Path("prepared.onnx");
  }
  // Expects a clean failure naming `names` and no prepared file (nor a temp file) beside it.
  void ExpectFailsWithoutOutput(const CliResult& r, const std::vector<std::string>& names) {
    EXPECT_TRUE(FailsCleanly(r, names));
    for (const auto& f : ListTree(dir_)) EXPECT_EQ(f.find("prepared"), std::string::npos) << "left " << f;
  }
  std::string bn_model_, prepared_;
};

TEST_F(PrepareCli, FoldsAndWritesALoadableModel) {
  CliResult r = RunCli({"prepare", bn_model_, "--out", prepared_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("folded BatchNormalization 'bn' into Conv 'conv'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nodes: 2 -> 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wrote " + prepared_), std::string::npos) << r.out;
  auto m = Model::Load(prepared_);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m.value()->graph().nodes.size(), 1u);
  EXPECT_EQ(m.value()->graph().nodes[0].op_type, "Conv");
  EXPECT_TRUE(SameOutputs(ConvBn(4, 6, 1, true).proto(), m.value()->proto(), {{"x", RandomTensor({1, 4, 6, 6}, 1)}}));
}

TEST_F(PrepareCli, JsonAndOptions) {
  CliResult r = RunCli({"prepare", bn_model_, "--out", prepared_, "--json", "--no-fold-bn", "--shape", "x:1,4,6,6"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["folded_bn"], 0);
  EXPECT_EQ(j["nodes_after"], 2);
  ASSERT_EQ(j["actions"].size(), 1u);
  EXPECT_EQ(j["actions"][0], "input 'x': [N,4,6,6] -> [1,4,6,6]");
  auto m = Model::Load(prepared_);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Graph& g = m.value()->graph();
  EXPECT_EQ(g.values[g.inputs[0]].shape, (Shape{1, 4, 6, 6}));
  EXPECT_EQ(g.nodes.size(), 2u);
}

TEST_F(PrepareCli, RepeatedShapeFlagsTakeOneValueEach) {
  CliResult r = RunCli({"prepare", "--shape", "x:N,4,6,6", bn_model_, "--out", prepared_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(PrepareCli, BadModels) {
  ExpectFailsWithoutOutput(RunCli({"prepare", Path("nope.onnx"), "--out", prepared_}), {"nope.onnx"});
  ExpectFailsWithoutOutput(RunCli({"prepare", Write("junk.onnx", "junk"), "--out", prepared_}), {"junk.onnx"});
  ExpectFailsWithoutOutput(RunCli({"prepare", data_, "--out", prepared_}), {data_});
  ModelBuilder b = TinyClassifier();
  b.proto().mutable_graph()->mutable_node(1)->set_input(0, "ghost");
  ExpectFailsWithoutOutput(RunCli({"prepare", Write("dangling.onnx", b.Bytes()), "--out", prepared_}),
                           {"relu", "ghost"});
}

TEST_F(PrepareCli, BadShapes) {
  for (const char* bad : {"x", "x:1,a,6,6", "x:0,4,6,6"})
    ExpectFailsWithoutOutput(RunCli({"prepare", bn_model_, "--out", prepared_, "--shape", bad}), {"--shape", bad});
  ExpectFailsWithoutOutput(RunCli({"prepare", bn_model_, "--out", prepared_, "--shape", "img:1,4,6,6"}),
                           {"--shape", "no input 'img'", "'x' [N,4,6,6]"});
  ExpectFailsWithoutOutput(RunCli({"prepare", bn_model_, "--out", prepared_, "--shape", "x:1,4,6"}),
                           {"--shape", "input 'x'", "[N,4,6,6]", "3 given"});
}

TEST_F(PrepareCli, UnwritableOut) {
  ExpectFailsWithoutOutput(RunCli({"prepare", bn_model_, "--out", Path("no/such/dir/prepared.onnx")}),
                           {"no/such/dir/prepared.onnx"});
  std::filesystem::create_directories(Path("prepared_dir"));
  CliResult r = RunCli({"prepare", bn_model_, "--out", Path("prepared_dir")});
  EXPECT_TRUE(FailsCleanly(r, {"prepared_dir"}));
  EXPECT_EQ(ListTree(Path("prepared_dir")), std::vector<std::string>{});
  for (const auto& f : ListTree(dir_)) EXPECT_EQ(f.find(".tmp"), std::string::npos) << "left " << f;
}

TEST_F(PrepareCli, MissingOut) { EXPECT_TRUE(FailsCleanly(RunCli({"prepare", bn_model_}), {"--out"})); }

}  // namespace
}  // namespace litemp::test
