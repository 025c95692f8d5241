// Activations with attributes (ONNX defaults): LeakyRelu (alpha 0.01), HardSigmoid (alpha
// 0.2, beta 0.5), Elu (alpha 1), Selu (alpha 1.6732632, gamma 1.0507010), Celu (12+,
// alpha 1), ThresholdedRelu (10+, alpha 1), Gelu (20+, approximate "none" | "tanh"),
// Shrink (9+, lambd 0.5, bias 0; also integers).
#include <string>

#include "kernels/elementwise/unary.h"
#include "kernels/elementwise/unary_ops.h"

namespace litemp {

namespace {
constexpr int64_t kCheap = 1, kTranscendental = 16;
}  // namespace

Status ActivationKernel::Init(const KernelInit& init) {
  const std::string& t = init.node().op_type;
  const Attributes& a = init.attrs();
  if (t == "LeakyRelu") {
    op_ = Op::kLeakyRelu;
    alpha_ = a.GetFloat("alpha", 0.01f);
  } else if (t == "HardSigmoid") {
    op_ = Op::kHardSigmoid;
    alpha_ = a.GetFloat("alpha", 0.2f);
    beta_ = a.GetFloat("beta", 0.5f);
  } else if (t == "Elu") {
    op_ = Op::kElu;
    alpha_ = a.GetFloat("alpha", 1.0f);
  } else if (t == "Selu") {
    op_ = Op::kSelu;
    alpha_ = a.GetFloat("alpha", 1.67326319217681884765625f);
    gamma_ = a.GetFloat("gamma", 1.05070102214813232421875f);
  } else if (t == "Celu") {
    op_ = Op::kCelu;
    alpha_ = a.GetFloat("alpha", 1.0f);
    if (alpha_ == 0) return Status::InvalidArgument("Celu alpha must be non-zero");
  } else if (t == "ThresholdedRelu") {
    op_ = Op::kThresholdedRelu;
    alpha_ = a.GetFloat("alpha", 1.0f);
  } else if (t == "Gelu") {
    op_ = Op::kGelu;
    std::string approx = a.GetString("approximate", "none");
    if (approx != "none" && approx != "tanh")
      return Status::InvalidArgument("Gelu approximate must be 'none' or 'tanh', got '" + approx + "'");
    tanh_approx_ = approx == "tanh";
  } else if (t == "Shrink") {
    op_ = Op::kShrink;
    alpha_ = a.GetFloat("lambd", 0.5f);
    beta_ = a.GetFloat("bias", 0.0f);
  } else {
    return Status::Internal("ActivationKernel registered for " + t);
  }
  return Status::OK();
}

Status ActivationKernel::Run(KernelContext& ctx) {
  const Tensor* x = ctx.input(0);
  if (!x) return Status::InvalidArgument("expected 1 input");
  Tensor* y = ctx.output(0);
  switch (op_) {
    case Op::kLeakyRelu: return ApplyUnary(*x, LeakyReluOp{alpha_}, y, kCheap, &ctx);
    case Op::kHardSigmoid: return ApplyUnary(*x, HardSigmoidOp{alpha_, beta_}, y, kCheap, &ctx);
    case Op::kElu: return ApplyUnary(*x, EluOp{alpha_}, y, kTranscendental, &ctx);
    case Op::kSelu: return ApplyUnary(*x, SeluOp{alpha_, gamma_}, y, kTranscendental, &ctx);
    case Op::kCelu: return ApplyUnary(*x, CeluOp{alpha_}, y, kTranscendental, &ctx);
    case Op::kThresholdedRelu: return ApplyUnary(*x, ThresholdedReluOp{alpha_}, y, kCheap, &ctx);
    case Op::kGelu:
      if (tanh_approx_) return ApplyUnary(*x, GeluOp{true}, y, kTranscendental, &ctx);
      return ApplyUnaryFloats(*x, GeluOp{false}, GeluErfFloats, y, kTranscendental, &ctx);
    case Op::kShrink: return ApplyUnary(*x, ShrinkOp{alpha_, beta_}, y, kCheap, &ctx);
  }
  return Status::Internal("unreachable");
}

}  // namespace litemp
