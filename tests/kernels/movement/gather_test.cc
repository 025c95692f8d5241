// Gather and GatherElements: ONNX examples, negative and int32 indices, errors, and
// randomized Gather comparisons against the naive reference.
#include "kernels/movement/movement_testing.h"
#include "kernels/movement/reference.h"

namespace litemp::mtest {
namespace {

TEST(Gather, Axis0Example) {
  Tensor data = F32({1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f}, {3, 2});
  Tensor y = Run1(Op("Gather", 13), {data, I64({0, 1, 1, 2}, {2, 2})});
  EXPECT_EQ(y.shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(Values<float>(y), (std::vector<float>{1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f}));
}

TEST(Gather, Axis1Example) {
  Tensor data = F32({1.0f, 1.2f, 1.9f, 2.3f, 3.4f, 3.9f, 4.5f, 5.7f, 5.9f}, {3, 3});
  Tensor y = Run1(Op("Gather", 11, {{"axis", AInt(1)}}), {data, I64({0, 2}, {1, 2})});
  EXPECT_EQ(y.shape(), (Shape{3, 1, 2}));
  EXPECT_EQ(Values<float>(y), (std::vector<float>{1.0f, 1.9f, 2.3f, 3.9f, 4.5f, 5.9f}));
}

TEST(Gather, NegativeInt32AndScalarIndices) {
  Tensor data = Iota({10});
  EXPECT_EQ(Values<float>(Run1(Op("Gather", 13), {data, I64({0, -9, -10})})), (std::vector<float>{0, 1, 0}));
  EXPECT_EQ(Values<float>(Run1(Op("Gather", 13), {data, I32({-1, 3})})), (std::vector<float>{9, 3}));
  Tensor s = Run1(Op("Gather", 13), {Iota({3, 4}), Tensor::Scalar<int64_t>(-1)});
  EXPECT_EQ(s.shape(), (Shape{4}));
  EXPECT_EQ(Values<float>(s), (std::vector<float>{8, 9, 10, 11}));
}

TEST(Gather, OutOfRangeIsAnError) {
  auto r = RunOp(Op("Gather", 13), {Iota({3, 2}), I64({3})});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("index 3 is out of range"), std::string::npos) << r.status().message();
  EXPECT_FALSE(RunOp(Op("Gather", 13), {Iota({3, 2}), I64({-4})}).ok());
  EXPECT_FALSE(RunOp(Op("Gather", 13), {Iota({3, 2}), F32({1})}).ok());
}

TEST(Gather, RandomizedAgainstReference) {
  std::mt19937 rng(3);
  const DType types[] = {DType::kFloat32, DType::kBool, DType::kFloat16, DType::kInt64, DType::kUInt8};
  for (int iter = 0; iter < 100; ++iter) {
    const int r = 1 + rng() % 4;
    Shape s(r);
    for (int64_t& d : s) d = 1 + rng() % 5;
    const int64_t axis = rng() % r;
    const int q = rng() % 3;
    Shape is(q);
    for (int64_t& d : is) d = rng() % 4;
    Tensor ind(iter % 2 ? DType::kInt32 : DType::kInt64, is);
    for (int64_t i = 0; i < ind.numel(); ++i) {
      const int64_t v = static_cast<int64_t>(rng() % (2 * s[axis])) - s[axis];
      if (iter % 2)
        ind.data<int32_t>()[i] = static_cast<int32_t>(v);
      else
        ind.data<int64_t>()[i] = v;
    }
    Tensor x = RandomBytes(types[iter % 5], s, rng());
    Tensor y = Run1(Op("Gather", 13, {{"axis", AInt(axis - (iter % 3 == 0 ? r : 0))}}), {x, ind});
    EXPECT_TRUE(SameTensor(y, movement::reference::Gather(x, ind, axis)))
        << "shape " << ShapeToString(s) << " axis " << axis << " indices " << ShapeToString(is);
  }
}

TEST(Gather, LargeFloatRowsAgainstReference) {
  Tensor x = test::RandomTensor({3000, 64}, 5);  // embedding-table style
  Tensor ind(DType::kInt64, {8, 128});
  std::mt19937 rng(1);
  for (int64_t i = 0; i < ind.numel(); ++i) ind.data<int64_t>()[i] = rng() % 3000;
  EXPECT_TRUE(SameTensor(Run1(Op("Gather", 13), {x, ind}), movement::reference::Gather(x, ind, 0)));
  Tensor ind2 = I64({63, 0, -1, 5});
  EXPECT_TRUE(
      SameTensor(Run1(Op("Gather", 13, {{"axis", AInt(1)}}), {x, ind2}), movement::reference::Gather(x, ind2, 1)));
}

TEST(GatherElements, SpecExamples) {
  // gather_elements_0: axis 1
  Tensor d0 = F32({1, 2, 3, 4}, {2, 2});
  Tensor y0 = Run1(Op("GatherElements", 13, {{"axis", AInt(1)}}), {d0, I64({0, 0, 1, 0}, {2, 2})});
  EXPECT_EQ(Values<float>(y0), (std::vector<float>{1, 1, 4, 3}));
  // gather_elements_1: axis 0, indices [[1,2,0],[2,0,0]]
  Tensor d1 = F32({1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3});
  Tensor y1 = Run1(Op("GatherElements", 13), {d1, I64({1, 2, 0, 2, 0, 0}, {2, 3})});
  EXPECT_EQ(y1.shape(), (Shape{2, 3}));
  EXPECT_EQ(Values<float>(y1), (std::vector<float>{4, 8, 3, 7, 2, 3}));
  // gather_elements_negative_indices
  Tensor y2 = Run1(Op("GatherElements", 11), {d1, I32({-1, -2, 0, -2, 0, 0}, {2, 3})});
  EXPECT_EQ(Values<float>(y2), (std::vector<float>{7, 5, 3, 4, 2, 3}));
}

TEST(GatherElements, Rank3AndErrors) {
  Tensor d = Iota({2, 3, 4});
  Tensor ind = I64({3, 0, 1, 2, 0, 0}, {2, 3, 1});
  Tensor y = Run1(Op("GatherElements", 13, {{"axis", AInt(-1)}}), {d, ind});
  EXPECT_EQ(Values<float>(y), (std::vector<float>{3, 4, 9, 14, 16, 20}));
  EXPECT_FALSE(RunOp(Op("GatherElements", 13), {d, I64({0, 0}, {2})}).ok());
  EXPECT_FALSE(RunOp(Op("GatherElements", 13), {d, I64({2}, {1, 1, 1})}).ok());
}

}  // namespace
}  // namespace litemp::mtest
