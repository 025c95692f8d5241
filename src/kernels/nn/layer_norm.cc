// LayerNormalization (opset 17).
#include <cmath>

#include "core/parallel.h"
#include "kernels/nn/lanes.h"
#include "kernels/nn/norm.h"

namespace litemp::nn {

namespace {

// Broadcasts a Scale/B tensor (numpy rules) to the normalised shape `tail`, as doubles.
Result<std::vector<double>> ExpandToTail(const Tensor& t, const Shape& tail, const char* what) {
  LITEMP_ASSIGN_OR_RETURN(std::vector<double> v, ToDoubleVector(t, what));
  Shape s = t.shape();
  while (s.size() > tail.size() && s.front() == 1) s.erase(s.begin());
  auto bs = BroadcastShapes(s, tail);
  if (!bs.ok() || bs.value() != tail)
    return Status::InvalidArgument(std::string(what) + " shape " + ShapeToString(t.shape()) +
                                   " does not broadcast to the normalised shape " +
                                   ShapeToString(tail));
  const int64_t n = NumElements(tail);
  if (static_cast<int64_t>(v.size()) == n) return v;
  std::vector<int64_t> st = BroadcastStrides(s, tail), pos(tail.size(), 0);
  std::vector<double> out(n);
  for (int64_t i = 0; i < n; ++i) {
    int64_t off = 0;
    for (size_t d = 0; d < tail.size(); ++d) off += pos[d] * st[d];
    out[i] = v[off];
    for (int d = static_cast<int>(tail.size()) - 1; d >= 0; --d) {
      if (++pos[d] < tail[d]) break;
      pos[d] = 0;
    }
  }
  return out;
}

template <class T, class U>
void LayerNormRows(const T* x, T* y, U* mean_out, U* inv_out, int64_t rows, int64_t cols,
                   double eps, const std::vector<double>& scale, const std::vector<double>* bias) {
  std::vector<T> sc(scale.begin(), scale.end());
  std::vector<T> bi(cols, T(0));
  if (bias) bi.assign(bias->begin(), bias->end());
  ParallelFor(
      rows,
      [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
          const T* xr = x + r * cols;
          T* yr = y + r * cols;
          const double mean = SumDouble(xr, cols) / static_cast<double>(cols);
          const double var = SumSqDevDouble(xr, cols, mean) / static_cast<double>(cols);
          const double inv = 1.0 / std::sqrt(var + eps);
          const T tm = static_cast<T>(mean), ti = static_cast<T>(inv);
          for (int64_t i = 0; i < cols; ++i) yr[i] = (xr[i] - tm) * ti * sc[i] + bi[i];
          if (mean_out) mean_out[r] = static_cast<U>(mean);
          if (inv_out) inv_out[r] = static_cast<U>(inv);
        }
      },
      cols * 4);
}

}  // namespace

Status LayerNormKernel::Init(const KernelInit& init) {
  axis_ = init.attrs().GetInt("axis", -1);
  epsilon_ = init.attrs().GetFloat("epsilon", 1e-5f);
  const int64_t stash = init.attrs().GetInt("stash_type", 1);
  if (stash == static_cast<int64_t>(DType::kFloat32)) {
    stash_ = DType::kFloat32;
  } else if (stash == static_cast<int64_t>(DType::kFloat64)) {
    stash_ = DType::kFloat64;
  } else {
    return Status::NotSupported("stash_type " + std::to_string(stash) +
                                " (supported: 1 float, 11 double)");
  }
  LITEMP_CHECK(init.num_inputs() >= 2,
               "expected inputs X, Scale[, B], got " + std::to_string(init.num_inputs()));
  return Status::OK();
}

Status LayerNormKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (!ctx.input(1)) return Status::InvalidArgument("Scale input is missing");
  int64_t axis;
  LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis_, x.rank(), &axis));
  Shape tail(x.shape().begin() + axis, x.shape().end());
  Shape stat_shape = x.shape();
  for (int i = static_cast<int>(axis); i < x.rank(); ++i) stat_shape[i] = 1;
  const int64_t cols = NumElements(tail);
  const int64_t rows = cols == 0 ? 0 : x.numel() / cols;
  LITEMP_ASSIGN_OR_RETURN(std::vector<double> scale, ExpandToTail(*ctx.input(1), tail, "Scale"));
  std::vector<double> bias;
  if (ctx.input(2)) {
    LITEMP_ASSIGN_OR_RETURN(bias, ExpandToTail(*ctx.input(2), tail, "B"));
  }
  const std::vector<double>* bp = ctx.input(2) ? &bias : nullptr;
  Tensor mean, inv;
  if (ctx.output_wanted(1)) mean = Tensor(stash_, stat_shape);
  if (ctx.output_wanted(2)) inv = Tensor(stash_, stat_shape);
  return DispatchFloat(x.dtype(), [&]<class T>() {
    Tensor y(x.dtype(), x.shape());
    if (stash_ == DType::kFloat32) {
      LayerNormRows<T, float>(
          x.data<T>(), y.data<T>(), mean.defined() ? mean.data<float>() : nullptr,
          inv.defined() ? inv.data<float>() : nullptr, rows, cols, epsilon_, scale, bp);
    } else {
      LayerNormRows<T, double>(
          x.data<T>(), y.data<T>(), mean.defined() ? mean.data<double>() : nullptr,
          inv.defined() ? inv.data<double>() : nullptr, rows, cols, epsilon_, scale, bp);
    }
    *ctx.output(0) = std::move(y);
    if (mean.defined()) *ctx.output(1) = std::move(mean);
    if (inv.defined()) *ctx.output(2) = std::move(inv);
    return Status::OK();
  });
}

}  // namespace litemp::nn
