// Scale / zero-point handling shared by QuantizeLinear and DequantizeLinear.
#ifndef LITEMP_KERNELS_REDUCE_QUANT_PARAMS_H_
#define LITEMP_KERNELS_REDUCE_QUANT_PARAMS_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/parallel.h"
#include "kernels/kernel.h"
#include "kernels/util.h"

namespace litemp::reduce {

// x viewed as [outer, k, inner] with one (scale, zero point) per k (k = 1 per tensor).
struct QuantParams {
  int64_t outer = 1, k = 1, inner = 1;
  std::vector<double> scale;  // k values, exact copies of the scale tensor's values
  std::vector<int32_t> zero;  // k values (0 when the zero point is omitted)
};

// Checks the scale/zero-point shapes against x and fills *p. A one-element scale is per
// tensor; a 1-D scale of x.shape[axis] values is per axis (opset 13+). Anything else,
// including blocked (rank >= 2) scales, is rejected.
Status ResolveQuantParams(const Tensor& x, const Tensor& scale, const Tensor* zero_point,
                          int64_t axis, int opset, QuantParams* p);

// Calls fn(begin, end, j) over disjoint runs covering [0, numel) in parallel; every element
// of a run uses scale/zero point j.
template <class F>
void ForEachQuantRun(const QuantParams& p, F&& fn) {
  ParallelFor(p.outer * p.k * p.inner, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e;) {
      const int64_t row = i / p.inner;
      const int64_t end = std::min(e, (row + 1) * p.inner);
      fn(i, end, row % p.k);
      i = end;
    }
  });
}

// Reads a float32/float16/float64 tensor as doubles.
Result<std::vector<double>> ScaleValues(const Tensor& scale);

// Is `t` a quantized integer type handled here (int8, uint8, int16, uint16)?
bool IsQuantIntType(DType t);

// Dispatches on the quantized integer types (int8, uint8, int16, uint16, and int32 when
// `allow_int32`), calling fn.template operator()<Q>().
template <class F>
Status DispatchQuant(DType dt, bool allow_int32, F&& fn) {
  switch (dt) {
    case DType::kInt8:
      return fn.template operator()<int8_t>();
    case DType::kUInt8:
      return fn.template operator()<uint8_t>();
    case DType::kInt16:
      return fn.template operator()<int16_t>();
    case DType::kUInt16:
      return fn.template operator()<uint16_t>();
    case DType::kInt32:
      if (allow_int32) return fn.template operator()<int32_t>();
      [[fallthrough]];
    default:
      return Status::NotSupported(std::string("quantized type ") + DTypeName(dt) +
                                  (allow_int32 ? " (supported: int8, uint8, int16, uint16, int32)"
                                               : " (supported: int8, uint8, int16, uint16)"));
  }
}

}  // namespace litemp::reduce

#endif  // LITEMP_KERNELS_REDUCE_QUANT_PARAMS_H_
