// Progress reporting for long steps: a redrawn bar on a terminal, a few plain lines
// otherwise (logs stay readable), nothing when quiet. Writes to stderr.
#ifndef LITEMP_CORE_PROGRESS_H_
#define LITEMP_CORE_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace litemp {

class Progress {
 public:
  // `total` units of work labelled `label`; quiet disables all output.
  Progress(std::string label, int64_t total, bool quiet = false);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Adds `n` done units and redraws when due.
  void Advance(int64_t n = 1);
  // Completes the bar and reports the time. Not called by the destructor, so a step that
  // fails part-way prints no "done" line.
  void Finish();

 private:
  void Draw(bool final);
  std::string label_;
  int64_t total_, done_ = 0;
  bool quiet_, tty_, finished_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace litemp

#endif  // LITEMP_CORE_PROGRESS_H_
