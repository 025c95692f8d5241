// Trilu (opset 14): keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the
// last two dims and zeroes the rest. k is an optional scalar int64 input (default 0).
// Zero is all-zero bytes for every dtype, so rows are copied and memset.
#include <algorithm>
#include <cstring>

#include "core/parallel.h"
#include "kernels/movement/common.h"
#include "kernels/movement/movement.h"

namespace litemp::movement {

Status TriluKernel::Init(const KernelInit& init) {
  upper_ = init.attrs().GetInt("upper", 1) != 0;
  return Status::OK();
}

Status TriluKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (x.rank() < 2) return Status::InvalidArgument("input must have rank >= 2, got " + ShapeToString(x.shape()));
  int64_t k = 0;
  if (ctx.input(1) && ctx.input(1)->numel() > 0) {
    LITEMP_ASSIGN_OR_RETURN(k, ReadScalarInt(*ctx.input(1), "k"));
  }
  const size_t es = DTypeSize(x.dtype());
  if (es == 0) return Status::NotSupported(std::string("data type ") + DTypeName(x.dtype()));
  const int64_t rows = x.dim(-2), cols = x.dim(-1);
  Tensor y(x.dtype(), x.shape());
  if (y.numel() == 0) {
    *ctx.output(0) = std::move(y);
    return Status::OK();
  }
  const char* src = static_cast<const char*>(x.raw_data());
  char* dst = static_cast<char*>(y.raw_data());
  const int64_t total_rows = x.numel() / cols;
  ParallelFor(
      total_rows,
      [&](int64_t b, int64_t e) {
        for (int64_t row = b; row < e; ++row) {
          const int64_t i = row % rows;
          // Columns [keep_lo, keep_hi) survive.
          int64_t keep_lo = upper_ ? std::clamp<int64_t>(i + k, 0, cols) : 0;
          int64_t keep_hi = upper_ ? cols : std::clamp<int64_t>(i + k + 1, 0, cols);
          if (keep_hi < keep_lo) keep_hi = keep_lo;
          const int64_t off = row * cols;
          std::memset(dst + off * es, 0, keep_lo * es);
          std::memcpy(dst + (off + keep_lo) * es, src + (off + keep_lo) * es, (keep_hi - keep_lo) * es);
          std::memset(dst + (off + keep_hi) * es, 0, (cols - keep_hi) * es);
        }
      },
      cols);
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
