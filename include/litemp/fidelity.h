// Fidelity of a simulation to the FP32 model over an evaluation set: what a user without
// class labels judges a quantized model by, and a low-variance measure beside accuracy.
//
// Per float output, over every evaluated sample stacked (AIMET's PSNR definition, the one
// the sensitivity sweep uses, see sensitivity.h):
//   psnr = 20 log10(range / rms(e - a)),  range = max(max(e) - min(e), max|e|)
//   sqnr = 10 log10(sum e^2 / sum (e - a)^2)
// both clipped to [-100, 100] dB (an exact match gives 100; NaN/Inf in the simulated output
// gives -100; NaN/Inf in the FP32 output is an error). The model's figure is the mean over
// its float outputs. For a score output ([N, classes]), top-1 agreement is the fraction of
// samples whose argmax equals FP32's.
//
//   FidelityMeter m({"logits"});
//   for each batch: m.Add(fp32_outputs, sim_outputs);  m.AddAgreement(same, n);
//   Fidelity f = m.Finish().value();
#ifndef LITEMP_FIDELITY_H_
#define LITEMP_FIDELITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

struct OutputFidelity {
  std::string name;
  double psnr = 0;  // dB
  double sqnr = 0;  // dB
};

struct Fidelity {
  int64_t samples = 0;
  double psnr = 0;  // mean over the float outputs, dB
  double sqnr = 0;  // mean over the float outputs, dB
  std::optional<double> top1_agreement;  // fraction in [0, 1], for a score output
  std::vector<OutputFidelity> outputs;   // the float outputs, in model order
};

// Accumulates the statistics batch by batch; memory does not grow with the sample count.
class FidelityMeter {
 public:
  // `output_names`: the outputs Add will receive, in that order (names for reports/errors).
  explicit FidelityMeter(std::vector<std::string> output_names);
  ~FidelityMeter();
  FidelityMeter(FidelityMeter&&) noexcept;
  FidelityMeter& operator=(FidelityMeter&&) noexcept;

  // One batch: the FP32 outputs and the simulated ones, same count, order, dtypes and
  // shapes. Non-float outputs are skipped. InvalidArgument naming the output otherwise.
  Status Add(const std::vector<Tensor>& expected, const std::vector<Tensor>& actual, int64_t samples);
  // Add in two halves, for batches scored in another process: Measure computes one batch's
  // statistics (as bytes to ship) without touching the meter; AddMeasured adds them. Adding
  // every batch's measurement in batch order gives bit-identical figures to Add.
  Result<std::string> Measure(const std::vector<Tensor>& expected, const std::vector<Tensor>& actual) const;
  Status AddMeasured(const std::string& measured, int64_t samples);
  // `agree` of `n` samples had the same top-1 class as FP32.
  void AddAgreement(int64_t agree, int64_t n);
  // The figures; InvalidArgument when nothing float was added or an FP32 output held NaN/Inf.
  Result<Fidelity> Finish() const;

 private:
  struct Stats;
  std::vector<std::string> names_;
  std::vector<Stats> stats_;
  int64_t samples_ = 0, agree_ = 0, agree_n_ = 0;
};

}  // namespace litemp

#endif  // LITEMP_FIDELITY_H_
