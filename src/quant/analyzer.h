// Encoding analyzers: gather statistics over calibration batches, then derive encodings.
//
//  min_max      running min/max (AIMET "tf").
//  tf_enhanced  AIMET's SQNR search: a 1536-bin histogram (range fixed by the first batch,
//               widened 3x about its centre; later values outside it are dropped; per-batch
//               histograms normalised and averaged), candidates scored by
//               3 * saturation error + rounding error; the cheapest wins.
//  percentile   same histogram; [100-p, p] percentiles of its CDF (p = 100: observed range).
// Statistics are per channel when the analyzer is built with channels > 1.
#ifndef LITEMP_QUANT_ANALYZER_H_
#define LITEMP_QUANT_ANALYZER_H_

#include <memory>
#include <string>
#include <vector>

#include "litemp/status.h"
#include "quant/encoding.h"

namespace litemp {

enum class Scheme { kMinMax, kTfEnhanced, kPercentile };

// "min_max" | "tf_enhanced" | "percentile" (also AIMET's "tf").
Result<Scheme> ParseScheme(const std::string& name);
const char* SchemeName(Scheme s);

class Analyzer {
 public:
  // `percentile` is used by kPercentile only, in (50, 100].
  Analyzer(Scheme scheme, int channels, float percentile = 100.f);

  void Reset();
  // Observes one batch. Element i belongs to channel (i / inner) % channels, i.e. the
  // data is [outer, channels, inner] in memory.
  void Observe(const float* data, int64_t n, int64_t inner);
  bool has_stats() const { return batches_ > 0; }
  // Observed range of channel c (after NaN/Inf were skipped).
  float observed_min(int c) const { return min_[c]; }
  float observed_max(int c) const { return max_[c]; }
  // Encoding of channel c. REQUIRES: has_stats().
  Encoding Compute(int c, const QuantSpec& spec) const;
  int channels() const { return channels_; }

 private:
  static constexpr int kBins = 1536;
  void AddHistogram(const float* data, int64_t n, int64_t inner);
  Encoding TfEnhanced(int c, float lo, float hi, const QuantSpec& spec) const;
  Encoding Percentile(int c, float lo, float hi, const QuantSpec& spec) const;

  Scheme scheme_;
  int channels_;
  float percentile_;
  int64_t batches_ = 0;
  std::vector<float> min_, max_;
  // Histogram state (tf_enhanced / percentile): per channel range and averaged pdf.
  std::vector<float> hist_lo_, hist_width_;  // bin 0 starts at lo; width per bin
  std::vector<double> pdf_;                   // channels x kBins, summed normalised pdfs
};

}  // namespace litemp

#endif  // LITEMP_QUANT_ANALYZER_H_
