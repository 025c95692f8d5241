// Comparisons, logical ops, Not and Where.
#include <cmath>
#include <limits>

#include "kernels/elementwise/binary_ops.h"
#include "kernels/elementwise/ew_test_util.h"
#include "kernels/elementwise/reference.h"

namespace litemp {
namespace {

using namespace ewtest;  // NOLINT

TEST(Compare, FloatLiteralsGiveBool) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor a = T_<float>({5}, {1, 2, 3, nan, -0.f});
  Tensor b = T_<float>({5}, {2, 2, 2, nan, 0.f});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Equal", 13), {a, b}), Bools({5}, {0, 1, 0, 0, 1})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Less", 13), {a, b}), Bools({5}, {1, 0, 0, 0, 0})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Greater", 13), {a, b}), Bools({5}, {0, 0, 1, 0, 0})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("LessOrEqual", 16), {a, b}), Bools({5}, {1, 1, 0, 0, 1})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("GreaterOrEqual", 16), {a, b}), Bools({5}, {0, 1, 1, 0, 1})));
}

TEST(Compare, IntegerAndBoolInputsWithBroadcast) {
  Tensor a = T_<int64_t>({2, 3}, {1, 5, 3, 4, 2, 6});
  Tensor b = T_<int64_t>({3}, {1, 2, 6});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Equal", 11), {a, b}), Bools({2, 3}, {1, 0, 0, 0, 1, 1})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Greater", 9), {a, Tensor::Scalar<int64_t>(3)}),
                          Bools({2, 3}, {0, 1, 0, 1, 0, 1})));
  Tensor p = Bools({4}, {0, 0, 1, 1}), q = Bools({4}, {0, 1, 0, 1});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Equal", 11), {p, q}), Bools({4}, {1, 0, 0, 1})));
}

