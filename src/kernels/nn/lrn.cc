// LRN (opsets 1..22): local response normalisation across channels.
#include <cmath>

#include "core/parallel.h"
#include "kernels/nn/norm.h"

namespace litemp::nn {

Status LrnKernel::Init(const KernelInit& init) {
  const Attributes& at = init.attrs();
  alpha_ = at.GetFloat("alpha", 1e-4f);
  beta_ = at.GetFloat("beta", 0.75f);
  bias_ = at.GetFloat("bias", 1.0f);
  size_ = at.GetInt("size", 0);
  LITEMP_CHECK(size_ >= 1, "size " + std::to_string(size_) + " must be a positive integer");
  return Status::OK();
}

Status LrnKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (x.rank() < 2)
    return Status::InvalidArgument("X shape " + ShapeToString(x.shape()) + " has rank " +
                                   std::to_string(x.rank()) +
                                   ", expected at least 2 ([N, C, ...])");
  const int64_t n = x.dim(0), c = x.dim(1);
  const int64_t s = n * c == 0 ? 0 : x.numel() / (n * c);
  // Channel window [ch - before, ch + after] as in the spec: floor/ceil of (size - 1) / 2.
  const int64_t before = (size_ - 1) / 2, after = size_ - 1 - before;
  const double coef = alpha_ / static_cast<double>(size_);
  return DispatchFloat(x.dtype(), [&]<class T>() {
    Tensor y(x.dtype(), x.shape());
    const T* xd = x.data<T>();
    T* yd = y.data<T>();
    ParallelFor(
        n * c,
        [&](int64_t b, int64_t e) {
          std::vector<double> sq(s);
          for (int64_t p = b; p < e; ++p) {
            const int64_t img = p / c, ch = p % c;
            std::fill(sq.begin(), sq.end(), 0.0);
            const int64_t lo = std::max<int64_t>(0, ch - before), hi = std::min(c - 1, ch + after);
            for (int64_t q = lo; q <= hi; ++q) {
              const T* xq = xd + (img * c + q) * s;
              for (int64_t i = 0; i < s; ++i) sq[i] += static_cast<double>(xq[i]) * xq[i];
            }
            const T* xp = xd + p * s;
            T* yp = yd + p * s;
            for (int64_t i = 0; i < s; ++i)
              yp[i] = static_cast<T>(xp[i] / std::pow(bias_ + coef * sq[i], beta_));
          }
        },
        s * size_);
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp::nn
