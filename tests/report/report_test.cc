#include "litemp/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "litemp/fileio.h"
#include "report/html_parts.h"
#include "report/report_util.h"
#include "report/sample_report.h"

namespace litemp {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using testing::RealisticReport;
using testing::TinyReport;

const std::string kOddName = "blk/a<b&c\"d',e;f";

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
  return n;
}

std::vector<std::string> Keys(const Json& j) {
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  return keys;
}

// Checks that every start tag has its end tag (void elements and <!...> aside) and that no
// text contains a raw '<'. Returns "" when balanced, else what went wrong.
std::string TagBalance(const std::string& html) {
  static const std::vector<std::string> kVoid = {"meta", "br", "hr", "img", "input", "link", "wbr"};
  std::vector<std::string> stack;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    size_t end = html.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    std::string tag = html.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty()) return "empty tag";
    if (tag[0] == '!') continue;
    bool closing = tag[0] == '/';
    size_t start = closing ? 1 : 0, stop = start;
    while (stop < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[stop])) || tag[stop] == '-')) ++stop;
    std::string name = tag.substr(start, stop - start);
    if (name.empty()) return "bad tag <" + tag + ">";
    if (closing) {
      if (stack.empty() || stack.back() != name) {
        return "</" + name + "> closes <" + (stack.empty() ? std::string("nothing") : stack.back()) + ">";
      }
      stack.pop_back();
    } else if (tag.back() != '/' && std::find(kVoid.begin(), kVoid.end(), name) == kVoid.end()) {
      stack.push_back(name);
    }
  }
  return stack.empty() ? "" : "<" + stack.back() + "> never closed";
}

// ---- summary.json ----

TEST(SummaryJson, HasSpecKeysInFixedOrderAndValues) {
  RunReport r = TinyReport();
  Json j = Json::parse(SummaryJson(r));
  EXPECT_EQ(Keys(j), (std::vector<std::string>{"command", "model", "precision", "scheme", "config", "percent", "fp32",
                                                "w8a8", "mixed", "layers", "flipped", "sensitivity", "timings_s",
                                                "samples"}));
  EXPECT_EQ(j["command"], "run");
  EXPECT_EQ(j["precision"], "int16");
  EXPECT_DOUBLE_EQ(j["percent"].get<double>(), 34);
  EXPECT_EQ(Keys(j["fp32"]), (std::vector<std::string>{"top1", "top5", "samples"}));
  EXPECT_DOUBLE_EQ(j["fp32"]["top1"].get<double>(), 0.6885);
  EXPECT_DOUBLE_EQ(j["w8a8"]["top1"].get<double>(), 0.6836);
  EXPECT_DOUBLE_EQ(j["mixed"]["top5"].get<double>(), 0.8799);
  EXPECT_EQ(j["mixed"]["samples"], 1024);
  EXPECT_EQ(j["layers"], 3);
  EXPECT_EQ(j["flipped"], Json::array({kOddName}));
  // Ranked by ascending PSNR even though the report lists layers in graph order; 4 decimals.
  ASSERT_EQ(j["sensitivity"].size(), 3u);
  EXPECT_EQ(Keys(j["sensitivity"][0]), (std::vector<std::string>{"layer", "op_type", "psnr"}));
  EXPECT_EQ(j["sensitivity"][0]["layer"], kOddName);
  EXPECT_DOUBLE_EQ(j["sensitivity"][0]["psnr"].get<double>(), 12.3457);
  EXPECT_EQ(j["sensitivity"][1]["layer"], "fc");
  EXPECT_EQ(j["sensitivity"][1]["op_type"], "Gemm");
  EXPECT_DOUBLE_EQ(j["sensitivity"][1]["psnr"].get<double>(), 25.1234);
  EXPECT_EQ(j["sensitivity"][2]["layer"], "conv1");
  EXPECT_DOUBLE_EQ(j["sensitivity"][2]["psnr"].get<double>(), 31.1235);
  // Timings: workflow order, total last, 3 decimals.
  EXPECT_EQ(Keys(j["timings_s"]), (std::vector<std::string>{"calibrate", "sensitivity", "recalibrate", "fp32_eval",
                                                             "mixed_eval", "total"}));
  EXPECT_DOUBLE_EQ(j["timings_s"]["fp32_eval"].get<double>(), 1.234);
  EXPECT_DOUBLE_EQ(j["timings_s"]["total"].get<double>(), 12.346);
  EXPECT_EQ(Keys(j["samples"]), (std::vector<std::string>{"calib", "sens", "eval"}));
  EXPECT_EQ(j["samples"]["eval"], 1024);
}

