// MaxPool (opsets 1..22): 1-D/2-D/3-D, explicit or automatic padding, dilations, ceil_mode,
// and the optional Indices output (flat input offsets, row- or column-major per storage_order).
#include <limits>

#include "core/parallel.h"
#include "kernels/nn/pool.h"

namespace litemp::nn {

namespace {

// Offset of a spatial position within its plane in column-major order (the first ONNX
// spatial dim varies fastest). Geometry dims are right-aligned, so real dims start at 3 - rank.
int64_t FlatColMajor(const PoolGeometry& g, int64_t b0, int64_t b1, int64_t b2) {
  const int64_t b[3] = {b0, b1, b2};
  int64_t r = 0, m = 1;
  for (int j = 3 - g.spatial_rank; j < 3; ++j) {
    r += b[j] * m;
    m *= g.in[j];
  }
  return r;
}

template <class T>
void MaxPoolPlanes(const PoolGeometry& g, const T* x, T* y, int64_t* idx, bool col_major) {
  const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
  ForEachPoolWindow(g, [&](const PoolWindow& w) {
    const T* xp = x + w.plane * in_plane;
    T best = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                  : std::numeric_limits<T>::lowest();
    int64_t b0 = -1, b1 = -1, b2 = -1;
    for (int64_t k0 = w.lo[0]; k0 < w.hi[0]; ++k0) {
      const int64_t i0 = w.s[0] + k0 * g.d[0];
      for (int64_t k1 = w.lo[1]; k1 < w.hi[1]; ++k1) {
        const int64_t i1 = w.s[1] + k1 * g.d[1];
        const T* row = xp + (i0 * g.in[1] + i1) * g.in[2];
        if (!idx) {
          for (int64_t k2 = w.lo[2]; k2 < w.hi[2]; ++k2) best = std::max(best, row[w.s[2] + k2 * g.d[2]]);
          continue;
        }
        for (int64_t k2 = w.lo[2]; k2 < w.hi[2]; ++k2) {
          const T v = row[w.s[2] + k2 * g.d[2]];
          if (b0 < 0 || v > best) {  // strict: the first maximum wins
            best = v;
            b0 = i0;
            b1 = i1;
            b2 = w.s[2] + k2 * g.d[2];
          }
        }
      }
    }
    const int64_t o = w.plane * out_plane + w.out;
    y[o] = best;
    if (idx) {
      int64_t local = -1;
      if (b0 >= 0) local = (col_major ? FlatColMajor(g, b0, b1, b2) : (b0 * g.in[1] + b1) * g.in[2] + b2) + w.plane * in_plane;
      idx[o] = local;
    }
  });
}

}  // namespace

Status MaxPoolKernel::Init(const KernelInit& init) {
  LITEMP_RETURN_IF_ERROR(ParsePoolAttrs(init, /*allow_dilations=*/init.opset() >= 10, &attrs_));
  storage_order_ = static_cast<int>(init.attrs().GetInt("storage_order", 0));
  LITEMP_CHECK(storage_order_ == 0 || storage_order_ == 1,
               "storage_order " + std::to_string(storage_order_) + ", expected 0 or 1");
  return Status::OK();
}

Status MaxPoolKernel::Run(KernelContext& ctx) {
  const bool want_idx = ctx.output_wanted(1);
  const Tensor& x0 = *ctx.input(0);
  LITEMP_ASSIGN_OR_RETURN(PoolGeometry g, ComputePoolGeometry(attrs_, x0.shape()));
  if (x0.layout() != Layout::kPlain && !want_idx) {
    return DispatchFloat(x0.dtype(), [&]<class T>() {
      Tensor y(x0.dtype(), g.out_shape, x0.layout());
      PoolNhwc<T>(x0.layout() == Layout::kNhwc ? g : BlockedAsNhwc(g), x0.data<T>(), y.data<T>(), /*is_max=*/true,
                  false);
      *ctx.output(0) = std::move(y);
      return Status::OK();
    });
  }
  const Tensor x = ToPlain(x0);
  Tensor y(x.dtype(), g.out_shape);
  Tensor idx;
  if (want_idx) idx = Tensor(DType::kInt64, g.out_shape);
  int64_t* ip = want_idx ? idx.data<int64_t>() : nullptr;
  const bool col_major = storage_order_ == 1;
  switch (x.dtype()) {
    case DType::kFloat32:
      MaxPoolPlanes<float>(g, x.data<float>(), y.data<float>(), ip, col_major);
      break;
    case DType::kFloat64:
      MaxPoolPlanes<double>(g, x.data<double>(), y.data<double>(), ip, col_major);
      break;
    case DType::kInt8:
      MaxPoolPlanes<int8_t>(g, x.data<int8_t>(), y.data<int8_t>(), ip, col_major);
      break;
    case DType::kUInt8:
      MaxPoolPlanes<uint8_t>(g, x.data<uint8_t>(), y.data<uint8_t>(), ip, col_major);
      break;
    default:
      return Status::NotSupported(std::string("MaxPool on ") + DTypeName(x.dtype()) +
                                  " (supported: float32, float64, int8, uint8)");
  }
  *ctx.output(0) = std::move(y);
  if (want_idx) *ctx.output(1) = std::move(idx);
  return Status::OK();
}

}  // namespace litemp::nn
