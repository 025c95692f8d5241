// NaN/Inf in the simulated output is not an error: the layer scores PSNR -100 (the floor,
// docs/formats/reports.md) and ranks as the most sensitive.
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"

namespace litemp::test {
namespace {

using PsnrNan = CliTest;

TEST_F(PsnrNan, NonFiniteSimulatedOutputScoresMinus100) {
  // 8-bit "square" rounds the dark pixel's square to 0, and log(0) = -inf downstream.
  std::string path = Write("log.onnx", TinyClassifier(/*log_layer=*/true).Bytes());
  CliResult r = Run(path, {"--count", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(ReadBytes(out_ + "/summary.json"));
  ASSERT_FALSE(j["sensitivity"].empty());
  EXPECT_EQ(j["sensitivity"][0]["layer"], "square");
  EXPECT_EQ(j["sensitivity"][0]["psnr"], -100.0);
  EXPECT_EQ(j["flipped"], nlohmann::json::array({"square"}));
  // The other layers keep finite, higher scores.
  for (size_t i = 1; i < j["sensitivity"].size(); ++i) EXPECT_GT(j["sensitivity"][i]["psnr"].get<double>(), -100.0);
}

}  // namespace
}  // namespace litemp::test
