// FidelityMeter: streamed statistics equal the one-shot PSNR over the stacked samples, SQNR
// follows its formula, and the edge cases (exact, NaN, integer outputs) are handled.
#include "litemp/fidelity.h"

#include <gtest/gtest.h>

#include <cmath>

#include "litemp/runner.h"
#include "litemp/sensitivity.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

Tensor Noisy(const Tensor& t, uint32_t seed, float amp) {
  Tensor n = test::RandomTensor(t.shape(), seed, -amp, amp);
  Tensor r(DType::kFloat32, t.shape());
  for (int64_t i = 0; i < t.numel(); ++i) r.data<float>()[i] = t.data<float>()[i] + n.data<float>()[i];
  return r;
}

double SqnrDirect(const Tensor& e, const Tensor& a) {
  double s = 0, d = 0;
  for (int64_t i = 0; i < e.numel(); ++i) {
    s += double(e.data<float>()[i]) * e.data<float>()[i];
    const double x = double(e.data<float>()[i]) - a.data<float>()[i];
    d += x * x;
  }
  return 10 * std::log10(s / d);
}

TEST(FidelityMeter, StreamedEqualsStackedPsnrAndSqnr) {
  // Two outputs with different ranges, fed in three uneven batches.
  Tensor e0 = test::RandomTensor({10, 7}, 1, -3, 5), e1 = test::RandomTensor({10, 2, 3}, 2, 0, 0.5);
  Tensor a0 = Noisy(e0, 3, 0.05f), a1 = Noisy(e1, 4, 0.01f);
  FidelityMeter m({"y0", "y1"});
  const int64_t cuts[] = {0, 3, 4, 10};
  for (int b = 0; b < 3; ++b) {
    auto sl = [&](const Tensor& t) { return SliceBatch(t, cuts[b], cuts[b + 1]); };
    ASSERT_TRUE(m.Add({sl(e0), sl(e1)}, {sl(a0), sl(a1)}, cuts[b + 1] - cuts[b]).ok());
  }
  m.AddAgreement(7, 10);
  auto f = m.Finish();
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const double p0 = Psnr(e0, a0).value(), p1 = Psnr(e1, a1).value();
  ASSERT_EQ(f->outputs.size(), 2u);
  EXPECT_EQ(f->outputs[0].name, "y0");
  EXPECT_NEAR(f->outputs[0].psnr, p0, 1e-9);
  EXPECT_NEAR(f->outputs[1].psnr, p1, 1e-9);
  EXPECT_NEAR(f->psnr, (p0 + p1) / 2, 1e-9);  // the mean, not the minimum
  EXPECT_NEAR(f->outputs[0].sqnr, SqnrDirect(e0, a0), 1e-9);
  EXPECT_NEAR(f->sqnr, (SqnrDirect(e0, a0) + SqnrDirect(e1, a1)) / 2, 1e-9);
  EXPECT_EQ(f->samples, 10);
  ASSERT_TRUE(f->top1_agreement.has_value());
  EXPECT_DOUBLE_EQ(*f->top1_agreement, 0.7);
}

TEST(FidelityMeter, ExactIsHundredAndNanIsMinusHundred) {
  Tensor e = test::RandomTensor({4, 3}, 5);
  FidelityMeter exact({"y"});
  ASSERT_TRUE(exact.Add({e}, {e}, 4).ok());
  EXPECT_EQ(exact.Finish()->psnr, 100.0);
  EXPECT_EQ(exact.Finish()->sqnr, 100.0);
  EXPECT_FALSE(exact.Finish()->top1_agreement.has_value());  // no score output reported

  Tensor a = e.Clone();
  a.data<float>()[2] = std::nanf("");
  FidelityMeter nan({"y"});
  ASSERT_TRUE(nan.Add({e}, {a}, 4).ok());
  EXPECT_EQ(nan.Finish()->psnr, -100.0);
  EXPECT_EQ(nan.Finish()->sqnr, -100.0);
}

TEST(FidelityMeter, IntegerOutputsAreSkippedAndErrorsNameTheOutput) {
  Tensor e = test::RandomTensor({2, 3}, 6);
  Tensor ints = Tensor::FromVector<int64_t>({1, 2});
  FidelityMeter m({"scores", "ids"});
  ASSERT_TRUE(m.Add({e, ints}, {Noisy(e, 7, 0.1f), ints}, 2).ok());
  auto f = m.Finish();
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->outputs.size(), 1u);
  EXPECT_EQ(f->outputs[0].name, "scores");

  FidelityMeter only_ints({"ids"});
  ASSERT_TRUE(only_ints.Add({ints}, {ints}, 2).ok());
  EXPECT_FALSE(only_ints.Finish().ok());

  FidelityMeter shape({"scores"});
  Status s = shape.Add({e}, {test::RandomTensor({2, 4}, 8)}, 2);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("'scores'"), std::string::npos) << s.ToString();

  Tensor bad = e.Clone();
  bad.data<float>()[0] = INFINITY;
  FidelityMeter inf_ref({"scores"});
  ASSERT_TRUE(inf_ref.Add({bad}, {e}, 2).ok());
  auto r = inf_ref.Finish();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("'scores'"), std::string::npos);

  FidelityMeter count({"a", "b"});
  EXPECT_FALSE(count.Add({e}, {e}, 2).ok());
}

}  // namespace
}  // namespace litemp
