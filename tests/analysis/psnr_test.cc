#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analysis/psnr_stats.h"
#include "litemp/sensitivity.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

Tensor F(std::vector<float> v) { return Tensor::FromVector<float>(v); }

double P(const Tensor& e, const Tensor& a) {
  auto r = Psnr(e, a);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : std::nan("");
}

TEST(Psnr, IdenticalIsTheCeiling) {
  EXPECT_EQ(P(F({1, -2, 3}), F({1, -2, 3})), 100.0);
  // All-zero expected: range floors at 1e-10, noise at 1e-15 -> exactly 100.
  EXPECT_DOUBLE_EQ(P(F({0, 0}), F({0, 0})), 100.0);
}

TEST(Psnr, HandComputed) {
  // range = max(3 - 0, 3) = 3; mse = 1/4 -> noise 0.5; 20 log10(6).
  EXPECT_NEAR(P(F({0, 1, 2, 3}), F({0, 1, 2, 4})), 20 * std::log10(6.0), 1e-12);
  // Mixed signs: range = max(2 - (-3), 3) = 5; mse = (0.25 + 0.25) / 3.
  EXPECT_NEAR(P(F({-3, 0, 2}), F({-2.5f, 0, 2.5f})), 20 * std::log10(5.0 / std::sqrt(0.5 / 3)), 1e-12);
}

TEST(Psnr, RangeUsesAbsMaxWhenAllValuesAreNegative) {
  // max - min = 2 but max|e| = 4, so range = 4; mse = 1/3.
  EXPECT_NEAR(P(F({-4, -3, -2}), F({-4, -3, -1})), 20 * std::log10(4.0 / std::sqrt(1.0 / 3)), 1e-12);
  // Constant positive expected: max - min = 0, range = max|e| = 10; noise 1.
  EXPECT_NEAR(P(F({10, 10}), F({9, 11})), 20.0, 1e-12);
}

TEST(Psnr, ClipsToPlusMinus100) {
  // Zero expected, small error: range floors at 1e-10 -> 20 log10(1e-10 / 1e-3) = -140.
  EXPECT_EQ(P(F({0, 0}), F({1e-3f, -1e-3f})), -100.0);
  // Identical on a large range: 20 log10(1e6 / 1e-15) = 420 -> 100.
  Tensor e = F({0, 1e6f});
  EXPECT_EQ(P(e, e), 100.0);
}

TEST(Psnr, NonFiniteActualIsMinus100) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(P(F({1, 2, 3}), F({1, nan, 3})), -100.0);
  EXPECT_EQ(P(F({1, 2, 3}), F({1, 2, -inf})), -100.0);
}

TEST(Psnr, NonFiniteExpectedIsAnError) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  auto r = Psnr(F({1, nan}), F({1, 2}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("NaN"), std::string::npos) << r.status().message();
  EXPECT_FALSE(Psnr(F({inf, 1}), F({1, 1})).ok());
  // Even when the actual values are NaN too.
  EXPECT_FALSE(Psnr(F({nan}), F({nan})).ok());
}

TEST(Psnr, RejectsMismatches) {
  EXPECT_FALSE(Psnr(F({1, 2}), F({1, 2, 3})).ok());
  EXPECT_FALSE(Psnr(F({1, 2}), Tensor::FromVector<double>({1, 2})).ok());
  EXPECT_FALSE(Psnr(Tensor::FromVector<int64_t>({1, 2}), Tensor::FromVector<int64_t>({1, 2})).ok());
  EXPECT_FALSE(Psnr(Tensor(DType::kFloat32, {0}), Tensor(DType::kFloat32, {0})).ok());
}

TEST(Psnr, Float64) {
  auto r = Psnr(Tensor::FromVector<double>({0, 1, 2, 3}), Tensor::FromVector<double>({0, 1, 2, 4}));
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r.value(), 20 * std::log10(6.0), 1e-12);
}

TEST(Psnr, MultiOutputTakesTheMinimumAndIgnoresIntegers) {
  std::vector<Tensor> e{F({0, 1, 2, 3}), Tensor::FromVector<int64_t>({1, 2}), F({10, 10})};
  std::vector<Tensor> a{F({0, 1, 2, 4}), Tensor::FromVector<int64_t>({7, -9}), F({9, 11})};
  auto r = Psnr(e, a);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r.value(), std::min(20 * std::log10(6.0), 20.0), 1e-12);
  EXPECT_NEAR(r.value(), 15.563025, 1e-6);
  // A NaN in any float output drags the minimum to -100.
  a[2] = F({9, std::numeric_limits<float>::quiet_NaN()});
  EXPECT_EQ(Psnr(e, a).value(), -100.0);
}

TEST(Psnr, MultiOutputErrors) {
  EXPECT_FALSE(Psnr(std::vector<Tensor>{F({1})}, std::vector<Tensor>{}).ok());
  std::vector<Tensor> ints{Tensor::FromVector<int64_t>({1})};
  EXPECT_FALSE(Psnr(ints, ints).ok());
  std::vector<Tensor> e{F({1, std::numeric_limits<float>::infinity()})}, a{F({1, 2})};
  EXPECT_FALSE(Psnr(e, a).ok());
}

TEST(Psnr, StackedNotAveraged) {
  // Two "samples": one clean, one noisy. PSNR over the stack differs from the mean of the
  // per-sample PSNRs (AIMET scores the stack).
  Tensor e = Tensor::FromVector<float>({0, 4, 0, 4}, {2, 2}), a = Tensor::FromVector<float>({0, 4, 1, 4}, {2, 2});
  // range 4, mse 1/4 -> 20 log10(8).
  EXPECT_NEAR(P(e, a), 20 * std::log10(8.0), 1e-12);
}

TEST(PsnrStats, ChunkedAccumulationMatchesWhole) {
  Tensor e = test::RandomTensor({6, 50}, 1, -3, 2);
  Tensor a = test::RandomTensor({6, 50}, 2, -3, 2);
  RangeStats r;
  ErrorStats s;
  for (int64_t b = 0; b < 6; b += 2) {
    Tensor eb = SliceBatch(e, b, b + 2), ab = SliceBatch(a, b, b + 2);
    AddRange(eb, -1, &r);
    AddError(eb, ab, -1, &s);
  }
  auto whole = Psnr(e, a);
  auto chunked = PsnrFromStats(r, s, "x");
  ASSERT_TRUE(whole.ok() && chunked.ok());
  EXPECT_NEAR(whole.value(), chunked.value(), 1e-9);
  // Rows: only the first rows of a padded tensor count.
  RangeStats r2;
  ErrorStats s2;
  AddRange(e, 2, &r2);
  AddError(e, a, 2, &s2);
  EXPECT_EQ(r2.count, 100);
  EXPECT_EQ(s2.count, 100);
  EXPECT_NEAR(PsnrFromStats(r2, s2, "x").value(), Psnr(SliceBatch(e, 0, 2), SliceBatch(a, 0, 2)).value(), 1e-9);
}

}  // namespace
}  // namespace litemp
