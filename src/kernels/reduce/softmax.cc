// Softmax, LogSoftmax, Hardmax (opsets 1..13+). See reduce.h for the opset-13 change of
// semantics (2-D coercion before, a single axis after).
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "core/parallel.h"
#include "kernels/reduce/reduce.h"
#include "kernels/vec_math.h"

namespace litemp::reduce {

namespace {

// e[i] = exp(x[i] - mx[i]) for i < n: std::exp's bits (vec_math's ExpFloats for float).
template <class T>
void ExpShifted(const T* x, const T* mx, T* e, int64_t n) {
  for (int64_t i = 0; i < n; ++i) e[i] = x[i] - mx[i];
  if constexpr (std::is_same_v<T, float>) {
    ExpFloats(e, e, n);
  } else {
    for (int64_t i = 0; i < n; ++i) e[i] = std::exp(e[i]);
  }
}

// Softmax or LogSoftmax over contiguous float rows of length k (the last axis): the bits of
// SoftmaxBlocks below with inner = 1, whose loops would run one element at a time.
template <SoftmaxKind kKind>
void SoftmaxRows(const float* x, float* y, int64_t outer, int64_t k) {
  ParallelFor(
      outer,
      [&](int64_t o0, int64_t o1) {
        std::vector<float> tmp(kKind == SoftmaxKind::kSoftmax ? 0 : k);
        for (int64_t o = o0; o < o1; ++o) {
          const float* row = x + o * k;
          float* out = y + o * k;
          const float m = MaxOfFloats(row, k);
          float* e = kKind == SoftmaxKind::kSoftmax ? out : tmp.data();
          for (int64_t j = 0; j < k; ++j) e[j] = row[j] - m;
          ExpFloats(e, e, k);
          double sum = 0;
          for (int64_t j = 0; j < k; ++j) sum += e[j];
          if constexpr (kKind == SoftmaxKind::kSoftmax) {
            const double inv = 1.0 / sum;
            for (int64_t j = 0; j < k; ++j) out[j] = static_cast<float>(out[j] * inv);
          } else {
            const double ls = std::log(sum);
            for (int64_t j = 0; j < k; ++j) out[j] = static_cast<float>(static_cast<double>(row[j] - m) - ls);
          }
        }
      },
      k * 8);
}

// Normalises x viewed as [outer, k, inner] along k. Per (outer) block, running maxima and
// sums live in `inner`-long arrays so the loops over i stay contiguous.
template <SoftmaxKind kKind, class T>
void SoftmaxBlocks(const T* x, T* y, int64_t outer, int64_t k, int64_t inner) {
  if constexpr (std::is_same_v<T, float> && kKind != SoftmaxKind::kHardmax) {
    if (inner == 1) return SoftmaxRows<kKind>(x, y, outer, k);
  }
  ParallelFor(
      outer,
      [&](int64_t o0, int64_t o1) {
        std::vector<T> mx(inner), e(inner);
        std::vector<double> sum(inner);
        std::vector<int64_t> arg(inner);
        for (int64_t o = o0; o < o1; ++o) {
          const T* xo = x + o * k * inner;
          T* yo = y + o * k * inner;
          std::copy(xo, xo + inner, mx.begin());
          std::fill(arg.begin(), arg.end(), 0);
          for (int64_t j = 1; j < k; ++j) {
            const T* row = xo + j * inner;
            for (int64_t i = 0; i < inner; ++i) {
              if constexpr (kKind == SoftmaxKind::kHardmax) {
                if (row[i] > mx[i]) {  // strict: the first maximum wins
                  mx[i] = row[i];
                  arg[i] = j;
                }
              } else {
                mx[i] = std::max(mx[i], row[i]);
              }
            }
          }
          if constexpr (kKind == SoftmaxKind::kHardmax) {
            for (int64_t j = 0; j < k; ++j)
              for (int64_t i = 0; i < inner; ++i) yo[j * inner + i] = arg[i] == j ? T(1) : T(0);
            continue;
          }
          std::fill(sum.begin(), sum.end(), 0.0);
          for (int64_t j = 0; j < k; ++j) {
            T* ej = kKind == SoftmaxKind::kSoftmax ? yo + j * inner : e.data();
            ExpShifted(xo + j * inner, mx.data(), ej, inner);
            for (int64_t i = 0; i < inner; ++i) sum[i] += ej[i];
          }
          if constexpr (kKind == SoftmaxKind::kSoftmax) {
            for (int64_t i = 0; i < inner; ++i) sum[i] = 1.0 / sum[i];
            for (int64_t j = 0; j < k; ++j)
              for (int64_t i = 0; i < inner; ++i)
                yo[j * inner + i] = static_cast<T>(yo[j * inner + i] * sum[i]);
          } else {
            for (int64_t i = 0; i < inner; ++i) sum[i] = std::log(sum[i]);
            for (int64_t j = 0; j < k; ++j)
              for (int64_t i = 0; i < inner; ++i)
                yo[j * inner + i] =
                    static_cast<T>(static_cast<double>(xo[j * inner + i] - mx[i]) - sum[i]);
          }
        }
      },
      k * inner * 8);
}

}  // namespace

template <SoftmaxKind kKind>
Status SoftmaxKernel<kKind>::Init(const KernelInit& init) {
  coerce_2d_ = init.opset() < 13;
  axis_ = init.attrs().GetInt("axis", coerce_2d_ ? 1 : -1);
  return Status::OK();
}

template <SoftmaxKind kKind>
Status SoftmaxKernel<kKind>::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  int64_t outer = 1, k = 1, inner = 1;
  if (x.rank() > 0) {
    int64_t axis;
    LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis_, x.rank(), &axis));
    for (int i = 0; i < axis; ++i) outer *= x.dim(i);
    if (coerce_2d_) {
      for (int i = static_cast<int>(axis); i < x.rank(); ++i) k *= x.dim(i);
    } else {
      k = x.dim(static_cast<int>(axis));
      for (int i = static_cast<int>(axis) + 1; i < x.rank(); ++i) inner *= x.dim(i);
    }
  }
  return DispatchFloat(x.dtype(), [&]<class T>() {
    Tensor y(x.dtype(), x.shape());
    if (k > 0) SoftmaxBlocks<kKind, T>(x.data<T>(), y.data<T>(), outer, k, inner);
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

template class SoftmaxKernel<SoftmaxKind::kSoftmax>;
template class SoftmaxKernel<SoftmaxKind::kLogSoftmax>;
template class SoftmaxKernel<SoftmaxKind::kHardmax>;

}  // namespace litemp::reduce
