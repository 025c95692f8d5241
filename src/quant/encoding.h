// Quantization encodings (AIMET's scale/offset form) and the fake-quant math.
//
// An integer encoding maps real x to r = round_half_even(clamp(x / scale, offset,
// offset + steps)) and back to scale * r; offset is an integer <= 0, so zero is always
// exactly representable. This is, operation for operation, what ONNX Runtime's
// QuantizeLinear (x / scale, clamp, round to nearest even, + zero point) followed by
// DequantizeLinear ((q - zero point) * scale) computes, so the exported QDQ model
// reproduces the simulation bit for bit.
#ifndef LITEMP_QUANT_ENCODING_H_
#define LITEMP_QUANT_ENCODING_H_

#include <cstdint>

namespace litemp {

struct QuantSpec {
  int bitwidth = 8;               // 4..16
  bool symmetric = false;
  bool strict_symmetric = false;  // symmetric grid without the extra negative step
  bool unsigned_symmetric = false;  // symmetric tensors with min >= 0 use offset 0

  // Number of quantization steps: 2^bw - 1, one fewer when strict symmetric.
  int64_t steps() const {
    int64_t s = (int64_t{1} << bitwidth) - 1;
    return symmetric && strict_symmetric ? s - 1 : s;
  }
};

struct Encoding {
  float min = 0, max = 0;  // grid min/max: scale * offset, scale * (offset + steps)
  float scale = 1;         // AIMET's delta
  int64_t offset = 0;      // <= 0
  int64_t steps = 255;     // grid points - 1
  int bitwidth = 8;
  bool symmetric = false;
};

// Encoding from an observed range [lo, hi] (AIMET's min_max rules): the range is widened
// to include 0 and to at least 0.01.
Encoding ComputeEncoding(float lo, float hi, const QuantSpec& spec);

// Encoding for an explicit scale and offset (used by tf_enhanced candidates).
Encoding MakeEncoding(float scale, int64_t offset, const QuantSpec& spec);

// Fake-quantizes n floats from src into dst (may alias) with one encoding.
void FakeQuantize(const float* src, float* dst, int64_t n, const Encoding& e);

// fp16 emulation: float -> binary16 (round to nearest even, overflow to inf) -> float.
void FakeQuantizeFp16(const float* src, float* dst, int64_t n);

}  // namespace litemp

#endif  // LITEMP_QUANT_ENCODING_H_
