// Broadcasting element-wise kernels: arithmetic (Add Sub Mul Div Pow Mod), variadic
// (Max Min Sum Mean), comparisons and logic (Equal Less Greater LessOrEqual GreaterOrEqual
// And Or Xor), Not and Where.
//
// All accept NHWC and blocked inputs: a BroadcastPlan reads any mix of layouts, and the
// output is blocked or NHWC only when an input of the output's dtype has that layout and
// the output's exact shape (e.g. the
// residual Add of two NHWC convolutions, or NHWC x scalar). float16 inputs are computed in
// float32 and rounded back.
#ifndef LITEMP_KERNELS_ELEMENTWISE_BINARY_H_
#define LITEMP_KERNELS_ELEMENTWISE_BINARY_H_

#include <functional>
#include <vector>

#include "kernels/elementwise/broadcast.h"
#include "kernels/kernel.h"
#include "kernels/util.h"

namespace litemp {

// out = op(a, b) with broadcasting; TA/TB are the input element types, TO the output's.
template <class TO, class TA, class TB, class Op>
Result<Tensor> BroadcastBinary(const Tensor& a, const Tensor& b, Op op, int64_t cost = 1) {
  LITEMP_ASSIGN_OR_RETURN(BroadcastPlan p, BroadcastPlan::Make({&a, &b}, DTypeOf<TO>()));
  Tensor out(DTypeOf<TO>(), p.out_shape(), p.out_layout());
  BinaryMap(p, a.data<TA>(), b.data<TB>(), out.data<TO>(), op, cost);
  return out;
}

// InvalidArgument unless a and b have the same dtype.
Status CheckSameDType(const Tensor& a, const Tensor& b);

// Calls fn(inputs, out) with every float16 input converted to float32. When input
// `typed_input` was float16 (it decides the output type), the float32 result is rounded
// back to float16; pass -1 when the output type does not follow an input (bool results).
Status RunWithFloat16AsFloat(const std::vector<const Tensor*>& inputs, int typed_input, Tensor* out,
                             const std::function<Status(const std::vector<const Tensor*>&, Tensor*)>& fn);

class ArithmeticKernel final : public Kernel {
 public:
  enum class Op { kAdd, kSub, kMul, kDiv, kPow, kMod };
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  Status RunPow(const Tensor& a, const Tensor& b, Tensor* out) const;
  Op op_ = Op::kAdd;
  bool fmod_ = false;
};

class VariadicKernel final : public Kernel {
 public:
  enum class Op { kMax, kMin, kSum, kMean };
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  Op op_ = Op::kSum;
};

// Comparisons (numeric or bool inputs) and And/Or/Xor (bool inputs); bool output.
class CompareKernel final : public Kernel {
 public:
  enum class Op { kEqual, kLess, kGreater, kLessEqual, kGreaterEqual, kAnd, kOr, kXor };
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  Op op_ = Op::kEqual;
};

class NotKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init) { return Status::OK(); }
  Status Run(KernelContext& ctx) override;
};

// Where(condition, X, Y): three-way broadcast; condition is bool, X and Y any one dtype.
class WhereKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init) { return Status::OK(); }
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  Status Run(KernelContext& ctx) override;
};

}  // namespace litemp

#endif  // LITEMP_KERNELS_ELEMENTWISE_BINARY_H_
