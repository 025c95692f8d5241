// Expand and Tile: ONNX examples and per-element formula checks.
#include "kernels/movement/movement_testing.h"

namespace litemp::mtest {
namespace {

TEST(Expand, DimChangedExample) {
  // [[1],[2],[3]] expanded to [2,1,6] -> [2,3,6]
  Tensor y = Run1(Op("Expand", 13), {F32({1, 2, 3}, {3, 1}), I64({2, 1, 6})});
  EXPECT_EQ(y.shape(), (Shape{2, 3, 6}));
  std::vector<float> want;
  for (int b = 0; b < 2; ++b)
    for (float v : {1.f, 2.f, 3.f})
      for (int k = 0; k < 6; ++k) want.push_back(v);
  EXPECT_EQ(Values<float>(y), want);
}

TEST(Expand, DimUnchangedAndShapeSmallerThanInput) {
  Tensor x = F32({1, 2, 3}, {3, 1});
  Tensor y = Run1(Op("Expand", 8), {x, I64({3, 4})});
  EXPECT_EQ(y.shape(), (Shape{3, 4}));
  EXPECT_EQ(Values<float>(y), (std::vector<float>{1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}));
  // 'shape' may be smaller than the input: [1] keeps the input's dims.
  Tensor z = Run1(Op("Expand", 13), {x, I64({1})});
  EXPECT_EQ(z.shape(), (Shape{3, 1}));
  // Row broadcast of an int64 vector.
  Tensor r = Run1(Op("Expand", 13), {I64({7, 8}), I64({2, 1, 2})});
  EXPECT_EQ(Values<int64_t>(r), (std::vector<int64_t>{7, 8, 7, 8}));
  EXPECT_FALSE(RunOp(Op("Expand", 13), {x, I64({2, 4})}).ok());
}

TEST(Expand, LargeBroadcastMatchesFormula) {
  Tensor x = test::RandomTensor({1, 64, 1, 1}, 2);
  Tensor y = Run1(Op("Expand", 13), {x, I64({4, 64, 30, 30})});
  ASSERT_EQ(y.shape(), (Shape{4, 64, 30, 30}));
  int bad = 0;
  for (int64_t i = 0; i < y.numel(); ++i) bad += y.data<float>()[i] != x.data<float>()[(i / 900) % 64];
  EXPECT_EQ(bad, 0);
}

TEST(Tile, ExampleAndFormula) {
  // test_tile_precomputed: [[0,1],[2,3]] tiled [2,2]
  Tensor y = Run1(Op("Tile", 13), {F32({0, 1, 2, 3}, {2, 2}), I64({2, 2})});
  EXPECT_EQ(y.shape(), (Shape{4, 4}));
  EXPECT_EQ(Values<float>(y), (std::vector<float>{0, 1, 0, 1, 2, 3, 2, 3, 0, 1, 0, 1, 2, 3, 2, 3}));
  Tensor x = RandomBytes(DType::kInt16, {2, 3, 4}, 1);
  Tensor t = Run1(Op("Tile", 6), {x, I64({3, 1, 2})});
  ASSERT_EQ(t.shape(), (Shape{6, 3, 8}));
  int bad = 0;
  for (int64_t a = 0; a < 6; ++a)
    for (int64_t b = 0; b < 3; ++b)
      for (int64_t c = 0; c < 8; ++c)
        bad += t.data<int16_t>()[(a * 3 + b) * 8 + c] != x.data<int16_t>()[((a % 2) * 3 + b) * 4 + c % 4];
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(Run1(Op("Tile", 13), {x, I64({1, 0, 1})}).shape(), (Shape{2, 0, 4}));
  EXPECT_FALSE(RunOp(Op("Tile", 13), {x, I64({1, 2})}).ok());
  EXPECT_FALSE(RunOp(Op("Tile", 13), {x, I64({1, -1, 1})}).ok());
}

}  // namespace
}  // namespace litemp::mtest
