#include "core/progress.h"

#include <unistd.h>

#include <cstdio>

namespace litemp {

namespace {
thread_local const ProgressSink* current_sink = nullptr;
}  // namespace

ScopedProgressSink::ScopedProgressSink(ProgressSink sink) : sink_(std::move(sink)), previous_(current_sink) {
  current_sink = &sink_;
}
ScopedProgressSink::~ScopedProgressSink() { current_sink = previous_; }

Progress::Progress(std::string label, int64_t total, bool quiet)
    : label_(std::move(label)), sink_(current_sink), total_(total > 0 ? total : 1), quiet_(quiet), tty_(isatty(STDERR_FILENO) == 1) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

// Destroyed without Finish() (an error path): end the bar's line without claiming "done".
Progress::~Progress() {
  if (!finished_ && !sink_ && !quiet_ && tty_ && done_ > 0) std::fputc('\n', stderr);
}

void Progress::Advance(int64_t n) {
  done_ += n;
  if (done_ > total_) done_ = total_;
  Draw(false);
}

void Progress::Finish() {
  if (finished_) return;
  finished_ = true;
  const bool reported = sink_ && done_ == total_;  // the sink already saw the last unit
  done_ = total_;
  if (!reported) Draw(true);
}

void Progress::Draw(bool final) {
  if (sink_) {
    (*sink_)(label_, done_, total_);
    return;
  }
  if (quiet_) return;
  auto now = std::chrono::steady_clock::now();
  double secs = std::chrono::duration<double>(now - start_).count();
  if (tty_) {
    if (!final && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const int width = 30;
    int filled = static_cast<int>(width * done_ / total_);
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r%-22s [%s] %lld/%lld %.1fs%s", label_.c_str(), bar.c_str(), (long long)done_,
                 (long long)total_, secs, final ? "\n" : "");
    std::fflush(stderr);
    return;
  }
  // Not a terminal: only the final line, so logs stay short.
  if (final) std::fprintf(stderr, "%s: %lld/%lld done in %.1fs\n", label_.c_str(), (long long)done_, (long long)total_, secs);
}

}  // namespace litemp
