// QuantizeLinear (opsets 10, 13, 19, 21): see reduce.h.
#include <cmath>
#include <limits>

#include "kernels/reduce/quant_params.h"
#include "kernels/reduce/reduce.h"

namespace litemp::reduce {

namespace {

// Quantizes with the quotient computed in F (float for float32/float16 inputs, as ONNX's
// reference divides in the input's precision; double for float64 and int32 inputs), then
// rounds half to even (nearbyint in the default rounding mode) and saturates; NaN -> qmin.
// float16 inputs round the quotient to float16 first, as a float16 division would.
template <class Q, class F, bool kHalfQuotient, class X, class Load>
void QuantizeLoop(const QuantParams& p, const X* x, Load load, Q* y) {
  constexpr F lo = static_cast<F>(std::numeric_limits<Q>::min());
  constexpr F hi = static_cast<F>(std::numeric_limits<Q>::max());
  ForEachQuantRun(p, [&](int64_t b, int64_t e, int64_t j) {
    const F s = static_cast<F>(p.scale[j]);
    const F z = static_cast<F>(p.zero[j]);
    for (int64_t i = b; i < e; ++i) {
      F q = load(x[i]) / s;
      if constexpr (kHalfQuotient) q = HalfToFloat(FloatToHalf(static_cast<float>(q)));
      F v = std::nearbyint(q) + z;
      v = v > lo ? v : lo;  // also maps NaN to lo
      v = v < hi ? v : hi;
      y[i] = static_cast<Q>(v);
    }
  });
}

}  // namespace

Status QuantizeLinearKernel::Init(const KernelInit& init) {
  opset_ = EffectiveQdqOpset(init.node());
  axis_ = opset_ >= 13 ? init.attrs().GetInt("axis", 1) : 1;
  if (init.attrs().GetInt("block_size", 0) != 0)
    return Status::NotSupported("blocked quantization (block_size=" +
                                std::to_string(init.attrs().GetInt("block_size", 0)) + ")");
  const int64_t od = init.attrs().GetInt("output_dtype", 0);
  if (od != 0) {
    out_dtype_attr_ = static_cast<DType>(od);
    if (!IsQuantIntType(out_dtype_attr_))
      return Status::NotSupported("output_dtype " + std::to_string(od) +
                                  " (supported: int8, uint8, int16, uint16)");
  }
  LITEMP_CHECK(init.num_inputs() >= 2, "expected inputs x, y_scale[, y_zero_point]");
  return Status::OK();
}

Status QuantizeLinearKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (!ctx.input(1)) return Status::InvalidArgument("y_scale input is missing");
  const Tensor* zp = ctx.input(2);
  DType out =
      zp ? zp->dtype() : (out_dtype_attr_ != DType::kUndefined ? out_dtype_attr_ : DType::kUInt8);
  if (zp && out_dtype_attr_ != DType::kUndefined && out_dtype_attr_ != zp->dtype())
    return Status::InvalidArgument(std::string("output_dtype ") + DTypeName(out_dtype_attr_) +
                                   " differs from the zero point type " + DTypeName(zp->dtype()));
  if (!IsQuantIntType(out))
    return Status::NotSupported(std::string("quantizing to ") + DTypeName(out) +
                                " (supported: int8, uint8, int16, uint16)");
  QuantParams p;
  LITEMP_RETURN_IF_ERROR(ResolveQuantParams(x, *ctx.input(1), zp, axis_, opset_, &p));
  Tensor y(out, x.shape());
  Status s = DispatchQuant(out, false, [&]<class Q>() {
    Q* yd = y.data<Q>();
    switch (x.dtype()) {
      case DType::kFloat32:
        QuantizeLoop<Q, float, false>(
            p, x.data<float>(), [](float v) { return v; }, yd);
        return Status::OK();
      case DType::kFloat16:
        QuantizeLoop<Q, float, true>(
            p, x.data<uint16_t>(), [](uint16_t v) { return HalfToFloat(v); }, yd);
        return Status::OK();
      case DType::kFloat64:
        QuantizeLoop<Q, double, false>(
            p, x.data<double>(), [](double v) { return v; }, yd);
        return Status::OK();
      case DType::kInt32:
        QuantizeLoop<Q, double, false>(
            p, x.data<int32_t>(), [](int32_t v) { return static_cast<double>(v); }, yd);
        return Status::OK();
      default:
        return Status::NotSupported(std::string("QuantizeLinear input of type ") +
                                    DTypeName(x.dtype()) +
                                    " (supported: float32, float16, float64, int32)");
    }
  });
  LITEMP_RETURN_IF_ERROR(s);
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::reduce
