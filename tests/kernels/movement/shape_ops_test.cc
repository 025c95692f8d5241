// Shape (with opset-15 start/end), Size, ConstantOfShape and Range.
#include "kernels/movement/movement_testing.h"

namespace litemp::mtest {
namespace {

std::vector<int64_t> ShapeOf(const Shape& s, Attrs attrs = {}, int opset = 15) {
  return Values<int64_t>(Run1(Op("Shape", opset, attrs), {Tensor(DType::kFloat32, s)}));
}

TEST(Shape, WholeAndSliced) {
  const Shape s = {3, 4, 5};
  EXPECT_EQ(ShapeOf(s, {}, 13), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(ShapeOf(s, {{"start", AInt(1)}}), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(ShapeOf(s, {{"end", AInt(1)}}), (std::vector<int64_t>{3}));
  EXPECT_EQ(ShapeOf(s, {{"start", AInt(-1)}}), (std::vector<int64_t>{5}));
  EXPECT_EQ(ShapeOf(s, {{"end", AInt(-1)}}), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(ShapeOf(s, {{"start", AInt(1)}, {"end", AInt(2)}}), (std::vector<int64_t>{4}));
  EXPECT_EQ(ShapeOf(s, {{"start", AInt(1)}, {"end", AInt(-1)}}), (std::vector<int64_t>{4}));
  EXPECT_EQ(ShapeOf(s, {{"start", AInt(-10)}}), (std::vector<int64_t>{3, 4, 5}));  // clip_start
  EXPECT_EQ(ShapeOf(s, {{"end", AInt(10)}}), (std::vector<int64_t>{3, 4, 5}));     // clip_end
  EXPECT_TRUE(ShapeOf(s, {{"start", AInt(2)}, {"end", AInt(1)}}).empty());
  // Before opset 15 the attributes do not exist.
  EXPECT_EQ(ShapeOf(s, {{"start", AInt(1)}}, 13), (std::vector<int64_t>{3, 4, 5}));
}

TEST(Shape, NhwcInputReportsLogicalShape) {
  Tensor x = ToNhwc(test::RandomTensor({1, 3, 4, 5}, 1));
  auto r = RunOp(Op("Shape", 15), {x});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Values<int64_t>(r.value()[0]), (std::vector<int64_t>{1, 3, 4, 5}));
}

TEST(Size, CountsElements) {
  Tensor y = Run1(Op("Size", 13), {Tensor(DType::kInt8, {3, 4, 5})});
  EXPECT_EQ(y.rank(), 0);
  EXPECT_EQ(y.dtype(), DType::kInt64);
  EXPECT_EQ(Values<int64_t>(y), (std::vector<int64_t>{60}));
  EXPECT_EQ(Values<int64_t>(Run1(Op("Size", 13), {Tensor(DType::kFloat32, {2, 0})})), (std::vector<int64_t>{0}));
}

TEST(ConstantOfShape, ValueAttribute) {
  Tensor ones = Run1(Op("ConstantOfShape", 9, {{"value", ATensor(F32({1.f}))}}), {I64({4, 3, 2})});
  EXPECT_EQ(ones.shape(), (Shape{4, 3, 2}));
  EXPECT_EQ(Values<float>(ones), std::vector<float>(24, 1.f));
  Tensor zeros = Run1(Op("ConstantOfShape", 20, {{"value", ATensor(I32({0}))}}), {I64({10, 6})});
  EXPECT_EQ(zeros.dtype(), DType::kInt32);
  EXPECT_EQ(Values<int32_t>(zeros), std::vector<int32_t>(60, 0));
  Tensor deflt = Run1(Op("ConstantOfShape", 9), {I64({2})});
  EXPECT_EQ(deflt.dtype(), DType::kFloat32);
  EXPECT_EQ(Values<float>(deflt), (std::vector<float>{0, 0}));
  Tensor empty = Run1(Op("ConstantOfShape", 9, {{"value", ATensor(I64({7}))}}), {I64({0})});  // int_shape_zero
  EXPECT_EQ(empty.shape(), (Shape{0}));
  Tensor scalar = Run1(Op("ConstantOfShape", 9, {{"value", ATensor(I64({7}))}}), {Tensor(DType::kInt64, {0})});
  EXPECT_EQ(scalar.rank(), 0);
  EXPECT_EQ(Values<int64_t>(scalar), (std::vector<int64_t>{7}));
  EXPECT_FALSE(RunOp(Op("ConstantOfShape", 9), {I64({2, -1})}).ok());
}

TEST(Range, FloatAndIntExamples) {
  Tensor f =
      Run1(Op("Range", 11), {Tensor::Scalar<float>(1.f), Tensor::Scalar<float>(5.f), Tensor::Scalar<float>(2.f)});
  EXPECT_EQ(Values<float>(f), (std::vector<float>{1, 3}));
  Tensor i =
      Run1(Op("Range", 11), {Tensor::Scalar<int32_t>(10), Tensor::Scalar<int32_t>(6), Tensor::Scalar<int32_t>(-3)});
  EXPECT_EQ(Values<int32_t>(i), (std::vector<int32_t>{10, 7}));
  Tensor e =
      Run1(Op("Range", 11), {Tensor::Scalar<int64_t>(0), Tensor::Scalar<int64_t>(-5), Tensor::Scalar<int64_t>(1)});
  EXPECT_EQ(e.shape(), (Shape{0}));
  Tensor d =
      Run1(Op("Range", 11), {Tensor::Scalar<double>(0.5), Tensor::Scalar<double>(1.0), Tensor::Scalar<double>(0.2)});
  EXPECT_EQ(d.shape(), (Shape{3}));
  EXPECT_DOUBLE_EQ(Values<double>(d)[2], 0.5 + 2 * 0.2);
  Tensor i16 =
      Run1(Op("Range", 11), {Tensor::Scalar<int16_t>(-3), Tensor::Scalar<int16_t>(4), Tensor::Scalar<int16_t>(3)});
  EXPECT_EQ(Values<int16_t>(i16), (std::vector<int16_t>{-3, 0, 3}));
  EXPECT_FALSE(
      RunOp(Op("Range", 11), {Tensor::Scalar<int64_t>(0), Tensor::Scalar<int64_t>(5), Tensor::Scalar<int64_t>(0)})
          .ok());
}

}  // namespace
}  // namespace litemp::mtest
