// Decomposable PSNR statistics. AIMET's PSNR over K stacked samples depends on the FP32
// output only through its min/max/absmax and on the error only through the sum of squared
// differences and the element count, so it can be accumulated chunk by chunk (and the FP32
// part shared by every layer of a sweep).
#ifndef LITEMP_ANALYSIS_PSNR_STATS_H_
#define LITEMP_ANALYSIS_PSNR_STATS_H_

#include <cstdint>
#include <limits>
#include <string>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

// Statistics of the expected (FP32) values.
struct RangeStats {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  double absmax = 0;
  int64_t count = 0;
  bool nonfinite = false;

  void Add(const float* e, int64_t n);
  void Add(const double* e, int64_t n);
};

// Statistics of the error between expected and actual values.
struct ErrorStats {
  double sum_sq = 0;
  int64_t count = 0;
  bool nonfinite = false;  // NaN/Inf seen in `actual`

  void Add(const float* e, const float* a, int64_t n);
  void Add(const double* e, const double* a, int64_t n);
};

// The AIMET formula. `what` names the tensor in errors (NaN/Inf in expected, no elements).
Result<double> PsnrFromStats(const RangeStats& range, const ErrorStats& err, const std::string& what);

// Checks that `a` can be scored against `e`: same dtype (float32/float64) and shape.
Status CheckScorable(const Tensor& e, const Tensor& a, const std::string& what);

// Adds rows [0, rows) of dim 0 (all elements when rows < 0) of plain tensors.
void AddRange(const Tensor& e, int64_t rows, RangeStats* s);
void AddError(const Tensor& e, const Tensor& a, int64_t rows, ErrorStats* s);

}  // namespace litemp

#endif  // LITEMP_ANALYSIS_PSNR_STATS_H_
