#include "litemp/staging.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

namespace litemp {

namespace fs = std::filesystem;

namespace {
constexpr const char* kPrefix = ".litemp-staging-";
constexpr const char* kLock = ".lock";  // inside the staging folder; never committed

// A staging folder whose owner is gone: its lock can be taken, or (no lock file yet, or a
// run of an older version) its PID names no process.
bool IsStale(const fs::path& dir, long pid) {
  const int fd = ::open((dir / kLock).c_str(), O_RDWR | O_CLOEXEC);
  if (fd >= 0) {
    const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    return free;
  }
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}
}  // namespace

Staging::~Staging() {
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
  if (lock_fd_ >= 0) ::close(lock_fd_);
  if (created_out_ && !committed_) fs::remove(out_, ec);  // fs::remove leaves a non-empty folder
}

Status Staging::Create() {
  std::error_code ec;
  created_out_ = fs::create_directories(out_, ec);
  if (ec || !fs::is_directory(out_)) return Status::IOError("cannot create output folder '" + out_ + "': " + ec.message());
  RemoveStale();
  static std::atomic<int> serial{0};  // several runs of one process may share a folder
  dir_ = (fs::path(out_) / (kPrefix + std::to_string(::getpid()) + "-" + std::to_string(serial++))).string();
  fs::remove_all(dir_, ec);
  fs::create_directories(dir_, ec);
  if (ec) return Status::IOError("cannot write in '" + out_ + "': " + ec.message());
  lock_fd_ = ::open((fs::path(dir_) / kLock).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0)
    return Status::IOError("cannot lock '" + dir_ + "/" + kLock + "': " + std::strerror(errno));
  return Status::OK();
}

Status Staging::Commit() {
  std::vector<fs::path> files;
  std::error_code ec;
  // increment(ec), not ++: a folder changing underneath must not throw.
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename() != kLock) files.push_back(it->path());
  if (ec) return Status::IOError("cannot list '" + dir_ + "': " + ec.message());
  std::stable_partition(files.begin(), files.end(), [](const fs::path& p) { return p.filename() != "summary.json"; });
  fs::remove(fs::path(out_) / "summary.json", ec);
  if (ec) return Status::IOError("cannot replace '" + out_ + "/summary.json': " + ec.message());
  for (const auto& f : files) {
    fs::rename(f, fs::path(out_) / f.filename(), ec);
    if (ec) return Status::IOError("cannot move '" + f.string() + "' into '" + out_ + "': " + ec.message());
    committed_ = true;
  }
  return Status::OK();
}

void Staging::RemoveStale() {
  std::error_code ec;
  std::vector<fs::path> stale;  // removed after the listing, not during it
  for (fs::directory_iterator it(out_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    if (IsStale(it->path(), std::strtol(name.c_str() + std::strlen(kPrefix), nullptr, 10))) stale.push_back(it->path());
  }
  for (const auto& p : stale) fs::remove_all(p, ec);
}

}  // namespace litemp
