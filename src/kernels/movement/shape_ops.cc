// Shape, Size, ConstantOfShape and Range: ops that produce shapes or sequences.
//
// Shape: optional start/end attributes (opset 15) slice the shape, clamped into [0, r].
// ConstantOfShape: 'value' is a one-element tensor attribute (default float32 0).
// Range: out[i] = start + i * delta for i < max(ceil((limit - start) / delta), 0).
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {

Status ShapeKernel::Init(const KernelInit& init) {
  if (init.opset() >= 15) {
    start_ = init.attrs().GetInt("start", 0);
    has_end_ = init.attrs().Has("end");
    end_ = init.attrs().GetInt("end", 0);
  }
  return Status::OK();
}

Status ShapeKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  const int64_t r = x.rank();
  auto clamp = [r](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + r : v, 0, r); };
  const int64_t s = clamp(start_), e = has_end_ ? clamp(end_) : r;
  std::vector<int64_t> dims;
  for (int64_t i = s; i < e; ++i) dims.push_back(x.dim(static_cast<int>(i)));
  Tensor y(DType::kInt64, {static_cast<int64_t>(dims.size())});
  for (size_t i = 0; i < dims.size(); ++i) y.data<int64_t>()[i] = dims[i];
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

Status SizeKernel::Run(KernelContext& ctx) {
  *ctx.output(0) = Tensor::Scalar<int64_t>(ctx.input(0)->numel());
  return Status::OK();
}

Status ConstantOfShapeKernel::Init(const KernelInit& init) {
  if (const Tensor* v = init.attrs().GetTensor("value")) {
    if (v->numel() != 1)
      return Status::InvalidArgument("'value' must hold one element, got shape " + ShapeToString(v->shape()));
    if (DTypeSize(v->dtype()) == 0) return Status::NotSupported(std::string("value of type ") + DTypeName(v->dtype()));
    value_ = ToPlain(*v);
  } else {
    value_ = Tensor::Scalar<float>(0.f);
  }
  return Status::OK();
}

Status ConstantOfShapeKernel::Run(KernelContext& ctx) {
  if (!ctx.input(0)) return Status::InvalidArgument("missing the 'input' shape");
  LITEMP_ASSIGN_OR_RETURN(std::vector<int64_t> shape, ReadInts(*ctx.input(0), "input"));
  for (int64_t d : shape)
    if (d < 0) return Status::InvalidArgument("shape " + IntsToString(shape) + " has a negative dimension");
  Tensor y(value_.dtype(), shape);
  FillRaw(y.raw_data(), y.numel(), value_.raw_data(), DTypeSize(value_.dtype()));
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

Status RangeKernel::Run(KernelContext& ctx) {
  for (int i = 0; i < 3; ++i) {
    if (!ctx.input(i)) return Status::InvalidArgument("missing input " + std::to_string(i));
    if (ctx.input(i)->numel() != 1)
      return Status::InvalidArgument("input " + std::to_string(i) + " must be a scalar, got shape " +
                                     ShapeToString(ctx.input(i)->shape()));
    if (ctx.input(i)->dtype() != ctx.input(0)->dtype())
      return Status::InvalidArgument("start, limit and delta must share a type");
  }
  const DType dt = ctx.input(0)->dtype();
  return DispatchNumeric(dt, [&]<class T>() {
    const T start = ctx.input(0)->data<T>()[0], limit = ctx.input(1)->data<T>()[0], delta = ctx.input(2)->data<T>()[0];
    if (delta == T(0)) return Status::InvalidArgument("delta is 0");
    int64_t n;
    if constexpr (std::is_floating_point_v<T>) {
      n = static_cast<int64_t>(std::ceil((static_cast<double>(limit) - start) / delta));
    } else if constexpr (std::is_signed_v<T>) {
      const int64_t span = static_cast<int64_t>(limit) - static_cast<int64_t>(start), d = delta;
      n = span / d + ((span % d != 0) && ((span < 0) == (d < 0)) ? 1 : 0);  // ceil division
    } else {
      n = limit > start ? static_cast<int64_t>((limit - start + delta - 1) / delta) : 0;
    }
    n = std::max<int64_t>(n, 0);
    Tensor y(dt, {n});
    T* out = y.data<T>();
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(start + static_cast<T>(i) * delta);
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp::movement
