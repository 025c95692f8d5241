// Progress reporting for long steps: a redrawn bar on a terminal, a few plain lines
// otherwise (logs stay readable), nothing when quiet. Writes to stderr, unless a sink is
// installed on the thread that creates the Progress (the Python module's callback).
#ifndef LITEMP_CORE_PROGRESS_H_
#define LITEMP_CORE_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace litemp {

// Receives every update (units done of total) in place of the stderr bar.
using ProgressSink = std::function<void(const std::string& label, int64_t done, int64_t total)>;

// Routes the progress of Progress objects created on this thread, while the scope lives, to
// `sink`, quiet or not. Scopes nest; the innermost wins.
class ScopedProgressSink {
 public:
  explicit ScopedProgressSink(ProgressSink sink);
  ~ScopedProgressSink();
  ScopedProgressSink(const ScopedProgressSink&) = delete;
  ScopedProgressSink& operator=(const ScopedProgressSink&) = delete;

 private:
  ProgressSink sink_;
  const ProgressSink* previous_;
};

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
  const ProgressSink* sink_;  // the thread's sink at construction, or null
  int64_t total_, done_ = 0;
  bool quiet_, tty_, finished_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace litemp

#endif  // LITEMP_CORE_PROGRESS_H_
