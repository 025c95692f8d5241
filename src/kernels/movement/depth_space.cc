// DepthToSpace and SpaceToDepth: each is a reshape, a 6-D transpose and a reshape.
//
// DepthToSpace DCR (default): [N, b, b, C/b^2, H, W] -> perm (0,3,4,1,5,2);
//              CRD (opset 11+): [N, C/b^2, b, b, H, W] -> perm (0,1,4,2,5,3);
//   both then read as [N, C/b^2, H*b, W*b].
// SpaceToDepth: [N, C, H/b, b, W/b, b] -> perm (0,3,5,1,2,4) -> [N, C*b^2, H/b, W/b].
#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {
namespace {

Result<int64_t> ReadBlocksize(const KernelInit& init) {
  if (!init.attrs().Has("blocksize")) return Status::InvalidArgument("missing required attribute 'blocksize'");
  const int64_t b = init.attrs().GetInt("blocksize", 0);
  if (b < 1) return Status::InvalidArgument("blocksize must be positive, got " + std::to_string(b));
  return b;
}

Status Permute6(const Tensor& x, const Shape& view, const std::vector<int64_t>& perm, const Shape& out, Tensor* y) {
  const size_t es = DTypeSize(x.dtype());
  if (es == 0) return Status::NotSupported(std::string("data type ") + DTypeName(x.dtype()));
  *y = Tensor(x.dtype(), out);
  TransposeRaw(x.raw_data(), y->raw_data(), view, perm, es);
  return Status::OK();
}

}  // namespace

Status DepthToSpaceKernel::Init(const KernelInit& init) {
  LITEMP_ASSIGN_OR_RETURN(blocksize_, ReadBlocksize(init));
  const std::string mode = init.attrs().GetString("mode", "DCR");
  if (mode != "DCR" && mode != "CRD") return Status::InvalidArgument("mode '" + mode + "' is not DCR or CRD");
  crd_ = mode == "CRD";
  return Status::OK();
}

Status DepthToSpaceKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  const int64_t b = blocksize_;
  if (x.rank() != 4) return Status::InvalidArgument("input must be rank 4, got " + ShapeToString(x.shape()));
  const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
  if (c % (b * b) != 0)
    return Status::InvalidArgument("channels " + std::to_string(c) +
                                   " are not divisible by blocksize^2 = " + std::to_string(b * b));
  const int64_t oc = c / (b * b);
  const Shape out = {n, oc, h * b, w * b};
  Tensor y;
  if (crd_) {
    LITEMP_RETURN_IF_ERROR(Permute6(x, {n, oc, b, b, h, w}, {0, 1, 4, 2, 5, 3}, out, &y));
  } else {
    LITEMP_RETURN_IF_ERROR(Permute6(x, {n, b, b, oc, h, w}, {0, 3, 4, 1, 5, 2}, out, &y));
  }
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

Status SpaceToDepthKernel::Init(const KernelInit& init) {
  LITEMP_ASSIGN_OR_RETURN(blocksize_, ReadBlocksize(init));
  return Status::OK();
}

Status SpaceToDepthKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  const int64_t b = blocksize_;
  if (x.rank() != 4) return Status::InvalidArgument("input must be rank 4, got " + ShapeToString(x.shape()));
  const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
  if (h % b != 0 || w % b != 0)
    return Status::InvalidArgument("spatial size " + std::to_string(h) + "x" + std::to_string(w) +
                                   " is not divisible by blocksize " + std::to_string(b));
  Tensor y;
  LITEMP_RETURN_IF_ERROR(Permute6(x, {n, c, h / b, b, w / b, b}, {0, 3, 5, 1, 2, 4}, {n, c * b * b, h / b, w / b}, &y));
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
