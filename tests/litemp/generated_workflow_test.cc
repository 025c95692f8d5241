// The whole workflow on models that are not classifiers and data without labels: an
// encoder-decoder (image out), a transformer block (two inputs, .npz samples) and a
// two-output detector head. Each run must score W8A8 and mixed by fidelity to FP32, flip
// something, and export.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "litemp/fileio.h"
#include "litemp/workflow.h"
#include "testutil/generated_data.h"
#include "testutil/generated_models.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

namespace fs = std::filesystem;

class GeneratedWorkflow : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("litemp_genwf_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes the model and `n` samples: one .npy per sample for a single input, an .npz with
  // one array per input otherwise (no labels file).
  WorkflowOptions Prepare(test::ModelBuilder b, int n) {
    const std::string model = (dir_ / "model.onnx").string();
    EXPECT_TRUE(WriteFileAtomic(model, b.Bytes()).ok());
    test::WriteGeneratedSamples(b, (dir_ / "data").string(), n);
    WorkflowOptions o;
    o.model_path = model;
    o.data.images_dir = (dir_ / "data").string();
    o.out_dir = (dir_ / "out").string();
    o.calib = 12;
    o.sens = 6;
    o.batch = 8;
    o.selection.percent = 20;
    o.percent_sweep = {0, 20, 50};
    o.quiet = true;
    return o;
  }

  void ExpectRun(const WorkflowOptions& o, RunReport* r) {
    Status s = RunWorkflow(o, r);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_FALSE(r->fp32.has_value());  // no labels: no accuracy
    ASSERT_TRUE(r->w8a8_fidelity.has_value());
    ASSERT_TRUE(r->mixed_fidelity.has_value());
    EXPECT_EQ(r->w8a8_fidelity->samples, r->samples["eval"]);
    EXPECT_LT(r->w8a8_fidelity->psnr, 100);  // really quantized
    // The most sensitive layers at 16 bits bring the model closer to FP32.
    EXPECT_GT(r->mixed_fidelity->psnr, r->w8a8_fidelity->psnr);
    EXPECT_FALSE(r->flipped.empty());
    EXPECT_GT(r->resources["peak_rss_mb"], 1.0);
    EXPECT_GT(r->resources["minor_page_faults"], 0.0);
    ASSERT_EQ(r->percent_curve.size(), 3u);
    EXPECT_TRUE(std::isnan(r->percent_curve[0].top1));
    for (const PercentPoint& p : r->percent_curve) ASSERT_TRUE(p.fidelity.has_value()) << p.percent;
    EXPECT_NEAR(r->percent_curve[0].fidelity->psnr, r->w8a8_fidelity->psnr, 1e-9);  // 0% flipped is W8A8
    EXPECT_EQ(r->percent_curve[1].flipped, static_cast<int>(r->flipped.size()));   // 20% is mixed
    EXPECT_EQ(r->percent_curve[1].fidelity->psnr, r->mixed_fidelity->psnr);
    EXPECT_GT(r->percent_curve[2].flipped, r->percent_curve[1].flipped);
    EXPECT_NE(r->percent_curve[2].fidelity->psnr, r->mixed_fidelity->psnr);
    for (const char* f : {"summary.json", "sensitivity.csv", "report.html", "model.encodings", "model_qdq.onnx"})
      EXPECT_TRUE(fs::exists(fs::path(o.out_dir) / f)) << f;
    auto summary = ReadFile(o.out_dir + "/summary.json");
    ASSERT_TRUE(summary.ok());
    EXPECT_NE(summary->find("\"fidelity\""), std::string::npos);
    EXPECT_EQ(summary->find("\"fp32\""), std::string::npos);
  }

  fs::path dir_;
};

TEST_F(GeneratedWorkflow, EncoderDecoderWithoutLabels) {
  WorkflowOptions o = Prepare(test::EncoderDecoder(), 24);
  RunReport r;
  ExpectRun(o, &r);
  EXPECT_EQ(r.samples["eval"], 12);
  EXPECT_FALSE(r.w8a8_fidelity->top1_agreement.has_value());  // an image is not class scores
  EXPECT_EQ(r.w8a8_fidelity->outputs.size(), 1u);
}

TEST_F(GeneratedWorkflow, TransformerBlockWithTwoInputsFromNpz) {
  WorkflowOptions o = Prepare(test::TransformerBlock(), 20);
  RunReport r;
  ExpectRun(o, &r);
  EXPECT_GE(r.layers, 10);
}

TEST_F(GeneratedWorkflow, DetectorHeadScoresEveryOutputOrTheChosenOne) {
  WorkflowOptions o = Prepare(test::DetectorHead(), 24);
  RunReport all;
  ExpectRun(o, &all);
  ASSERT_EQ(all.w8a8_fidelity->outputs.size(), 2u);
  EXPECT_EQ(all.w8a8_fidelity->outputs[0].name, "boxes");
  EXPECT_NEAR(all.w8a8_fidelity->psnr,
              (all.w8a8_fidelity->outputs[0].psnr + all.w8a8_fidelity->outputs[1].psnr) / 2, 1e-9);
  EXPECT_FALSE(all.w8a8_fidelity->top1_agreement.has_value());  // the first output is boxes

  o.output = "scores";
  RunReport one;
  ExpectRun(o, &one);
  ASSERT_EQ(one.w8a8_fidelity->outputs.size(), 1u);
  EXPECT_EQ(one.w8a8_fidelity->outputs[0].name, "scores");
  EXPECT_NEAR(one.w8a8_fidelity->psnr, all.w8a8_fidelity->outputs[1].psnr, 1e-9);
  ASSERT_TRUE(one.w8a8_fidelity->top1_agreement.has_value());  // [N,5] scores
  // Only layers feeding `scores` are ranked: the box head is not.
  EXPECT_LT(one.layers, all.layers);
  for (const auto& l : one.sensitivity) EXPECT_NE(l.name, "box_head");

  o.output = "nope";
  RunReport bad;
  Status s = RunWorkflow(o, &bad);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("'nope'"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace litemp
