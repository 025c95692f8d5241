// The output folder of a run: files are written into a hidden staging folder inside it and
// moved in together at the end, summary.json last, so a failed or killed run never leaves a
// half-written result (and the next run clears what a killed one staged). A run holds an
// flock on its staging folder's lock file for its lifetime: the kernel drops it however the
// process ends, so a folder whose lock can be taken belongs to a finished or killed run,
// whatever its PID now names, and a live run's folder is never taken for stale.
#ifndef LITEMP_LITEMP_STAGING_H_
#define LITEMP_LITEMP_STAGING_H_

#include <string>

#include "litemp/status.h"

namespace litemp {

class Staging {
 public:
  explicit Staging(std::string out) : out_(std::move(out)) {}
  // Removes the staging folder, and the output folder too if this run created it and
  // nothing was committed (a non-empty folder is left alone).
  ~Staging();
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;

  // Creates the output folder (with parents) and a fresh staging folder in it; removes
  // staging folders of runs that were killed.
  Status Create();
  const std::string& dir() const { return dir_; }
  // Moves every staged file into the output folder, summary.json last. The previous
  // summary.json goes first: if the moves are cut short, the folder has no summary.json
  // rather than an old one beside new files.
  Status Commit();

 private:
  void RemoveStale();

  std::string out_, dir_;
  int lock_fd_ = -1;
  bool created_out_ = false, committed_ = false;
};

}  // namespace litemp

#endif  // LITEMP_LITEMP_STAGING_H_
