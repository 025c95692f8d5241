// Squeeze and Unsqueeze: zero-copy views of the input buffer.
//
// 'axes' is an attribute before opset 13 and an (optional for Squeeze) input from 13.
// Negative axes are accepted from opset 11; Unsqueeze axes refer to the output rank.
#include <algorithm>

#include "kernels/movement/common.h"
#include "kernels/movement/movement.h"

namespace litemp::movement {

Status SqueezeKernel::Init(const KernelInit& init) {
  opset_ = init.opset();
  if (opset_ < 13) {
    has_attr_axes_ = init.attrs().Has("axes");
    attr_axes_ = init.attrs().GetInts("axes");
  }
  return Status::OK();
}

Status SqueezeKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  const int r = x.rank();
  bool given = false;
  std::vector<int64_t> axes;
  if (opset_ >= 13 && ctx.input(1)) {
    LITEMP_ASSIGN_OR_RETURN(axes, ReadInts(*ctx.input(1), "axes"));
    given = true;
  } else if (opset_ < 13 && has_attr_axes_) {
    axes = attr_axes_;
    given = true;
  }
  Shape out;
  if (given) {
    if (r == 0 && !axes.empty()) return Status::InvalidArgument("cannot squeeze a scalar");
    LITEMP_RETURN_IF_ERROR(NormalizeAxes(&axes, r));
    std::vector<char> drop(r, 0);
    for (int64_t a : axes) {
      if (x.dim(static_cast<int>(a)) != 1)
        return Status::InvalidArgument("cannot squeeze axis " + std::to_string(a) + " of shape " +
                                       ShapeToString(x.shape()) + ": its size is " +
                                       std::to_string(x.dim(static_cast<int>(a))) + ", not 1");
      drop[a] = 1;
    }
    for (int i = 0; i < r; ++i)
      if (!drop[i]) out.push_back(x.dim(i));
  } else {
    for (int i = 0; i < r; ++i)
      if (x.dim(i) != 1) out.push_back(x.dim(i));
  }
  *ctx.output(0) = x.Reshaped(std::move(out));
  return Status::OK();
}

Status UnsqueezeKernel::Init(const KernelInit& init) {
  opset_ = init.opset();
  if (opset_ < 13) {
    if (!init.attrs().Has("axes")) return Status::InvalidArgument("missing required attribute 'axes'");
    attr_axes_ = init.attrs().GetInts("axes");
  }
  return Status::OK();
}

Status UnsqueezeKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  std::vector<int64_t> axes = attr_axes_;
  if (opset_ >= 13) {
    if (!ctx.input(1)) return Status::InvalidArgument("missing the 'axes' input");
    LITEMP_ASSIGN_OR_RETURN(axes, ReadInts(*ctx.input(1), "axes"));
  }
  const int out_rank = x.rank() + static_cast<int>(axes.size());
  LITEMP_RETURN_IF_ERROR(NormalizeAxes(&axes, out_rank));
  std::vector<char> inserted(out_rank, 0);
  for (int64_t a : axes) inserted[a] = 1;
  Shape out(out_rank);
  int next = 0;
  for (int i = 0; i < out_rank; ++i) out[i] = inserted[i] ? 1 : x.dim(next++);
  *ctx.output(0) = x.Reshaped(std::move(out));
  return Status::OK();
}

}  // namespace litemp::movement
