#include <cmath>

#include "nn_test_util.h"

namespace litemp {
namespace {

using test::AFloat;
using test::AInt;
using test::NodeSpec;
using test::RunKernel;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }

// The ONNX spec example: x [1,2,1,3], per-channel scale/bias/mean/var.
std::vector<Tensor> SpecInputs() {
  return {F({-1, 0, 1, 2, 3, 4}, {1, 2, 1, 3}), F({1.0f, 1.5f}, {2}), F({0, 1}, {2}),
          F({0, 3}, {2}), F({1, 1.5f}, {2})};
}

TEST(BatchNorm, SpecExampleWithConstantParams) {
  NodeSpec spec = test::Spec("BatchNormalization");
  spec.opset = 15;
  spec.constant_inputs = {false, true, true, true, true};
  auto y = RunKernel(RegisterNnKernels, spec, SpecInputs());
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  // Channel 0: x / sqrt(1 + 1e-5); channel 1: 1.5 * (x - 3) / sqrt(1.5 + 1e-5) + 1.
  EXPECT_TRUE(test::TensorsNear(
      y.value()[0], F({-0.999995f, 0.f, 0.999995f, -0.2247407f, 1.f, 2.2247407f}, {1, 2, 1, 3}),
      1e-6, 1e-6));
}

TEST(BatchNorm, RuntimeParamsMatchConstantParams) {
  NodeSpec c = test::Spec("BatchNormalization", {{"epsilon", AFloat(1e-2f)}});
  c.constant_inputs = {false, true, true, true, true};
  NodeSpec r = test::Spec("BatchNormalization", {{"epsilon", AFloat(1e-2f)}});
  std::vector<Tensor> in = {test::RandomTensor({2, 5, 3, 4}, 1), test::RandomTensor({5}, 2),
                            test::RandomTensor({5}, 3), test::RandomTensor({5}, 4),
                            test::RandomTensor({5}, 5, 0.1f, 2.f)};
  auto a = RunKernel(RegisterNnKernels, c, in);
  auto b = RunKernel(RegisterNnKernels, r, in);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(test::TensorsNear(a.value()[0], b.value()[0], 0, 0));
  // Against the formula in double.
  const float* x = in[0].data<float>();
  const float* y = a.value()[0].data<float>();
  for (int64_t i = 0; i < in[0].numel(); ++i) {
    const int c = (i / 12) % 5;
    const double want = (x[i] - in[3].data<float>()[c]) / std::sqrt(in[4].data<float>()[c] + 1e-2) *
                            in[1].data<float>()[c] +
                        in[2].data<float>()[c];
    ASSERT_NEAR(y[i], want, 1e-5) << i;
  }
}

TEST(BatchNorm, NhwcAndBlockedInputKeepLayoutAndMatchPlain) {
  NodeSpec spec = test::Spec("BatchNormalization");
  for (int64_t c : {7, 16}) {
    std::vector<Tensor> in = {test::RandomTensor({3, c, 5, 6}, 11), test::RandomTensor({c}, 12),
                              test::RandomTensor({c}, 13), test::RandomTensor({c}, 14),
                              test::RandomTensor({c}, 15, 0.5f, 1.5f)};
    auto plain = test::RunKeepLayout(RegisterNnKernels, spec, in);
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain.value()[0].layout(), Layout::kPlain);
    const Tensor x = in[0];
    for (Layout l : {Layout::kNhwc, Layout::kNchw8c}) {
      if (l == Layout::kNchw8c && c % 8) continue;
      in[0] = l == Layout::kNhwc ? ToNhwc(x) : ToNchw8c(x);
      auto y = test::RunKeepLayout(RegisterNnKernels, spec, in);
      ASSERT_TRUE(y.ok());
      EXPECT_EQ(y.value()[0].layout(), l);
      EXPECT_TRUE(test::TensorsNear(y.value()[0], plain.value()[0], 0, 0));
    }
  }
}

TEST(BatchNorm, Opset7NonSpatialUsesPerElementParams) {
  NodeSpec spec = test::Spec("BatchNormalization", {{"spatial", AInt(0)}});
  spec.opset = 7;
  Tensor x = test::RandomTensor({2, 2, 3}, 21);
  std::vector<Tensor> in = {x, test::RandomTensor({2, 3}, 22), test::RandomTensor({2, 3}, 23),
                            test::RandomTensor({2, 3}, 24),
                            test::RandomTensor({2, 3}, 25, 0.5f, 1.f)};
  auto y = RunKernel(RegisterNnKernels, spec, in);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  for (int64_t i = 0; i < x.numel(); ++i) {
    const int64_t j = i % 6;  // index into [C, D1]
    const double want = (x.data<float>()[i] - in[3].data<float>()[j]) /
                            std::sqrt(in[4].data<float>()[j] + 1e-5) * in[1].data<float>()[j] +
                        in[2].data<float>()[j];
    EXPECT_NEAR(y.value()[0].data<float>()[i], want, 1e-5);
  }
}

TEST(BatchNorm, Float64) {
  NodeSpec spec = test::Spec("BatchNormalization");
  std::vector<Tensor> in = {Tensor::FromVector<double>({1, 2, 3, 4}, {1, 2, 2}),
                            Tensor::FromVector<double>({2, 3}), Tensor::FromVector<double>({1, 1}),
                            Tensor::FromVector<double>({0, 1}), Tensor::FromVector<double>({1, 4})};
  auto y = RunKernel(RegisterNnKernels, spec, in);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  const double a = 1 / std::sqrt(1 + 1e-5), b = 1 / std::sqrt(4 + 1e-5);
  EXPECT_TRUE(test::TensorsNear(
      y.value()[0],
      Tensor::FromVector<double>({2 * a + 1, 4 * a + 1, 6 * b + 1, 9 * b + 1}, {1, 2, 2}), 1e-12,
      1e-12));
}

TEST(BatchNorm, TrainingModeIsNotSupported) {
  NodeSpec spec = test::Spec("BatchNormalization", {{"training_mode", AInt(1)}});
  spec.opset = 15;
  auto y = RunKernel(RegisterNnKernels, spec, SpecInputs());
  ASSERT_FALSE(y.ok());
  EXPECT_TRUE(y.status().IsNotSupported()) << y.status().ToString();
}

TEST(BatchNorm, UnusedTrainingOutputsGetPlaceholders) {
  NodeSpec spec = test::Spec("BatchNormalization");
  spec.opset = 9;
  spec.num_outputs = 5;
  auto y = RunKernel(RegisterNnKernels, spec, SpecInputs());
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_NEAR(y.value()[0].data<float>()[0], -0.999995f, 1e-6);
  EXPECT_TRUE(test::TensorsNear(y.value()[1], SpecInputs()[3], 0, 0));
  EXPECT_TRUE(test::TensorsNear(y.value()[4], SpecInputs()[4], 0, 0));
}

TEST(BatchNorm, WrongParameterSizeIsAnError) {
  NodeSpec spec = test::Spec("BatchNormalization");
  std::vector<Tensor> in = SpecInputs();
  in[1] = F({1, 2, 3}, {3});
  auto y = RunKernel(RegisterNnKernels, spec, in);
  ASSERT_FALSE(y.ok());
  EXPECT_FALSE(y.status().IsNotSupported());
}

}  // namespace
}  // namespace litemp
