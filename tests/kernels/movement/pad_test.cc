// Pad: constant/reflect/edge/wrap against hand-worked values (and numpy's results for the
// ONNX examples), attribute form before opset 11, axes in opset 18, negative pads.
#include "kernels/movement/movement_testing.h"

namespace litemp::mtest {
namespace {

Tensor Pad(const Tensor& x, std::vector<int64_t> pads, const std::string& mode, Tensor value = Tensor(),
           Tensor axes = Tensor(), int opset = 19) {
  std::vector<Tensor> in = {x, I64(pads), value};
  if (axes.defined()) in.push_back(axes);
  return Run1(Op("Pad", opset, {{"mode", AString(mode)}}), in);
}

TEST(Pad, ConstantSpecExample) {
  // np.pad([[1.0,1.2],[2.3,3.4],[4.5,5.7]], ((0,0),(2,0)), constant 0)
  Tensor x = F32({1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f}, {3, 2});
  Tensor y = Pad(x, {0, 2, 0, 0}, "constant");
  EXPECT_EQ(y.shape(), (Shape{3, 4}));
  EXPECT_EQ(Values<float>(y), (std::vector<float>{0, 0, 1.0f, 1.2f, 0, 0, 2.3f, 3.4f, 0, 0, 4.5f, 5.7f}));
  Tensor v = Pad(x, {1, 0, 0, 1}, "constant", Tensor::Scalar<float>(9.f));
  EXPECT_EQ(v.shape(), (Shape{4, 3}));
  EXPECT_EQ(Values<float>(v), (std::vector<float>{9, 9, 9, 1.0f, 1.2f, 9, 2.3f, 3.4f, 9, 4.5f, 5.7f, 9}));
}

TEST(Pad, ReflectSpecExample) {
  Tensor x = F32({1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f}, {3, 2});
  Tensor y = Pad(x, {0, 2, 0, 0}, "reflect");
  EXPECT_EQ(Values<float>(y),
            (std::vector<float>{1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f}));
  // 1-D: np.pad([1,2,3,4], (3,2), 'reflect') = [4,3,2,1,2,3,4,3,2]
  EXPECT_EQ(Values<float>(Pad(F32({1, 2, 3, 4}), {3, 2}, "reflect")), (std::vector<float>{4, 3, 2, 1, 2, 3, 4, 3, 2}));
  // Pads longer than the axis reflect periodically: np.pad([1,2,3], (5,0), 'reflect').
  EXPECT_EQ(Values<float>(Pad(F32({1, 2, 3}), {5, 0}, "reflect")), (std::vector<float>{2, 1, 2, 3, 2, 1, 2, 3}));
}

TEST(Pad, EdgeAndWrap) {
  Tensor x = F32({1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f}, {3, 2});
  EXPECT_EQ(Values<float>(Pad(x, {0, 2, 0, 0}, "edge")),
            (std::vector<float>{1.0f, 1.0f, 1.0f, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f}));
  // wrap_pad example: pads [2,1,1,1] on [[1,2],[3,4],[5,6]] -> rows 1,2,0,1,2 cols 1,0,1,0
  Tensor w = Pad(F32({1, 2, 3, 4, 5, 6}, {3, 2}), {2, 1, 1, 1}, "wrap");
  EXPECT_EQ(w.shape(), (Shape{6, 4}));
  EXPECT_EQ(Values<float>(w),
            (std::vector<float>{4, 3, 4, 3, 6, 5, 6, 5, 2, 1, 2, 1, 4, 3, 4, 3, 6, 5, 6, 5, 2, 1, 2, 1}));
  EXPECT_EQ(Values<float>(Pad(F32({1, 2, 3}), {1, 5}, "edge")), (std::vector<float>{1, 1, 2, 3, 3, 3, 3, 3, 3}));
}

TEST(Pad, AttributesBeforeOpset11) {
  Tensor x = F32({1, 2, 3, 4}, {2, 2});
  Tensor y = Run1(Op("Pad", 2, {{"pads", AInts({1, 0, 0, 1})}, {"value", AFloat(7.f)}}), {x});
  EXPECT_EQ(Values<float>(y), (std::vector<float>{7, 7, 7, 1, 2, 7, 3, 4, 7}));
  Tensor e = Run1(Op("Pad", 7, {{"pads", AInts({0, 1, 0, 1})}, {"mode", AString("edge")}}), {x});
  EXPECT_EQ(Values<float>(e), (std::vector<float>{1, 1, 2, 2, 3, 3, 4, 4}));
  EXPECT_FALSE(RunOp(Op("Pad", 7), {x}).ok());  // pads attribute required
}

TEST(Pad, AxesInputOpset18) {
  Tensor x = Iota({2, 3});
  // Pad only axis -1 by (1, 2).
  Tensor y = Pad(x, {1, 2}, "constant", Tensor::Scalar<float>(-1.f), I64({-1}), 18);
  EXPECT_EQ(y.shape(), (Shape{2, 6}));
  EXPECT_EQ(Values<float>(y), (std::vector<float>{-1, 0, 1, 2, -1, -1, -1, 3, 4, 5, -1, -1}));
  EXPECT_FALSE(RunOp(Op("Pad", 18), {x, I64({1, 2, 3, 4}), Tensor(), I64({1})}).ok());
}

TEST(Pad, NegativePadsCrop) {
  Tensor x = Iota({4});
  EXPECT_EQ(Values<float>(Pad(x, {-1, 2}, "constant")), (std::vector<float>{1, 2, 3, 0, 0}));
  EXPECT_EQ(Values<float>(Pad(x, {-1, 2}, "edge")), (std::vector<float>{1, 2, 3, 3, 3}));
  EXPECT_EQ(Values<float>(Pad(x, {2, -3}, "reflect")), (std::vector<float>{0, 0, 0}));
  EXPECT_EQ(Pad(x, {-2, -2}, "constant").shape(), (Shape{0}));
  EXPECT_FALSE(RunOp(Op("Pad", 19), {x, I64({-3, -2})}).ok());
}

TEST(Pad, IntegerAndBoolData) {
  Tensor x = I64({5, 6}, {1, 2});
  Tensor y = Pad(x, {1, 1, 0, 0}, "constant", Tensor::Scalar<int64_t>(-3));
  EXPECT_EQ(Values<int64_t>(y), (std::vector<int64_t>{-3, -3, -3, -3, 5, 6}));
  Tensor b = Tensor::FromVector<bool>({true, false});
  EXPECT_EQ(Values<bool>(Pad(b, {2, 1}, "wrap")), (std::vector<bool>{true, false, true, false, true}));
  // A constant_value of another type is an error.
  EXPECT_FALSE(RunOp(Op("Pad", 13), {x, I64({0, 0, 0, 0}), Tensor::Scalar<float>(1.f)}).ok());
}

TEST(Pad, LargeReflectMatchesPerElementFormula) {
  Tensor x = test::RandomTensor({2, 3, 40, 50}, 8);
  Tensor y = Pad(x, {0, 0, 3, 4, 0, 0, 5, 6}, "reflect");
  ASSERT_EQ(y.shape(), (Shape{2, 3, 48, 60}));
  auto refl = [](int64_t c, int64_t n) { return c < 0 ? -c : (c >= n ? 2 * (n - 1) - c : c); };
  int bad = 0;
  for (int64_t nc = 0; nc < 6; ++nc)
    for (int64_t h = 0; h < 48; ++h)
      for (int64_t w = 0; w < 60; ++w) {
        const float want = x.data<float>()[(nc * 40 + refl(h - 3, 40)) * 50 + refl(w - 4, 50)];
        bad += y.data<float>()[(nc * 48 + h) * 60 + w] != want;
      }
  EXPECT_EQ(bad, 0);
}

}  // namespace
}  // namespace litemp::mtest
