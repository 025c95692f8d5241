// Add, Sub, Mul, Div, Pow, Mod (opset 7..21; numpy broadcasting throughout). Integer Div
// truncates toward zero like C++ and ONNX Runtime. Pow (12+) may mix types: the output has
// the base's type.
#include "kernels/elementwise/binary.h"

#include <string>
#include <type_traits>

#include "kernels/elementwise/binary_ops.h"
#include "kernels/elementwise/cast.h"

namespace litemp {

Status CheckSameDType(const Tensor& a, const Tensor& b) {
  if (a.dtype() == b.dtype()) return Status::OK();
  return Status::InvalidArgument(std::string("input types differ: ") + DTypeName(a.dtype()) + " and " +
                                 DTypeName(b.dtype()));
}

Status RunWithFloat16AsFloat(const std::vector<const Tensor*>& inputs, int typed_input, Tensor* out,
                             const std::function<Status(const std::vector<const Tensor*>&, Tensor*)>& fn) {
  bool any = false;
  for (const Tensor* t : inputs) any = any || t->dtype() == DType::kFloat16;
  if (!any) return fn(inputs, out);
  std::vector<Tensor> conv(inputs.size());
  std::vector<const Tensor*> ins(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i]->dtype() == DType::kFloat16) {
      LITEMP_ASSIGN_OR_RETURN(conv[i], CastTensor(*inputs[i], DType::kFloat32));
      ins[i] = &conv[i];
    } else {
      ins[i] = inputs[i];
    }
  }
  Tensor r;
  LITEMP_RETURN_IF_ERROR(fn(ins, &r));
  if (typed_input >= 0 && inputs[typed_input]->dtype() == DType::kFloat16 && r.dtype() == DType::kFloat32) {
    LITEMP_ASSIGN_OR_RETURN(*out, CastTensor(r, DType::kFloat16));
  } else {
    *out = std::move(r);
  }
  return Status::OK();
}

namespace {

// Per-element cost hints for ParallelFor.
constexpr int64_t kCheap = 1, kDivCost = 4, kPowCost = 16;

template <class T>
Status Arithmetic(ArithmeticKernel::Op op, bool fmod, const Tensor& a, const Tensor& b, Tensor* out) {
  using Op = ArithmeticKernel::Op;
  Result<Tensor> r = Status::Internal("unreachable");
  switch (op) {
    case Op::kAdd: r = BroadcastBinary<T, T, T>(a, b, AddOp{}, kCheap); break;
    case Op::kSub: r = BroadcastBinary<T, T, T>(a, b, SubOp{}, kCheap); break;
    case Op::kMul: r = BroadcastBinary<T, T, T>(a, b, MulOp{}, kCheap); break;
    case Op::kDiv: r = BroadcastBinary<T, T, T>(a, b, DivOp{}, kDivCost); break;
    case Op::kMod:
      if (fmod) {
        r = BroadcastBinary<T, T, T>(a, b, FmodOp{}, kDivCost);
      } else if constexpr (std::is_integral_v<T>) {
        r = BroadcastBinary<T, T, T>(a, b, ModOp{}, kDivCost);
      } else {
        return Status::InvalidArgument(std::string("Mod on ") + DTypeName(DTypeOf<T>()) +
                                       " inputs requires fmod=1, got fmod=0");
      }
      break;
    case Op::kPow: break;  // RunPow
  }
  if (!r.ok()) return r.status();
  *out = std::move(r).value();
  return Status::OK();
}

}  // namespace

Status ArithmeticKernel::Init(const KernelInit& init) {
  const std::string& t = init.node().op_type;
  if (t == "Add") op_ = Op::kAdd;
  else if (t == "Sub") op_ = Op::kSub;
  else if (t == "Mul") op_ = Op::kMul;
  else if (t == "Div") op_ = Op::kDiv;
  else if (t == "Pow") op_ = Op::kPow;
  else if (t == "Mod") op_ = Op::kMod;
  else return Status::Internal("ArithmeticKernel registered for " + t);
  int64_t f = init.attrs().GetInt("fmod", 0);
  if (f != 0 && f != 1) return Status::InvalidArgument("fmod must be 0 or 1, got " + std::to_string(f));
  fmod_ = f == 1;
  return Status::OK();
}

Status ArithmeticKernel::RunPow(const Tensor& a, const Tensor& b, Tensor* out) const {
  if (a.dtype() == DType::kFloat32 || a.dtype() == DType::kFloat64) {
    LITEMP_ASSIGN_OR_RETURN(Tensor e, CastTensor(b, a.dtype()));
    return DispatchFloat(a.dtype(), [&]<class T>() -> Status {
      // x^2 is common (variance, norms); a multiply is exact where powf is merely close.
      const bool square = e.numel() == 1 && e.data<T>()[0] == T(2);
      Result<Tensor> r = square ? BroadcastBinary<T, T, T>(a, e, [](T x, T) { return x * x; }, kCheap)
                                : BroadcastBinary<T, T, T>(a, e, PowOp{}, kPowCost);
      if (!r.ok()) return r.status();
      *out = std::move(r).value();
      return Status::OK();
    });
  }
  const bool int_exponent = !IsFloat(b.dtype());
  LITEMP_ASSIGN_OR_RETURN(Tensor e, CastTensor(b, int_exponent ? DType::kInt64 : DType::kFloat64));
  return DispatchNumeric(a.dtype(), [&]<class T>() -> Status {
    if constexpr (std::is_floating_point_v<T>) {
      return Status::Internal("float base reached the integer Pow path");
    } else {
      Result<Tensor> r = int_exponent ? BroadcastBinary<T, T, int64_t>(a, e, PowOp{}, kPowCost)
                                      : BroadcastBinary<T, T, double>(a, e, PowOp{}, kPowCost);
      if (!r.ok()) return r.status();
      *out = std::move(r).value();
      return Status::OK();
    }
  });
}

Status ArithmeticKernel::Run(KernelContext& ctx) {
  const Tensor* a = ctx.input(0);
  const Tensor* b = ctx.input(1);
  if (!a || !b) return Status::InvalidArgument("expected 2 inputs");
  if (op_ != Op::kPow) LITEMP_RETURN_IF_ERROR(CheckSameDType(*a, *b));
  return RunWithFloat16AsFloat({a, b}, 0, ctx.output(0), [&](const std::vector<const Tensor*>& in, Tensor* out) {
    if (op_ == Op::kPow) return RunPow(*in[0], *in[1], out);
    return DispatchNumeric(in[0]->dtype(),
                           [&]<class T>() { return Arithmetic<T>(op_, fmod_, *in[0], *in[1], out); });
  });
}

}  // namespace litemp
