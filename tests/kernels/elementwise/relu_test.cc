#include <algorithm>

#include "kernels/elementwise/ew_test_util.h"
#include "testutil/kernel_runner.h"

namespace litemp {
namespace {

using test::NodeSpec;
using test::RunKernel;

TEST(Relu, ClampsNegativesToZero) {
  Tensor x = Tensor::FromVector<float>({-2.f, -0.f, 0.5f, 3.f});
  auto y = RunKernel(RegisterElementwiseKernels, ewtest::Spec("Relu"), {x});
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_TRUE(test::TensorsNear(y.value()[0], Tensor::FromVector<float>({0.f, 0.f, 0.5f, 3.f})));
}

TEST(Relu, KeepsBlockedLayout) {
  Tensor x = test::RandomTensor({2, 8, 3, 5}, 8);
  auto y = ewtest::RunRaw(ewtest::Spec("Relu"), {ToNchw8c(x)});
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(y.value()[0].layout(), Layout::kNchw8c);
  Tensor want = x.Clone();
  for (int64_t i = 0; i < want.numel(); ++i) want.data<float>()[i] = std::max(0.f, want.data<float>()[i]);
  EXPECT_TRUE(test::TensorsNear(y.value()[0], want, 0, 0));
}

TEST(Relu, KeepsNhwcLayout) {
  Tensor x = ToNhwc(test::RandomTensor({2, 3, 4, 5}, 7));
  auto y = RunKernel(RegisterElementwiseKernels, ewtest::Spec("Relu"), {x});
  ASSERT_TRUE(y.ok());
  Tensor px = ToPlain(x);
  for (int64_t i = 0; i < px.numel(); ++i) EXPECT_EQ(y.value()[0].data<float>()[i], std::max(px.data<float>()[i], 0.f));
}

}  // namespace
}  // namespace litemp
