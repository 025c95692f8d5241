#include "quant/analyzer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/parallel.h"

namespace litemp {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Folds the finite values of x[0, n) into [*lo, *hi]; NaN and +-inf are skipped.
// Calibration reads every activation here once. Eight lanes in a GCC vector, whose compares
// and selects compile to vector instructions on any x86-64 level (an array of lanes with
// std::min became branches, ~1.5-2 GB/s). Min and max are exact in any order; only a
// zero's sign may differ, which no encoding depends on (ComputeEncoding).
void FoldFiniteRange(const float* x, int64_t n, float* lo, float* hi) {
  typedef float Lanes __attribute__((vector_size(32)));
  constexpr int kLanes = 8;
  Lanes l, h, inf, ninf;
  for (int k = 0; k < kLanes; ++k) {
    l[k] = *lo;
    h[k] = *hi;
    inf[k] = kInf;
    ninf[k] = -kInf;
  }
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    Lanes v;
    std::memcpy(&v, x + i, sizeof v);
    // A compare is false for NaN; v < l also excludes +inf, v > h excludes -inf.
    l = (v < l) & (v > ninf) ? v : l;
    h = (v > h) & (v < inf) ? v : h;
  }
  for (int k = 0; k < kLanes; ++k) {
    *lo = std::min(*lo, l[k]);
    *hi = std::max(*hi, h[k]);
  }
  for (; i < n; ++i) {
    const float v = x[i];
    if (!(std::fabs(v) < kInf)) continue;  // NaN, +-inf
    *lo = std::min(*lo, v);
    *hi = std::max(*hi, v);
  }
}

}  // namespace

Result<Scheme> ParseScheme(const std::string& name) {
  if (name == "min_max" || name == "tf") return Scheme::kMinMax;
  if (name == "tf_enhanced") return Scheme::kTfEnhanced;
  if (name == "percentile") return Scheme::kPercentile;
  return Status::InvalidArgument("unknown scheme '" + name + "' (expected min_max, tf_enhanced or percentile)");
}

const char* SchemeName(Scheme s) {
  switch (s) {
    case Scheme::kMinMax: return "min_max";
    case Scheme::kTfEnhanced: return "tf_enhanced";
    default: return "percentile";
  }
}

Analyzer::Analyzer(Scheme scheme, int channels, float percentile)
    : scheme_(scheme), channels_(std::max(1, channels)), percentile_(percentile) {
  Reset();
}

void Analyzer::Reset() {
  batches_ = 0;
  min_.assign(channels_, std::numeric_limits<float>::infinity());
  max_.assign(channels_, -std::numeric_limits<float>::infinity());
  hist_lo_.assign(channels_, 0.f);
  hist_width_.assign(channels_, 0.f);
  pdf_.clear();
}

void Analyzer::Observe(const float* data, int64_t n, int64_t inner) {
  inner = std::max<int64_t>(1, inner);
  const int64_t block = inner * channels_;
  std::vector<float> bmin(channels_, std::numeric_limits<float>::infinity());
  std::vector<float> bmax(channels_, -std::numeric_limits<float>::infinity());
  if (channels_ == 1) {
    // Split across threads in large chunks; each folds its own, combined in chunk order.
    const int64_t chunk = 1 << 16;
    const int64_t chunks = (n + chunk - 1) / chunk;
    std::vector<float> clo(chunks, kInf), chi(chunks, -kInf);
    ParallelFor(chunks, [&](int64_t b, int64_t e) {
      for (int64_t c = b; c < e; ++c)
        FoldFiniteRange(data + c * chunk, std::min(chunk, n - c * chunk), &clo[c], &chi[c]);
    }, chunk);
    for (int64_t c = 0; c < chunks; ++c) {
      bmin[0] = std::min(bmin[0], clo[c]);
      bmax[0] = std::max(bmax[0], chi[c]);
    }
  } else {
    // [outer, channels, inner]: each channel's run of `inner` values folds at once.
    for (int64_t o = 0; o < n; o += block)
      for (int c = 0; c < channels_ && o + c * inner < n; ++c)
        FoldFiniteRange(data + o + c * inner, std::min(inner, n - o - c * inner), &bmin[c], &bmax[c]);
  }
  for (int c = 0; c < channels_; ++c) {
    min_[c] = std::min(min_[c], bmin[c]);
    max_[c] = std::max(max_[c], bmax[c]);
  }
  if (scheme_ != Scheme::kMinMax) {
    if (batches_ == 0) {
      pdf_.assign(static_cast<size_t>(channels_) * kBins, 0.0);
      for (int c = 0; c < channels_; ++c) {
        float lo = std::isfinite(bmin[c]) ? bmin[c] : 0.f, hi = std::isfinite(bmax[c]) ? bmax[c] : 0.f;
        float centre = 0.5f * (lo + hi), half = 1.5f * (hi - lo);
        if (half <= 0) half = std::max(1e-6f, std::fabs(centre) * 1e-3f);
        hist_lo_[c] = centre - half;
        hist_width_[c] = 2 * half / kBins;
      }
    }
    AddHistogram(data, n, inner);
  }
  ++batches_;
}

