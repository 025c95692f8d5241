#include "dist/mpi_comm.h"

#include <mpi.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

namespace litemp {

namespace {

// The crash line, formatted before any crash: a signal handler may only write().
char g_crash_prefix[64];

void OnFatalSignal(int sig) {
  const char* what = sig == SIGSEGV ? "segmentation fault"
                     : sig == SIGBUS ? "bus error"
                     : sig == SIGFPE ? "arithmetic exception"
                     : sig == SIGILL ? "illegal instruction"
                                     : "aborted";
  ssize_t ignored = write(STDERR_FILENO, g_crash_prefix, std::strlen(g_crash_prefix));
  ignored = write(STDERR_FILENO, what, std::strlen(what));
  ignored = write(STDERR_FILENO, ")\n", 2);
  (void)ignored;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void InstallCrashHandler(int rank) {
  std::snprintf(g_crash_prefix, sizeof(g_crash_prefix), "error: rank %d: crashed (", rank);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, OnFatalSignal);
}

}  // namespace

bool LaunchedByMpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

std::unique_ptr<MpiComm> MpiComm::Init(int* argc, char*** argv) {
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  std::unique_ptr<MpiComm> c(new MpiComm());
  MPI_Comm_rank(MPI_COMM_WORLD, &c->rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &c->size_);
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &c->local_size_);
  MPI_Comm_free(&node);
  InstallCrashHandler(c->rank_);
  return c;
}

MpiComm::~MpiComm() { MPI_Finalize(); }

void MpiComm::Abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; this keeps [[noreturn]] honest
}

Status MpiComm::AllGather(const std::string& mine, std::vector<std::string>* all) {
  long long n = static_cast<long long>(mine.size());
  std::vector<long long> sizes(size_);
  if (MPI_Allgather(&n, 1, MPI_LONG_LONG, sizes.data(), 1, MPI_LONG_LONG, MPI_COMM_WORLD) != MPI_SUCCESS)
    return Status::Internal("MPI_Allgather failed");
  std::vector<int> counts(size_), displs(size_);
  long long total = 0;
  for (int r = 0; r < size_; ++r) {
    if (sizes[r] > (1LL << 30) || total > (1LL << 30)) return Status::Internal("exchange payload over 1 GiB");
    counts[r] = static_cast<int>(sizes[r]);
    displs[r] = static_cast<int>(total);
    total += sizes[r];
  }
  std::string buf(static_cast<size_t>(total), '\0');
  if (MPI_Allgatherv(mine.data(), static_cast<int>(n), MPI_CHAR, buf.data(), counts.data(), displs.data(), MPI_CHAR,
                     MPI_COMM_WORLD) != MPI_SUCCESS)
    return Status::Internal("MPI_Allgatherv failed");
  all->resize(size_);
  for (int r = 0; r < size_; ++r) (*all)[r] = buf.substr(displs[r], counts[r]);
  return Status::OK();
}

}  // namespace litemp