TEST(SummaryJson, AnalyzeGoldenText) {
  RunReport r;
  r.command = "analyze";
  r.model = "m.onnx";
  r.scheme = "min_max";
  r.layers = 1;
  r.sensitivity = {{"x", "Conv", 20.5, false, "w8a8", std::nullopt}};
  r.timings_s = {{"sensitivity", 0.12345}};
  r.samples = {{"sens", 4}, {"calib", 8}};
  EXPECT_EQ(SummaryJson(r), R"({
  "command": "analyze",
  "model": "m.onnx",
  "scheme": "min_max",
  "layers": 1,
  "flipped": [],
  "sensitivity": [
    {
      "layer": "x",
      "op_type": "Conv",
      "psnr": 20.5
    }
  ],
  "timings_s": {
    "sensitivity": 0.123
  },
  "samples": {
    "calib": 8,
    "sens": 4
  }
}
)");
}

TEST(SummaryJson, PercentCurveAndNonFinitePsnr) {
  RunReport r = RealisticReport();
  Json j = Json::parse(SummaryJson(r));
  ASSERT_TRUE(j.contains("percent_curve"));
  EXPECT_EQ(Keys(j).back(), "samples");
  EXPECT_EQ(j["percent_curve"].size(), r.percent_curve.size());
  EXPECT_EQ(Keys(j["percent_curve"][0]), (std::vector<std::string>{"percent", "flipped", "top1"}));
  EXPECT_DOUBLE_EQ(j["percent_curve"][4]["percent"].get<double>(), 10);
  EXPECT_EQ(j["percent_curve"][4]["flipped"], 10);  // ceil(97 * 10%)
  // The Softmax layer's +inf PSNR sorts last and is written as null (JSON has no inf).
  EXPECT_TRUE(j["sensitivity"].back()["psnr"].is_null());
  EXPECT_EQ(j["sensitivity"].back()["op_type"], "Softmax");
  EXPECT_EQ(j["flipped"].size(), 10u);
  EXPECT_EQ(j["sensitivity"].size(), 97u);
  EXPECT_EQ(j["layers"], 97);
  for (size_t i = 1; i + 1 < j["sensitivity"].size(); ++i) {
    EXPECT_LE(j["sensitivity"][i - 1]["psnr"].get<double>(), j["sensitivity"][i]["psnr"].get<double>());
  }
}

TEST(SummaryJson, InvalidUtf8IsReplacedNotThrown) {
  RunReport r = TinyReport();
  r.sensitivity[0].name = "bad\xFF\xFEname";
  Json j = Json::parse(SummaryJson(r));
  EXPECT_EQ(j["sensitivity"][2]["layer"], "bad\xEF\xBF\xBD\xEF\xBF\xBDname");
}

TEST(SensitivityJson, RankedListWithAllFields) {
  Json j = Json::parse(report::SensitivityJson(TinyReport()));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(Keys(j[0]), (std::vector<std::string>{"rank", "layer", "op_type", "psnr", "flipped", "precision",
                                                   "output_range", "w8a8_mse"}));
  EXPECT_DOUBLE_EQ(j[0]["w8a8_mse"].get<double>(), 0.00231);
  EXPECT_FALSE(j[1].contains("w8a8_mse"));
  EXPECT_EQ(j[0]["rank"], 1);
  EXPECT_EQ(j[0]["flipped"], true);
  EXPECT_EQ(j[0]["precision"], "w16a16");
  EXPECT_EQ(j[0]["output_range"], Json::array({0.0, 6.0}));
  EXPECT_FALSE(j[1].contains("output_range"));  // fc has none
  EXPECT_EQ(j[2]["output_range"], Json::array({-1.5, 6.0}));
}

