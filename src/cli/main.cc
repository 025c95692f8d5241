// litemp command-line tool: parses flags, calls the library, prints, maps errors to exit codes.
// Started by an MPI launcher (and built with LITEMP_MPI), it is one rank of a job.
#include <malloc.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <new>
#include <string>

#include "cli/commands.h"
#include "cli/flags.h"
#ifdef LITEMP_WITH_MPI
#include "dist/mpi_comm.h"
#endif

namespace {

// An exception escaped the command: say so (naming the rank in a job, whose other ranks
// are then stopped by the launcher) and fail.
int Crash(const char* what) {
  litemp::Comm* job = litemp::cli::JobComm();
  const std::string rank = litemp::SizeOf(job) > 1 ? "rank " + std::to_string(job->rank()) + ": " : "";
  std::fprintf(stderr, "error: %s%s\n", rank.c_str(), what);
  return 70;
}

int RunCli(int argc, char** argv) {
  try {
    return litemp::cli::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    return Crash("out of memory (try a smaller --batch, --sens or --memory-budget)");
  } catch (const std::exception& e) {
    return Crash(e.what());
  } catch (...) {
    return Crash("unexpected failure");
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Activations are large and short-lived: keep freed memory in the heap instead of
  // returning it to the kernel, so each inference does not page-fault fresh mmap()s
  // (measured: ~580 ms of system time per MobileNetV2 batch of 32 without this).
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#ifdef LITEMP_WITH_MPI
  std::unique_ptr<litemp::MpiComm> mpi;
  if (litemp::LaunchedByMpi()) {
    mpi = litemp::MpiComm::Init(&argc, &argv);
    litemp::cli::SetJob(mpi.get(), mpi->local_size());
  }
  const int rc = RunCli(argc, argv);
  litemp::cli::SetJob(nullptr, 1);
  mpi.reset();  // MPI_Finalize: every rank gets here unless it crashed
  return rc;
#else
  return RunCli(argc, argv);
#endif
}
