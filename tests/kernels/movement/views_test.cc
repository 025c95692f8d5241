// Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout: shapes per the ONNX examples,
// every opset variant, and that the output shares the input buffer.
#include "kernels/movement/movement_testing.h"

namespace litemp::mtest {
namespace {

Shape ReshapeTo(const Shape& in, const std::vector<int64_t>& spec, int opset = 14, int allowzero = 0) {
  Attrs attrs;
  if (allowzero) attrs.push_back({"allowzero", AInt(allowzero)});
  Tensor x = Iota(in);
  Tensor y = Run1(Op("Reshape", opset, attrs), {x, I64(spec)});
  if (!y.defined()) return {-99};
  EXPECT_EQ(y.raw_data(), x.raw_data()) << "Reshape must not copy";
  EXPECT_EQ(Values<float>(y), Values<float>(x));
  return y.shape();
}

TEST(Reshape, SpecExamples) {
  const Shape in = {2, 3, 4};
  EXPECT_EQ(ReshapeTo(in, {4, 2, 3}), (Shape{4, 2, 3}));         // reordered_all_dims
  EXPECT_EQ(ReshapeTo(in, {2, 4, 3}), (Shape{2, 4, 3}));         // reordered_last_dims
  EXPECT_EQ(ReshapeTo(in, {2, 12}), (Shape{2, 12}));             // reduced_dims
  EXPECT_EQ(ReshapeTo(in, {2, 3, 2, 2}), (Shape{2, 3, 2, 2}));   // extended_dims
  EXPECT_EQ(ReshapeTo(in, {24}), (Shape{24}));                   // one_dim
  EXPECT_EQ(ReshapeTo(in, {2, -1, 2}), (Shape{2, 6, 2}));        // negative_dim
  EXPECT_EQ(ReshapeTo(in, {-1, 2, 3, 4}), (Shape{1, 2, 3, 4}));  // negative_extended_dims
  EXPECT_EQ(ReshapeTo(in, {2, 0, 4, 1}), (Shape{2, 3, 4, 1}));   // zero_dim
  EXPECT_EQ(ReshapeTo(in, {2, 0, 1, -1}), (Shape{2, 3, 1, 4}));  // zero_and_negative_dim
  EXPECT_EQ(ReshapeTo(in, {2, 0, 4}, /*opset=*/5), (Shape{2, 3, 4}));
}

TEST(Reshape, AllowZeroKeepsLiteralZeros) {
  // reshape_allowzero_reordered: [0,3,4] -> [3,4,0].
  Tensor x(DType::kFloat32, {0, 3, 4});
  Tensor y = Run1(Op("Reshape", 14, {{"allowzero", AInt(1)}}), {x, I64({3, 4, 0})});
  EXPECT_EQ(y.shape(), (Shape{3, 4, 0}));
  // Without allowzero the 0 copies input dim 2 (=4) and the counts disagree.
  EXPECT_FALSE(RunOp(Op("Reshape", 14), {x, I64({3, 4, 0})}).ok());  // [3,4,4] has 48 elements
}

TEST(Reshape, ErrorsNameShapes) {
  auto r = RunOp(Op("Reshape", 14), {Iota({2, 3}), I64({4, -1})});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot reshape [2,3] (6 elements) to [4,-1]"), std::string::npos)
      << r.status().message();
  EXPECT_FALSE(RunOp(Op("Reshape", 14), {Iota({2, 3}), I64({-1, -1})}).ok());
  EXPECT_FALSE(RunOp(Op("Reshape", 14), {Iota({2, 3}), I64({7})}).ok());
  EXPECT_FALSE(RunOp(Op("Reshape", 14, {{"allowzero", AInt(1)}}), {Iota({2, 3}), I64({0, -1})}).ok());
}

TEST(Reshape, AnyDtypeAndInt32Shape) {
  Tensor x = RandomBytes(DType::kFloat16, {4, 6}, 3);
  Tensor y = Run1(Op("Reshape", 13), {x, I64({3, 8})});
  EXPECT_EQ(y.dtype(), DType::kFloat16);
  EXPECT_EQ(y.shape(), (Shape{3, 8}));
  EXPECT_EQ(y.raw_data(), x.raw_data());
}

TEST(Flatten, AxisVariants) {
  Tensor x = Iota({2, 3, 4, 5});
  const std::vector<std::pair<int64_t, Shape>> cases = {{0, {1, 120}}, {1, {2, 60}},  {2, {6, 20}},
                                                        {3, {24, 5}},  {4, {120, 1}}, {-1, {24, 5}},
                                                        {-2, {6, 20}}, {-3, {2, 60}}, {-4, {1, 120}}};
  for (const auto& [axis, shape] : cases) {
    Tensor y = Run1(Op("Flatten", 13, {{"axis", AInt(axis)}}), {x});
    EXPECT_EQ(y.shape(), shape) << "axis " << axis;
    EXPECT_EQ(y.raw_data(), x.raw_data());
  }
  EXPECT_EQ(Run1(Op("Flatten", 9), {x}).shape(), (Shape{2, 60}));  // default axis 1
  EXPECT_FALSE(RunOp(Op("Flatten", 13, {{"axis", AInt(5)}}), {x}).ok());
}

TEST(Squeeze, AttributeBeforeOpset13) {
  Tensor x = Iota({1, 3, 1, 5});
  EXPECT_EQ(Run1(Op("Squeeze", 11, {{"axes", AInts({0})}}), {x}).shape(), (Shape{3, 1, 5}));
  EXPECT_EQ(Run1(Op("Squeeze", 11, {{"axes", AInts({-2})}}), {x}).shape(), (Shape{1, 3, 5}));
  EXPECT_EQ(Run1(Op("Squeeze", 7), {x}).shape(), (Shape{3, 5}));
}

TEST(Squeeze, InputFromOpset13) {
  Tensor x = Iota({1, 3, 4, 5});
  Tensor y = Run1(Op("Squeeze", 13), {x, I64({0})});
  EXPECT_EQ(y.shape(), (Shape{3, 4, 5}));
  EXPECT_EQ(y.raw_data(), x.raw_data());
  EXPECT_EQ(Run1(Op("Squeeze", 21), {Iota({1, 3, 1, 5}), I64({-2})}).shape(), (Shape{1, 3, 5}));
  EXPECT_EQ(Run1(Op("Squeeze", 13), {Iota({1, 3, 1, 5})}).shape(), (Shape{3, 5}));
  auto r = RunOp(Op("Squeeze", 13), {x, I64({1})});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not 1"), std::string::npos) << r.status().message();
}

TEST(Unsqueeze, SpecExamples) {
  Tensor x = Iota({3, 4, 5});
  for (int64_t a = 0; a < 4; ++a) {
    Shape want = {3, 4, 5};
    want.insert(want.begin() + a, 1);
    EXPECT_EQ(Run1(Op("Unsqueeze", 13), {x, I64({a})}).shape(), want);
    EXPECT_EQ(Run1(Op("Unsqueeze", 11, {{"axes", AInts({a})}}), {x}).shape(), want);
  }
  EXPECT_EQ(Run1(Op("Unsqueeze", 13), {Iota({3, 4, 5}), I64({1, 4})}).shape(), (Shape{3, 1, 4, 5, 1}));  // two_axes
  EXPECT_EQ(Run1(Op("Unsqueeze", 13), {Iota({3, 4, 5}), I64({2, 4, 5})}).shape(),
            (Shape{3, 4, 1, 5, 1, 1}));  // three_axes
  EXPECT_EQ(Run1(Op("Unsqueeze", 13), {Iota({3, 4, 5}), I64({5, 4, 2})}).shape(),
            (Shape{3, 4, 1, 5, 1, 1}));  // unsorted
  EXPECT_EQ(Run1(Op("Unsqueeze", 13), {Iota({1, 3, 1, 5}), I64({-2})}).shape(), (Shape{1, 3, 1, 1, 5}));
  EXPECT_EQ(Run1(Op("Unsqueeze", 7, {{"axes", AInts({0})}}), {Tensor::Scalar<float>(2.f)}).shape(), (Shape{1}));
  EXPECT_FALSE(RunOp(Op("Unsqueeze", 13), {x, I64({1, 1})}).ok());
  EXPECT_FALSE(RunOp(Op("Unsqueeze", 13), {x, I64({4})}).ok());
}

TEST(Identity, PassesThroughAnyLayout) {
  Tensor x = ToNhwc(test::RandomTensor({1, 3, 2, 2}, 5));
  auto r = test::RunKernel(RegisterMovementKernels, Op("Identity", 16), {x});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(SameTensor(r.value()[0], ToPlain(x)));
  Tensor b = RandomBytes(DType::kBool, {7}, 1);
  Tensor yb = Run1(Op("Identity", 13), {b});
  EXPECT_EQ(yb.raw_data(), b.raw_data());
}

TEST(Dropout, InferenceReturnsInputAndTrueMask) {
  Tensor x = Iota({3, 4});
  auto r = RunOp(Op("Dropout", 13, {}, 2), {x});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value()[0].raw_data(), x.raw_data());
  EXPECT_EQ(r.value()[1].dtype(), DType::kBool);
  EXPECT_EQ(r.value()[1].shape(), x.shape());
  for (bool v : Values<bool>(r.value()[1])) EXPECT_TRUE(v);
  // ratio given, training_mode false.
  Tensor t = Tensor::Scalar<bool>(false);
  EXPECT_EQ(Run1(Op("Dropout", 12), {x, Tensor::Scalar<float>(0.3f), t}).raw_data(), x.raw_data());
}

TEST(Dropout, OpsetVariants) {
  Tensor x = Iota({2, 2});
  EXPECT_EQ(Run1(Op("Dropout", 10, {{"ratio", AFloat(0.2f)}}), {x}).raw_data(), x.raw_data());
  auto r = RunOp(Op("Dropout", 7, {}, 2), {x});  // opset 7-9: mask has the input's type
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[1].dtype(), DType::kFloat32);
  EXPECT_EQ(Values<float>(r.value()[1]), std::vector<float>(4, 1.f));
}

TEST(Dropout, TrainingModeIsNotSupportedUnlessRatioZero) {
  Tensor x = Iota({2, 2});
  auto r = RunOp(Op("Dropout", 13), {x, Tensor::Scalar<float>(0.5f), Tensor::Scalar<bool>(true)});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
  // ratio 0 in training mode is the identity (test_training_dropout_zero_ratio).
  auto z = RunOp(Op("Dropout", 13, {}, 2), {x, Tensor::Scalar<float>(0.f), Tensor::Scalar<bool>(true)});
  ASSERT_TRUE(z.ok());
  EXPECT_TRUE(SameTensor(z.value()[0], x));
}

}  // namespace
}  // namespace litemp::mtest
