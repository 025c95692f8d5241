// Cast and CastLike, plus the value conversion rules they share with other kernels.
//
// Conversion rules (ONNX Cast on x86, without undefined behaviour):
//  - to bool: v != 0 (NaN is true); from bool: 0 or 1.
//  - float -> integer truncates toward zero, like C. Out-of-range values and NaN give what
//    the x86 conversion instructions give (as numpy and ONNX Runtime do on this machine):
//    targets of 32 bits or less convert through int32 (overflow -> INT32_MIN) and wrap,
//    uint32 wraps from int64, int64 overflow -> INT64_MIN.
//  - integer -> integer wraps modulo 2^bits; integer -> float rounds to nearest even.
//  - float16 is converted through float32 (exact); float64 -> float16 rounds once.
#ifndef LITEMP_KERNELS_ELEMENTWISE_CAST_H_
#define LITEMP_KERNELS_ELEMENTWISE_CAST_H_

#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/kernel.h"
#include "kernels/util.h"

namespace litemp {

// Truncating float -> integer conversion with the out-of-range behaviour described above.
template <class To, class F>
inline To FloatToInt(F v) {
  static_assert(std::is_floating_point_v<F> && std::is_integral_v<To>);
  if constexpr (std::is_same_v<To, int64_t>) {
    return v >= F(-9223372036854775808.0) && v < F(9223372036854775808.0)
               ? static_cast<int64_t>(v)
               : std::numeric_limits<int64_t>::min();
  } else if constexpr (std::is_same_v<To, uint64_t>) {
    if (v >= F(9223372036854775808.0) && v < F(18446744073709551616.0)) return static_cast<uint64_t>(v);
    return static_cast<uint64_t>(FloatToInt<int64_t>(v));
  } else if constexpr (std::is_same_v<To, uint32_t>) {
    return static_cast<uint32_t>(FloatToInt<int64_t>(v));
  } else {
    int32_t r = v >= F(-2147483648.0) && v < F(2147483648.0) ? static_cast<int32_t>(v)
                                                             : std::numeric_limits<int32_t>::min();
    return static_cast<To>(r);
  }
}

// One value converted with the rules above (not for float16, which has no C++ type here).
template <class To, class From>
inline To ConvertValue(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    return FloatToInt<To>(v);
  } else {
    return static_cast<To>(v);
  }
}

// float64 -> IEEE half with a single round-to-nearest-even.
uint16_t DoubleToHalf(double d);

// `t` converted to `to` with the rules above; same shape and layout. Returns `t` itself when
// the dtype already matches. NotSupported for dtypes without numeric data (string).
Result<Tensor> CastTensor(const Tensor& t, DType to);

class CastKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  bool like_ = false;  // CastLike: the target type is input 1's dtype
  DType to_ = DType::kUndefined;
};

}  // namespace litemp

#endif  // LITEMP_KERNELS_ELEMENTWISE_CAST_H_
