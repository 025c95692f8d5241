// Transpose: a permuted strided copy (cache-blocked when the innermost dim moves).
// An identity permutation returns the input itself. For an NHWC input the copy reads the
// storage order directly, so perm [0,2,3,1] (NCHW -> NHWC) is a zero-copy view.
#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {

Status TransposeKernel::Init(const KernelInit& init) {
  perm_ = init.attrs().GetInts("perm");
  std::vector<char> seen(perm_.size(), 0);
  for (int64_t p : perm_) {
    if (p < 0 || p >= static_cast<int64_t>(perm_.size()) || seen[p]++)
      return Status::InvalidArgument("perm " + IntsToString(perm_) + " is not a permutation of [0, " +
                                     std::to_string(perm_.size()) + ")");
  }
  return Status::OK();
}

Status TransposeKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  const int r = x.rank();
  std::vector<int64_t> perm = perm_;
  if (perm.empty())
    for (int i = r - 1; i >= 0; --i) perm.push_back(i);
  if (static_cast<int>(perm.size()) != r)
    return Status::InvalidArgument("perm " + IntsToString(perm) + " has " + std::to_string(perm.size()) +
                                   " entries but the input has rank " + std::to_string(r) + " (shape " +
                                   ShapeToString(x.shape()) + ")");
  Shape out(r);
  for (int i = 0; i < r; ++i) out[i] = x.dim(static_cast<int>(perm[i]));
  const size_t es = DTypeSize(x.dtype());
  if (es == 0) return Status::NotSupported(std::string("data type ") + DTypeName(x.dtype()));

  // Source dims in storage order: logical axis a lives at storage position axis_pos[a].
  Shape src_shape = x.shape();
  std::vector<int64_t> sperm = perm;
  if (x.layout() == Layout::kNhwc) {
    src_shape = NhwcStorageShape(x.shape());
    for (int i = 0; i < r; ++i) sperm[i] = NhwcStorageAxis(static_cast<int>(perm[i]));
  }
  bool identity = true;
  for (int i = 0; i < r; ++i) identity = identity && sperm[i] == i;
  if (identity) {
    Tensor view = x;  // same bytes, read as a plain tensor of the output shape
    view.set_layout(Layout::kPlain);
    *ctx.output(0) = view.Reshaped(out);
    return Status::OK();
  }
  Tensor y(x.dtype(), out);
  TransposeRaw(x.raw_data(), y.raw_data(), src_shape, sperm, es);
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
