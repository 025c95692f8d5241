// NonZero, Trilu, OneHot and TopK: ONNX examples plus edge cases.
#include "kernels/movement/movement_testing.h"

namespace litemp::mtest {
namespace {

TEST(NonZero, ExampleAndDtypes) {
  Tensor b = Tensor::FromVector<bool>({true, false, true, true}, {2, 2});
  Tensor y = Run1(Op("NonZero", 13), {b});
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_EQ(Values<int64_t>(y), (std::vector<int64_t>{0, 1, 1, 0, 0, 1}));
  // -0.0 is zero, NaN is not.
  Tensor f = F32({0.f, -0.f, NAN, 2.f});
  EXPECT_EQ(Values<int64_t>(Run1(Op("NonZero", 13), {f})), (std::vector<int64_t>{2, 3}));
  Tensor h(DType::kFloat16, {3});
  h.data<uint16_t>()[0] = 0x8000;  // -0
  h.data<uint16_t>()[1] = 0x3c00;  // 1
  h.data<uint16_t>()[2] = 0x0000;
  EXPECT_EQ(Values<int64_t>(Run1(Op("NonZero", 13), {h})), (std::vector<int64_t>{1}));
  EXPECT_EQ(Run1(Op("NonZero", 13), {I64({0, 0}, {1, 2})}).shape(), (Shape{2, 0}));
  Tensor s = Run1(Op("NonZero", 13), {Tensor::Scalar<int32_t>(5)});
  EXPECT_EQ(s.shape(), (Shape{1, 1}));
}

Tensor Trilu(const Tensor& x, int upper, int64_t k, bool with_k = true) {
  std::vector<Tensor> in = {x};
  if (with_k) in.push_back(Tensor::Scalar<int64_t>(k));
  return Run1(Op("Trilu", 14, {{"upper", AInt(upper)}}), in);
}

TEST(Trilu, UpperAndLowerWithK) {
  Tensor x = Iota({3, 4}, 1);  // 1..12
  EXPECT_EQ(Values<float>(Trilu(x, 1, 0, false)), (std::vector<float>{1, 2, 3, 4, 0, 6, 7, 8, 0, 0, 11, 12}));
  EXPECT_EQ(Values<float>(Trilu(x, 1, 1)), (std::vector<float>{0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12}));
  EXPECT_EQ(Values<float>(Trilu(x, 1, -1)), (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 0, 10, 11, 12}));
  EXPECT_EQ(Values<float>(Trilu(x, 0, 0)), (std::vector<float>{1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0}));
  EXPECT_EQ(Values<float>(Trilu(x, 0, -1)), (std::vector<float>{0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0}));
  EXPECT_EQ(Values<float>(Trilu(x, 0, 6)), Values<float>(x));              // tril_out_pos
  EXPECT_EQ(Values<float>(Trilu(x, 1, 6)), std::vector<float>(12, 0.f));   // triu_out_pos
  EXPECT_EQ(Values<float>(Trilu(x, 0, -7)), std::vector<float>(12, 0.f));  // tril_out_neg
  // Batched, int64.
  Tensor b = Run1(Op("Trilu", 14, {{"upper", AInt(0)}}), {I64({1, 2, 3, 4, 5, 6, 7, 8}, {2, 2, 2})});
  EXPECT_EQ(Values<int64_t>(b), (std::vector<int64_t>{1, 0, 3, 4, 5, 0, 7, 8}));
  EXPECT_FALSE(RunOp(Op("Trilu", 14), {F32({1, 2})}).ok());
}

TEST(OneHot, AxisVariants) {
  Tensor values = F32({0, 1});
  Tensor ind = I64({0, 2, 1});
  Tensor y = Run1(Op("OneHot", 11), {ind, Tensor::Scalar<int64_t>(3), values});
  EXPECT_EQ(y.shape(), (Shape{3, 3}));
  EXPECT_EQ(Values<float>(y), (std::vector<float>{1, 0, 0, 0, 0, 1, 0, 1, 0}));
  Tensor y0 = Run1(Op("OneHot", 11, {{"axis", AInt(0)}}), {ind, Tensor::Scalar<int64_t>(3), values});
  EXPECT_EQ(Values<float>(y0), (std::vector<float>{1, 0, 0, 0, 0, 1, 0, 1, 0}));  // transposed, symmetric here
  // with_axis example: indices [[1,9],[2,4]] float, depth 10, values [1,3], axis 1.
  Tensor i2 = F32({1, 9, 2, 4}, {2, 2});
  Tensor y1 = Run1(Op("OneHot", 11, {{"axis", AInt(1)}}), {i2, F32({10}), F32({1, 3})});
  ASSERT_EQ(y1.shape(), (Shape{2, 10, 2}));
  const std::vector<float> v = Values<float>(y1);
  EXPECT_EQ(v[(0 * 10 + 1) * 2 + 0], 3);
  EXPECT_EQ(v[(0 * 10 + 9) * 2 + 1], 3);
  EXPECT_EQ(v[(1 * 10 + 2) * 2 + 0], 3);
  EXPECT_EQ(v[(1 * 10 + 4) * 2 + 1], 3);
  float sum = 0;
  for (float e : v) sum += e;
  EXPECT_EQ(sum, 4 * 3 + 36 * 1);
}

TEST(OneHot, NegativeAndOutOfRangeIndices) {
  Tensor values = I32({0, 5});
  Tensor ind = I64({-1, 10, 1});
  Tensor y11 = Run1(Op("OneHot", 11), {ind, Tensor::Scalar<float>(3.f), values});
  EXPECT_EQ(Values<int32_t>(y11), (std::vector<int32_t>{0, 0, 5, 0, 0, 0, 0, 5, 0}));
  Tensor y9 = Run1(Op("OneHot", 9), {ind, Tensor::Scalar<float>(3.f), values});  // no wrap before 11
  EXPECT_EQ(Values<int32_t>(y9), (std::vector<int32_t>{0, 0, 0, 0, 0, 0, 0, 5, 0}));
  EXPECT_FALSE(RunOp(Op("OneHot", 11), {ind, Tensor::Scalar<int64_t>(0), values}).ok());
  EXPECT_FALSE(RunOp(Op("OneHot", 11), {ind, Tensor::Scalar<int64_t>(3), I32({1})}).ok());
}

TEST(TopK, LargestSmallestAndNegativeAxis) {
  Tensor x = F32({0, 1, 2, 3, 4, 5, 6, 7, 11, 10, 9, 8}, {3, 4});
  auto r = RunOp(Op("TopK", 11, {}, 2), {x, I64({3})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Values<float>(r.value()[0]), (std::vector<float>{3, 2, 1, 7, 6, 5, 11, 10, 9}));
  EXPECT_EQ(Values<int64_t>(r.value()[1]), (std::vector<int64_t>{3, 2, 1, 3, 2, 1, 0, 1, 2}));
  auto s = RunOp(Op("TopK", 11, {{"largest", AInt(0)}, {"axis", AInt(-1)}}, 2), {x, I64({3})});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Values<float>(s.value()[0]), (std::vector<float>{0, 1, 2, 4, 5, 6, 8, 9, 10}));
  EXPECT_EQ(Values<int64_t>(s.value()[1]), (std::vector<int64_t>{0, 1, 2, 0, 1, 2, 3, 2, 1}));
  // axis 0, k as attribute (opset 1-9).
  auto a = RunOp(Op("TopK", 9, {{"k", AInt(1)}, {"axis", AInt(0)}}, 2), {x});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(Values<float>(a.value()[0]), (std::vector<float>{11, 10, 9, 8}));
  EXPECT_EQ(Values<int64_t>(a.value()[1]), (std::vector<int64_t>{2, 2, 2, 2}));
  EXPECT_FALSE(RunOp(Op("TopK", 11, {}, 2), {x, I64({5})}).ok());
}

TEST(TopK, TiesKeepLowerIndexAndNanIsLargest) {
  Tensor x = F32({1, 3, 3, NAN, 2});
  auto r = RunOp(Op("TopK", 11, {}, 2), {x, I64({4})});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Values<int64_t>(r.value()[1]), (std::vector<int64_t>{3, 1, 2, 4}));
  Tensor i = I32({5, 1, 5, 0}, {4});
  auto s = RunOp(Op("TopK", 11, {{"largest", AInt(0)}}, 2), {i, I64({4})});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Values<int32_t>(s.value()[0]), (std::vector<int32_t>{0, 1, 5, 5}));
  EXPECT_EQ(Values<int64_t>(s.value()[1]), (std::vector<int64_t>{3, 1, 0, 2}));
}

}  // namespace
}  // namespace litemp::mtest
