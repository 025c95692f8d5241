// Slice: the ONNX examples (negative steps, out-of-bounds clamping), the opset < 10
// attribute form, and randomized comparisons against the naive reference.
#include <limits>

#include "kernels/movement/movement_testing.h"
#include "kernels/movement/reference.h"

namespace litemp::mtest {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

Tensor Slice13(const Tensor& x, std::vector<int64_t> s, std::vector<int64_t> e, std::vector<int64_t> axes = {},
               std::vector<int64_t> steps = {}) {
  std::vector<Tensor> in = {x, I64(s), I64(e)};
  if (!axes.empty() || !steps.empty()) in.push_back(axes.empty() ? Tensor() : I64(axes));
  if (!steps.empty()) in.push_back(I64(steps));
  return Run1(Op("Slice", 13), in);
}

TEST(Slice, SpecExamples) {
  Tensor x = F32({1, 2, 3, 4, 5, 6, 7, 8}, {2, 4});
  // data[1:2, 0:3:2] -> [[5, 7]]
  Tensor y = Slice13(x, {1, 0}, {2, 3}, {0, 1}, {1, 2});
  EXPECT_EQ(y.shape(), (Shape{1, 2}));
  EXPECT_EQ(Values<float>(y), (std::vector<float>{5, 7}));
  // data[0:-1, 1:1000] -> [[2, 3, 4]]
  Tensor z = Slice13(x, {0, 1}, {-1, 1000});
  EXPECT_EQ(Values<float>(z), (std::vector<float>{2, 3, 4}));
}

TEST(Slice, NegativeStepsAndClamping) {
  Tensor x = Iota({20, 10, 5});
  // test_slice_neg_steps: starts [20,10,4] ends [0,0,1] axes [0,1,2] steps [-1,-3,-2]
  Tensor y = Slice13(x, {20, 10, 4}, {0, 0, 1}, {0, 1, 2}, {-1, -3, -2});
  EXPECT_EQ(y.shape(), (Shape{19, 3, 2}));
  EXPECT_TRUE(SameTensor(y, movement::reference::Slice(x, {20, 10, 4}, {0, 0, 1}, {0, 1, 2}, {-1, -3, -2})));
  EXPECT_EQ(Values<float>(y)[0], 19 * 50 + 9 * 5 + 4);
  // test_slice_neg: data[:, 0:-1]
  EXPECT_EQ(Slice13(x, {0}, {-1}, {1}, {1}).shape(), (Shape{20, 9, 5}));
  // test_slice_start_out_of_bounds: start 1000 -> empty
  EXPECT_EQ(Slice13(x, {1000}, {1000}, {1}, {1}).shape(), (Shape{20, 0, 5}));
  // test_slice_end_out_of_bounds / default axes / default steps
  EXPECT_EQ(Slice13(x, {1}, {1000}, {1}, {1}).shape(), (Shape{20, 9, 5}));
  EXPECT_EQ(Slice13(x, {0, 0, 3}, {20, 10, 4}).shape(), (Shape{20, 10, 1}));
  EXPECT_EQ(Slice13(x, {0, 0, 3}, {20, 10, 4}, {0, 1, 2}).shape(), (Shape{20, 10, 1}));
  // test_slice_negative_axes
  EXPECT_EQ(Slice13(x, {0, 0, 3}, {20, 10, 4}, {0, -2, -1}).shape(), (Shape{20, 10, 1}));
  // Whole axis reversed: start -1, end -INT_MAX.
  Tensor r = Slice13(F32({1, 2, 3}), {-1}, {-kMax}, {0}, {-1});
  EXPECT_EQ(Values<float>(r), (std::vector<float>{3, 2, 1}));
  // start beyond the end with a negative step clamps to dim-1.
  EXPECT_EQ(Values<float>(Slice13(F32({1, 2, 3}), {kMax}, {0}, {0}, {-2})), (std::vector<float>{3}));
}

TEST(Slice, AttributesBeforeOpset10) {
  Tensor x = F32({1, 2, 3, 4, 5, 6, 7, 8}, {2, 4});
  Tensor y = Run1(Op("Slice", 9, {{"starts", AInts({0, 1})}, {"ends", AInts({-1, 1000})}}), {x});
  EXPECT_EQ(Values<float>(y), (std::vector<float>{2, 3, 4}));
  Tensor z = Run1(Op("Slice", 7, {{"axes", AInts({1})}, {"starts", AInts({2})}, {"ends", AInts({4})}}), {x});
  EXPECT_EQ(Values<float>(z), (std::vector<float>{3, 4, 7, 8}));
}

TEST(Slice, ErrorsAndInt32Inputs) {
  Tensor x = Iota({3, 4});
  EXPECT_FALSE(RunOp(Op("Slice", 13), {x, I64({0}), I64({1}), I64({0}), I64({0})}).ok());     // step 0
  EXPECT_FALSE(RunOp(Op("Slice", 13), {x, I64({0, 0}), I64({1}), Tensor(), Tensor()}).ok());  // lengths
  EXPECT_FALSE(RunOp(Op("Slice", 13), {x, I64({0, 0}), I64({1, 1}), I64({0, 0})}).ok());      // repeated axis
  Tensor y = Run1(Op("Slice", 13), {x, I32({1}), I32({3}), I32({1})});
  EXPECT_EQ(Values<float>(y), (std::vector<float>{1, 2, 5, 6, 9, 10}));
}

TEST(Slice, RandomizedAgainstReference) {
  std::mt19937 rng(7);
  const DType types[] = {DType::kFloat32, DType::kInt8, DType::kFloat16, DType::kInt64};
  for (int iter = 0; iter < 300; ++iter) {
    const int r = 1 + rng() % 4;
    Shape s(r);
    for (int64_t& d : s) d = rng() % 7;
    Tensor x = RandomBytes(types[iter % 4], s, rng());
    std::vector<int64_t> axes, starts, ends, steps;
    for (int a = 0; a < r; ++a) {
      if (rng() % 3 == 0) continue;
      axes.push_back(a);
      auto pick = [&]() -> int64_t {
        switch (rng() % 6) {
          case 0:
            return kMax;
          case 1:
            return -kMax;
          default:
            return static_cast<int64_t>(rng() % 19) - 9;
        }
      };
      starts.push_back(pick());
      ends.push_back(pick());
      int64_t st = static_cast<int64_t>(rng() % 7) - 3;
      steps.push_back(st == 0 ? 1 : st);
    }
    if (axes.empty()) continue;
    std::vector<int64_t> neg_axes = axes;
    if (iter % 2)
      for (int64_t& a : neg_axes) a -= r;
    Tensor y = Slice13(x, starts, ends, neg_axes, steps);
    EXPECT_TRUE(SameTensor(y, movement::reference::Slice(x, starts, ends, axes, steps)))
        << "shape " << ShapeToString(s) << " starts " << ShapeToString(starts) << " ends " << ShapeToString(ends)
        << " axes " << ShapeToString(axes) << " steps " << ShapeToString(steps);
  }
}

TEST(Slice, LargeFloatAgainstReference) {
  Tensor x = test::RandomTensor({4, 33, 65, 17}, 11);
  const std::vector<std::vector<int64_t>> cfg = {
      {1, 60, 1, 1}, {-1, -kMax, 2, -1}, {3, 30, 3, 2}, {0, 17, 0, 3}, {40, 2, 2, -3}};
  for (const auto& c : cfg) {
    Tensor y = Slice13(x, {c[0]}, {c[1]}, {c[2]}, {c[3]});
    EXPECT_TRUE(SameTensor(y, movement::reference::Slice(x, {c[0]}, {c[1]}, {c[2]}, {c[3]})));
  }
}

}  // namespace
}  // namespace litemp::mtest
