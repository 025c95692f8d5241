// Bad flags, invalid quantsim config JSON and unwritable --out: one `error:` line naming
// the flag, the config key path or the folder; nothing left in --out.
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"

namespace litemp::test {
namespace {

using BadFlags = CliTest;

TEST_F(BadFlags, OutOfRangeNumbers) {
  ExpectFails(Run(model_, {"--percent", "150"}), {"--percent"});
  ExpectFails(Run(model_, {"--percent", "-1"}), {"--percent"});
  ExpectFails(Run(model_, {"--threads", "-1"}), {"--threads"});
  ExpectFails(Run(model_, {"--threads", "100000"}), {"--threads"});  // libgomp crashed on this
  EXPECT_TRUE(FailsCleanly(RunCli({"bench", model_, "--threads", "100000"}), {"--threads"}));
  ExpectFails(Run(model_, {"--crop", "100000"}), {"--crop"});  // std::bad_alloc in a parallel loop
  ExpectFails(Run(model_, {"--batch", "0"}), {"--batch"});
  ExpectFails(Run(model_, {"--calib", "0"}), {"--calib"});
  ExpectFails(Run(model_, {"--sens", "0"}), {"--sens"});
  ExpectFails(Run(model_, {"--sens", "7"}), {"--sens"});  // more than --calib 6
  ExpectFails(Run(model_, {"--eval", "-2"}), {"--eval"});
  ExpectFails(Run(model_, {"--count", "-1"}), {"--count"});
  ExpectFails(Run(model_, {"--memory-budget", "0"}), {"--memory-budget"});
  ExpectFails(Run(model_, {"--limit", "-1"}), {"--limit"});
  ExpectFails(Run(model_, {"--resize", "-4"}), {"--resize"});
  ExpectFails(Run(model_, {"--percentile", "30", "--scheme", "percentile"}), {"--percentile"});
  ExpectFails(Run(model_, {"--percent-sweep", "5,200"}), {"--percent-sweep"});
  ExpectFails(Run(model_, {"--psnr-below", "nan"}), {"--psnr-below"});
  ExpectFails(Run(model_, {"--count", "2", "--psnr-below", "20"}), {"--count", "--psnr-below"});
  ExpectFails(Run(model_, {"--calib", "12"}), {"--calib"});  // nothing left to evaluate
}

TEST_F(BadFlags, HugeMemoryBudgetMeansNoLimit) {
  EXPECT_EQ(Run(model_, {"--memory-budget", "inf"}).exit_code, 0);
  EXPECT_EQ(Run(model_, {"--memory-budget", "1e300"}).exit_code, 0);
}

// The kernel set that ran is recorded beside the results it decided, and is the one asked for:
// portable runs AVX2 kernels, native AVX-512 ones where the CPU has them.
TEST_F(BadFlags, KernelsAreRecordedInTheSummary) {
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  for (const std::string k : {"portable", "native"}) {
    ASSERT_EQ(Run(model_, {"--kernels", k}).exit_code, 0) << k;
    auto j = nlohmann::json::parse(ReadBytes(out_ + "/summary.json"));
    EXPECT_EQ(j["kernels"]["set"], k);
    const std::string isa = j["kernels"]["isa"];
    if (k == "portable" && __builtin_cpu_supports("avx2")) EXPECT_EQ(isa, "avx2");
    if (k == "native") EXPECT_EQ(isa.rfind("avx512", 0) == 0, avx512) << isa;
    std::filesystem::remove_all(out_);
  }
  // Left to the default on an AVX-512 CPU, run points at the faster kernels; chosen, it does not.
  CliResult chosen_not = Run(model_);
  ASSERT_EQ(chosen_not.exit_code, 0) << chosen_not.err;
  const bool env_chose = std::getenv("LITEMP_KERNELS") && *std::getenv("LITEMP_KERNELS");
  EXPECT_EQ(chosen_not.err.find("note: this CPU has AVX-512") != std::string::npos, avx512 && !env_chose)
      << chosen_not.err;
  std::filesystem::remove_all(out_);
  CliResult chosen = Run(model_, {"--kernels", "portable"});
  EXPECT_EQ(chosen.err.find("note: this CPU has AVX-512"), std::string::npos) << chosen.err;
  std::filesystem::remove_all(out_);
  // A model whose first oneDNN call is a Gemm (sgemm, no engine) is capped all the same.
  ModelBuilder b;
  b.Input("x", {-1, 64});
  b.Initializer("w", Tensor(DType::kFloat32, {64, 64}));
  b.Node("Gemm", "fc", {"x", "w"}, {"y"});
  b.Output("y", {-1, 64});
  const std::string gemm = Write("gemm.onnx", b.Bytes());
  for (const std::string k : {"portable", "native"}) {
    CliResult r = RunCli({"bench", gemm, "--kernels", k, "--json", "--iters", "1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["kernels"], k);
    const std::string isa = j["isa"];
    if (k == "portable" && __builtin_cpu_supports("avx2")) EXPECT_EQ(isa, "avx2");
    if (k == "native") EXPECT_EQ(isa.rfind("avx512", 0) == 0, avx512) << isa;
  }
}

TEST_F(BadFlags, NotNumbers) {
  ExpectFails(Run(model_, {"--percent", "ten"}), {"--percent"});
  ExpectFails(Run(model_, {"--threads", "two"}), {"--threads"});
  ExpectFails(Run(model_, {"--mean", "0.5,abc"}), {"--mean"});
  ExpectFails(Run(model_, {"--std", "0"}), {"--std"});
  ExpectFails(Run(model_, {"--mean", "0.1,0.2", "--std", "1,2,3"}), {"--mean", "--std"});
  for (const char* shape : {"4,4", "4,-4,1", "4,4.5,1"}) {
    std::vector<std::string> data = TinyDataFlags(data_);
    data.back() = shape;
    ExpectFails(Run(model_, {}, data), {"--raw-shape"});
  }
}

TEST_F(BadFlags, UnknownNames) {
  ExpectFails(Run(model_, {"--scheme", "median"}), {"--scheme", "median"});
  ExpectFails(Run(model_, {"--precision", "int3"}), {"--precision", "int3"});
  ExpectFails(Run(model_, {"--encodings-version", "9.9"}), {"--encodings-version", "9.9"});
  ExpectFails(Run(model_, {"--config", "no_such_config"}), {"--config", "no_such_config"});
  ExpectFails(Run(model_, {"--frobnicate"}), {"--frobnicate"});
  ExpectFails(Run(model_, {"--kernels", "fast"}), {"--kernels", "fast"});
  EXPECT_TRUE(FailsCleanly(RunCli({"bench", model_, "--kernels", "avx"}), {"--kernels", "avx"}));
  EXPECT_TRUE(FailsCleanly(RunCli({"prepare", model_, "--out", Path("p.onnx"), "--kernels", "avx"}), {"--kernels"}));
  EXPECT_FALSE(std::filesystem::exists(Path("p.onnx")));
  setenv("LITEMP_KERNELS", "fastest", 1);  // inherited by the child; named up front, not by a node
  ExpectFails(Run(model_), {"LITEMP_KERNELS", "fastest"});
  unsetenv("LITEMP_KERNELS");
  CliResult eval = RunCli({"eval", model_, "--images", data_, "--labels", data_ + "/labels.csv", "--raw-shape",
                           "4,4,1", "--quant", "w3a3"});
  EXPECT_TRUE(FailsCleanly(eval, {"--quant", "w3a3"}));
  EXPECT_TRUE(FailsCleanly(RunCli({"frobnicate"}), {"frobnicate"}));
  EXPECT_TRUE(FailsCleanly(RunCli({}), {}));
}

TEST_F(BadFlags, DataSourceCombinations) {
  // Labels are optional; a labels file without its source is not.
  ExpectFails(Run(model_, {}, {"--labels", data_ + "/labels.csv", "--raw-shape", "4,4,1"}), {"--labels", "--images"});
  ExpectFails(Run(model_, {}, {"--idx-labels", Path("l.gz")}), {"--idx-labels", "--idx-images"});
  ExpectFails(Run(model_, {}, {"--images", data_, "--labels", data_ + "/labels.csv", "--idx-images", "a"}),
              {"--idx-images"});
  ExpectFails(Run(model_, {}, {"--limit", "3"}), {"--images"});
}

// --images DIR alone lists the folder: `analyze` needs no labels.
TEST_F(BadFlags, AnalyzeWithoutLabels) {
  CliResult r = RunCli({"analyze", model_, "--images", data_, "--raw-shape", "4,4,1", "--out", out_, "--calib", "6",
                        "--sens", "3", "--batch", "4"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(BadFlags, ShapeAndChannelFlags) {
  for (const char* bad : {"0,5", "a", "3,4,5", "-4", "4,", ",4", "4.5", "1e3", "99999999"}) {
    SCOPED_TRACE(bad);
    ExpectFails(Run(model_, {"--resize", bad}), {"--resize", bad});
  }
  ExpectFails(Run(model_, {"--crop", "2,0"}), {"--crop", "2,0"});
  ExpectFails(Run(model_, {"--layout", "bogus"}), {"--layout", "bogus"});
  ExpectFails(Run(model_, {"--grayscale", "--mean", "0.1,0.2,0.3"}), {"--grayscale", "--mean"});
  ExpectFails(Run(model_, {"--grayscale", "--std", "1,2,3"}), {"--grayscale", "--std"});
  // Exact sizes change the model's input shape: the tiny model takes 4x4 only.
  ExpectFails(Run(model_, {"--resize", "4,5"}), {"5"});
  EXPECT_EQ(Run(model_, {"--resize", "8,6", "--crop", "4,4"}).exit_code, 0);
}

// Each invalid config names the file and the JSON key path at fault.
TEST_F(BadFlags, InvalidConfigJson) {
  struct Case {
    std::string json, key;
  };
  const std::vector<Case> cases = {
      {"{ not json", "is not valid JSON: parse error at line 1, column 4"},
      {"{\"defaults\": {}}\n,", "line 2"},
      {"[]", "the top level must be an object"},
      {"{}", "'defaults'"},
      {R"({"defaults": {}, "bogus": 1})", "'bogus'"},
      {R"({"defaults": {"ops": {"is_output_quantized": 3}}})", "'defaults.ops.is_output_quantized'"},
      {R"({"defaults": {"params": {"is_symmetric": "yes"}}})", "'defaults.params.is_symmetric'"},
      {R"({"defaults": {"hw_version": 75}})", "'defaults.hw_version'"},
      {R"({"defaults": {}, "params": {"weight": {"is_quantized": "maybe"}}})", "'params.weight.is_quantized'"},
      {R"({"defaults": {}, "op_type": {"Conv": {"colour": "red"}}})", "'op_type.Conv.colour'"},
      {R"({"defaults": {}, "op_type": {"Conv": {"encoding_constraints": {"min": 1, "max": 0}}}})",
       "'op_type.Conv.encoding_constraints'"},
      {R"({"defaults": {}, "supergroups": [{"op_list": ["Conv"]}]})", "'supergroups[0].op_list'"},
      {R"({"defaults": {}, "model_input": {"is_input_quantized": null}})", "'model_input.is_input_quantized'"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].json);
    std::string path = Write("config" + std::to_string(i) + ".json", cases[i].json);
    ExpectFails(Run(model_, {"--config", path}), {path, cases[i].key});
  }
  ExpectFails(Run(model_, {"--config", data_}), {data_});  // a folder, not a file
}

TEST_F(BadFlags, UnwritableOut) {
  // A regular file where the output folder (or its parent) should be.
  std::vector<std::string> base{"run", model_};
  for (const auto& s : TinyDataFlags(data_)) base.push_back(s);
  for (const auto& s : {"--calib", "6", "--sens", "3"}) base.push_back(s);
  for (const std::string& out : {model_, model_ + "/sub", std::string("/proc/litemp_out")}) {
    SCOPED_TRACE(out);
    std::vector<std::string> a = base;
    a.insert(a.end(), {"--out", out});
    EXPECT_TRUE(FailsCleanly(RunCli(a), {out}));
  }
  EXPECT_EQ(ReadBytes(model_), TinyClassifier().Bytes());  // the file in the way is untouched
  std::vector<std::string> a = base;
  a.insert(a.end(), {"--out", ""});
  EXPECT_TRUE(FailsCleanly(RunCli(a), {"--out"}));
}

}  // namespace
}  // namespace litemp::test
