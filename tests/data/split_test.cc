#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "litemp/data.h"

namespace litemp {
namespace {

// Golden orders from an independent Python implementation of the documented algorithm
// (splitmix64 + Fisher-Yates from the end, rejection-sampled modulo); splitmix64(0)'s
// first outputs are the published e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f.
// Any platform must reproduce these.
TEST(MakeSplit, GoldenOrders) {
  EXPECT_EQ(MakeSplit(10, 0, 0, 0, 0).order, (std::vector<size_t>{6, 3, 2, 9, 8, 1, 4, 7, 0, 5}));
  EXPECT_EQ(MakeSplit(10, 0, 0, 0, 42).order, (std::vector<size_t>{0, 9, 5, 8, 6, 4, 7, 2, 1, 3}));
  EXPECT_EQ(MakeSplit(5, 0, 0, 0, 0).order, (std::vector<size_t>{2, 3, 1, 4, 0}));
}

TEST(MakeSplit, DeterministicPermutation) {
  Split a = MakeSplit(1000, 100, 32, 0, 7), b = MakeSplit(1000, 100, 32, 0, 7);
  EXPECT_EQ(a.order, b.order);
  EXPECT_EQ(a.calib, b.calib);
  EXPECT_EQ(a.eval, b.eval);
  std::vector<size_t> sorted = a.order;
  std::sort(sorted.begin(), sorted.end());
  std::vector<size_t> iota(1000);
  std::iota(iota.begin(), iota.end(), size_t{0});
  EXPECT_EQ(sorted, iota);
  EXPECT_NE(a.order, iota);
  EXPECT_NE(MakeSplit(1000, 100, 32, 0, 8).order, a.order);
}

TEST(MakeSplit, PartsAreDisjointAndSized) {
  Split s = MakeSplit(1000, 100, 32, 0, 0);
  ASSERT_EQ(s.calib.size(), 100u);
  ASSERT_EQ(s.sens.size(), 32u);
  ASSERT_EQ(s.eval.size(), 900u);
  EXPECT_TRUE(std::equal(s.calib.begin(), s.calib.end(), s.order.begin()));
  EXPECT_TRUE(std::equal(s.sens.begin(), s.sens.end(), s.calib.begin()));
  EXPECT_TRUE(std::equal(s.eval.begin(), s.eval.end(), s.order.begin() + 100));
  std::set<size_t> calib(s.calib.begin(), s.calib.end());
  for (size_t e : s.eval) EXPECT_EQ(calib.count(e), 0u);
}

TEST(MakeSplit, Limits) {
  Split s = MakeSplit(50, 100, 200, 0, 1);  // calib > n, sens > calib
  EXPECT_EQ(s.calib.size(), 50u);
  EXPECT_EQ(s.sens.size(), 50u);
  EXPECT_TRUE(s.eval.empty());
  s = MakeSplit(50, 10, 4, 15, 1);
  EXPECT_EQ(s.eval.size(), 15u);
  EXPECT_TRUE(std::equal(s.eval.begin(), s.eval.end(), s.order.begin() + 10));
  s = MakeSplit(0, 10, 4, 0, 1);
  EXPECT_TRUE(s.order.empty() && s.calib.empty() && s.sens.empty() && s.eval.empty());
  s = MakeSplit(1, 0, 0, 0, 3);
  EXPECT_EQ(s.eval, std::vector<size_t>{0});
}

// Every position receives every index with similar frequency (no gross bias).
TEST(MakeSplit, RoughlyUniform) {
  std::vector<int> first(8, 0);
  for (uint64_t seed = 0; seed < 8000; ++seed) ++first[MakeSplit(8, 0, 0, 0, seed).order[0]];
  for (int c : first) EXPECT_NEAR(c, 1000, 150);
}

}  // namespace
}  // namespace litemp
