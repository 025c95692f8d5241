// Attribute parsing and output-size arithmetic shared by MaxPool and AveragePool.
#include <string>

#include "kernels/nn/pool.h"

namespace litemp::nn {

namespace {

std::string Join(const std::vector<int64_t>& v) {
  std::string r = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) r += ',';
    r += std::to_string(v[i]);
  }
  return r + "]";
}

Status CheckCount(const char* name, const std::vector<int64_t>& v, size_t want) {
  if (v.empty() || v.size() == want) return Status::OK();
  return Status::InvalidArgument(std::string(name) + " " + Join(v) + " has " +
                                 std::to_string(v.size()) + " values, expected " +
                                 std::to_string(want));
}

}  // namespace

Status ParsePoolAttrs(const KernelInit& init, bool allow_dilations, PoolAttrs* out) {
  const Attributes& at = init.attrs();
  PoolAttrs a;
  a.kernel = at.GetInts("kernel_shape");
  if (a.kernel.empty()) return Status::InvalidArgument("kernel_shape attribute is required");
  const size_t n = a.kernel.size();
  if (n > 3)
    return Status::NotSupported("pooling over " + std::to_string(n) + " spatial dims (max 3)");
  for (int64_t k : a.kernel)
    LITEMP_CHECK(k >= 1, "kernel_shape " + Join(a.kernel) + " must be positive");
  a.strides = at.GetInts("strides");
  a.pads = at.GetInts("pads");
  a.dilations = at.GetInts("dilations");
  LITEMP_RETURN_IF_ERROR(CheckCount("strides", a.strides, n));
  LITEMP_RETURN_IF_ERROR(CheckCount("pads", a.pads, 2 * n));
  LITEMP_RETURN_IF_ERROR(CheckCount("dilations", a.dilations, n));
  for (int64_t s : a.strides)
    LITEMP_CHECK(s >= 1, "strides " + Join(a.strides) + " must be positive");
  for (int64_t p : a.pads) LITEMP_CHECK(p >= 0, "pads " + Join(a.pads) + " must be non-negative");
  for (int64_t d : a.dilations)
    LITEMP_CHECK(d >= 1, "dilations " + Join(a.dilations) + " must be positive");
  if (!allow_dilations) {
    for (int64_t d : a.dilations)
      if (d != 1)
        return Status::InvalidArgument("dilations " + Join(a.dilations) +
                                       " are not allowed at opset " + std::to_string(init.opset()));
  }
  std::string ap = at.GetString("auto_pad", "NOTSET");
  if (ap == "NOTSET" || ap.empty()) {
    a.auto_pad = PoolAttrs::AutoPad::kNotSet;
  } else if (ap == "SAME_UPPER") {
    a.auto_pad = PoolAttrs::AutoPad::kSameUpper;
  } else if (ap == "SAME_LOWER") {
    a.auto_pad = PoolAttrs::AutoPad::kSameLower;
  } else if (ap == "VALID") {
    a.auto_pad = PoolAttrs::AutoPad::kValid;
  } else {
    return Status::InvalidArgument("auto_pad '" + ap +
                                   "', expected NOTSET, SAME_UPPER, SAME_LOWER or VALID");
  }
  a.ceil_mode = at.GetInt("ceil_mode", 0) != 0;
  *out = std::move(a);
  return Status::OK();
}

Result<PoolGeometry> ComputePoolGeometry(const PoolAttrs& a, const Shape& x) {
  const int n = static_cast<int>(a.kernel.size());
  if (static_cast<int>(x.size()) != n + 2)
    return Status::InvalidArgument("input shape " + ShapeToString(x) + " has rank " +
                                   std::to_string(x.size()) + ", expected " +
                                   std::to_string(n + 2) + " for kernel_shape " + Join(a.kernel));
  PoolGeometry g;
  g.spatial_rank = n;
  g.batch = x[0];
  g.channels = x[1];
  g.out_shape = {x[0], x[1]};
  const int off = 3 - n;  // geometry dims are right-aligned
  for (int i = 0; i < n; ++i) {
    const int j = i + off;
    const int64_t len = x[2 + i], k = a.kernel[i];
    const int64_t s = a.strides.empty() ? 1 : a.strides[i];
    const int64_t d = a.dilations.empty() ? 1 : a.dilations[i];
    const int64_t window = (k - 1) * d + 1;
    int64_t out = 0, pb = 0, pe_total = 0;
    switch (a.auto_pad) {
      case PoolAttrs::AutoPad::kNotSet: {
        pb = a.pads.empty() ? 0 : a.pads[i];
        const int64_t pe = a.pads.empty() ? 0 : a.pads[n + i];
        pe_total = pe;
        const int64_t span = len + pb + pe - window;
        if (span < 0)
          return Status::InvalidArgument(
              "pooling window " + std::to_string(window) + " exceeds padded input size " +
              std::to_string(len + pb + pe) + " along spatial dim " + std::to_string(i));
        if (a.ceil_mode) {
          out = (span + s - 1) / s + 1;
          // A last window that would start inside the end padding is dropped.
          const int64_t max_starts = (len + pb + s - 1) / s;
          if (out > max_starts) out = max_starts;
        } else {
          out = span / s + 1;
        }
        break;
      }
      case PoolAttrs::AutoPad::kSameUpper:
      case PoolAttrs::AutoPad::kSameLower: {
        out = (len + s - 1) / s;
        int64_t total = (out - 1) * s + window - len;
        if (total < 0) total = 0;
        pb = a.auto_pad == PoolAttrs::AutoPad::kSameUpper ? total / 2 : total - total / 2;
        pe_total = total - pb;
        break;
      }
      case PoolAttrs::AutoPad::kValid:
        if (len < window)
          return Status::InvalidArgument("pooling window " + std::to_string(window) +
                                         " exceeds input size " + std::to_string(len) +
                                         " along spatial dim " + std::to_string(i) +
                                         " (auto_pad VALID)");
        out = (len - window) / s + 1;
        break;
    }
    g.in[j] = len;
    g.out[j] = out;
    g.k[j] = k;
    g.s[j] = s;
    g.d[j] = d;
    g.pad[j] = pb;
    g.pad_end[j] = pe_total;
    g.out_shape.push_back(out);
  }
  return g;
}

}  // namespace litemp::nn
