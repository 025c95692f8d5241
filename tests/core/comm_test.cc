// Comm::Exchange: payloads in rank order, one agreed error when any rank fails, tags that
// catch ranks out of step; and the work splits the sharded sweep and evaluation use.
#include "litemp/comm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <numeric>

#include "testutil/thread_comm.h"

namespace litemp {
namespace {

using test::RunRanks;

TEST(LocalComm, ExchangeReturnsThePayloadOrTheStatus) {
  LocalComm c;
  EXPECT_EQ(c.rank(), 0);
  EXPECT_EQ(c.size(), 1);
  auto r = c.Exchange("a", Status::OK(), "xyz");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), std::vector<std::string>{"xyz"});
  auto bad = c.Exchange("b", Status::IOError("no file"), "ignored");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kIOError);
  EXPECT_EQ(bad.status().message(), "no file");  // alone, not "rank 0: "
  EXPECT_TRUE(c.failed());
  EXPECT_EQ(c.Agree("c", Status::OK()).message(), "no file");  // sticky
}

TEST(ThreadComm, EveryRankGetsEveryPayloadInRankOrder) {
  std::mutex mu;
  std::vector<std::vector<std::string>> seen(3);
  RunRanks(3, [&](Comm& c) {
    for (int round = 0; round < 50; ++round) {
      // Sizes differ by rank and round, empty and binary payloads included.
      std::string mine(static_cast<size_t>((c.rank() * 7 + round) % 5), static_cast<char>('\0' + c.rank()));
      auto r = c.Exchange("round", Status::OK(), mine);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      ASSERT_EQ(r.value().size(), 3u);
      for (int k = 0; k < 3; ++k)
        EXPECT_EQ(r.value()[k], std::string(static_cast<size_t>((k * 7 + round) % 5), static_cast<char>('\0' + k)));
    }
    std::lock_guard<std::mutex> l(mu);
    seen[c.rank()].push_back("done");
  });
  for (const auto& s : seen) EXPECT_EQ(s.size(), 1u);
}

TEST(ThreadComm, OneRanksErrorReachesEveryRankNamingIt) {
  std::vector<Status> got(3);
  RunRanks(3, [&](Comm& c) {
    Status local = c.rank() == 2 ? Status::Corruption("bad batch") : Status::OK();
    got[c.rank()] = c.Exchange("work", local, "payload").status();
    // Later exchanges fail alike without communicating (a rank that stopped early
    // cannot block the others).
    if (c.rank() == 0) EXPECT_EQ(c.Agree("after", Status::OK()).message(), got[0].message());
  });
  for (const Status& s : got) {
    EXPECT_EQ(s.code(), Status::Code::kCorruption);
    EXPECT_EQ(s.message(), "rank 2: bad batch");
  }
}

TEST(ThreadComm, LowestFailingRankWinsAndAlikeErrorsAreNotPrefixed) {
  std::vector<Status> differ(3), alike(3);
  RunRanks(3, [&](Comm& c) {
    differ[c.rank()] =
        c.Agree("x", c.rank() == 0 ? Status::OK() : Status::IOError("r" + std::to_string(c.rank())));
  });
  RunRanks(3, [&](Comm& c) { alike[c.rank()] = c.Agree("x", Status::IOError("no such file 'm.onnx'")); });
  for (int r = 0; r < 3; ++r) {
    EXPECT_EQ(differ[r].message(), "rank 1: r1");
    EXPECT_EQ(alike[r].message(), "no such file 'm.onnx'");
    EXPECT_EQ(alike[r].code(), Status::Code::kIOError);
  }
}

TEST(ThreadComm, RanksOutOfStepAreAnError) {
  std::vector<Status> got(2);
  RunRanks(2, [&](Comm& c) { got[c.rank()] = c.Agree(c.rank() == 0 ? "sweep" : "evaluation", Status::OK()); });
  for (const Status& s : got) {
    EXPECT_EQ(s.code(), Status::Code::kInternal);
    EXPECT_NE(s.message().find("out of step"), std::string::npos) << s.ToString();
    EXPECT_NE(s.message().find("rank 1 at 'evaluation'"), std::string::npos) << s.ToString();
  }
}

TEST(ThreadComm, InjectedFaultFailsTheNamedRankAtTheNamedTag) {
  ASSERT_EQ(setenv("LITEMP_TEST_FAULT", "1:evaluation:error", 1), 0);
  std::vector<Status> first(2), second(2);
  RunRanks(2, [&](Comm& c) {
    first[c.rank()] = c.Agree("sensitivity", Status::OK());
    second[c.rank()] = c.Agree("evaluation", Status::OK());
  });
  unsetenv("LITEMP_TEST_FAULT");
  for (int r = 0; r < 2; ++r) {
    EXPECT_TRUE(first[r].ok()) << first[r].ToString();
    EXPECT_EQ(second[r].message(), "rank 1: fault injected at 'evaluation' (LITEMP_TEST_FAULT)");
  }
}

TEST(AssignByCost, BalancesAndIsDeterministic) {
  std::vector<double> costs = {9, 1, 1, 1, 8, 2, 2, 3, 5, 5};
  const double total = std::accumulate(costs.begin(), costs.end(), 0.0);
  for (int ranks : {1, 2, 3, 4, 16}) {
    std::vector<int> owner = AssignByCost(costs, ranks);
    EXPECT_EQ(owner, AssignByCost(costs, ranks));
    ASSERT_EQ(owner.size(), costs.size());
    std::vector<double> load(ranks, 0);
    for (size_t i = 0; i < costs.size(); ++i) {
      ASSERT_GE(owner[i], 0);
      ASSERT_LT(owner[i], ranks);
      load[owner[i]] += costs[i];
    }
    // Greedy longest-first: no rank above the fair share plus the largest item.
    EXPECT_LE(*std::max_element(load.begin(), load.end()), total / ranks + 9) << ranks;
  }
  EXPECT_EQ(AssignByCost(costs, 2), (std::vector<int>{0, 1, 1, 0, 1, 0, 0, 1, 1, 0}));
  EXPECT_EQ(AssignByCost({}, 4), std::vector<int>{});
  EXPECT_EQ(AssignByCost({1, 2}, 0), (std::vector<int>{0, 0}));
}

TEST(BlockBegin, ContiguousBlocksCoverEveryItemOnce) {
  for (size_t n : {0, 1, 5, 29, 100}) {
    for (int ranks : {1, 2, 3, 7}) {
      EXPECT_EQ(BlockBegin(n, ranks, 0), 0u);
      EXPECT_EQ(BlockBegin(n, ranks, ranks), n);
      for (int r = 0; r < ranks; ++r) {
        const size_t size = BlockBegin(n, ranks, r + 1) - BlockBegin(n, ranks, r);
        EXPECT_LE(size, n / ranks + 1);
        EXPECT_GE(size, n / ranks);
      }
    }
  }
}

}  // namespace
}  // namespace litemp
