// Max, Min, Sum, Mean (opset 6..21): one or more inputs, numpy broadcasting (8+; opset 6/7
// models have equal shapes, which broadcasting covers). Max/Min take every numeric type and
// propagate NaN; Mean is float-only as in the spec; Sum also accepts integers (wrapping).
#include <string>
#include <type_traits>

#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/binary_ops.h"

namespace litemp {

namespace {

template <class T, class Op>
Status Fold(const std::vector<const Tensor*>& in, Op op, Tensor* out) {
  LITEMP_ASSIGN_OR_RETURN(Tensor acc, (BroadcastBinary<T, T, T>(*in[0], *in[1], op)));
  for (size_t k = 2; k < in.size(); ++k) {
    LITEMP_ASSIGN_OR_RETURN(acc, (BroadcastBinary<T, T, T>(acc, *in[k], op)));
  }
  *out = std::move(acc);
  return Status::OK();
}

}  // namespace

Status VariadicKernel::Init(const KernelInit& init) {
  const std::string& t = init.node().op_type;
  if (t == "Max") op_ = Op::kMax;
  else if (t == "Min") op_ = Op::kMin;
  else if (t == "Sum") op_ = Op::kSum;
  else if (t == "Mean") op_ = Op::kMean;
  else return Status::Internal("VariadicKernel registered for " + t);
  if (init.num_inputs() < 1) return Status::InvalidArgument(t + " needs at least one input, got 0");
  return Status::OK();
}

Status VariadicKernel::Run(KernelContext& ctx) {
  std::vector<const Tensor*> ins;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    const Tensor* t = ctx.input(i);
    if (!t) return Status::InvalidArgument("input " + std::to_string(i) + " is missing");
    if (!ins.empty()) LITEMP_RETURN_IF_ERROR(CheckSameDType(*ins[0], *t));
    ins.push_back(t);
  }
  if (ins.empty()) return Status::InvalidArgument("expected at least one input");
  const DType dt = ins[0]->dtype();
  if (op_ == Op::kMean && !IsFloat(dt))
    return Status::NotSupported(std::string("Mean on ") + DTypeName(dt) + " (float types only)");
  if (ins.size() == 1) {
    *ctx.output(0) = ins[0]->Clone();  // copy: outputs may be edited in place by hooks
    return Status::OK();
  }
  return RunWithFloat16AsFloat(ins, 0, ctx.output(0), [&](const std::vector<const Tensor*>& in, Tensor* out) {
    return DispatchNumeric(in[0]->dtype(), [&]<class T>() -> Status {
      switch (op_) {
        case Op::kMax: return Fold<T>(in, MaxOp{}, out);
        case Op::kMin: return Fold<T>(in, MinOp{}, out);
        case Op::kSum: return Fold<T>(in, AddOp{}, out);
        case Op::kMean:
          if constexpr (std::is_floating_point_v<T>) {
            LITEMP_RETURN_IF_ERROR(Fold<T>(in, AddOp{}, out));
            const T n = static_cast<T>(in.size());
            T* p = out->data<T>();
            ParallelFor(out->numel(), [&](int64_t s, int64_t e) {
              for (int64_t i = s; i < e; ++i) p[i] /= n;
            });
            return Status::OK();
          }
          break;
      }
      return Status::Internal("unreachable");
    });
  });
}

}  // namespace litemp
