// PRelu (opset 7..21): y = x < 0 ? slope * x : x, with slope broadcast to x's shape
// (unidirectional), e.g. [C,1,1] per channel for NCHW x. Float types; integers from 9.
// NHWC x stays NHWC: the broadcast plan reads the plain slope in channels-last order.
#include <string>
#include <type_traits>

#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/binary_ops.h"
#include "kernels/elementwise/unary.h"

namespace litemp {

namespace {

struct PReluOp {
  template <class T> T operator()(T x, T s) const { return x < T(0) ? MulOp{}(s, x) : x; }
};

}  // namespace

Status PReluKernel::Run(KernelContext& ctx) {
  // Before opset 7 a 1-D slope meant one value per channel (axis 1), not numpy broadcasting.
  if (ctx.node().opset < 7) return Status::NotSupported("PRelu before opset 7 (per-channel slope semantics)");
  const Tensor* x = ctx.input(0);
  const Tensor* slope = ctx.input(1);
  if (!x || !slope) return Status::InvalidArgument("expected 2 inputs (X, slope)");
  LITEMP_RETURN_IF_ERROR(CheckSameDType(*x, *slope));
  auto shape = BroadcastShapes(x->shape(), slope->shape());
  if (!shape.ok() || shape.value() != x->shape())
    return Status::InvalidArgument("slope shape " + ShapeToString(slope->shape()) +
                                   " does not broadcast to the input shape " + ShapeToString(x->shape()));
  return RunWithFloat16AsFloat({x, slope}, 0, ctx.output(0), [&](const std::vector<const Tensor*>& in, Tensor* out) {
    return DispatchNumeric(in[0]->dtype(), [&]<class T>() -> Status {
      LITEMP_ASSIGN_OR_RETURN(*out, (BroadcastBinary<T, T, T>(*in[0], *in[1], PReluOp{})));
      return Status::OK();
    });
  });
}

}  // namespace litemp
