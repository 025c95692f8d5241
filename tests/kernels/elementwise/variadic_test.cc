// Max, Min, Sum, Mean with one to four broadcasting inputs.
#include <cmath>
#include <limits>

#include "kernels/elementwise/binary_ops.h"
#include "kernels/elementwise/ew_test_util.h"
#include "kernels/elementwise/reference.h"

namespace litemp {
namespace {

using namespace ewtest;  // NOLINT

TEST(Variadic, ThreeInputLiterals) {
  Tensor a = T_<float>({3}, {3, 2, 1}), b = T_<float>({3}, {1, 4, 4}), c = T_<float>({3}, {2, 5, 3});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Max", 13), {a, b, c}), T_<float>({3}, {3, 5, 4})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Min", 13), {a, b, c}), T_<float>({3}, {1, 2, 1})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Sum", 13), {a, b, c}), T_<float>({3}, {6, 11, 8})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Mean", 13), {a, b, c}), T_<float>({3}, {2, 11.f / 3, 8.f / 3})));
}

TEST(Variadic, SingleInputIsACopy) {
  Tensor a = T_<float>({2}, {1, -1});
  for (const char* op : {"Max", "Min", "Sum", "Mean"}) {
    Tensor r = Run1(Spec(op, 13), {a});
    EXPECT_TRUE(TensorsNear(r, a, 0, 0)) << op;
    EXPECT_NE(r.raw_data(), a.raw_data()) << op;
  }
}

TEST(Variadic, BroadcastGrowsAcrossInputs) {
  Tensor a = T_<int32_t>({2, 1}, {1, 10});
  Tensor b = T_<int32_t>({3}, {5, 0, 20});
  Tensor c = Tensor::Scalar<int32_t>(7);
  EXPECT_TRUE(TensorsNear(Run1(Spec("Max", 12), {a, b, c}), T_<int32_t>({2, 3}, {7, 7, 20, 10, 10, 20})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Min", 12), {a, b, c}), T_<int32_t>({2, 3}, {1, 0, 1, 5, 0, 7})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Sum", 13), {a, b, c}), T_<int32_t>({2, 3}, {13, 8, 28, 22, 17, 37})));
}

TEST(Variadic, MaxMinPropagateNan) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor a = T_<float>({3}, {nan, 1, 2});
  Tensor b = T_<float>({3}, {1, nan, 3});
  for (const char* op : {"Max", "Min"}) {
    for (bool swap : {false, true}) {
      Tensor r = Run1(Spec(op, 13), swap ? std::vector<Tensor>{b, a} : std::vector<Tensor>{a, b});
      EXPECT_TRUE(std::isnan(r.data<float>()[0])) << op;
      EXPECT_TRUE(std::isnan(r.data<float>()[1])) << op;
      EXPECT_EQ(r.data<float>()[2], std::string(op) == "Max" ? 3.f : 2.f);
    }
  }
}

TEST(Variadic, MeanRejectsIntegers) {
  auto r = test::RunKernel(RegisterElementwiseKernels, Spec("Mean", 13),
                           {T_<int32_t>({1}, {1}), T_<int32_t>({1}, {3})});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported());
}

TEST(Variadic, Float16Mean) {
  Tensor a(DType::kFloat16, {2}), b(DType::kFloat16, {2});
  a.data<uint16_t>()[0] = FloatToHalf(1.f);
  a.data<uint16_t>()[1] = FloatToHalf(-3.f);
  b.data<uint16_t>()[0] = FloatToHalf(2.f);
  b.data<uint16_t>()[1] = FloatToHalf(5.f);
  Tensor r = Run1(Spec("Mean", 13), {a, b});
  ASSERT_EQ(r.dtype(), DType::kFloat16);
  EXPECT_EQ(HalfToFloat(r.data<uint16_t>()[0]), 1.5f);
  EXPECT_EQ(HalfToFloat(r.data<uint16_t>()[1]), 1.f);
}

TEST(Variadic, RandomMatchesPairwiseReference) {
  const std::vector<std::vector<Shape>> cases = {
      {{4, 5}, {4, 5}, {4, 5}, {4, 5}}, {{2, 3, 4}, {3, 1}, {4}}, {{}, {5, 1}, {1, 6}},
      {{2, 3, 4, 5}, {2, 3, 4, 5}}, {{64, 32, 32}, {32, 1}, {64, 32, 32}}};
  uint32_t seed = 70;
  for (const auto& shapes : cases) {
    std::vector<Tensor> ins;
    for (const Shape& s : shapes) ins.push_back(Random<float>(s, ++seed));
    Tensor mx = ins[0], mn = ins[0], sum = ins[0];
    for (size_t k = 1; k < ins.size(); ++k) {
      mx = ReferenceBinary<float, float, float>(mx, ins[k], MaxOp{});
      mn = ReferenceBinary<float, float, float>(mn, ins[k], MinOp{});
      sum = ReferenceBinary<float, float, float>(sum, ins[k], AddOp{});
    }
    Tensor mean = sum.Clone();
    for (int64_t i = 0; i < mean.numel(); ++i) mean.data<float>()[i] /= static_cast<float>(ins.size());
    EXPECT_TRUE(TensorsNear(Run1(Spec("Max", 13), ins), mx, 0, 0));
    EXPECT_TRUE(TensorsNear(Run1(Spec("Min", 13), ins), mn, 0, 0));
    EXPECT_TRUE(TensorsNear(Run1(Spec("Sum", 13), ins), sum, 0, 0));
    EXPECT_TRUE(TensorsNear(Run1(Spec("Mean", 13), ins), mean, 0, 0));
    if (shapes[0].size() == 4) {  // NHWC inputs of the output's shape keep NHWC
      std::vector<Tensor> nhwc;
      for (const Tensor& t : ins) nhwc.push_back(t.rank() == 4 ? ToNhwc(t) : t);
      auto r = RunRaw(Spec("Sum", 13), nhwc);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r.value()[0].layout(), Layout::kNhwc);
      EXPECT_TRUE(TensorsNear(r.value()[0], sum, 0, 0));
    }
  }
}

}  // namespace
}  // namespace litemp
