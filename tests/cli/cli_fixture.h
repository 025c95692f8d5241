// Fixture for CLI tests on generated inputs: a temp folder holding a good tiny model
// (tiny.onnx), a 12-sample raw dataset (data/) and a not-yet-existing output folder.
#ifndef LITEMP_TESTS_CLI_CLI_FIXTURE_H_
#define LITEMP_TESTS_CLI_CLI_FIXTURE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "cli/tiny_inputs.h"

namespace litemp::test {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshDir("in");
    data_ = dir_ + "/data";
    std::filesystem::create_directories(data_);
    WriteTinyDataset(data_, 12);
    model_ = Path("tiny.onnx");
    WriteBytes(model_, TinyClassifier().Bytes());
    out_ = dir_ + "/out";
  }
  void TearDown() override {
    std::error_code ec;
    if (!HasFailure()) std::filesystem::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  // Writes `bytes` as `name` in the test folder and returns its path.
  std::string Write(const std::string& name, const std::string& bytes) const {
    WriteBytes(Path(name), bytes);
    return Path(name);
  }
  // litemp run MODEL <tiny data> --out OUT --calib 6 --sens 3 --batch 4 plus `extra`; a
  // flag given in `extra` replaces its default (a repeated flag is an error of its own).
  CliResult Run(const std::string& model, const std::vector<std::string>& extra = {},
                const std::vector<std::string>& data = {}) const {
    std::vector<std::string> a{"run", model};
    for (const auto& s : data.empty() ? TinyDataFlags(data_) : data) a.push_back(s);
    a.insert(a.end(), {"--out", out_});
    for (const auto& [flag, value] : {std::pair{"--calib", "6"}, {"--sens", "3"}, {"--batch", "4"}})
      if (std::find(extra.begin(), extra.end(), flag) == extra.end()) a.insert(a.end(), {flag, value});
    a.insert(a.end(), extra.begin(), extra.end());
    return RunCli(a);
  }
  // A clean failure naming `names`, with nothing left in the output folder.
  void ExpectFails(const CliResult& r, const std::vector<std::string>& names) const {
    EXPECT_TRUE(FailsCleanly(r, names));
    EXPECT_EQ(ListTree(out_), std::vector<std::string>{}) << "left in " << out_;
  }

  std::string dir_, data_, model_, out_;
};

}  // namespace litemp::test

#endif  // LITEMP_TESTS_CLI_CLI_FIXTURE_H_
