// Clip (opset 6..21). Before 11 the bounds are float attributes defaulting to the float
// range (float types only). From 11 they are optional scalar inputs of the input's type
// (integer types from 12); an omitted bound does not clip, so infinities pass through.
// When min > max every output is max, as the spec says (min(max(x, lo), hi) gives that).
#include <limits>
#include <string>
#include <type_traits>

#include "kernels/elementwise/cast.h"
#include "kernels/elementwise/unary.h"

namespace litemp {

namespace {

template <class T>
T NoLowerBound() {
  if constexpr (std::is_floating_point_v<T>) return -std::numeric_limits<T>::infinity();
  else return std::numeric_limits<T>::lowest();
}

template <class T>
T NoUpperBound() {
  if constexpr (std::is_floating_point_v<T>) return std::numeric_limits<T>::infinity();
  else return std::numeric_limits<T>::max();
}

Status CheckBound(const Tensor* b, const Tensor& x, const char* name) {
  if (!b) return Status::OK();
  if (b->numel() != 1)
    return Status::InvalidArgument(std::string("Clip ") + name + " must be a scalar, got shape " +
                                   ShapeToString(b->shape()));
  if (b->dtype() != x.dtype())
    return Status::InvalidArgument(std::string("Clip ") + name + " has type " + DTypeName(b->dtype()) +
                                   ", expected the input's " + DTypeName(x.dtype()));
  return Status::OK();
}

}  // namespace

Status ClipKernel::Init(const KernelInit& init) {
  bounds_are_inputs_ = init.opset() >= 11;
  min_attr_ = init.attrs().GetFloat("min", std::numeric_limits<float>::lowest());
  max_attr_ = init.attrs().GetFloat("max", std::numeric_limits<float>::max());
  return Status::OK();
}

Status ClipKernel::Run(KernelContext& ctx) {
  const Tensor* x = ctx.input(0);
  if (!x) return Status::InvalidArgument("expected an input");
  const Tensor* lo = bounds_are_inputs_ ? ctx.input(1) : nullptr;
  const Tensor* hi = bounds_are_inputs_ ? ctx.input(2) : nullptr;
  LITEMP_RETURN_IF_ERROR(CheckBound(lo, *x, "min"));
  LITEMP_RETURN_IF_ERROR(CheckBound(hi, *x, "max"));
  if (x->dtype() == DType::kFloat16) {  // compute in float32, round back
    Tensor xf, lof, hif;
    LITEMP_ASSIGN_OR_RETURN(xf, CastTensor(*x, DType::kFloat32));
    if (lo) {
      LITEMP_ASSIGN_OR_RETURN(lof, CastTensor(*lo, DType::kFloat32));
    }
    if (hi) {
      LITEMP_ASSIGN_OR_RETURN(hif, CastTensor(*hi, DType::kFloat32));
    }
    std::vector<const Tensor*> ins = {&xf, lo ? &lof : nullptr, hi ? &hif : nullptr};
    std::vector<Tensor> outs(1);
    KernelContext sub(ctx.node(), ins, &outs);
    LITEMP_RETURN_IF_ERROR(Run(sub));
    LITEMP_ASSIGN_OR_RETURN(*ctx.output(0), CastTensor(outs[0], DType::kFloat16));
    return Status::OK();
  }
  return DispatchNumeric(x->dtype(), [&]<class T>() -> Status {
    T vlo, vhi;
    if (bounds_are_inputs_) {
      vlo = lo ? lo->data<T>()[0] : NoLowerBound<T>();
      vhi = hi ? hi->data<T>()[0] : NoUpperBound<T>();
    } else if constexpr (std::is_floating_point_v<T>) {
      vlo = static_cast<T>(min_attr_);
      vhi = static_cast<T>(max_attr_);
    } else {
      return Status::NotSupported(std::string("Clip before opset 11 on ") + DTypeName(x->dtype()) +
                                  " (float types only)");
    }
    Tensor y(x->dtype(), x->shape(), x->layout());
    const T* a = x->data<T>();
    T* b = y.data<T>();
    ParallelFor(x->numel(), [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) b[i] = std::min(std::max(a[i], vlo), vhi);
    });
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp
