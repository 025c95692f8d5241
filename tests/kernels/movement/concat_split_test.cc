// Concat and Split: ONNX examples, opset variants, NHWC, and randomized comparisons of
// Concat against the naive reference.
#include "kernels/movement/movement_testing.h"
#include "kernels/movement/reference.h"

namespace litemp::mtest {
namespace {

TEST(Concat, SpecExamples2d) {
  Tensor a = F32({1, 2, 3, 4}, {2, 2}), b = F32({5, 6, 7, 8}, {2, 2});
  Tensor y0 = Run1(Op("Concat", 13, {{"axis", AInt(0)}}), {a, b});
  EXPECT_EQ(y0.shape(), (Shape{4, 2}));
  EXPECT_EQ(Values<float>(y0), (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}));
  Tensor y1 = Run1(Op("Concat", 13, {{"axis", AInt(-1)}}), {a, b});
  EXPECT_EQ(y1.shape(), (Shape{2, 4}));
  EXPECT_EQ(Values<float>(y1), (std::vector<float>{1, 2, 5, 6, 3, 4, 7, 8}));
  Tensor y2 = Run1(Op("Concat", 4, {{"axis", AInt(1)}}), {a, b});
  EXPECT_EQ(Values<float>(y2), Values<float>(y1));
}

TEST(Concat, EmptyInputsAndErrors) {
  Tensor a = Iota({2, 0}), b = Iota({2, 3});
  EXPECT_TRUE(SameTensor(Run1(Op("Concat", 13, {{"axis", AInt(1)}}), {a, b}), b));
  EXPECT_FALSE(RunOp(Op("Concat", 13), {b, b}).ok());  // axis is required
  EXPECT_FALSE(RunOp(Op("Concat", 13, {{"axis", AInt(0)}}), {b, Iota({2, 4})}).ok());
  EXPECT_FALSE(RunOp(Op("Concat", 13, {{"axis", AInt(2)}}), {b, b}).ok());
  EXPECT_FALSE(RunOp(Op("Concat", 13, {{"axis", AInt(0)}}), {b, I64({1, 2, 3}, {1, 3})}).ok());
}

TEST(Concat, RandomizedAgainstReference) {
  std::mt19937 rng(42);
  const DType types[] = {DType::kFloat32, DType::kUInt8, DType::kFloat16, DType::kInt64, DType::kBool};
  for (int iter = 0; iter < 60; ++iter) {
    const int r = 1 + rng() % 4;
    Shape base(r);
    for (int64_t& d : base) d = 1 + rng() % 5;
    const int64_t axis = rng() % r;
    const DType dt = types[iter % 5];
    std::vector<Tensor> xs;
    const int n = 1 + rng() % 4;
    for (int i = 0; i < n; ++i) {
      Shape s = base;
      s[axis] = rng() % 4;
      xs.push_back(RandomBytes(dt, s, rng()));
    }
    Tensor y = Run1(Op("Concat", 13, {{"axis", AInt(axis - (iter % 2 ? r : 0))}}), xs);
    EXPECT_TRUE(SameTensor(y, movement::reference::Concat(xs, axis)))
        << "rank " << r << " axis " << axis << " inputs " << n;
  }
}

TEST(Concat, LargeFloatAgainstReference) {
  // Big enough for the parallel paths.
  std::vector<Tensor> xs = {test::RandomTensor({2, 64, 40, 40}, 1), test::RandomTensor({2, 32, 40, 40}, 2)};
  for (int64_t axis = 0; axis < 4; ++axis) {
    std::vector<Tensor> in = xs;
    if (axis != 1) in[1] = test::RandomTensor({2, 64, 40, 40}, 3);
    EXPECT_TRUE(SameTensor(Run1(Op("Concat", 13, {{"axis", AInt(axis)}}), in), movement::reference::Concat(in, axis)));
  }
}

TEST(Concat, NhwcInputsStayNhwc) {
  Tensor a = test::RandomTensor({2, 3, 4, 5}, 1), b = test::RandomTensor({2, 6, 4, 5}, 2);
  auto r = test::RunKernel(RegisterMovementKernels, Op("Concat", 13, {{"axis", AInt(1)}}), {ToNhwc(a), ToNhwc(b)});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(SameTensor(r.value()[0], movement::reference::Concat({a, b}, 1)));
  // Mixed layouts fall back to plain.
  auto m = test::RunKernel(RegisterMovementKernels, Op("Concat", 13, {{"axis", AInt(2)}}), {ToNhwc(a), a});
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(SameTensor(m.value()[0], movement::reference::Concat({a, a}, 2)));
}

std::vector<Tensor> RunSplit(const NodeSpec& spec, const std::vector<Tensor>& in) {
  auto r = RunOp(spec, in);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : std::vector<Tensor>{};
}

TEST(Split, EqualParts) {
  Tensor x = F32({1, 2, 3, 4, 5, 6});
  auto ys = RunSplit(Op("Split", 13, {}, 3), {x});
  ASSERT_EQ(ys.size(), 3u);
  EXPECT_EQ(Values<float>(ys[0]), (std::vector<float>{1, 2}));
  EXPECT_EQ(Values<float>(ys[2]), (std::vector<float>{5, 6}));
  Tensor x2 = F32({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {2, 6});
  auto y2 = RunSplit(Op("Split", 11, {{"axis", AInt(1)}}, 2), {x2});
  EXPECT_EQ(Values<float>(y2[0]), (std::vector<float>{1, 2, 3, 7, 8, 9}));
  EXPECT_EQ(Values<float>(y2[1]), (std::vector<float>{4, 5, 6, 10, 11, 12}));
  EXPECT_FALSE(RunOp(Op("Split", 13, {}, 4), {x}).ok());
}

TEST(Split, VariablePartsAttributeAndInput) {
  Tensor x = F32({1, 2, 3, 4, 5, 6});
  auto a = RunSplit(Op("Split", 11, {{"split", AInts({2, 4})}}, 2), {x});  // attribute before 13
  EXPECT_EQ(Values<float>(a[1]), (std::vector<float>{3, 4, 5, 6}));
  auto b = RunSplit(Op("Split", 13, {}, 2), {x, I64({2, 4})});  // input from 13
  EXPECT_EQ(Values<float>(b[0]), (std::vector<float>{1, 2}));
  EXPECT_EQ(Values<float>(b[1]), (std::vector<float>{3, 4, 5, 6}));
  Tensor x2 = Iota({2, 6});
  auto c = RunSplit(Op("Split", 18, {{"axis", AInt(-1)}}, 2), {x2, I64({2, 4})});
  EXPECT_EQ(c[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(Values<float>(c[0]), (std::vector<float>{0, 1, 6, 7}));
  EXPECT_FALSE(RunOp(Op("Split", 13, {}, 2), {x, I64({2, 3})}).ok());
  EXPECT_FALSE(RunOp(Op("Split", 13, {}, 3), {x, I64({2, 4})}).ok());
}

TEST(Split, NumOutputsUnevenOpset18) {
  Tensor x = F32({1, 2, 3, 4, 5, 6, 7});
  auto ys = RunSplit(Op("Split", 18, {{"num_outputs", AInt(4)}}, 4), {x});
  ASSERT_EQ(ys.size(), 4u);
  EXPECT_EQ(Values<float>(ys[0]), (std::vector<float>{1, 2}));
  EXPECT_EQ(Values<float>(ys[2]), (std::vector<float>{5, 6}));
  EXPECT_EQ(Values<float>(ys[3]), (std::vector<float>{7}));
  EXPECT_FALSE(RunOp(Op("Split", 18, {{"num_outputs", AInt(3)}}, 4), {x}).ok());
}

TEST(Split, ZeroSizeParts) {
  Tensor x(DType::kFloat32, {0});
  auto ys = RunSplit(Op("Split", 13, {}, 3), {x, I64({0, 0, 0})});
  ASSERT_EQ(ys.size(), 3u);
  for (const Tensor& y : ys) EXPECT_EQ(y.shape(), (Shape{0}));
  auto z = RunSplit(Op("Split", 13, {}, 2), {Iota({4}), I64({0, 4})});
  EXPECT_EQ(z[0].shape(), (Shape{0}));
  EXPECT_EQ(Values<float>(z[1]), (std::vector<float>{0, 1, 2, 3}));
}

TEST(Split, NhwcChannelsStayNhwc) {
  Tensor x = test::RandomTensor({1, 6, 3, 4}, 9);
  auto r = test::RunKernel(RegisterMovementKernels, Op("Split", 13, {{"axis", AInt(1)}}, 2), {ToNhwc(x), I64({2, 4})});
  ASSERT_TRUE(r.ok());
  auto ref = RunSplit(Op("Split", 13, {{"axis", AInt(1)}}, 2), {x, I64({2, 4})});
  EXPECT_TRUE(SameTensor(r.value()[0], ref[0]));
  EXPECT_TRUE(SameTensor(r.value()[1], ref[1]));
  // Split then Concat is the identity.
  EXPECT_TRUE(SameTensor(movement::reference::Concat(ref, 1), x));
}

}  // namespace
}  // namespace litemp::mtest
