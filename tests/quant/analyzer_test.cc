#include "quant/analyzer.h"

#include <gtest/gtest.h>

#include <omp.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace litemp {
namespace {

std::vector<float> Gaussian(int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.f, 1.f);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

TEST(Analyzer, MinMaxTracksAllBatches) {
  Analyzer a(Scheme::kMinMax, 1);
  std::vector<float> b1 = {-1.f, 0.5f}, b2 = {3.f, 0.f};
  a.Observe(b1.data(), 2, 1);
  a.Observe(b2.data(), 2, 1);
  QuantSpec s;
  Encoding e = a.Compute(0, s);
  EXPECT_FLOAT_EQ(e.scale, 4.f / 255.f);
  EXPECT_EQ(e.offset, -64);
}

TEST(Analyzer, PerChannelStatistics) {
  // [outer=2, channels=2, inner=2]
  std::vector<float> x = {1, 2, -3, -4, 5, 6, -7, 8};
  Analyzer a(Scheme::kMinMax, 2);
  a.Observe(x.data(), 8, 2);
  EXPECT_EQ(a.observed_max(0), 6.f);
  EXPECT_EQ(a.observed_min(1), -7.f);
  EXPECT_EQ(a.observed_max(1), 8.f);
}

// The vectorised range fold against a plain loop: sizes off the 16-lane and 64Ki-chunk
// boundaries, NaN and +-inf anywhere (skipped), one channel and several, on 1 and 2 threads.
TEST(Analyzer, RangeMatchesAPlainLoopWithNonFiniteValues) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  for (int64_t n : {1, 15, 17, 65536 * 2 + 33, 65536 * 5 + 7}) {
    std::vector<float> x = Gaussian(static_cast<int>(n), static_cast<uint32_t>(n));
    for (int64_t i = 3; i < n; i += 97) x[i] = i % 3 == 0 ? nan : i % 3 == 1 ? inf : -inf;
    x[n - 1] = n % 2 ? 40.f : -40.f;  // the extreme in the tail
    for (int channels : {1, 3}) {
      const int64_t inner = channels == 1 ? 1 : 5, used = n - n % (channels * inner);
      if (used == 0) continue;
      std::vector<float> lo(channels, inf), hi(channels, -inf);
      for (int64_t i = 0; i < used; ++i) {
        if (!std::isfinite(x[i])) continue;
        const int c = static_cast<int>((i / inner) % channels);
        lo[c] = std::min(lo[c], x[i]);
        hi[c] = std::max(hi[c], x[i]);
      }
      for (int threads : {1, 2}) {
        omp_set_num_threads(threads);
        Analyzer a(Scheme::kMinMax, channels);
        a.Observe(x.data(), used, inner);
        for (int c = 0; c < channels; ++c) {
          EXPECT_EQ(a.observed_min(c), lo[c]) << n << " " << channels << " " << c;
          EXPECT_EQ(a.observed_max(c), hi[c]) << n << " " << channels << " " << c;
        }
      }
    }
  }
  omp_set_num_threads(omp_get_num_procs());
}

TEST(Analyzer, TfEnhancedClipsAnOutlierAtLowBitwidth) {
  // At 4 bits the rounding noise of covering the outlier costs more than clipping it.
  auto v = Gaussian(20000, 1);
  v.push_back(60.f);
  QuantSpec s;
  s.bitwidth = 4;
  Analyzer mm(Scheme::kMinMax, 1), tf(Scheme::kTfEnhanced, 1);
  mm.Observe(v.data(), static_cast<int64_t>(v.size()), 1);
  tf.Observe(v.data(), static_cast<int64_t>(v.size()), 1);
  Encoding em = mm.Compute(0, s), et = tf.Compute(0, s);
  EXPECT_GT(em.max, 59.f);
  EXPECT_LT(et.max, 30.f);  // the search gives up the outlier for finer steps
  EXPECT_LT(et.scale, em.scale);
  EXPECT_LE(et.offset, 0);
}

TEST(Analyzer, TfEnhancedSymmetricKeepsSignedOffset) {
  auto v = Gaussian(5000, 2);
  QuantSpec s;
  s.symmetric = true;
  Analyzer tf(Scheme::kTfEnhanced, 1);
  tf.Observe(v.data(), static_cast<int64_t>(v.size()), 1);
  Encoding e = tf.Compute(0, s);
  EXPECT_EQ(e.offset, -128);
  EXPECT_GT(e.scale, 0.f);
}

TEST(Analyzer, PercentileNarrowsTheRange) {
  std::vector<float> v(10000);
  for (int i = 0; i < 10000; ++i) v[i] = i / 10000.f;  // uniform [0, 1)
  QuantSpec s;
  Analyzer p(Scheme::kPercentile, 1, 90.f), full(Scheme::kPercentile, 1, 100.f);
  p.Observe(v.data(), 10000, 1);
  full.Observe(v.data(), 10000, 1);
  EXPECT_NEAR(p.Compute(0, s).max, 0.9f, 0.01f);
  EXPECT_NEAR(full.Compute(0, s).max, 1.f, 0.01f);
}

TEST(Analyzer, ParseScheme) {
  EXPECT_TRUE(ParseScheme("min_max").ok());
  EXPECT_TRUE(ParseScheme("tf_enhanced").ok());
  EXPECT_FALSE(ParseScheme("bogus").ok());
}

}  // namespace
}  // namespace litemp
