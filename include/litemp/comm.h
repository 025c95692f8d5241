// Processes sharing one job: the ranks of an MPI launch (`mpirun -n R litemp run ...`), or
// just this process. The sweep splits its layers and the evaluation its batches across the
// ranks; every rank computes exactly what a single process would for its share, and the
// shares are combined in a fixed order, so results are byte-identical for any R (with the
// same threads per process: thread counts move some kernels' last bits).
//
// Every exchange carries each rank's Status: when any rank failed, every rank gets the same
// error (naming the failing rank) from that exchange on, so no rank waits forever for one
// that gave up. Code that exchanges must therefore make every rank call Exchange the same
// number of times in the same order; the `tag` catches a rank that got out of step.
//
// The library does not depend on MPI: the CLI links a transport (src/dist) and passes it in;
// a null Comm* anywhere means this process alone.
#ifndef LITEMP_COMM_H_
#define LITEMP_COMM_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "litemp/status.h"

namespace litemp {

class Comm {
 public:
  virtual ~Comm() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;

  // Collective: every rank passes its status and payload; on success every rank gets every
  // rank's payload in rank order. When some rank's status is an error, every rank gets that
  // error: as it is when every rank failed, and alike (the same input fails everywhere),
  // else the lowest failing rank's, prefixed "rank N: ". After a failure, later calls return
  // the same error without communicating (a Comm is not reusable after one).
  Result<std::vector<std::string>> Exchange(const std::string& tag, const Status& local, const std::string& payload);
  // Exchange with no payload: whether every rank is fine.
  Status Agree(const std::string& tag, const Status& local) { return Exchange(tag, local, "").status(); }
  bool failed() const { return !failed_.ok(); }

 protected:
  // The transport: all-gathers one byte string per rank (rank order). Transport failures
  // (a dead peer) are fatal in MPI's default mode; an error returned here is treated as a
  // failure of every rank.
  virtual Status AllGather(const std::string& mine, std::vector<std::string>* all) = 0;

 private:
  Status failed_;
};

// This process alone (rank 0 of 1): Exchange returns the local status or {payload}.
class LocalComm final : public Comm {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }

 protected:
  Status AllGather(const std::string& mine, std::vector<std::string>* all) override;
};

// The rank of `comm` (0 for null) and its size (1 for null).
inline int RankOf(const Comm* comm) { return comm ? comm->rank() : 0; }
inline int SizeOf(const Comm* comm) { return comm ? comm->size() : 1; }

// Splits items of the given costs over `ranks` ranks, longest first onto the least loaded
// rank (ties: the lower rank), so the slowest rank has at most the fair share plus the
// largest item. Deterministic: every rank computes the same owner for every item.
std::vector<int> AssignByCost(const std::vector<double>& costs, int ranks);

// The first item of rank r's contiguous block when n items are split over `ranks` ranks as
// evenly as possible (r = ranks gives n).
size_t BlockBegin(size_t n, int ranks, int r);

}  // namespace litemp

#endif  // LITEMP_COMM_H_
