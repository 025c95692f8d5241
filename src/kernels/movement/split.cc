// Split: each output is a strided copy of its slab of the input; NHWC inputs stay NHWC.
//
// Part sizes: the 'split' attribute before opset 13, the optional 'split' input from 13;
// opset 18 adds 'num_outputs' (parts of ceil(dim / n), the last one smaller). With
// neither, the axis is divided equally between the outputs.
#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {

Status SplitKernel::Init(const KernelInit& init) {
  opset_ = init.opset();
  axis_ = init.attrs().GetInt("axis", 0);
  if (opset_ < 13) attr_split_ = init.attrs().GetInts("split");
  if (opset_ >= 18) {
    num_outputs_ = init.attrs().GetInt("num_outputs", 0);
    if (init.attrs().Has("num_outputs") && num_outputs_ < 1)
      return Status::InvalidArgument("num_outputs must be positive, got " + std::to_string(num_outputs_));
  }
  return Status::OK();
}

Status SplitKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  const int r = x.rank();
  if (r == 0) return Status::InvalidArgument("cannot split a scalar");
  int64_t axis;
  LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis_, r, &axis));
  const int64_t dim = x.dim(static_cast<int>(axis));
  const int n = ctx.num_outputs();
  std::vector<int64_t> split;
  if (opset_ >= 13 && ctx.input(1) && ctx.input(1)->numel() > 0) {
    LITEMP_ASSIGN_OR_RETURN(split, ReadInts(*ctx.input(1), "split"));
  } else if (opset_ < 13) {
    split = attr_split_;
  }
  if (!split.empty()) {
    if (static_cast<int>(split.size()) != n)
      return Status::InvalidArgument("split " + IntsToString(split) + " has " + std::to_string(split.size()) +
                                     " parts but the node has " + std::to_string(n) + " outputs");
    int64_t sum = 0;
    for (int64_t s : split) {
      if (s < 0) return Status::InvalidArgument("split " + IntsToString(split) + " has a negative part");
      sum += s;
    }
    if (sum != dim)
      return Status::InvalidArgument("split " + IntsToString(split) + " sums to " + std::to_string(sum) +
                                     ", but axis " + std::to_string(axis) + " of " + ShapeToString(x.shape()) +
                                     " has size " + std::to_string(dim));
  } else if (num_outputs_ > 0) {
    if (num_outputs_ != n)
      return Status::InvalidArgument("num_outputs is " + std::to_string(num_outputs_) + " but the node has " +
                                     std::to_string(n) + " outputs");
    const int64_t chunk = (dim + n - 1) / n;
    split.assign(n, chunk);
    split.back() = dim - chunk * (n - 1);
    if (split.back() < 0)
      return Status::InvalidArgument("cannot split size " + std::to_string(dim) + " into " + std::to_string(n) +
                                     " parts of " + std::to_string(chunk));
  } else {
    if (n == 0 || dim % n != 0)
      return Status::InvalidArgument("cannot split axis " + std::to_string(axis) + " of size " + std::to_string(dim) +
                                     " into " + std::to_string(n) + " equal parts");
    split.assign(n, dim / n);
  }
  const size_t es = DTypeSize(x.dtype());
  if (es == 0) return Status::NotSupported(std::string("data type ") + DTypeName(x.dtype()));
  const bool nhwc = x.layout() == Layout::kNhwc;
  const Shape sin = nhwc ? NhwcStorageShape(x.shape()) : x.shape();
  const int saxis = nhwc ? NhwcStorageAxis(static_cast<int>(axis)) : static_cast<int>(axis);
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < saxis; ++d) outer *= sin[d];
  for (int d = saxis + 1; d < r; ++d) inner *= sin[d];
  int64_t offset = 0;
  for (int i = 0; i < n; ++i) {
    Shape shape = x.shape();
    shape[axis] = split[i];
    const int64_t len = split[i] * inner;
    if (ctx.output_wanted(i)) {
      Tensor y(x.dtype(), shape, x.layout());
      if (len > 0 && outer > 0)
        CopyStrided(static_cast<const char*>(x.raw_data()) + offset * es, {dim * inner, 1}, y.raw_data(), {len, 1},
                    {outer, len}, es);
      *ctx.output(i) = std::move(y);
    }
    offset += len;
  }
  return Status::OK();
}

}  // namespace litemp::movement
