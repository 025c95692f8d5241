// Concat: one strided copy per input into its slab of the output. When every input is
// NHWC the concat runs on the storage order and the output stays NHWC.
// 'axis' is required; negative values are accepted from opset 11.
#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {

Status ConcatKernel::Init(const KernelInit& init) {
  if (!init.attrs().Has("axis")) return Status::InvalidArgument("missing required attribute 'axis'");
  axis_ = init.attrs().GetInt("axis", 0);
  return Status::OK();
}

Status ConcatKernel::Run(KernelContext& ctx) {
  std::vector<Tensor> ins;
  bool all_nhwc = true;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    if (!ctx.input(i)) return Status::InvalidArgument("input " + std::to_string(i) + " is missing");
    ins.push_back(*ctx.input(i));
    if (ins.back().layout() != Layout::kNhwc) all_nhwc = false;
  }
  if (ins.empty()) return Status::InvalidArgument("needs at least one input");
  if (!all_nhwc)
    for (Tensor& t : ins) t = ToPlain(t);
  const Tensor& first = ins[0];
  const int r = first.rank();
  if (r == 0) return Status::InvalidArgument("cannot concatenate scalars");
  int64_t axis;
  LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis_, r, &axis));
  Shape out = first.shape();
  out[axis] = 0;
  for (size_t i = 0; i < ins.size(); ++i) {
    const Tensor& t = ins[i];
    if (t.dtype() != first.dtype())
      return Status::InvalidArgument("input " + std::to_string(i) + " is " + DTypeName(t.dtype()) + ", input 0 is " +
                                     DTypeName(first.dtype()));
    bool ok = t.rank() == r;
    for (int d = 0; ok && d < r; ++d) ok = d == axis || t.dim(d) == first.dim(d);
    if (!ok)
      return Status::InvalidArgument("input " + std::to_string(i) + " has shape " + ShapeToString(t.shape()) +
                                     ", which does not match input 0 " + ShapeToString(first.shape()) +
                                     " outside axis " + std::to_string(axis));
    out[axis] += t.dim(static_cast<int>(axis));
  }
  const size_t es = DTypeSize(first.dtype());
  if (es == 0) return Status::NotSupported(std::string("data type ") + DTypeName(first.dtype()));
  Tensor y(first.dtype(), out, all_nhwc ? Layout::kNhwc : Layout::kPlain);
  // Work on the storage order: [N,H,W,C] for NHWC.
  const Shape sout = all_nhwc ? NhwcStorageShape(out) : out;
  const int saxis = all_nhwc ? NhwcStorageAxis(static_cast<int>(axis)) : static_cast<int>(axis);
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < saxis; ++d) outer *= sout[d];
  for (int d = saxis + 1; d < r; ++d) inner *= sout[d];
  const int64_t total = sout[saxis] * inner;
  int64_t offset = 0;
  for (const Tensor& t : ins) {
    const int64_t len = t.dim(static_cast<int>(axis)) * inner;
    if (len > 0 && outer > 0) {
      CopyStrided(t.raw_data(), {len, 1}, static_cast<char*>(y.raw_data()) + offset * es, {total, 1}, {outer, len}, es);
    }
    offset += len;
  }
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