// ---- CSV ----

TEST(SensitivityCsv, ExactTextWithQuoting) {
  EXPECT_EQ(SensitivityCsv(TinyReport()),
            "rank,layer,op_type,psnr_db,flipped,precision,w8a8_mse\n"
            "1,\"blk/a<b&c\"\"d',e;f\",Conv,12.3457,1,w16a16,0.00231\n"
            "2,fc,Gemm,25.1234,0,w8a8,\n"
            "3,conv1,Conv,31.1235,0,w8a8,\n");
}

TEST(SensitivityCsv, NonFinitePsnr) {
  RunReport r;
  r.sensitivity = {{"a", "Conv", NAN, false, "w8a8", {}}, {"b", "Softmax", INFINITY, false, "fp32", {}},
                   {"c", "Conv", -3.25, false, "w8a8", {}}};
  EXPECT_EQ(SensitivityCsv(r),
            "rank,layer,op_type,psnr_db,flipped,precision,w8a8_mse\n"
            "1,c,Conv,-3.2500,0,w8a8,\n"
            "2,b,Softmax,inf,0,fp32,\n"
            "3,a,Conv,nan,0,w8a8,\n");
}

TEST(PredictionsCsv, EmptyFieldForNotEvaluated) {
  EXPECT_EQ(PredictionsCsv(TinyReport()),
            "file,label,fp32,w8a8,mixed\n"
            "img0.jpg,5,5,5,5\n"
            "\"with,comma \"\"q\"\".jpg\",7,7,3,\n");
}

// ---- helpers ----

