// BatchNormalization, inference mode, opsets 1..15 (opset 14+ training_mode=1 is rejected).
#include <cmath>

#include "core/parallel.h"
#include "kernels/nn/norm.h"

namespace litemp::nn {

namespace {

// y = (x - m) * a + b over N*C planes of `size` elements. Parameters are per channel, or per
// element of a [C, size] block when `per_element` (spatial=0).
template <class T>
void ApplyPlain(const T* x, T* y, int64_t planes, int64_t channels, int64_t size, bool per_element,
                const std::vector<T>& a, const std::vector<T>& m, const std::vector<T>& b) {
  ParallelFor(
      planes,
      [&](int64_t p0, int64_t p1) {
        for (int64_t p = p0; p < p1; ++p) {
          const int64_t c = p % channels;
          const T* xp = x + p * size;
          T* yp = y + p * size;
          if (per_element) {
            const T* ap = a.data() + c * size;
            const T* mp = m.data() + c * size;
            const T* bp = b.data() + c * size;
            for (int64_t i = 0; i < size; ++i) yp[i] = (xp[i] - mp[i]) * ap[i] + bp[i];
          } else {
            const T ac = a[c], mc = m[c], bc = b[c];
            for (int64_t i = 0; i < size; ++i) yp[i] = (xp[i] - mc) * ac + bc;
          }
        }
      },
      size);
}

// Channels-last: `pixels` rows of `channels` values.
template <class T>
void ApplyNhwc(const T* x, T* y, int64_t pixels, int64_t channels, const std::vector<T>& a,
               const std::vector<T>& m, const std::vector<T>& b) {
  ParallelFor(
      pixels,
      [&](int64_t p0, int64_t p1) {
        const T* ap = a.data();
        const T* mp = m.data();
        const T* bp = b.data();
        for (int64_t p = p0; p < p1; ++p) {
          const T* xp = x + p * channels;
          T* yp = y + p * channels;
          for (int64_t c = 0; c < channels; ++c) yp[c] = (xp[c] - mp[c]) * ap[c] + bp[c];
        }
      },
      channels);
}

// Blocked [N][C/8][pixels][8]: each (n, channel block) is `pixels` rows of 8 lanes.
template <class T>
void ApplyBlocked(const T* x, T* y, int64_t n, int64_t channels, int64_t pixels, const std::vector<T>& a,
                  const std::vector<T>& m, const std::vector<T>& b) {
  const int64_t blocks = channels / 8;
  ParallelFor(
      n * blocks,
      [&](int64_t b0, int64_t b1) {
        for (int64_t blk = b0; blk < b1; ++blk) {
          const int64_t c0 = blk % blocks * 8;
          const T* xp = x + blk * pixels * 8;
          T* yp = y + blk * pixels * 8;
          for (int64_t p = 0; p < pixels * 8; p += 8)
            for (int64_t l = 0; l < 8; ++l) yp[p + l] = (xp[p + l] - m[c0 + l]) * a[c0 + l] + b[c0 + l];
        }
      },
      pixels * 8);
}

}  // namespace

Status BatchNormKernel::Init(const KernelInit& init) {
  const Attributes& at = init.attrs();
  epsilon_ = at.GetFloat("epsilon", 1e-5f);
  if (init.opset() < 9) spatial_ = at.GetInt("spatial", 1) != 0;
  if (init.opset() >= 14 && at.GetInt("training_mode", 0) != 0)
    return Status::NotSupported("training_mode=1 (only inference is supported)");
  // Older exporters list the training outputs (mean, var, saved_mean, saved_var) even in
  // inference graphs. Unused ones get placeholders; a used one needs training statistics.
  for (int i = 1; i < init.num_outputs(); ++i) {
    const Value* v = init.output_info(i);
    if (!v) continue;
    if (!v->consumers.empty() || v->is_graph_output)
      return Status::NotSupported("training output " + std::to_string(i) + " ('" + v->name +
                                  "') is used; only inference (output Y) is supported");
    placeholder_outputs_ = true;
  }
  LITEMP_CHECK(init.num_inputs() == 5, "expected 5 inputs (X, scale, B, mean, var), got " +
                                           std::to_string(init.num_inputs()));
  const Tensor* s = init.constant_input(1);
  const Tensor* b = init.constant_input(2);
  const Tensor* m = init.constant_input(3);
  const Tensor* v = init.constant_input(4);
  if (s && b && m && v) {
    LITEMP_RETURN_IF_ERROR(Prepare(*s, *b, *m, *v));
    prepared_ = true;
  }
  return Status::OK();
}

Status BatchNormKernel::Prepare(const Tensor& scale, const Tensor& bias, const Tensor& mean,
                                const Tensor& var) {
  LITEMP_ASSIGN_OR_RETURN(std::vector<double> s, ToDoubleVector(scale, "scale"));
  LITEMP_ASSIGN_OR_RETURN(bias_, ToDoubleVector(bias, "B"));
  LITEMP_ASSIGN_OR_RETURN(mean_, ToDoubleVector(mean, "input_mean"));
  LITEMP_ASSIGN_OR_RETURN(std::vector<double> v, ToDoubleVector(var, "input_var"));
  if (bias_.size() != s.size() || mean_.size() != s.size() || v.size() != s.size())
    return Status::InvalidArgument("parameter sizes differ: scale " + std::to_string(s.size()) +
                                   ", B " + std::to_string(bias_.size()) + ", mean " +
                                   std::to_string(mean_.size()) + ", var " +
                                   std::to_string(v.size()));
  mul_.resize(s.size());
  for (size_t i = 0; i < s.size(); ++i) mul_[i] = s[i] / std::sqrt(v[i] + epsilon_);
  return Status::OK();
}

Status BatchNormKernel::Run(KernelContext& ctx) {
  const Tensor& x0 = *ctx.input(0);
  if (x0.rank() < 2)
    return Status::InvalidArgument("X shape " + ShapeToString(x0.shape()) + " has rank " +
                                   std::to_string(x0.rank()) +
                                   ", expected at least 2 ([N, C, ...])");
  if (!prepared_) {
    for (int i = 1; i < 5; ++i)
      if (!ctx.input(i))
        return Status::InvalidArgument("input " + std::to_string(i) + " is missing");
    LITEMP_RETURN_IF_ERROR(Prepare(*ctx.input(1), *ctx.input(2), *ctx.input(3), *ctx.input(4)));
  }
  const int64_t channels = x0.dim(1);
  const int64_t size = channels == 0 || x0.dim(0) == 0 ? 0 : x0.numel() / (x0.dim(0) * channels);
  const int64_t n = static_cast<int64_t>(mul_.size());
  bool per_element = false;
  if (n != channels) {
    if (spatial_ || n != channels * size)
      return Status::InvalidArgument("scale has " + std::to_string(n) +
                                     " values, expected C=" + std::to_string(channels) +
                                     " for X shape " + ShapeToString(x0.shape()) +
                                     (spatial_ ? "" : " (or C x spatial size with spatial=0)"));
    per_element = true;
  }
  // Per-element parameters index a plain [C, spatial] layout, so NHWC or blocked input is
  // made plain.
  const Tensor x = per_element ? ToPlain(x0) : x0;
  return DispatchFloat(x.dtype(), [&]<class T>() {
    std::vector<T> a(mul_.begin(), mul_.end()), m(mean_.begin(), mean_.end()),
        b(bias_.begin(), bias_.end());
    Tensor y(x.dtype(), x.shape(), x.layout());
    if (x.layout() == Layout::kNhwc) {
      ApplyNhwc<T>(x.data<T>(), y.data<T>(), x.numel() / std::max<int64_t>(channels, 1), channels,
                   a, m, b);
    } else if (x.layout() == Layout::kNchw8c) {
      ApplyBlocked<T>(x.data<T>(), y.data<T>(), x.dim(0), channels, size, a, m, b);
    } else {
      ApplyPlain<T>(x.data<T>(), y.data<T>(), x.dim(0) * channels, channels, size, per_element, a,
                    m, b);
    }
    *ctx.output(0) = std::move(y);
    // Unused training outputs: the running statistics, shaped like the parameters.
    for (int i = 1; placeholder_outputs_ && i < ctx.num_outputs() && i < 5; ++i)
      if (ctx.output_wanted(i)) *ctx.output(i) = *ctx.input(i % 2 == 1 ? 3 : 4);
    return Status::OK();
  });
}

}  // namespace litemp::nn
