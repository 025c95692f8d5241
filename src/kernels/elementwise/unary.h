// Element-wise unary kernels. Those whose output has the input's dtype accept NHWC and
// channel-blocked input and keep its layout (PRelu NHWC only); IsNaN/IsInf (bool output)
// take plain input.
#ifndef LITEMP_KERNELS_ELEMENTWISE_UNARY_H_
#define LITEMP_KERNELS_ELEMENTWISE_UNARY_H_

#include <algorithm>

#include "core/parallel.h"
#include "kernels/kernel.h"
#include "kernels/util.h"

namespace litemp {

class ReluKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  Status Run(KernelContext& ctx) override;
};

// Attribute-free math: Abs Neg Sign Floor Ceil Round Exp Log Sqrt Reciprocal, the
// trigonometric and hyperbolic functions, Erf Sigmoid Softplus Softsign HardSwish Mish.
class UnaryMathKernel final : public Kernel {
 public:
  enum class Op {
    kAbs, kNeg, kSign, kFloor, kCeil, kRound, kExp, kLog, kSqrt, kReciprocal,
    kSin, kCos, kTan, kAsin, kAcos, kAtan, kSinh, kCosh, kAsinh, kAcosh, kAtanh, kTanh,
    kErf, kSigmoid, kSoftplus, kSoftsign, kHardSwish, kMish,
  };
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  // Element-wise ones on float32 output (post_ops.h): a Sigmoid takes a SiLU's Mul.
  bool TakesPostOps() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  Op op_ = Op::kAbs;
};

// Activations with attributes: LeakyRelu HardSigmoid Elu Selu Celu ThresholdedRelu Gelu
// Shrink.
class ActivationKernel final : public Kernel {
 public:
  enum class Op { kLeakyRelu, kHardSigmoid, kElu, kSelu, kCelu, kThresholdedRelu, kGelu, kShrink };
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  // As UnaryMathKernel's: a HardSigmoid takes a HardSwish's Mul.
  bool TakesPostOps() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  Op op_ = Op::kLeakyRelu;
  float alpha_ = 0, beta_ = 0, gamma_ = 0;
  bool tanh_approx_ = false;
};

// Clip: bounds are the min/max attributes before opset 11 and optional scalar inputs from 11
// (integer types from 12). An omitted bound does not clip.
class ClipKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  bool bounds_are_inputs_ = true;
  float min_attr_ = 0, max_attr_ = 0;
};

// PRelu: y = x < 0 ? slope * x : x, slope broadcast to x's shape (e.g. [C,1,1] per channel).
class PReluKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init) { return Status::OK(); }
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;
};

// IsNaN and IsInf (detect_negative / detect_positive): float input, bool output.
class ClassifyKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  bool is_nan_ = true;
  bool detect_negative_ = true, detect_positive_ = true;
};

}  // namespace litemp

#endif  // LITEMP_KERNELS_ELEMENTWISE_UNARY_H_
