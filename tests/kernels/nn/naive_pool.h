// Naive pooling reference for the tests: every kernel tap of every window is visited and
// bounds-checked, with output sizes from the ONNX reference formulas written in floating point.
#ifndef LITEMP_TESTS_KERNELS_NN_NAIVE_POOL_H_
#define LITEMP_TESTS_KERNELS_NN_NAIVE_POOL_H_

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "litemp/tensor.h"

namespace litemp::test {

struct NaivePoolConfig {
  std::vector<int64_t> k, s, d, pads;  // pads: begins then ends
  std::string auto_pad = "NOTSET";
  bool ceil_mode = false;
  bool count_include_pad = false;
  bool col_major = false;
};

struct NaivePoolResult {
  Tensor y, idx_t;  // idx_t: int64 indices (max pooling)
};

// kind: 'M' max, 'A' average. x is a plain float32 [N, C, D1..Dn].
inline NaivePoolResult NaivePool(const Tensor& x, const NaivePoolConfig& c, char kind) {
  const int n = static_cast<int>(c.k.size());
  std::vector<int64_t> in(n), out(n), pb(n), pe(n, 0);
  for (int i = 0; i < n; ++i) {
    in[i] = x.dim(2 + i);
    const double win = (c.k[i] - 1) * c.d[i] + 1;
    if (c.auto_pad == "SAME_UPPER" || c.auto_pad == "SAME_LOWER") {
      out[i] = static_cast<int64_t>(std::ceil(static_cast<double>(in[i]) / c.s[i]));
      int64_t total =
          std::max<int64_t>(0, (out[i] - 1) * c.s[i] + static_cast<int64_t>(win) - in[i]);
      pb[i] = c.auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      pe[i] = total - pb[i];
    } else if (c.auto_pad == "VALID") {
      out[i] = static_cast<int64_t>(std::ceil((in[i] - win + 1) / c.s[i]));
      pb[i] = 0;
    } else {
      const double sz = (in[i] + c.pads[i] + c.pads[n + i] - win) / c.s[i] + 1;
      if (c.ceil_mode) {
        out[i] = static_cast<int64_t>(std::ceil(sz));
        if ((out[i] - 1) * c.s[i] >= in[i] + c.pads[i]) --out[i];
      } else {
        out[i] = static_cast<int64_t>(std::floor(sz));
      }
      pb[i] = c.pads[i];
      pe[i] = c.pads[n + i];
    }
  }
  Shape ys = {x.dim(0), x.dim(1)};
  for (int64_t o : out) ys.push_back(o);
  NaivePoolResult r{Tensor(DType::kFloat32, ys), Tensor(DType::kInt64, ys)};
  int64_t plane_in = 1, plane_out = 1, ksize = 1;
  for (int i = 0; i < n; ++i) {
    plane_in *= in[i];
    plane_out *= out[i];
    ksize *= c.k[i];
  }
  for (int64_t p = 0; p < x.dim(0) * x.dim(1); ++p) {
    for (int64_t o = 0; o < plane_out; ++o) {
      std::vector<int64_t> opos(n);
      for (int64_t rem = o, i = n - 1; i >= 0; --i) {
        opos[i] = rem % out[i];
        rem /= out[i];
      }
      double best = -std::numeric_limits<double>::infinity(), sum = 0;
      int64_t best_idx = -1, valid = 0, padded = 0;
      for (int64_t t = 0; t < ksize; ++t) {
        std::vector<int64_t> ipos(n);
        bool inside = true, in_padded = true;
        for (int64_t rem = t, i = n - 1; i >= 0; --i) {
          const int64_t kk = rem % c.k[i];
          rem /= c.k[i];
          ipos[i] = opos[i] * c.s[i] - pb[i] + kk * c.d[i];
          if (ipos[i] < 0 || ipos[i] >= in[i]) inside = false;
          if (ipos[i] < -pb[i] || ipos[i] >= in[i] + pe[i]) in_padded = false;
        }
        // count_include_pad divides by the taps inside the padded input (ONNX Runtime).
        padded += in_padded;
        if (!inside) continue;
        int64_t row = 0, col = 0, mul = 1;
        for (int i = 0; i < n; ++i) row = row * in[i] + ipos[i];
        for (int i = 0; i < n; ++i) {
          col += ipos[i] * mul;
          mul *= in[i];
        }
        const double v = x.data<float>()[p * plane_in + row];
        ++valid;
        sum += v;
        if (best_idx < 0 || v > best) {
          best = v;
          best_idx = p * plane_in + (c.col_major ? col : row);
        }
      }
      float& y = r.y.data<float>()[p * plane_out + o];
      if (kind == 'M') {
        y = static_cast<float>(best);
        r.idx_t.data<int64_t>()[p * plane_out + o] = best_idx;
      } else {
        y = static_cast<float>(sum / (c.count_include_pad ? padded : valid));
      }
    }
  }
  return r;
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_KERNELS_NN_NAIVE_POOL_H_
