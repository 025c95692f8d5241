// Pad: modes constant, reflect, edge and wrap (wrap is opset 19).
//
// pads/value are attributes before opset 11; from 11 pads and the optional scalar
// constant_value are inputs, and opset 18 adds the optional 'axes' input (pads then has
// 2 * len(axes) values). pads = [x1_begin, x2_begin, ..., x1_end, x2_end, ...]. Negative
// pads crop; the non-constant modes then pad relative to the cropped extent.
// Constant mode fills and copies the interior as one strided copy; the other modes are a
// gather with one index table per axis.
#include <algorithm>
#include <cstring>

#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {

Status PadKernel::Init(const KernelInit& init) {
  opset_ = init.opset();
  const std::string mode = init.attrs().GetString("mode", "constant");
  if (mode == "constant") {
    mode_ = Mode::kConstant;
  } else if (mode == "reflect") {
    mode_ = Mode::kReflect;
  } else if (mode == "edge") {
    mode_ = Mode::kEdge;
  } else if (mode == "wrap") {
    mode_ = Mode::kWrap;
  } else {
    return Status::InvalidArgument("mode '" + mode + "' is not one of constant, reflect, edge, wrap");
  }
  if (opset_ < 11) {
    if (!init.attrs().Has("pads")) return Status::InvalidArgument("missing required attribute 'pads'");
    attr_pads_ = init.attrs().GetInts("pads");
    attr_value_ = init.attrs().GetFloat("value", 0.f);
  }
  return Status::OK();
}

namespace {
// Maps c (an index relative to the kept range of length n) into [0, n).
int64_t MapIndex(PadKernel::Mode mode, int64_t c, int64_t n) {
  if (c >= 0 && c < n) return c;
  switch (mode) {
    case PadKernel::Mode::kEdge:
      return std::clamp<int64_t>(c, 0, n - 1);
    case PadKernel::Mode::kWrap:
      return ((c % n) + n) % n;
    default: {  // reflect without repeating the edge, periodic like numpy
      if (n == 1) return 0;
      const int64_t period = 2 * (n - 1);
      const int64_t m = ((c % period) + period) % period;
      return m >= n ? period - m : m;
    }
  }
}
}  // namespace

Status PadKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  const int r = x.rank();
  std::vector<int64_t> pads = attr_pads_, axes;
  uint64_t value = 0;  // the fill element's bytes
  if (opset_ >= 11) {
    if (!ctx.input(1)) return Status::InvalidArgument("missing the 'pads' input");
    LITEMP_ASSIGN_OR_RETURN(pads, ReadInts(*ctx.input(1), "pads"));
    if (const Tensor* cv = ctx.input(2); cv && cv->numel() > 0) {
      if (cv->dtype() != x.dtype())
        return Status::InvalidArgument(std::string("constant_value is ") + DTypeName(cv->dtype()) +
                                       " but the data is " + DTypeName(x.dtype()));
      std::memcpy(&value, ToPlain(*cv).raw_data(), DTypeSize(x.dtype()));
    }
    if (opset_ >= 18 && ctx.input(3)) {
      LITEMP_ASSIGN_OR_RETURN(axes, ReadInts(*ctx.input(3), "axes"));
    }
  } else {
    LITEMP_RETURN_IF_ERROR(StoreScalar(x.dtype(), attr_value_, &value));
  }
  if (axes.empty())
    for (int i = 0; i < r; ++i) axes.push_back(i);
  LITEMP_RETURN_IF_ERROR(NormalizeAxes(&axes, r));
  const size_t na = axes.size();
  if (pads.size() != 2 * na)
    return Status::InvalidArgument("pads " + IntsToString(pads) + " has " + std::to_string(pads.size()) +
                                   " values, expected " + std::to_string(2 * na) + " for " + std::to_string(na) +
                                   " axes of input " + ShapeToString(x.shape()));
  std::vector<int64_t> begin(r, 0), end(r, 0);
  for (size_t i = 0; i < na; ++i) {
    begin[axes[i]] = pads[i];
    end[axes[i]] = pads[i + na];
  }
  Shape out(r);
  for (int d = 0; d < r; ++d) {
    out[d] = x.dim(d) + begin[d] + end[d];
    if (out[d] < 0)
      return Status::InvalidArgument("pads " + IntsToString(pads) + " crop more than axis " + std::to_string(d) +
                                     " of " + ShapeToString(x.shape()) + " holds");
  }
  const size_t es = DTypeSize(x.dtype());
  if (es == 0) return Status::NotSupported(std::string("data type ") + DTypeName(x.dtype()));
  Tensor y(x.dtype(), out);
  if (y.numel() == 0) {
    *ctx.output(0) = std::move(y);
    return Status::OK();
  }
  // The kept input range per axis after cropping: [lo, lo + n).
  std::vector<int64_t> lo(r), n(r);
  for (int d = 0; d < r; ++d) {
    lo[d] = std::max<int64_t>(0, -begin[d]);
    n[d] = x.dim(d) - lo[d] - std::max<int64_t>(0, -end[d]);
  }
  if (mode_ == Mode::kConstant) {
    bool any_pad = false, empty = false;
    for (int d = 0; d < r; ++d) {
      any_pad = any_pad || begin[d] > 0 || end[d] > 0;
      empty = empty || n[d] <= 0;
    }
    if (any_pad || empty) FillRaw(y.raw_data(), y.numel(), &value, es);
    if (!empty) {
      const std::vector<int64_t> xs = Strides(x.shape()), ys = Strides(out);
      int64_t src_off = 0, dst_off = 0;
      for (int d = 0; d < r; ++d) {
        src_off += lo[d] * xs[d];
        dst_off += std::max<int64_t>(0, begin[d]) * ys[d];
      }
      CopyStrided(static_cast<const char*>(x.raw_data()) + src_off * es, xs,
                  static_cast<char*>(y.raw_data()) + dst_off * es, ys, n, es);
    }
  } else {
    std::vector<std::vector<int64_t>> maps(r);
    for (int d = 0; d < r; ++d) {
      if (n[d] <= 0)
        return Status::InvalidArgument("cannot pad axis " + std::to_string(d) + " of " + ShapeToString(x.shape()) +
                                       " in a non-constant mode: nothing is left to copy from");
      maps[d].resize(out[d]);
      const int64_t p = std::max<int64_t>(0, begin[d]);
      for (int64_t o = 0; o < out[d]; ++o) maps[d][o] = lo[d] + MapIndex(mode_, o - p, n[d]);
    }
    GatherAxes(x.raw_data(), x.shape(), y.raw_data(), maps, es, nullptr);
  }
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
