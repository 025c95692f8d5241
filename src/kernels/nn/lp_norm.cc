// LpNormalization (opsets 1..22): y = x / (sum |x|^p)^(1/p) along one axis, p in {1, 2}.
#include <cmath>

#include "core/parallel.h"
#include "kernels/nn/norm.h"

namespace litemp::nn {

Status LpNormKernel::Init(const KernelInit& init) {
  axis_ = init.attrs().GetInt("axis", -1);
  const int64_t p = init.attrs().GetInt("p", 2);
  LITEMP_CHECK(p == 1 || p == 2, "p " + std::to_string(p) + ", expected 1 or 2");
  p_ = static_cast<int>(p);
  return Status::OK();
}

Status LpNormKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  int64_t axis;
  LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis_, x.rank(), &axis));
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= x.dim(i);
  for (int i = static_cast<int>(axis) + 1; i < x.rank(); ++i) inner *= x.dim(i);
  const int64_t k = x.rank() == 0 ? 1 : x.dim(static_cast<int>(axis));
  return DispatchFloat(x.dtype(), [&]<class T>() {
    Tensor y(x.dtype(), x.shape());
    const T* xd = x.data<T>();
    T* yd = y.data<T>();
    ParallelFor(
        outer,
        [&](int64_t o0, int64_t o1) {
          std::vector<double> norm(inner);
          for (int64_t o = o0; o < o1; ++o) {
            const T* xo = xd + o * k * inner;
            T* yo = yd + o * k * inner;
            std::fill(norm.begin(), norm.end(), 0.0);
            for (int64_t j = 0; j < k; ++j) {
              const T* row = xo + j * inner;
              if (p_ == 1) {
                for (int64_t i = 0; i < inner; ++i)
                  norm[i] += std::abs(static_cast<double>(row[i]));
              } else {
                for (int64_t i = 0; i < inner; ++i) norm[i] += static_cast<double>(row[i]) * row[i];
              }
            }
            // Multiply by the reciprocal; an all-zero slice gives 0, as the ONNX backend tests
            // expect.
            for (int64_t i = 0; i < inner; ++i) {
              const double n = p_ == 2 ? std::sqrt(norm[i]) : norm[i];
              norm[i] = n == 0 ? 0.0 : 1.0 / n;
            }
            for (int64_t j = 0; j < k; ++j)
              for (int64_t i = 0; i < inner; ++i)
                yo[j * inner + i] = static_cast<T>(xo[j * inner + i] * norm[i]);
          }
        },
        k * inner * 2);
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp::nn
