#include <cmath>

#include "core/parallel.h"
#include "kernels/nn/lanes.h"
#include "kernels/nn/norm.h"

namespace litemp::nn {

Result<std::vector<double>> ToDoubleVector(const Tensor& t0, const std::string& what) {
  Tensor t = ToPlain(t0);
  std::vector<double> v(t.numel());
  switch (t.dtype()) {
    case DType::kFloat32:
      for (int64_t i = 0; i < t.numel(); ++i) v[i] = t.data<float>()[i];
      break;
    case DType::kFloat64:
      for (int64_t i = 0; i < t.numel(); ++i) v[i] = t.data<double>()[i];
      break;
    case DType::kFloat16:
      for (int64_t i = 0; i < t.numel(); ++i) v[i] = HalfToFloat(t.data<uint16_t>()[i]);
      break;
    default:
      return Status::NotSupported(what + " of type " + DTypeName(t.dtype()) +
                                  " (supported: float16, float32, float64)");
  }
  return v;
}

Status GroupNormalize(const Tensor& x0, int64_t groups, const std::vector<double>& scale,
                      const std::vector<double>& bias, double eps, Tensor* y_out) {
  const Tensor x = ToPlain(x0);
  const int64_t n = x.dim(0), c = x.dim(1);
  const int64_t size = n * c == 0 ? 0 : x.numel() / (n * c);
  if (x.numel() == 0 || groups == 0) {
    *y_out = Tensor(x.dtype(), x.shape());
    return IsFloat(x.dtype())
               ? Status::OK()
               : Status::NotSupported(std::string("data type ") + DTypeName(x.dtype()));
  }
  const int64_t cpg = c / groups;
  return DispatchFloat(x.dtype(), [&]<class T>() {
    Tensor y(x.dtype(), x.shape());
    const T* xd = x.data<T>();
    T* yd = y.data<T>();
    ParallelFor(
        n * groups,
        [&](int64_t b, int64_t e) {
          for (int64_t g = b; g < e; ++g) {
            const int64_t len = cpg * size;
            const T* xg = xd + g * len;
            T* yg = yd + g * len;
            const double mean = len ? SumDouble(xg, len) / static_cast<double>(len) : 0.0;
            const double var = len ? SumSqDevDouble(xg, len, mean) / static_cast<double>(len) : 0.0;
            const double inv = 1.0 / std::sqrt(var + eps);
            for (int64_t k = 0; k < cpg; ++k) {
              const int64_t ch = (g % groups) * cpg + k;
              const T a = static_cast<T>(inv * scale[ch]);
              const T m = static_cast<T>(mean), bb = static_cast<T>(bias[ch]);
              const T* xc = xg + k * size;
              T* yc = yg + k * size;
              for (int64_t i = 0; i < size; ++i) yc[i] = (xc[i] - m) * a + bb;
            }
          }
        },
        cpg * size * 3);
    *y_out = std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp::nn
