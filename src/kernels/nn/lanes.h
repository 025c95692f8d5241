// Small loops written with independent lanes so that they vectorise without -ffast-math:
// a plain `s += x[i]` is a loop-carried dependency the compiler may not reorder.
#ifndef LITEMP_KERNELS_NN_LANES_H_
#define LITEMP_KERNELS_NN_LANES_H_

#include <algorithm>
#include <cstdint>
#include <limits>

namespace litemp::nn {

// Sum of x[0..n) accumulated in double.
template <class T>
double SumDouble(const T* x, int64_t n) {
  constexpr int kLanes = 8;
  double acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) acc[j] += static_cast<double>(x[i + j]);
  double s = 0;
  for (; i < n; ++i) s += static_cast<double>(x[i]);
  for (int j = 0; j < kLanes; ++j) s += acc[j];
  return s;
}

// Sum of (x[i] - mean)^2 accumulated in double.
template <class T>
double SumSqDevDouble(const T* x, int64_t n, double mean) {
  constexpr int kLanes = 8;
  double acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) {
      const double v = static_cast<double>(x[i + j]) - mean;
      acc[j] += v * v;
    }
  double s = 0;
  for (; i < n; ++i) {
    const double v = static_cast<double>(x[i]) - mean;
    s += v * v;
  }
  for (int j = 0; j < kLanes; ++j) s += acc[j];
  return s;
}

// Maximum of x[0..n); lowest value (or -inf) for n == 0.
template <class T>
T MaxOf(const T* x, int64_t n) {
  constexpr int kLanes = 16;
  constexpr T kInit = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                           : std::numeric_limits<T>::lowest();
  T acc[kLanes];
  for (int j = 0; j < kLanes; ++j) acc[j] = kInit;
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) acc[j] = std::max(acc[j], x[i + j]);
  T m = kInit;
  for (; i < n; ++i) m = std::max(m, x[i]);
  for (int j = 0; j < kLanes; ++j) m = std::max(m, acc[j]);
  return m;
}

}  // namespace litemp::nn

#endif  // LITEMP_KERNELS_NN_LANES_H_
