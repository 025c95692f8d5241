// Wall-clock time of a step, for timings in reports and progress lines.
#ifndef LITEMP_CORE_STOPWATCH_H_
#define LITEMP_CORE_STOPWATCH_H_

#include <chrono>

namespace litemp {

class Stopwatch {
 public:
  // Seconds since construction.
  double Seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(); }

 private:
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
};

}  // namespace litemp

#endif  // LITEMP_CORE_STOPWATCH_H_
