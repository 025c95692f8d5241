#include "litemp/staging.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

namespace litemp {

namespace fs = std::filesystem;

namespace {
constexpr const char* kPrefix = ".litemp-staging-";
}  // namespace

Staging::~Staging() {
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
  if (created_out_ && !committed_) fs::remove(out_, ec);  // fs::remove leaves a non-empty folder
}

Status Staging::Create() {
  std::error_code ec;
  created_out_ = fs::create_directories(out_, ec);
  if (ec || !fs::is_directory(out_)) return Status::IOError("cannot create output folder '" + out_ + "': " + ec.message());
  RemoveStale();
  dir_ = (fs::path(out_) / (kPrefix + std::to_string(::getpid()))).string();
  fs::remove_all(dir_, ec);
  fs::create_directories(dir_, ec);
  if (ec) return Status::IOError("cannot write in '" + out_ + "': " + ec.message());
  return Status::OK();
}

Status Staging::Commit() {
  std::vector<fs::path> files;
  std::error_code ec;
  // increment(ec), not ++: a folder changing underneath must not throw.
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) files.push_back(it->path());
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

// A staging folder whose process is gone belongs to a killed run.
void Staging::RemoveStale() {
  std::error_code ec;
  for (fs::directory_iterator it(out_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + std::strlen(kPrefix), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove_all(it->path(), ec);
  }
}

}  // namespace litemp