TEST(Compare, Float16) {
  Tensor a(DType::kFloat16, {2}), b(DType::kFloat16, {2});
  a.data<uint16_t>()[0] = FloatToHalf(1.5f);
  a.data<uint16_t>()[1] = FloatToHalf(-2.f);
  b.data<uint16_t>()[0] = FloatToHalf(1.5f);
  b.data<uint16_t>()[1] = FloatToHalf(3.f);
  EXPECT_TRUE(TensorsNear(Run1(Spec("Equal", 13), {a, b}), Bools({2}, {1, 0})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Less", 13), {a, b}), Bools({2}, {0, 1})));
}

TEST(Logical, TruthTablesAndBroadcast) {
  Tensor p = Bools({4}, {0, 0, 1, 1}), q = Bools({4}, {0, 1, 0, 1});
  EXPECT_TRUE(TensorsNear(Run1(Spec("And", 7), {p, q}), Bools({4}, {0, 0, 0, 1})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Or", 7), {p, q}), Bools({4}, {0, 1, 1, 1})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Xor", 7), {p, q}), Bools({4}, {0, 1, 1, 0})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Not", 1), {p}), Bools({4}, {1, 1, 0, 0})));
  Tensor col = Bools({2, 1}, {0, 1});
  Tensor row = Bools({3}, {1, 0, 1});
  EXPECT_TRUE(TensorsNear(Run1(Spec("And", 7), {col, row}), Bools({2, 3}, {0, 0, 0, 1, 0, 1})));
  EXPECT_TRUE(TensorsNear(Run1(Spec("Xor", 7), {col, row}), Bools({2, 3}, {1, 0, 1, 0, 1, 0})));
}

TEST(Logical, RejectsNonBool) {
  auto r = test::RunKernel(RegisterElementwiseKernels, Spec("And", 7), {T_<int32_t>({1}, {1}), T_<int32_t>({1}, {1})});
  EXPECT_FALSE(r.ok());
  r = test::RunKernel(RegisterElementwiseKernels, Spec("Not", 1), {T_<float>({1}, {1})});
  EXPECT_FALSE(r.ok());
}

TEST(Compare, NhwcInputsGivePlainBool) {
  Tensor a = Random<float>({2, 3, 4, 5}, 1), b = Random<float>({2, 3, 4, 5}, 2);
  Tensor want = ReferenceBinary<bool, float, float>(a, b, LessOp{});
  auto r = RunRaw(Spec("Less", 13), {ToNhwc(a), ToNhwc(b)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value()[0].layout(), Layout::kPlain);
  EXPECT_TRUE(TensorsNear(r.value()[0], want));
  r = RunRaw(Spec("Less", 13), {ToNhwc(a), b});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(TensorsNear(r.value()[0], want));
}

TEST(Compare, RandomMatchesReference) {
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{6, 7}, {6, 7}}, {{2, 3, 4}, {3, 1}}, {{5}, {}}, {{3, 1, 4}, {1, 5, 1}}, {{64, 600}, {600}}};
  uint32_t seed = 10;
  for (const auto& [sa, sb] : shapes) {
    // Small integer range so that equality happens often.
    Tensor a = Random<int32_t>(sa, ++seed, -3, 3), b = Random<int32_t>(sb, ++seed, -3, 3);
    EXPECT_TRUE(TensorsNear(Run1(Spec("Equal", 13), {a, b}), ReferenceBinary<bool, int32_t, int32_t>(a, b, EqualOp{})));
    EXPECT_TRUE(TensorsNear(Run1(Spec("GreaterOrEqual", 16), {a, b}),
                            ReferenceBinary<bool, int32_t, int32_t>(a, b, GreaterEqualOp{})));
    Tensor fa = Random<double>(sa, ++seed), fb = Random<double>(sb, ++seed);
    EXPECT_TRUE(TensorsNear(Run1(Spec("Greater", 13), {fa, fb}),
                            ReferenceBinary<bool, double, double>(fa, fb, GreaterOp{})));
    Tensor p = Random<bool>(sa, ++seed), q = Random<bool>(sb, ++seed);
    EXPECT_TRUE(TensorsNear(Run1(Spec("Or", 7), {p, q}), ReferenceBinary<bool, bool, bool>(p, q, OrOp{})));
  }
}

TEST(Where, LiteralWithThreeWayBroadcast) {
  Tensor c = Bools({2, 1}, {1, 0});
  Tensor x = T_<float>({3}, {1, 2, 3});
  Tensor y = Tensor::Scalar<float>(-1.f);
  EXPECT_TRUE(TensorsNear(Run1(Spec("Where", 16), {c, x, y}), T_<float>({2, 3}, {1, 2, 3, -1, -1, -1})));
  Tensor c2 = Bools({2, 2}, {1, 0, 1, 1});
  Tensor xi = T_<int64_t>({2, 2}, {1, 2, 3, 4});
  Tensor yi = T_<int64_t>({2, 2}, {9, 8, 7, 6});
  EXPECT_TRUE(TensorsNear(Run1(Spec("Where", 9), {c2, xi, yi}), T_<int64_t>({2, 2}, {1, 8, 3, 4})));
}

TEST(Where, RandomMatchesReferenceInEveryLayout) {
  const std::vector<std::array<Shape, 3>> shapes = {
      {{{4, 5}, {4, 5}, {4, 5}}},       {{{2, 1, 4}, {3, 1}, {4}}},     {{{}, {3, 2}, {2}}},
      {{{2, 3, 4, 5}, {2, 3, 4, 5}, {}}}, {{{1, 3, 1, 1}, {2, 3, 4, 5}, {2, 1, 4, 5}}},
      {{{8, 64, 64}, {64, 1}, {8, 64, 64}}},
  };
  uint32_t seed = 40;
  for (const auto& s : shapes) {
    Tensor c = Random<bool>(s[0], ++seed), x = Random<float>(s[1], ++seed), y = Random<float>(s[2], ++seed);
    Tensor want = ReferenceWhere<float>(c, x, y);
    EXPECT_TRUE(TensorsNear(Run1(Spec("Where", 16), {c, x, y}), want, 0, 0));
    if (s[1].size() == 4) {
      auto r = RunRaw(Spec("Where", 16), {c, ToNhwc(x), s[2].size() == 4 ? ToNhwc(y) : y});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r.value()[0].layout(), Layout::kNhwc);
      EXPECT_TRUE(TensorsNear(r.value()[0], want, 0, 0)) << ShapeToString(s[0]);
    }
    Tensor xi = Random<int16_t>(s[1], ++seed, -100, 100), yi = Random<int16_t>(s[2], ++seed, -100, 100);
    EXPECT_TRUE(TensorsNear(Run1(Spec("Where", 16), {c, xi, yi}), ReferenceWhere<int16_t>(c, xi, yi)));
  }
}

TEST(Where, RejectsBadTypes) {
  Tensor x = T_<float>({2}, {1, 2});
  auto r = test::RunKernel(RegisterElementwiseKernels, Spec("Where", 16), {T_<int32_t>({2}, {1, 0}), x, x});
  EXPECT_FALSE(r.ok());
  r = test::RunKernel(RegisterElementwiseKernels, Spec("Where", 16), {Bools({2}, {1, 0}), x, T_<double>({2}, {1, 2})});
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace litemp
