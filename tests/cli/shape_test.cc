// Models with symbolic dimensions: --shape fixes them for bench, eval, analyze and run; bad
// values end in one error line naming the input.
#include "cli/cli_fixture.h"

namespace litemp::test {
namespace {

class ShapeFlag : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ModelBuilder b = TinyClassifier();
    auto* dims = b.proto().mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
    dims->mutable_dim(2)->set_dim_param("h");
    dims->mutable_dim(3)->set_dim_param("w");
    symbolic_ = Write("symbolic.onnx", b.Bytes());
  }
  std::string symbolic_;
};

TEST_F(ShapeFlag, BenchNeedsItAndTakesIt) {
  EXPECT_TRUE(FailsCleanly(RunCli({"bench", symbolic_, "--iters", "1"}), {"'x'", "--shape"}));
  CliResult r = RunCli({"bench", symbolic_, "--iters", "1", "--batch", "2", "--shape", "x:N,1,4,4"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ShapeFlag, UnlabeledRunWithFixedShape) {
  CliResult r = Run(symbolic_, {"--shape", "x:N,1,4,4"}, {"--images", data_, "--raw-shape", "4,4,1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("mixed  vs fp32: PSNR"), std::string::npos) << r.out;
  const std::string summary = ReadBytes(out_ + "/summary.json");
  EXPECT_NE(summary.find("input 'x': [N,1,h,w] -> [N,1,4,4]"), std::string::npos) << summary;
}

TEST_F(ShapeFlag, BadValuesNameTheInput) {
  ExpectFails(Run(symbolic_, {"--shape", "nope:N,1,4,4"}), {"'nope'"});
  ExpectFails(Run(symbolic_, {"--shape", "x:N,4,4"}), {"'x'"});
  ExpectFails(Run(symbolic_, {"--shape", "x:N,1,a,4"}), {"x:N,1,a,4"});
  ExpectFails(Run(symbolic_, {"--shape", "x:N,1,8,8"}), {"'x'"});  // the data are 4x4
  EXPECT_TRUE(FailsCleanly(RunCli({"eval", symbolic_, "--images", data_, "--raw-shape", "4,4,1", "--quant", "w8a8",
                                   "--shape", "x:0,1,4,4"}),
                           {"x:0,1,4,4"}));
}

}  // namespace
}  // namespace litemp::test
