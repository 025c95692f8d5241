// `litemp bench --profile`: the time by op type covers every op of the model once, its
// shares add up, --json lists every node (and in each, the nodes fused into it), and the
// text form lists the same ops; FP32 and quantized.
#include <nlohmann/json.hpp>

#include <set>

#include "cli/cli_fixture.h"

namespace litemp::test {
namespace {

using Bench = CliTest;

TEST_F(Bench, ProfileByOpType) {
  for (const std::vector<std::string> quant : {std::vector<std::string>{}, {"--quant", "w8a8"}}) {
    std::vector<std::string> args{"bench", model_, "--iters", "2", "--batch", "3", "--profile", "--json"};
    args.insert(args.end(), quant.begin(), quant.end());
    CliResult r = RunCli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    const auto& p = j["profile"];
    EXPECT_EQ(p["runs"], 2);
    EXPECT_GT(p["ms_per_run"].get<double>(), 0);
    std::set<std::string> ops;
    double share = 0;
    for (const auto& o : p["ops"]) {
      EXPECT_TRUE(ops.insert(o["op"].get<std::string>()).second) << o;
      EXPECT_GE(o["nodes"].get<int>(), 1);
      EXPECT_LE(o["fused"].get<int>(), o["nodes"].get<int>());
      share += o["share"].get<double>();
    }
    EXPECT_TRUE(ops.count("Conv") && ops.count("Gemm")) << p;
    EXPECT_NEAR(share, 1.0, 1e-6);
    ASSERT_FALSE(p["nodes"].empty());
    EXPECT_GE(p["ops"][0]["ms"].get<double>(), p["nodes"][0]["ms"].get<double>() - 1e-9);
    // --json lists every node that ran (their times add up to the run's), slowest first, and
    // the rate of each one that computes.
    double node_ms = 0, prev = 1e300;
    int rated = 0;
    for (const auto& n : p["nodes"]) {
      const double ms = n["ms"].get<double>();
      EXPECT_LE(ms, prev);
      prev = ms;
      node_ms += ms;
      if ((n["op"] == "Conv" || n["op"] == "Gemm") && ms > 0) {
        ASSERT_TRUE(n.contains("gflops")) << n;
        EXPECT_GT(n["gflops"].get<double>(), 0) << n;
        ++rated;
      }
    }
    EXPECT_NEAR(node_ms, p["ms_per_run"].get<double>(), 1e-6 * p["ms_per_run"].get<double>());
    EXPECT_GE(rated, 2);
    // A node that ran inside another's kernel is listed in that node's row, once, and has no
    // row of its own (its time and FLOPs are the row's).
    int fused_ops = 0;
    for (const auto& o : p["ops"]) fused_ops += o["fused"].get<int>();
    std::set<std::string> rows, inside;
    for (const auto& n : p["nodes"]) rows.insert(n["name"].get<std::string>());
    for (const auto& n : p["nodes"])
      for (const auto& f : n.value("fused", nlohmann::json::array())) {
        EXPECT_TRUE(inside.insert(f.get<std::string>()).second) << f;
        EXPECT_FALSE(rows.count(f.get<std::string>())) << f;
      }
    EXPECT_GT(fused_ops, 0);
    EXPECT_EQ(static_cast<int>(inside.size()), fused_ops);

    args.erase(std::find(args.begin(), args.end(), "--json"));
    CliResult text = RunCli(args);
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("profile: "), std::string::npos) << text.out;
    for (const std::string& op : ops) EXPECT_NE(text.out.find("\n  " + op + " "), std::string::npos) << op << text.out;
  }
}

}  // namespace
}  // namespace litemp::test