void Analyzer::AddHistogram(const float* data, int64_t n, int64_t inner) {
  const int64_t block = inner * channels_;
  std::vector<double> counts(static_cast<size_t>(channels_) * kBins, 0.0);
  std::vector<double> totals(channels_, 0.0);
  for (int64_t i = 0; i < n; ++i) {
    float v = data[i];
    if (!std::isfinite(v)) continue;
    int c = channels_ == 1 ? 0 : static_cast<int>((i % block) / inner);
    float pos = (v - hist_lo_[c]) / hist_width_[c];
    if (pos < 0 || pos >= kBins) continue;  // outside the first batch's widened range
    counts[static_cast<size_t>(c) * kBins + static_cast<int>(pos)] += 1;
    totals[c] += 1;
  }
  for (int c = 0; c < channels_; ++c) {
    if (totals[c] == 0) continue;
    for (int b = 0; b < kBins; ++b) pdf_[static_cast<size_t>(c) * kBins + b] += counts[static_cast<size_t>(c) * kBins + b] / totals[c];
  }
}

Encoding Analyzer::Compute(int c, const QuantSpec& spec) const {
  float lo = std::isfinite(min_[c]) ? min_[c] : 0.f;
  float hi = std::isfinite(max_[c]) ? max_[c] : 0.f;
  switch (scheme_) {
    case Scheme::kMinMax: return ComputeEncoding(lo, hi, spec);
    case Scheme::kTfEnhanced: return TfEnhanced(c, lo, hi, spec);
    default: return Percentile(c, lo, hi, spec);
  }
}

Encoding Analyzer::Percentile(int c, float lo, float hi, const QuantSpec& spec) const {
  if (percentile_ >= 100.f || pdf_.empty()) return ComputeEncoding(lo, hi, spec);
  const double* p = &pdf_[static_cast<size_t>(c) * kBins];
  double total = 0;
  for (int b = 0; b < kBins; ++b) total += p[b];
  if (total <= 0) return ComputeEncoding(lo, hi, spec);
  const double lo_q = (100.0 - percentile_) / 100.0 * total, hi_q = percentile_ / 100.0 * total;
  double acc = 0;
  float plo = lo, phi = hi;
  bool found_lo = false;
  for (int b = 0; b < kBins; ++b) {
    acc += p[b];
    if (!found_lo && acc >= lo_q) {
      plo = hist_lo_[c] + b * hist_width_[c];
      found_lo = true;
    }
    if (acc >= hi_q) {
      phi = hist_lo_[c] + (b + 1) * hist_width_[c];
      break;
    }
  }
  return ComputeEncoding(std::max(plo, lo), std::min(phi, hi), spec);
}

Encoding Analyzer::TfEnhanced(int c, float lo, float hi, const QuantSpec& spec) const {
  const Encoding observed = ComputeEncoding(lo, hi, spec);
  if (pdf_.empty()) return observed;
  lo = std::min(lo, 0.f);
  hi = std::max({hi, 0.f, lo + 0.01f});
  const double* p = &pdf_[static_cast<size_t>(c) * kBins];
  const int64_t steps = spec.steps();
  // Cost of one candidate over the bin centres: 3 * saturation + rounding error.
  auto cost = [&](const Encoding& e) {
    double sat = 0, rnd = 0;
    const double qlo = static_cast<double>(e.offset), qhi = static_cast<double>(e.offset + e.steps);
    for (int b = 0; b < kBins; ++b) {
      if (p[b] == 0) continue;
      double x = hist_lo_[c] + (b + 0.5) * hist_width_[c];
      double r = std::nearbyint(x / e.scale);
      bool saturated = r < qlo || r > qhi;
      r = std::clamp(r, qlo, qhi);
      double err = (r * e.scale - x) * (r * e.scale - x) * p[b];
      (saturated ? sat : rnd) += err;
    }
    return 3.0 * sat + rnd;
  };
  Encoding best = observed;
  double best_cost = cost(observed);
  auto consider = [&](const Encoding& e) {
    if (!(e.scale > 0) || !std::isfinite(e.scale)) return;
    double k = cost(e);
    if (k < best_cost) best_cost = k, best = e;
  };
  if (spec.symmetric) {
    const int64_t pos = steps / 2;
    const float absmax = std::max(std::fabs(lo), std::fabs(hi));
    const float max_delta = absmax / static_cast<float>(pos);
    for (int d = 1; d <= 101; ++d) {
      float delta = max_delta * static_cast<float>(d) / 100.f;
      consider(MakeEncoding(delta, observed.offset, spec));
    }
    return best;
  }
  const float max_delta = (hi - lo) / static_cast<float>(steps);
  for (int d = 1; d <= 17; ++d) {
    const float delta = max_delta * static_cast<float>(d) / 16.f;
    for (int o = 0; o < 21; ++o) {
      float offset = std::round(-static_cast<float>(steps) + static_cast<float>(steps) * o / 20.f);
      // Clip the candidate's range to the observed one, then re-derive delta and offset.
      float cmin = std::max(lo, delta * offset);
      float cmax = std::min(hi, delta * (offset + static_cast<float>(steps)));
      if (cmax <= cmin) continue;
      float cdelta = (cmax - cmin) / static_cast<float>(steps);
      int64_t coff = std::clamp<int64_t>(static_cast<int64_t>(std::round(cmin / cdelta)), -steps, 0);
      consider(MakeEncoding(cdelta, coff, spec));
    }
  }
  return best;
}

}  // namespace litemp
