// OneHot: inserts a depth-sized axis at 'axis'; out = on_value where the index matches,
// off_value elsewhere. Indices and depth may be any numeric type (cast to int64). From
// opset 11 negative indices count back from depth; indices outside the valid range give
// an all-off row. values = [off_value, on_value] fixes the output type.
#include <cstring>

#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {

Status OneHotKernel::Init(const KernelInit& init) {
  opset_ = init.opset();
  axis_ = init.attrs().GetInt("axis", -1);
  return Status::OK();
}

Status OneHotKernel::Run(KernelContext& ctx) {
  if (!ctx.input(0) || !ctx.input(1) || !ctx.input(2))
    return Status::InvalidArgument("needs the indices, depth and values inputs");
  const Tensor& ind = *ctx.input(0);
  const Tensor values = ToPlain(*ctx.input(2));
  if (ctx.input(1)->numel() != 1)
    return Status::InvalidArgument("depth must hold one value, got shape " + ShapeToString(ctx.input(1)->shape()));
  LITEMP_ASSIGN_OR_RETURN(std::vector<double> depth_v, ReadDoubles(*ctx.input(1), "depth"));
  const int64_t depth = static_cast<int64_t>(depth_v[0]);
  if (depth < 1) return Status::InvalidArgument("depth must be positive, got " + std::to_string(depth_v[0]));
  if (values.numel() != 2)
    return Status::InvalidArgument("values must hold [off_value, on_value], got shape " +
                                   ShapeToString(values.shape()));
  const size_t es = DTypeSize(values.dtype());
  if (es == 0) return Status::NotSupported(std::string("values of type ") + DTypeName(values.dtype()));
  LITEMP_ASSIGN_OR_RETURN(std::vector<double> idx, ReadDoubles(ind, "indices"));
  const int r = ind.rank();
  int64_t axis;
  LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis_, r + 1, &axis));
  Shape out = ind.shape();
  out.insert(out.begin() + axis, depth);
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= ind.dim(d);
  for (int d = static_cast<int>(axis); d < r; ++d) inner *= ind.dim(d);
  Tensor y(values.dtype(), out);
  const char* off_value = static_cast<const char*>(values.raw_data());
  const char* on_value = off_value + es;
  FillRaw(y.raw_data(), y.numel(), off_value, es);
  char* dst = static_cast<char*>(y.raw_data());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      int64_t v = static_cast<int64_t>(idx[o * inner + i]);
      if (v < 0 && opset_ >= 11) v += depth;
      if (v < 0 || v >= depth) continue;
      std::memcpy(dst + ((o * depth + v) * inner + i) * es, on_value, es);
    }
  }
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
