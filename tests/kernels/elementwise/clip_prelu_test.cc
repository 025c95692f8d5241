// Clip (attribute bounds before opset 11, optional inputs from 11) and PRelu.
#include <algorithm>
#include <limits>

#include "kernels/elementwise/binary_ops.h"
#include "kernels/elementwise/ew_test_util.h"
#include "kernels/elementwise/reference.h"

namespace litemp {
namespace {

using namespace ewtest;  // NOLINT

const float kInf = std::numeric_limits<float>::infinity();

TEST(Clip, Opset6Attributes) {
  Tensor x = T_<float>({5}, {-10, -1, 0, 5, 10});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 6, {{"min", AFloat(-2)}, {"max", AFloat(6)}}), {x}),
                          T_<float>({5}, {-2, -1, 0, 5, 6})));
  // Omitted max: only the lower bound applies.
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 6, {{"min", AFloat(0)}}), {x}), T_<float>({5}, {0, 0, 0, 5, 10})));
  // Omitted min.
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 6, {{"max", AFloat(1)}}), {x}), T_<float>({5}, {-10, -1, 0, 1, 1})));
  // Opset 6 ignores any extra inputs; the attributes rule.
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 6, {{"max", AFloat(1)}}), {x, Tensor::Scalar<float>(-100.f)}),
                          T_<float>({5}, {-10, -1, 0, 1, 1})));
}

TEST(Clip, Opset11Inputs) {
  Tensor x = T_<float>({5}, {-10, -1, 0, 5, 10});
  Tensor lo = Tensor::Scalar<float>(0.f), hi = Tensor::Scalar<float>(6.f);
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 11), {x, lo, hi}), T_<float>({5}, {0, 0, 0, 5, 6})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 11), {x, Tensor(), hi}), T_<float>({5}, {-10, -1, 0, 5, 6})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 13), {x, lo}), T_<float>({5}, {0, 0, 0, 5, 10})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 13), {x}), x));
  // Attributes are ignored from opset 11 on.
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 11, {{"min", AFloat(3)}}), {x}), x));
  // min > max: everything becomes max.
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 13), {x, Tensor::Scalar<float>(2.f), Tensor::Scalar<float>(1.f)}),
                          T_<float>({5}, {1, 1, 1, 1, 1})));
  // Shape-[1] bounds (common in exported models) are accepted.
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 13), {x, T_<float>({1}, {-1}), T_<float>({1}, {1})}),
                          T_<float>({5}, {-1, -1, 0, 1, 1})));
}

TEST(Clip, OmittedBoundKeepsInfinity) {
  Tensor x = T_<float>({2}, {-kInf, kInf});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 13), {x}), x));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 13), {x, Tensor::Scalar<float>(0.f)}), T_<float>({2}, {0, kInf})));
}

TEST(Clip, Integers) {
  Tensor x = T_<int8_t>({4}, {-128, -3, 5, 127});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 12), {x, Tensor::Scalar<int8_t>(-4), Tensor::Scalar<int8_t>(4)}),
                          T_<int8_t>({4}, {-4, -3, 4, 4})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 12), {x, Tensor(), Tensor::Scalar<int8_t>(0)}),
                          T_<int8_t>({4}, {-128, -3, 0, 0})));
  Tensor y = T_<int64_t>({3}, {-5, 0, 5});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Clip", 13), {y, Tensor::Scalar<int64_t>(-1)}), T_<int64_t>({3}, {-1, 0, 5})));
}

TEST(Clip, RejectsBadBounds) {
  Tensor x = T_<float>({2}, {1, 2});
  auto r = test::RunKernel(RegisterElementwiseKernels, Spec("Clip", 13), {x, T_<float>({2}, {0, 1})});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("[2]"), std::string::npos) << r.status().message();
  r = test::RunKernel(RegisterElementwiseKernels, Spec("Clip", 13), {x, Tensor::Scalar<double>(0)});
  EXPECT_FALSE(r.ok());
}

