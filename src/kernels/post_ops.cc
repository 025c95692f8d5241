#include "kernels/post_ops.h"

#include <cstdlib>

#include "kernels/vec_math.h"

namespace litemp {

namespace {

// An operand with one value, which every output element takes.
bool IsScalar(const Tensor& t) { return t.numel() == 1; }

}  // namespace

int ElementwisePostOps(const KernelContext& ctx, const Tensor& out) {
  if (out.dtype() != DType::kFloat32) return 0;
  int n = 0;
  for (; n < ctx.num_post_ops(); ++n) {
    const PostOp& op = ctx.post_op(n);
    if (op.kind == PostOp::Kind::kDepthwiseConv || op.kind == PostOp::Kind::kPointwiseConv) break;
    if (op.kind != PostOp::Kind::kAdd && op.kind != PostOp::Kind::kMul) continue;
    const Tensor* a = op.operand;
    if (!a || a->dtype() != DType::kFloat32) break;
    const bool same = a->shape() == out.shape() && a->layout() == out.layout();
    const bool scalar = IsScalar(*a) && a->shape().size() <= out.shape().size();
    if (!same && !scalar) break;
  }
  return n;
}

void ApplyPostOp(const PostOp& op, float* y, int64_t n) {
  switch (op.kind) {
    case PostOp::Kind::kClip: {
      const float lo = op.lo, hi = op.hi;  // as ClipKernel (and Relu: max(x, 0))
      for (int64_t i = 0; i < n; ++i) y[i] = std::min(std::max(y[i], lo), hi);
      break;
    }
    case PostOp::Kind::kQuantize: {
      const float s = op.scale, inv = 1.0f / s, lo = op.lo, hi = op.hi;
      for (int64_t i = 0; i < n; ++i) y[i] = FakeQuantizeOne(y[i], s, inv, lo, hi);
      break;
    }
    case PostOp::Kind::kSiLU:
      SiLUFloats(y, y, n);
      break;
    default:
      std::abort();  // operands or another shape: not applicable to a bare run of floats
  }
}

void ApplyPostOp(const PostOp& op, Tensor* out, int64_t begin, int64_t end) {
  float* y = out->data<float>();
  switch (op.kind) {
    case PostOp::Kind::kClip:
    case PostOp::Kind::kQuantize:
    case PostOp::Kind::kSiLU:
      ApplyPostOp(op, y + begin, end - begin);
      break;
    case PostOp::Kind::kDepthwiseConv:
    case PostOp::Kind::kPointwiseConv:
      std::abort();  // ElementwisePostOps never offers them
    case PostOp::Kind::kAdd:
    case PostOp::Kind::kMul: {
      const float* a = op.operand->data<float>();
      const bool add = op.kind == PostOp::Kind::kAdd;
      if (IsScalar(*op.operand)) {
        const float c = a[0];
        if (add) for (int64_t i = begin; i < end; ++i) y[i] += c;
        else for (int64_t i = begin; i < end; ++i) y[i] *= c;
      } else if (add) {
        for (int64_t i = begin; i < end; ++i) y[i] += a[i];
      } else {
        for (int64_t i = begin; i < end; ++i) y[i] *= a[i];
      }
      break;
    }
  }
}

void ApplyPostOps(const KernelContext& ctx, int count, Tensor* out, int64_t begin, int64_t end) {
  for (int k = 0; k < count; ++k) ApplyPostOp(ctx.post_op(k), out, begin, end);
}

}  // namespace litemp
