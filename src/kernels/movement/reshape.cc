// Reshape and Flatten: zero-copy views of the input buffer.
//
// Reshape: 'shape' is an input (opset 5+); 0 copies the input dim unless allowzero=1
// (opset 14+), in which case 0 is a literal zero-size dim; one -1 is inferred.
// Flatten: axis in [0, r] before opset 11, [-r, r] from 11.
#include "kernels/movement/common.h"
#include "kernels/movement/movement.h"

namespace litemp::movement {

Status ReshapeKernel::Init(const KernelInit& init) {
  allowzero_ = init.opset() >= 14 && init.attrs().GetInt("allowzero", 0) != 0;
  return Status::OK();
}

Status ReshapeKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (!ctx.input(1)) return Status::InvalidArgument("missing the 'shape' input");
  LITEMP_ASSIGN_OR_RETURN(std::vector<int64_t> spec, ReadInts(*ctx.input(1), "shape"));
  auto fail = [&](const std::string& why) {
    return Status::InvalidArgument("cannot reshape " + ShapeToString(x.shape()) + " (" + std::to_string(x.numel()) +
                                   " elements) to " + IntsToString(spec) + ": " + why);
  };
  Shape out(spec.size());
  int infer = -1;
  bool has_zero = false;
  int64_t known = 1;
  for (size_t i = 0; i < spec.size(); ++i) {
    const int64_t v = spec[i];
    if (v == -1) {
      if (infer >= 0) return fail("more than one -1");
      infer = static_cast<int>(i);
      continue;
    }
    if (v < -1) return fail("negative dimension " + std::to_string(v));
    if (v == 0) has_zero = true;
    if (v == 0 && !allowzero_) {
      if (static_cast<int>(i) >= x.rank())
        return fail("0 at position " + std::to_string(i) + " copies a dimension the input does not have");
      out[i] = x.dim(static_cast<int>(i));
    } else {
      out[i] = v;
    }
    known *= out[i];
  }
  if (infer >= 0) {
    if (allowzero_ && has_zero) return fail("with allowzero=1 the shape cannot contain both 0 and -1");
    if (known == 0) return fail("-1 cannot be inferred next to a zero-sized dimension");
    if (x.numel() % known != 0)
      return fail(std::to_string(x.numel()) + " is not divisible by " + std::to_string(known));
    out[infer] = x.numel() / known;
  }
  if (NumElements(out) != x.numel()) return fail("that has " + std::to_string(NumElements(out)) + " elements");
  *ctx.output(0) = x.Reshaped(std::move(out));
  return Status::OK();
}

Status FlattenKernel::Init(const KernelInit& init) {
  axis_ = init.attrs().GetInt("axis", 1);
  return Status::OK();
}

Status FlattenKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  const int r = x.rank();
  int64_t axis = axis_ < 0 ? axis_ + r : axis_;
  if (axis < 0 || axis > r)
    return Status::InvalidArgument("axis " + std::to_string(axis_) + " is out of range [" + std::to_string(-r) + ", " +
                                   std::to_string(r) + "] for input shape " + ShapeToString(x.shape()));
  int64_t outer = 1;
  for (int i = 0; i < axis; ++i) outer *= x.dim(i);
  int64_t inner = 1;
  for (int i = static_cast<int>(axis); i < r; ++i) inner *= x.dim(i);
  *ctx.output(0) = x.Reshaped({outer, inner});
  return Status::OK();
}

}  // namespace litemp::movement
