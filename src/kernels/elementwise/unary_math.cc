// Attribute-free element-wise math (every opset of each up to 21): Abs, Neg and Sign also
// take integers; the rest are float-only as in the ONNX spec.
#include <string>

#include "kernels/elementwise/unary.h"
#include "kernels/elementwise/unary_ops.h"

namespace litemp {

namespace {

// Rough per-element costs relative to an add, for ParallelFor's serial cut-off.
constexpr int64_t kCheap = 1, kTranscendental = 16;

}  // namespace

Status UnaryMathKernel::Init(const KernelInit& init) {
  static const std::pair<const char*, Op> kOps[] = {
      {"Abs", Op::kAbs},         {"Neg", Op::kNeg},         {"Sign", Op::kSign},
      {"Floor", Op::kFloor},     {"Ceil", Op::kCeil},       {"Round", Op::kRound},
      {"Exp", Op::kExp},         {"Log", Op::kLog},         {"Sqrt", Op::kSqrt},
      {"Reciprocal", Op::kReciprocal}, {"Sin", Op::kSin},   {"Cos", Op::kCos},
      {"Tan", Op::kTan},         {"Asin", Op::kAsin},       {"Acos", Op::kAcos},
      {"Atan", Op::kAtan},       {"Sinh", Op::kSinh},       {"Cosh", Op::kCosh},
      {"Asinh", Op::kAsinh},     {"Acosh", Op::kAcosh},     {"Atanh", Op::kAtanh},
      {"Tanh", Op::kTanh},       {"Erf", Op::kErf},         {"Sigmoid", Op::kSigmoid},
      {"Softplus", Op::kSoftplus}, {"Softsign", Op::kSoftsign}, {"HardSwish", Op::kHardSwish},
      {"Mish", Op::kMish},
  };
  for (const auto& [name, op] : kOps) {
    if (init.node().op_type == name) {
      op_ = op;
      return Status::OK();
    }
  }
  return Status::Internal("UnaryMathKernel registered for " + init.node().op_type);
}

Status UnaryMathKernel::Run(KernelContext& ctx) {
  const Tensor* x = ctx.input(0);
  if (!x) return Status::InvalidArgument("expected 1 input");
  Tensor* y = ctx.output(0);
  switch (op_) {
    case Op::kAbs: return ApplyUnary(*x, AbsOp{}, y, kCheap, &ctx);
    case Op::kNeg: return ApplyUnary(*x, NegOp{}, y, kCheap, &ctx);
    case Op::kSign: return ApplyUnary(*x, SignOp{}, y, kCheap, &ctx);
    case Op::kFloor: return ApplyUnary(*x, FloorOp{}, y, kCheap, &ctx);
    case Op::kCeil: return ApplyUnary(*x, CeilOp{}, y, kCheap, &ctx);
    case Op::kRound: return ApplyUnary(*x, RoundOp{}, y, kCheap, &ctx);
    case Op::kExp: return ApplyUnaryFloats(*x, ExpOp{}, ExpFloats, y, kTranscendental, &ctx);
    case Op::kLog: return ApplyUnary(*x, LogOp{}, y, kTranscendental, &ctx);
    case Op::kSqrt: return ApplyUnary(*x, SqrtOp{}, y, kCheap, &ctx);
    case Op::kReciprocal: return ApplyUnary(*x, ReciprocalOp{}, y, kCheap, &ctx);
    case Op::kSin: return ApplyUnary(*x, SinOp{}, y, kTranscendental, &ctx);
    case Op::kCos: return ApplyUnary(*x, CosOp{}, y, kTranscendental, &ctx);
    case Op::kTan: return ApplyUnary(*x, TanOp{}, y, kTranscendental, &ctx);
    case Op::kAsin: return ApplyUnary(*x, AsinOp{}, y, kTranscendental, &ctx);
    case Op::kAcos: return ApplyUnary(*x, AcosOp{}, y, kTranscendental, &ctx);
    case Op::kAtan: return ApplyUnary(*x, AtanOp{}, y, kTranscendental, &ctx);
    case Op::kSinh: return ApplyUnary(*x, SinhOp{}, y, kTranscendental, &ctx);
    case Op::kCosh: return ApplyUnary(*x, CoshOp{}, y, kTranscendental, &ctx);
    case Op::kAsinh: return ApplyUnary(*x, AsinhOp{}, y, kTranscendental, &ctx);
    case Op::kAcosh: return ApplyUnary(*x, AcoshOp{}, y, kTranscendental, &ctx);
    case Op::kAtanh: return ApplyUnary(*x, AtanhOp{}, y, kTranscendental, &ctx);
    case Op::kTanh: return ApplyUnary(*x, TanhOp{}, y, kTranscendental, &ctx);
    case Op::kErf: return ApplyUnaryFloats(*x, ErfOp{}, ErfFloats, y, kTranscendental, &ctx);
    case Op::kSigmoid: return ApplyUnaryFloats(*x, SigmoidOp{}, SigmoidFloats, y, kTranscendental, &ctx);
    case Op::kSoftplus: return ApplyUnary(*x, SoftplusOp{}, y, kTranscendental, &ctx);
    case Op::kSoftsign: return ApplyUnary(*x, SoftsignOp{}, y, kCheap, &ctx);
    case Op::kHardSwish: return ApplyUnary(*x, HardSwishOp{}, y, kCheap, &ctx);
    case Op::kMish: return ApplyUnary(*x, MishOp{}, y, kTranscendental, &ctx);
  }
  return Status::Internal("unreachable");
}

}  // namespace litemp
