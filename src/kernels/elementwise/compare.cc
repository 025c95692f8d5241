// Equal (7..21), Less/Greater (7..21), LessOrEqual/GreaterOrEqual (12..21), And/Or/Xor
// (7..21) and Not: bool outputs with numpy broadcasting. Comparisons take any numeric type
// (and bool, which Equal allows); the logical ops take bool only.
#include <string>

#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/binary_ops.h"

namespace litemp {

namespace {

template <class T>
Result<Tensor> Compare(CompareKernel::Op op, const Tensor& a, const Tensor& b) {
  using Op = CompareKernel::Op;
  switch (op) {
    case Op::kEqual: return BroadcastBinary<bool, T, T>(a, b, EqualOp{});
    case Op::kLess: return BroadcastBinary<bool, T, T>(a, b, LessOp{});
    case Op::kGreater: return BroadcastBinary<bool, T, T>(a, b, GreaterOp{});
    case Op::kLessEqual: return BroadcastBinary<bool, T, T>(a, b, LessEqualOp{});
    case Op::kGreaterEqual: return BroadcastBinary<bool, T, T>(a, b, GreaterEqualOp{});
    default: return Status::Internal("not a comparison");
  }
}

Result<Tensor> Logical(CompareKernel::Op op, const Tensor& a, const Tensor& b) {
  using Op = CompareKernel::Op;
  if (a.dtype() != DType::kBool)
    return Status::InvalidArgument(std::string("logical ops take bool inputs, got ") + DTypeName(a.dtype()));
  switch (op) {
    case Op::kAnd: return BroadcastBinary<bool, bool, bool>(a, b, AndOp{});
    case Op::kOr: return BroadcastBinary<bool, bool, bool>(a, b, OrOp{});
    case Op::kXor: return BroadcastBinary<bool, bool, bool>(a, b, XorOp{});
    default: return Status::Internal("not a logical op");
  }
}

}  // namespace

Status CompareKernel::Init(const KernelInit& init) {
  const std::string& t = init.node().op_type;
  if (t == "Equal") op_ = Op::kEqual;
  else if (t == "Less") op_ = Op::kLess;
  else if (t == "Greater") op_ = Op::kGreater;
  else if (t == "LessOrEqual") op_ = Op::kLessEqual;
  else if (t == "GreaterOrEqual") op_ = Op::kGreaterEqual;
  else if (t == "And") op_ = Op::kAnd;
  else if (t == "Or") op_ = Op::kOr;
  else if (t == "Xor") op_ = Op::kXor;
  else return Status::Internal("CompareKernel registered for " + t);
  return Status::OK();
}

Status CompareKernel::Run(KernelContext& ctx) {
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  if (!a || !b) return Status::InvalidArgument("expected 2 inputs");
  LITEMP_RETURN_IF_ERROR(CheckSameDType(*a, *b));
  const bool logical = op_ == Op::kAnd || op_ == Op::kOr || op_ == Op::kXor;
  return RunWithFloat16AsFloat({a, b}, -1, ctx.output(0), [&](const std::vector<const Tensor*>& in, Tensor* out) {
    Result<Tensor> r = Status::Internal("unreachable");
    if (logical) {
      r = Logical(op_, *in[0], *in[1]);
    } else if (in[0]->dtype() == DType::kBool) {
      r = Compare<bool>(op_, *in[0], *in[1]);
    } else {
      Status s = DispatchNumeric(in[0]->dtype(), [&]<class T>() {
        r = Compare<T>(op_, *in[0], *in[1]);
        return Status::OK();
      });
      if (!s.ok()) return s;
    }
    if (!r.ok()) return r.status();
    *out = std::move(r).value();
    return Status::OK();
  });
}

Status NotKernel::Run(KernelContext& ctx) {
  const Tensor* x = ctx.input(0);
  if (!x) return Status::InvalidArgument("expected 1 input");
  if (x->dtype() != DType::kBool)
    return Status::InvalidArgument(std::string("Not takes a bool input, got ") + DTypeName(x->dtype()));
  Tensor y(DType::kBool, x->shape());
  const bool* a = x->data<bool>();
  bool* b = y.data<bool>();
  ParallelFor(x->numel(), [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) b[i] = !a[i];
  });
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp
