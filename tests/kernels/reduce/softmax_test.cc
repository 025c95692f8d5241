#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "reduce_test_util.h"

namespace litemp {
namespace {

using test::AInt;
using test::NodeSpec;
using test::RunKernel;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }

Tensor Run1(const char* op, int opset, std::vector<std::pair<std::string, Attribute>> attrs,
            const Tensor& x) {
  NodeSpec spec = test::Spec(op, std::move(attrs));
  spec.opset = opset;
  auto r = RunKernel(RegisterReduceKernels, spec, {x});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value()[0] : Tensor();
}

TEST(Softmax, SpecExamples) {
  Tensor x = F({-1, 0, 1}, {1, 3});
  EXPECT_TRUE(test::TensorsNear(Run1("Softmax", 13, {}, x),
                                F({0.09003058f, 0.24472848f, 0.66524094f}, {1, 3}), 1e-7, 1e-6));
  EXPECT_TRUE(test::TensorsNear(Run1("LogSoftmax", 13, {}, x),
                                F({-2.40760596f, -1.40760596f, -0.40760596f}, {1, 3}), 1e-6, 1e-6));
  // Large numbers must not overflow.
  Tensor big = F({10000, 10001, 10002}, {1, 3});
  EXPECT_TRUE(test::TensorsNear(Run1("Softmax", 13, {}, big),
                                F({0.09003058f, 0.24472848f, 0.66524094f}, {1, 3}), 1e-7, 1e-6));
}

// On a rank-3 input with axis 1, opset 11 normalises over the flattened dims 1..2 (6 values
// per batch) while opset 13 normalises over dim 1 only (2 values per (batch, column)).
TEST(Softmax, Opset11CoercesTo2dOpset13UsesOneAxis) {
  Tensor x = F({1, 2, 3, 4, 5, 6, 0, 0, 0, 1, 1, 1}, {2, 2, 3});
  Tensor y11 = Run1("Softmax", 11, {{"axis", AInt(1)}}, x);
  Tensor y13 = Run1("Softmax", 13, {{"axis", AInt(1)}}, x);
  std::vector<float> w11(12), w13(12);
  for (int b = 0; b < 2; ++b) {
    double s = 0;
    for (int i = 0; i < 6; ++i) s += std::exp(x.data<float>()[b * 6 + i]);
    for (int i = 0; i < 6; ++i)
      w11[b * 6 + i] = static_cast<float>(std::exp(x.data<float>()[b * 6 + i]) / s);
    for (int c = 0; c < 3; ++c) {
      const double e0 = std::exp(x.data<float>()[b * 6 + c]),
                   e1 = std::exp(x.data<float>()[b * 6 + 3 + c]);
      w13[b * 6 + c] = static_cast<float>(e0 / (e0 + e1));
      w13[b * 6 + 3 + c] = static_cast<float>(e1 / (e0 + e1));
    }
  }
  EXPECT_TRUE(test::TensorsNear(y11, F(w11, {2, 2, 3}), 1e-7, 1e-6));
  EXPECT_TRUE(test::TensorsNear(y13, F(w13, {2, 2, 3}), 1e-7, 1e-6));
  // Default axes: 1 before opset 13 (same as above), -1 from 13.
  EXPECT_TRUE(test::TensorsNear(Run1("Softmax", 11, {}, x), y11, 0, 0));
  Tensor last = Run1("Softmax", 13, {}, x);
  EXPECT_NEAR(last.data<float>()[0] + last.data<float>()[1] + last.data<float>()[2], 1.f, 1e-6);
  // 0.0900 = e^-1 / (e^-1 + 1 + e) for the row [1, 2, 3].
  EXPECT_NEAR(last.data<float>()[0], 0.09003058f, 1e-7);
  // LogSoftmax is the log of Softmax in both forms.
  Tensor l11 = Run1("LogSoftmax", 11, {{"axis", AInt(1)}}, x),
         l13 = Run1("LogSoftmax", 13, {{"axis", AInt(1)}}, x);
  for (int i = 0; i < 12; ++i) {
    EXPECT_NEAR(l11.data<float>()[i], std::log(w11[i]), 1e-5);
    EXPECT_NEAR(l13.data<float>()[i], std::log(w13[i]), 1e-5);
  }
}

// The kernel before it went through vec_math (scalar std::exp, one element at a time), kept
// as the reference its bits must equal: x viewed as [outer, k, inner], normalised along k.
std::vector<float> ScalarSoftmax(const std::vector<float>& x, int64_t outer, int64_t k, int64_t inner, bool log) {
  std::vector<float> y(x.size());
  for (int64_t o = 0; o < outer; ++o) {
    const float* xo = x.data() + o * k * inner;
    float* yo = y.data() + o * k * inner;
    std::vector<float> mx(xo, xo + inner);
    for (int64_t j = 1; j < k; ++j)
      for (int64_t i = 0; i < inner; ++i) mx[i] = std::max(mx[i], xo[j * inner + i]);
    std::vector<double> sum(inner, 0.0);
    for (int64_t j = 0; j < k; ++j)
      for (int64_t i = 0; i < inner; ++i) {
        const float e = std::exp(xo[j * inner + i] - mx[i]);
        if (!log) yo[j * inner + i] = e;
        sum[i] += e;
      }
    for (int64_t i = 0; i < inner; ++i) sum[i] = log ? std::log(sum[i]) : 1.0 / sum[i];
    for (int64_t j = 0; j < k; ++j)
      for (int64_t i = 0; i < inner; ++i)
        yo[j * inner + i] = log ? static_cast<float>(static_cast<double>(xo[j * inner + i] - mx[i]) - sum[i])
                                : static_cast<float>(yo[j * inner + i] * sum[i]);
  }
  return y;
}

// Rows of every kind a model gives Softmax (attention scores, masks at -1e4 and -inf,
// logits over 1001 classes, a NaN first or later, +inf, zero maxima of either sign), along
// the last axis and a middle one, against the scalar reference bit for bit.
TEST(Softmax, SameBitsAsScalarExp) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.f, 1.f);
  for (int64_t k : {1, 2, 15, 16, 17, 128, 1001}) {
    for (float spread : {1.f, 30.f}) {
      const int64_t rows = 12;
      std::vector<float> x(rows * k);
      for (float& v : x) v = spread * normal(rng);
      for (int64_t j = k / 2; j < k; ++j) x[1 * k + j] = -10000.f;  // padding mask
      for (int64_t j = k / 3; j < k; ++j) x[2 * k + j] = -inf;      // causal mask
      x[3 * k] = nan;                                                // NaN first
      x[4 * k + k / 2] = nan;                                        // NaN later
      for (int64_t j = 0; j < k; ++j) x[5 * k + j] = -std::fabs(x[5 * k + j]);
      x[5 * k + k - 1] = 0.f;   // maximum +0 after ...
      x[5 * k] = -0.f;          // ... a -0 first
      for (int64_t j = 0; j < k; ++j) x[6 * k + j] = (j % 2) ? -0.f : 0.f;
      for (int64_t j = 0; j < k; ++j) x[7 * k + j] = 88.f + x[7 * k + j];
      // Zero maxima of both signs after a negative first value: the scalar max is the +0 at
      // 2, the lanes' the -0 at 9; no output may show it.
      for (int64_t j = 0; j < k; ++j) x[8 * k + j] = -1.f - std::fabs(x[8 * k + j]);
      if (k > 9) x[8 * k + 2] = 0.f, x[8 * k + 9] = -0.f;
      x[9 * k + k / 2] = inf;  // +inf: every output NaN
      x[10 * k + k - 1] = std::bit_cast<float>(0x7fc01234u);  // a NaN payload
      for (const char* op : {"Softmax", "LogSoftmax"}) {
        const bool log = op[0] == 'L';
        for (int axis : {-1, 1}) {
          // Last axis: [rows, k]; middle axis: [3, k, 4] over the same values.
          const Shape shape = axis == -1 ? Shape{rows, k} : Shape{3, k, 4};
          Tensor y = Run1(op, 13, {{"axis", AInt(axis)}}, F(x, shape));
          std::vector<float> want = axis == -1 ? ScalarSoftmax(x, rows, k, 1, log) : ScalarSoftmax(x, 3, k, 4, log);
          for (size_t i = 0; i < x.size(); ++i) {
            const float got = y.data<float>()[i];
            ASSERT_EQ(std::bit_cast<uint32_t>(got), std::bit_cast<uint32_t>(want[i]))  // NaN payloads too
                << op << " k " << k << " axis " << axis << " element " << i << ": " << got << " vs " << want[i];
          }
        }
      }
    }
  }
}

TEST(Hardmax, SpecExampleAndCoercion) {
  Tensor x = F({3, 0, 1, 2, 2, 5, 1, 0, 0, 1, 3, 2, 0, 1, 2, 3}, {4, 4});
  EXPECT_TRUE(test::TensorsNear(Run1("Hardmax", 13, {}, x),
                                F({1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, {4, 4})));
  // Ties: the first maximum wins.
  EXPECT_TRUE(test::TensorsNear(Run1("Hardmax", 13, {}, F({1, 1, 1, 1}, {1, 1, 4})),
                                F({1, 0, 0, 0}, {1, 1, 4})));
  Tensor x3 = F({1, 9, 3, 4, 8, 2, 7, 6}, {2, 2, 2});
  EXPECT_TRUE(test::TensorsNear(Run1("Hardmax", 11, {{"axis", AInt(1)}}, x3),
                                F({0, 1, 0, 0, 1, 0, 0, 0}, {2, 2, 2})));
  EXPECT_TRUE(test::TensorsNear(Run1("Hardmax", 13, {{"axis", AInt(1)}}, x3),
                                F({0, 1, 1, 0, 1, 0, 0, 1}, {2, 2, 2})));
}

TEST(Softmax, RandomAxesSumToOne) {
  Tensor x = test::RandomTensor({3, 4, 5, 6}, 9, -5, 5);
  for (int axis = -4; axis < 4; ++axis) {
    Tensor y = Run1("Softmax", 13, {{"axis", AInt(axis)}}, x);
    const int a = axis < 0 ? axis + 4 : axis;
    int64_t inner = 1;
    for (int i = a + 1; i < 4; ++i) inner *= x.dim(i);
    const int64_t k = x.dim(a);
    for (int64_t o = 0; o < x.numel() / (k * inner); ++o)
      for (int64_t i = 0; i < inner; ++i) {
        double s = 0, mx = -1e30;
        for (int64_t j = 0; j < k; ++j)
          mx = std::max<double>(mx, x.data<float>()[(o * k + j) * inner + i]);
        for (int64_t j = 0; j < k; ++j)
          s += std::exp(x.data<float>()[(o * k + j) * inner + i] - mx);
        for (int64_t j = 0; j < k; ++j) {
          const int64_t idx = (o * k + j) * inner + i;
          ASSERT_NEAR(y.data<float>()[idx], std::exp(x.data<float>()[idx] - mx) / s, 1e-6) << axis;
        }
      }
  }
}

}  // namespace
}  // namespace litemp
