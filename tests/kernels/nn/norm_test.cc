#include <cmath>

#include "nn_test_util.h"

namespace litemp {
namespace {

using test::AFloat;
using test::AInt;
using test::NodeSpec;
using test::RunKernel;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }

// Naive layer norm over the trailing `cols` elements of each row; scale/bias per column.
void NaiveLayerNorm(const Tensor& x, int64_t cols, const Tensor& scale, const Tensor* bias,
                    double eps, std::vector<double>* y, std::vector<double>* mean,
                    std::vector<double>* inv) {
  const int64_t rows = x.numel() / cols;
  y->resize(x.numel());
  mean->resize(rows);
  inv->resize(rows);
  for (int64_t r = 0; r < rows; ++r) {
    double m = 0, v = 0;
    for (int64_t i = 0; i < cols; ++i) m += x.data<float>()[r * cols + i];
    m /= cols;
    for (int64_t i = 0; i < cols; ++i) v += std::pow(x.data<float>()[r * cols + i] - m, 2);
    v /= cols;
    (*mean)[r] = m;
    (*inv)[r] = 1 / std::sqrt(v + eps);
    for (int64_t i = 0; i < cols; ++i)
      (*y)[r * cols + i] =
          (x.data<float>()[r * cols + i] - m) * (*inv)[r] * scale.data<float>()[i] +
          (bias ? bias->data<float>()[i] : 0.0);
  }
}

TEST(LayerNorm, AllAxesWithStatsOutputs) {
  const Shape xs = {2, 3, 4, 5};
  Tensor x = test::RandomTensor(xs, 1, -3, 3);
  for (int axis = -4; axis < 4; ++axis) {
    const int a = axis < 0 ? axis + 4 : axis;
    Shape tail(xs.begin() + a, xs.end());
    Tensor scale = test::RandomTensor(tail, 2), bias = test::RandomTensor(tail, 3);
    NodeSpec spec =
        test::Spec("LayerNormalization", {{"axis", AInt(axis)}, {"epsilon", AFloat(1e-3f)}});
    spec.num_outputs = 3;
    auto r = RunKernel(RegisterNnKernels, spec, {x, scale, bias});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::vector<double> y, m, inv;
    NaiveLayerNorm(x, NumElements(tail), scale, &bias, 1e-3, &y, &m, &inv);
    Shape stat = xs;
    for (int i = a; i < 4; ++i) stat[i] = 1;
    ASSERT_EQ(r.value()[1].shape(), stat) << axis;
    ASSERT_EQ(r.value()[2].dtype(), DType::kFloat32);
    for (int64_t i = 0; i < x.numel(); ++i)
      ASSERT_NEAR(r.value()[0].data<float>()[i], y[i], 1e-5) << axis;
    for (size_t i = 0; i < m.size(); ++i) {
      ASSERT_NEAR(r.value()[1].data<float>()[i], m[i], 1e-6) << axis;
      ASSERT_NEAR(r.value()[2].data<float>()[i], inv[i], 1e-5 * inv[i]) << axis;
    }
  }
}

TEST(LayerNorm, LiteralWithoutBiasAndBroadcastScale) {
  // Rows [1,2,3] and [2,4,6]: mean 2 / 4, variance 2/3 / 8/3.
  NodeSpec spec = test::Spec("LayerNormalization", {{"epsilon", AFloat(0.f)}});
  auto r = RunKernel(RegisterNnKernels, spec, {F({1, 2, 3, 2, 4, 6}, {2, 3}), F({2}, {1})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const float a = static_cast<float>(2 / std::sqrt(2.0 / 3));
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({-a, 0, a, -a, 0, a}, {2, 3}), 1e-6, 1e-6));
}

TEST(InstanceNorm, SpecExample) {
  // x [1,2,1,3] = [[-1,0,1]],[[2,3,4]]: each channel is normalised to [-1.2247, 0, 1.2247].
  NodeSpec spec = test::Spec("InstanceNormalization");
  auto r = RunKernel(RegisterNnKernels, spec,
                     {F({-1, 0, 1, 2, 3, 4}, {1, 2, 1, 3}), F({1, 1.5}, {2}), F({0, 1}, {2})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const float z = static_cast<float>(1 / std::sqrt(2.0 / 3 + 1e-5));
  EXPECT_TRUE(test::TensorsNear(
      r.value()[0], F({-z, 0, z, 1 - 1.5f * z, 1, 1 + 1.5f * z}, {1, 2, 1, 3}), 1e-6, 1e-6));
}

TEST(GroupNorm, PerChannelAndPerGroupParams) {
  Tensor x = test::RandomTensor({2, 4, 3}, 7);
  // Two groups of two channels; compare with a naive computation.
  auto naive = [&](const std::vector<float>& s, const std::vector<float>& b) {
    std::vector<float> y(24);
    for (int n = 0; n < 2; ++n)
      for (int g = 0; g < 2; ++g) {
        const float* xg = x.data<float>() + (n * 4 + g * 2) * 3;
        double m = 0, v = 0;
        for (int i = 0; i < 6; ++i) m += xg[i];
        m /= 6;
        for (int i = 0; i < 6; ++i) v += (xg[i] - m) * (xg[i] - m);
        v /= 6;
        for (int i = 0; i < 6; ++i) {
          const int c = g * 2 + i / 3;
          y[(n * 4 + g * 2) * 3 + i] =
              static_cast<float>((xg[i] - m) / std::sqrt(v + 1e-5) * s[c] + b[c]);
        }
      }
    return F(y, {2, 4, 3});
  };
  NodeSpec spec = test::Spec("GroupNormalization", {{"num_groups", AInt(2)}});
  spec.opset = 21;
  auto r = RunKernel(RegisterNnKernels, spec, {x, F({1, 2, 3, 4}, {4}), F({0, 1, 0, -1}, {4})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], naive({1, 2, 3, 4}, {0, 1, 0, -1}), 1e-5, 1e-5));
  spec.opset = 18;
  r = RunKernel(RegisterNnKernels, spec, {x, F({2, 3}, {2}), F({1, -1}, {2})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(test::TensorsNear(r.value()[0], naive({2, 2, 3, 3}, {1, 1, -1, -1}), 1e-5, 1e-5));
  NodeSpec bad = test::Spec("GroupNormalization", {{"num_groups", AInt(3)}});
  EXPECT_FALSE(RunKernel(RegisterNnKernels, bad, {x, F({1, 2, 3}, {3}), F({1, 2, 3}, {3})}).ok());
}

TEST(LpNorm, L1AndL2AlongAxes) {
  Tensor x = F({3, -4, 0, 5, 12, 0}, {2, 3});
  NodeSpec l2 = test::Spec("LpNormalization", {{"axis", AInt(-1)}, {"p", AInt(2)}});
  auto r = RunKernel(RegisterNnKernels, l2, {x});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(test::TensorsNear(r.value()[0], F({0.6f, -0.8f, 0, 5 / 13.f, 12 / 13.f, 0}, {2, 3})));
  NodeSpec l1 = test::Spec("LpNormalization", {{"axis", AInt(0)}, {"p", AInt(1)}});
  r = RunKernel(RegisterNnKernels, l1, {x});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(test::TensorsNear(r.value()[0].Reshaped({6}),
                                F({3 / 8.f, -4 / 16.f, 0, 5 / 8.f, 12 / 16.f, 0}, {6})));
  NodeSpec p3 = test::Spec("LpNormalization", {{"p", AInt(3)}});
  EXPECT_FALSE(RunKernel(RegisterNnKernels, p3, {x}).ok());
}

TEST(Lrn, MatchesNaiveReference) {
  Tensor x = test::RandomTensor({2, 6, 3, 2}, 17);
  for (int size : {1, 2, 3, 5}) {
    NodeSpec spec = test::Spec("LRN", {{"size", AInt(size)},
                                       {"alpha", AFloat(0.002f)},
                                       {"beta", AFloat(0.5f)},
                                       {"bias", AFloat(2)}});
    auto r = RunKernel(RegisterNnKernels, spec, {x});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const int c1 = (size - 1) / 2;
    for (int64_t i = 0; i < x.numel(); ++i) {
      const int64_t n = i / 36, c = (i / 6) % 6, s = i % 6;
      double sq = 0;
      // Spec: channels max(0, c - floor((size-1)/2)) .. min(C-1, c + ceil((size-1)/2)).
      const int hi = c + (size - 1 - c1);
      for (int q = std::max<int>(0, c - c1); q <= std::min<int>(5, hi); ++q)
        sq += std::pow(x.data<float>()[n * 36 + q * 6 + s], 2);
      const double want = x.data<float>()[i] / std::pow(2 + 0.002 / size * sq, 0.5);
      ASSERT_NEAR(r.value()[0].data<float>()[i], want, 1e-6) << size;
    }
  }
}

}  // namespace
}  // namespace litemp
