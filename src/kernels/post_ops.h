// The post-ops (kernel.h) as element-wise kernels apply them: to runs of their float32
// output while the run is still in cache, instead of one more pass over memory per step.
// A Sigmoid then writes a SiLU's Mul, an Erf the GELU's Add, Mul and Mul after it. Each
// step computes exactly what the node it replaces would (the same operation on the same
// two floats), so fused and unfused results are the same bits.
#ifndef LITEMP_KERNELS_POST_OPS_H_
#define LITEMP_KERNELS_POST_OPS_H_

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/kernel.h"

namespace litemp {

// round_half_even(min(max(x / s, lo), hi)) * s with NaN -> lo, as ONNX Runtime's
// QuantizeLinear then DequantizeLinear compute it (MLAS sends NaN to the low end), but
// without a division (a loop's bottleneck): with inv = RN(1 / s), one FMA correction of
// x * inv gives the correctly rounded quotient (Markstein), i.e. exactly x / s. Infinite x
// (or an overflowing x * inv) makes the correction NaN: x * inv is kept then.
inline float FakeQuantizeOne(float x, float s, float inv, float lo, float hi) {
  const float q0 = x * inv;
  const float q1 = std::fma(std::fma(-q0, s, x), inv, q0);
  const float r = q1 != q1 ? q0 : q1;
  return std::nearbyint(std::min(hi, std::max(lo, r))) * s;
}

// How many of the context's post-ops, from the first, an element-wise kernel that wrote
// float32 `out` can apply with ApplyPostOps: clips, fake-quantizations, SiLUs, and Adds
// and Muls whose operand is float32 and either has out's shape and layout or is a single
// value that does not widen out's shape (not a depthwise or 1x1 convolution). 0 when `out`
// is not float32.
int ElementwisePostOps(const KernelContext& ctx, const Tensor& out);

// Applies a clip, fake-quantization or SiLU post-op to the n floats at y.
void ApplyPostOp(const PostOp& op, float* y, int64_t n);
// Applies one post-op to out[begin, end) (same requirements as below).
void ApplyPostOp(const PostOp& op, Tensor* out, int64_t begin, int64_t end);

// Applies post-ops [0, count) of the context to out[begin, end), in order.
// REQUIRES: count <= ElementwisePostOps(ctx, out) for this `out`.
void ApplyPostOps(const KernelContext& ctx, int count, Tensor* out, int64_t begin, int64_t end);

}  // namespace litemp

#endif  // LITEMP_KERNELS_POST_OPS_H_
