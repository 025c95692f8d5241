// DequantizeLinear (opsets 10, 13, 19, 21): see reduce.h.
#include "kernels/reduce/quant_params.h"
#include "kernels/reduce/reduce.h"

namespace litemp::reduce {

Status DequantizeLinearKernel::Init(const KernelInit& init) {
  opset_ = EffectiveQdqOpset(init.node());
  axis_ = opset_ >= 13 ? init.attrs().GetInt("axis", 1) : 1;
  if (init.attrs().GetInt("block_size", 0) != 0)
    return Status::NotSupported("blocked quantization (block_size=" +
                                std::to_string(init.attrs().GetInt("block_size", 0)) + ")");
  const int64_t od = init.attrs().GetInt("output_dtype", 0);
  if (od != 0) {
    out_dtype_attr_ = static_cast<DType>(od);
    if (out_dtype_attr_ != DType::kFloat32 && out_dtype_attr_ != DType::kFloat16)
      return Status::NotSupported("output_dtype " + std::to_string(od) +
                                  " (supported: float32, float16)");
  }
  LITEMP_CHECK(init.num_inputs() >= 2, "expected inputs x, x_scale[, x_zero_point]");
  return Status::OK();
}

Status DequantizeLinearKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (!ctx.input(1)) return Status::InvalidArgument("x_scale input is missing");
  const Tensor& scale = *ctx.input(1);
  const Tensor* zp = ctx.input(2);
  if (zp && zp->dtype() != x.dtype())
    return Status::InvalidArgument(std::string("x_zero_point type ") + DTypeName(zp->dtype()) +
                                   " differs from x type " + DTypeName(x.dtype()));
  DType out = out_dtype_attr_ != DType::kUndefined ? out_dtype_attr_ : scale.dtype();
  if (out != DType::kFloat32 && out != DType::kFloat16 && out != DType::kFloat64)
    return Status::NotSupported(std::string("dequantizing to ") + DTypeName(out) +
                                " (supported: float32, float16)");
  QuantParams p;
  LITEMP_RETURN_IF_ERROR(ResolveQuantParams(x, scale, zp, axis_, opset_, &p));
  Tensor y(out, x.shape());
  Status s = DispatchQuant(x.dtype(), /*allow_int32=*/true, [&]<class Q>() {
    const Q* xd = x.data<Q>();
    // float32 arithmetic as in the ONNX reference ((float(x) - float(zp)) * scale), then
    // rounded to float16 when that is the output type; float64 scales compute in double.
    ForEachQuantRun(p, [&](int64_t b, int64_t e, int64_t j) {
      if (out == DType::kFloat64) {
        const double s = p.scale[j], z = p.zero[j];
        double* yd = y.data<double>();
        for (int64_t i = b; i < e; ++i) yd[i] = (static_cast<double>(xd[i]) - z) * s;
        return;
      }
      const float s = static_cast<float>(p.scale[j]), z = static_cast<float>(p.zero[j]);
      if (out == DType::kFloat32) {
        float* yd = y.data<float>();
        for (int64_t i = b; i < e; ++i) yd[i] = (static_cast<float>(xd[i]) - z) * s;
      } else {
        uint16_t* yd = y.data<uint16_t>();
        for (int64_t i = b; i < e; ++i) yd[i] = FloatToHalf((static_cast<float>(xd[i]) - z) * s);
      }
    });
    return Status::OK();
  });
  LITEMP_RETURN_IF_ERROR(s);
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::reduce
