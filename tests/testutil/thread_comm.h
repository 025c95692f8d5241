// In-process ranks for testing code that takes a Comm: R threads of one process, each with
// its own ThreadComm, exchange through shared memory. What MpiComm does across processes,
// without MPI, so the sharded sweep and evaluation are tested in every build (ASan too).
#ifndef LITEMP_TESTS_TESTUTIL_THREAD_COMM_H_
#define LITEMP_TESTS_TESTUTIL_THREAD_COMM_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "litemp/comm.h"

namespace litemp::test {

// State shared by the ranks of one job: a generation-counted all-gather.
class ThreadJob {
 public:
  explicit ThreadJob(int size) : size_(size), slots_(size) {}
  int size() const { return size_; }

  void AllGather(int rank, const std::string& mine, std::vector<std::string>* all) {
    std::unique_lock<std::mutex> lock(mu_);
    // Wait until the previous round's results were read by every rank.
    cv_.wait(lock, [&] { return readers_left_ == 0; });
    slots_[rank] = mine;
    if (++arrived_ == size_) {
      result_ = slots_;
      arrived_ = 0;
      readers_left_ = size_;
      ++generation_;
      cv_.notify_all();
    } else {
      const long gen = generation_;
      cv_.wait(lock, [&] { return generation_ != gen; });
    }
    *all = result_;
    if (--readers_left_ == 0) cv_.notify_all();
  }

 private:
  const int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> slots_, result_;
  int arrived_ = 0, readers_left_ = 0;
  long generation_ = 0;
};

class ThreadComm final : public Comm {
 public:
  ThreadComm(ThreadJob* job, int rank) : job_(job), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return job_->size(); }

 protected:
  Status AllGather(const std::string& mine, std::vector<std::string>* all) override {
    job_->AllGather(rank_, mine, all);
    return Status::OK();
  }

 private:
  ThreadJob* job_;
  int rank_;
};

// Runs body(comm) on `ranks` threads, one rank each, and waits for all of them.
inline void RunRanks(int ranks, const std::function<void(Comm&)>& body) {
  ThreadJob job(ranks);
  std::vector<std::unique_ptr<ThreadComm>> comms;
  for (int r = 0; r < ranks; ++r) comms.push_back(std::make_unique<ThreadComm>(&job, r));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) threads.emplace_back([&, r] { body(*comms[r]); });
  for (auto& t : threads) t.join();
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_TESTUTIL_THREAD_COMM_H_
