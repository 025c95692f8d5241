// Reduction-style kernels: Reduce* (ten ops), ArgMax/ArgMin, Softmax/LogSoftmax/Hardmax,
// CumSum, and QuantizeLinear/DequantizeLinear.
//
// Float reductions accumulate in double (float32 inputs stay accurate over millions of
// elements); integer sums and products accumulate in int64.
#ifndef LITEMP_KERNELS_REDUCE_REDUCE_H_
#define LITEMP_KERNELS_REDUCE_REDUCE_H_

#include <cstdint>
#include <vector>

#include "kernels/kernel.h"
#include "kernels/util.h"

namespace litemp::reduce {

enum class ReduceOp { kSum, kMean, kMax, kMin, kProd, kL1, kL2, kLogSum, kLogSumExp, kSumSquare };

// One of the Reduce* ops. Axes come from the `axes` attribute before the opset where they
// became input 1 (13 for ReduceSum, 18 for the others). Empty or absent axes reduce over
// every dim, unless noop_with_empty_axes is set: then each element is transformed alone
// (ReduceSumSquare squares, ReduceL1 takes |x|, ...), as the spec describes.
// Types: float32, float64, int32, int64, int8, uint8; ReduceMax/ReduceMin also bool.
template <ReduceOp kOp>
class ReduceKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  bool keepdims_ = true;
  bool noop_with_empty_axes_ = false;
  bool axes_from_input_ = false;
  std::vector<int64_t> axes_;  // from the attribute
};

// ArgMax (kIsMax) / ArgMin: int64 indices along `axis`; ties resolve to the first index, or
// the last with select_last_index.
template <bool kIsMax>
class ArgReduceKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t axis_ = 0;
  bool keepdims_ = true;
  bool select_last_ = false;
};

enum class SoftmaxKind { kSoftmax, kLogSoftmax, kHardmax };

// Softmax, LogSoftmax, Hardmax. Before opset 13 the input is viewed as 2-D
// [prod(dims < axis), prod(dims >= axis)] and normalised per row (default axis 1); from
// opset 13 on it is normalised along the single dim `axis` (default -1).
template <SoftmaxKind kKind>
class SoftmaxKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t axis_ = -1;
  bool coerce_2d_ = false;
};

// CumSum (opsets 11, 14): running sum along the axis given by input 1, with the exclusive
// and reverse attributes.
class CumSumKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  bool exclusive_ = false, reverse_ = false;
};

// ONNX Runtime's com.microsoft QuantizeLinear/DequantizeLinear (version 1) are the ONNX ops
// with opset-13 semantics (per-axis `axis` attribute) that also take 16-bit types: what
// litemp's QDQ export writes for 16-bit quantizers. Returns the ONNX opset to follow.
inline int EffectiveQdqOpset(const Node& node) { return node.domain == "com.microsoft" ? 13 : node.opset; }

// QuantizeLinear: y = saturate(round_half_to_even(x / scale) + zero_point), per tensor or
// per axis (opset 13+). x: float32, float16, float64 or int32; scale float32/float16/float64.
// y type: zero point's type, else output_dtype (opset 21+), else uint8. Outputs int8, uint8,
// int16, uint16. Blocked quantization (block_size > 0) is NotSupported.
class QuantizeLinearKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t axis_ = 1;
  int opset_ = 0;
  DType out_dtype_attr_ = DType::kUndefined;  // opset 21 output_dtype
};

// DequantizeLinear: y = (x - zero_point) * scale in float32, per tensor or per axis; x int8,
// uint8, int16, uint16 or int32; y has the scale's type (float32 or float16).
class DequantizeLinearKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t axis_ = 1;
  int opset_ = 0;
  DType out_dtype_attr_ = DType::kUndefined;  // opset 23 output_dtype
};

}  // namespace litemp::reduce

#endif  // LITEMP_KERNELS_REDUCE_REDUCE_H_