TEST(Clip, NhwcRelu6KeepsLayoutAndMatchesReference) {
  Tensor x = Random<float>({2, 32, 14, 14}, 3, -8, 8);
  Tensor want = ReferenceUnary<float, float>(x, [](float v) { return std::min(std::max(v, 0.f), 6.f); });
  for (int opset : {6, 11, 13}) {
    NodeSpec spec = opset < 11 ? Spec("Clip", opset, {{"min", AFloat(0)}, {"max", AFloat(6)}}) : Spec("Clip", opset);
    Tensor lo = Tensor::Scalar<float>(0.f), hi = Tensor::Scalar<float>(6.f);
    std::vector<Tensor> in = opset >= 11 ? std::vector<Tensor>{ToNhwc(x), lo, hi} : std::vector<Tensor>{ToNhwc(x)};
    auto r = RunRaw(spec, in);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r.value()[0].layout(), Layout::kNhwc);
    EXPECT_TRUE(TensorsNear(r.value()[0], want, 0, 0)) << "opset " << opset;
  }
}

TEST(Clip, Float16) {
  Tensor x(DType::kFloat16, {3});
  const float v[] = {-2.f, 0.5f, 9.f};
  for (int i = 0; i < 3; ++i) x.data<uint16_t>()[i] = FloatToHalf(v[i]);
  Tensor lo(DType::kFloat16, {}), hi(DType::kFloat16, {});
  lo.data<uint16_t>()[0] = FloatToHalf(0.f);
  hi.data<uint16_t>()[0] = FloatToHalf(6.f);
  Tensor r = Run1(Spec("Clip", 13), {x, lo, hi});
  ASSERT_EQ(r.dtype(), DType::kFloat16);
  EXPECT_EQ(HalfToFloat(r.data<uint16_t>()[0]), 0.f);
  EXPECT_EQ(HalfToFloat(r.data<uint16_t>()[1]), 0.5f);
  EXPECT_EQ(HalfToFloat(r.data<uint16_t>()[2]), 6.f);
}

struct PReluRef {
  template <class T> T operator()(T x, T s) const { return x < 0 ? s * x : x; }
};

TEST(PRelu, ScalarAndPerChannelSlope) {
  Tensor x = T_<float>({1, 2, 1, 2}, {-1, 2, -3, 4});
  EXPECT_TRUE(TensorsNear(Run1(Spec("PRelu", 16), {x, T_<float>({1}, {0.5f})}),
                          T_<float>({1, 2, 1, 2}, {-0.5f, 2, -1.5f, 4})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("PRelu", 16), {x, T_<float>({2, 1, 1}, {0.1f, 0.2f})}),
                          T_<float>({1, 2, 1, 2}, {-0.1f, 2, -0.6f, 4})));
  Tensor xi = T_<int32_t>({3}, {-4, 0, 4});
  EXPECT_TRUE(TensorsNear(Run1(Spec("PRelu", 9), {xi, T_<int32_t>({3}, {2, 2, 2})}), T_<int32_t>({3}, {-8, 0, 4})));
}

TEST(PRelu, SlopeMustBroadcastToInput) {
  auto r = test::RunKernel(RegisterElementwiseKernels, Spec("PRelu", 16),
                           {Random<float>({2, 3}, 1), Random<float>({2, 2, 3}, 2)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("[2,2,3]"), std::string::npos) << r.status().message();
}

TEST(PRelu, RandomPerChannelInBothLayouts) {
  Tensor x = Random<float>({2, 16, 9, 9}, 5);
  for (Shape ss : {Shape{16, 1, 1}, Shape{1, 16, 1, 1}, Shape{9}, Shape{}, Shape{2, 16, 9, 9}}) {
    Tensor s = Random<float>(ss, 6, 0, 1);
    Tensor want = ReferenceBinary<float, float, float>(x, s, PReluRef{});
    EXPECT_TRUE(TensorsNear(Run1(Spec("PRelu", 16), {x, s}), want, 0, 0)) << ShapeToString(ss);
    auto r = RunRaw(Spec("PRelu", 16), {ToNhwc(x), s});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r.value()[0].layout(), Layout::kNhwc);
    EXPECT_TRUE(TensorsNear(r.value()[0], want, 0, 0)) << "NHWC " << ShapeToString(ss);
  }
}

}  // namespace
}  // namespace litemp
