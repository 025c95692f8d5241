// Determinism of `litemp run`: the same command gives byte-identical outputs (summary.json
// apart from timings_s), and 1 vs 2 threads agree within the tolerances documented in
// docs/formats/reports.md ("Deterministic").
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>

#include "cli/cli_runner.h"
#include "cli/same_outputs.h"
#include "cli/shared_runs.h"

namespace litemp::test {
namespace {

using Json = nlohmann::json;

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

class Determinism : public ::testing::Test {
 protected:
  void SetUp() override {
    if (SharedDir().empty()) GTEST_SKIP() << "shared/ not found; set LITEMP_SHARED";
    dir_ = FreshDir("runs");
  }
  void TearDown() override {
    std::error_code ec;
    if (!HasFailure() && !dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  void RunOk(const std::vector<std::string>& args) {
    CliResult r = RunCli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string dir_;
};

TEST_F(Determinism, MnistRerunIsByteIdentical) {
  RunOk(MnistRun(dir_ + "/a"));
  RunOk(MnistRun(dir_ + "/b"));
  ExpectSameOutputs(dir_ + "/a", dir_ + "/b");
}

TEST_F(Determinism, Resnet8RerunIsByteIdentical) {
  RunOk(Resnet8Run(dir_ + "/a"));
  RunOk(Resnet8Run(dir_ + "/b"));
  ExpectSameOutputs(dir_ + "/a", dir_ + "/b");
}

// Thread counts change float summation order in a few kernels, so results may differ in
// the last bits: PSNRs within 0.01 dB, the same layers flipped, accuracies within one
// sample, encodings within 1e-4 relative (docs/formats/reports.md).
void ExpectThreadsAgree(const std::string& a, const std::string& b) {
  Json sa = Summary(a), sb = Summary(b);
  EXPECT_EQ(sa["flipped"], sb["flipped"]);
  EXPECT_EQ(sa["layers"], sb["layers"]);
  std::map<std::string, double> pa;
  for (const auto& e : sa["sensitivity"]) pa[e["layer"]] = e["psnr"].is_number() ? e["psnr"].get<double>() : NAN;
  ASSERT_EQ(sb["sensitivity"].size(), pa.size());
  for (const auto& e : sb["sensitivity"]) {
    const std::string name = e["layer"];
    ASSERT_TRUE(pa.count(name)) << name;
    // null is a non-finite PSNR: both sides must be null then.
    if (!e["psnr"].is_number() || std::isnan(pa[name])) {
      EXPECT_EQ(e["psnr"].is_number(), !std::isnan(pa[name])) << name;
      continue;
    }
    EXPECT_NEAR(pa[name], e["psnr"].get<double>(), 0.01) << name;
  }
  for (const char* acc : {"fp32", "w8a8", "mixed"}) {
    const double n = sa[acc]["samples"].get<double>();
    EXPECT_EQ(sa[acc]["samples"], sb[acc]["samples"]);
    EXPECT_NEAR(sa[acc]["top1"].get<double>(), sb[acc]["top1"].get<double>(), 1.0 / n + 1e-12) << acc;
  }
  Json ea = Json::parse(ReadBytes(a + "/model.encodings")), eb = Json::parse(ReadBytes(b + "/model.encodings"));
  ASSERT_EQ(ea.size(), eb.size());
  // Walk both trees in parallel: same keys and structure, numbers within tolerance.
  std::function<void(const Json&, const Json&, const std::string&)> walk = [&](const Json& x, const Json& y,
                                                                               const std::string& path) {
    ASSERT_EQ(x.type(), y.type()) << path;
    if (x.is_number_float()) {
      const double u = x.get<double>(), v = y.get<double>();
      EXPECT_LE(std::fabs(u - v), 1e-4 * std::max({1e-6, std::fabs(u), std::fabs(v)})) << path;
    } else if (x.is_object()) {
      ASSERT_EQ(x.size(), y.size()) << path;
      for (auto it = x.begin(); it != x.end(); ++it) {
        ASSERT_TRUE(y.contains(it.key())) << path << "." << it.key();
        walk(it.value(), y[it.key()], path + "." + it.key());
      }
    } else if (x.is_array()) {
      ASSERT_EQ(x.size(), y.size()) << path;
      for (size_t i = 0; i < x.size(); ++i) walk(x[i], y[i], path + "[" + std::to_string(i) + "]");
    } else if (x.is_number_integer() && path.find("offset") != std::string::npos) {
      EXPECT_LE(std::abs(x.get<int64_t>() - y.get<int64_t>()), 1) << path;
    } else {
      EXPECT_EQ(x, y) << path;
    }
  };
  walk(ea, eb, "encodings");
}

TEST_F(Determinism, MnistOneAndTwoThreadsAgree) {
  RunOk(With(MnistRun(dir_ + "/t1"), {"--threads", "1"}));
  RunOk(With(MnistRun(dir_ + "/t2"), {"--threads", "2"}));
  ExpectThreadsAgree(dir_ + "/t1", dir_ + "/t2");
}

TEST_F(Determinism, Resnet8OneAndTwoThreadsAgree) {
  RunOk(With(Resnet8Run(dir_ + "/t1"), {"--threads", "1"}));
  RunOk(With(Resnet8Run(dir_ + "/t2"), {"--threads", "2"}));
  ExpectThreadsAgree(dir_ + "/t1", dir_ + "/t2");
}

}  // namespace
}  // namespace litemp::test
