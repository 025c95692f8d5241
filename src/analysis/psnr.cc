// PSNR exactly as AIMET computes it (see include/litemp/sensitivity.h), accumulated in double.
#include <algorithm>
#include <cmath>

#include "analysis/psnr_stats.h"
#include "litemp/sensitivity.h"

namespace litemp {

namespace {

template <class T>
void AddRangeT(const T* e, int64_t n, RangeStats* s) {
  double lo = s->lo, hi = s->hi, absmax = s->absmax;
  bool bad = false;
  for (int64_t i = 0; i < n; ++i) {
    const double v = e[i];
    bad |= !std::isfinite(v);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    absmax = std::max(absmax, std::fabs(v));
  }
  s->lo = lo;
  s->hi = hi;
  s->absmax = absmax;
  s->count += n;
  s->nonfinite |= bad;
}

template <class T>
void AddErrorT(const T* e, const T* a, int64_t n, ErrorStats* s) {
  double sum = 0;
  bool bad = false;
  for (int64_t i = 0; i < n; ++i) {
    const double av = a[i];
    if (!std::isfinite(av)) {
      bad = true;
      continue;
    }
    const double d = static_cast<double>(e[i]) - av;
    sum += d * d;
  }
  s->sum_sq += sum;
  s->count += n;
  s->nonfinite |= bad;
}

int64_t RowElements(const Tensor& t, int64_t rows) {
  if (rows < 0 || t.rank() == 0 || t.dim(0) == 0) return t.numel();
  return std::min(rows, t.dim(0)) * (t.numel() / t.dim(0));
}

}  // namespace

void RangeStats::Add(const float* e, int64_t n) { AddRangeT(e, n, this); }
void RangeStats::Add(const double* e, int64_t n) { AddRangeT(e, n, this); }
void ErrorStats::Add(const float* e, const float* a, int64_t n) { AddErrorT(e, a, n, this); }
void ErrorStats::Add(const double* e, const double* a, int64_t n) { AddErrorT(e, a, n, this); }

Result<double> PsnrFromStats(const RangeStats& range, const ErrorStats& err, const std::string& what) {
  if (range.nonfinite) return Status::InvalidArgument("FP32 output " + what + " holds NaN or Inf; PSNR is undefined");
  if (range.count == 0 || err.count == 0) return Status::InvalidArgument("output " + what + " has no elements to score");
  if (err.nonfinite) return -100.0;
  const double r = std::max(std::max(range.hi - range.lo, range.absmax), 1e-10);
  const double noise = std::max(std::sqrt(err.sum_sq / static_cast<double>(err.count)), 1e-15);
  return std::clamp(20.0 * std::log10(r / noise), -100.0, 100.0);
}

Status CheckScorable(const Tensor& e, const Tensor& a, const std::string& what) {
  if (e.dtype() != DType::kFloat32 && e.dtype() != DType::kFloat64)
    return Status::InvalidArgument("output " + what + " is " + DTypeName(e.dtype()) +
                                   "; PSNR needs float32 or float64");
  if (a.dtype() != e.dtype())
    return Status::InvalidArgument("output " + what + ": simulated dtype " + DTypeName(a.dtype()) +
                                   " differs from FP32 dtype " + DTypeName(e.dtype()));
  if (a.shape() != e.shape())
    return Status::InvalidArgument("output " + what + ": simulated shape " + ShapeToString(a.shape()) +
                                   " differs from FP32 shape " + ShapeToString(e.shape()));
  return Status::OK();
}

void AddRange(const Tensor& e, int64_t rows, RangeStats* s) {
  const int64_t n = RowElements(e, rows);
  if (e.dtype() == DType::kFloat64) {
    s->Add(e.data<double>(), n);
  } else {
    s->Add(e.data<float>(), n);
  }
}

void AddError(const Tensor& e, const Tensor& a, int64_t rows, ErrorStats* s) {
  const int64_t n = RowElements(e, rows);
  if (e.dtype() == DType::kFloat64) {
    s->Add(e.data<double>(), a.data<double>(), n);
  } else {
    s->Add(e.data<float>(), a.data<float>(), n);
  }
}

Result<double> Psnr(const Tensor& expected, const Tensor& actual) {
  LITEMP_RETURN_IF_ERROR(CheckScorable(expected, actual, "tensor"));
  const Tensor e = ToPlain(expected), a = ToPlain(actual);
  RangeStats range;
  ErrorStats err;
  AddRange(e, -1, &range);
  AddError(e, a, -1, &err);
  return PsnrFromStats(range, err, "tensor");
}

Result<double> Psnr(const std::vector<Tensor>& expected, const std::vector<Tensor>& actual) {
  if (expected.size() != actual.size())
    return Status::InvalidArgument("PSNR: " + std::to_string(expected.size()) + " expected outputs but " +
                                   std::to_string(actual.size()) + " simulated ones");
  double best = 0;
  bool any = false;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!IsFloat(expected[i].dtype())) continue;
    auto p = Psnr(expected[i], actual[i]);
    if (!p.ok()) return p.status().WithContext("output #" + std::to_string(i));
    best = any ? std::min(best, p.value()) : p.value();
    any = true;
  }
  if (!any) return Status::InvalidArgument("PSNR: no float outputs to score");
  return best;
}

}  // namespace litemp
