// The MPI transport for litemp::Comm (include/litemp/comm.h). Only the command-line tool
// links it (CMake option LITEMP_MPI); the library never depends on MPI.
#ifndef LITEMP_DIST_MPI_COMM_H_
#define LITEMP_DIST_MPI_COMM_H_

#include <memory>

#include "litemp/comm.h"

namespace litemp {

// True when this process was started by an MPI launcher (mpirun, srun): only then is MPI
// initialized, so a plain `litemp run` never pays for it or needs a launcher.
bool LaunchedByMpi();

class MpiComm final : public Comm {
 public:
  // MPI_Init (FUNNELED: only the main thread calls MPI) over MPI_COMM_WORLD. On a fatal
  // signal each rank prints one "error: rank N: crashed (...)" line before dying, so a job
  // whose rank crashed says which one.
  static std::unique_ptr<MpiComm> Init(int* argc, char*** argv);
  ~MpiComm() override;  // MPI_Finalize

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  // Ranks sharing this node (for the default thread count).
  int local_size() const { return local_size_; }
  // Ends every rank of the job now (MPI_Abort). For a rank that cannot go on and cannot tell
  // the others through an exchange (an exception escaped): MPI_Finalize would wait for
  // ranks that wait for it.
  [[noreturn]] void Abort(int code);

 protected:
  Status AllGather(const std::string& mine, std::vector<std::string>* all) override;

 private:
  MpiComm() = default;
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

}  // namespace litemp

#endif  // LITEMP_DIST_MPI_COMM_H_
