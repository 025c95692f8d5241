#include "kernels/reduce/quant_params.h"

namespace litemp::reduce {

Result<std::vector<double>> ScaleValues(const Tensor& t) {
  std::vector<double> v(t.numel());
  switch (t.dtype()) {
    case DType::kFloat32:
      for (int64_t i = 0; i < t.numel(); ++i) v[i] = t.data<float>()[i];
      break;
    case DType::kFloat16:
      for (int64_t i = 0; i < t.numel(); ++i) v[i] = HalfToFloat(t.data<uint16_t>()[i]);
      break;
    case DType::kFloat64:
      for (int64_t i = 0; i < t.numel(); ++i) v[i] = t.data<double>()[i];
      break;
    default:
      return Status::NotSupported(std::string("scale of type ") + DTypeName(t.dtype()) +
                                  " (supported: float32, float16, float64)");
  }
  return v;
}

bool IsQuantIntType(DType t) {
  return t == DType::kInt8 || t == DType::kUInt8 || t == DType::kInt16 || t == DType::kUInt16;
}

Status ResolveQuantParams(const Tensor& x, const Tensor& scale, const Tensor* zero_point,
                          int64_t axis, int opset, QuantParams* p) {
  if (scale.rank() > 1)
    return Status::NotSupported("scale shape " + ShapeToString(scale.shape()) +
                                ": blocked quantization (scale rank > 1) is not supported");
  LITEMP_ASSIGN_OR_RETURN(p->scale, ScaleValues(scale));
  const int64_t n = scale.numel();
  p->outer = 1;
  p->k = 1;
  p->inner = x.numel();
  if (n != 1) {
    if (opset < 13)
      return Status::InvalidArgument("scale has " + std::to_string(n) + " values; opset " +
                                     std::to_string(opset) + " allows only a per-tensor scale");
    if (x.rank() == 0) return Status::InvalidArgument("per-axis scale for a scalar input");
    int64_t a;
    LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis, x.rank(), &a));
    if (x.dim(static_cast<int>(a)) != n)
      return Status::InvalidArgument("scale has " + std::to_string(n) + " values but input shape " +
                                     ShapeToString(x.shape()) + " has " +
                                     std::to_string(x.dim(static_cast<int>(a))) + " along axis " +
                                     std::to_string(axis));
    p->outer = 1;
    for (int i = 0; i < a; ++i) p->outer *= x.dim(i);
    p->k = n;
    p->inner = 1;
    for (int i = static_cast<int>(a) + 1; i < x.rank(); ++i) p->inner *= x.dim(i);
  }
  p->zero.assign(n, 0);
  if (zero_point) {
    if (zero_point->shape() != scale.shape() && !(zero_point->numel() == 1 && n == 1))
      return Status::InvalidArgument("zero point shape " + ShapeToString(zero_point->shape()) +
                                     " differs from scale shape " + ShapeToString(scale.shape()));
    Status s = DispatchQuant(zero_point->dtype(), /*allow_int32=*/true, [&]<class Q>() {
      for (int64_t i = 0; i < n; ++i) p->zero[i] = zero_point->data<Q>()[i];
      return Status::OK();
    });
    LITEMP_RETURN_IF_ERROR(s);
  }
  return Status::OK();
}

}  // namespace litemp::reduce
