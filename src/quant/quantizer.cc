#include "quant/quantizer.h"

#include "core/parallel.h"

namespace litemp {

namespace {
// Memory geometry of the channel axis: [outer, channels, inner].
int64_t InnerSize(const Tensor& t, int axis) {
  if (t.layout() == Layout::kNhwc && axis == 1) return 1;  // channels are innermost
  int64_t inner = 1;
  for (int i = axis + 1; i < t.rank(); ++i) inner *= t.dim(i);
  return inner;
}
}  // namespace

void Quantizer::ResetStats(Scheme scheme, float percentile) {
  if (dtype == QuantDType::kFloat16 || fixed_range) {
    analyzer.reset();
    return;
  }
  analyzer = std::make_unique<Analyzer>(scheme, per_channel ? channels : 1, percentile);
}

void Quantizer::Observe(const Tensor& t) {
  if (!analyzer || t.dtype() != DType::kFloat32) return;
  // Blocked channels are not one stride apart: per-channel statistics read a plain copy.
  if (per_channel && t.layout() == Layout::kNchw8c) return Observe(ToPlain(t));
  int64_t inner = per_channel ? InnerSize(t, axis) : 1;
  analyzer->Observe(t.data<float>(), t.numel(), inner);
}

bool Quantizer::FinishStats() {
  if (dtype == QuantDType::kFloat16) return true;
  encodings.clear();
  if (fixed_range) {
    encodings.assign(1, ComputeEncoding(fixed_range->first, fixed_range->second, spec));
    return true;
  }
  if (!analyzer || !analyzer->has_stats()) return false;
  for (int c = 0; c < analyzer->channels(); ++c) encodings.push_back(analyzer->Compute(c, spec));
  analyzer.reset();
  return true;
}

Tensor Quantizer::Apply(const Tensor& t) const {
  if (encodings.size() > 1 && t.layout() == Layout::kNchw8c) return Apply(ToPlain(t));
  Tensor out = t.unique() ? t : Tensor(t.dtype(), t.shape(), t.layout());
  const float* src = t.data<float>();
  float* dst = out.data<float>();
  if (dtype == QuantDType::kFloat16) {
    FakeQuantizeFp16(src, dst, t.numel());
    return out;
  }
  if (encodings.size() == 1) {
    FakeQuantize(src, dst, t.numel(), encodings[0]);
    return out;
  }
  const int64_t inner = InnerSize(t, axis);
  const int64_t c = static_cast<int64_t>(encodings.size());
  const int64_t outer = t.numel() / (inner * c);
  if (inner == 1) {  // channels innermost (NHWC activations, MatMul weights)
    ParallelFor(outer, [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o)
        for (int64_t k = 0; k < c; ++k) FakeQuantize(src + o * c + k, dst + o * c + k, 1, encodings[k]);
    });
    return out;
  }
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k = 0; k < c; ++k) {
      int64_t off = (o * c + k) * inner;
      FakeQuantize(src + off, dst + off, inner, encodings[k]);
    }
  return out;
}

}  // namespace litemp
