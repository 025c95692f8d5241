#include "quant/encoding.h"

#include <algorithm>
#include <cmath>

#include "core/parallel.h"
#include "kernels/post_ops.h"
#include "kernels/util.h"

namespace litemp {

Encoding MakeEncoding(float scale, int64_t offset, const QuantSpec& spec) {
  Encoding e;
  e.bitwidth = spec.bitwidth;
  e.symmetric = spec.symmetric;
  e.scale = scale;
  e.offset = offset;
  e.steps = spec.steps();
  e.min = scale * static_cast<float>(offset);
  e.max = scale * static_cast<float>(offset + spec.steps());
  return e;
}

Encoding ComputeEncoding(float lo, float hi, const QuantSpec& spec) {
  // AIMET's range rules: include zero, and at least 0.01 wide.
  lo = std::min(lo, 0.f);
  hi = std::max(hi, 0.f);
  hi = std::max(hi, lo + 0.01f);
  const int64_t steps = spec.steps();
  if (spec.symmetric && spec.unsigned_symmetric && lo >= 0.f)
    return MakeEncoding(hi / static_cast<float>(steps), 0, spec);
  if (spec.symmetric) {
    const int64_t pos = steps / 2, neg = steps - pos;
    float scale = std::max(hi / static_cast<float>(pos), -lo / static_cast<float>(neg));
    return MakeEncoding(scale, -neg, spec);
  }
  float scale = (hi - lo) / static_cast<float>(steps);
  int64_t offset = static_cast<int64_t>(std::round(lo / scale));
  offset = std::clamp<int64_t>(offset, -steps, 0);
  return MakeEncoding(scale, offset, spec);
}

void FakeQuantize(const float* src, float* dst, int64_t n, const Encoding& e) {
  const float s = e.scale;
  const float inv = 1.0f / s;
  const float lo = static_cast<float>(e.offset);
  const float hi = static_cast<float>(e.offset + e.steps);
  ParallelFor(n, [&](int64_t b, int64_t end) {
    for (int64_t i = b; i < end; ++i) dst[i] = FakeQuantizeOne(src[i], s, inv, lo, hi);
  });
}

void FakeQuantizeFp16(const float* src, float* dst, int64_t n) {
  ParallelFor(n, [&](int64_t b, int64_t e) {
    uint16_t buf[256];
    for (int64_t i = b; i < e; i += 256) {
      int64_t m = std::min<int64_t>(256, e - i);
      FloatToHalf(src + i, buf, m);
      HalfToFloat(buf, dst + i, m);
    }
  });
}

}  // namespace litemp
