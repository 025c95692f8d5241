// Resize data paths: nearest as a per-axis gather (any dtype), linear/cubic as one
// weighted pass per resized axis in float (double for float64 data; float16 and integer
// data are converted, integers rounded back with saturation).
#include <cmath>
#include <cstring>
#include <memory>
#include <type_traits>

#include "core/parallel.h"
#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/resize.h"
#include "kernels/util.h"

namespace litemp::movement {
namespace {

// dst[o, j, i] = sum_k w[j,k] * src[o, index[j,k], i] for a [outer, in, inner] source.
template <class T>
void ResamplePass(const T* src, T* dst, int64_t outer, int64_t inner, const AxisPlan& p) {
  const int64_t in = p.in, out = p.out;
  const int taps = p.taps;
  const std::vector<T> w(p.weight.begin(), p.weight.end());
  const int64_t* idx = p.index.data();
  if (inner == 1) {
    ParallelFor(
        outer,
        [&](int64_t b, int64_t e) {
          for (int64_t o = b; o < e; ++o) {
            const T* s = src + o * in;
            T* d = dst + o * out;
            if (taps == 2) {
              for (int64_t j = 0; j < out; ++j) d[j] = w[2 * j] * s[idx[2 * j]] + w[2 * j + 1] * s[idx[2 * j + 1]];
              continue;
            }
            for (int64_t j = 0; j < out; ++j) {
              T acc = 0;
              for (int k = 0; k < taps; ++k) acc += w[j * taps + k] * s[idx[j * taps + k]];
              d[j] = acc;
            }
          }
        },
        out * taps);
    return;
  }
  ParallelFor(
      outer * out,
      [&](int64_t b, int64_t e) {
        for (int64_t it = b; it < e; ++it) {
          const int64_t o = it / out, j = it % out;
          const T* base = src + o * in * inner;
          T* d = dst + it * inner;
          const T* s0 = base + idx[j * taps] * inner;
          const T w0 = w[j * taps];
          if (taps == 2) {
            const T* s1 = base + idx[j * taps + 1] * inner;
            const T w1 = w[j * taps + 1];
            for (int64_t i = 0; i < inner; ++i) d[i] = w0 * s0[i] + w1 * s1[i];
            continue;
          }
          for (int64_t i = 0; i < inner; ++i) d[i] = w0 * s0[i];
          for (int k = 1; k < taps; ++k) {
            const T* sk = base + idx[j * taps + k] * inner;
            const T wk = w[j * taps + k];
            for (int64_t i = 0; i < inner; ++i) d[i] += wk * sk[i];
          }
        }
      },
      inner * taps);
}

// Sets the extrapolated positions (any axis outside) to `value`.
template <class T>
void FillOutside(T* data, const Shape& shape, const std::vector<const AxisPlan*>& plans, T value) {
  const int r = static_cast<int>(shape.size());
  const int64_t len = shape[r - 1];
  const int64_t rows = NumElements(shape) / len;
  const std::vector<char>& inner = plans[r - 1]->outside;
  ParallelFor(
      rows,
      [&](int64_t b, int64_t e) {
        for (int64_t row = b; row < e; ++row) {
          bool out = false;
          int64_t t = row;
          for (int d = r - 2; d >= 0; --d) {
            out = out || plans[d]->outside[t % shape[d]];
            t /= shape[d];
          }
          T* p = data + row * len;
          for (int64_t j = 0; j < len; ++j)
            if (out || inner[j]) p[j] = value;
        }
      },
      len);
}

// Linear/cubic on storage-ordered data converted to T. The last pass writes straight
// into y when y already has type T.
template <class T>
Status Interpolate(const ResizeAttrs& a, const Tensor& x, const Shape& sin, const std::vector<const AxisPlan*>& sp,
                   Tensor* y) {
  const int r = static_cast<int>(sin.size());
  const int64_t n_in = NumElements(sin);
  const DType dt = x.dtype();
  const bool native = dt == DTypeOf<T>();
  std::unique_ptr<T[]> cur, next;  // uninitialised scratch
  const T* src = nullptr;
  if (native) {
    src = x.data<T>();
  } else {
    cur.reset(new T[n_in]);
    if (dt == DType::kFloat16) {
      for (int64_t i = 0; i < n_in; ++i) cur[i] = HalfToFloat(x.data<uint16_t>()[i]);
    } else {
      LITEMP_RETURN_IF_ERROR(DispatchNumeric(dt, [&]<class S>() {
        for (int64_t i = 0; i < n_in; ++i) cur[i] = static_cast<T>(x.data<S>()[i]);
        return Status::OK();
      }));
    }
    src = cur.get();
  }
  bool any_outside = false;
  int last_pass = -1;
  for (int d = 0; d < r; ++d) {
    any_outside = any_outside || sp[d]->any_outside;
    if (!sp[d]->identity && last_pass < 0) last_pass = d;  // passes run from the last axis down
  }
  const int64_t n_out = y->numel();
  Shape shape = sin;
  for (int d = r - 1; d >= 0; --d) {
    if (sp[d]->identity) continue;
    int64_t outer = 1, inner = 1;
    for (int i = 0; i < d; ++i) outer *= shape[i];
    for (int i = d + 1; i < r; ++i) inner *= shape[i];
    T* dst;
    if (d == last_pass && native) {
      dst = y->data<T>();
    } else {
      next.reset(new T[outer * sp[d]->out * inner]);
      dst = next.get();
    }
    ResamplePass(src, dst, outer, inner, *sp[d]);
    shape[d] = sp[d]->out;
    if (dst == next.get()) cur.swap(next);
    src = dst;
  }
  T* out = const_cast<T*>(src);  // the last pass's output, owned by y or cur
  if (any_outside) FillOutside(out, shape, sp, static_cast<T>(a.extrapolation));
  if (native) return Status::OK();
  if constexpr (std::is_same_v<T, float>) {
    if (dt == DType::kFloat16) {
      FloatToHalf(out, y->data<uint16_t>(), n_out);
      return Status::OK();
    }
  }
  char* dst = static_cast<char*>(y->raw_data());
  const size_t es = DTypeSize(dt);
  for (int64_t i = 0; i < n_out; ++i) LITEMP_RETURN_IF_ERROR(StoreScalar(dt, out[i], dst + i * es));
  return Status::OK();
}

}  // namespace

Status ApplyResize(const ResizeAttrs& a, const Tensor& x, const std::vector<AxisPlan>& plans, Tensor* y) {
  const int r = x.rank();
  const bool nhwc = x.layout() == Layout::kNhwc;
  Shape out(r);
  for (int d = 0; d < r; ++d) out[d] = plans[d].out;
  // Storage order: position k holds logical axis `order[k]`.
  std::vector<int> order(r);
  for (int d = 0; d < r; ++d) order[d] = d;
  if (nhwc) order = {0, 2, 3, 1};
  Shape sin(r);
  std::vector<const AxisPlan*> sp(r);
  bool identity = true, any_outside = false;
  for (int k = 0; k < r; ++k) {
    sin[k] = x.dim(order[k]);
    sp[k] = &plans[order[k]];
    identity = identity && sp[k]->identity;
    any_outside = any_outside || sp[k]->any_outside;
  }
  if (identity) {
    *y = x;
    return Status::OK();
  }
  const size_t es = DTypeSize(x.dtype());
  if (es == 0) return Status::NotSupported(std::string("data type ") + DTypeName(x.dtype()));
  *y = Tensor(x.dtype(), out, x.layout());
  if (y->numel() == 0) return Status::OK();
  for (int d = 0; d < r; ++d)
    if (x.dim(d) == 0)
      return Status::InvalidArgument("cannot resize the empty axis " + std::to_string(d) + " of " +
                                     ShapeToString(x.shape()) + " to size " + std::to_string(out[d]));
  if (a.mode == ResizeMode::kNearest) {
    std::vector<std::vector<int64_t>> maps(r);
    for (int k = 0; k < r; ++k) {
      maps[k] = sp[k]->index;
      for (int64_t j = 0; j < sp[k]->out; ++j)
        if (sp[k]->outside[j]) maps[k][j] = -1;
    }
    uint64_t fill = 0;
    if (any_outside) LITEMP_RETURN_IF_ERROR(StoreScalar(x.dtype(), a.extrapolation, &fill));
    GatherAxes(x.raw_data(), sin, y->raw_data(), maps, es, &fill);
    return Status::OK();
  }
  if (x.dtype() == DType::kBool) return Status::NotSupported("linear/cubic Resize of bool data");
  if (x.dtype() == DType::kFloat64) return Interpolate<double>(a, x, sin, sp, y);
  return Interpolate<float>(a, x, sin, sp, y);
}

Status RunResize(const ResizeAttrs& a, const Tensor& x, const std::vector<double>* scales,
                 const std::vector<int64_t>* sizes, const std::vector<double>* roi, Tensor* y) {
  LITEMP_ASSIGN_OR_RETURN(ResizeGeometry g, ComputeResizeGeometry(a, x.shape(), scales, sizes, roi));
  std::vector<AxisPlan> plans(x.rank());
  for (int d = 0; d < x.rank(); ++d) {
    if (x.dim(d) == 0) {
      plans[d].in = 0;
      plans[d].out = g.out[d];
      plans[d].identity = g.out[d] == 0;
      plans[d].outside.assign(g.out[d], 0);
      continue;
    }
    plans[d] = PlanAxis(a, x.dim(d), g.out[d], g.scale[d], g.roi_start[d], g.roi_end[d]);
  }
  return ApplyResize(a, x, plans, y);
}

}  // namespace litemp::movement
