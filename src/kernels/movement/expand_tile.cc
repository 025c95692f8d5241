// Expand and Tile, both strided copies with zero strides.
//
// Expand broadcasts the input and the 'shape' input both ways (numpy rules), so the
// output may keep input dims where 'shape' has 1. Tile views the output as
// [r0, d0, r1, d1, ...] and reads the input with stride 0 along each repeat dim.
#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {

Status ExpandKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (!ctx.input(1)) return Status::InvalidArgument("missing the 'shape' input");
  LITEMP_ASSIGN_OR_RETURN(std::vector<int64_t> spec, ReadInts(*ctx.input(1), "shape"));
  for (int64_t d : spec)
    if (d < 0) return Status::InvalidArgument("shape " + IntsToString(spec) + " has a negative dimension");
  Result<Shape> bs = BroadcastShapes(x.shape(), spec);
  if (!bs.ok())
    return Status::InvalidArgument("cannot expand " + ShapeToString(x.shape()) + " to " + IntsToString(spec) +
                                   ": incompatible dimensions");
  const Shape out = bs.value();
  if (out == x.shape()) {
    *ctx.output(0) = x;
    return Status::OK();
  }
  const size_t es = DTypeSize(x.dtype());
  if (es == 0) return Status::NotSupported(std::string("data type ") + DTypeName(x.dtype()));
  Tensor y(x.dtype(), out);
  CopyStrided(x.raw_data(), BroadcastStrides(x.shape(), out), y.raw_data(), Strides(out), out, es);
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

Status TileKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (!ctx.input(1)) return Status::InvalidArgument("missing the 'repeats' input");
  LITEMP_ASSIGN_OR_RETURN(std::vector<int64_t> reps, ReadInts(*ctx.input(1), "repeats"));
  const int r = x.rank();
  if (static_cast<int>(reps.size()) != r)
    return Status::InvalidArgument("repeats " + IntsToString(reps) + " has " + std::to_string(reps.size()) +
                                   " values but the input " + ShapeToString(x.shape()) + " has rank " +
                                   std::to_string(r));
  for (int64_t v : reps)
    if (v < 0) return Status::InvalidArgument("repeats " + IntsToString(reps) + " has a negative value");
  const size_t es = DTypeSize(x.dtype());
  if (es == 0) return Status::NotSupported(std::string("data type ") + DTypeName(x.dtype()));
  const std::vector<int64_t> st = Strides(x.shape());
  Shape out(r), view(2 * r);
  std::vector<int64_t> ss(2 * r);
  for (int i = 0; i < r; ++i) {
    out[i] = x.dim(i) * reps[i];
    view[2 * i] = reps[i];
    view[2 * i + 1] = x.dim(i);
    ss[2 * i] = 0;
    ss[2 * i + 1] = st[i];
  }
  Tensor y(x.dtype(), out);
  CopyStrided(x.raw_data(), ss, y.raw_data(), Strides(view), view, es);
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
