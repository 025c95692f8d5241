// The CLI without labels: run and eval judge a simulation by its fidelity to FP32, and the
// flags that go with it (--output) fail cleanly on bad values.
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "litemp/fileio.h"

namespace litemp::test {
namespace {

class Unlabeled : public CliTest {
 protected:
  std::vector<std::string> NoLabels() const { return {"--images", data_, "--raw-shape", "4,4,1"}; }
};

TEST_F(Unlabeled, RunReportsFidelityInsteadOfAccuracy) {
  CliResult r = Run(model_, {}, NoLabels());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("w8a8   vs fp32: PSNR"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("top-5"), std::string::npos) << r.out;  // no accuracy lines
  auto text = ReadFile(out_ + "/summary.json");
  ASSERT_TRUE(text.ok());
  auto j = nlohmann::json::parse(text.value());
  EXPECT_FALSE(j.contains("fp32"));
  ASSERT_TRUE(j.contains("fidelity"));
  EXPECT_EQ(j["fidelity"]["mixed"]["samples"], 6);  // 12 samples, 6 calibrate
  EXPECT_TRUE(j["fidelity"]["w8a8"].contains("top1_agreement"));  // y is [N,3] scores
  auto csv = ReadFile(out_ + "/predictions.csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find(".bin,,"), std::string::npos) << *csv;  // an empty label field
}

TEST_F(Unlabeled, LabelledRunAlsoHasFidelity) {
  CliResult r = Run(model_, {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j.contains("fp32"));
  EXPECT_TRUE(j["fidelity"].contains("w8a8"));
}

TEST_F(Unlabeled, EvalNeedsASimulationToCompare) {
  CliResult r = RunCli({"eval", model_, "--images", data_, "--raw-shape", "4,4,1"});
  EXPECT_TRUE(FailsCleanly(r, {"--quant"}));
  r = RunCli({"eval", model_, "--images", data_, "--raw-shape", "4,4,1", "--quant", "w8a8", "--calib", "4", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j.contains("top1"));
  EXPECT_EQ(j["samples"], 8);
  EXPECT_TRUE(j["fidelity"]["psnr"].is_number());
}

TEST_F(Unlabeled, UnknownOutputIsNamed) {
  ExpectFails(Run(model_, {"--output", "nope"}, NoLabels()), {"'nope'", "'y'"});
  EXPECT_TRUE(FailsCleanly(RunCli({"eval", model_, "--images", data_, "--raw-shape", "4,4,1", "--quant", "w8a8",
                                   "--calib", "4", "--output", "nope"}),
                           {"'nope'"}));
  CliResult ok = Run(model_, {"--output", "y"}, NoLabels());
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

}  // namespace
}  // namespace litemp::test
