// Normalisation kernels: BatchNormalization (inference), LayerNormalization,
// InstanceNormalization, GroupNormalization, LpNormalization and LRN.
//
// Statistics are accumulated in double whatever the input type, so large reductions stay
// accurate; results are rounded to the input type once.
#ifndef LITEMP_KERNELS_NN_NORM_H_
#define LITEMP_KERNELS_NN_NORM_H_

#include <vector>

#include "kernels/kernel.h"
#include "kernels/util.h"

namespace litemp::nn {

// Values of a float16/float32/float64 tensor as doubles; `what` names it in errors.
Result<std::vector<double>> ToDoubleVector(const Tensor& t, const std::string& what);

// Normalises plain x ([N, C, ...]) in `groups` groups of consecutive channels: per (n, group)
// mean and variance over the group's channels and spatial positions, then
// y = (x - mean) / sqrt(var + eps) * scale[c] + bias[c] with per-channel scale/bias.
// REQUIRES: groups divides C; scale.size() == bias.size() == C.
Status GroupNormalize(const Tensor& x, int64_t groups, const std::vector<double>& scale,
                      const std::vector<double>& bias, double eps, Tensor* y);

// BatchNormalization in inference mode: y = (x - mean) * scale / sqrt(var + eps) + B.
// Accepts NHWC and blocked input and keeps its layout. When scale, B, mean and var are initializers the
// per-channel multiplier is computed once in Init. training_mode (opset 14+) and used training
// outputs of older opsets are NotSupported (unused ones receive the running statistics). spatial=0
// (opsets 7-8) takes per-element parameters of shape [C, D1..Dn].
class BatchNormKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  // Fills mul_/mean_/bias_ from the parameter tensors.
  Status Prepare(const Tensor& scale, const Tensor& bias, const Tensor& mean, const Tensor& var);

  double epsilon_ = 1e-5;
  bool spatial_ = true;
  bool prepared_ = false;             // parameters were constant and are already folded
  bool placeholder_outputs_ = false;  // unused training outputs to fill
  std::vector<double> mul_, mean_, bias_;
};

// LayerNormalization (opset 17): normalises over dims [axis, rank); optional Mean and
// InvStdDev outputs (stash type float32 or float64).
class LayerNormKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t axis_ = -1;
  double epsilon_ = 1e-5;
  DType stash_ = DType::kFloat32;
};

// InstanceNormalization: per (n, c) normalisation over the spatial dims, then scale[c], B[c].
class InstanceNormKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  double epsilon_ = 1e-5;
};

// GroupNormalization (opsets 18, 21): statistics per (n, group of C/num_groups channels).
// scale/bias are per channel ([C], opset 21) or per group ([num_groups], opset 18).
class GroupNormKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  double epsilon_ = 1e-5;
  int64_t groups_ = 0;
};

// LpNormalization: x / ||x||_p along `axis` (p = 1 or 2).
class LpNormKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t axis_ = -1;
  int p_ = 2;
};

// LRN: y = x / (bias + alpha / size * sum of x^2 over `size` neighbouring channels)^beta.
class LrnKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  double alpha_ = 1e-4, beta_ = 0.75, bias_ = 1.0;
  int64_t size_ = 0;
};

}  // namespace litemp::nn

#endif  // LITEMP_KERNELS_NN_NORM_H_