TEST(ReportUtil, CsvField) {
  EXPECT_EQ(report::CsvField("plain/name_1"), "plain/name_1");
  EXPECT_EQ(report::CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(report::CsvField("a;b"), "\"a;b\"");
  EXPECT_EQ(report::CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(report::CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(report::CsvField(" pad"), "\" pad\"");
  EXPECT_EQ(report::CsvField(""), "");
}

TEST(ReportUtil, HtmlEscape) {
  EXPECT_EQ(report::HtmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(report::HtmlEscape("x\x01y"), "x&#xFFFD;y");
}

TEST(ReportUtil, NumberFormatting) {
  EXPECT_EQ(report::Fixed(12.34567, 4), "12.3457");
  EXPECT_EQ(report::Fixed(-0.00001, 2), "0.00");
  EXPECT_EQ(report::Fixed(2, 3), "2.000");
  EXPECT_EQ(report::Fixed(INFINITY, 2), "inf");
  EXPECT_EQ(report::Fixed(-INFINITY, 2), "-inf");
  EXPECT_EQ(report::Fixed(NAN, 2), "nan");
  EXPECT_EQ(report::Short(6.0, 5), "6");
  EXPECT_EQ(report::Short(-0.0234567, 3), "-0.0235");
  EXPECT_DOUBLE_EQ(report::RoundTo(1.23449, 3), 1.234);
  EXPECT_TRUE(std::isinf(report::RoundTo(INFINITY, 3)));
}

TEST(ReportUtil, ValidUtf8) {
  EXPECT_EQ(report::ValidUtf8("caf\xC3\xA9 \xE2\x80\xA6"), "caf\xC3\xA9 \xE2\x80\xA6");
  EXPECT_EQ(report::ValidUtf8("a\xC3"), "a\xEF\xBF\xBD");                // truncated sequence
  EXPECT_EQ(report::ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(report::ValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST(ReportUtil, ShortName) {
  EXPECT_EQ(report::ShortName("conv1", 10), "conv1");
  // TF names: keep the part before ';' and show the cut.
  EXPECT_EQ(report::ShortName("A/b/Conv2D;StatefulPartitionedCall/A/b/Conv2D", 40), "A/b/Conv2D\xE2\x80\xA6");
  // Too long: head + … + tail, exactly max_chars code points.
  std::string s = report::ShortName("abcdefghijklmnopqrstuvwxyz", 10);
  EXPECT_EQ(s, "abcdef\xE2\x80\xA6xyz");
  // Never splits a multi-byte character.
  std::string u = report::ShortName("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 5);
  EXPECT_EQ(report::ValidUtf8(u), u);
  EXPECT_EQ(u, "\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\xA6\xC3\xA9");
}

TEST(ReportUtil, RankedOrderIsStableWithNanLast) {
  RunReport r;
  r.sensitivity = {{"a", "", 5, false, "", {}},   {"b", "", NAN, false, "", {}}, {"c", "", 1, false, "", {}},
                   {"d", "", 5, false, "", {}},   {"e", "", INFINITY, false, "", {}}};
  EXPECT_EQ(report::RankedOrder(r), (std::vector<int>{2, 0, 3, 4, 1}));
}

// ---- report.html ----

TEST(ReportHtml, SelfContainedAndEscaped) {
  RunReport r = TinyReport();
  std::string html = ReportHtml(r);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("blk/a&lt;b&amp;c&quot;d&#39;,e;f"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"n mono\">0.00231</td>"), std::string::npos);  // W8A8 MSE column
  EXPECT_EQ(html.find("a<b"), std::string::npos);
  std::string lower = html;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  EXPECT_EQ(lower.find("http"), std::string::npos);
  EXPECT_EQ(lower.find("<script"), std::string::npos);
  EXPECT_EQ(lower.find("url("), std::string::npos);
  EXPECT_EQ(lower.find("@import"), std::string::npos);
  EXPECT_EQ(TagBalance(html), "");
}

TEST(ReportHtml, SectionsAndCounts) {
  RunReport r = RealisticReport();
  std::string html = ReportHtml(r);
  EXPECT_EQ(TagBalance(html), "");
  // One bar row and one map cell per layer; flipped cells outlined.
  ASSERT_EQ(r.sensitivity.size(), 97u);
  EXPECT_EQ(Count(html, "<g class=\"row"), 97u);
  EXPECT_EQ(Count(html, "<g class=\"row flip\""), 10u);
  EXPECT_EQ(Count(html, "class=\"cell\""), 87u);
  EXPECT_EQ(Count(html, "class=\"cell flip\""), 10u);
  EXPECT_EQ(Count(html, "class=\"cut\""), 1u);
  EXPECT_NE(html.find("class=\"chart curve\""), std::string::npos);
  EXPECT_NE(html.find("id=\"accuracy\""), std::string::npos);
  // Long names are cut visibly in the chart, and shown in full in the tooltip and table.
  const std::string full = r.sensitivity[30].name;
  EXPECT_NE(html.find(">" + report::Esc(report::ShortName(full, 52)) + "<"), std::string::npos);
  EXPECT_NE(html.find("\xE2\x80\xA6<"), std::string::npos);
  EXPECT_EQ(Count(html, report::Esc(full)), 2u);  // bar and map tooltips
  // The table cell adds break points and mutes the aliases after ';', but keeps every character.
  std::string plain = html;
  for (const std::string tag : {"<wbr>", "<span class=\"alias\">", "</span>"}) {
    for (size_t p; (p = plain.find(tag)) != std::string::npos;) plain.erase(p, tag.size());
  }
  EXPECT_EQ(Count(plain, ">" + report::Esc(full) + "</td>"), 1u);
  EXPECT_NE(html.find("Reshape_1&lt;softmax &amp; &quot;output&quot;&gt;"), std::string::npos);
  // Mixed recovers (0.6865-0.6836)/(0.6885-0.6836) of the drop: 60.0%.
  EXPECT_NE(html.find("recovers <b>60.0%</b>"), std::string::npos);
}

TEST(ReportHtml, AnalyzeHasNoAccuracyAndNoCutoff) {
  RunReport r = RealisticReport();
  r.command = "analyze";
  r.fp32.reset();
  r.w8a8.reset();
  r.mixed.reset();
  r.flipped.clear();
  r.percent_curve.clear();
  for (auto& l : r.sensitivity) l.flipped = false, l.precision = "w8a8";
  std::string html = ReportHtml(r);
  EXPECT_EQ(TagBalance(html), "");
  EXPECT_EQ(html.find("id=\"accuracy\""), std::string::npos);
  EXPECT_EQ(html.find("class=\"cut\""), std::string::npos);
  EXPECT_EQ(html.find("class=\"chart curve\""), std::string::npos);
  EXPECT_EQ(Count(html, "<g class=\"row"), 97u);
  Json j = Json::parse(SummaryJson(r));
  EXPECT_FALSE(j.contains("fp32"));
  EXPECT_FALSE(j.contains("mixed"));
  EXPECT_FALSE(j.contains("percent"));
  EXPECT_FALSE(j.contains("percent_curve"));
}

Fidelity SampleFidelity(double psnr, std::optional<double> agree) {
  Fidelity f;
  f.samples = 900;
  f.psnr = psnr;
  f.sqnr = psnr - 3;
  f.top1_agreement = agree;
  f.outputs = {{"logits", psnr + 1, psnr - 2}, {"boxes", psnr - 1, psnr - 4}};
  return f;
}

// Without labels a run is judged by fidelity to FP32: summary.json's `fidelity` block, the
// report's fidelity table and a PSNR curve instead of accuracy.
TEST(ReportHtml, UnlabelledRunShowsFidelity) {
  RunReport r = RealisticReport();
  r.fp32.reset();
  r.w8a8.reset();
  r.mixed.reset();
  r.w8a8_fidelity = SampleFidelity(31.5, std::nullopt);
  r.mixed_fidelity = SampleFidelity(38.25, std::nullopt);
  for (size_t i = 0; i < r.percent_curve.size(); ++i) {
    r.percent_curve[i].top1 = std::nan("");
    r.percent_curve[i].fidelity = SampleFidelity(31.5 + i, std::nullopt);
  }
  r.prepared = {"folded BatchNormalization 'bn<1>' into Conv 'conv1'"};
  Json j = Json::parse(SummaryJson(r));
  EXPECT_FALSE(j.contains("fp32"));
  ASSERT_TRUE(j.contains("fidelity"));
  EXPECT_EQ(Keys(j["fidelity"]), (std::vector<std::string>{"w8a8", "mixed"}));
  EXPECT_EQ(Keys(j["fidelity"]["mixed"]), (std::vector<std::string>{"psnr", "sqnr", "samples", "outputs"}));
  EXPECT_DOUBLE_EQ(j["fidelity"]["mixed"]["psnr"].get<double>(), 38.25);
  EXPECT_EQ(j["fidelity"]["mixed"]["outputs"][1]["output"], "boxes");
  EXPECT_TRUE(j["percent_curve"][0]["top1"].is_null());
  EXPECT_DOUBLE_EQ(j["percent_curve"][2]["psnr"].get<double>(), 33.5);
  EXPECT_EQ(j["prepared"][0], "folded BatchNormalization 'bn<1>' into Conv 'conv1'");

  std::string html = ReportHtml(r);
  EXPECT_EQ(TagBalance(html), "");
  EXPECT_EQ(html.find("id=\"accuracy\""), std::string::npos);
  EXPECT_NE(html.find("id=\"fidelity\""), std::string::npos);
  EXPECT_NE(html.find("Mixed PSNR vs FP32"), std::string::npos);   // a headline card
  EXPECT_NE(html.find("Fidelity vs. percent flipped"), std::string::npos);
  EXPECT_NE(html.find("PSNR vs FP32 (dB)"), std::string::npos);     // the curve's axis
  EXPECT_EQ(Count(html, "<circle"), r.percent_curve.size());        // every point drawn
  EXPECT_NE(html.find("bn&lt;1&gt;"), std::string::npos);            // preparation, escaped
  EXPECT_NE(html.find(">boxes<"), std::string::npos);                // per-output column
}

TEST(SummaryJson, ResourcesComeLast) {
  RunReport r = TinyReport();
  r.resources = {{"peak_rss_mb", 812.3456}, {"minor_page_faults", 1234}, {"major_page_faults", 0}};
  Json j = Json::parse(SummaryJson(r));
  EXPECT_EQ(Keys(j).back(), "resources");
  EXPECT_DOUBLE_EQ(j["resources"]["peak_rss_mb"].get<double>(), 812.3);
  EXPECT_EQ(j["resources"]["minor_page_faults"].get<double>(), 1234);
  EXPECT_NE(ReportHtml(r).find("Peak memory 812 MiB; 1234 page faults"), std::string::npos);
  r.resources.clear();
  EXPECT_FALSE(Json::parse(SummaryJson(r)).contains("resources"));
}

TEST(ReportHtml, LabelledRunShowsAccuracyAndFidelity) {
  RunReport r = RealisticReport();
  r.w8a8_fidelity = SampleFidelity(31.5, 0.97);
  r.mixed_fidelity = SampleFidelity(38.25, 0.99);
  Json j = Json::parse(SummaryJson(r));
  EXPECT_TRUE(j.contains("fp32"));
  EXPECT_DOUBLE_EQ(j["fidelity"]["w8a8"]["top1_agreement"].get<double>(), 0.97);
  std::string html = ReportHtml(r);
  EXPECT_EQ(TagBalance(html), "");
  EXPECT_NE(html.find("id=\"accuracy\""), std::string::npos);
  EXPECT_NE(html.find("id=\"fidelity\""), std::string::npos);
  EXPECT_NE(html.find("99.00%"), std::string::npos);  // mixed's agreement
  EXPECT_NE(html.find("Accuracy vs. percent flipped"), std::string::npos);
}

TEST(ReportHtml, EmptyReportStillRenders) {
  RunReport r;
  std::string html = ReportHtml(r);
  EXPECT_EQ(TagBalance(html), "");
  EXPECT_NE(html.find("No layers were analysed."), std::string::npos);
  Json j = Json::parse(SummaryJson(r));
  EXPECT_EQ(j["layers"], 0);
  EXPECT_EQ(SensitivityCsv(r), "rank,layer,op_type,psnr_db,flipped,precision,w8a8_mse\n");
}

// ---- determinism ----

TEST(Report, DeterministicAndOrderIndependent) {
  RunReport r = RealisticReport();
  EXPECT_EQ(SummaryJson(r), SummaryJson(r));
  EXPECT_EQ(SensitivityCsv(r), SensitivityCsv(r));
  EXPECT_EQ(PredictionsCsv(r), PredictionsCsv(r));
  EXPECT_EQ(ReportHtml(r), ReportHtml(RealisticReport()));
  // The ranked files do not depend on the order the caller listed the layers in.
  RunReport shuffled = r;
  std::reverse(shuffled.sensitivity.begin(), shuffled.sensitivity.end());
  EXPECT_EQ(SummaryJson(shuffled), SummaryJson(r));
  EXPECT_EQ(SensitivityCsv(shuffled), SensitivityCsv(r));
  EXPECT_EQ(report::SensitivityJson(shuffled), report::SensitivityJson(r));
}

// ---- WriteRunReport ----

class WriteRunReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("litemp_report_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Read(const std::string& name) {
    auto text = ReadFile((dir_ / name).string());
    return text.ok() ? text.value() : "<missing>";
  }
  fs::path dir_;
};

TEST_F(WriteRunReportTest, WritesEveryFile) {
  RunReport r = TinyReport();
  std::string out = (dir_ / "nested" / "out").string();  // parents created too
  ASSERT_TRUE(WriteRunReport(r, out).ok());
  dir_ /= "nested/out";
  EXPECT_EQ(Read("summary.json"), SummaryJson(r));
  EXPECT_EQ(Read("sensitivity.csv"), SensitivityCsv(r));
  EXPECT_EQ(Read("sensitivity.json"), report::SensitivityJson(r));
  EXPECT_EQ(Read("predictions.csv"), PredictionsCsv(r));
  EXPECT_EQ(Read("report.html"), ReportHtml(r));
  // Nothing else (no temp files left behind).
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 5);
  dir_ = dir_.parent_path().parent_path();
}

TEST_F(WriteRunReportTest, NoPredictionsFileWithoutPredictions) {
  RunReport r = TinyReport();
  r.predictions.clear();
  ASSERT_TRUE(WriteRunReport(r, dir_.string()).ok());
  EXPECT_FALSE(fs::exists(dir_ / "predictions.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "summary.json"));
  EXPECT_TRUE(fs::exists(dir_ / "report.html"));
}

TEST_F(WriteRunReportTest, UnwritableDirFailsNamingThePath) {
  fs::create_directories(dir_);
  const std::string file = (dir_ / "a_file").string();
  ASSERT_TRUE(WriteFileAtomic(file, "x").ok());
  Status s = WriteRunReport(TinyReport(), file + "/sub");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kIOError);
  EXPECT_NE(s.message().find(file + "/sub"), std::string::npos) << s.message();
  s = WriteRunReport(TinyReport(), file);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(file), std::string::npos) << s.message();
  EXPECT_EQ(WriteRunReport(TinyReport(), "").code(), Status::Code::kInvalidArgument);
}

TEST_F(WriteRunReportTest, FailedWriteLeavesNoSummary) {
  // A stale summary.json from an earlier run must not survive a run that fails half-way.
  fs::create_directories(dir_ / "report.html");  // a directory where a file must go
  ASSERT_TRUE(WriteFileAtomic((dir_ / "summary.json").string(), "{\"stale\":true}").ok());
  Status s = WriteRunReport(TinyReport(), dir_.string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("report.html"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir_ / "summary.json"));
}

// Writes sample reports for eyeballing (chromium screenshot) when LITEMP_REPORT_SAMPLE_DIR is set.
TEST(ReportSample, WriteWhenRequested) {
  const char* dir = std::getenv("LITEMP_REPORT_SAMPLE_DIR");
  if (!dir || !*dir) GTEST_SKIP() << "set LITEMP_REPORT_SAMPLE_DIR to write sample reports";
  ASSERT_TRUE(WriteRunReport(RealisticReport(), dir).ok());
  RunReport a = RealisticReport();
  a.command = "analyze";
  a.fp32.reset();
  a.w8a8.reset();
  a.mixed.reset();
  a.flipped.clear();
  a.percent_curve.clear();
  a.predictions.clear();
  a.timings_s = {{"calibrate", 1.377}, {"sensitivity", 9.731}, {"total", 11.52}};
  for (auto& l : a.sensitivity) l.flipped = false, l.precision = l.op_type == "Softmax" ? "fp32" : "w8a8";
  ASSERT_TRUE(WriteRunReport(a, std::string(dir) + "/analyze").ok());
  ASSERT_TRUE(WriteRunReport(TinyReport(), std::string(dir) + "/tiny").ok());
  // Edge cases: negative and NaN PSNRs, fp16 and w8a16 flips, W8A8 better than FP32, no timings.
  RunReport e = TinyReport();
  e.precision = "fp16";
  e.sensitivity.push_back({"neg", "MatMul", -4.5, true, "fp16", std::nullopt});
  e.sensitivity.push_back({"nan", "Add", NAN, false, "w8a8", std::nullopt});
  e.sensitivity.push_back({"inf", "Relu", INFINITY, false, "fp32", std::nullopt});
  e.sensitivity[1].precision = "w8a16";
  e.flipped.insert(e.flipped.begin(), "neg");
  e.layers = 6;
  e.w8a8 = AccuracyResult{0.70, 0.89, 1024};
  e.timings_s.clear();
  e.percent_curve = {{0, 0, 0.70}, {50, 3, 0.69}, {100, 6, 0.6885}};
  ASSERT_TRUE(WriteRunReport(e, std::string(dir) + "/edge").ok());
}

}  // namespace
}  // namespace litemp
