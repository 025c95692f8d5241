// Where (opset 9..21): out = condition ? X : Y with three-way numpy broadcasting. Only moves
// data, so any fixed-size element type works (dispatch by element size).
#include <string>

#include "kernels/elementwise/binary.h"

namespace litemp {

Status WhereKernel::Run(KernelContext& ctx) {
  const Tensor* c = ctx.input(0);
  const Tensor* x = ctx.input(1);
  const Tensor* y = ctx.input(2);
  if (!c || !x || !y) return Status::InvalidArgument("expected 3 inputs (condition, X, Y)");
  if (c->dtype() != DType::kBool)
    return Status::InvalidArgument(std::string("condition must be bool, got ") + DTypeName(c->dtype()));
  LITEMP_RETURN_IF_ERROR(CheckSameDType(*x, *y));
  LITEMP_ASSIGN_OR_RETURN(BroadcastPlan p, BroadcastPlan::Make({c, x, y}, x->dtype()));
  Tensor out(x->dtype(), p.out_shape(), p.out_layout());
  LITEMP_RETURN_IF_ERROR(DispatchBySize(x->dtype(), [&]<class T>() {
    TernaryMap(p, c->data<bool>(), x->data<T>(), y->data<T>(), out.data<T>(),
               [](bool k, T a, T b) { return k ? a : b; });
    return Status::OK();
  }));
  *ctx.output(0) = std::move(out);
  return Status::OK();
}

}  // namespace litemp
