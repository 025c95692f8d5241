// Slice: a strided copy of the selected sub-box (steps may be negative).
//
// starts/ends/axes are attributes before opset 10 and inputs (with optional steps) from
// 10. Clamping follows the spec: after adding the dim to negative values, starts are
// clamped to [0, dim] and ends to [0, dim] for positive steps; for negative steps starts
// go to [0, dim-1] and ends to [-1, dim-1].
#include <algorithm>

#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {

Status SliceKernel::Init(const KernelInit& init) {
  opset_ = init.opset();
  if (opset_ < 10) {
    const Attributes& a = init.attrs();
    if (!a.Has("starts") || !a.Has("ends")) return Status::InvalidArgument("missing attribute 'starts' or 'ends'");
    attr_starts_ = a.GetInts("starts");
    attr_ends_ = a.GetInts("ends");
    attr_axes_ = a.GetInts("axes");
  }
  return Status::OK();
}

Status SliceKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  const int r = x.rank();
  std::vector<int64_t> starts = attr_starts_, ends = attr_ends_, axes = attr_axes_, steps;
  if (opset_ >= 10) {
    if (!ctx.input(1) || !ctx.input(2)) return Status::InvalidArgument("missing the 'starts' or 'ends' input");
    LITEMP_ASSIGN_OR_RETURN(starts, ReadInts(*ctx.input(1), "starts"));
    LITEMP_ASSIGN_OR_RETURN(ends, ReadInts(*ctx.input(2), "ends"));
    if (ctx.input(3)) {
      LITEMP_ASSIGN_OR_RETURN(axes, ReadInts(*ctx.input(3), "axes"));
    }
    if (ctx.input(4)) {
      LITEMP_ASSIGN_OR_RETURN(steps, ReadInts(*ctx.input(4), "steps"));
    }
  }
  const size_t n = starts.size();
  if (ends.size() != n)
    return Status::InvalidArgument("starts " + IntsToString(starts) + " and ends " + IntsToString(ends) +
                                   " differ in length");
  if (axes.empty())
    for (size_t i = 0; i < n; ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(n, 1);
  if (axes.size() != n || steps.size() != n)
    return Status::InvalidArgument("starts has " + std::to_string(n) + " values but axes has " +
                                   std::to_string(axes.size()) + " and steps " + std::to_string(steps.size()));
  LITEMP_RETURN_IF_ERROR(NormalizeAxes(&axes, r));

  const std::vector<int64_t> st = Strides(x.shape());
  Shape out = x.shape();
  std::vector<int64_t> src_strides = st;
  int64_t offset = 0;
  for (size_t i = 0; i < n; ++i) {
    const int a = static_cast<int>(axes[i]);
    const int64_t d = x.dim(a), step = steps[i];
    if (step == 0) return Status::InvalidArgument("step is 0 for axis " + std::to_string(a));
    int64_t s = starts[i], e = ends[i];
    if (s < 0) s += d;
    if (e < 0) e += d;
    int64_t len = 0;
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, d);
      e = std::clamp<int64_t>(e, 0, d);
      len = e > s ? (e - s + step - 1) / step : 0;
    } else if (d > 0) {
      s = std::clamp<int64_t>(s, 0, d - 1);
      e = std::clamp<int64_t>(e, -1, d - 1);
      len = s > e ? (s - e - step - 1) / -step : 0;
    }
    out[a] = len;
    if (len > 0) offset += s * st[a];
    src_strides[a] = st[a] * step;
  }
  const size_t es = DTypeSize(x.dtype());
  if (es == 0) return Status::NotSupported(std::string("data type ") + DTypeName(x.dtype()));
  if (out == x.shape() && offset == 0 && src_strides == st) {
    *ctx.output(0) = x;  // the whole tensor
    return Status::OK();
  }
  Tensor y(x.dtype(), out);
  CopyStrided(static_cast<const char*>(x.raw_data()) + offset * static_cast<int64_t>(es), src_strides, y.raw_data(),
              Strides(out), out, es);
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
