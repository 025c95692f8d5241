// Comparing two `litemp run` output folders: byte for byte, apart from what measures the
// run rather than the model (timings, resources).
#ifndef LITEMP_TESTS_CLI_SAME_OUTPUTS_H_
#define LITEMP_TESTS_CLI_SAME_OUTPUTS_H_

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"

namespace litemp::test {

inline nlohmann::json Summary(const std::string& dir) {
  nlohmann::json j = nlohmann::json::parse(ReadBytes(dir + "/summary.json"), nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << dir;
  return j;
}

// report.html without its timings section (the only part that differs between reruns).
inline std::string HtmlWithoutTimings(const std::string& path) {
  std::string html = ReadBytes(path);
  size_t begin = html.find("<section id=\"timings\">");
  size_t end = html.find("</section>", begin);
  EXPECT_NE(end, std::string::npos) << path;
  return end == std::string::npos ? html : html.erase(begin, end - begin);
}

// Every output byte for byte, except summary.json without timings_s and report.html
// without its timings section.
inline void ExpectSameOutputs(const std::string& a, const std::string& b) {
  for (const char* f : {"model.encodings", "model_qdq.onnx", "sensitivity.csv", "sensitivity.json", "predictions.csv"}) {
    std::string x = ReadBytes(a + "/" + f);
    EXPECT_FALSE(x.empty()) << f;
    EXPECT_TRUE(x == ReadBytes(b + "/" + f)) << f << " differs between reruns";
  }
  nlohmann::json sa = Summary(a), sb = Summary(b);
  ASSERT_TRUE(sa.contains("timings_s"));
  sa.erase("timings_s");
  sb.erase("timings_s");
  sa.erase("resources");  // peak RSS and page faults vary like timings
  sb.erase("resources");
  EXPECT_EQ(sa.dump(2), sb.dump(2));
  EXPECT_TRUE(HtmlWithoutTimings(a + "/report.html") == HtmlWithoutTimings(b + "/report.html"));
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_CLI_SAME_OUTPUTS_H_
