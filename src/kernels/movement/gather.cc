// Gather: out[o, k, i] = data[o, indices[k], i] over (outer, indices, inner), one memcpy
// of `inner` elements per pair. Indices are int32/int64, negative counts from the end,
// out of range is an error.
#include <cstring>

#include "core/parallel.h"
#include "kernels/movement/common.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {
namespace {

// Reads `idx` and maps negative values into [0, dim); InvalidArgument on the first bad one.
Result<std::vector<int64_t>> ReadIndices(const Tensor& idx, int64_t dim, int64_t axis) {
  LITEMP_ASSIGN_OR_RETURN(std::vector<int64_t> v, ReadInts(idx, "indices"));
  for (int64_t& i : v) {
    if (i < -dim || i >= dim)
      return Status::InvalidArgument("index " + std::to_string(i) + " is out of range for axis " +
                                     std::to_string(axis) + " of size " + std::to_string(dim));
    if (i < 0) i += dim;
  }
  return v;
}

}  // namespace

Status GatherKernel::Init(const KernelInit& init) {
  axis_ = init.attrs().GetInt("axis", 0);
  return Status::OK();
}

Status GatherKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (!ctx.input(1)) return Status::InvalidArgument("missing the 'indices' input");
  const Tensor& ind = *ctx.input(1);
  const int r = x.rank();
  if (r == 0) return Status::InvalidArgument("cannot gather from a scalar");
  int64_t axis;
  LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis_, r, &axis));
  const int64_t dim = x.dim(static_cast<int>(axis));
  LITEMP_ASSIGN_OR_RETURN(const std::vector<int64_t> idx, ReadIndices(ind, dim, axis));
  Shape out(x.shape().begin(), x.shape().begin() + axis);
  out.insert(out.end(), ind.shape().begin(), ind.shape().end());
  out.insert(out.end(), x.shape().begin() + axis + 1, x.shape().end());
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = static_cast<int>(axis) + 1; d < r; ++d) inner *= x.dim(d);
  const int64_t n = static_cast<int64_t>(idx.size());
  Tensor y(x.dtype(), out);
  LITEMP_RETURN_IF_ERROR(DispatchBySize(x.dtype(), [&]<class E>() {
    const E* src = x.data<E>();
    E* dst = y.data<E>();
    ParallelFor(
        outer * n,
        [&](int64_t b, int64_t e) {
          for (int64_t it = b; it < e; ++it) {
            const E* s = src + ((it / n) * dim + idx[it % n]) * inner;
            E* d = dst + it * inner;
            if (inner == 1) {
              *d = *s;
            } else {
              std::memcpy(d, s, inner * sizeof(E));
            }
          }
        },
        inner);
    return Status::OK();
  }));
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

Status GatherElementsKernel::Init(const KernelInit& init) {
  axis_ = init.attrs().GetInt("axis", 0);
  return Status::OK();
}

Status GatherElementsKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (!ctx.input(1)) return Status::InvalidArgument("missing the 'indices' input");
  const Tensor& ind = *ctx.input(1);
  const int r = x.rank();
  if (r == 0) return Status::InvalidArgument("cannot gather from a scalar");
  int64_t axis;
  LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis_, r, &axis));
  bool ok = ind.rank() == r;
  for (int d = 0; ok && d < r; ++d) ok = d == axis || ind.dim(d) <= x.dim(d);
  if (!ok)
    return Status::InvalidArgument("indices shape " + ShapeToString(ind.shape()) + " does not fit data shape " +
                                   ShapeToString(x.shape()) + " (same rank, no larger outside axis " +
                                   std::to_string(axis) + ")");
  LITEMP_ASSIGN_OR_RETURN(const std::vector<int64_t> idx, ReadIndices(ind, x.dim(static_cast<int>(axis)), axis));
  Tensor y(x.dtype(), ind.shape());
  if (y.numel() == 0) {
    *ctx.output(0) = std::move(y);
    return Status::OK();
  }
  const std::vector<int64_t> xs = Strides(x.shape());
  const Shape& is = ind.shape();
  const int64_t len = is[r - 1];
  const int64_t rows = y.numel() / len;
  const int64_t step = axis == r - 1 ? 0 : xs[r - 1];  // source stride along the last dim
  const int64_t astride = xs[axis];
  LITEMP_RETURN_IF_ERROR(DispatchBySize(x.dtype(), [&]<class E>() {
    const E* src = x.data<E>();
    E* dst = y.data<E>();
    ParallelFor(
        rows,
        [&](int64_t b, int64_t e) {
          for (int64_t row = b; row < e; ++row) {
            // Source offset of the row, leaving out the gathered axis.
            int64_t base = 0, t = row;
            for (int d = r - 2; d >= 0; --d) {
              const int64_t i = t % is[d];
              t /= is[d];
              if (d != axis) base += i * xs[d];
            }
            const int64_t* ix = idx.data() + row * len;
            E* out = dst + row * len;
            for (int64_t j = 0; j < len; ++j) out[j] = src[base + j * step + ix[j] * astride];
          }
        },
        len);
    return Status::OK();
  }));
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
