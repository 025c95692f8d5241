// FidelityMeter: PSNR (through the sweep's decomposable statistics), SQNR and top-1
// agreement accumulated over an evaluation set.
#include "litemp/fidelity.h"

#include <algorithm>
#include <cmath>

#include "analysis/psnr_stats.h"
#include "core/bytes.h"

namespace litemp {

struct FidelityMeter::Stats {
  RangeStats range;
  ErrorStats error;
  double signal = 0;  // sum e^2
  bool used = false;  // a float output was added
};

namespace {

template <class T>
double SumSquares(const T* e, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s += static_cast<double>(e[i]) * static_cast<double>(e[i]);
  return s;
}

double Sqnr(double signal, const ErrorStats& err) {
  if (err.nonfinite) return -100.0;
  const double noise = std::max(err.sum_sq, 1e-30);
  if (signal <= 0) return err.sum_sq > 0 ? -100.0 : 100.0;  // an all-zero output
  return std::clamp(10.0 * std::log10(signal / noise), -100.0, 100.0);
}

}  // namespace

FidelityMeter::FidelityMeter(std::vector<std::string> output_names)
    : names_(std::move(output_names)), stats_(names_.size()) {}
FidelityMeter::~FidelityMeter() = default;
FidelityMeter::FidelityMeter(FidelityMeter&&) noexcept = default;
FidelityMeter& FidelityMeter::operator=(FidelityMeter&&) noexcept = default;

Result<std::string> FidelityMeter::Measure(const std::vector<Tensor>& expected, const std::vector<Tensor>& actual) const {
  if (expected.size() != names_.size() || actual.size() != names_.size())
    return Status::InvalidArgument("fidelity: expected " + std::to_string(names_.size()) + " outputs, got " +
                                   std::to_string(expected.size()) + " and " + std::to_string(actual.size()));
  ByteWriter w;
  for (size_t j = 0; j < names_.size(); ++j) {
    if (!IsFloat(expected[j].dtype()) || expected[j].dtype() == DType::kFloat16) continue;
    const std::string what = "'" + names_[j] + "'";
    LITEMP_RETURN_IF_ERROR(CheckScorable(expected[j], actual[j], what));
    const Tensor e = ToPlain(expected[j]), a = ToPlain(actual[j]);
    // Fresh statistics: the meter adds each batch's sums to its own, as Add always did.
    Stats s;
    AddRange(e, -1, &s.range);
    AddError(e, a, -1, &s.error);
    s.signal = e.dtype() == DType::kFloat64 ? SumSquares(e.data<double>(), e.numel())
                                            : SumSquares(e.data<float>(), e.numel());
    s.used = true;
    w.Put<uint64_t>(j);
    w.Put(s);
  }
  return w.Take();
}

Status FidelityMeter::AddMeasured(const std::string& measured, int64_t samples) {
  ByteReader in(measured);
  while (!in.done()) {
    uint64_t j = 0;
    Stats b;
    LITEMP_RETURN_IF_ERROR(in.Get(&j));
    LITEMP_RETURN_IF_ERROR(in.Get(&b));
    if (j >= stats_.size()) return Status::Internal("fidelity: a measurement names an unknown output");
    Stats& s = stats_[j];
    s.range.lo = std::min(s.range.lo, b.range.lo);
    s.range.hi = std::max(s.range.hi, b.range.hi);
    s.range.absmax = std::max(s.range.absmax, b.range.absmax);
    s.range.count += b.range.count;
    s.range.nonfinite |= b.range.nonfinite;
    s.error.sum_sq += b.error.sum_sq;
    s.error.count += b.error.count;
    s.error.nonfinite |= b.error.nonfinite;
    s.signal += b.signal;
    s.used = true;
  }
  samples_ += samples;
  return Status::OK();
}

Status FidelityMeter::Add(const std::vector<Tensor>& expected, const std::vector<Tensor>& actual, int64_t samples) {
  LITEMP_ASSIGN_OR_RETURN(std::string measured, Measure(expected, actual));
  return AddMeasured(measured, samples);
}

void FidelityMeter::AddAgreement(int64_t agree, int64_t n) {
  agree_ += agree;
  agree_n_ += n;
}

Result<Fidelity> FidelityMeter::Finish() const {
  Fidelity f;
  f.samples = samples_;
  for (size_t j = 0; j < names_.size(); ++j) {
    const Stats& s = stats_[j];
    if (!s.used) continue;
    OutputFidelity o;
    o.name = names_[j];
    LITEMP_ASSIGN_OR_RETURN(o.psnr, PsnrFromStats(s.range, s.error, "'" + names_[j] + "'"));
    o.sqnr = Sqnr(s.signal, s.error);
    f.psnr += o.psnr;
    f.sqnr += o.sqnr;
    f.outputs.push_back(std::move(o));
  }
  if (f.outputs.empty()) return Status::InvalidArgument("fidelity: the model has no float outputs to compare");
  f.psnr /= static_cast<double>(f.outputs.size());
  f.sqnr /= static_cast<double>(f.outputs.size());
  if (agree_n_ > 0) f.top1_agreement = static_cast<double>(agree_) / static_cast<double>(agree_n_);
  return f;
}

}  // namespace litemp
