// litemp command-line tool: parses flags, calls the library, prints, maps errors to exit codes.
// Started by an MPI launcher (and built with LITEMP_MPI), it is one rank of a job.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <new>
#include <string>

#include "cli/commands.h"
#include "cli/flags.h"
#include "litemp/tensor.h"
#ifdef LITEMP_WITH_MPI
#include "dist/mpi_comm.h"
#endif

namespace {

#ifdef LITEMP_WITH_MPI
litemp::MpiComm* g_mpi = nullptr;  // the job, when launched by an MPI launcher
#endif

// An exception escaped the command: say so (naming the rank in a job) and fail. In a job
// the other ranks may be waiting for this one in an exchange, so the whole job is aborted.
int Crash(const char* what) {
  litemp::Comm* job = litemp::cli::JobComm();
  const std::string rank = litemp::SizeOf(job) > 1 ? "rank " + std::to_string(job->rank()) + ": " : "";
  std::fprintf(stderr, "error: %s%s\n", rank.c_str(), what);
  std::fflush(stderr);
#ifdef LITEMP_WITH_MPI
  if (g_mpi && g_mpi->size() > 1) g_mpi->Abort(70);
#endif
  return 70;
}

#ifndef LITEMP_WITH_MPI
// One of several ranks started by an MPI launcher (its environment says so).
bool StartedAsRanks() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
    if (const char* s = std::getenv(v); s && std::atoi(s) > 1) return true;
  return false;
}
#endif

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
  litemp::RetainFreedMemory();
#ifdef LITEMP_WITH_MPI
  std::unique_ptr<litemp::MpiComm> mpi;
  if (litemp::LaunchedByMpi()) {
    mpi = litemp::MpiComm::Init(&argc, &argv);
    g_mpi = mpi.get();
    litemp::cli::SetJob(mpi.get(), mpi->local_size());
  }
  const int rc = RunCli(argc, argv);
  litemp::cli::SetJob(nullptr, 1);
  g_mpi = nullptr;
  mpi.reset();  // MPI_Finalize: every rank gets here unless it crashed
  return rc;
#else
  // Without MPI each rank would run the whole job alone, all writing the same --out.
  if (StartedAsRanks()) {
    std::fprintf(stderr, "error: started as one of several MPI ranks, but this litemp was built without MPI "
                         "(install libopenmpi-dev and rebuild, or run it without mpirun)\n");
    return 2;
  }
  return RunCli(argc, argv);
#endif
}
